"""``levels``: credit by the level of an enum fact (e.g. the forms of a query service)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar

from wzeval.core._codes import WZ206, WZ207
from wzeval.core._i18n import N_, _
from wzeval.core._issues import did_you_mean
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
    RowAnalysis,
    RowIssue,
    RuleKind,
    Scorer,
    Targets,
    shown,
)
from wzeval.model._modelbase import Amount, Ident, StrictModel, format_amount

__all__ = ["KIND", "Levels"]

_ZERO = Fraction(0)


class Levels(StrictModel):
    """Credit by the level of an enum fact (ordinal), e.g. the five query-service forms."""

    fact: Ident
    credits: dict[str, Amount]


class LevelsKind(RuleKind):
    key = "levels"
    annotation = Levels
    description = "credit by the level of an enum fact; unlisted levels earn 0"
    label = "等级"
    title = N_("levels (by a fact's level)")
    order = 30
    merge = "fields"
    diff_fields: ClassVar[DiffFields] = {Levels: {"fact": True, "credits": None}}
    diff_members: ClassVar[Mapping[str, bool]] = {"level": True}

    def compile(
        self, rule: Levels, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        fact = next((f for f in c.facts if f.id == rule.fact), None)
        if fact is None or fact.type != "enum":
            c.issue(
                WZ206,
                _("levels read {fact!r}, which is not an enum fact of {indicator_id!r}").format(
                    fact=rule.fact, indicator_id=c.indicator_id
                ),
                (*path, "fact"),
                hint=did_you_mean(rule.fact, [f.id for f in c.facts if f.type == "enum"]),
            )
        else:
            if fact.nullable:
                c.issue(
                    WZ207,
                    _("levels read {fact_id!r}, which may be null: a level needs a value").format(
                        fact_id=fact.id
                    ),
                    (*path, "fact"),
                    hint=_("make the fact non-nullable, or add a lowest option such as 'none'"),
                )
            opts = fact.options or []
            missing = [o for o in opts if o not in rule.credits]
            extra = [k for k in rule.credits if k not in opts]
            if missing or extra:
                c.issue(
                    WZ207,
                    _(
                        "levels of {item_id!r} must give a credit for every "
                        "option of {fact_id!r} (missing: {missing}; unknown: "
                        "{unknown})"
                    ).format(
                        item_id=c.item.id,
                        fact_id=fact.id,
                        missing=missing or "-",
                        unknown=extra or "-",
                    ),
                    (*path, "credits"),
                )
        for level, credit in rule.credits.items():
            c.at_most_share(credit, (*path, "credits", level))
        return {}

    def plan(self, rule: Levels, share: Fraction, weight: Fraction) -> dict[str, Outcome]:
        return {
            level: Outcome(
                credit,
                _("level “{level}”: {credit}").format(level=level, credit=shown(credit)),
                (f"level={level}",),
                credit * weight,
            )
            for level, credit in rule.credits.items()
        }

    def evaluate(
        self,
        rule: Levels,
        plan: dict[str, Outcome],
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        level = str(s.fact(rule.fact))
        label = s.option_label(rule.fact, level)
        known = plan.get(level)
        if known is None:
            reason = _("level “{level}”: {credit}").format(level=label, credit=shown(_ZERO))
            return Outcome(_ZERO, reason, (f"level={level}",), _ZERO)
        if label == level:
            return known
        reason = _("level “{level}”: {credit}").format(level=label, credit=shown(known.credit))
        return replace(known, reason=reason)

    def fast(
        self,
        rule: Levels,
        plan: dict[str, Outcome],
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        fact = rule.fact
        points = {level: outcome.points for level, outcome in plan.items()}

        def run(env: Mapping[str, object]) -> Fraction:
            return points.get(str(env[fact])) or _ZERO

        return run

    def reads(self, rule: Levels, exprs: Mapping[str, CompiledExpression]) -> frozenset[str]:
        return frozenset({rule.fact})

    def targets(
        self,
        rule: Levels,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        for level, credit in rule.credits.items():
            t.add(
                f"level={level}",
                "level",
                f"level {level} → {format_amount(credit)}",
                (*path, "credits", level),
            )

    def never_earns(self, rule: Levels, share: Fraction, t: Analysis) -> str | None:
        return _("every level gives 0") if all(c == 0 for c in rule.credits.values()) else None

    def always_full(self, rule: Levels, share: Fraction, t: Analysis) -> str | None:
        if all(c == share for c in rule.credits.values()):
            return _("every level gives the whole share")
        return None

    def lint_rows(
        self, rule: Levels, path: DocPath, item: str, t: RowAnalysis
    ) -> Iterator[RowIssue]:
        """WL006: a higher option (the fact lists them lowest first) that earns less."""
        fact = next((f for f in t.facts if f.id == rule.fact), None)
        options = (fact.options or []) if fact else []
        credits = [(o, rule.credits.get(o, _ZERO)) for o in options]
        for (lo_opt, lo_c), (hi_opt, hi_c) in pairwise(credits):
            if hi_c < lo_c:
                yield RowIssue(
                    "WL006",
                    (*path, "credits", hi_opt),
                    _(
                        "{item}: level {hi_opt!r} earns {hi_c}, less than the "
                        "lower level {lo_opt!r} ({lo_c})"
                    ).format(
                        item=item,
                        hi_opt=hi_opt,
                        hi_c=format_amount(hi_c),
                        lo_opt=lo_opt,
                        lo_c=format_amount(lo_c),
                    ),
                    _("options are listed lowest to highest; credits must not go down"),
                )

    def describe(self, rule: Levels, share: Fraction, d: Describer) -> list[str]:
        fact = next((f for f in d.facts if f.id == rule.fact), None)
        order = list(fact.options or []) if fact is not None else []
        levels = list(rule.credits.items())
        levels.sort(key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        out = [
            _("Points by the level of the fact `{fact}` (a level not listed earns 0):").format(
                fact=rule.fact
            ),
            "",
            "| " + _("Level") + " | " + _("Points") + " |",
            "|---|---|",
        ]
        labels = (fact.option_labels or {}) if fact is not None else {}
        out += [
            "| "
            + (
                _("{text} ({note})").format(text=f"`{lv}`", note=labels[lv])
                if lv in labels
                else f"`{lv}`"
            )
            + f" | {d.share(c)} |"
            for lv, c in levels
        ]
        return [*out, ""]

    def diff(self, old: Levels, new: Levels, path: DocPath, d: Differ) -> None:
        d.fields("levels", path, old, new)
        a, b = old.credits, new.credits
        for option in [*a, *(o for o in b if o not in a)]:
            p: DocPath = (*path, option)
            if option not in b:
                d.add("level.removed", p, a[option], None, True)
            elif option not in a:
                d.add("level.added", p, None, b[option], True)
            elif a[option] != b[option]:
                d.add("level.credit", p, a[option], b[option], True)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> dict[str, Any]:
        from hypothesis import strategies as st

        from wzeval.kinds.drawing import amount, parts

        n = draw(st.integers(2, 5))
        options = [f"l{i + 1}" for i in range(n)]
        credits = parts(draw, n, decreasing=False)
        fid = facts.new("e", "enum", options=options)
        return {
            "fact": fid,
            "credits": {o: amount(share * c) for o, c in zip(options, credits, strict=True)},
        }


KIND = LevelsKind()
