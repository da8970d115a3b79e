"""Shared helpers of the benchmarks: timing, machine facts, import paths."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "findings"
RULEBOOK = ROOT / "rulebooks" / "2023.yaml"

# The benchmarks import their siblings (handwritten_2023, zen_2023, findings_gen) by name.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


def machine() -> str:
    """nproc, CPU model and Python version, for the record."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"nproc={os.cpu_count()}, CPU {model}, Python {platform.python_version()}, "
        f"load average {load:.2f} at start"
    )


def per_call(
    fn: Callable[[], object],
    *,
    min_time: float = 0.2,
    repeat: int = 7,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Seconds per call of ``fn``: the best of ``repeat`` timed loops (as timeit does),
    each loop running at least ``min_time`` seconds.  The best loop is the one least
    disturbed by other processes on a shared machine.  ``clock=time.process_time``
    counts this process's CPU time instead of wall time."""
    fn()
    n = 1
    while True:
        t = clock()
        for _ in range(n):
            fn()
        dt = clock() - t
        if dt >= min_time / 4:
            break
        n *= 2
    n = max(1, int(n * (min_time / max(dt, 1e-9))))
    best = []
    for _ in range(repeat):
        t = clock()
        for _ in range(n):
            fn()
        best.append((clock() - t) / n)
    return min(best)


def interleaved(
    fns: dict[str, Callable[[], object]],
    *,
    min_time: float = 0.2,
    rounds: int = 7,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, float]:
    """Seconds per call of each function: the best of ``rounds`` rounds, each round
    timing one loop of every function in turn (a loop lasts about ``min_time``), so a
    burst of load on a shared machine falls on all of them alike.  CPU time of this
    process by default (``clock``)."""
    loops: dict[str, int] = {}
    for label, fn in fns.items():
        fn()
        n = 1
        while True:
            t = time.perf_counter()
            for _ in range(n):
                fn()
            dt = time.perf_counter() - t
            if dt >= min_time / 4:
                break
            n *= 2
        loops[label] = max(1, int(n * (min_time / max(dt, 1e-9))))
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for label, fn in fns.items():
            n = loops[label]
            t = clock()
            for _ in range(n):
                fn()
            best[label] = min(best[label], (clock() - t) / n)
    return best


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"
