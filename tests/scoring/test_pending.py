"""Pending states (``pending:``): an indicator that cannot be assessed yet — the amended
R4 of the bundled 2023 rulebook, on examples/findings/jiaotong-deductions.yaml.

The example's monitoring date is 2023-11-22 and its simulated question (在线咨询) was
asked on Mon 2023-11-06.  Counting working days on the PRC calendar (no holidays in
November 2023): 7–10, 13–17, 20 → the 10th working day after 11-06 is Mon 11-20.
"""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML
from support.paths import ROOT

import wzeval
from wzeval.core._errors import ValidationFailed

EXAMPLE = ROOT / "examples" / "findings" / "jiaotong-deductions.yaml"


def findings(asked_on: str, answered_on: str | None) -> dict[str, Any]:
    yaml = YAML(typ="safe")
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    zx = data["indicators"]["zaixian_zixun"]
    zx["asked_on"] = asked_on
    zx["answered_on"] = answered_on
    zx["answer_accurate"] = False
    return data


def test_an_open_question_is_not_assessed_yet_with_its_date() -> None:
    """Asked Fri 2023-11-17, unanswered on 11-22: its 10th working day is Fri 12-01
    (20–24, 27–30, 12-01), not passed, so no veto: 在线咨询 is 未评估, assessable from
    2023-12-02."""
    rb = wzeval.load_rulebook()
    doc = findings("2023-11-17", None)
    report = wzeval.evaluate(rb, wzeval.load_findings(doc, rb, partial=True), partial=True)
    res = report.indicator("zaixian_zixun")
    assert not res.assessed and not res.vetoed and res.points == 0
    assert res.pending == "question_open"
    (na,) = [n for n in report.not_assessed if n.indicator == "zaixian_zixun"]
    assert na.pending == "question_open" and "2023-12-02 起可评估" in na.reason
    assert not report.complete


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_without_partial_the_evaluator_is_told_when() -> None:
    """The same without --partial: WZ410 names the date and says to score again then."""
    rb = wzeval.load_rulebook()
    found = wzeval.load_findings(findings("2023-11-17", None), rb)
    with pytest.raises(ValidationFailed) as exc:
        wzeval.evaluate(rb, found)
    (issue,) = exc.value.issues
    # English wording around the rulebook's own (Chinese) label of the pending state
    assert issue.code == "WZ410" and "assessable from 2023-12-02" in issue.message
    assert issue.hint is not None and "--partial" in issue.hint and "date" in issue.hint


def test_once_the_tenth_working_day_has_passed_it_is_a_veto() -> None:
    """Asked Mon 11-06: the 10th working day, 11-20, is before 11-22, so the unanswered
    question vetoes the indicator (该指标不得分) as before."""
    rb = wzeval.load_rulebook()
    report = wzeval.evaluate(rb, wzeval.load_findings(findings("2023-11-06", None), rb))
    res = report.indicator("zaixian_zixun")
    assert res.assessed and res.vetoed and res.points == 0 and res.pending is None


def test_on_the_tenth_working_day_itself_it_is_still_open() -> None:
    """Asked Wed 11-08: 9, 10, 13–17, 20–22 → the 10th working day is 11-22, the
    monitoring date itself: not passed yet, so not assessed, from 2023-11-23."""
    rb = wzeval.load_rulebook()
    doc = findings("2023-11-08", None)
    report = wzeval.evaluate(rb, wzeval.load_findings(doc, rb, partial=True), partial=True)
    (na,) = [n for n in report.not_assessed if n.indicator == "zaixian_zixun"]
    assert "2023-11-23 起可评估" in na.reason


def test_an_answered_question_is_never_pending() -> None:
    """Answered (late or not), the question is assessed whatever the dates."""
    rb = wzeval.load_rulebook()
    report = wzeval.evaluate(rb, wzeval.load_findings(findings("2023-11-17", "2023-11-20"), rb))
    assert report.indicator("zaixian_zixun").assessed


def test_the_table_page_lists_the_pending_state() -> None:
    from wzeval.output._tabledoc import render_rulebook_markdown

    page = render_rulebook_markdown(wzeval.load_rulebook())
    assert "尚不能评估的情形" in page and "question_open" in page
