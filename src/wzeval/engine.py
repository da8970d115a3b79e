"""Pure, exact evaluation of findings against a compiled rulebook.

``evaluate`` knows nothing of files: it takes a :class:`CompiledRulebook` and
checked :class:`Findings` and returns a :class:`ScoreReport` in which every
point is explained.  All arithmetic is on :class:`fractions.Fraction` (R9).

Order of a base or bonus indicator's score:

1. not applicable (``applies`` false) → it leaves the base (R7);
2. each item earns a credit (a part of its share) by its rule; an item veto
   zeroes that item;
3. points = weight × Σ credits; an indicator veto zeroes the indicator;
4. indicator-level deductions are taken from what remains, down to 0.

A penalty indicator (negative weight) is made of deductions only; together
they never go beyond the weight (R6).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from wzeval.checks import (
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledRulebook,
    CompiledVeto,
)
from wzeval.errors import ExpressionError, ValidationFailed, WzevalError
from wzeval.expressions import CompiledExpression
from wzeval.findings import FactRecord, Findings
from wzeval.issues import Issue, Position, format_path
from wzeval.report import (
    CategoryResult,
    DeductionResult,
    FactRead,
    IndicatorResult,
    ItemResult,
    NotAssessed,
    RulebookRef,
    ScoreReport,
    VetoResult,
    exact_text,
    share_text,
)

__all__ = ["applicability", "evaluate_compiled"]

_ZERO = Fraction(0)


@functools.lru_cache(maxsize=4096)
def format_amount(value: Fraction) -> str:
    """An amount for a reason text (``50%``, or ``≈66.67%`` when it has no short form).

    Cached: a rulebook has few distinct amounts, and formatting one is among the
    engine's costlier steps (docs/performance.md)."""
    return share_text(value)


class _Missing(Exception):
    """A fact the evaluation needs was not recorded (partial findings)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class _NotAssessed(Exception):
    """An item cannot be assessed from what was recorded (e.g. no spot checks made)."""


@dataclass
class _Env:
    """The names an indicator's expressions read, filled lazily for derived facts."""

    base: dict[str, object]
    facts: Mapping[str, FactRecord]
    cind: CompiledIndicator
    read: set[str] = field(default_factory=set)
    # derived facts that could not be computed → the recorded facts they lacked
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    # evaluate with simpleeval only (None: wzeval.expressions.REFERENCE decides)
    reference: bool | None = None

    def values(self, expr: CompiledExpression) -> dict[str, object]:
        missing: set[str] = set()
        for n in expr.names:
            if n in self.base:
                continue
            if n in self.cind.fact_types:
                missing.add(n)
            elif n in self.unavailable:
                missing.update(self.unavailable[n])
        if missing:
            raise _Missing(sorted(missing))
        self.read |= expr.names
        return self.base


def _base_env(
    cind: CompiledIndicator,
    facts: Mapping[str, FactRecord],
    department: str,
    catalogs: tuple[str, ...],
    mdate: date,
) -> dict[str, object]:
    env: dict[str, object] = {
        "monitoring_date": mdate,
        "department": department,
        "catalogs": list(catalogs),
        "true": True,
        "false": False,
    }
    for k, rec in facts.items():
        env[k] = rec.value
    return env


def _run(expr: CompiledExpression, env: _Env) -> object:
    values = env.values(expr)
    return expr.evaluate(values, reference=env.reference)


def _fill_derived(env: _Env) -> None:
    """Compute derived facts in declaration order; a derived fact whose inputs are missing is
    left out and remembered in ``env.unavailable`` (reported missing only if something
    reads it)."""
    for name, expr in env.cind.derived:
        try:
            env.base[name] = _run(expr, env)
        except _Missing as exc:
            env.unavailable[name] = exc.names


def applicability(
    cind: CompiledIndicator,
    facts: Mapping[str, FactRecord],
    department: str,
    catalogs: tuple[str, ...],
    mdate: date,
) -> tuple[bool | None, list[str]]:
    """Whether an indicator applies; ``None`` with the missing facts when it cannot be told."""
    if cind.applies is None:
        return True, []
    env = _Env(_base_env(cind, facts, department, catalogs, mdate), facts, cind)
    _fill_derived(env)
    try:
        return bool(_run(cind.applies, env)), []
    except _Missing as exc:
        return None, exc.names


def _veto(v: CompiledVeto, env: _Env, at: str | None) -> VetoResult:
    fired = bool(_run(v.when, env))
    return VetoResult(
        id=v.veto.id,
        label=v.veto.label,
        fired=fired,
        source=v.veto.source,
        ruling=v.veto.ruling,
        at=at,
    )


