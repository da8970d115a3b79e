"""``wzeval score DIR`` end to end through the CLI: memory against the batch size.

Writes ``--n`` generated JSON findings (``findings_gen.py``) and a tenth of them in
a second folder, then runs ``python -m wzeval score FOLDER --allow-duplicates
--format F --jobs J -o OUT`` in a subprocess for each format, worker count and
folder.  Prints files per second, the peak RSS of the process tree (the largest of
the command and its workers, from ``os.wait4``), the ratio of the peak at ``--n``
files to the peak at a tenth of them (goal 1 of issue 15: flat, i.e. about 1), the
``--jobs 2`` / ``--jobs 1`` speed-up, whether the outputs of every ``--jobs``
are byte-identical, and the output's bytes per file (``json-compact``, the ``ranking/2``
document, against ``json``: goal 6; bench_batch_size.py has the detail).

Run: ``python benchmarks/bench_cli_batch.py [--n 1000] [--formats csv json json-compact]``.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine

import wzeval


def _write(folder: Path, n: int) -> None:
    import findings_gen

    rb = wzeval.load_rulebook()
    rng = random.Random(15)
    folder.mkdir()
    for i in range(n):
        text = findings_gen.to_json(findings_gen.generate(rb, rng))
        (folder / f"f{i:05d}.json").write_text(text, encoding="utf-8")


def _run(folder: Path, fmt: str, jobs: int, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one ``wzeval score`` run."""
    cmd = [sys.executable, "-m", "wzeval", "score", str(folder), "--allow-duplicates"]
    cmd += ["--format", fmt, "--jobs", str(jobs), "-o", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    proc.returncode = 0
    return dt, usage.ru_maxrss * 1024  # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--formats", nargs="+", default=["csv", "json", "json-compact"])
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        _write(big, args.n)
        _write(small, args.n // 10)
        print(f"{args.n} and {args.n // 10} generated JSON findings")
        print("| format | jobs | files | files/s | peak RSS | peak / peak at a tenth | B/file |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for fmt in args.formats:
            speed: dict[int, float] = {}
            outs: list[Path] = []
            for jobs in args.jobs:
                _, rss_small = _run(small, fmt, jobs, Path(tmp) / f"s{jobs}.{fmt}")
                out = Path(tmp) / f"b{jobs}.{fmt}"
                t_big, rss_big = _run(big, fmt, jobs, out)
                outs.append(out)
                speed[jobs] = args.n / t_big
                print(
                    f"| {fmt} | {jobs} | {args.n} | {args.n / t_big:.1f} | "
                    f"{rss_big / 2**20:.1f} MiB | {rss_big / rss_small:.2f} "
                    f"({rss_small / 2**20:.1f} MiB at {args.n // 10}) | "
                    f"{out.stat().st_size / args.n:,.0f} |"
                )
            same = all(filecmp.cmp(outs[0], o, shallow=False) for o in outs[1:])
            ratio = speed[2] / speed[1] if 1 in speed and 2 in speed else float("nan")
            print(f"{fmt}: --jobs 2 / --jobs 1 {ratio:.2f}×; identical across --jobs: {same}")


if __name__ == "__main__":
    main()
