"""Scoring above the indicators: site-wide vetoes, gated categories and grades.

A table does not always add its indicators up and stop.  The national check table
vetoes a whole site when any 单项否决 holds ("即判定为不合格，不再对其他指标进行评分"),
scores its bonus part only when the deduction part is above 80, and gives every site a
grade (合格/不合格).  This module holds those three constructs — what names their
conditions read, in which order they are worked out, and how they are checked — so
that the engine only asks it.

Order of scoring, which is what makes a condition on scores well defined:

1. the indicators of ``veto`` categories; any fired veto stops everything else;
2. the base categories, then ``base`` (rescaled to 100 over the applicable weights);
3. each ``bonus`` or ``penalty`` category whose ``when:`` holds — a gate reads ``base``
   and the points of base categories, nothing computed after it;
4. ``total``, then the grades, which may read every score and ``vetoed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from wzeval.core._codes import WZ202, WZ211, WZ212, WZ213
from wzeval.core._i18n import _
from wzeval.core._issues import DocPath
from wzeval.expressions import CompiledExpression, Kind, TypeInfo
from wzeval.model._models import Grade, Rulebook
from wzeval.model._report import IndicatorResult, exact_total

__all__ = [
    "SCORE_NAMES",
    "Bases",
    "CompiledGate",
    "CompiledGrade",
    "CompiledOverall",
    "bases_of",
    "compile_overall",
    "decide_grade",
    "fired_vetoes",
    "gate_values",
    "grade_values",
    "rescaled_base",
]

#: The scores a grade may read besides each category's points (by category id).
SCORE_NAMES: dict[str, TypeInfo] = {
    "vetoed": TypeInfo(Kind.BOOL),
    "base": TypeInfo(Kind.DECIMAL),
    "bonus": TypeInfo(Kind.DECIMAL),
    "penalty": TypeInfo(Kind.DECIMAL),
    "total": TypeInfo(Kind.DECIMAL),
}
_CONSTANTS: dict[str, TypeInfo] = {"true": TypeInfo(Kind.BOOL), "false": TypeInfo(Kind.BOOL)}


@dataclass(frozen=True)
class CompiledGate:
    """A category scored only when a condition on scores holds."""

    category_id: str
    source: str
    expr: CompiledExpression


@dataclass(frozen=True)
class CompiledGrade:
    """One grade rule with its compiled condition."""

    grade: Grade
    expr: CompiledExpression
    path: DocPath


@dataclass(frozen=True)
class CompiledOverall:
    """The rulebook's gates (by category id) and grades, ready to evaluate."""

    gates: Mapping[str, CompiledGate]
    grades: tuple[CompiledGrade, ...]
    #: indicators a site-wide veto or a gate may keep from being scored: their missing
    #: facts are reported only if they are scored after all (by the engine, WZ410)
    stoppable: frozenset[str] = frozenset()


Compile = Callable[[str, dict[str, TypeInfo], DocPath, Kind], CompiledExpression | None]
Report = Callable[[str, str, DocPath, str | None], None]


def compile_overall(rb: Rulebook, compile_: Compile, issue: Report) -> CompiledOverall:
    """Check and compile the gates and grades of a rulebook, reporting every problem."""
    grade_names = _score_names(rb, issue)
    gates = _gates(rb, grade_names, compile_, issue)
    grades = _grades(rb, grade_names, compile_, issue)
    has_vetoes = any(c.kind == "veto" for c in rb.categories)
    stoppable = frozenset(
        ind.id
        for c in rb.categories
        if c.id in gates or (has_vetoes and c.kind != "veto")
        for ind in c.indicators
    )
    return CompiledOverall(gates, tuple(grades), stoppable)


