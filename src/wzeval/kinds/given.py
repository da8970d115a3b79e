"""``given``: a score given from outside (a panel's mean, an editorial office's points)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from wzeval.core._codes import WZ503
from wzeval.core._errors import ExpressionError
from wzeval.core._i18n import N_, _
from wzeval.expressions import CompiledExpression
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
    RuleKind,
    Scorer,
    Targets,
    Unusual,
    shown,
)
from wzeval.model._modelbase import Expr, Number, StrictModel
from wzeval.model._report import exact_text

__all__ = ["KIND", "Given"]

_ZERO = Fraction(0)
_OUT_OF = [Decimal(1), Decimal("2.5"), Decimal(3), Decimal(5), Decimal(10), Decimal(100)]


class Given(StrictModel):
    """A score given from outside (a panel's mean, an editorial office's points).

    Credit = share × value / out_of; the fact's own min/max keep the value in range.
    """

    value: Expr
    out_of: Number = Field(gt=0)


class GivenKind(RuleKind):
    key = "given"
    annotation = Given
    description = "share × value / out_of, for a score given from outside"
    label = "给分"
    title = N_("given (a score from outside)")
    order = 80
    merge = "fields"
    diff_fields: ClassVar[DiffFields] = {Given: {"value": True, "out_of": True}}

    def compile(
        self, rule: Given, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        expr = c.expr(rule.value, (*path, "value"), "number")
        return None if expr is None else {"value": expr}

    def plan(self, rule: Given, share: Fraction, weight: Fraction) -> tuple[Fraction, Fraction]:
        return share, Fraction(rule.out_of)

    def evaluate(
        self,
        rule: Given,
        plan: tuple[Fraction, Fraction],
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        share, out_of = plan
        raw = s.run(exprs["value"])
        if isinstance(raw, bool) or not isinstance(raw, int | Fraction):
            raise ExpressionError(
                WZ503, _("item {item!r}: the given score is not a number").format(item=s.item_id)
            )
        value = Fraction(raw)
        if not _ZERO <= value <= out_of:
            raise ExpressionError(
                WZ503,
                _("item {item!r}: the given score {value} is outside 0–{out_of}").format(
                    item=s.item_id, value=exact_text(value), out_of=rule.out_of
                ),
                hint=_("a given score must lie between 0 and out_of"),
            )
        credit = share * value / out_of
        reason = _("given {value}/{out_of}: {credit}").format(
            value=exact_text(value), out_of=rule.out_of, credit=shown(credit)
        )
        return Outcome(credit, reason, ("given",))

    def fast(
        self,
        rule: Given,
        plan: tuple[Fraction, Fraction],
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        share, out_of = plan
        value_of = exprs["value"].fast()

        def run(env: Mapping[str, object]) -> Fraction:
            raw = value_of(env)
            if type(raw) is not int and type(raw) is not Fraction:
                raise Unusual(raw)
            value = Fraction(raw)
            if not _ZERO <= value <= out_of:
                raise Unusual(raw)
            return share * value / out_of * weight

        return run

    def sources(self, rule: Given) -> list[str]:
        return [rule.value]

    def targets(
        self,
        rule: Given,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        t.add("given", "given", "a score given", path)

    def never_earns(self, rule: Given, share: Fraction, t: Analysis) -> str | None:
        return _("the given score is always 0") if t.constant(rule.value) == 0 else None

    def always_full(self, rule: Given, share: Fraction, t: Analysis) -> str | None:
        value = t.constant(rule.value)
        full = value is not None and value == rule.out_of
        return _("the given score is always full marks") if full else None

    def describe(self, rule: Given, share: Fraction, d: Describer) -> list[str]:
        return [
            "- "
            + _(
                "Points = share × {value} ÷ {out_of} (a score given from outside, taken as it is)"
            ).format(value=d.code(rule.value), out_of=d.number(rule.out_of)),
            "",
        ]

    def diff(self, old: Given, new: Given, path: DocPath, d: Differ) -> None:
        d.fields("given", path, old, new)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> dict[str, Any]:
        from hypothesis import strategies as st

        out_of = draw(st.sampled_from(_OUT_OF))
        fid = facts.new("g", "decimal", min=Decimal(0), max=out_of)
        return {"value": fid, "out_of": out_of}


KIND = GivenKind()