def _count(expr: CompiledExpression, env: _Env, what: str) -> int:
    n = _run(expr, env)
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
    deds: tuple[CompiledDeduction, ...],
    env: _Env,
    weight: Fraction,
    default_cap: Fraction | None,
    at: _Locator,
) -> tuple[list[DeductionResult], Fraction]:
    """Per-occurrence deductions, each stopped at its cap; returns results and the sum."""
    out: list[DeductionResult] = []
    total = _ZERO
    for d in deds:
        n = _count(d.count, env, f"deduction {d.deduction.id!r}")
        raw = d.deduction.each * n
        cap = d.deduction.cap if d.deduction.cap is not None else default_cap
        amount = min(raw, cap) if cap is not None else raw
        total += amount
        out.append(
            DeductionResult(
                id=d.deduction.id,
                label=d.deduction.label,
                count=n,
                each=d.deduction.each,
                cap=cap,
                amount=amount,
                points=amount * abs(weight),
                capped=cap is not None and raw > cap,
                source=d.deduction.source,
                ruling=d.deduction.ruling,
                at=at(d.path),
            )
        )
    return out, total


def _item(ci: CompiledItem, env: _Env, weight: Fraction, at: _Locator) -> ItemResult:
    it = ci.item
    share = it.share
    kind = it.rule_kind
    deductions: list[DeductionResult] = []
    reason: str
    credit: Fraction
    if kind == "check":
        ok = bool(_run(ci.exprs[0], env))
        credit = share if ok else _ZERO
        reason = f"符合，得 {format_amount(share)}" if ok else "不符合，得 0"
    elif kind == "tiers":
        assert it.tiers is not None
        credit, reason = _ZERO, "未达到任何档次，得 0"
        for i, (tier, expr) in enumerate(zip(it.tiers, ci.exprs, strict=True)):
            if _run(expr, env):
                credit = tier.credit
                label = f"（{tier.label}）" if tier.label else ""
                reason = f"第 {i + 1} 档{label}，得 {format_amount(credit)}"
                break
    elif kind == "levels":
        assert it.levels is not None
        fid = it.levels.fact
        if fid not in env.base:
            raise _Missing([fid])
        env.read.add(fid)
        level = str(env.base[fid])
        credit = it.levels.credits.get(level, _ZERO)
        reason = f"等级「{level}」，得 {format_amount(credit)}"
    elif kind == "bands":
        assert it.bands is not None
        n = _count(ci.exprs[0], env, f"the count of {it.id!r}")
        credit, reason = _ZERO, f"次数 {n} 不在任何区间，得 0"
        for band in it.bands.rows:
            if band.min <= n and (band.max is None or n <= band.max):
                credit = band.credit
                upper = "以上" if band.max is None else f"–{band.max}"
                reason = f"次数 {n} 在 {band.min}{upper} 区间，得 {format_amount(credit)}"
                break
    elif kind == "proportion":
        passed = _count(ci.exprs[0], env, f"passed checks of {it.id!r}")
        checked = _count(ci.exprs[1], env, f"checks made for {it.id!r}")
        if checked == 0:
            raise _NotAssessed("no checks were made (R4: not assessed, not a free pass)")
        if passed > checked:
            raise ExpressionError(
                "WZ502",
                f"item {it.id!r}: {passed} checks passed but only {checked} were made",
                hint="passed checks cannot exceed checks made",
            )
        credit = share * Fraction(passed, checked)
        reason = f"抽查 {passed}/{checked} 合格，得 {format_amount(credit)}"
    elif kind == "checklist":
        assert it.checklist is not None
        n = len(it.checklist)
        credit = _ZERO
        lacking: list[str] = []
        for entry, expr in zip(it.checklist, ci.exprs, strict=True):
            part = entry.credit if entry.credit is not None else share / n
            if _run(expr, env):
                credit += part
            else:
                lacking.append(entry.label or entry.id)
        have = n - len(lacking)
        reason = f"具备 {have}/{n} 项，得 {format_amount(credit)}"
        if lacking:
            reason += "；缺：" + "、".join(lacking)
    elif kind == "given":
        assert it.given is not None
        raw = _run(ci.exprs[0], env)
        if isinstance(raw, bool) or not isinstance(raw, int | Fraction):
            raise ExpressionError("WZ503", f"item {it.id!r}: the given score is not a number")
        value = Fraction(raw)
        out_of = Fraction(it.given.out_of)
        if not _ZERO <= value <= out_of:
            raise ExpressionError(
                "WZ503",
                f"item {it.id!r}: the given score {exact_text(value)} "
                f"is outside 0–{it.given.out_of}",
                hint="a given score must lie between 0 and out_of",
            )
        credit = share * value / out_of
        reason = f"评分 {exact_text(value)}/{it.given.out_of}，得 {format_amount(credit)}"
    else:  # deduct
        deductions, taken = _deductions(ci.deductions, env, weight, share, at)
        taken = min(taken, share)
        credit = share - taken
        reason = (
            f"扣 {format_amount(taken)}，得 {format_amount(credit)}"
            if taken
            else f"无扣分，得 {format_amount(share)}"
        )
    vetoes = [_veto(v, env, at(v.path)) for v in ci.vetoes]
    vetoed = any(v.fired for v in vetoes)
    if vetoed:
        fired = next(v for v in vetoes if v.fired)
        reason = f"本项否决（{fired.label or fired.id}），得 0"
        credit = _ZERO
    return ItemResult(
        id=it.id,
        title=it.title,
        rule=kind,
        share=share,
        credit=credit,
        points=credit * weight,
        max_points=share * weight,
        vetoed=vetoed,
        reason=reason,
        vetoes=vetoes,
        deductions=deductions,
        source=it.source,
        ruling=it.ruling,
        at=at(ci.path),
    )


