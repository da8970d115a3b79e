"""Pure, exact evaluation of findings against a compiled rulebook.

``evaluate`` knows nothing of files: it takes a :class:`CompiledRulebook` and
checked :class:`Findings` and returns a :class:`ScoreReport` in which every
point is explained.  All arithmetic is on :class:`fractions.Fraction` (exact;
rounded only when shown).

Order of a base or bonus indicator's score:

1. not applicable (``applies`` false) → it leaves the base, which is rescaled;
2. each item earns a credit (a part of its share) by its rule; an item veto
   zeroes that item;
3. points = weight × Σ credits; an indicator veto zeroes the indicator;
4. indicator-level deductions are taken from what remains, down to 0.

A penalty indicator (negative weight) is made of deductions only; together
they never go beyond the weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel

from wzeval import expressions
from wzeval.applicability import (
    FactEnv,
    applicability,
    base_env,
    fill_derived,
    shared_records,
)
from wzeval.checks import (
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledPending,
    CompiledRulebook,
    CompiledVeto,
)
from wzeval.errors import ExpressionError, ValidationFailed, WzevalError
from wzeval.expressions import CompiledExpression
from wzeval.findings import Findings
from wzeval.i18n import _
from wzeval.issues import Issue, Position, format_path
from wzeval.kinds import Missing, NotAssessedYet, RuleKind
from wzeval.kinds.base import FastPoints, FastTaken, fast_count, shown
from wzeval.overall import (
    Bases,
    bases_of,
    decide_grade,
    fired_vetoes,
    gate_values,
    grade_values,
)
from wzeval.report import (
    CategoryResult,
    DeductionResult,
    FactRead,
    GradeResult,
    IndicatorResult,
    ItemResult,
    NotAssessed,
    PartResult,
    RulebookRef,
    ScoreReport,
    SiteVeto,
    VetoResult,
    deferred,
    exact_text,
    exact_total,
    trusted,
)

__all__ = ["applicability", "evaluate_compiled", "shared_records"]

_ZERO = Fraction(0)
_ONE = Fraction(1)
_R = TypeVar("_R", bound=BaseModel)


@dataclass
class _Env(FactEnv):
    """The names an indicator's expressions read (:class:`wzeval.applicability.FactEnv`),
    and what a rule kind scores one item with (:class:`wzeval.kinds.Scorer`):
    :func:`_item` points it at the item before handing it over."""

    # the item being scored (see _item)
    weight: Fraction = Fraction(0)
    item_id: str = ""
    item_deductions: tuple[_DeductionPlan, ...] = ()
    build: _Build | None = None

    def count(self, expr: CompiledExpression, what: str) -> int:
        return _count(expr, self, what)

    def deductions(self) -> tuple[list[Any], Fraction]:
        assert self.build is not None
        return _deductions(self.item_deductions, self, self.weight, self.build)

    def option_label(self, name: str, option: str) -> str:
        for f in self.cind.indicator.facts:
            if f.id == name:
                return f.option_label(option)
        return option


# ----------------------------------------------------------------- the evaluation plan
#
# Everything in a result that depends on the rulebook alone — ids, titles, sources,
# rulings, positions, shares, maximum points, the points and reasons of fixed
# credits — is worked out once per compiled rulebook (``_plan``) and copied into
# each report; an evaluation computes only what depends on the findings.


class _Build(Protocol):
    """How results are built: :func:`_validated` (the reference path) or :func:`trusted`."""

    def __call__(self, cls: type[_R], values: dict[str, Any], /) -> _R: ...


def _validated(cls: type[_R], values: dict[str, Any], /) -> _R:
    return cls(**values)


@dataclass(frozen=True)
class _VetoPlan:
    cv: CompiledVeto
    static: dict[str, Any]  # id, label, source, ruling, at
    name: str  # label, else id


@dataclass(frozen=True)
class _DeductionPlan:
    cd: CompiledDeduction
    static: dict[str, Any]  # id, label, each, cap, source, ruling, at
    each: Fraction
    cap: Fraction | None
    name: str
    each_text: str
    what: str  # how a bad count is named in an error


@dataclass(frozen=True)
class _ItemPlan:
    ci: CompiledItem
    kind: RuleKind
    rule: Any  # the item's rule value
    share: Fraction
    static: dict[str, Any]  # id, title, rule, share, max_points, source, ruling, at
    rule_plan: Any  # what the kind worked out from the rulebook alone
    deductions: tuple[_DeductionPlan, ...] = ()
    vetoes: tuple[_VetoPlan, ...] = ()


@dataclass(frozen=True)
class _IndicatorPlan:
    cind: CompiledIndicator
    weight: Fraction
    common: dict[str, Any]  # the IndicatorResult fields every outcome shares
    items: tuple[_ItemPlan, ...]
    vetoes: tuple[_VetoPlan, ...]
    deductions: tuple[_DeductionPlan, ...]


def _veto_plan(v: CompiledVeto, at: _Locator) -> _VetoPlan:
    veto = v.veto
    static = {
        "id": veto.id,
        "label": veto.label,
        "source": veto.source,
        "ruling": veto.ruling,
        "at": at(v.path),
    }
    return _VetoPlan(v, static, veto.label or veto.id)


def _deduction_plan(
    d: CompiledDeduction, default_cap: Fraction | None, at: _Locator
) -> _DeductionPlan:
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
    return _DeductionPlan(
        d,
        static,
        ded.each,
        cap,
        ded.label or ded.id,
        shown(ded.each),
        f"deduction {ded.id!r}",
    )


def _item_plan(ci: CompiledItem, weight: Fraction, at: _Locator) -> _ItemPlan:
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
    return _ItemPlan(
        ci,
        kind,
        it.rule,
        share,
        static,
        kind.plan(it.rule, share, weight),
        vetoes=tuple(_veto_plan(v, at) for v in ci.vetoes),
        deductions=tuple(_deduction_plan(d, share, at) for d in ci.deductions),
    )


def _indicator_plan(cind: CompiledIndicator, at: _Locator) -> _IndicatorPlan:
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
    return _IndicatorPlan(
        cind,
        weight,
        common,
        tuple(_item_plan(ci, weight, at) for ci in cind.items),
        tuple(_veto_plan(v, at) for v in cind.vetoes),
        tuple(_deduction_plan(d, None, at) for d in cind.deductions),
    )


def _plan(crb: CompiledRulebook) -> tuple[_IndicatorPlan, ...]:
    """The rulebook-only parts of every result, worked out on the first evaluation."""
    plan = crb.cache.get("engine")
    if plan is None:
        at = _Locator(crb)
        plan = crb.cache["engine"] = tuple(_indicator_plan(c, at) for c in crb.indicators)
    return cast(tuple[_IndicatorPlan, ...], plan)


# ----------------------------------------------------------------------- the evaluation


def _veto(p: _VetoPlan, env: _Env, build: _Build) -> VetoResult:
    fired = bool(env.run(p.cv.when))
    return build(VetoResult, {**p.static, "fired": fired})


def _count(expr: CompiledExpression, env: _Env, what: str) -> int:
    n = env.run(expr)
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ExpressionError(
            "WZ501", f"{what} must be a whole number ≥ 0 (got {n!r})", hint="check the facts"
        )
    return n


class _Locator:
    """Turns rulebook paths into ``file:line`` strings (when positions are known)."""

    def __init__(self, crb: CompiledRulebook) -> None:
        self.crb = crb

    def __call__(self, path: tuple[str | int, ...]) -> str | None:
        return self.crb.positions.get(path) if self.crb.positions else None


def _deductions(
    plans: tuple[_DeductionPlan, ...], env: _Env, weight: Fraction, build: _Build
) -> tuple[list[DeductionResult], Fraction]:
    """Per-occurrence deductions, each stopped at its cap; returns results and the sum."""
    out: list[DeductionResult] = []
    total = _ZERO
    for p in plans:
        n = _count(p.cd.count, env, p.what)
        raw = p.each * n
        cap = p.cap
        amount = min(raw, cap) if cap is not None else raw
        total += amount
        values = {
            **p.static,
            "count": n,
            "amount": amount,
            "points": amount * abs(weight),
            "capped": cap is not None and raw > cap,
        }
        out.append(build(DeductionResult, values))
    return out, total


def _item(p: _ItemPlan, env: _Env, weight: Fraction, build: _Build) -> tuple[ItemResult, bool]:
    """An item's result, and whether it earned less than its whole share."""
    env.weight = weight
    env.item_id = p.static["id"]
    env.item_deductions = p.deductions
    env.build = build
    outcome = p.kind.evaluate(p.rule, p.rule_plan, p.ci.exprs, env)
    credit, points, reason = outcome.credit, outcome.points, outcome.reason
    share = p.share
    vetoes = [_veto(v, env, build) for v in p.vetoes]
    vetoed = False
    for v in vetoes:
        if v.fired:
            vetoed = True
            reason = f"本项否决（{v.label or v.id}），得 0"
            credit, points = _ZERO, _ZERO
            break
    if points is None:
        points = credit * weight
    values = {
        **p.static,
        "credit": credit,
        "points": points,
        "vetoed": vetoed,
        "reason": reason,
        "matched": list(outcome.matched),
        "vetoes": vetoes,
        "deductions": list(outcome.deductions),
    }
    return build(ItemResult, values), credit is not share and credit < share


