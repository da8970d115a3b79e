"""Hand-worked scores for each rule kind, one small rulebook per kind in tests/corpus/.

Each corpus rulebook has an indicator ``subject`` of the kind under test and a
``filler`` indicator (one yes/no item) that takes the rest of the 100 base points.
Expected points are worked out by hand from the rule's definition; the working
is in each test's docstring.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import TESTS

import wzeval
from wzeval import ScoreReport

CORPUS = TESTS / "corpus"


def score(
    kind: str,
    subject: dict[str, Any] | None,
    *,
    department: str = "甲局",
    filler: bool = True,
    more: dict[str, Any] | None = None,
    partial: bool = False,
) -> ScoreReport:
    """Score in-memory findings against ``tests/corpus/<kind>.yaml``."""
    rb = wzeval.load_rulebook(CORPUS / f"{kind}.yaml")
    indicators: dict[str, Any] = {"filler": {"ok": filler}}
    if subject is not None:
        indicators["subject"] = subject
    indicators.update(more or {})
    doc = {
        "wzeval": "findings/1",
        "rulebook": rb.id,
        "department": department,
        "monitoring_date": "2023-11-15",
        "indicators": indicators,
    }
    findings = wzeval.load_findings(doc, rb, partial=partial)
    return wzeval.evaluate(rb, findings, partial=partial)


def pts(report: ScoreReport, ident: str = "subject") -> F:
    return report.indicator(ident).points


# ----------------------------------------------------------------------------- check


def test_check_all_true_earns_full_weight() -> None:
    """Both 50% checks hold: 10 × (50% + 50%) = 10; total 10 + 90 = 100."""
    r = score("check", {"standard": True, "noise_free": True, "fake": False})
    assert pts(r) == 10
    assert r.total == 100


def test_check_one_false_earns_half() -> None:
    """Only 'standard' holds: 10 × 50% = 5; base 5 + 90 = 95."""
    r = score("check", {"standard": True, "noise_free": False, "fake": False})
    assert pts(r) == 5
    assert r.indicator("subject").items[1].reason.startswith("不符合")
    assert r.base == 95


def test_indicator_veto_zeroes_everything() -> None:
    """Veto 'fake' fires: items would earn 10 but 该指标不得分 gives 0; base 0 + 90 = 90."""
    r = score("check", {"standard": True, "noise_free": True, "fake": True})
    res = r.indicator("subject")
    assert res.points == 0 and res.vetoed
    assert [v.id for v in res.vetoes if v.fired] == ["fake"]
    assert r.total == 90


# ----------------------------------------------------------------------------- tiers


def test_tier_one_working_day() -> None:
    """Asked Fri 2023-11-10, answered Mon 11-13 = 1st working day after: tier 1, 50% of 10 = 5,
    plus the 50% rest item = 5; total 10."""
    r = score("tiers", {"asked": "2023-11-10", "answered": "2023-11-13", "accurate": True})
    assert pts(r) == 10
    assert r.indicator("subject").items[0].reason.startswith("第 1 档")


def test_tier_over_national_day_holiday() -> None:
    """Asked 2023-09-28 (Thu). 09-29..10-06 are holidays, 10-07 (Sat) is a make-up working day,
    so the 1st working day after is 10-07: answered 10-07 → tier 1 → 5 + 5 = 10."""
    r = score("tiers", {"asked": "2023-09-28", "answered": "2023-10-07", "accurate": True})
    assert pts(r) == 10


def test_tier_two_within_five_working_days() -> None:
    """Asked Fri 11-10, answered Fri 11-17 = 5th working day after (13,14,15,16,17):
    tier 2 '只得20%' → 20% of 10 = 2, plus 5 = 7."""
    r = score("tiers", {"asked": "2023-11-10", "answered": "2023-11-17", "accurate": True})
    assert pts(r) == 7


def test_tier_none_after_five_days() -> None:
    """Answered Mon 11-20 = 6th working day: no tier → 0 + 5 = 5 (within 10 days: no veto)."""
    r = score("tiers", {"asked": "2023-11-10", "answered": "2023-11-20", "accurate": True})
    assert pts(r) == 5
    assert not r.indicator("subject").vetoed


def test_tier_inaccurate_answer_earns_nothing() -> None:
    """Answered next working day but not accurate: no tier holds → 0 + 5 = 5."""
    r = score("tiers", {"asked": "2023-11-10", "answered": "2023-11-13", "accurate": False})
    assert pts(r) == 5


def test_never_answered_is_vetoed() -> None:
    """answered is null → not answered within 10 working days → veto → 0."""
    r = score("tiers", {"asked": "2023-11-10", "answered": None, "accurate": False})
    assert pts(r) == 0 and r.indicator("subject").vetoed


# ----------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        # 30% item, five forms at 6/12/18/24/30% of the weight 10, plus the 70% rest item (7).
        ("上级名单", F(6, 10) + 7),
        ("上级系统", F(12, 10) + 7),
        ("本级名单", F(18, 10) + 7),
        ("本级系统", F(24, 10) + 7),
        ("高级查询", F(3) + 7),
    ],
)
def test_levels_each_form(form: str, expected: F) -> None:
    """Level k of 5 earns k × 6% of 10 = 0.6k points, plus 7 for the rest item."""
    assert pts(score("levels", {"form": form})) == expected


def test_levels_unknown_option_is_a_findings_error() -> None:
    """An option not in the enum is rejected with a suggestion, not scored as 0."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("levels", {"form": "本级系"})
    issue = exc.value.issues[0]
    assert issue.code == "WZ405"
    assert issue.hint is not None and "本级系统" in issue.hint