def _json_value(value: object) -> object:
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _indicator(
    cind: CompiledIndicator,
    findings: Findings,
    at: _Locator,
    not_assessed: list[NotAssessed],
    reference: bool | None = None,
) -> IndicatorResult:
    ind = cind.indicator
    weight = Fraction(ind.weight)
    facts = findings.facts.get(ind.id, {})
    env = _Env(
        _base_env(cind, facts, findings.department, findings.catalogs, findings.monitoring_date),
        facts,
        cind,
        reference=reference,
    )
    _fill_derived(env)
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

    def fact_reads() -> list[FactRead]:
        out = []
        for f in ind.facts:
            if f.id in facts:
                rec = facts[f.id]
                out.append(
                    FactRead(
                        id=f.id,
                        value=_json_value(rec.value),
                        evidence=list(rec.evidence),
                        note=rec.note,
                        at=str(rec.position) if rec.position else None,
                    )
                )
        for d in ind.derived:
            if d.id in env.base:
                out.append(FactRead(id=d.id, value=_json_value(env.base[d.id]), derived=True))
        return out

    try:
        if cind.applies is not None and not _run(cind.applies, env):
            return IndicatorResult(
                **common,
                applicable=False,
                assessed=True,
                vetoed=False,
                points=_ZERO,
                max_points=_ZERO,
                facts=fact_reads(),
                reasons=["不适用（不计入基础分，按比例折算）"],
            )
        if cind.kind == "penalty":
            deds, taken = _deductions(cind.deductions, env, weight, None, at)
            taken = min(taken, Fraction(1))
            points = -taken * abs(weight)
            reasons = [
                f"{d.label or d.id}：{d.count} 次 × {format_amount(d.each)}"
                for d in deds
                if d.count
            ]
            return IndicatorResult(
                **common,
                applicable=True,
                assessed=True,
                vetoed=False,
                points=points,
                max_points=weight,
                deductions=deds,
                facts=fact_reads(),
                reasons=reasons,
            )
        items: list[ItemResult] = []
        item_missing: list[str] = []
        for ci in cind.items:
            try:
                items.append(_item(ci, env, weight, at))
            except _Missing as exc:
                item_missing.extend(n for n in exc.names if n not in item_missing)
                items.append(_unassessed_item(ci, weight, at, f"缺少事实：{', '.join(exc.names)}"))
            except _NotAssessed as exc:
                items.append(_unassessed_item(ci, weight, at, str(exc)))
                not_assessed.append(
                    NotAssessed(indicator=ind.id, name=ind.name, item=ci.item.id, reason=str(exc))
                )
        vetoes: list[VetoResult] = []
        for v in cind.vetoes:
            try:
                vetoes.append(_veto(v, env, at(v.path)))
            except _Missing as exc:
                item_missing.extend(n for n in exc.names if n not in item_missing)
        try:
            deds, taken = _deductions(cind.deductions, env, weight, None, at)
        except _Missing as exc:
            item_missing.extend(n for n in exc.names if n not in item_missing)
        if item_missing:
            raise _Missing(item_missing)
        vetoed = any(v.fired for v in vetoes)
        earned = sum((i.credit for i in items), _ZERO) * weight
        reasons = [f"{i.id}：{i.reason}" for i in items if i.credit < i.share]
        if vetoed:
            points = _ZERO
            fired = [v for v in vetoes if v.fired]
            reasons = ["该指标不得分：" + "、".join(v.label or v.id for v in fired)]
        else:
            points = max(_ZERO, earned - taken * weight)
            reasons += [
                f"扣分 {d.label or d.id}：{d.count} × {format_amount(d.each)}"
                for d in deds
                if d.count
            ]
        return IndicatorResult(
            **common,
            applicable=True,
            assessed=all(i.assessed for i in items),
            vetoed=vetoed,
            points=points,
            max_points=weight,
            items=items,
            vetoes=vetoes,
            deductions=deds,
            facts=fact_reads(),
            reasons=reasons,
        )
    except _Missing as exc:
        not_assessed.append(
            NotAssessed(
                indicator=ind.id,
                name=ind.name,
                missing=exc.names,
                reason="缺少事实：" + "、".join(exc.names),
            )
        )
        return IndicatorResult(
            **common,
            applicable=True,
            assessed=False,
            vetoed=False,
            points=_ZERO,
            max_points=weight,
            facts=fact_reads(),
            missing=exc.names,
            reasons=["未评估：缺少 " + "、".join(exc.names)],
        )


