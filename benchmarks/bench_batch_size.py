"""Bytes per department of a batch: ``ranking/1`` (``--format json``) against the compact
``ranking/2`` (``--format json-compact``), issue 15 goal 6 (a fifth: ratio ≤ 0.2).

Writes ``--n`` generated JSON findings (``findings_gen.py``, as bench_cli_batch.py) and
runs ``wzeval score FOLDER --allow-duplicates --partial --format F --jobs J -o OUT`` in a
subprocess for both formats.  Prints, for ``--n`` files and for a tenth of them: the
bytes per department of each document, their ratio, and for ``ranking/2`` the
rulebook's part (written once) and the departments' lines alone (what each further
department adds); the wall time of the compact run against the JSON run (the same
scoring, less writing); and whether the ``ranking/2`` outputs of every ``--jobs`` are
byte-identical.  With ``--check``, every department of the compact document is
expanded (``wzeval.output._compact.expand``) and compared with the JSON document's report.

Run: ``python benchmarks/bench_batch_size.py [--n 200] [--jobs 1 2] [--check]``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine
from bench_cli_batch import _write

from wzeval.output._compact import expand


def _run(folder: Path, fmt: str, jobs: int, out: Path) -> float:
    """Wall seconds of one ``wzeval score`` run writing ``out``."""
    # --partial: a generated file may hold a pending state (not assessable yet); every
    # file is then a department of both documents
    cmd = [sys.executable, "-m", "wzeval", "score", str(folder), "--allow-duplicates", "--partial"]
    cmd += ["--format", fmt, "--jobs", str(jobs), "-o", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _sizes(full: Path, small: Path) -> tuple[int, int, int]:
    """Bytes of the ranking/1 document, of the ranking/2 document and of its
    rulebook part (its first two lines)."""
    text = small.read_bytes()
    head = text.split(b"\n", 2)
    return full.stat().st_size, len(text), len(head[0]) + len(head[1]) + 2


def _checked(full: Path, small: Path) -> int:
    """How many departments expand to the JSON document's report (all, or it raises)."""
    one = json.loads(full.read_text("utf-8"))
    two = json.loads(small.read_text("utf-8"))
    assert len(one["departments"]) == len(two["departments"])
    for n, department in enumerate(one["departments"]):
        assert json.loads(expand(two, n)) == department["report"], n
    return len(two["departments"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--check", action="store_true", help="expand every department and compare")
    args = ap.parse_args()
    print(machine())
    jobs = args.jobs[-1]
    with tempfile.TemporaryDirectory() as tmp:
        print("| files | json B/dept | json-compact B/dept | ratio | rulebook part | "
              "a department's line | time compact / json |")  # fmt: skip
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in (args.n // 10, args.n):
            folder = Path(tmp) / f"f{n}"
            _write(folder, n)
            full, small = Path(tmp) / f"{n}.json", Path(tmp) / f"{n}.compact.json"
            t_full = _run(folder, "json", jobs, full)
            t_small = _run(folder, "json-compact", jobs, small)
            size_full, size_small, head = _sizes(full, small)
            print(
                f"| {n} | {size_full / n:,.0f} | {size_small / n:,.0f} | "
                f"{size_small / size_full:.3f} | {head:,} B once | "
                f"{(size_small - head) / n:,.0f} B ({(size_small - head) / size_full:.3f}) | "
                f"{t_small / t_full:.2f} |"
            )
            if args.check:
                print(f"  {_checked(full, small)} departments expand to their json reports")
        outs = []
        for j in args.jobs:
            out = Path(tmp) / f"jobs{j}.compact.json"
            _run(Path(tmp) / f"f{args.n}", "json-compact", j, out)
            outs.append(out)
        same = all(filecmp.cmp(outs[0], o, shallow=False) for o in outs[1:])
        print(f"json-compact identical across --jobs {' '.join(map(str, args.jobs))}: {same}")


if __name__ == "__main__":
    main()
