"""The fast evaluation: a report's figures alone, its explanation deferred.

Most callers read a report's figures, and only some of them its explanation.  The
fast evaluation computes the points alone — every rule kind's ``fast`` function, the
compiled expressions called directly on names checked once per indicator, the sums
in integers — and gives the fields of a deferred report (:func:`wzeval.model._report.deferred`)
whose results the full evaluation of :mod:`wzeval.scoring._engine` builds the first time they
are read.  It handles the usual case only: anything else (a fact missing, an item not
assessable yet, a pending state, a fired veto of a veto category, any error) is left
to the full evaluation, which then decides the report or the error
(docs/performance.md).  Findings that strict scoring refuses are refused by the
engine's early pass (``_refuse_early``): these fast points for the usual
indicators, the full evaluation for the others.  It is a module of its own so that
what it leaves out of the full evaluation can be read in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from wzeval import expressions
from wzeval.checking._applicability import shared_records
from wzeval.checking._checks import CompiledRulebook
from wzeval.checking._findings import Findings
from wzeval.checking._overall import Bases, bases_of, decide_grade, grade_values
from wzeval.expressions import CompiledExpression
from wzeval.kinds.base import FastPoints, FastTaken, fast_count
from wzeval.model._report import IndicatorResult, exact_total, trusted
from wzeval.scoring import _order
from wzeval.scoring._evalplan import (
    ZERO,
    DeductionPlan,
    IndicatorPlan,
    indicator_plans,
    report_header,
)

__all__ = ["FastIndicator", "IndicatorPoints", "fast_figures", "fast_plan", "fast_points"]

_ONE = Fraction(1)

_Run = Callable[[Mapping[str, object]], object]
_Checks = tuple[tuple[str, expressions.TypeInfo, frozenset[type]], ...]


class _Unusual(Exception):
    """These findings are for the full evaluation."""


@dataclass(frozen=True)
class _FastItem:
    points: FastPoints
    vetoes: tuple[_Run, ...]


@dataclass(frozen=True)
class FastIndicator:
    """One indicator's fast evaluation, made once per compiled rulebook."""

    plan: IndicatorPlan
    id: str
    kind: str
    category_id: str
    checks: _Checks  # every name any expression of the indicator reads
    derived: tuple[tuple[str, _Run, _Checks], ...]
    applies_checks: _Checks
    applies: _Run | None
    pending: tuple[_Run, ...]
    items: tuple[_FastItem, ...]
    vetoes: tuple[_Run, ...]
    taken: FastTaken  # the share the indicator's own deductions take
    den: int  # a common denominator of the items' whole points


