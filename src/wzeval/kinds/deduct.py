"""``deduct``: start from the share and deduct per occurrence, down to 0."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from wzeval.core._i18n import N_, _
from wzeval.expressions import CompiledExpression
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    Differ,
    DocPath,
    DrawFacts,
    FastPoints,
    FastTaken,
    Outcome,
    RuleKind,
    Scorer,
    Targets,
    deduction_outcome,
    shown,
)
from wzeval.model._modelbase import Deduction

__all__ = ["KIND"]


class Deduct(RuleKind):
    key = "deduct"
    annotation = list[Deduction]
    description = "start from the share and deduct per occurrence, down to 0"
    label = "扣分"
    title = N_("deduct (per occurrence)")
    order = 70
    merge = "by_id"
    member = "deduction"

    def compile(
        self, rule: list[Deduction], path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        compiled = c.deductions(rule, path)
        if compiled is None:
            return None
        return {f"{d.deduction.id}": d.count for d in compiled}

    def plan(self, rule: list[Deduction], share: Fraction, weight: Fraction) -> Outcome:
        return Outcome(
            share, _("no deductions: {credit}").format(credit=shown(share)), (), share * weight
        )

    def evaluate(
        self,
        rule: list[Deduction],
        plan: Outcome,
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        results, taken = s.deductions()
        share = plan.credit
        matched = tuple(
            f"{d.id}:{deduction_outcome(d.count, d.capped, d.amount, d.cap)}" for d in results
        )
        taken = min(taken, share)
        if not taken:
            return Outcome(share, plan.reason, matched, plan.points, tuple(results))
        credit = share - taken
        reason = _("{taken} deducted: {credit}").format(taken=shown(taken), credit=shown(credit))
        return Outcome(credit, reason, matched, None, tuple(results))

    def fast(
        self,
        rule: list[Deduction],
        plan: Outcome,
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        share, whole = plan.credit, plan.points
        assert whole is not None

        def run(env: Mapping[str, object]) -> Fraction:
            took = min(taken(env), share)
            return (share - took) * weight if took else whole

        return run

    def sources(self, rule: list[Deduction]) -> list[str]:
        return [d.count or d.when or "" for d in rule]

    def sourced_parts(self, rule: list[Deduction]) -> list[Any]:
        return list(rule)

    def targets(
        self,
        rule: list[Deduction],
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        t.deductions(rule, share)

    def never_earns(self, rule: list[Deduction], share: Fraction, t: Analysis) -> str | None:
        least = Fraction(0)
        for d in rule:
            low = t.count_range(d.counted).parts
            n = low[0].lo if low and low[0].lo is not None else Fraction(0)
            cap = d.cap if d.cap is not None else share
            least += min(d.each * n, cap)
        if least >= share:
            return _("its deductions always take the whole share")
        return None

    def always_full(self, rule: list[Deduction], share: Fraction, t: Analysis) -> str | None:
        for d in rule:
            parts = t.count_range(d.counted).parts
            if parts and (parts[-1].hi is None or parts[-1].hi > 0):
                return None
        return _("none of its deductions can ever count an occurrence")

    def describe(self, rule: list[Deduction], share: Fraction, d: Describer) -> list[str]:
        return [
            _(
                "Deducted per occurrence from this item's share, each deduction up to its"
                " cap, the item never below 0:"
            ),
            "",
            *d.deductions(rule, _("this item's share, {share}").format(share=d.share(share))),
        ]

    def diff(self, old: list[Deduction], new: list[Deduction], path: DocPath, d: Differ) -> None:
        d.keyed("deduction", path, old, new)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> list[dict[str, Any]]:
        from hypothesis import strategies as st

        from wzeval.kinds.drawing import amount, each

        n = draw(st.integers(1, 3))
        deds: list[dict[str, Any]] = []
        for i in range(n):
            ded: dict[str, Any] = {
                "id": f"d{i + 1}",
                "count": facts.count(),
                "each": amount(each(draw)),
            }
            if draw(st.booleans()):
                ded["cap"] = amount(share * Fraction(draw(st.integers(1, 4)), 4))
            deds.append(ded)
        return deds


KIND = Deduct()