def _unassessed_item(ci: CompiledItem, weight: Fraction, at: _Locator, why: str) -> ItemResult:
    it = ci.item
    return ItemResult(
        id=it.id,
        title=it.title,
        rule=it.rule_kind,
        share=it.share,
        credit=_ZERO,
        points=_ZERO,
        max_points=it.share * weight,
        assessed=False,
        reason=f"未评估：{why}",
        source=it.source,
        ruling=it.ruling,
        at=at(ci.path),
    )


def evaluate_compiled(
    crb: CompiledRulebook,
    findings: Findings,
    *,
    partial: bool = False,
    reference: bool | None = None,
) -> ScoreReport:
    """Score checked findings against a compiled rulebook.

    With ``partial=False`` anything not assessable (a missing fact, a spot check
    with no checks made) raises :class:`ValidationFailed` listing every case;
    with ``partial=True`` it is listed in ``report.not_assessed`` instead and
    the report is marked incomplete.  ``reference=True`` evaluates every expression
    with simpleeval, the evaluator of record, instead of its compiled form (default:
    ``WZEVAL_REFERENCE=1`` in the environment); the report is the same.
    """
    at = _Locator(crb)
    not_assessed: list[NotAssessed] = []
    results: list[IndicatorResult] = []
    errors: list[Issue] = []
    for cind in crb.indicators:
        try:
            results.append(_indicator(cind, findings, at, not_assessed, reference))
        except WzevalError as exc:
            errors.append(
                Issue(
                    getattr(exc, "code", "WZ500"),
                    f"{cind.indicator.id} ({cind.indicator.name}): {exc}",
                    path=("indicators", cind.indicator.id),
                    position=findings.positions.get(cind.indicator.id, Position(findings.file)),
                    hint=getattr(exc, "hint", None),
                    extra={"rule": format_path(cind.path)},
                )
            )
    if errors:
        raise ValidationFailed(errors, what=f"findings {findings.file}")
    if not_assessed and not partial:
        raise ValidationFailed(
            [
                Issue(
                    "WZ410",
                    f"{n.indicator} ({n.name})"
                    + (f" item {n.item}" if n.item else "")
                    + f" cannot be assessed: {n.reason}",
                    path=("indicators", n.indicator),
                    position=findings.positions.get(n.indicator, Position(findings.file)),
                    hint="record what is missing, or score with --partial",
                )
                for n in not_assessed
            ],
            what=f"findings {findings.file}",
        )
    categories: list[CategoryResult] = []
    rb = crb.rulebook
    for cat in rb.categories:
        mine = [r for r in results if r.category_id == cat.id]
        categories.append(
            CategoryResult(
                id=cat.id,
                name=cat.name,
                kind=cat.kind,
                weight=Fraction(cat.weight),
                applicable_weight=sum((r.max_points for r in mine), _ZERO),
                points=sum((r.points for r in mine), _ZERO),
            )
        )
    base_raw = sum((r.points for r in results if r.kind == "base"), _ZERO)
    base_possible = sum((r.max_points for r in results if r.kind == "base"), _ZERO)
    base = base_raw * 100 / base_possible if base_possible else _ZERO
    bonus = sum((r.points for r in results if r.kind == "bonus"), _ZERO)
    penalty = sum((r.points for r in results if r.kind == "penalty"), _ZERO)
    return ScoreReport(
        rulebook=RulebookRef(id=rb.id, title=rb.title, year=rb.year, file=crb.file),
        department=findings.department,
        department_id=findings.department_id,
        monitoring_date=findings.monitoring_date,
        assessors=list(findings.assessors),
        findings_file=findings.file,
        complete=not not_assessed,
        base_raw=base_raw,
        base_possible=base_possible,
        base=base,
        bonus=bonus,
        penalty=penalty,
        total=base + bonus + penalty,
        places=rb.arithmetic.places,
        categories=categories,
        indicators=results,
        not_assessed=not_assessed,
    )