def _fast_taken(plans: tuple[DeductionPlan, ...]) -> FastTaken:
    # in integers over one denominator: each amount and cap × den
    den = math.lcm(*(x.denominator for p in plans for x in (p.each, p.cap) if x is not None))
    rows = tuple(
        (
            p.cd.count.fast(),
            p.each.numerator * (den // p.each.denominator),
            None if p.cap is None else p.cap.numerator * (den // p.cap.denominator),
        )
        for p in plans
    )

    def taken(env: Mapping[str, object]) -> Fraction:
        total = 0
        for count, each, cap in rows:
            raw = each * fast_count(count, env)
            total += raw if cap is None or raw <= cap else cap
        return Fraction(total, den) if total else ZERO

    return taken


def _fast_indicator(p: IndicatorPlan) -> FastIndicator | None:
    cind = p.cind
    exprs: list[CompiledExpression] = [e for _n, e in cind.derived]
    if cind.applies is not None:
        exprs.append(cind.applies)
    for pend in cind.pending:
        exprs += (pend.when, pend.assessable_from)
    exprs += (v.when for v in cind.vetoes)
    exprs += (d.count for d in cind.deductions)
    items = []
    for ip in p.items:
        ci = ip.ci
        points = ip.kind.fast(ip.rule, ip.rule_plan, ci.exprs, p.weight, _fast_taken(ip.deductions))
        if points is None:
            return None
        items.append(_FastItem(points, tuple(v.when.fast() for v in ci.vetoes)))
        exprs += ci.exprs.values()
        exprs += (v.when for v in ci.vetoes)
        exprs += (d.count for d in ci.deductions)
    checks: dict[str, tuple[str, expressions.TypeInfo, frozenset[type]]] = {}
    for e in exprs:
        for check in e.checks:
            checks.setdefault(check[0], check)
    return FastIndicator(
        p,
        cind.indicator.id,
        cind.kind,
        cind.category_id,
        tuple(checks.values()),
        tuple((name, e.fast(), e.checks) for name, e in cind.derived),
        () if cind.applies is None else cind.applies.checks,
        None if cind.applies is None else cind.applies.fast(),
        tuple(pend.when.fast() for pend in cind.pending),
        tuple(items),
        tuple(v.when.fast() for v in cind.vetoes),
        _fast_taken(p.deductions),
        math.lcm(*(ip.static["max_points"].denominator for ip in p.items)),
    )


def fast_plan(crb: CompiledRulebook) -> tuple[FastIndicator, ...] | None:
    """Every indicator's fast evaluation (``None``: a rule kind has none)."""
    if "fast" not in crb.cache:
        fast = [_fast_indicator(p) for p in indicator_plans(crb)]
        crb.cache["fast"] = None if None in fast else tuple(cast(list[FastIndicator], fast))
    return cast(tuple[FastIndicator, ...] | None, crb.cache["fast"])


@dataclass(slots=True)
class IndicatorPoints:
    """What the order of scoring reads of an indicator's result (wzeval.checking._overall)."""

    id: str
    kind: str
    category_id: str
    points: Fraction
    max_points: Fraction
    #: none fired: a veto category's fired veto is for the full evaluation
    vetoes: tuple[()] = ()


def fast_points(f: FastIndicator, findings: Findings) -> IndicatorPoints:
    """One indicator's points, or :class:`_Unusual` (or any error) for the full path."""
    p = f.plan
    cind = p.cind
    facts = findings.facts.get(f.id, {})
    env: dict[str, object] = {
        "monitoring_date": findings.monitoring_date,
        "department": findings.department,
        "catalogs": list(findings.catalogs),
        "true": True,
        "false": False,
    }
    if cind.shared:
        for k, rec in shared_records(cind, findings.facts).items():
            env[k] = rec.value
    for k, rec in facts.items():
        env[k] = rec.value
    fits = expressions.fits
    for name, derive, derive_checks in f.derived:  # as fill_derived: left out when
        for read, info, plain in derive_checks:  # a fact it reads is missing
            if read not in env:
                break
            value = env[read]
            if type(value) not in plain and not fits(value, info, plain):
                raise _Unusual(read)
        else:
            env[name] = derive(env)
    if f.applies is not None:
        for name, info, plain in f.applies_checks:
            value = env[name]  # KeyError: a fact missing, for the full path
            if type(value) not in plain and not fits(value, info, plain):
                raise _Unusual(name)
        if not f.applies(env):
            return IndicatorPoints(f.id, f.kind, f.category_id, ZERO, ZERO)
    for name, info, plain in f.checks:
        value = env[name]  # KeyError: a fact missing
        if type(value) not in plain and not fits(value, info, plain):
            raise _Unusual(name)
    for when in f.pending:
        if when(env):
            raise _Unusual("pending")
    weight = p.weight
    if f.kind == "penalty":
        taken = f.taken(env)
        if not taken:
            return IndicatorPoints(f.id, f.kind, f.category_id, ZERO, weight)
        return IndicatorPoints(f.id, f.kind, f.category_id, -min(taken, _ONE) * abs(weight), weight)
    # the items' points in integers over a common denominator, reduced once
    num, den = 0, f.den
    for item in f.items:
        points = item.points(env)
        vetoed = False
        for veto in item.vetoes:
            if veto(env):
                vetoed = True
        if vetoed:
            continue
        n, d = points.numerator, points.denominator
        if d == den:
            num += n
        elif den % d == 0:
            num += n * (den // d)
        else:
            g = math.gcd(den, d)
            num = num * (d // g) + n * (den // g)
            den = den // g * d
    fired = False
    for veto in f.vetoes:
        if veto(env):
            fired = True
    taken = f.taken(env)
    if fired:
        if f.kind == "veto":
            raise _Unusual("site veto")
        points = ZERO
    elif taken:
        points = max(ZERO, Fraction(num, den) - taken * weight)
    else:  # max(0, earned)
        points = Fraction(num, den) if num > 0 else ZERO
    return IndicatorPoints(f.id, f.kind, f.category_id, points, weight)


def fast_figures(
    crb: CompiledRulebook, findings: Findings, known: dict[str, IndicatorPoints] | None = None
) -> dict[str, Any] | None:
    """The fields of the fast evaluation's deferred report; ``None``: for the full one.
    Each indicator's points, as they are worked out, go into ``known`` (by id)."""
    indicators = fast_plan(crb)
    if indicators is None:
        return None
    try:
        return _figures(crb, indicators, findings, {} if known is None else known)
    except Exception:  # the full evaluation decides: its report, or its error
        return None


def _add(acc: list[int], value: Fraction) -> None:
    """Add ``value`` to ``acc``, a fraction kept as [numerator, denominator] unreduced:
    the sums are reduced once, when they are read, not at every step."""
    n, d = value.numerator, value.denominator
    if d == acc[1]:
        acc[0] += n
    else:
        g = math.gcd(acc[1], d)
        acc[0] = acc[0] * (d // g) + n * (acc[1] // g)
        acc[1] = acc[1] // g * d


def _in_order(
    crb: CompiledRulebook,
    indicators: tuple[FastIndicator, ...],
    findings: Findings,
    known: dict[str, IndicatorPoints],
) -> list[IndicatorPoints]:
    """The order of scoring (:mod:`wzeval.scoring._order`) on points alone: every
    indicator the report lists, in table order."""
    scored: dict[str, IndicatorPoints] = {}

    def score(kinds: tuple[str, ...], stopped: Mapping[str, _order.Stop]) -> None:
        for f in indicators:
            if f.kind in kinds and f.category_id not in stopped:
                scored[f.id] = known[f.id] = fast_points(f, findings)

    # a fired veto of a veto category went to the full path: nothing is stopped by one
    order = _order.in_order(crb, cast(dict[str, IndicatorResult], scored), score)
    return _order.listed((f.plan for f in indicators), scored, order.stopped, _stopped)


def _stopped(p: IndicatorPlan, why: object) -> IndicatorPoints:
    """An indicator of a stopped category: no points, out of the base."""
    cind = p.cind
    return IndicatorPoints(cind.indicator.id, cind.kind, cind.category_id, ZERO, ZERO)


def _figures(
    crb: CompiledRulebook,
    indicators: tuple[FastIndicator, ...],
    findings: Findings,
    known: dict[str, IndicatorPoints],
) -> dict[str, Any]:
    """The fields of the report that the fast evaluation knows."""
    rb = crb.rulebook
    ordered = _in_order(crb, indicators, findings, known)
    # each category's points (and the base's weights) in integers, reduced once
    sums: dict[str, list[int]] = {c.id: [0, 1] for c in rb.categories}
    possible = [0, 1]
    for r in ordered:
        if r.points:
            _add(sums[r.category_id], r.points)
        if r.kind == "base":
            _add(possible, r.max_points)
    category_points = {c: Fraction(n, d) for c, (n, d) in sums.items()}
    if rb.parts:
        bases = bases_of(cast(list[IndicatorResult], ordered), rb)
    else:
        raw = exact_total(category_points[c.id] for c in rb.categories if c.kind == "base")
        whole = Fraction(possible[0], possible[1])
        bases = Bases(raw, whole, raw * 100 / whole if whole else ZERO, {}, {})
    bonus = exact_total(category_points[c.id] for c in rb.categories if c.kind == "bonus")
    penalty = exact_total(category_points[c.id] for c in rb.categories if c.kind == "penalty")
    total = bases.base + bonus + penalty
    figures = grade_values(
        vetoed=False,
        bases=bases,
        bonus=bonus,
        penalty=penalty,
        total=total,
        category_points=category_points,
    )
    decided = decide_grade(crb.overall.grades, figures)
    header = report_header(
        crb,
        findings,
        trusted,
        complete=True,
        bases=bases,
        bonus=bonus,
        penalty=penalty,
        total=total,
    )
    return {**header, "vetoed": False, "grade": None if decided is None else decided.grade.grade}
