"""A batch end to end: generated findings files → load, check, evaluate → JSON reports.

Writes ``--n`` generated findings (``findings_gen.py``, complete and valid for the
bundled 2023 rulebook) as YAML and as JSON into a temporary folder, then for each
format and each worker count (1 and 2 processes) scores every file the way
``wzeval score`` does (load the document, check it against the rulebook, evaluate)
and writes each report as JSON (``report.to_json()``) into an output folder.

Prints findings per second, the peak memory (max RSS of the parent and of each
worker, from ``resource.getrusage``) and the load step's share of the work (the
YAML/JSON parser with its safety scan, timed separately inside the workers).
The rulebook is loaded once per worker before the clock starts.

Run: ``python benchmarks/bench_batch.py [--n 10000] [--jobs 1 2] [--formats yaml json]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import machine

import wzeval
from wzeval.checking._findings import check_findings
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled
from wzeval.scoring._engine import evaluate_compiled

_STATE: dict[str, Any] = {}


def _init(out: str) -> None:
    rb = wzeval.load_rulebook()
    _STATE["crb"] = compiled(rb)
    _STATE["out"] = Path(out)


def _ready(_: int) -> int:
    time.sleep(0.05)  # lets every worker start (and load the rulebook) before timing
    return os.getpid()


def _score(path: str) -> tuple[float, float, bool]:
    """Score one file; returns (seconds loading, seconds for the rest, ok)."""
    t0 = time.perf_counter()
    doc = load_document(path)
    t1 = time.perf_counter()
    findings, _ = check_findings(doc, _STATE["crb"])
    ok = findings is not None
    if findings is not None:
        report = evaluate_compiled(_STATE["crb"], findings, explained=True)
        target = _STATE["out"] / (Path(path).stem + ".report.json")
        target.write_text(report.to_json(), encoding="utf-8")
    return t1 - t0, time.perf_counter() - t1, ok


def _rss(_: int) -> tuple[int, int]:
    time.sleep(0.05)
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run(files: list[str], jobs: int, out: Path) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_init, initargs=(str(out),)) as pool:
        pool.map(_ready, range(jobs * 2), chunksize=1)
        t = time.perf_counter()
        results = pool.map(_score, files, chunksize=max(1, min(64, len(files) // (jobs * 8))))
        wall = time.perf_counter() - t
        rss = dict(pool.map(_rss, range(jobs * 4), chunksize=1))
    load = sum(r[0] for r in results)
    rest = sum(r[1] for r in results)
    return {
        "wall": wall,
        "rate": len(files) / wall,
        "load_share": load / (load + rest),
        "per_file_load": load / len(files),
        "per_file_rest": rest / len(files),
        "failed": sum(1 for r in results if not r[2]),
        "worker_rss_mb": max(rss.values()) / 1024,
    }


def _steps(files: list[str], out: Path, fmt: str) -> None:
    """Mean CPU time of each step of scoring a file, in this process."""
    _init(str(out))
    out.mkdir(exist_ok=True)
    crb = _STATE["crb"]
    totals = dict.fromkeys(("load", "check", "evaluate", "to_json", "write"), 0.0)
    clock = time.process_time
    size = 0
    for path in files:
        t0 = clock()
        doc = load_document(path)
        t1 = clock()
        findings, _ = check_findings(doc, crb)
        t2 = clock()
        assert findings is not None
        report = evaluate_compiled(crb, findings, explained=True)
        t3 = clock()
        text = report.to_json()
        t4 = clock()
        size += len(text.encode("utf-8"))
        (out / (Path(path).stem + ".report.json")).write_text(text, encoding="utf-8")
        t5 = clock()
        for step, dt in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            totals[step] += dt
    n = len(files)
    whole = sum(totals.values())
    parts = ", ".join(f"{k} {v / n * 1e3:.2f} ms ({v / whole:.0%})" for k, v in totals.items())
    print(f"{fmt} steps, CPU per file over {n} files: {parts}; total {whole / n * 1e3:.2f} ms")
    print(f"{fmt}: mean JSON report size {size / n / 1024:.1f} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="findings files per format")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+", default=["json", "yaml"], choices=["json", "yaml"])
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--steps",
        action="store_true",
        help="also time each step (load, check, evaluate, to_json, write) in this process",
    )
    args = parser.parse_args(argv)

    import findings_gen

    print(f"machine: {machine()}")
    rulebook = wzeval.load_rulebook()
    tmp = Path(tempfile.mkdtemp(prefix="wzeval-bench-"))
    try:
        rng = random.Random(args.seed)
        t = time.perf_counter()
        files: dict[str, list[str]] = {f: [] for f in args.formats}
        for i in range(args.n):
            mapping = findings_gen.generate(rulebook, rng)
            for fmt in args.formats:
                folder = tmp / fmt
                folder.mkdir(exist_ok=True)
                path = folder / f"f{i:05d}.{fmt}"
                text = (
                    findings_gen.to_json(mapping)
                    if fmt == "json"
                    else findings_gen.to_yaml(mapping)
                )
                path.write_text(text, encoding="utf-8")
                files[fmt].append(str(path))
        size = {f: sum(Path(p).stat().st_size for p in files[f]) / len(files[f]) for f in files}
        print(
            f"generated {args.n} findings per format in {time.perf_counter() - t:.1f} s "
            f"(mean size: " + ", ".join(f"{f} {size[f] / 1024:.1f} KiB" for f in files) + ")"
        )
        print()
        print(
            f"{'format':6} {'jobs':>4} {'files/s':>9} {'wall':>9} {'load ms':>8} "
            f"{'rest ms':>8} {'load share':>10} {'worker RSS':>11}"
        )
        rates: dict[tuple[str, int], float] = {}
        for fmt in args.formats:
            for jobs in args.jobs:
                out = tmp / f"out-{fmt}-{jobs}"
                out.mkdir()
                r = _run(files[fmt], jobs, out)
                if r["failed"]:
                    print(f"ERROR: {r['failed']} files failed", file=sys.stderr)
                    return 1
                rates[fmt, jobs] = r["rate"]
                print(
                    f"{fmt:6} {jobs:>4} {r['rate']:>9.1f} {r['wall']:>8.1f}s "
                    f"{r['per_file_load'] * 1e3:>8.2f} {r['per_file_rest'] * 1e3:>8.2f} "
                    f"{r['load_share']:>10.0%} {r['worker_rss_mb']:>9.1f}MB"
                )
                shutil.rmtree(out)
        if args.steps:
            for fmt in args.formats:
                _steps(files[fmt][:500], tmp / "steps", fmt)
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nparent peak RSS {parent:.1f} MB")
        for fmt in args.formats:
            if (fmt, 1) in rates and (fmt, 2) in rates:
                print(f"{fmt}: 2 workers / 1 worker = {rates[fmt, 2] / rates[fmt, 1]:.2f}×")
        if "json" in args.formats and "yaml" in args.formats:
            for jobs in args.jobs:
                print(
                    f"jobs={jobs}: JSON / YAML throughput = "
                    f"{rates['json', jobs] / rates['yaml', jobs]:.2f}×"
                )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
