"""``tiers``: ordered rows — the first row whose condition holds gives its credit."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from wzeval.conditions import Condition, TooComplex
from wzeval.expressions import CompiledExpression, Kind
from wzeval.i18n import _
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    Differ,
    DiffFields,
    DrawFacts,
    FastPoints,
    FastTaken,
    Outcome,
    Path,
    RuleKind,
    Scorer,
    Targets,
    shown,
)
from wzeval.modelbase import Amount, Expr, Label, StrictModel, format_amount

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


class Tiers(RuleKind):
    key = "tiers"
    annotation = list[Tier]
    description = "ordered rows: the first whose condition holds gives its credit"
    label = "档次"
    title = "分档 tiers"
    order = 20
    diff_fields: ClassVar[DiffFields] = {Tier: {"when": True, "credit": True, "label": False}}
    diff_members: ClassVar[Mapping[str, bool]] = {"tier": True}

    def compile(
        self, rule: list[Tier], path: Path, c: Compiler
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
            label = f"（{tier.label}）" if tier.label else ""
            reason = f"第 {i + 1} 档{label}，得 {shown(tier.credit)}"
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
        return Outcome(_ZERO, "未达到任何档次，得 0", (), _ZERO)

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
        path: Path,
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

    def describe(self, rule: list[Tier], share: Fraction, d: Describer) -> list[str]:
        out = ["| 档次 | 条件 | 得分 |", "|---|---|---|"]
        for n, tier in enumerate(rule, 1):
            label = f"{n}. {tier.label}" if tier.label else str(n)
            out.append(f"| {d.cell(label)} | {d.code(tier.when)} | {d.share(tier.credit)} |")
        out.append("| 其余情况 | — | 0 |")
        return ["自上而下取第一个条件成立的档次：", "", *out, ""]

    def diff(self, old: list[Tier], new: list[Tier], path: Path, d: Differ) -> None:
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
