"""Strict scoring's early refusal (``engine._refuse_early``) is the full evaluation's.

Findings that strict scoring must refuse (WZ410, or an evaluation error) are refused
without explaining what scores as usual: each indicator by its fast points, the
unusual ones by the full evaluation, in the order of record.  These tests drop facts
from generated findings of generated rulebooks — with site and part vetoes, gates and
grades, and of every rule kind — so that refusals happen where the order of scoring
matters, and compare the early refusal with the full evaluation's: the same exception,
message and issues in order, or nothing where the full evaluation gives a report.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import cases, overall_cases

import wzeval.scoring._engine as engine
import wzeval.scoring._fasteval as fasteval
from wzeval.core._errors import ValidationFailed, WzevalError
from wzeval.model._models import Rulebook
from wzeval.scoring._api import compiled, load_findings


def _dropped(mapping: dict[str, Any], seed: int) -> dict[str, Any]:
    """``mapping`` with one fact taken out of about a third of its indicators."""
    rnd = random.Random(seed)
    out = copy.deepcopy(mapping)
    for facts in (out.get("indicators") or {}).values():
        if isinstance(facts, dict) and facts and rnd.random() < 0.3:
            del facts[rnd.choice(sorted(facts))]
    return out


def _outcome(call: Any) -> tuple[str, str, list[dict[str, Any]]] | None:
    """What ``call()`` raised (type, message, issues as data), or ``None``."""
    try:
        call()
    except Exception as exc:
        issues = exc.issues if isinstance(exc, ValidationFailed) else ()
        return type(exc).__name__, str(exc), [i.to_dict() for i in issues]
    return None


def _same_refusal(rb: Rulebook, mapping: dict[str, Any], seed: int) -> bool:
    """The early refusal agrees with the full evaluation; whether it refused."""
    try:
        findings = load_findings(_dropped(mapping, seed), rb, partial=True)
    except WzevalError:
        return False
    crb = compiled(rb)
    full = _outcome(lambda: engine._full(crb, findings, False, False, None))
    refused = False
    for warm in (False, True):  # with no points known, and with the fast evaluation's
        known: dict[str, fasteval.IndicatorPoints] = {}
        if warm:
            fasteval.fast_figures(crb, findings, known)
        early = _outcome(lambda known=known: engine._refuse_early(crb, findings, known, None))
        # every refusal the full evaluation makes, and no other (every built-in rule
        # kind has fast points, so nothing is left to the full evaluation to refuse)
        assert early == full
        refused = early is not None
    return refused


@settings(max_examples=150)
@given(overall_cases(), st.integers(0, 2**32))
def test_refusals_with_vetoes_gates_and_grades_are_the_full_evaluation(
    case: tuple[Rulebook, Any], seed: int
) -> None:
    rb, mapping = case
    _same_refusal(rb, mapping, seed)


@settings(max_examples=100)
@given(cases(), st.integers(0, 2**32))
def test_refusals_of_every_rule_kind_are_the_full_evaluation(
    case: tuple[Rulebook, Any], seed: int
) -> None:
    rb, mapping = case
    _same_refusal(rb, mapping, seed)


def test_the_generated_cases_reach_refusals_behind_gates_and_vetoes() -> None:
    """The property tests above are not vacuous: over fixed seeds, rulebooks with gates
    or vetoes give refusals (worked out by the full evaluation, compared above)."""
    from hypothesis import find

    def refuses(case_seed: tuple[tuple[Rulebook, Any], int]) -> bool:
        (rb, mapping), seed = case_seed
        gated = bool(compiled(rb).overall.gates) or any(c.kind == "veto" for c in rb.categories)
        return gated and _same_refusal(rb, mapping, seed)

    rb, _mapping = find(
        st.tuples(overall_cases(), st.integers(0, 2**32)),
        refuses,
        settings=settings(max_examples=400, database=None),
    )[0]
    assert rb.categories


def test_usual_indicators_are_not_evaluated_in_full(monkeypatch: Any) -> None:
    """A refusal evaluates in full only the indicators whose fast points give up."""
    from wzeval.analysis._generate import RandomChooser
    from wzeval.analysis._generate import findings as generate
    from wzeval.scoring._api import load_rulebook

    rb = load_rulebook()
    crb = compiled(rb)
    rng = random.Random(15)
    full_runs: list[str] = []
    reference = engine._indicator

    def counted(plan: Any, *args: Any, **kwargs: Any) -> Any:
        full_runs.append(plan.cind.indicator.id)
        return reference(plan, *args, **kwargs)

    monkeypatch.setattr(engine, "_indicator", counted)
    refused = 0
    for _n in range(30):
        findings = load_findings(generate(rb, RandomChooser(rng)), rb, partial=True)
        full_runs.clear()
        got = _outcome(lambda findings=findings: engine.evaluate_compiled(crb, findings))
        if got is None:
            assert full_runs == []  # scored by the fast evaluation alone
            continue
        refused += 1
        named = {i["path"].rsplit(".", 1)[-1] for i in got[2]}
        assert set(full_runs) == named  # only the indicators the refusal names
    assert refused >= 5
