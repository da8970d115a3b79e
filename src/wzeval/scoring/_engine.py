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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, cast

from wzeval import expressions
from wzeval.checking._applicability import (
    FactEnv,
    applicability,
    base_env,
    fill_derived,
    shared_records,
)
from wzeval.checking._checks import CompiledPending, CompiledRulebook
from wzeval.checking._findings import Findings
from wzeval.checking._overall import Bases, bases_of, decide_grade, grade_values
from wzeval.core._codes import WZ410, WZ500, WZ501
from wzeval.core._errors import ExpressionError, ValidationFailed, WzevalError
from wzeval.core._i18n import _, language, speaking
from wzeval.core._issues import Issue, Position, format_path
from wzeval.expressions import CompiledExpression
from wzeval.kinds import Missing, NotAssessedYet
from wzeval.model._report import (
    CategoryResult,
    DeductionResult,
    FactRead,
    GradeResult,
    IndicatorResult,
    ItemResult,
    NotAssessed,
    PartResult,
    ScoreReport,
    SiteVeto,
    VetoResult,
    deferred,
    exact_total,
    trusted,
)
from wzeval.scoring import _order
from wzeval.scoring._evalplan import (
    ZERO,
    Build,
    DeductionPlan,
    IndicatorPlan,
    ItemPlan,
    VetoPlan,
    indicator_plans,
    report_header,
    validated,
)
from wzeval.scoring._factreads import fact_reads
from wzeval.scoring._fasteval import (
    FastIndicator,
    IndicatorPoints,
    fast_figures,
    fast_plan,
    fast_points,
)

__all__ = ["applicability", "evaluate_compiled", "shared_records"]


@dataclass
class _Env(FactEnv):
    """The names an indicator's expressions read (:class:`wzeval.checking._applicability.FactEnv`),
    and what a rule kind scores one item with (:class:`wzeval.kinds.Scorer`):
    :func:`_item` points it at the item before handing it over."""

    # the item being scored (see _item)
    weight: Fraction = Fraction(0)
    item_id: str = ""
    item_deductions: tuple[DeductionPlan, ...] = ()
    build: Build | None = None

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


def _veto(p: VetoPlan, env: _Env, build: Build) -> VetoResult:
    fired = bool(env.run(p.cv.when))
    return build(VetoResult, {**p.static, "fired": fired})


def _count(expr: CompiledExpression, env: _Env, what: str) -> int:
    n = env.run(expr)
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ExpressionError(
            WZ501,
            _("{what} must be a whole number ≥ 0 (got {value!r})").format(what=what, value=n),
            hint=_("check the facts"),
        )
    return n


def _deductions(
    plans: tuple[DeductionPlan, ...], env: _Env, weight: Fraction, build: Build
) -> tuple[list[DeductionResult], Fraction]:
    """Per-occurrence deductions, each stopped at its cap; returns results and the sum."""
    out: list[DeductionResult] = []
    total = ZERO
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


def _item(p: ItemPlan, env: _Env, weight: Fraction, build: Build) -> tuple[ItemResult, bool]:
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
            reason = _("vetoed by this item's veto ({label}): 0").format(label=v.label or v.id)
            credit, points = ZERO, ZERO
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


_Reads = Callable[[], list[FactRead]]


def _indicator(
    p: IndicatorPlan,
    findings: Findings,
    not_assessed: list[NotAssessed],
    build: Build,
    reference: bool | None = None,
) -> IndicatorResult:
    """One indicator's result: not applicable, pending, a penalty, or scored by its items;
    not assessed (and listed in ``not_assessed``) when a fact it needs is missing."""
    cind = p.cind
    facts = findings.facts.get(cind.indicator.id, {})
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

    def reads() -> list[FactRead]:  # built last: what the evaluation read
        return fact_reads(cind.indicator, facts, env.base, build)

    try:
        if cind.applies is not None and not env.run(cind.applies):
            return _not_applicable(p, reads, build)
        for pend in cind.pending:
            if env.run(pend.when):
                return _pending(p, pend, env, not_assessed, reads(), build)
        if cind.kind == "penalty":
            return _penalty(p, env, reads, build)
        return _scored(p, env, not_assessed, reads, build)
    except Missing as exc:
        return _missing(p, exc.names, not_assessed, reads, build)


