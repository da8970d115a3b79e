"""The order of scoring (wzeval.scoring._order) is the one both evaluations follow.

Each test scores hand-made findings of tests/corpus/overall.yaml (a veto category
``veto``, base categories ``part2`` of 100 points, a bonus ``part3`` gated on
``base > 80``) or tests/corpus/parts.yaml (a 新媒体 part with a veto category of its
own) by the fast evaluation and by the full one, with ``_order.in_order`` spied on:
each phase it asks an evaluation to score (the kinds of category, and the categories
stopped by then) is recorded, and compared with the phases worked out by hand.  The
same phases for both evaluations show that both take their order from the module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from support.documents import corpus_findings
from support.paths import TESTS

import wzeval
import wzeval.scoring._engine as engine
import wzeval.scoring._fasteval as fasteval
from wzeval.checking._checks import CompiledRulebook
from wzeval.checking._findings import Findings
from wzeval.scoring import _order
from wzeval.scoring._api import compiled

CORPUS = TESTS / "corpus"
GOOD = {"access": {"down_share": 0}, "a": {"ok": True}, "b": {"slips": 0}, "c": {"good": True}}
VETO, BASE, GATED = ("veto",), ("base",), ("bonus", "penalty")


@dataclass
class Spy:
    """What ``_order.in_order`` did: each phase it asked for (the kinds of category, the
    categories stopped by then), and the stops it decided (category → by, part)."""

    phases: list[tuple[tuple[str, ...], list[str]]] = field(default_factory=list)
    stops: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    seen = Spy()
    real = _order.in_order

    def spied(crb: CompiledRulebook, scored: Any, score: _order.Score) -> _order.Order:
        def recording(kinds: tuple[str, ...], stopped: Any) -> None:
            seen.phases.append((kinds, sorted(stopped)))
            score(kinds, stopped)

        order = real(crb, scored, recording)
        seen.stops = {c: (s.by, s.part and s.part.id) for c, s in order.stopped.items()}
        return order

    monkeypatch.setattr(_order, "in_order", spied)
    return seen


def _load(name: str, indicators: dict[str, Any]) -> tuple[CompiledRulebook, Findings]:
    rb = wzeval.load_rulebook(CORPUS / f"{name}.yaml")
    doc = corpus_findings(rb, indicators)
    return compiled(rb), wzeval.load_findings(doc, rb)


def _both(spy: Spy, crb: CompiledRulebook, findings: Findings) -> tuple[Spy, Spy, Any, Any]:
    """The fast and the full evaluation, each with what the spy saw."""
    fast = fasteval.fast_figures(crb, findings)
    fast_seen = Spy(spy.phases, spy.stops)
    spy.phases, spy.stops = [], {}
    full = engine._full(crb, findings, False, False, None)
    return fast_seen, Spy(spy.phases, spy.stops), fast, full


def test_a_strong_base_opens_the_gate_in_both_evaluations(spy: Spy) -> None:
    """No veto fires and base 60 + 40 = 100 > 80: vetoes, base, then bonus and penalty,
    nothing stopped; c's 30 points are scored: total 130."""
    fast_seen, full_seen, fast, full = _both(spy, *_load("overall", GOOD))
    want = [(VETO, []), (BASE, []), (GATED, [])]
    assert fast_seen.phases == full_seen.phases == want
    assert fast_seen.stops == full_seen.stops == {}
    assert fast is not None and fast["total"] == full.total == 130


def test_a_weak_base_closes_the_gate_in_both_evaluations(spy: Spy) -> None:
    """a fails (0) and b has no slip (40): base 40, not > 80, so the gate of part3 is
    closed after the base: the bonus phase runs with part3 stopped; total 40."""
    fast_seen, full_seen, fast, full = _both(spy, *_load("overall", {**GOOD, "a": {"ok": False}}))
    want = [(VETO, []), (BASE, []), (GATED, ["part3"])]
    assert fast_seen.phases == full_seen.phases == want
    assert fast_seen.stops == full_seen.stops == {"part3": ("gate", None)}
    assert fast is not None and fast["total"] == full.total == 40
    assert not full.indicator("c").scored


def test_a_site_veto_stops_everything_after_the_vetoes(spy: Spy) -> None:
    """down_share 0.06 ≥ 0.05 fires the site veto: only the veto phase runs, and every
    other category (part2, part3) is stopped by it.  The fast evaluation leaves a fired
    veto to the full one, within the veto phase."""
    crb, findings = _load("overall", {"access": {"down_share": Decimal("0.06")}})
    fast_seen, full_seen, fast, full = _both(spy, crb, findings)
    assert fast is None and fast_seen.phases == [(VETO, [])]
    assert full_seen.phases == [(VETO, [])]
    assert full_seen.stops == {"part2": ("site", None), "part3": ("site", None)}
    assert full.vetoed and full.total == 0


def test_a_part_veto_stops_its_part_from_the_base_on(spy: Spy) -> None:
    """zombie's veto fires for the 新媒体 part: its base category accounts is stopped
    from the base phase on (the 网站 part is scored: x 60 + y 40 = 100, × 70% = 70)."""
    indicators = {
        "x": {"ok": True},
        "y": {"has_services": True, "ok": True},
        "zombie": {"no_posts": True},
        "z": {"ok": True},
    }
    crb, findings = _load("parts", indicators)
    full = engine._full(crb, findings, False, False, None)
    assert spy.phases == [(VETO, []), (BASE, ["accounts"]), (GATED, ["accounts"])]
    assert spy.stops == {"accounts": ("part", "media")}
    assert full.base == 70 and not full.indicator("z").scored