def _score_names(rb: Rulebook, issue: Report) -> dict[str, TypeInfo]:
    """What gates and grades may read: the scores, each category's points and each
    part's base; a category or part named like a score (or a part like a category) is
    WZ202."""
    uses_scores = bool(rb.grades) or any(c.when is not None for c in rb.categories)
    for i, cat in enumerate(rb.categories):
        if uses_scores and cat.id in SCORE_NAMES:
            issue(
                WZ202,
                _("category id {cat_id!r} is the name of a score").format(cat_id=cat.id),
                ("categories", i, "id"),
                _("rename it; {score_names} name the report's scores").format(
                    score_names=", ".join(SCORE_NAMES)
                ),
            )
    grade_names = {**_CONSTANTS, **SCORE_NAMES}
    grade_names.update({c.id: TypeInfo(Kind.DECIMAL) for c in rb.categories})
    grade_names.update({p.id: TypeInfo(Kind.DECIMAL) for p in rb.parts})
    cat_ids = {c.id for c in rb.categories}
    for i, part in enumerate(rb.parts):
        if part.id in SCORE_NAMES or part.id in cat_ids:
            issue(
                WZ202,
                _("part id {part_id!r} is also the name of a score or a category").format(
                    part_id=part.id
                ),
                ("parts", i, "id"),
                _("rename it: gates and grades read a part's base by its id"),
            )
    return grade_names


def _gates(
    rb: Rulebook, grade_names: dict[str, TypeInfo], compile_: Compile, issue: Report
) -> dict[str, CompiledGate]:
    """Each bonus or penalty category's gate, compiled; a gate on another kind (WZ213)
    or one that reads a score worked out after it (WZ211) is reported and left out."""
    base_ids = [c.id for c in rb.categories if c.kind == "base"]
    later = set(SCORE_NAMES) - {"base"} | {c.id for c in rb.categories if c.kind != "base"}
    gates: dict[str, CompiledGate] = {}
    for i, cat in enumerate(rb.categories):
        if cat.when is None:
            continue
        path: DocPath = ("categories", i, "when")
        if cat.kind not in ("bonus", "penalty"):
            issue(
                WZ213,
                _(
                    "category {cat_id!r} is {kind}: only bonus and penalty "
                    "categories are scored on a condition"
                ).format(cat_id=cat.id, kind=cat.kind),
                path,
                _(
                    "the base is worked out from the base categories, so it "
                    "cannot wait for a score; remove when:"
                ),
            )
            continue
        # compiled against every score name, so that reading a later one is a cycle, not
        # an unknown name
        expr = compile_(cat.when, grade_names, path, Kind.BOOL)
        if expr is None:
            continue
        cycle = sorted(expr.names & later)
        if cycle:
            issue(
                WZ211,
                _(
                    "the gate of category {cat_id!r} reads {cycle}, worked "
                    "out only after the gated categories are scored"
                ).format(cat_id=cat.id, cycle=", ".join(cycle)),
                path,
                _(
                    "a gate may read base, the bases of parts and the points "
                    "of base categories ({value})"
                ).format(value=", ".join([*base_ids, *(p.id for p in rb.parts)])),
            )
            continue
        gates[cat.id] = CompiledGate(cat.id, cat.when, expr)
    return gates


def _grades(
    rb: Rulebook, grade_names: dict[str, TypeInfo], compile_: Compile, issue: Report
) -> list[CompiledGrade]:
    """The grade rules, compiled in order; a rule that can never give its grade (after
    one that always holds, or on a false condition) is WZ212."""
    grades: list[CompiledGrade] = []
    always: int | None = None
    for i, g in enumerate(rb.grades):
        path: DocPath = ("grades", i)
        if always is not None:
            issue(
                WZ212,
                _(
                    "grade rule {number} ({grade}) can never give its grade: "
                    "rule {earlier} before it always holds"
                ).format(number=i + 1, grade=g.grade, earlier=always + 1),
                (*path, "when"),
                _("put the rule that always holds last, or delete this one"),
            )
        expr = compile_(g.when, grade_names, (*path, "when"), Kind.BOOL)
        if expr is None:
            continue
        if g.when.strip() in ("true", "True"):
            always = i if always is None else always
        elif g.when.strip() in ("false", "False"):
            issue(
                WZ212,
                _(
                    "grade rule {number} ({grade}) can never give its grade: its condition is false"
                ).format(number=i + 1, grade=g.grade),
                (*path, "when"),
                _("write the condition on scores that gives this grade, or delete the rule"),
            )
        grades.append(CompiledGrade(g, expr, path))
    return grades