def _json_value(value: object) -> object:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


_PLAIN = frozenset({str, int, bool, type(None)})


def _indicator(
    p: _IndicatorPlan,
    findings: Findings,
    not_assessed: list[NotAssessed],
    build: _Build,
    reference: bool | None = None,
) -> IndicatorResult:
    cind = p.cind
    ind = cind.indicator
    weight = p.weight
    facts = findings.facts.get(ind.id, {})
    env = _Env(
        base_env(
            cind,
            {**shared_records(cind, findings.facts), **facts} if cind.shared else facts,
            findings.department,
            findings.catalogs,
            findings.monitoring_date,
        ),
        facts,
        cind,
        reference=reference,
    )
    fill_derived(env)
    common = p.common

    def fact_reads() -> list[FactRead]:
        out = []
        for f in ind.facts:
            rec = facts.get(f.id)
            if rec is not None:
                values = {
                    "id": f.id,
                    "value": _json_value(rec.value),
                    "ask": f.ask,
                    "value_label": (
                        f.option_labels.get(rec.value)
                        if f.option_labels and isinstance(rec.value, str)
                        else None
                    ),
                    "evidence": list(rec.evidence),
                    "note": rec.note,
                    "at": str(rec.position) if rec.position else None,
                }
                out.append(build(FactRead, values))
        base = env.base
        for d in ind.derived:
            if d.id in base:
                values = {
                    "id": d.id,
                    "value": _json_value(base[d.id]),
                    "ask": d.description,
                    "derived": True,
                }
                out.append(build(FactRead, values))
        return out

    try:
        if cind.applies is not None and not env.run(cind.applies):
            values = {
                **common,
                "applicable": False,
                "assessed": True,
                "vetoed": False,
                "points": _ZERO,
                "max_points": _ZERO,
                "facts": fact_reads(),
                "reasons": ["不适用（不计入基础分，按比例折算）"],
            }
            return build(IndicatorResult, values)
        for pend in cind.pending:
            if env.run(pend.when):
                return _pending(p, pend, env, not_assessed, fact_reads(), build)
        if cind.kind == "penalty":
            deds, taken = _deductions(p.deductions, env, weight, build)
            taken = min(taken, Fraction(1))
            values = {
                **common,
                "applicable": True,
                "assessed": True,
                "vetoed": False,
                "points": -taken * abs(weight),
                "max_points": weight,
                "deductions": deds,
                "facts": fact_reads(),
                "reasons": [
                    f"{dp.name}：{d.count} 次 × {dp.each_text}"
                    for dp, d in zip(p.deductions, deds, strict=True)
                    if d.count
                ],
            }
            return build(IndicatorResult, values)
        items: list[ItemResult] = []
        reasons: list[str] = []
        item_missing: list[str] = []
        for ip in p.items:
            try:
                result, short = _item(ip, env, weight, build)
            except Missing as exc:
                item_missing.extend(n for n in exc.names if n not in item_missing)
                why = f"缺少事实：{', '.join(exc.names)}"
                items.append(_unassessed_item(ip, build, why))
                if ip.share > _ZERO:
                    reasons.append(f"{ip.static['title'] or ip.ci.item.id}：未评估：{why}")
            except NotAssessedYet as exc:
                items.append(_unassessed_item(ip, build, str(exc)))
                if ip.share > _ZERO:
                    reasons.append(f"{ip.static['title'] or ip.ci.item.id}：未评估：{exc}")
                item = ip.ci.item.id
                not_assessed.append(
                    build(
                        NotAssessed,
                        {"indicator": ind.id, "name": ind.name, "item": item, "reason": str(exc)},
                    )
                )
            else:
                items.append(result)
                if short:
                    reasons.append(f"{result.title or result.id}：{result.reason}")
        vetoes: list[VetoResult] = []
        for v in p.vetoes:
            try:
                vetoes.append(_veto(v, env, build))
            except Missing as exc:
                item_missing.extend(n for n in exc.names if n not in item_missing)
        try:
            deds, taken = _deductions(p.deductions, env, weight, build)
        except Missing as exc:
            item_missing.extend(n for n in exc.names if n not in item_missing)
        if item_missing:
            raise Missing(item_missing)
        fired = [v for v in vetoes if v.fired]
        if fired:
            points = _ZERO
            head = "单项否决：" if cind.kind == "veto" else "该指标不得分："
            reasons = [head + "、".join(v.label or v.id for v in fired)]
        else:
            earned = exact_total(i.points for i in items)
            points = max(_ZERO, earned - taken * weight if taken else earned)
            reasons += [
                f"扣分 {dp.name}：{d.count} × {dp.each_text}"
                for dp, d in zip(p.deductions, deds, strict=True)
                if d.count
            ]
        values = {
            **common,
            "applicable": True,
            "assessed": all(i.assessed for i in items),
            "vetoed": bool(fired),
            "points": points,
            "max_points": weight,
            "items": items,
            "vetoes": vetoes,
            "deductions": deds,
            "facts": fact_reads(),
            "reasons": reasons,
        }
        return build(IndicatorResult, values)
    except Missing as exc:
        reason = "缺少事实：" + "、".join(exc.names)
        not_assessed.append(
            build(
                NotAssessed,
                {"indicator": ind.id, "name": ind.name, "missing": exc.names, "reason": reason},
            )
        )
        values = {
            **common,
            "applicable": True,
            "assessed": False,
            "vetoed": False,
            "points": _ZERO,
            "max_points": weight,
            "facts": fact_reads(),
            "missing": exc.names,
            "reasons": ["未评估：缺少 " + "、".join(exc.names)],
        }
        return build(IndicatorResult, values)


