"""``check``: yes/no — the whole share when a condition holds, else 0."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from wzeval.core._i18n import N_, _
from wzeval.expressions import CompiledExpression, Kind
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    DocPath,
    DrawFacts,
    FastPoints,
    FastTaken,
    Outcome,
    RuleKind,
    Scorer,
    Targets,
    shown,
)
from wzeval.model._modelbase import Expr

__all__ = ["KIND"]

_ZERO = Fraction(0)


class Check(RuleKind):
    key = "check"
    annotation = Expr
    description = "yes/no: the whole share when true"
    label = "是否"
    title = N_("check (yes or no)")
    order = 10

    def compile(
        self, rule: str, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        expr = c.expr(rule, path, Kind.BOOL)
        return None if expr is None else {"when": expr}

    def plan(self, rule: str, share: Fraction, weight: Fraction) -> Outcome:
        return Outcome(
            share, _("met: {credit}").format(credit=shown(share)), ("earned",), share * weight
        )

    def evaluate(
        self, rule: str, plan: Outcome, exprs: Mapping[str, CompiledExpression], s: Scorer
    ) -> Outcome:
        if s.run(exprs["when"]):
            return plan
        return Outcome(_ZERO, _("not met: 0"), ("not-earned",), _ZERO)

    def fast(
        self,
        rule: str,
        plan: Outcome,
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        when = exprs["when"].fast()
        points = plan.points
        assert points is not None

        def run(env: Mapping[str, object]) -> Fraction:
            return points if when(env) else _ZERO

        return run

    def sources(self, rule: str) -> list[str]:
        return [rule]

    def targets(
        self,
        rule: str,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        t.outcome("", rule, path, ("earned", "not-earned", "check"))

    def never_earns(self, rule: str, share: Fraction, t: Analysis) -> str | None:
        cond = t.condition(rule)
        return _("its check is never true") if cond is not None and cond.is_empty() else None

    def always_full(self, rule: str, share: Fraction, t: Analysis) -> str | None:
        cond = t.condition(rule)
        return _("its check is always true") if cond is not None and cond.is_universal() else None

    def describe(self, rule: str, share: Fraction, d: Describer) -> list[str]:
        said = _("Condition: when {condition} holds, the whole share; else 0")
        return ["- " + said.format(condition=d.code(rule)), ""]

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> str:
        return facts.flag()


KIND = Check()