# ----------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, 6), (1, 8), (4, 8), (5, 10), (40, 10)],
)
def test_bands_boundaries(n: int, expected: int) -> None:
    """40% item: 0 times → 0; 1–4 → 20% of 10 = 2; 5+ → 40% = 4; plus the 60% rest item (6)."""
    assert pts(score("bands", {"firsts": n})) == expected


# ----------------------------------------------------------------------------- proportion


def test_proportion_three_of_four() -> None:
    """20% item × 3/4 = 15% of 10 = 1.5, plus 80% rest = 8; total 9.5."""
    assert pts(score("proportion", {"passed": 3, "checked": 4})) == F(19, 2)


def test_proportion_zero_checks_is_not_assessed() -> None:
    """R4: no checks made → not assessed (an error unless partial), never a free pass."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("proportion", {"passed": 0, "checked": 0})
    assert exc.value.issues[0].code == "WZ410"
    r = score("proportion", {"passed": 0, "checked": 0}, partial=True)
    assert not r.complete
    assert r.not_assessed[0].item == "spot"
    assert pts(r) == 8  # only the 80% rest item


def test_proportion_more_passed_than_checked_is_an_error() -> None:
    """5 passed of 4 checked is impossible and is reported, not clamped."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("proportion", {"passed": 5, "checked": 4})
    assert exc.value.issues[0].code == "WZ502"


# ----------------------------------------------------------------------------- checklist


def test_checklist_two_of_three() -> None:
    """Three features share 100% of 9 equally (3 points each); two present → 6."""
    r = score("checklist", {"zoom": True, "reader": True, "cursor": False})
    assert pts(r) == 6
    assert "大鼠标" in r.indicator("subject").items[0].reason


def test_checklist_share_splits_exactly() -> None:
    """One of three → exactly 1/3 of 9 = 3 (no rounding inside)."""
    assert pts(score("checklist", {"zoom": True, "reader": False, "cursor": False})) == 3


# ----------------------------------------------------------------------------- deduct


def test_deduct_none() -> None:
    """No occurrences: 30% + 20% + 50% = 100% of 20 = 20."""
    assert pts(score("deduct", {"late": 0, "severe": 0, "subsites": 0})) == 20