def _pending(
    p: _IndicatorPlan,
    pend: CompiledPending,
    env: _Env,
    not_assessed: list[NotAssessed],
    facts: list[FactRead],
    build: _Build,
) -> IndicatorResult:
    """An indicator that cannot be assessed yet: not assessed, with the date it can be."""
    ind = p.cind.indicator
    when = env.run(pend.assessable_from)
    day = when.isoformat() if isinstance(when, date) else str(when)
    what = pend.pending.label or pend.pending.id
    reason = f"尚不能评估：{what}；{day} 起可评估"
    not_assessed.append(
        build(
            NotAssessed,
            {"indicator": ind.id, "name": ind.name, "reason": reason, "pending": pend.pending.id},
        )
    )
    values = {
        **p.common,
        "applicable": True,
        "assessed": False,
        "vetoed": False,
        "points": _ZERO,
        "max_points": p.weight,
        "facts": facts,
        "pending": pend.pending.id,
        "reasons": [reason],
    }
    return build(IndicatorResult, values)


def _unassessed_item(p: _ItemPlan, build: _Build, why: str) -> ItemResult:
    values = {
        **p.static,
        "credit": _ZERO,
        "points": _ZERO,
        "assessed": False,
        "reason": f"未评估：{why}",
    }
    return build(ItemResult, values)


