"""``checklist``: elements an item enumerates; each present one earns its credit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from wzeval.core._codes import WZ205
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
    RuleKind,
    Scorer,
    Targets,
    shown,
)
from wzeval.model._modelbase import Amount, Expr, Ident, Label, StrictModel, format_amount

__all__ = ["KIND", "ChecklistEntry"]


class ChecklistEntry(StrictModel):
    """One element an item enumerates; present and working earns its credit."""

    id: Ident
    when: Expr
    credit: Amount | None = Field(
        None, description="omitted: the item's share split equally among the entries"
    )
    label: Label | None = None


def _credits(rule: list[ChecklistEntry], share: Fraction) -> list[Fraction]:
    n = len(rule)
    return [e.credit if e.credit is not None else share / n for e in rule]


class Checklist(RuleKind):
    key = "checklist"
    annotation = list[ChecklistEntry]
    description = "elements of the item; each present one earns its credit (equal by default)"
    label = "清单"
    title = N_("checklist (one part per element)")
    order = 60
    merge = "by_id"
    member = "checklist entry"
    diff_fields: ClassVar[DiffFields] = {
        ChecklistEntry: {"id": None, "when": True, "credit": True, "label": False}
    }
    diff_members: ClassVar[Mapping[str, bool]] = {"checklist_entry": True}

    def compile(
        self, rule: list[ChecklistEntry], path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        c.unique(
            ((e.id, (*path, i, "id")) for i, e in enumerate(rule)),
            f"checklist entry (in {c.item.id})",
        )
        given = [e.credit for e in rule if e.credit is not None]
        if given and len(given) != len(rule):
            c.issue(
                WZ205,
                _("give a credit for every checklist entry or for none"),
                path,
                hint=_("without credits the share is split equally"),
            )
        elif given and sum(given, Fraction(0)) != c.item.share:
            c.issue(
                WZ205,
                _("checklist credits add up to {given}, not the item's share {share}").format(
                    given=format_amount(sum(given, Fraction(0))), share=format_amount(c.item.share)
                ),
                path,
            )
        out: dict[str, CompiledExpression] = {}
        ok = True
        for i, e in enumerate(rule):
            expr = c.expr(e.when, (*path, i, "when"), Kind.BOOL)
            if expr is None:
                ok = False
            else:
                out[e.id] = expr
        return out if ok else None

    def plan(
        self, rule: list[ChecklistEntry], share: Fraction, weight: Fraction
    ) -> tuple[tuple[str, Fraction, str], ...]:
        return tuple(
            (e.id, credit, e.label or e.id)
            for e, credit in zip(rule, _credits(rule, share), strict=True)
        )

    def evaluate(
        self,
        rule: list[ChecklistEntry],
        plan: tuple[tuple[str, Fraction, str], ...],
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        credit = Fraction(0)
        lacking: list[str] = []
        matched: list[str] = []
        for entry, part, label in plan:
            if s.run(exprs[entry]):
                credit += part
                matched.append(f"{entry}:present")
            else:
                lacking.append(label)
                matched.append(f"{entry}:absent")
        n = len(plan)
        if lacking:
            reason = _("{have}/{n} present: {credit}; lacking: {lacking}")
        else:
            reason = _("{have}/{n} present: {credit}")
        reason = reason.format(
            have=n - len(lacking), n=n, credit=shown(credit), lacking=_(", ").join(lacking)
        )
        return Outcome(credit, reason, tuple(matched))

    def fast(
        self,
        rule: list[ChecklistEntry],
        plan: tuple[tuple[str, Fraction, str], ...],
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        # each entry's points in integers over one denominator: one Fraction per item
        parts = [part * weight for _e, part, _l in plan]
        den = math.lcm(*(p.denominator for p in parts)) if parts else 1
        rows = tuple(
            (exprs[entry].fast(), p.numerator * (den // p.denominator))
            for (entry, _p, _l), p in zip(plan, parts, strict=True)
        )

        def run(env: Mapping[str, object]) -> Fraction:
            n = 0
            for present, num in rows:
                if present(env):
                    n += num
            return Fraction(n, den)

        return run

    def sources(self, rule: list[ChecklistEntry]) -> list[str]:
        return [e.when for e in rule]

    def targets(
        self,
        rule: list[ChecklistEntry],
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        for i, e in enumerate(rule):
            what = e.label or e.id
            cond = t.condition(e.when)
            holds, fails = (
                cond is None or not cond.is_empty(),
                cond is None or not cond.is_universal(),
            )
            t.add(f"{e.id}:present", "entry-present", f"entry {what} present", (*path, i), holds)
            t.add(f"{e.id}:absent", "entry-absent", f"entry {what} absent", (*path, i), fails)

    def never_earns(self, rule: list[ChecklistEntry], share: Fraction, t: Analysis) -> str | None:
        conds = [t.condition(e.when) for e in rule]
        if all(c is not None and c.is_empty() for c in conds):
            return _("no checklist entry can ever be true")
        return None

    def always_full(self, rule: list[ChecklistEntry], share: Fraction, t: Analysis) -> str | None:
        conds = [t.condition(e.when) for e in rule]
        if all(c is not None and c.is_universal() for c in conds):
            return _("every checklist entry is always true")
        return None

    def describe(self, rule: list[ChecklistEntry], share: Fraction, d: Describer) -> list[str]:
        head = " | ".join((_("Element"), _("Name"), _("Condition"), _("Points")))
        out = [_("Each element present earns its part:"), "", f"| {head} |", "|---|---|---|---|"]
        for e, credit in zip(rule, _credits(rule, share), strict=True):
            even = "" if e.credit is not None else _(" (equal shares)")
            out.append(
                f"| `{e.id}` | {d.cell(e.label)} | {d.code(e.when)} | {d.share(credit)}{even} |"
            )
        return [*out, ""]

    def diff(
        self, old: list[ChecklistEntry], new: list[ChecklistEntry], path: DocPath, d: Differ
    ) -> None:
        d.keyed("checklist_entry", path, old, new)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> list[dict[str, Any]]:
        from hypothesis import strategies as st

        from wzeval.kinds.drawing import amount, shares

        n = draw(st.integers(1, 4))
        entries: list[dict[str, Any]] = [
            {"id": f"c{i + 1}", "when": facts.flag()} for i in range(n)
        ]
        if draw(st.booleans()):
            for entry, part in zip(entries, shares(draw, n), strict=True):
                entry["credit"] = amount(share * part)
        return entries


KIND = Checklist()
