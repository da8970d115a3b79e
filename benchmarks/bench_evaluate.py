"""Evaluating the full 2023 rulebook for one in-memory findings document.

Compares, in one run on the same findings, timed in interleaved rounds (CPU time):

* ``wzeval.evaluate``: the engine's fast evaluation (the points; the explanation —
  every result, reason and fact read — built by the full evaluation when it is first
  read), and the same with the explanation read;
* the engine's full evaluation (every result explained as it is scored: what
  ``evaluate`` did before the fast evaluation) and its reference path
  (``reference=True``: simpleeval, the evaluator of record, validated results);
* ``handwritten_2023.score``: the rubric coded by hand in plain Python (the practical
  limit; points per indicator checked equal to the engine's);
* naive simpleeval: every expression of the rulebook through simpleeval's
  ``simple_eval(source, names=env, functions=...)`` (its compound-types evaluator,
  for list literals), a new evaluator and a new parse each time (expressions
  only, no scoring);
* GoRules ``zen-engine`` (``pip install -e '.[bench]'``) running the whole rubric as a
  JDM decision graph (``zen_2023.py``), with the findings flattened into its facts
  (and each part alone; points checked within 1e-6).

It prints the ratios of issue 15: goal 3, ``evaluate`` / hand-written (≤ 2×), and
goal 4, zen-engine with its flattening / ``evaluate`` (≥ 1).

Run: ``python benchmarks/bench_evaluate.py [--findings FILE] [--quick] [--options] [--profile]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from typing import Any

from _common import EXAMPLES, interleaved, machine, us

import wzeval
from wzeval.checking._checks import CompiledRulebook
from wzeval.checking._findings import Findings
from wzeval.expressions import FUNCTIONS, CompiledExpression
from wzeval.scoring._api import compiled, evaluate, load_findings
from wzeval.scoring._engine import _full, evaluate_compiled
from wzeval.scoring._fasteval import fast_plan


def _naive(rulebook: wzeval.Rulebook, findings: Findings) -> Any:
    """Every expression of the rulebook evaluated by ``simple_eval``, parsing each time."""
    import simpleeval

    functions = {name: spec.impl for name, spec in FUNCTIONS.items()}
    crb = compiled(rulebook)

    def simple_eval(source: str, env: dict[str, object]) -> object:
        # simple_eval() itself, but with list literals ([a, b]) allowed
        return simpleeval.EvalWithCompoundTypes(names=env, functions=functions).eval(source)

    def run() -> int:
        n = 0
        for cind in crb.indicators:
            facts = findings.facts.get(cind.indicator.id, {})
            env: dict[str, object] = {
                "monitoring_date": findings.monitoring_date,
                "department": findings.department,
                "catalogs": list(findings.catalogs),
                "true": True,
                "false": False,
            }
            env.update((k, r.value) for k, r in facts.items())
            exprs = []
            for name, e in cind.derived:
                env[name] = simple_eval(e.source, env)
            if cind.applies is not None:
                exprs.append(cind.applies)
            for it in cind.items:
                exprs.extend(it.exprs.values())
                exprs.extend(v.when for v in it.vetoes)
                exprs.extend(d.count for d in it.deductions)
            exprs.extend(v.when for v in cind.vetoes)
            exprs.extend(d.count for d in cind.deductions)
            for e in exprs:
                simple_eval(e.source, env)
                n += 1
        return n

    return run


def _per_expression(crb: CompiledRulebook) -> CompiledRulebook:
    """A copy of ``crb`` whose fast evaluation calls ``CompiledExpression.evaluate`` (its
    checks of every name it reads, each time) instead of the compiled code on names
    checked once per indicator: the option measured against the one chosen."""
    copy = dataclasses.replace(crb)  # its own cache, so its own fast evaluation
    fast = CompiledExpression.fast
    CompiledExpression.fast = lambda self: self.evaluate  # type: ignore[method-assign]
    try:
        fast_plan(copy)
    finally:
        CompiledExpression.fast = fast  # type: ignore[method-assign]
    return copy


def _profile(fn: Callable[[], object], n: int, top: int = 15) -> None:
    """cProfile's top entries (by own time) of ``n`` calls of ``fn``."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        fn()
    profile.disable()
    print(f"\ncProfile, {n} evaluations, top {top} by own time:")
    pstats.Stats(profile).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", default=str(EXAMPLES / "shengtaihuanjing-strong.yaml"))
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per timed loop")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    parser.add_argument(
        "--quick", action="store_true", help="leave out naive simple_eval (the slowest row)"
    )
    parser.add_argument(
        "--options",
        action="store_true",
        help="also time the fast evaluation calling evaluate() per expression",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile's top entries of evaluate"
    )
    args = parser.parse_args(argv)

    import handwritten_2023 as hw

    print(f"machine: {machine()}")
    rulebook = wzeval.load_rulebook()
    findings = load_findings(args.findings, rulebook)
    crb = compiled(rulebook)
    n_exprs = sum(
        len(c.derived)
        + (c.applies is not None)
        + len(c.vetoes)
        + len(c.deductions)
        + sum(len(i.exprs) + len(i.vetoes) + len(i.deductions) for i in c.items)
        for c in crb.indicators
    )
    print(f"findings: {args.findings} ({len(crb.indicators)} indicators, {n_exprs} expressions)")

    report = evaluate(rulebook, findings)
    hand = hw.score(findings)
    mismatched = [r.id for r in report.indicators if r.points != hand.points[r.id]]
    if mismatched or report.total != hand.total:
        print(f"ERROR: hand-written points differ on {mismatched}", file=sys.stderr)
        return 1

    fns: dict[str, Callable[[], object]] = {
        "wzeval evaluate (explanation built when read)": lambda: evaluate(rulebook, findings),
        "  … and the explanation read (report.indicators)": lambda: (
            evaluate(rulebook, findings).indicators
        ),
        "wzeval full evaluation (explained as it scores)": lambda: _full(
            crb, findings, False, False, None
        ),
        "wzeval evaluate, reference path (simpleeval)": lambda: evaluate_compiled(
            crb, findings, reference=True
        ),
        "hand-written plain Python (scores only)": lambda: hw.score(findings),
    }
    if not args.quick:
        fns["naive simple_eval of every expression"] = _naive(rulebook, findings)
    if args.options:
        per_expression = _per_expression(crb)
        fns["option: fast pass, evaluate() per expression"] = lambda: evaluate_compiled(
            per_expression, findings
        )
    zen_in = False
    try:
        import zen
        import zen_2023
    except ImportError:
        print("zen-engine not installed: pip install -e '.[bench]'")
    else:
        decision = zen.ZenEngine().create_decision(zen_2023.decision_graph())
        flat = zen_2023.flat_facts(findings)
        got = decision.evaluate(flat)["result"]
        off = [k for k, v in hand.points.items() if abs(float(v) - got["p"][k]) > 1e-6]
        if off or abs(float(hand.total) - got["total"]) > 1e-6:
            print(f"ERROR: zen-engine points differ on {off}", file=sys.stderr)
            return 1
        zen_in = True
        fns["zen-engine JDM, whole rubric, flattening included"] = lambda: decision.evaluate(
            zen_2023.flat_facts(findings)
        )
        fns["  zen-engine on flat facts only"] = lambda: decision.evaluate(flat)
        fns["  flattening the findings for zen only"] = lambda: zen_2023.flat_facts(findings)

    times = interleaved(fns, min_time=args.min_time, rounds=args.rounds)
    labels = list(fns)
    t_wz, t_hw = times[labels[0]], times["hand-written plain Python (scores only)"]
    print(f"\nCPU time per call, best of {args.rounds} interleaved rounds")
    print(f"{'':52} {'per evaluation':>16} {'× hand-written':>15}")
    for label, t in times.items():
        print(f"{label:52} {us(t):>16} {t / t_hw:>14.2f}×")
    print()
    print(f"goal 3  wzeval evaluate / hand-written:           {t_wz / t_hw:.2f}× (target ≤ 2×)")
    if zen_in:
        t_zen = times["zen-engine JDM, whole rubric, flattening included"]
        print(f"goal 4  zen-engine (with flattening) / wzeval:    {t_zen / t_wz:.2f}× (target ≥ 1)")
        t_bare = times["  zen-engine on flat facts only"]
        print(f"        zen-engine (flat facts only) / wzeval:    {t_bare / t_wz:.2f}×")
    t_read = times[labels[1]]
    print(f"        evaluate and read the explanation / hand-written: {t_read / t_hw:.2f}×")
    t_full = times[labels[2]]
    print(f"        full evaluation / evaluate:               {t_full / t_wz:.2f}×")
    if args.profile:
        _profile(lambda: evaluate(rulebook, findings), 100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