def evaluate_compiled(
    crb: CompiledRulebook,
    findings: Findings,
    *,
    partial: bool = False,
    reference: bool | None = None,
    explained: bool = False,
) -> ScoreReport:
    """Score checked findings against a compiled rulebook.

    With ``partial=False`` anything not assessable (a missing fact, a spot check
    with no checks made) raises :class:`ValidationFailed` listing every case;
    with ``partial=True`` it is listed in ``report.not_assessed`` instead and
    the report is marked incomplete.  ``reference=True`` evaluates every expression
    with simpleeval, the evaluator of record, instead of its compiled form, and
    builds every result through pydantic validation (default: ``WZEVAL_REFERENCE=1``
    in the environment); the report is the same.

    The report's figures are computed at once and its explanation (every result,
    reason and fact read) the first time it is read; ``explained=True`` builds it all
    now, for a caller that reads it anyway (the points are then not computed twice).
    """
    use_reference = expressions.REFERENCE if reference is None else reference
    if not use_reference and not explained:
        fast = _fast(crb, findings, partial)
        if fast is not None:
            return fast
    return _full(crb, findings, partial, use_reference, reference)


def _full(
    crb: CompiledRulebook,
    findings: Findings,
    partial: bool,
    use_reference: bool,
    reference: bool | None,
) -> ScoreReport:
    """The evaluation of record: every result built and explained as it is scored."""
    run = _Scoring(crb, findings, _validated if use_reference else trusted, reference)
    results = run.in_order()
    if run.errors:
        raise ValidationFailed(run.errors, what=f"findings {findings.file}")
    if run.not_assessed and not partial:
        raise ValidationFailed(
            [_unassessable(n, findings) for n in run.not_assessed],
            what=f"findings {findings.file}",
        )
    return run.report(results)


def _unassessable(n: NotAssessed, findings: Findings) -> Issue:
    """WZ410 for what could not be assessed in a complete (not partial) scoring."""
    return Issue(
        "WZ410",
        _("{indicator} ({name})").format(indicator=n.indicator, name=n.name)
        + (_(" item {item}").format(item=n.item) if n.item else "")
        + _(" cannot be assessed: {reason}").format(reason=n.reason),
        path=("indicators", n.indicator),
        position=findings.positions.get(n.indicator, Position(findings.file)),
        hint=(
            _(
                "score again from the date it names, or now with "
                "--partial to list it as not assessed yet"
            )
        )
        if n.pending
        else _("record what is missing, or score with --partial"),
    )


