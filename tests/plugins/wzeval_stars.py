"""A toy rule kind, shipped the way a plugin would be: ``stars`` — credit by a rating
of 0 to 5 stars, a fifth of the item's share per star.

tests/kinds/test_kinds.py installs it through the ``wzeval.rule_kinds`` entry point in a
fresh interpreter; nothing in ``src/`` names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from wzeval.expressions import CompiledExpression, Kind
from wzeval.kinds import Compiler, Describer, DrawFacts, Outcome, RuleKind, Scorer, Targets
from wzeval.kinds.base import DocPath, shown
from wzeval.model._modelbase import Expr


class Stars(RuleKind):
    key = "stars"
    annotation = Expr
    description = "credit by a rating of 0 to 5 stars: a fifth of the share per star"
    label = "星级"
    title = "星级 stars"
    order = 90

    def compile(
        self, rule: str, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        expr = c.expr(rule, path, Kind.INT)
        return None if expr is None else {"rating": expr}

    def plan(self, rule: str, share: Fraction, weight: Fraction) -> Fraction:
        return share

    def evaluate(
        self, rule: str, plan: Fraction, exprs: Mapping[str, CompiledExpression], s: Scorer
    ) -> Outcome:
        n = min(s.count(exprs["rating"], f"the rating of {s.item_id!r}"), 5)
        credit = plan * Fraction(n, 5)
        return Outcome(credit, f"{n} 星，得 {shown(credit)}", (f"stars{n}",))

    def targets(
        self,
        rule: str,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        for n in range(6):
            t.add(f"stars{n}", "stars", f"{n} stars", path)

    def describe(self, rule: str, share: Fraction, d: Describer) -> list[str]:
        return [f"- 按 {d.code(rule)} 的星级给分：每星 {d.share(share / 5)}", ""]

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> str:
        return facts.new("s", "int", min=0, max=5)


KIND = Stars()