_CONSTANT_VALUES: dict[str, object] = {"true": True, "false": False}


def gate_values(base: Fraction, category_points: Mapping[str, Fraction]) -> dict[str, object]:
    """The names a gate reads: ``base``, each base category's points and each part's
    base (by id)."""
    return {**_CONSTANT_VALUES, "base": base, **category_points}


def grade_values(
    *,
    vetoed: bool,
    bases: Bases,
    bonus: Fraction,
    penalty: Fraction,
    total: Fraction,
    category_points: Mapping[str, Fraction],
) -> dict[str, object]:
    """The names a grade reads (:data:`SCORE_NAMES`, each category's points and each
    part's base by id), with their values for one report."""
    return {
        **_CONSTANT_VALUES,
        "vetoed": vetoed,
        "base": bases.base,
        "bonus": bonus,
        "penalty": penalty,
        "total": total,
        **category_points,
        **bases.by_part,
    }


def decide_grade(
    grades: tuple[CompiledGrade, ...], values: Mapping[str, object]
) -> CompiledGrade | None:
    """The first grade rule whose condition holds for these scores (``None``: none does)."""
    for g in grades:
        if g.expr.evaluate(values):
            return g
    return None


def rescaled_base(results: Iterable[IndicatorResult]) -> tuple[Fraction, Fraction, Fraction]:
    """The base indicators' raw points, their applicable weights, and the base rescaled
    to 100 over those weights (0 when nothing applies)."""
    base = [r for r in results if r.kind == "base"]
    raw = exact_total(r.points for r in base)
    possible = exact_total(r.max_points for r in base)
    return raw, possible, raw * 100 / possible if possible else Fraction(0)


@dataclass(frozen=True)
class Bases:
    """The base of a report, and of each of its parts."""

    raw: Fraction
    possible: Fraction
    base: Fraction
    parts: Mapping[str, tuple[Fraction, Fraction, Fraction]]  # part id → raw, possible, base
    by_part: Mapping[str, Fraction]  # part id → its base


def bases_of(results: list[IndicatorResult], rb: Rulebook) -> Bases:
    """The base: rescaled over the applicable weights, or — with parts — each part
    rescaled on its own and the parts combined by their weights."""
    raw, possible, base = rescaled_base(results)
    if not rb.parts:
        return Bases(raw, possible, base, {}, {})
    part_of = {c.id: c.part for c in rb.categories}
    parts = {
        part.id: rescaled_base(r for r in results if part_of.get(r.category_id) == part.id)
        for part in rb.parts
    }
    by_part = {pid: v[2] for pid, v in parts.items()}
    combined = exact_total(part.weight * by_part[part.id] for part in rb.parts)
    return Bases(raw, possible, combined, parts, by_part)


def fired_vetoes(
    results: Iterable[IndicatorResult], rb: Rulebook, part: str | None
) -> list[dict[str, Any]]:
    """The fired vetoes of the veto categories of a part (``None``: of the whole site),
    as the fields of a :class:`wzeval.model._report.SiteVeto`."""
    cats = {c.id for c in rb.categories if c.kind == "veto" and c.part == part}
    return [
        {
            "indicator": r.id,
            "name": r.name,
            "id": v.id,
            "label": v.label,
            "source": v.source,
            "at": v.at,
        }
        for r in results
        if r.category_id in cats
        for v in r.vetoes
        if v.fired
    ]