class _Scoring:
    """One findings document scored in the order of wzeval.overall: the vetoes, the base,
    the gated categories; then the report with its parts and grade."""

    def __init__(
        self, crb: CompiledRulebook, findings: Findings, build: _Build, reference: bool | None
    ) -> None:
        self.crb = crb
        self.rb = crb.rulebook
        self.findings = findings
        self.build = build
        self.reference = reference
        self.plans = _plan(crb)
        self.scored: dict[str, IndicatorResult] = {}
        self.errors: list[Issue] = []
        self.not_assessed: list[NotAssessed] = []
        self.stopped: dict[str, str] = {}  # category id → why it was not scored
        self.site_vetoes: list[SiteVeto] = []
        self.part_vetoes: dict[str, list[SiteVeto]] = {}

    def score(self, kinds: tuple[str, ...]) -> None:
        """Score the indicators of these category kinds that nothing stopped."""
        findings = self.findings
        for plan in self.plans:
            cind = plan.cind
            if cind.kind not in kinds or cind.category_id in self.stopped:
                continue
            try:
                self.scored[cind.indicator.id] = _indicator(
                    plan, findings, self.not_assessed, self.build, self.reference
                )
            except WzevalError as exc:
                self.errors.append(
                    Issue(
                        getattr(exc, "code", "WZ500"),
                        _("{indicator_id} ({indicator_name}): {exc}").format(
                            indicator_id=cind.indicator.id,
                            indicator_name=cind.indicator.name,
                            exc=exc,
                        ),
                        path=("indicators", cind.indicator.id),
                        position=findings.positions.get(cind.indicator.id, Position(findings.file)),
                        hint=getattr(exc, "hint", None),
                        extra={"rule": format_path(cind.path)},
                    )
                )

    def vetoes(self, part: str | None) -> list[SiteVeto]:
        return [self.build(SiteVeto, v) for v in fired_vetoes(self.scored.values(), self.rb, part)]

    def in_order(self) -> list[IndicatorResult]:
        """Every indicator's result in table order; a stopped one says why."""
        rb = self.rb
        self.score(("veto",))
        self.site_vetoes = self.vetoes(None)
        self.part_vetoes = {part.id: self.vetoes(part.id) for part in rb.parts}
        if self.site_vetoes:
            why = "未评分：单项否决（" + "、".join(v.label or v.id for v in self.site_vetoes) + "）"
            self.stopped = {c.id: why for c in rb.categories if c.kind != "veto"}
        else:
            for part in rb.parts:
                if self.part_vetoes[part.id]:
                    names = "、".join(v.label or v.id for v in self.part_vetoes[part.id])
                    why = f"未评分：{part.name}单项否决（{names}）"
                    self.stopped.update(
                        {c.id: why for c in rb.categories if c.part == part.id and c.kind != "veto"}
                    )
            self.score(("base",))
            self.close_gates()
            self.score(("bonus", "penalty"))
        stopped = self.stopped
        return [
            self.scored.get(p.cind.indicator.id)
            or _stopped(p, stopped.get(p.cind.category_id, ""), self.build)
            for p in self.plans
            if p.cind.indicator.id in self.scored or p.cind.category_id in stopped
        ]

    def close_gates(self) -> None:
        """Stop the categories whose gate does not hold for the base worked out so far."""
        rb = self.rb
        bases = bases_of(list(self.scored.values()), rb)
        points_now = {
            c.id: exact_total(r.points for r in self.scored.values() if r.category_id == c.id)
            for c in rb.categories
            if c.kind == "base"
        }
        values = gate_values(bases.base, {**points_now, **bases.by_part})
        for cat in rb.categories:
            gate = self.crb.overall.gates.get(cat.id)
            if gate is not None and not gate.expr.evaluate(values):
                self.stopped[cat.id] = f"未评分：条件 {gate.source} 不成立"

    def categories(self, results: list[IndicatorResult]) -> list[CategoryResult]:
        by_category: dict[str, list[IndicatorResult]] = {c.id: [] for c in self.rb.categories}
        for r in results:
            by_category[r.category_id].append(r)
        out = []
        for cat in self.rb.categories:
            mine = by_category[cat.id]
            values = {
                "id": cat.id,
                "name": cat.name,
                "kind": cat.kind,
                "weight": Fraction(cat.weight),
                "applicable_weight": exact_total(r.max_points for r in mine),
                "points": exact_total(r.points for r in mine),
                "scored": cat.id not in self.stopped,
                "gate": cat.when,
            }
            out.append(self.build(CategoryResult, values))
        return out

    def parts(self, bases: Bases) -> list[PartResult]:
        return [
            self.build(
                PartResult,
                {
                    "id": part.id,
                    "name": part.name,
                    "weight": part.weight,
                    "base_raw": bases.parts[part.id][0],
                    "base_possible": bases.parts[part.id][1],
                    "base": bases.by_part[part.id],
                    "vetoed": bool(self.part_vetoes[part.id]),
                    "vetoes": self.part_vetoes[part.id],
                },
            )
            for part in self.rb.parts
        ]

    def grade(self, figures: Mapping[str, object]) -> tuple[str | None, GradeResult | None]:
        decided = decide_grade(self.crb.overall.grades, figures)
        if decided is None:
            return None, None
        g = decided.grade
        crb = self.crb
        values = {
            "rule": int(decided.path[1]) + 1,
            "grade": g.grade,
            "when": g.when,
            "label": g.label,
            "source": g.source,
            "ruling": g.ruling,
            "at": crb.positions.get(decided.path) if crb.positions else None,
        }
        return g.grade, self.build(GradeResult, values)

    def report(self, results: list[IndicatorResult]) -> ScoreReport:
        rb, findings, build = self.rb, self.findings, self.build
        categories = self.categories(results)
        bases = bases_of(results, rb)
        bonus = exact_total(r.points for r in results if r.kind == "bonus")
        penalty = exact_total(r.points for r in results if r.kind == "penalty")
        total = bases.base + bonus + penalty
        grade, grade_rule = self.grade(
            grade_values(
                vetoed=bool(self.site_vetoes),
                bases=bases,
                bonus=bonus,
                penalty=penalty,
                total=total,
                category_points={c.id: c.points for c in categories},
            )
        )
        ref = {"id": rb.id, "title": rb.title, "year": rb.year, "file": self.crb.file}
        values = {
            "rulebook": build(RulebookRef, ref),
            "department": findings.department,
            "department_id": findings.department_id,
            "monitoring_date": findings.monitoring_date,
            "assessors": list(findings.assessors),
            "findings_file": findings.file,
            "complete": not self.not_assessed,
            "base_raw": bases.raw,
            "base_possible": bases.possible,
            "base": bases.base,
            "bonus": bonus,
            "penalty": penalty,
            "total": total,
            "places": rb.arithmetic.places,
            "categories": categories,
            "indicators": results,
            "not_assessed": self.not_assessed,
            "vetoed": bool(self.site_vetoes),
            "site_vetoes": self.site_vetoes,
            "parts": self.parts(bases),
            "grade": grade,
            "grade_rule": grade_rule,
        }
        return build(ScoreReport, values)