def _not_applicable(p: IndicatorPlan, reads: _Reads, build: Build) -> IndicatorResult:
    """An indicator whose ``applies`` is false: it leaves the base, which is rescaled."""
    values = {
        **p.common,
        "applicable": False,
        "assessed": True,
        "vetoed": False,
        "points": ZERO,
        "max_points": ZERO,
        "facts": reads(),
        "reasons": [_("not applicable (left out of the base, which is rescaled)")],
    }
    return build(IndicatorResult, values)


def _penalty(p: IndicatorPlan, env: _Env, reads: _Reads, build: Build) -> IndicatorResult:
    """A penalty indicator: its deductions together, never beyond its weight."""
    weight = p.weight
    deds, taken = _deductions(p.deductions, env, weight, build)
    taken = min(taken, Fraction(1))
    values = {
        **p.common,
        "applicable": True,
        "assessed": True,
        "vetoed": False,
        "points": -taken * abs(weight),
        "max_points": weight,
        "deductions": deds,
        "facts": reads(),
        "reasons": [
            _("{name}: {count} times × {each}").format(
                name=dp.name, count=d.count, each=dp.each_text
            )
            for dp, d in zip(p.deductions, deds, strict=True)
            if d.count
        ],
    }
    return build(IndicatorResult, values)


def _note_missing(missing: list[str], exc: Missing) -> None:
    missing.extend(n for n in exc.names if n not in missing)


def _items(
    p: IndicatorPlan,
    env: _Env,
    not_assessed: list[NotAssessed],
    build: Build,
    missing: list[str],
) -> tuple[list[ItemResult], list[str]]:
    """Every item's result and the reasons of those that earned less than their share.

    An item that misses a fact is shown as not assessed and its facts are added to
    ``missing`` (the indicator is then not assessed); one not assessable yet is listed
    in ``not_assessed`` by itself.
    """
    ind = p.cind.indicator
    items: list[ItemResult] = []
    reasons: list[str] = []
    for ip in p.items:
        try:
            result, short = _item(ip, env, p.weight, build)
        except Missing as exc:
            _note_missing(missing, exc)
            why = _("missing facts: {names}").format(names=", ".join(exc.names))
            items.append(_unassessed_item(ip, build, why))
            if ip.share > ZERO:
                title = ip.static["title"] or ip.ci.item.id
                reasons.append(_("{title}: not assessed: {why}").format(title=title, why=why))
        except NotAssessedYet as exc:
            items.append(_unassessed_item(ip, build, str(exc)))
            if ip.share > ZERO:
                title = ip.static["title"] or ip.ci.item.id
                reasons.append(_("{title}: not assessed: {why}").format(title=title, why=exc))
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
                title = result.title or result.id
                reasons.append(_("{title}: {reason}").format(title=title, reason=result.reason))
    return items, reasons


def _scored(
    p: IndicatorPlan, env: _Env, not_assessed: list[NotAssessed], reads: _Reads, build: Build
) -> IndicatorResult:
    """A base, bonus or veto indicator: its items' points, then its vetoes and deductions.

    Every missing fact of the items, vetoes and deductions is gathered before
    :class:`Missing` is raised, so that the report names them all at once.
    """
    weight = p.weight
    missing: list[str] = []
    items, reasons = _items(p, env, not_assessed, build, missing)
    vetoes: list[VetoResult] = []
    for v in p.vetoes:
        try:
            vetoes.append(_veto(v, env, build))
        except Missing as exc:
            _note_missing(missing, exc)
    try:
        deds, taken = _deductions(p.deductions, env, weight, build)
    except Missing as exc:
        _note_missing(missing, exc)
    if missing:
        raise Missing(missing)
    fired = [v for v in vetoes if v.fired]
    if fired:
        points = ZERO
        labels = _(", ").join(v.label or v.id for v in fired)
        head = _("vetoed: {labels}") if p.cind.kind == "veto" else _("no points: {labels}")
        reasons = [head.format(labels=labels)]
    else:
        earned = exact_total(i.points for i in items)
        points = max(ZERO, earned - taken * weight if taken else earned)
        reasons += [
            _("deduction {name}: {count} × {each}").format(
                name=dp.name, count=d.count, each=dp.each_text
            )
            for dp, d in zip(p.deductions, deds, strict=True)
            if d.count
        ]
    values = {
        **p.common,
        "applicable": True,
        "assessed": all(i.assessed for i in items),
        "vetoed": bool(fired),
        "points": points,
        "max_points": weight,
        "items": items,
        "vetoes": vetoes,
        "deductions": deds,
        "facts": reads(),
        "reasons": reasons,
    }
    return build(IndicatorResult, values)


