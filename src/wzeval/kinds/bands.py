"""``bands``: credit by which band a count falls in (0 → 0, 1–4 → half, 5+ → all)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from wzeval.conditions import Interval, Ranges
from wzeval.expressions import CompiledExpression, Kind
from wzeval.i18n import _
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    Differ,
    DiffFields,
    DrawFacts,
    FastPoints,
    FastTaken,
    Outcome,
    Path,
    RuleKind,
    Scorer,
    Targets,
    fast_count,
    shown,
)
from wzeval.modelbase import Amount, Expr, Label, StrictModel, format_amount

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


class BandsKind(RuleKind):
    key = "bands"
    annotation = Bands
    description = "credit by the band a count falls in; counts in no band earn 0"
    label = "区间"
    title = "次数区间 bands"
    order = 40
    merge = "fields"
    diff_fields: ClassVar[DiffFields] = {
        Band: {"min": True, "max": True, "credit": True, "label": False},
        Bands: {"count": True, "rows": None},
    }
    diff_members: ClassVar[Mapping[str, bool]] = {"band": True}

    def compile(
        self, rule: Bands, path: Path, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        expr = c.expr(rule.count, (*path, "count"), Kind.INT)
        for i, b in enumerate(rule.rows):
            if b.max is not None and b.max < b.min:
                c.issue(
                    "WZ208",
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
                "以上" if band.max is None else f"–{band.max}",
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
        n = s.count(exprs["count"], f"the count of {s.item_id!r}")
        for i, (low, high, credit, points, upper, credit_text) in enumerate(plan):
            if low <= n and (high is None or n <= high):
                reason = f"次数 {n} 在 {low}{upper} 区间，得 {credit_text}"
                return Outcome(credit, reason, (f"band{i + 1}",), points)
        return Outcome(_ZERO, f"次数 {n} 不在任何区间，得 0", (), _ZERO)

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
        path: Path,
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

    def describe(self, rule: Bands, share: Fraction, d: Describer) -> list[str]:
        out = [
            f"按次数 {d.code(rule.count)} 所在区间给分：",
            "",
            "| 次数 | 说明 | 得分 |",
            "|---|---|---|",
        ]
        for band in rule.rows:
            if band.max is None:
                span = f"{band.min} 及以上"
            elif band.max == band.min:
                span = str(band.min)
            else:
                span = f"{band.min}–{band.max}"
            out.append(f"| {span} | {d.cell(band.label)} | {d.share(band.credit)} |")
        return [*out, ""]

    def diff(self, old: Bands, new: Bands, path: Path, d: Differ) -> None:
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
