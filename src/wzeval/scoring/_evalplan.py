"""The evaluation plan: what a score report holds that depends on the rulebook alone.

Both evaluations of :mod:`wzeval.scoring._engine` — the full one, which explains every point,
and the fast one of :mod:`wzeval.scoring._fasteval`, which computes the figures alone — read
the same plan, worked out once per compiled rulebook and kept in its cache, so that
an evaluation computes only what depends on the findings.  The report's header (the
rulebook, the findings' department and date, the figures) is worked out here too, so
that the two evaluations cannot disagree on it; the order of scoring, which they share
as well, is :mod:`wzeval.scoring._order`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel

from wzeval.checking._checks import (
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledRulebook,
    CompiledVeto,
)
from wzeval.checking._findings import Findings
from wzeval.checking._overall import Bases
from wzeval.core._i18n import _, language
from wzeval.kinds import RuleKind
from wzeval.kinds.base import shown
from wzeval.model._report import RulebookRef

__all__ = [
    "ZERO",
    "Build",
    "DeductionPlan",
    "IndicatorPlan",
    "ItemPlan",
    "Locator",
    "VetoPlan",
    "indicator_plans",
    "report_header",
    "validated",
]

ZERO = Fraction(0)
_R = TypeVar("_R", bound=BaseModel)

# ----------------------------------------------------------------- the evaluation plan
#
# Everything in a result that depends on the rulebook alone — ids, titles, sources,
# rulings, positions, shares, maximum points, the points and reasons of fixed
# credits — is worked out once per compiled rulebook (``plan``) and copied into
# each report; an evaluation computes only what depends on the findings.


class Build(Protocol):
    """How results are built: :func:`validated` (the reference path) or :func:`trusted`."""

    def __call__(self, cls: type[_R], values: dict[str, Any], /) -> _R: ...


def validated(cls: type[_R], values: dict[str, Any], /) -> _R:
    return cls(**values)


@dataclass(frozen=True)
class VetoPlan:
    cv: CompiledVeto
    static: dict[str, Any]  # id, label, source, ruling, at
    name: str  # label, else id


@dataclass(frozen=True)
class DeductionPlan:
    cd: CompiledDeduction
    static: dict[str, Any]  # id, label, each, cap, source, ruling, at
    each: Fraction
    cap: Fraction | None
    name: str
    each_text: str
    what: str  # how a bad count is named in an error


@dataclass(frozen=True)
class ItemPlan:
    ci: CompiledItem
    kind: RuleKind
    rule: Any  # the item's rule value
    share: Fraction
    static: dict[str, Any]  # id, title, rule, share, max_points, source, ruling, at
    rule_plan: Any  # what the kind worked out from the rulebook alone
    deductions: tuple[DeductionPlan, ...] = ()
    vetoes: tuple[VetoPlan, ...] = ()


@dataclass(frozen=True)
class IndicatorPlan:
    cind: CompiledIndicator
    weight: Fraction
    common: dict[str, Any]  # the IndicatorResult fields every outcome shares
    items: tuple[ItemPlan, ...]
    vetoes: tuple[VetoPlan, ...]
    deductions: tuple[DeductionPlan, ...]


def _veto_plan(v: CompiledVeto, at: Locator) -> VetoPlan:
    veto = v.veto
    static = {
        "id": veto.id,
        "label": veto.label,
        "source": veto.source,
        "ruling": veto.ruling,
        "at": at(v.path),
    }
    return VetoPlan(v, static, veto.label or veto.id)


def _deduction_plan(
    d: CompiledDeduction, default_cap: Fraction | None, at: Locator
) -> DeductionPlan:
    ded = d.deduction
    cap = ded.cap if ded.cap is not None else default_cap
    static = {
        "id": ded.id,
        "label": ded.label,
        "each": ded.each,
        "cap": cap,
        "source": ded.source,
        "ruling": ded.ruling,
        "at": at(d.path),
    }
    return DeductionPlan(
        d,
        static,
        ded.each,
        cap,
        ded.label or ded.id,
        shown(ded.each),
        _("deduction {ident!r}").format(ident=ded.id),
    )


def _item_plan(ci: CompiledItem, weight: Fraction, at: Locator) -> ItemPlan:
    it = ci.item
    share = it.share
    kind = it.kind
    static = {
        "id": it.id,
        "title": it.title,
        "rule": kind.key,
        "share": share,
        "max_points": share * weight,
        "source": it.source,
        "ruling": it.ruling,
        "at": at(ci.path),
    }
    return ItemPlan(
        ci,
        kind,
        it.rule,
        share,
        static,
        kind.plan(it.rule, share, weight),
        vetoes=tuple(_veto_plan(v, at) for v in ci.vetoes),
        deductions=tuple(_deduction_plan(d, share, at) for d in ci.deductions),
    )


def _indicator_plan(cind: CompiledIndicator, at: Locator) -> IndicatorPlan:
    ind = cind.indicator
    weight = Fraction(ind.weight)
    common = {
        "id": ind.id,
        "name": ind.name,
        "category": cind.category,
        "category_id": cind.category_id,
        "group": cind.group,
        "kind": cind.kind,
        "weight": weight,
        "weight_source": ind.weight_source,
        "applies_note": ind.applies_note,
        "at": at(cind.path),
    }
    return IndicatorPlan(
        cind,
        weight,
        common,
        tuple(_item_plan(ci, weight, at) for ci in cind.items),
        tuple(_veto_plan(v, at) for v in cind.vetoes),
        tuple(_deduction_plan(d, None, at) for d in cind.deductions),
    )


def indicator_plans(crb: CompiledRulebook) -> tuple[IndicatorPlan, ...]:
    """The rulebook-only parts of every result, worked out on the first evaluation in
    each language (their reasons are texts: a rulebook cached in the process may be
    scored in Chinese, then in English)."""
    key = "engine:" + language()
    plan = crb.cache.get(key)
    if plan is None:
        at = Locator(crb)
        plan = crb.cache[key] = tuple(_indicator_plan(c, at) for c in crb.indicators)
    return cast(tuple[IndicatorPlan, ...], plan)


# ----------------------------------------------------------------------- the evaluation


class Locator:
    """Turns rulebook paths into ``file:line`` strings (when positions are known)."""

    def __init__(self, crb: CompiledRulebook) -> None:
        self.crb = crb

    def __call__(self, path: tuple[str | int, ...]) -> str | None:
        return self.crb.positions.get(path) if self.crb.positions else None


def report_header(
    crb: CompiledRulebook,
    findings: Findings,
    build: Build,
    *,
    complete: bool,
    bases: Bases,
    bonus: Fraction,
    penalty: Fraction,
    total: Fraction,
) -> dict[str, Any]:
    """The fields of a report that both evaluations give, in the report's field order.

    The fast evaluation's deferred report must hold exactly what the full evaluation
    later builds (:func:`wzeval.model._report.deferred` checks it), so the two take these
    fields from one place.
    """
    rb = crb.rulebook
    ref = {"id": rb.id, "title": rb.title, "year": rb.year, "file": crb.file}
    return {
        "rulebook": build(RulebookRef, ref),
        "department": findings.department,
        "department_id": findings.department_id,
        "monitoring_date": findings.monitoring_date,
        "assessors": list(findings.assessors),
        "findings_file": findings.file,
        "complete": complete,
        "base_raw": bases.raw,
        "base_possible": bases.possible,
        "base": bases.base,
        "bonus": bonus,
        "penalty": penalty,
        "total": total,
        "places": rb.arithmetic.places,
    }
