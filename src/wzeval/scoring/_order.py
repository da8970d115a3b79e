"""The order of scoring and its stop rules, in one place.

Both evaluations — the full one of :mod:`wzeval.scoring._engine`, which explains every
point, and the fast one of :mod:`wzeval.scoring._fasteval`, which computes the points
alone — must score the categories in the same order and stop the same ones, or their
figures would differ (and the engine's early refusal, which feeds the fast points to
the gates, would refuse other findings than the full evaluation).  So the order is
written once, here: :func:`in_order` says which kinds of category are scored when
and which categories are stopped, and why; each evaluation scores its indicators
its own way (a callback), so that the fast evaluation's loop stays its own.

The order (what gates and grades read is defined in :mod:`wzeval.checking._overall`):

1. the veto categories;
2. a fired veto of the whole site stops every other category, and nothing else is
   scored; otherwise a fired veto of a part stops that part's other categories;
3. the base categories (not stopped by their part's veto);
4. the gates are closed on the base worked out so far: a gated category whose
   condition does not hold is stopped;
5. the bonus and penalty categories that are not stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from wzeval.checking._checks import CompiledRulebook
from wzeval.checking._overall import CompiledGate, bases_of, fired_vetoes, gate_values
from wzeval.model._models import Part
from wzeval.model._report import IndicatorResult, exact_total
from wzeval.scoring._evalplan import IndicatorPlan

__all__ = ["BASE", "GATED", "PHASES", "VETO", "Order", "Stop", "closed_gates", "in_order", "listed"]

#: the kinds of category scored in each phase, in the order of scoring
VETO: tuple[str, ...] = ("veto",)
BASE: tuple[str, ...] = ("base",)
GATED: tuple[str, ...] = ("bonus", "penalty")
PHASES = (VETO, BASE, GATED)

R = TypeVar("R")
S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Stop:
    """Why a category is not scored: a fired veto of the whole site (``by="site"``), of
    its part (``"part"``, with ``part``), or its gate that does not hold (``"gate"``,
    with ``gate``).  The engine words it; the fast evaluation needs only that it is."""

    by: Literal["site", "part", "gate"]
    part: Part | None = None
    gate: CompiledGate | None = None


@dataclass(frozen=True, slots=True)
class Order:
    """What the order of scoring decided for one findings document: the fired vetoes
    of the whole site and of each part (as the fields of a
    :class:`wzeval.model._report.SiteVeto`) and the stopped categories, by id."""

    site_vetoes: list[dict[str, Any]]
    part_vetoes: dict[str, list[dict[str, Any]]]
    stopped: dict[str, Stop]


#: scores the indicators of these kinds of category whose category is not stopped,
#: into the ``scored`` mapping given to :func:`in_order`
Score = Callable[[tuple[str, ...], Mapping[str, Stop]], None]


def in_order(crb: CompiledRulebook, scored: Mapping[str, IndicatorResult], score: Score) -> Order:
    """Score one findings document in the order of scoring (see the module's docstring).

    ``score`` scores a phase into ``scored`` (by indicator id), which is read for the
    fired vetoes and the gates; an indicator ``score`` could not score (an error) is
    left out of ``scored``.  The fast evaluation's points carry no fired veto (one
    sends the findings to the full evaluation), so nothing is stopped by a veto there.
    """
    rb = crb.rulebook
    score(VETO, {})
    site = fired_vetoes(scored.values(), rb, None)
    parts = {part.id: fired_vetoes(scored.values(), rb, part.id) for part in rb.parts}
    order = Order(site, parts, {})
    stopped = order.stopped
    if site:
        stop = Stop("site")
        stopped.update({c.id: stop for c in rb.categories if c.kind != "veto"})
        return order
    for part in rb.parts:
        if parts[part.id]:
            stop = Stop("part", part=part)
            stopped.update(
                {c.id: stop for c in rb.categories if c.part == part.id and c.kind != "veto"}
            )
    score(BASE, stopped)
    for category, gate in closed_gates(crb, list(scored.values())):
        stopped[category] = Stop("gate", gate=gate)
    score(GATED, stopped)
    return order


def closed_gates(
    crb: CompiledRulebook, results: list[IndicatorResult]
) -> list[tuple[str, CompiledGate]]:
    """The categories (id and gate) whose gate does not hold for the base of ``results``.

    A gate reads the base worked out so far (wzeval.checking._overall): the full evaluation
    passes its results, the fast one its points, which carry the same fields.
    """
    rb = crb.rulebook
    if not crb.overall.gates:
        return []
    now = bases_of(results, rb)
    points_now = {
        c.id: exact_total(r.points for r in results if r.category_id == c.id)
        for c in rb.categories
        if c.kind == "base"
    }
    values = gate_values(now.base, {**points_now, **now.by_part})
    closed = []
    for cat in rb.categories:
        gate = crb.overall.gates.get(cat.id)
        if gate is not None and not gate.expr.evaluate(values):
            closed.append((cat.id, gate))
    return closed


def listed(
    plans: Iterable[IndicatorPlan],
    scored: Mapping[str, R],
    stopped: Mapping[str, S],
    stopped_result: Callable[[IndicatorPlan, S], R],
) -> list[R]:
    """The indicators a report lists, in table order: each scored one, and each of a
    stopped category (``stopped``: why, by category id; ``stopped_result``: its result,
    no points and out of the base).  One neither
    scored nor stopped (an error, which the report is refused for) is left out."""
    out: list[R] = []
    for p in plans:
        cind = p.cind
        r = scored.get(cind.indicator.id)
        if r is None:
            why = stopped.get(cind.category_id)
            if why is None:
                continue
            r = stopped_result(p, why)
        out.append(r)
    return out