def _stopped(p: _IndicatorPlan, why: str, build: _Build) -> IndicatorResult:
    """An indicator that a site-wide veto or its category's gate kept from being scored:
    no points, not in the base, and its facts not needed."""
    values = {
        **p.common,
        "applicable": True,
        "assessed": True,
        "vetoed": False,
        "scored": False,
        "points": _ZERO,
        "max_points": _ZERO,
        "reasons": [why],
    }
    return build(IndicatorResult, values)


# ------------------------------------------------------------------ the fast evaluation
#
# Most callers read a report's figures, and only some of them its explanation.  The
# fast evaluation computes the points alone — every rule kind's ``fast`` function, the
# compiled expressions called directly on names checked once per indicator, the sums
# in integers — and returns a deferred report (:func:`wzeval.report.deferred`) whose
# results are built by the full evaluation above the first time they are read.  It
# handles the usual case only: anything else (a fact missing, an item not assessable
# yet, a pending state, a fired veto of a veto category, any error) is left to the
# full evaluation, which then decides the report or the error (docs/performance.md).

_Run = Callable[[Mapping[str, object]], object]
_Checks = tuple[tuple[str, expressions.TypeInfo, frozenset[type]], ...]


class _Unusual(Exception):
    """These findings are for the full evaluation."""


@dataclass(frozen=True)
class _FastItem:
    points: FastPoints
    vetoes: tuple[_Run, ...]


@dataclass(frozen=True)
class _FastIndicator:
    plan: _IndicatorPlan
    id: str
    kind: str
    category_id: str
    checks: _Checks  # every name any expression of the indicator reads
    derived: tuple[tuple[str, _Run, _Checks], ...]
    applies_checks: _Checks
    applies: _Run | None
    pending: tuple[_Run, ...]
    items: tuple[_FastItem, ...]
    vetoes: tuple[_Run, ...]
    taken: FastTaken  # the share the indicator's own deductions take
    den: int  # a common denominator of the items' whole points


