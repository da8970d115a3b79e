"""``tiers``: ordered rows — the first row whose condition holds gives its credit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar

from wzeval.core._i18n import N_, _
from wzeval.expressions import CompiledExpression, Kind
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    Differ,
    DiffFields,
    DocPath,
    DrawFacts,
    FastPoints,
    FastTaken,
    Outcome,
    RowAnalysis,
    RowIssue,
    RuleKind,
    Scorer,
    Targets,
    shown,
)
from wzeval.model._conditions import Condition, Ranges, TooComplex
from wzeval.model._modelbase import Amount, Expr, Label, StrictModel, format_amount

__all__ = ["KIND", "Tier", "regions"]

_ZERO = Fraction(0)


class Tier(StrictModel):
    """One row of ordered tiers: the first row whose condition holds gives its credit."""

    when: Expr
    credit: Amount
    label: Label | None = None


def regions(rows: list[Tier], t: Analysis) -> list[tuple[int, Condition | None, Condition | None]]:
    """Per row: its condition and (an upper bound of) the cases it really decides —
    its condition minus what earlier rows already match; ``None`` when unknown."""
    out: list[tuple[int, Condition | None, Condition | None]] = []
    earlier: Condition | None = None
    for i, tier in enumerate(rows):
        cond = t.condition(tier.when)
        region = None
        if cond is not None:
            try:
                region = cond.minus(earlier) if earlier is not None else cond
                earlier = cond if earlier is None else earlier.union(cond)
            except TooComplex:
                region = None
        out.append((i, cond, region))
    return out


def _row(i: int) -> str:
    return _("row {n}").format(n=i + 1)


def _earlier_cover(cond: Condition, earlier: Sequence[tuple[int, Condition]]) -> list[int]:
    """The earlier rows (indexes) whose conditions overlap ``cond``."""
    try:
        return [j for j, c in earlier if not c.intersect(cond).is_empty()]
    except TooComplex:
        return [j for j, _ in earlier]


def _union_all(conds: Sequence[Condition]) -> Condition | None:
    """The union of conditions (``None`` when empty or too complex)."""
    if not conds:
        return None
    union = conds[0]
    try:
        for c in conds[1:]:
            union = union.union(c)
    except TooComplex:
        return None
    return union


def _unreachable(rows: list[Tier], path: DocPath, item: str, t: RowAnalysis) -> Iterator[RowIssue]:
    """WL002: rows whose condition is never true, or whose cases earlier rows all take."""
    known: list[tuple[int, Condition]] = []
    for i, cond, region in regions(rows, t):
        where = (*path, i, "when")
        if cond is None:
            continue
        if cond.is_empty():
            yield RowIssue(
                "WL002",
                where,
                _(
                    "{item}: tier {row} ({when!r}) can never match: its condition is never true"
                ).format(item=item, row=_row(i), when=rows[i].when),
                _("fix the condition or delete the row"),
            )
        elif region is not None and region.is_empty():
            covered = _earlier_cover(cond, known)
            by = ", ".join(str(j + 1) for j in covered)
            yield RowIssue(
                "WL002",
                where,
                _("{item}: tier {row} ({when!r}) is never reached: ").format(
                    item=item, row=_row(i), when=rows[i].when
                )
                + (
                    _("rows {by} already match").format(by=by)
                    if len(covered) > 1
                    else _("row {by} already matches").format(by=by)
                )
                + _(" every case it matches"),
                _("order tiers from the most to the least demanding row"),
            )
        known.append((i, cond))


def _gaps(rows: list[Tier], path: DocPath, item: str, t: RowAnalysis) -> Iterator[RowIssue]:
    """WL003: values between rows that compare one term with constants match no row."""
    conds = [t.condition(tier.when) for tier in rows]
    if any(c is None for c in conds) or len(conds) < 2:
        return
    live = [c for c in conds if c is not None and not c.is_empty()]
    terms = {term for c in live for term in c.terms}
    if len(terms) != 1 or any(not c.terms for c in live):
        return
    term = next(iter(terms))
    union = _union_all(live)
    if union is None:
        return
    covered = union.values_of(term)
    if not isinstance(covered, Ranges) or not covered.parts:
        return
    domain = t.domain(term)
    assert isinstance(domain, Ranges)
    gaps = covered.complement().intersect(domain)
    lo, hi = covered.parts[0], covered.parts[-1]
    inner = [
        g
        for g in gaps.parts
        if g.lo is not None
        and g.hi is not None
        and (lo.hi is not None and g.lo >= lo.hi)
        and (hi.lo is not None and g.hi <= hi.lo)
    ]
    if inner:
        values = t.show(term, Ranges(tuple(inner), covered.discrete))
        yield RowIssue(
            "WL003",
            path,
            _(
                "{item}: {term} = {values} matches no tier row and earns "
                "0, though values on both sides do"
            ).format(item=item, term=term, values=values),
            _("make the rows meet, or add a row with credit 0% to say so"),
            key=True,
        )


class Tiers(RuleKind):
    key = "tiers"
    annotation = list[Tier]
    description = "ordered rows: the first whose condition holds gives its credit"
    label = "档次"
    title = N_("tiers (the first that holds)")
    order = 20
    diff_fields: ClassVar[DiffFields] = {Tier: {"when": True, "credit": True, "label": False}}
    diff_members: ClassVar[Mapping[str, bool]] = {"tier": True}

    def compile(
        self, rule: list[Tier], path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        out: dict[str, CompiledExpression] = {}
        ok = True
        for i, tier in enumerate(rule):
            expr = c.expr(tier.when, (*path, i, "when"), Kind.BOOL)
            c.at_most_share(tier.credit, (*path, i, "credit"))
            if expr is None:
                ok = False
            else:
                out[f"tier{i + 1}"] = expr
        return out if ok else None

    def plan(self, rule: list[Tier], share: Fraction, weight: Fraction) -> tuple[Outcome, ...]:
        out = []
        for i, tier in enumerate(rule):
            said = _("tier {n} ({label}): {credit}") if tier.label else _("tier {n}: {credit}")
            reason = said.format(n=i + 1, label=tier.label, credit=shown(tier.credit))
            out.append(Outcome(tier.credit, reason, (f"tier{i + 1}",), tier.credit * weight))
        return tuple(out)

    def evaluate(
        self,
        rule: list[Tier],
        plan: tuple[Outcome, ...],
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        for outcome, expr in zip(plan, exprs.values(), strict=True):
            if s.run(expr):
                return outcome
        return Outcome(_ZERO, _("no tier reached: 0"), (), _ZERO)

    def fast(
        self,
        rule: list[Tier],
        plan: tuple[Outcome, ...],
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        rows = tuple(
            (expr.fast(), outcome.points)
            for outcome, expr in zip(plan, exprs.values(), strict=True)
        )

        def run(env: Mapping[str, object]) -> Fraction:
            for when, points in rows:
                if when(env):
                    assert points is not None
                    return points
            return _ZERO

        return run

    def sources(self, rule: list[Tier]) -> list[str]:
        return [tier.when for tier in rule]

    def targets(
        self,
        rule: list[Tier],
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        for (i, _when, region), tier in zip(regions(rule, t), rule, strict=True):
            label = f" ({tier.label})" if tier.label else ""
            t.add(
                f"tier{i + 1}",
                "tier",
                f"tier row {i + 1}{label} → {format_amount(tier.credit)}",
                (*path, i),
                region is None or not region.is_empty(),
            )

    def never_earns(self, rule: list[Tier], share: Fraction, t: Analysis) -> str | None:
        if all(tier.credit == 0 for tier in rule):
            return _("every tier row gives 0")
        if all(
            rule[i].credit == 0 or (r is not None and r.is_empty()) for i, _, r in regions(rule, t)
        ):
            return _("no tier row that gives credit can ever match")
        return None

    def always_full(self, rule: list[Tier], share: Fraction, t: Analysis) -> str | None:
        rows = regions(rule, t)
        conds = [c for _, c, _ in rows if c is not None]
        union: Condition | None = conds[0] if conds else None
        try:
            for c in conds[1:]:
                union = c if union is None else union.union(c)
        except TooComplex:
            union = None
        if (
            union is not None
            and union.is_universal()
            and all(rule[i].credit == share or (r is not None and r.is_empty()) for i, _, r in rows)
        ):
            return _("every tier row that can match gives the whole share")
        return None

    def lint_rows(
        self, rule: list[Tier], path: DocPath, item: str, t: RowAnalysis
    ) -> Iterator[RowIssue]:
        yield from _unreachable(rule, path, item, t)
        yield from _gaps(rule, path, item, t)

    def describe(self, rule: list[Tier], share: Fraction, d: Describer) -> list[str]:
        head = " | ".join((_("Tier"), _("Condition"), _("Points")))
        out = [f"| {head} |", "|---|---|---|"]
        for n, tier in enumerate(rule, 1):
            label = f"{n}. {tier.label}" if tier.label else str(n)
            out.append(f"| {d.cell(label)} | {d.code(tier.when)} | {d.share(tier.credit)} |")
        out.append("| " + _("Otherwise") + " | — | 0 |")
        return [_("The first tier from the top whose condition holds:"), "", *out, ""]

    def diff(self, old: list[Tier], new: list[Tier], path: DocPath, d: Differ) -> None:
        d.rows("tier", path, old, new)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> list[dict[str, Any]]:
        from hypothesis import strategies as st

        from wzeval.kinds.drawing import amount, parts

        n = draw(st.integers(1, 3))
        credits = parts(draw, n, decreasing=True)
        return [
            {"when": facts.flag(), "credit": amount(share * c), "label": f"第{i + 1}档"}
            for i, c in enumerate(credits)
        ]


KIND = Tiers()
