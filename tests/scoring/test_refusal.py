"""Strict scoring's early refusal (``engine._refuse_early``) is the full evaluation's.

Findings that strict scoring must refuse (WZ410, or an evaluation error) are refused
without explaining what scores as usual: each indicator by its fast points, the
unusual ones by the full evaluation, in the order of record.  These tests drop facts
from generated findings of generated rulebooks — with site and part vetoes, gates and
grades, and of every rule kind — so that refusals happen where the order of scoring
matters, and compare the early refusal with the full evaluation's: the same exception,
message and issues in order, or nothing where the full evaluation gives a report.
On the bundled rulebook's generated findings, a refusal runs no full evaluation and
evaluates in full only the indicators it names.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import TESTS
from support.strategies import cases, overall_cases

import wzeval.scoring._engine as engine
import wzeval.scoring._fasteval as fasteval
from wzeval.core._errors import ValidationFailed, WzevalError
from wzeval.model._models import Rulebook
from wzeval.scoring._api import compiled, load_findings, load_rulebook


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


def test_findings_to_refuse_are_refused_without_the_full_evaluation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Strict scoring of findings that cannot all be assessed (a spot check with no
    checks made, an enquiry still pending) raises the full evaluation's WZ410 issues,
    in its order, without running it — only the indicators the refusal names are
    evaluated in full; findings that score are scored by the fast evaluation alone."""
    from wzeval.analysis._generate import RandomChooser
    from wzeval.analysis._generate import findings as generate
    from wzeval.scoring._api import load_rulebook

    rb = load_rulebook()
    crb = compiled(rb)
    rng = random.Random(15)
    # checks_from=0: an item may have no checks made, so that some files are refused
    mappings = [generate(rb, RandomChooser(rng), checks_from=0) for _ in range(40)]
    # one with every spot check's refusal at once: each indicator's facts from a
    # mapping refused for it
    refusing: dict[str, Any] = {}
    for m in mappings:
        try:
            engine.evaluate_compiled(crb, load_findings(m, rb, partial=True), reference=True)
        except ValidationFailed as exc:
            for issue in exc.issues:
                refusing.setdefault(issue.path[1], m["indicators"][issue.path[1]])
    assert len(refusing) > 1
    mappings.append({**mappings[0], "indicators": {**mappings[0]["indicators"], **refusing}})
    cases = [load_findings(m, rb, partial=True) for m in mappings]
    expected: list[list[dict[str, Any]] | None] = []
    for findings in cases:
        try:
            engine._full(crb, findings, False, False, None)
        except ValidationFailed as exc:
            expected.append([i.to_dict() for i in exc.issues])
        else:
            expected.append(None)
    refused = [e for e in expected if e is not None]
    assert 5 <= len(refused) < len(cases) and len(refused[-1]) == len(refusing)
    assert {i["code"] for e in refused for i in e} == {"WZ410"}
    full_runs: list[str] = []
    in_full: list[str] = []  # the indicators evaluated in full
    reference_full, reference_indicator = engine._full, engine._indicator

    def counted(crb: Any, findings: Any, *args: Any) -> Any:
        full_runs.append(findings.file)
        return reference_full(crb, findings, *args)

    def counted_indicator(plan: Any, *args: Any, **kwargs: Any) -> Any:
        in_full.append(plan.cind.indicator.id)
        return reference_indicator(plan, *args, **kwargs)

    monkeypatch.setattr(engine, "_full", counted)
    monkeypatch.setattr(engine, "_indicator", counted_indicator)
    for findings, want in zip(cases, expected, strict=True):
        full_runs.clear()
        in_full.clear()
        if want is None:
            assert engine.evaluate_compiled(crb, findings, reference=False).total is not None
            assert in_full == []  # scored by the fast evaluation alone
            continue
        with pytest.raises(ValidationFailed) as got:
            engine.evaluate_compiled(crb, findings, reference=False)
        assert [i.to_dict() for i in got.value.issues] == want
        assert full_runs == []  # refused by the early pass alone
        assert set(in_full) == {i["path"].rsplit(".", 1)[-1] for i in want}
        # partially, the same findings are scored in full and list what is missing
        report = engine.evaluate_compiled(crb, findings, partial=True, reference=False)
        assert len(report.not_assessed) == len(want) and not report.complete


def _gated(a_ok: bool) -> tuple[Any, Any]:
    """tests/corpus/overall.yaml (base: a 60 points on one check, b 40 less 25% per
    slip; bonus c 30 points on the fact ``good``, scored only when ``base > 80``) and
    strict findings with no veto, no slip, a as given and c's one fact missing."""
    rb = load_rulebook(TESTS / "corpus" / "overall.yaml")
    doc = {
        "wzeval": "findings/1",
        "rulebook": rb.id,
        "department": "甲局",
        "monitoring_date": "2023-11-15",
        "indicators": {"access": {"down_share": 0}, "a": {"ok": a_ok}, "b": {"slips": 0}, "c": {}},
    }
    return compiled(rb), load_findings(doc, rb)


def test_a_missing_fact_behind_a_gate_the_base_opens_is_refused_early(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """a passes (60) and b has no slip (40): base 100 > 80, so the gate holds and c is
    scored, which it cannot be without ``good``: one WZ410 for c.  The fast evaluation
    gives up on c with a and b worked out; the early pass must feed their points (not
    zero: a base of 0 would close the gate and refuse nothing) to the gate, and refuse
    by itself, without the full evaluation, whether or not the points are known."""
    crb, findings = _gated(True)
    full_runs: list[str] = []
    monkeypatch.setattr(engine, "_full", lambda *args: full_runs.append("full"))
    with pytest.raises(ValidationFailed) as got:
        engine.evaluate_compiled(crb, findings, reference=False)
    assert full_runs == []
    [issue] = [i.to_dict() for i in got.value.issues]
    assert (issue["code"], issue["path"]) == ("WZ410", "$.indicators.c")
    assert "good" in issue["message"]
    for warm in (False, True):
        known: dict[str, fasteval.IndicatorPoints] = {}
        if warm:
            assert fasteval.fast_figures(crb, findings, known) is None  # c: for the full path
            assert set(known) == {"access", "a", "b"}
        with pytest.raises(ValidationFailed) as early:
            engine._refuse_early(crb, findings, known, None)
        assert [i.to_dict() for i in early.value.issues] == [issue]


def test_a_missing_fact_behind_a_gate_the_base_closes_is_not_refused() -> None:
    """a fails (0), b has no slip (40): base 40, not > 80, so c is not scored and its
    missing fact is no error: no refusal, early or in full; total 40, c stopped."""
    crb, findings = _gated(False)
    for warm in (False, True):
        known: dict[str, fasteval.IndicatorPoints] = {}
        if warm:
            fasteval.fast_figures(crb, findings, known)
        engine._refuse_early(crb, findings, known, None)  # raises nothing
    report = engine.evaluate_compiled(crb, findings, reference=False)
    assert report.total == 40 and report.base == 40 and report.complete
    assert not report.indicator("c").scored