def _fast_taken(plans: tuple[_DeductionPlan, ...]) -> FastTaken:
    # in integers over one denominator: each amount and cap × den
    den = math.lcm(*(x.denominator for p in plans for x in (p.each, p.cap) if x is not None))
    rows = tuple(
        (
            p.cd.count.fast(),
            p.each.numerator * (den // p.each.denominator),
            None if p.cap is None else p.cap.numerator * (den // p.cap.denominator),
        )
        for p in plans
    )

    def taken(env: Mapping[str, object]) -> Fraction:
        total = 0
        for count, each, cap in rows:
            raw = each * fast_count(count, env)
            total += raw if cap is None or raw <= cap else cap
        return Fraction(total, den) if total else _ZERO

    return taken


def _fast_indicator(p: _IndicatorPlan) -> _FastIndicator | None:
    cind = p.cind
    exprs: list[CompiledExpression] = [e for _n, e in cind.derived]
    if cind.applies is not None:
        exprs.append(cind.applies)
    for pend in cind.pending:
        exprs += (pend.when, pend.assessable_from)
    exprs += (v.when for v in cind.vetoes)
    exprs += (d.count for d in cind.deductions)
    items = []
    for ip in p.items:
        ci = ip.ci
        points = ip.kind.fast(ip.rule, ip.rule_plan, ci.exprs, p.weight, _fast_taken(ip.deductions))
        if points is None:
            return None
        items.append(_FastItem(points, tuple(v.when.fast() for v in ci.vetoes)))
        exprs += ci.exprs.values()
        exprs += (v.when for v in ci.vetoes)
        exprs += (d.count for d in ci.deductions)
    checks: dict[str, tuple[str, expressions.TypeInfo, frozenset[type]]] = {}
    for e in exprs:
        for check in e.checks:
            checks.setdefault(check[0], check)
    return _FastIndicator(
        p,
        cind.indicator.id,
        cind.kind,
        cind.category_id,
        tuple(checks.values()),
        tuple((name, e.fast(), e.checks) for name, e in cind.derived),
        () if cind.applies is None else cind.applies.checks,
        None if cind.applies is None else cind.applies.fast(),
        tuple(pend.when.fast() for pend in cind.pending),
        tuple(items),
        tuple(v.when.fast() for v in cind.vetoes),
        _fast_taken(p.deductions),
        math.lcm(*(ip.static["max_points"].denominator for ip in p.items)),
    )


def _fast_plan(crb: CompiledRulebook) -> tuple[_FastIndicator, ...] | None:
    """Every indicator's fast evaluation (``None``: a rule kind has none)."""
    if "fast" not in crb.cache:
        fast = [_fast_indicator(p) for p in _plan(crb)]
        crb.cache["fast"] = None if None in fast else tuple(cast(list[_FastIndicator], fast))
    return cast(tuple[_FastIndicator, ...] | None, crb.cache["fast"])


@dataclass(slots=True)
class _Points:
    """What the order of scoring reads of an indicator's result (wzeval.overall)."""

    id: str
    kind: str
    category_id: str
    points: Fraction
    max_points: Fraction


def _fast_points(f: _FastIndicator, findings: Findings) -> _Points:
    """One indicator's points, or :class:`_Unusual` (or any error) for the full path."""
    p = f.plan
    cind = p.cind
    facts = findings.facts.get(f.id, {})
    env: dict[str, object] = {
        "monitoring_date": findings.monitoring_date,
        "department": findings.department,
        "catalogs": list(findings.catalogs),
        "true": True,
        "false": False,
    }
    if cind.shared:
        for k, rec in shared_records(cind, findings.facts).items():
            env[k] = rec.value
    for k, rec in facts.items():
        env[k] = rec.value
    fits = expressions.fits
    for name, derive, derive_checks in f.derived:  # as fill_derived: left out when
        for read, info, plain in derive_checks:  # a fact it reads is missing
            if read not in env:
                break
            value = env[read]
            if type(value) not in plain and not fits(value, info, plain):
                raise _Unusual(read)
        else:
            env[name] = derive(env)
    if f.applies is not None:
        for name, info, plain in f.applies_checks:
            value = env[name]  # KeyError: a fact missing, for the full path
            if type(value) not in plain and not fits(value, info, plain):
                raise _Unusual(name)
        if not f.applies(env):
            return _Points(f.id, f.kind, f.category_id, _ZERO, _ZERO)
    for name, info, plain in f.checks:
        value = env[name]  # KeyError: a fact missing
        if type(value) not in plain and not fits(value, info, plain):
            raise _Unusual(name)
    for when in f.pending:
        if when(env):
            raise _Unusual("pending")
    weight = p.weight
    if f.kind == "penalty":
        taken = f.taken(env)
        if not taken:
            return _Points(f.id, f.kind, f.category_id, _ZERO, weight)
        return _Points(f.id, f.kind, f.category_id, -min(taken, _ONE) * abs(weight), weight)
    # the items' points in integers over a common denominator, reduced once
    num, den = 0, f.den
    for item in f.items:
        points = item.points(env)
        vetoed = False
        for veto in item.vetoes:
            if veto(env):
                vetoed = True
        if vetoed:
            continue
        n, d = points.numerator, points.denominator
        if d == den:
            num += n
        elif den % d == 0:
            num += n * (den // d)
        else:
            g = math.gcd(den, d)
            num = num * (d // g) + n * (den // g)
            den = den // g * d
    fired = False
    for veto in f.vetoes:
        if veto(env):
            fired = True
    taken = f.taken(env)
    if fired:
        if f.kind == "veto":
            raise _Unusual("site veto")
        points = _ZERO
    elif taken:
        points = max(_ZERO, Fraction(num, den) - taken * weight)
    else:  # max(0, earned)
        points = Fraction(num, den) if num > 0 else _ZERO
    return _Points(f.id, f.kind, f.category_id, points, weight)


def _fast(crb: CompiledRulebook, findings: Findings, partial: bool) -> ScoreReport | None:
    """The report of the fast evaluation, deferred; ``None``: for the full evaluation."""
    plan = _fast_plan(crb)
    if plan is None:
        return None
    try:
        return _fast_report(crb, plan, findings, partial)
    except Exception:  # the full evaluation decides: its report, or its error
        return None


def _fast_report(
    crb: CompiledRulebook, plan: tuple[_FastIndicator, ...], findings: Findings, partial: bool
) -> ScoreReport:
    """The order of scoring of :class:`_Scoring`, on points alone."""
    rb = crb.rulebook
    scored: dict[str, _Points] = {}
    # a fired veto of a veto category went to the full path: nothing is stopped by one
    for f in plan:
        if f.kind == "veto":
            scored[f.id] = _fast_points(f, findings)
    for f in plan:
        if f.kind == "base":
            scored[f.id] = _fast_points(f, findings)
    stopped: dict[str, str] = {}
    if crb.overall.gates:
        results = cast(list[IndicatorResult], list(scored.values()))
        now = bases_of(results, rb)
        points_now = {
            c.id: exact_total(r.points for r in results if r.category_id == c.id)
            for c in rb.categories
            if c.kind == "base"
        }
        values = gate_values(now.base, {**points_now, **now.by_part})
        for cat in rb.categories:
            gate = crb.overall.gates.get(cat.id)
            if gate is not None and not gate.expr.evaluate(values):
                stopped[cat.id] = "gate"
    # each category's points (and the base's weights) in integers, reduced once
    sums: dict[str, list[int]] = {c.id: [0, 1] for c in rb.categories}
    possible_num, possible_den = 0, 1
    ordered: list[_Points] = []
    for f in plan:
        r = scored.get(f.id)
        if r is None:
            if f.category_id not in stopped:
                if f.kind == "veto" or f.kind == "base":
                    continue  # not in the report (as in _Scoring.in_order)
                r = _fast_points(f, findings)
            else:
                r = _Points(f.id, f.kind, f.category_id, _ZERO, _ZERO)
        ordered.append(r)
        acc = sums[r.category_id]
        n, d = r.points.numerator, r.points.denominator
        if n:
            if d == acc[1]:
                acc[0] += n
            else:
                g = math.gcd(acc[1], d)
                acc[0] = acc[0] * (d // g) + n * (acc[1] // g)
                acc[1] = acc[1] // g * d
        if f.kind == "base":
            n, d = r.max_points.numerator, r.max_points.denominator
            if d == possible_den:
                possible_num += n
            else:
                g = math.gcd(possible_den, d)
                possible_num = possible_num * (d // g) + n * (possible_den // g)
                possible_den = possible_den // g * d
    category_points = {c: Fraction(n, d) for c, (n, d) in sums.items()}
    if rb.parts:
        bases = bases_of(cast(list[IndicatorResult], ordered), rb)
    else:
        raw = exact_total(category_points[c.id] for c in rb.categories if c.kind == "base")
        possible = Fraction(possible_num, possible_den)
        bases = Bases(raw, possible, raw * 100 / possible if possible else _ZERO, {}, {})
    bonus = exact_total(category_points[c.id] for c in rb.categories if c.kind == "bonus")
    penalty = exact_total(category_points[c.id] for c in rb.categories if c.kind == "penalty")
    total = bases.base + bonus + penalty
    decided = decide_grade(
        crb.overall.grades,
        grade_values(
            vetoed=False,
            bases=bases,
            bonus=bonus,
            penalty=penalty,
            total=total,
            category_points=category_points,
        ),
    )
    known = {
        "rulebook": trusted(
            RulebookRef, {"id": rb.id, "title": rb.title, "year": rb.year, "file": crb.file}
        ),
        "department": findings.department,
        "department_id": findings.department_id,
        "monitoring_date": findings.monitoring_date,
        "assessors": list(findings.assessors),
        "findings_file": findings.file,
        "complete": True,
        "base_raw": bases.raw,
        "base_possible": bases.possible,
        "base": bases.base,
        "bonus": bonus,
        "penalty": penalty,
        "total": total,
        "places": rb.arithmetic.places,
        "vetoed": False,
        "grade": None if decided is None else decided.grade.grade,
    }
    return deferred(known, lambda: _full(crb, findings, partial, False, False))
