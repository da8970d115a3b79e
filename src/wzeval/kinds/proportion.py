"""``proportion``: credit in proportion — ``share × passed / checked`` (spot checks)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from wzeval.core._codes import WZ502
from wzeval.core._errors import ExpressionError
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
    NotAssessedYet,
    Outcome,
    RuleKind,
    Scorer,
    Targets,
    Unusual,
    fast_count,
    shown,
)
from wzeval.model._modelbase import Expr, StrictModel

__all__ = ["KIND", "Proportion"]


class Proportion(StrictModel):
    """Credit in proportion: ``share × passed / checked`` (random spot checks).

    ``checked == 0`` means the item was not assessed, not a free pass.
    """

    passed: Expr
    checked: Expr


class ProportionKind(RuleKind):
    key = "proportion"
    annotation = Proportion
    description = "share × passed / checked; no checks made means not assessed"
    label = "比例"
    title = N_("proportion (passed ÷ checked)")
    order = 50
    merge = "fields"
    diff_fields: ClassVar[DiffFields] = {Proportion: {"passed": True, "checked": True}}

    def compile(
        self, rule: Proportion, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        passed = c.expr(rule.passed, (*path, "passed"), Kind.INT)
        checked = c.expr(rule.checked, (*path, "checked"), Kind.INT)
        if passed is None or checked is None:
            return None
        return {"passed": passed, "checked": checked}

    def plan(self, rule: Proportion, share: Fraction, weight: Fraction) -> Fraction:
        return share

    def evaluate(
        self,
        rule: Proportion,
        plan: Fraction,
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        item_id = s.item_id
        passed = s.count(exprs["passed"], _("passed checks of {item!r}").format(item=item_id))
        checked = s.count(exprs["checked"], _("checks made for {item!r}").format(item=item_id))
        if checked == 0:
            raise NotAssessedYet(_("no checks made (not assessed, not counted as earned)"))
        if passed > checked:
            raise ExpressionError(
                WZ502,
                _("item {item!r}: {passed} checks passed but only {checked} were made").format(
                    item=item_id, passed=passed, checked=checked
                ),
                hint=_("passed checks cannot exceed checks made"),
            )
        credit = plan * Fraction(passed, checked)
        reason = _("{passed}/{checked} checks passed: {credit}").format(
            passed=passed, checked=checked, credit=shown(credit)
        )
        return Outcome(credit, reason, ("full" if passed == checked else "partial",))

    def fast(
        self,
        rule: Proportion,
        plan: Fraction,
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        passed_of, checked_of = exprs["passed"].fast(), exprs["checked"].fast()
        whole = plan * weight
        num, den = whole.numerator, whole.denominator

        def run(env: Mapping[str, object]) -> Fraction:
            passed = fast_count(passed_of, env)
            checked = fast_count(checked_of, env)
            if checked == 0 or passed > checked:
                raise Unusual(passed, checked)
            return Fraction(num * passed, den * checked)

        return run

    def sources(self, rule: Proportion) -> list[str]:
        return [rule.passed, rule.checked]

    def targets(
        self,
        rule: Proportion,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        same = rule.passed.strip() == rule.checked.strip()
        t.add("partial", "proportion-partial", "some checks fail", path, not same)
        t.add("full", "proportion-full", "every check passes", path)

    def never_earns(self, rule: Proportion, share: Fraction, t: Analysis) -> str | None:
        return _("no check can ever pass") if t.constant(rule.passed) == 0 else None

    def always_full(self, rule: Proportion, share: Fraction, t: Analysis) -> str | None:
        same = rule.passed.strip() == rule.checked.strip()
        return _("passed and checked are the same expression") if same else None

    def describe(self, rule: Proportion, share: Fraction, d: Describer) -> list[str]:
        return [
            "- "
            + _("Points = share × passed ÷ checked; passed {passed}, checked {checked}").format(
                passed=d.code(rule.passed), checked=d.code(rule.checked)
            ),
            "- "
            + _("When nothing is checked the item is not assessed (it does not earn full marks)"),
            "",
        ]

    def diff(self, old: Proportion, new: Proportion, path: DocPath, d: Differ) -> None:
        d.fields("proportion", path, old, new)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> dict[str, Any]:
        return {"passed": facts.count(), "checked": facts.count()}


KIND = ProportionKind()