def test_deduct_per_occurrence() -> None:
    """2 late × 5% = 10% off the 30% item → 20%; 3 subsites × 5% = 15% off 20% → 5%;
    earned 20% + 5% + 50% = 75% of 20 = 15."""
    r = score("deduct", {"late": 2, "severe": 0, "subsites": 3})
    assert pts(r) == 15
    d = r.indicator("subject").items[1].deductions[0]
    assert d.count == 3 and d.amount == F(15, 100) and not d.capped


def test_deduct_cap_reached_exactly() -> None:
    """4 subsites × 5% = 20% = the cap: item 0; 30% + 0 + 50% = 80% of 20 = 16."""
    r = score("deduct", {"late": 0, "severe": 0, "subsites": 4})
    assert pts(r) == 16
    assert not r.indicator("subject").items[1].deductions[0].capped


def test_deduct_past_cap_stops_at_cap() -> None:
    """9 subsites × 5% = 45% capped at 20%: item 0, not negative; 16 as above."""
    r = score("deduct", {"late": 0, "severe": 0, "subsites": 9})
    assert pts(r) == 16
    assert r.indicator("subject").items[1].deductions[0].capped


def test_deduct_buckets_stop_at_item_share() -> None:
    """1 late (5%) + 1 severe (50%) = 55% > the 30% share: item 0 (R5), not below;
    0 + 20% + 50% = 70% of 20 = 14."""
    assert pts(score("deduct", {"late": 1, "severe": 1, "subsites": 0})) == 14


# ----------------------------------------------------------------------------- indicator deductions


def test_indicator_deduction_after_items() -> None:
    """Items earn 10; one irrelevant post deducts 50% of 10 = 5 → 5."""
    assert pts(score("indicator_deduction", {"kinds": True, "irrelevant": 1})) == 5


def test_indicator_deduction_down_to_zero() -> None:
    """Three posts deduct 150% of 10 but '扣完为止' stops at 0; items earn 10 → 0."""
    assert pts(score("indicator_deduction", {"kinds": True, "irrelevant": 3})) == 0


def test_indicator_deduction_from_partial_items() -> None:
    """Items earn 0 (kinds false); one post cannot take it below 0 → 0."""
    assert pts(score("indicator_deduction", {"kinds": False, "irrelevant": 1})) == 0


# ----------------------------------------------------------------------------- given


def test_given_editorial_points() -> None:
    """Editorial office gives 2.25 of 3 → 10 × 2.25/3 = 7.5."""
    r = score("given", {"points": 2.25}, more={"case": {"necessity": [1], "editorial": 3}})
    assert pts(r) == F(15, 2)


def test_given_panel_mean_and_bonus() -> None:
    """Panel 0.8, 0.7, 0.6 → mean 0.7 × 50% of 8 = 2.8; editorial 1.5/3 × 50% of 8 = 2;
    bonus 4.8; base 10 + 90 = 100; total 104.8."""
    r = score(
        "given",
        {"points": 3},
        more={"case": {"necessity": [0.8, 0.7, 0.6], "editorial": 1.5}},
    )
    assert pts(r, "case") == F(48, 10)
    assert r.bonus == F(48, 10)
    assert r.total == F(1048, 10)


def test_given_out_of_range_is_rejected() -> None:
    """3.5 is above the fact's max of 3: a findings error (WZ406), not a clamp."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("given", {"points": 3.5}, more={"case": {"necessity": [1], "editorial": 3}})
    assert exc.value.issues[0].code == "WZ406"


# ----------------------------------------------------------------------------- item veto


def test_item_veto_zeroes_only_its_item() -> None:
    """Own query service but link-only: the 50% item is vetoed → 0; the other 50% earns 5."""
    r = score("item_veto", {"own": True, "link_only": True, "noise_free": True})
    res = r.indicator("subject")
    assert res.points == 5
    assert res.items[0].vetoed and not res.vetoed


# ----------------------------------------------------------------------------- applicability (R7)


def test_listed_department_is_assessed() -> None:
    """甲局 is in appendix1: the indicator applies; 10 + 90 = 100."""
    r = score("applicability", {"ok": True}, department="甲局")
    assert r.indicator("subject").applicable and r.total == 100


def test_unlisted_department_is_rescaled() -> None:
    """乙局 is not listed: not applicable, no facts needed; base = 100 × 90 / 90 = 100,
    raw 90 of 90 possible."""
    r = score("applicability", None, department="乙局")
    res = r.indicator("subject")
    assert not res.applicable and res.max_points == 0
    assert r.base_raw == 90 and r.base_possible == 90 and r.base == 100


def test_rescaling_with_a_loss() -> None:
    """乙局 with the filler failing: raw 0 of 90 → base 0; and with a fail elsewhere the
    rescale is exact: filler true → 90/90 × 100 = 100."""
    assert score("applicability", None, department="乙局", filler=False).base == 0


def test_unknown_department_suggests_a_name() -> None:
    """A typo in the department is an error with a suggestion (R7), not a silent change."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("applicability", {"ok": True}, department="甲")
    issue = exc.value.issues[0]
    assert issue.code == "WZ407" and issue.hint is not None and "甲局" in issue.hint


