"""Cold start: ``wzeval validate rulebooks/2023.yaml`` against the import-only floor.

Each command runs as a fresh subprocess, ``--repeat`` times, interleaved; the
median wall time of each is printed with their ratio.  The floor is
``python -c "import pydantic, ruamel.yaml, simpleeval"``: what any tool built on
wzeval's dependencies pays before doing anything.  ``wzeval --help`` is shown too,
and a second floor, the same imports plus one pydantic model class: ``import
pydantic`` alone loads pydantic lazily, so the first floor leaves out the model
machinery any user of pydantic models (wzeval included) must load.

The commands run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from
their environment) after warm-up runs, as for an installed package; the
``--no-bytecode`` option measures the other case, where every wzeval module is
compiled from source at each start.

``wzeval validate`` is timed three ways (issue 15, goal 5: ≤ 1.5× the floor): with
the validation cache off (``WZEVAL_NO_CACHE=1``: what every run cost before the
cache), a cold miss (an empty cache folder for each run, so the run validates and
stores its entry) and a warm cache (an entry stored, the run answers from it:
:mod:`wzeval.core._cache`).  The cache folders are temporary; the user's own is never
touched.

Run: ``python benchmarks/bench_coldstart.py [--repeat 15]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import RULEBOOK, machine, median, ms


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    dt = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return dt


_PARTS = f"""
import time
t0 = time.perf_counter()
import pydantic, ruamel.yaml, simpleeval
t1 = time.perf_counter()
class _M(pydantic.BaseModel):
    x: int
t1b = time.perf_counter()
import wzeval.scoring._api, wzeval.cli, wzeval.model._models
t2 = time.perf_counter()
from wzeval.reading._loader import load_document
doc = load_document({str(RULEBOOK)!r})
t3 = time.perf_counter()
rb, issues = wzeval.scoring._api.rulebook_from_document(doc)
t4 = time.perf_counter()
print(t1 - t0, t1b - t1, t2 - t1b, t3 - t2, t4 - t3)
"""


_MODEL_FLOOR = (
    "import pydantic, ruamel.yaml, simpleeval\nclass M(pydantic.BaseModel):\n    x: int\n"
)


def _breakdown(env: dict[str, str], repeat: int) -> None:
    """Median seconds of each part of validating the rulebook, in fresh processes."""
    rows: list[list[float]] = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", _PARTS], env=env, capture_output=True, text=True, check=True
        )
        rows.append([float(x) for x in done.stdout.split()])
    names = (
        "import pydantic, ruamel.yaml, simpleeval",
        "pydantic's model machinery (first BaseModel)",
        "import wzeval (cli, api, models, checks, ...)",
        "read rulebooks/2023.yaml (load_document)",
        "validate and compile (rulebook_from_document)",
    )
    print("\nparts of a validate run (median of fresh processes):")
    for i, name in enumerate(names):
        print(f"  {name:48} {ms(median([r[i] for r in rows])):>10}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-bytecode", action="store_true")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time the parts of a validate run (imports, reading, checking) in subprocesses",
    )
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    wzeval = str(Path(sys.executable).parent / "wzeval")
    validate = [wzeval, "validate", str(RULEBOOK)]
    scratch = Path(tempfile.mkdtemp(prefix="bench-coldstart-"))
    off = {**env, "WZEVAL_NO_CACHE": "1"}
    warm = {**env, "WZEVAL_CACHE_DIR": str(scratch / "warm")}
    runs = iter(range(1 << 30))

    def same() -> dict[str, str]:
        return env

    def fresh() -> dict[str, str]:  # an empty cache folder for each run
        return {**env, "WZEVAL_CACHE_DIR": str(scratch / f"miss-{next(runs)}")}

    commands: dict[str, tuple[list[str], Callable[[], dict[str, str]]]] = {
        "import floor": ([sys.executable, "-c", "import pydantic, ruamel.yaml, simpleeval"], same),
        "floor + one model class": ([sys.executable, "-c", _MODEL_FLOOR], same),
        "validate, cache off": (validate, lambda: off),
        "validate, cold miss": (validate, fresh),
        "validate, warm cache": (validate, lambda: warm),
        "wzeval --help": ([wzeval, "--help"], same),
    }
    print(f"machine: {machine()}")
    print(f"bytecode cache: {'off' if args.no_bytecode else 'on'}; {args.repeat} runs each")
    for cmd, env_of in commands.values():  # warm-up: disk cache, bytecode, the warm entry
        _time(cmd, env_of())
        _time(cmd, env_of())
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, (cmd, env_of) in commands.items():
            times[name].append(_time(cmd, env_of()))
    floor = median(times["import floor"])
    print()
    print(f"{'':24} {'median':>10} {'min':>10} {'× floor':>8}")
    for name, ts in times.items():
        print(f"{name:24} {ms(median(ts)):>10} {ms(min(ts)):>10} {median(ts) / floor:>7.2f}×")
    print()
    for name in ("validate, cache off", "validate, cold miss", "validate, warm cache"):
        ratio = median(times[name]) / floor
        print(f"wzeval {name} / import floor: {ratio:.2f}× (target ≤ 1.5×)")
    model_floor = median(times["floor + one model class"])
    print(f"floor + one model class / import floor: {model_floor / floor:.2f}×")
    shutil.rmtree(scratch, ignore_errors=True)
    if args.breakdown:
        _breakdown(env, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