def _missing(
    p: IndicatorPlan, names: list[str], not_assessed: list[NotAssessed], reads: _Reads, build: Build
) -> IndicatorResult:
    """An indicator not assessed for want of facts: listed in ``not_assessed``, no points."""
    listed = _(", ").join(names)
    reason = _("missing facts: {names}").format(names=listed)
    extra = {"missing": names, "reasons": [_("not assessed: missing {names}").format(names=listed)]}
    return _not_assessed(
        p, {"missing": names, "reason": reason}, not_assessed, reads(), extra, build
    )


def _pending(
    p: IndicatorPlan,
    pend: CompiledPending,
    env: _Env,
    not_assessed: list[NotAssessed],
    facts: list[FactRead],
    build: Build,
) -> IndicatorResult:
    """An indicator that cannot be assessed yet: not assessed, with the date it can be."""
    when = env.run(pend.assessable_from)
    day = when.isoformat() if isinstance(when, date) else str(when)
    what = pend.pending.label or pend.pending.id
    reason = _("cannot be assessed yet: {what}; assessable from {day}").format(what=what, day=day)
    na = {"reason": reason, "pending": pend.pending.id}
    extra = {"pending": pend.pending.id, "reasons": [reason]}
    return _not_assessed(p, na, not_assessed, facts, extra, build)


def _not_assessed(
    p: IndicatorPlan,
    why: dict[str, Any],
    not_assessed: list[NotAssessed],
    facts: list[FactRead],
    extra: dict[str, Any],
    build: Build,
) -> IndicatorResult:
    """An indicator not assessed (``why``: what :class:`NotAssessed` says besides the
    indicator), listed in ``not_assessed``: no points, its weight still possible."""
    ind = p.cind.indicator
    not_assessed.append(build(NotAssessed, {"indicator": ind.id, "name": ind.name, **why}))
    values = {
        **p.common,
        "applicable": True,
        "assessed": False,
        "vetoed": False,
        "points": ZERO,
        "max_points": p.weight,
        "facts": facts,
        **extra,
    }
    return build(IndicatorResult, values)


