"""The cheap CPU wins of issue 15, each against the old way in the same run.

1. ``report.exact_text``, the serialiser of every exact figure of a report: the old
   ``functools.lru_cache`` keyed by the ``Fraction`` itself (hashing a Fraction is a
   modular inverse, and a hit still compares Fractions), the same cache keyed by
   ``(numerator, denominator)``, and no cache at all, over the figures of real
   reports in the order a report serialises them.
2. The cyclic collector during a batch: scoring generated findings the way a
   ``wzeval score DIR`` worker does (read, check, evaluate, the report's JSON),
   with the collector as it is, with the loaded rulebook frozen out of its passes
   (``gc.freeze()``), with a higher generation-0 threshold, and with both, in
   interleaved rounds (CPU time, best round of each).

Run: ``python benchmarks/bench_cheap.py [--n 100] [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from _common import EXAMPLES, machine, per_call

import wzeval
import wzeval.model._report as report_module
from wzeval.reading._documents import read_document
from wzeval.scoring._api import score_document


def _text(value: Fraction) -> str:
    """exact_text's body, as it was."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        dec = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{dec.normalize():f}"
    return f"{value.numerator}/{value.denominator}"


@functools.lru_cache(maxsize=4096)
def _by_fraction(value: Fraction) -> str:  # the old exact_text
    return _text(value)


@functools.lru_cache(maxsize=4096)
def _by_pair(numerator: int, denominator: int) -> str:
    return _text(Fraction(numerator, denominator))


def _pair(value: Fraction) -> str:
    return _by_pair(value.numerator, value.denominator)


def _figures(obj: object) -> Iterator[Fraction]:
    """Every Fraction of a report, in field order (as its serialiser meets them)."""
    if isinstance(obj, Fraction):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _figures(x)
    elif hasattr(type(obj), "model_fields"):
        for name in type(obj).model_fields:
            yield from _figures(getattr(obj, name))


def bench_exact_text() -> None:
    rb = wzeval.load_rulebook()
    reports = [wzeval.score(p, rb, partial=True) for p in sorted(EXAMPLES.glob("*.yaml"))]
    # fresh Fraction objects each pass, as a report's figures are (equal values, new objects)
    values = [Fraction(f.numerator, f.denominator) for r in reports for f in _figures(r)]
    for fn in (_by_fraction, _pair, _text):
        assert [fn(v) for v in values] == [_text(v) for v in values]
    now = report_module.exact_text

    def run(fn: Callable[[Fraction], str]) -> Callable[[], object]:
        return lambda: [fn(v) for v in values]

    t_old = per_call(run(_by_fraction))
    t_pair = per_call(run(_pair))
    t_none = per_call(run(_text))
    t_now = per_call(run(now))
    n = len(values)
    print(f"\n1. exact_text over {n} figures of {len(reports)} example reports (per figure):")
    print(f"   lru_cache keyed by the Fraction (old)  {t_old / n * 1e9:8.0f} ns  1.00×")
    print(
        f"   lru_cache keyed by (num, den)          {t_pair / n * 1e9:8.0f} ns  "
        f"{t_pair / t_old:.2f}×"
    )
    print(
        f"   no cache                               {t_none / n * 1e9:8.0f} ns  "
        f"{t_none / t_old:.2f}×"
    )
    print(
        f"   report.exact_text as it is now         {t_now / n * 1e9:8.0f} ns  {t_now / t_old:.2f}×"
    )
    t_json = per_call(lambda: [r.to_json() for r in reports])
    print(f"   (report.to_json now: {t_json / len(reports) * 1e3:.2f} ms a report)")


def _write_findings(folder: Path, n: int) -> list[Path]:
    import findings_gen

    rb = wzeval.load_rulebook()
    rng = random.Random(15)
    paths = []
    for i in range(n):
        path = folder / f"f{i:04d}.json"
        path.write_text(findings_gen.to_json(findings_gen.generate(rb, rng)), encoding="utf-8")
        paths.append(path)
    return paths


def bench_gc(n: int, rounds: int) -> None:
    rb = wzeval.load_rulebook()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write_findings(Path(tmp), n)

        def batch() -> None:
            for path in paths:
                report, _ = score_document(read_document(path), rb, explained=True)
                if report is not None:  # some generated dates fall after the monitoring date
                    json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)

        batch()  # warm: the rulebook's plan and caches
        threshold = gc.get_threshold()
        configs: dict[str, tuple[bool, int]] = {
            f"collector as it is (threshold {threshold[0]})": (False, threshold[0]),
            "gc.freeze() after loading the rulebook": (True, threshold[0]),
            "generation-0 threshold 10,000": (False, 10_000),
            "gc.freeze() and threshold 10,000": (True, 10_000),
        }
        best = dict.fromkeys(configs, float("inf"))
        for _ in range(rounds):
            for name, (freeze, gen0) in configs.items():
                gc.collect()
                if freeze:
                    gc.freeze()
                gc.set_threshold(gen0, *threshold[1:])
                t = time.process_time()
                try:
                    batch()
                finally:
                    dt = time.process_time() - t
                    gc.set_threshold(*threshold)
                    gc.unfreeze()
                best[name] = min(best[name], dt)
    base = best[next(iter(configs))]
    print(f"\n2. the collector, scoring {n} generated JSON findings in one process")
    print(
        f"   (read, check, evaluate, report JSON; CPU time, best of {rounds} interleaved rounds):"
    )
    for name, dt in best.items():
        print(f"   {name:45s} {dt / n * 1e3:6.2f} ms a file  {dt / base:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="files per round of the gc part")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", choices=["exact_text", "gc"])
    args = ap.parse_args()
    print(machine())
    if args.only in (None, "exact_text"):
        bench_exact_text()
    if args.only in (None, "gc"):
        bench_gc(args.n, args.rounds)


if __name__ == "__main__":
    main()
