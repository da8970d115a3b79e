"""What a rule test should exercise in a rulebook, and what one case reached.

A rulebook's coverage targets are the outcomes a case could show: those each rule
kind names (a tier row matched, a check holding and failing …), each veto fired and
not, each deduction's outcome, each gate open and closed, each grade rule given.
:func:`coverage_targets` lists them (and those the rules make unreachable),
:func:`covered_targets` reads which of them one case's report reached.  The rule-test
runner (:mod:`wzeval.analysis._ruletest`) adds them up; this module knows nothing of test
documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from wzeval.analysis._lint import LintContext
from wzeval.checking._checks import (
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledRulebook,
)
from wzeval.checking._findings import Findings
from wzeval.core._i18n import N_, _
from wzeval.core._issues import PathPart
from wzeval.kinds import deduction_outcome, target_id
from wzeval.kinds.bands import band_text
from wzeval.model._conditions import Condition, Ranges
from wzeval.model._models import Rulebook, format_amount
from wzeval.model._report import ScoreReport
from wzeval.reading._yamlcore import Document
from wzeval.scoring._api import compiled

__all__ = ["Coverage", "Target", "coverage_targets", "covered_targets"]

Path_ = tuple[PathPart, ...]

#: How an outcome named by a rule kind or by this module reads in a target's description
#: (the name itself stays in the target's id and kind); a name not listed reads as it is.
_OUTCOMES = {
    "earned": N_("earned"),
    "not-earned": N_("not-earned"),
    "fired": N_("fired"),
    "not-fired": N_("not-fired"),
    "applies": N_("applies"),
    "not-applicable": N_("not-applicable"),
    "pending": N_("pending"),
    "assessable": N_("assessable"),
}


def _outcome_text(name: str) -> str:
    return _(_OUTCOMES[name]) if name in _OUTCOMES else name


#: The fixed descriptions the built-in rule kinds give their targets.
_KIND_TEXTS = {
    "some checks fail": N_("some checks fail"),
    "every check passes": N_("every check passes"),
    "a score given": N_("a score given"),
}


def _item_text(rule: Any, rule_kind: str, rel: str, kind: str, text: str) -> str:
    """A target's description as a built-in rule kind declares it, in the user's language.

    The kinds write their descriptions in English; the targets of rows, levels, bands and
    entries are described again here from the rule itself.  A target of any other kind
    (a plug-in's) reads as its kind wrote it.
    """
    try:
        if rule_kind == "tiers" and kind == "tier":
            i = int(rel.removeprefix("tier")) - 1
            label = _(" ({label})").format(label=rule[i].label) if rule[i].label else ""
            return _("tier row {n}{label} → {credit}").format(
                n=i + 1, label=label, credit=format_amount(rule[i].credit)
            )
        if rule_kind == "levels" and kind == "level":
            level = rel.split("=", 1)[1]
            credit = format_amount(rule.credits[level])
            return _("level {level} → {credit}").format(level=level, credit=credit)
        if rule_kind == "checklist" and kind in ("entry-present", "entry-absent"):
            eid = rel.rsplit(":", 1)[0]
            entry = next(e for e in rule if e.id == eid)
            said = (
                _("entry {what} present") if kind == "entry-present" else _("entry {what} absent")
            )
            return said.format(what=entry.label or entry.id)
        if rule_kind == "bands" and kind == "band":
            row = rule.rows[int(rel.removeprefix("band")) - 1]
            return _("band {band} → {credit}").format(
                band=band_text(row.min, row.max), credit=format_amount(row.credit)
            )
    except (AttributeError, IndexError, KeyError, StopIteration, TypeError, ValueError):
        return text
    return _(_KIND_TEXTS[text]) if text in _KIND_TEXTS else text


@dataclass(frozen=True)
class Target:
    """One thing in the rulebook a case should exercise (a tier row, a veto firing …)."""

    id: str
    kind: str
    description: str
    path: Path_
    where: str


@dataclass(frozen=True)
class Coverage:
    """Which targets the cases reached; ``unreachable`` ones (the rules make them
    impossible, as lint reports) are listed apart and do not count."""

    targets: tuple[Target, ...]
    covered: frozenset[str]
    unreachable: tuple[Target, ...] = ()

    @property
    def percent(self) -> Fraction:
        """Covered targets as a percentage (100 when there is nothing to cover)."""
        if not self.targets:
            return Fraction(100)
        hit = sum(1 for t in self.targets if t.id in self.covered)
        return Fraction(100 * hit, len(self.targets))

    @property
    def uncovered(self) -> list[Target]:
        """The targets no case reached, in rulebook order."""
        return [t for t in self.targets if t.id not in self.covered]


# --------------------------------------------------------------------------- targets


class _Targets:
    """Builds an indicator's coverage targets and tells which can never be reached.

    Reachability is judged statically with the lint analysis (conditions on
    the facts' types and ranges): a check that is literally ``true`` can never
    fail, a tier row after an unconditional row never matches, a deduction
    whose count is at most 5 × 5% never reaches a 30% cap.  Such targets are
    listed apart and do not count against coverage.
    """

    def __init__(self, ctx: LintContext, cind: CompiledIndicator) -> None:
        self.ctx = ctx
        self.cind = cind
        self.out: list[tuple[str, str, str, Path_, bool]] = []

    def add(self, tid: str, kind: str, text: str, path: Path_, reachable: bool = True) -> None:
        self.out.append((tid, kind, text, path, reachable))

    def can_hold(self, source: str) -> bool:
        cond = self.ctx.condition(self.cind, source)
        return cond is None or not cond.is_empty()

    def can_fail(self, source: str) -> bool:
        cond = self.ctx.condition(self.cind, source)
        return cond is None or not cond.is_universal()

    def outcome(self, tid: str, source: str, path: Path_, names: tuple[str, str, str]) -> None:
        """Two targets for a condition: it holds (``names[0]``) and it fails (``names[1]``);
        ``names[2]`` prefixes their kinds."""
        yes, no, kind = names
        holds, fails = _outcome_text(yes), _outcome_text(no)
        self.add(f"{tid}:{yes}", f"{kind}-{yes}", holds, path, self.can_hold(source))
        self.add(f"{tid}:{no}", f"{kind}-{no}", fails, path, self.can_fail(source))

    def deductions(
        self, prefix: str, deds: Sequence[CompiledDeduction], share: Fraction | None
    ) -> None:
        for d in deds:
            ded = d.deduction
            did = f"{prefix}.{ded.id}"
            counts = self.ctx.count_range(self.cind, ded.counted).parts
            least = counts[0].lo if counts and counts[0].lo is not None else Fraction(0)
            most = counts[-1].hi if counts else Fraction(0)
            cap = ded.cap if ded.cap is not None else share
            none = _("deduction {id}: 0").format(id=ded.id)
            self.add(f"{did}:none", "deduction-none", none, d.path, least == 0)
            if cap is None or ded.each < cap:
                self.add(
                    f"{did}:some",
                    "deduction-some",
                    _("deduction {id}: counted, below the cap").format(id=ded.id),
                    d.path,
                    most is None or most >= 1,
                )
            if cap is not None:
                self.add(
                    f"{did}:capped",
                    "deduction-capped",
                    _("deduction {id}: capped at {cap}").format(id=ded.id, cap=format_amount(cap)),
                    d.path,
                    most is None or ded.each * most >= cap,
                )

    def item(self, ci: CompiledItem) -> None:
        it = ci.item
        iid = f"{self.cind.indicator.id}.{it.id}"
        kind = it.kind
        kind.targets(it.rule, it.share, ci.exprs, (*ci.path, kind.key), _ItemTargets(self, ci, iid))
        for v in ci.vetoes:
            self.outcome(
                f"{iid}.{v.veto.id}", v.veto.when, v.path, ("fired", "not-fired", "item-veto")
            )

    def indicator(self) -> list[tuple[str, str, str, Path_, bool]]:
        cind = self.cind
        ind = cind.indicator
        if cind.applies is not None and ind.applies is not None:
            ap: Path_ = (*cind.path, "applies")
            self.outcome(ind.id, ind.applies, ap, ("applies", "not-applicable", "indicator"))
        for pend in cind.pending:
            self.outcome(
                f"{ind.id}.{pend.pending.id}",
                pend.pending.when,
                pend.path,
                ("pending", "assessable", "pending"),
            )
        for ci in cind.items:
            self.item(ci)
        for v in cind.vetoes:
            self.outcome(
                f"{ind.id}.{v.veto.id}", v.veto.when, v.path, ("fired", "not-fired", "veto")
            )
        self.deductions(ind.id, cind.deductions, None)
        if cind.kind == "penalty" and cind.deductions:
            self.add(
                f"{ind.id}:limit",
                "penalty-limit",
                _("deductions reach the limit {weight}").format(weight=ind.weight),
                cind.path,
            )
        elif cind.deductions:
            self.add(
                f"{ind.id}:floor",
                "deducted-to-zero",
                _("indicator deductions take it down to 0"),
                (*cind.path, "deductions"),
            )
        return self.out


class _ItemTargets:
    """What a rule kind declares its coverage targets through (:class:`wzeval.kinds.Targets`):
    names relative to the item, as :attr:`wzeval.kinds.Outcome.matched` gives them."""

    def __init__(self, targets: _Targets, ci: CompiledItem, iid: str) -> None:
        self.targets = targets
        self.ci = ci
        self.iid = iid

    def add(self, rel: str, kind: str, text: str, path: Path_, reachable: bool = True) -> None:
        item = self.ci.item
        text = _item_text(item.rule, item.rule_kind, rel, kind, text)
        self.targets.add(target_id(self.iid, rel), kind, text, path, reachable)

    def outcome(self, rel: str, source: str, path: Path_, names: tuple[str, str, str]) -> None:
        tid = f"{self.iid}.{rel}" if rel else self.iid
        self.targets.outcome(tid, source, path, names)

    def condition(self, source: str) -> Condition | None:
        return self.targets.ctx.condition(self.targets.cind, source)

    def count_range(self, source: str) -> Ranges:
        return self.targets.ctx.count_range(self.targets.cind, source)

    def constant(self, source: str) -> object:
        return self.targets.ctx.analyzer(self.targets.cind).constant(source)

    def deductions(self, rule: Sequence[Any], cap: Fraction | None) -> None:
        self.targets.deductions(self.iid, self.ci.deductions, cap)


def coverage_targets(
    rulebook: Rulebook, doc: Document | None = None
) -> tuple[list[Target], list[Target]]:
    """The coverage targets of a rulebook, in rulebook order: those cases can reach,
    and those the rules make unreachable (a check that is literally ``true`` never fails).

    With the rulebook's :class:`Document`, each target knows its ``file:line``.
    """
    crb = compiled(rulebook)
    ctx = LintContext(rulebook, crb)
    reachable: list[Target] = []
    unreachable: list[Target] = []
    for cind in crb.indicators:
        for tid, kind, text, path, ok in _Targets(ctx, cind).indicator():
            where = crb.file
            if doc is not None:
                pos = doc.position(path)
                where = f"{pos.file}:{pos.line}" if pos.line else pos.file
            label = tid.split(":", 1)[0]
            said = _("{indicator} {target}: {text}").format(
                indicator=cind.indicator.name, target=label, text=text
            )
            target = Target(tid, kind, said, path, where)
            (reachable if ok else unreachable).append(target)
    for tid, kind, text, path in _overall_targets(rulebook):
        where = crb.file
        if doc is not None:
            pos = doc.position(path)
            where = f"{pos.file}:{pos.line}" if pos.line else pos.file
        reachable.append(Target(tid, kind, text, path, where))
    return reachable, unreachable


def _overall_targets(rb: Rulebook) -> list[tuple[str, str, str, Path_]]:
    """Targets above the indicators: each gate open and closed, each grade rule given."""
    out: list[tuple[str, str, str, Path_]] = []
    for i, cat in enumerate(rb.categories):
        if cat.when is not None:
            p: Path_ = ("categories", i, "when")
            opened = _("{name}: {when} holds").format(name=cat.name, when=cat.when)
            closed = _("{name}: {when} fails").format(name=cat.name, when=cat.when)
            out.append((f"{cat.id}:scored", "gate-open", opened, p))
            out.append((f"{cat.id}:not-scored", "gate-closed", closed, p))
    for i, g in enumerate(rb.grades):
        text = _("grade rule {n} → {grade}").format(n=i + 1, grade=g.grade)
        out.append((f"grade{i + 1}", "grade", text, ("grades", i)))
    return out


# --------------------------------------------------------------------------- re-evaluation


def _covered_by_deductions(prefix: str, results: Sequence[Any]) -> set[str]:
    return {
        f"{prefix}.{d.id}:{deduction_outcome(d.count, d.capped, d.amount, d.cap)}" for d in results
    }


def covered_targets(crb: CompiledRulebook, findings: Findings, report: ScoreReport) -> set[str]:
    """The ids of the targets one case's report reached."""
    hit: set[str] = set()
    rb = crb.rulebook
    for cat, cres in zip(rb.categories, report.categories, strict=True):
        if cat.when is not None and not report.vetoed:
            hit.add(f"{cat.id}:{'scored' if cres.scored else 'not-scored'}")
    if report.grade_rule is not None:
        hit.add(f"grade{report.grade_rule.rule}")
    for res in report.indicators:
        cind = crb.by_id.get(res.id)
        if cind is None:
            continue
        ind = cind.indicator
        if cind.applies is not None:
            hit.add(f"{ind.id}:{'applies' if res.applicable else 'not-applicable'}")
        if res.pending is not None:
            hit.add(f"{ind.id}.{res.pending}:pending")
            continue
        if not res.applicable or res.missing:
            continue
        hit.update(f"{ind.id}.{p.pending.id}:assessable" for p in cind.pending)
        for ir in res.items:
            if ir.assessed:
                iid = f"{ind.id}.{ir.id}"
                hit.update(target_id(iid, m) for m in ir.matched)
                hit.update(f"{iid}.{v.id}:{'fired' if v.fired else 'not-fired'}" for v in ir.vetoes)
        for v in res.vetoes:
            hit.add(f"{ind.id}.{v.id}:{'fired' if v.fired else 'not-fired'}")
        hit |= _covered_by_deductions(ind.id, res.deductions)
        if cind.kind == "penalty":
            if res.deductions and sum((d.each * d.count for d in res.deductions), Fraction(0)) >= 1:
                hit.add(f"{ind.id}:limit")
        elif res.deductions and not res.vetoed:
            earned = sum((i.credit for i in res.items), Fraction(0))
            taken = sum((d.amount for d in res.deductions), Fraction(0))
            if taken > 0 and earned > 0 and taken >= earned:
                hit.add(f"{ind.id}:floor")
    return hit