def _unassessed_item(p: ItemPlan, build: Build, why: str) -> ItemResult:
    values = {
        **p.static,
        "credit": ZERO,
        "points": ZERO,
        "assessed": False,
        "reason": _("not assessed: {why}").format(why=why),
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
        points: dict[str, IndicatorPoints] = {}
        known = fast_figures(crb, findings, points)
        if known is not None:
            # the explanation's texts are made later, but in the language of now
            lang = language()

            def build() -> ScoreReport:
                with speaking(lang):
                    return _full(crb, findings, partial, False, False)

            return deferred(known, build)
        if not partial:
            _refuse_early(crb, findings, points, reference)
    return _full(crb, findings, partial, use_reference, reference)


def _refuse_early(
    crb: CompiledRulebook,
    findings: Findings,
    known: dict[str, IndicatorPoints],
    reference: bool | None,
) -> None:
    """Raise what :func:`_full` would raise for findings it must refuse (most often
    WZ410), without explaining what scores as usual: in the order of record, each
    indicator by its fast points where it has them (they only feed the gates) and by
    the full evaluation where not, which gives the refusal's issues.  Nothing to
    refuse: it returns, and :func:`_full` decides.  ``known``: the points the fast
    evaluation worked out before it gave up."""
    fast = fast_plan(crb)
    if fast is None:
        return
    run = _Scoring(crb, findings, trusted, reference, fast, known)
    run.in_order()
    _refuse(run, findings, False)


def _full(
    crb: CompiledRulebook,
    findings: Findings,
    partial: bool,
    use_reference: bool,
    reference: bool | None,
) -> ScoreReport:
    """The evaluation of record: every result built and explained as it is scored."""
    run = _Scoring(crb, findings, validated if use_reference else trusted, reference)
    results = run.in_order()
    _refuse(run, findings, partial)
    return run.report(results)


def _refuse(run: _Scoring, findings: Findings, partial: bool) -> None:
    """Raise the errors of a scoring, or (strictly) what it could not assess."""
    if run.errors:
        raise ValidationFailed(run.errors, what=f"findings {findings.file}")
    if run.not_assessed and not partial:
        raise ValidationFailed(
            [_unassessable(n, findings) for n in run.not_assessed],
            what=f"findings {findings.file}",
        )


def _unassessable(n: NotAssessed, findings: Findings) -> Issue:
    """WZ410 for what could not be assessed in a complete (not partial) scoring."""
    return Issue(
        WZ410,
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
    """One findings document scored in the order of :mod:`wzeval.scoring._order` (the
    vetoes, the base, the gated categories); then the report with its parts and grade."""

    def __init__(
        self,
        crb: CompiledRulebook,
        findings: Findings,
        build: Build,
        reference: bool | None,
        fast: tuple[FastIndicator, ...] | None = None,
        known: dict[str, IndicatorPoints] | None = None,
    ) -> None:
        #: each indicator's fast points, tried first (:func:`_refuse_early`), if given,
        #: and those already known
        self.fast = {f.id: f for f in fast or ()}
        self.known = known or {}
        self.crb = crb
        self.rb = crb.rulebook
        self.findings = findings
        self.build = build
        self.reference = reference
        self.plans = indicator_plans(crb)
        self.scored: dict[str, IndicatorResult] = {}
        self.errors: list[Issue] = []
        self.not_assessed: list[NotAssessed] = []
        self.stopped: dict[str, str] = {}  # category id → why it was not scored
        self.site_vetoes: list[SiteVeto] = []
        self.part_vetoes: dict[str, list[SiteVeto]] = {}

    def score(self, kinds: tuple[str, ...], stopped: Mapping[str, _order.Stop]) -> None:
        """Score the indicators of these category kinds whose category is not stopped."""
        findings = self.findings
        for plan in self.plans:
            cind = plan.cind
            if cind.kind not in kinds or cind.category_id in stopped:
                continue
            quick = self.fast.get(cind.indicator.id)
            if quick is not None:
                try:
                    points = self.known.get(quick.id) or fast_points(quick, findings)
                except Exception:  # not usual: evaluated in full below
                    pass
                else:
                    self.scored[cind.indicator.id] = cast(IndicatorResult, points)
                    continue
            try:
                self.scored[cind.indicator.id] = _indicator(
                    plan, findings, self.not_assessed, self.build, self.reference
                )
            except WzevalError as exc:
                self.errors.append(
                    Issue(
                        getattr(exc, "code", WZ500),
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

    def in_order(self) -> list[IndicatorResult]:
        """Every indicator's result in table order (:mod:`wzeval.scoring._order`); a
        stopped one says why."""
        order = _order.in_order(self.crb, self.scored, self.score)
        build = self.build
        self.site_vetoes = [build(SiteVeto, v) for v in order.site_vetoes]
        self.part_vetoes = {
            part: [build(SiteVeto, v) for v in vetoes] for part, vetoes in order.part_vetoes.items()
        }
        self.stopped = {category: self.why(stop) for category, stop in order.stopped.items()}
        return _order.listed(
            self.plans, self.scored, self.stopped, lambda p, why: _stopped(p, why, build)
        )

    def why(self, stop: _order.Stop) -> str:
        """Why a category is not scored, in words."""
        if stop.gate is not None:
            return _("not scored: the condition {gate} does not hold").format(gate=stop.gate.source)
        if stop.part is not None:
            names = _(", ").join(v.label or v.id for v in self.part_vetoes[stop.part.id])
            return _("not scored: {part} vetoed ({labels})").format(
                part=stop.part.name, labels=names
            )
        labels = _(", ").join(v.label or v.id for v in self.site_vetoes)
        return _("not scored: vetoed ({labels})").format(labels=labels)

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
        header = report_header(
            self.crb,
            findings,
            build,
            complete=not self.not_assessed,
            bases=bases,
            bonus=bonus,
            penalty=penalty,
            total=total,
        )
        values = {
            **header,
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


def _stopped(p: IndicatorPlan, why: str, build: Build) -> IndicatorResult:
    """An indicator that a site-wide veto or its category's gate kept from being scored:
    no points, not in the base, and its facts not needed."""
    values = {
        **p.common,
        "applicable": True,
        "assessed": True,
        "vetoed": False,
        "scored": False,
        "points": ZERO,
        "max_points": ZERO,
        "reasons": [why],
    }
    return build(IndicatorResult, values)