# ----------------------------------------------------------------------------- penalty


@pytest.mark.parametrize(
    ("state", "prov", "expected"),
    [
        (0, 0, 0),
        (0, 1, F(-2, 10)),  # 5% of 4
        (1, 0, -2),  # 50% of 4
        (1, 3, F(-26, 10)),  # 2 + 3 × 0.2
        (2, 0, -4),  # 100%: the floor
        (3, 5, -4),  # 150% + 25% stops at the weight
    ],
)
def test_penalty_within_weight(state: int, prov: int, expected: F) -> None:
    """Each State Council notice 50% of 4, each provincial 5% of 4; never below −4 (R6)."""
    r = score("penalty", None, more={"notices": {"state": state, "prov": prov}})
    assert pts(r, "notices") == expected
    assert r.penalty == expected
    assert r.total == 100 + expected


# ----------------------------------------------------------------------------- partial


def test_partial_lists_exactly_what_was_not_assessed() -> None:
    """Without the subject's facts: partial scoring marks it unassessed, names its facts,
    and scores the rest (filler 90 of 100 possible → base 90)."""
    r = score("check", None, partial=True)
    assert not r.complete
    (na,) = r.not_assessed
    assert na.indicator == "subject"
    assert set(na.missing) == {"standard", "noise_free", "fake"}
    assert r.base == 90


def test_missing_facts_are_errors_without_partial() -> None:
    """Without partial, every missing fact is reported (WZ404), each one."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score("check", None)
    codes = [i.code for i in exc.value.issues]
    assert codes == ["WZ404"] * 3


# ------------------------------------------------------------- the plan and the exact sums


def test_a_copy_of_a_compiled_rulebook_has_its_own_plan() -> None:
    """What the engine works out once per compiled rulebook is not shared with a
    ``dataclasses.replace`` copy of it (``wzeval verify`` evaluates such copies)."""
    import dataclasses

    from wzeval.scoring._api import compiled
    from wzeval.scoring._engine import evaluate_compiled

    rb = wzeval.load_rulebook(CORPUS / "check.yaml")
    crb = compiled(rb)
    doc = {
        "wzeval": "findings/1",
        "rulebook": rb.id,
        "department": "甲局",
        "monitoring_date": "2023-11-15",
        "indicators": {
            "filler": {"ok": True},
            "subject": {"standard": True, "noise_free": True, "fake": False},
        },
    }
    findings = wzeval.load_findings(doc, rb)
    assert len(evaluate_compiled(crb, findings).indicators) == 2  # the plan is now made
    only = crb.by_id["subject"]
    copy = dataclasses.replace(crb, indicators=(only,), by_id={"subject": only})
    assert [r.id for r in evaluate_compiled(copy, findings, partial=True).indicators] == ["subject"]


@given(st.lists(st.fractions(max_denominator=10**6), max_size=40))
def test_exact_total_is_the_sum(values: list[F]) -> None:
    """The engine's one-reduction sum equals ``sum`` exactly, whatever the denominators."""
    from wzeval.model._report import exact_total as _total

    got = _total(iter(values))
    assert got == sum(values, F(0))
    assert isinstance(got, F)
