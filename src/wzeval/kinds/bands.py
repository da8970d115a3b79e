"""``bands``: credit by which band a count falls in (0 → 0, 1–4 → half, 5+ → all)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar

from pydantic import Field

from wzeval.core._codes import WZ208
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
    RowAnalysis,
    RowIssue,
    RuleKind,
    Scorer,
    Targets,
    fast_count,
    shown,
)
from wzeval.model._conditions import Interval, Ranges
from wzeval.model._modelbase import Amount, Expr, Label, StrictModel, format_amount

__all__ = ["KIND", "Band", "Bands", "band_ranges", "band_text", "dead_rows"]

_ZERO = Fraction(0)


class Band(StrictModel):
    """A count band ``min ≤ count ≤ max`` (``max`` omitted: no upper bound)."""

    min: int = Field(ge=0)
    max: int | None = Field(None, ge=0)
    credit: Amount
    label: Label | None = None


class Bands(StrictModel):
    """Credit by which band a count falls in (0 → 0, 1–4 → half, 5+ → all)."""

    count: Expr
    rows: list[Band] = Field(min_length=1)


def band_ranges(lo: int, hi: int | None) -> Ranges:
    """The counts of one band, for the condition analysis."""
    return Ranges.of(
        [Interval(Fraction(lo), Fraction(hi) if hi is not None else None)], discrete=True
    )


def band_text(lo: int, hi: int | None) -> str:
    """A band as people read it: ``5+``, ``3``, ``1–4``."""
    if hi is None:
        return f"{lo}+"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def dead_rows(rule: Bands, t: Analysis) -> set[int]:
    """Rows (indexes) no count can reach: outside the count's range, or covered by
    earlier rows."""
    domain = t.count_range(rule.count)
    seen = Ranges.of([], True)
    dead: set[int] = set()
    for i, band in enumerate(rule.rows):
        rows = band_ranges(band.min, band.max)
        if rows.intersect(domain).minus(seen).is_empty():
            dead.add(i)
        seen = seen.union(rows)
    return dead


def _unreachable(rule: Bands, path: DocPath, item: str, domain: Ranges) -> Iterator[RowIssue]:
    """WL002: bands no count can fall in, or whose counts earlier bands all take."""
    seen = Ranges.of([], True)
    for i, band in enumerate(rule.rows):
        band_set = band_ranges(band.min, band.max)
        where = (*path, "rows", i)
        live = band_set.intersect(domain)
        if live.is_empty():
            yield RowIssue(
                "WL002",
                where,
                _("{item}: band {band} can never match: {count!r} is always {values}").format(
                    item=item,
                    band=band_text(band.min, band.max),
                    count=rule.count,
                    values=domain.describe(),
                ),
                _("fix the band or the fact's min/max, or delete the row"),
            )
        elif live.minus(seen).is_empty():
            yield RowIssue(
                "WL002",
                where,
                _(
                    "{item}: band {band} is never reached: earlier rows "
                    "already cover all its counts"
                ).format(item=item, band=band_text(band.min, band.max)),
                _("bands must not overlap; fix min/max"),
            )
        seen = seen.union(band_set)


def _gaps(rule: Bands, path: DocPath, item: str, domain: Ranges) -> Iterator[RowIssue]:
    """WL004: counts the count expression can take that fall in no band."""
    covered = Ranges.of([], True)
    for band in rule.rows:
        covered = covered.union(band_ranges(band.min, band.max))
    gaps = domain.minus(covered)
    if not gaps.is_empty():
        yield RowIssue(
            "WL004",
            (*path, "rows"),
            _("{item}: count {values} of {count!r} falls in no band and earns 0").format(
                item=item, values=gaps.describe(), count=rule.count
            ),
            _(
                "add rows so every possible count has one (a 0% row says "
                "'nothing' explicitly), or leave the last row open"
            ),
            key=True,
        )


def _overlaps(rule: Bands, path: DocPath, item: str, domain: Ranges) -> Iterator[RowIssue]:
    """WL005: a band sharing some (not all) of its counts with earlier bands."""
    rows = rule.rows
    for j, later in enumerate(rows):
        mine = band_ranges(later.min, later.max).intersect(domain)
        earlier = Ranges.of([], True)
        for b in rows[:j]:
            earlier = earlier.union(band_ranges(b.min, b.max))
        shared = mine.intersect(earlier)
        if shared.is_empty() or mine.minus(earlier).is_empty():
            continue
        first = next(
            i
            for i, b in enumerate(rows[:j])
            if not band_ranges(b.min, b.max).intersect(mine).is_empty()
        )
        yield RowIssue(
            "WL005",
            (*path, "rows", j),
            _(
                "{item}: band {band} overlaps band {band2} at count "
                "{values}; the earlier row wins there"
            ).format(
                item=item,
                band=band_text(later.min, later.max),
                band2=band_text(rows[first].min, rows[first].max),
                values=shared.describe(),
            ),
            _("make each row start one above where the previous one ends"),
        )


def _decreasing(rule: Bands, path: DocPath, item: str) -> Iterator[RowIssue]:
    """WL006: a band of larger counts that earns less than a band of smaller ones."""
    order = sorted(enumerate(rule.rows), key=lambda p: p[1].min)
    for (_lo_j, lo_b), (j, hi_b) in pairwise(order):
        if hi_b.credit < lo_b.credit:
            yield RowIssue(
                "WL006",
                (*path, "rows", j, "credit"),
                _(
                    "{item}: band {band} earns {credit}, less than the lower "
                    "band {band2} ({credit2})"
                ).format(
                    item=item,
                    band=band_text(hi_b.min, hi_b.max),
                    credit=format_amount(hi_b.credit),
                    band2=band_text(lo_b.min, lo_b.max),
                    credit2=format_amount(lo_b.credit),
                ),
                _("more should never earn less; if fewer is better, use a deduction"),
            )


class BandsKind(RuleKind):
    key = "bands"
    annotation = Bands
    description = "credit by the band a count falls in; counts in no band earn 0"
    label = "区间"
    title = N_("bands (by count)")
    order = 40
    merge = "fields"
    diff_fields: ClassVar[DiffFields] = {
        Band: {"min": True, "max": True, "credit": True, "label": False},
        Bands: {"count": True, "rows": None},
    }
    diff_members: ClassVar[Mapping[str, bool]] = {"band": True}

    def compile(
        self, rule: Bands, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        expr = c.expr(rule.count, (*path, "count"), Kind.INT)
        for i, b in enumerate(rule.rows):
            if b.max is not None and b.max < b.min:
                c.issue(
                    WZ208,
                    _("band {b_min}–{b_max} is empty (max < min)").format(b_min=b.min, b_max=b.max),
                    (*path, "rows", i),
                )
            c.at_most_share(b.credit, (*path, "rows", i, "credit"))
        return None if expr is None else {"count": expr}

    def plan(
        self, rule: Bands, share: Fraction, weight: Fraction
    ) -> tuple[tuple[int, int | None, Fraction, Fraction, str, str], ...]:
        return tuple(
            (
                band.min,
                band.max,
                band.credit,
                band.credit * weight,
                _(" or more") if band.max is None else f"–{band.max}",
                shown(band.credit),
            )
            for band in rule.rows
        )

    def evaluate(
        self,
        rule: Bands,
        plan: tuple[tuple[int, int | None, Fraction, Fraction, str, str], ...],
        exprs: Mapping[str, CompiledExpression],
        s: Scorer,
    ) -> Outcome:
        n = s.count(exprs["count"], _("the count of {item!r}").format(item=s.item_id))
        for i, (low, high, credit, points, upper, credit_text) in enumerate(plan):
            if low <= n and (high is None or n <= high):
                reason = _("count {n} in the band {low}{upper}: {credit}").format(
                    n=n, low=low, upper=upper, credit=credit_text
                )
                return Outcome(credit, reason, (f"band{i + 1}",), points)
        return Outcome(_ZERO, _("count {n} in no band: 0").format(n=n), (), _ZERO)

    def fast(
        self,
        rule: Bands,
        plan: tuple[tuple[int, int | None, Fraction, Fraction, str, str], ...],
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints:
        count = exprs["count"].fast()
        rows = tuple((low, high, points) for low, high, _c, points, _u, _t in plan)

        def run(env: Mapping[str, object]) -> Fraction:
            n = fast_count(count, env)
            for low, high, points in rows:
                if low <= n and (high is None or n <= high):
                    return points
            return _ZERO

        return run

    def sources(self, rule: Bands) -> list[str]:
        return [rule.count]

    def targets(
        self,
        rule: Bands,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        dead = dead_rows(rule, t)
        for i, b in enumerate(rule.rows):
            t.add(
                f"band{i + 1}",
                "band",
                f"band {band_text(b.min, b.max)} → {format_amount(b.credit)}",
                (*path, "rows", i),
                i not in dead,
            )

    def never_earns(self, rule: Bands, share: Fraction, t: Analysis) -> str | None:
        domain = t.count_range(rule.count)
        if all(
            b.credit == 0 or band_ranges(b.min, b.max).intersect(domain).is_empty()
            for b in rule.rows
        ):
            return _("no band that gives credit can ever match")
        return None

    def always_full(self, rule: Bands, share: Fraction, t: Analysis) -> str | None:
        domain = t.count_range(rule.count)
        covered = Ranges.of([], True)
        for b in rule.rows:
            covered = covered.union(band_ranges(b.min, b.max))
        if domain.minus(covered).is_empty() and all(
            b.credit == share or band_ranges(b.min, b.max).intersect(domain).is_empty()
            for b in rule.rows
        ):
            return _("every band that can match gives the whole share")
        return None

    def lint_rows(
        self, rule: Bands, path: DocPath, item: str, t: RowAnalysis
    ) -> Iterator[RowIssue]:
        domain = t.count_range(rule.count)
        yield from _unreachable(rule, path, item, domain)
        yield from _gaps(rule, path, item, domain)
        yield from _overlaps(rule, path, item, domain)
        yield from _decreasing(rule, path, item)

    def describe(self, rule: Bands, share: Fraction, d: Describer) -> list[str]:
        out = [
            _("Points by the band the count {count} falls in:").format(count=d.code(rule.count)),
            "",
            "| " + " | ".join((_("Count"), _("Note"), _("Points"))) + " |",
            "|---|---|---|",
        ]
        for band in rule.rows:
            if band.max is None:
                span = _("{min} or more").format(min=band.min)
            elif band.max == band.min:
                span = str(band.min)
            else:
                span = f"{band.min}–{band.max}"
            out.append(f"| {span} | {d.cell(band.label)} | {d.share(band.credit)} |")
        return [*out, ""]

    def diff(self, old: Bands, new: Bands, path: DocPath, d: Differ) -> None:
        d.fields("bands", path, old, new)
        d.rows("band", path, old.rows, new.rows)

    def draw(self, draw: Any, share: Fraction, facts: DrawFacts) -> dict[str, Any]:
        from hypothesis import strategies as st

        from wzeval.kinds.drawing import COUNT_SPAN, amount, parts

        cuts = sorted(draw(st.lists(st.integers(1, COUNT_SPAN), max_size=3, unique=True)))
        lows = [0, *cuts]
        credits = parts(draw, len(lows), decreasing=False)
        rows: list[dict[str, Any]] = []
        for i, (low, c) in enumerate(zip(lows, credits, strict=True)):
            row: dict[str, Any] = {"min": low, "credit": amount(share * c)}
            if i + 1 < len(lows):
                row["max"] = lows[i + 1] - 1
            rows.append(row)
        return {"count": facts.count(), "rows": rows}


KIND = BandsKind()
