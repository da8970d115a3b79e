"""Findings checks: unknown names, missing facts, wrong types — all at once, with positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.bounds import measure, run_cli
from support.paths import TESTS

import wzeval
from wzeval.core._issues import Issue

CORPUS = TESTS / "corpus"

GOOD = """\
wzeval: findings/1
rulebook: tiers
department: 甲局
monitoring_date: 2023-11-15
assessors: [张三, 李四]
indicators:
  subject:
    asked: 2023-11-10
    answered:
      value: 2023-11-13
      evidence: https://www.example.gov.cn/hdjl/zxzx/1.html
      note: 答复内容准确
    accurate: true
  filler:
    ok: true
"""


@pytest.fixture
def rulebook() -> wzeval.Rulebook:
    return wzeval.load_rulebook(CORPUS / "tiers.yaml")


def problems(text: str, rb: wzeval.Rulebook, tmp_path: Path) -> list[Issue]:
    f = tmp_path / "f.yaml"
    f.write_text(text, encoding="utf-8")
    findings, issues = wzeval.read_findings(f, rb)
    assert findings is None
    return issues


def where(issue: Issue) -> tuple[int, int]:
    assert issue.position is not None
    return issue.position.line, issue.position.col


def test_good_findings_keep_evidence(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """Evidence and notes are kept with the value and reach the report."""
    f = tmp_path / "f.yaml"
    f.write_text(GOOD, encoding="utf-8")
    report = wzeval.evaluate(rulebook, wzeval.load_findings(f, rulebook))
    fact = next(x for x in report.indicator("subject").facts if x.id == "answered")
    assert fact.value == "2023-11-13"
    assert fact.evidence == ["https://www.example.gov.cn/hdjl/zxzx/1.html"]
    assert fact.note == "答复内容准确"
    assert fact.at == f"{f}:10:14"
    assert report.assessors == ["张三", "李四"]


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_indicator_with_suggestion(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """A misspelt indicator id is WZ402 at the key, with did-you-mean."""
    text = GOOD.replace("  filler:", "  filer:")
    (issue,) = [i for i in problems(text, rulebook, tmp_path) if i.code == "WZ402"]
    assert where(issue) == (14, 3)
    assert issue.hint == "did you mean 'filler'?"


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_fact(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """A misspelt fact is WZ403 at its key with a suggestion (and the real one is missing)."""
    text = GOOD.replace("    accurate: true", "    acurate: true")
    found = problems(text, rulebook, tmp_path)
    unknown = next(i for i in found if i.code == "WZ403")
    assert where(unknown) == (13, 5) and unknown.hint == "did you mean 'accurate'?"
    assert any(i.code == "WZ404" and "accurate" in i.message for i in found)


def test_wrong_type_with_hint(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """'yes' for a bool is WZ405 at the value, hinting at true/false."""
    text = GOOD.replace("accurate: true", "accurate: yes")
    found = problems(text, rulebook, tmp_path)
    issue = next(i for i in found if i.code == "WZ405")
    assert where(issue) == (13, 15)
    assert "应写作 true" in issue.message
    assert issue.hint is not None and "true 或 false" in issue.hint


def test_impossible_date(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """2023-02-30 is not a real date: WZ405 (as text it cannot parse)."""
    text = GOOD.replace("asked: 2023-11-10", "asked: '2023-02-30'")
    issue = next(i for i in problems(text, rulebook, tmp_path) if i.code == "WZ405")
    assert where(issue)[0] == 8


def test_date_outside_calendar(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """A date read by a working-day function outside the calendar's years is WZ411, no guess."""
    text = GOOD.replace("asked: 2023-11-10", "asked: 2099-11-10")
    issue = next(i for i in problems(text, rulebook, tmp_path) if i.code == "WZ411")
    assert where(issue) == (8, 12)


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_department(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """An unknown department is WZ407 with the closest name."""
    text = GOOD.replace("department: 甲局", "department: 甲局局")
    (issue,) = problems(text, rulebook, tmp_path)
    assert issue.code == "WZ407" and where(issue) == (3, 13)
    assert issue.hint == "did you mean '甲局'?"


def test_wrong_rulebook(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """Findings written for another rulebook are refused (WZ408)."""
    text = GOOD.replace("rulebook: tiers", "rulebook: xianning-2022")
    assert [i.code for i in problems(text, rulebook, tmp_path)] == ["WZ408"]


def test_out_of_range_count(tmp_path: Path) -> None:
    """A negative count is WZ406; a decimal count is WZ405."""
    rb = wzeval.load_rulebook(CORPUS / "bands.yaml")
    base = "wzeval: findings/1\ndepartment: 甲局\nmonitoring_date: 2023-11-15\nindicators:\n"
    found = problems(base + "  filler: {ok: true}\n  subject: {firsts: -1}\n", rb, tmp_path)
    assert [i.code for i in found] == ["WZ406"]
    found = problems(base + "  filler: {ok: true}\n  subject: {firsts: 1.5}\n", rb, tmp_path)
    assert [i.code for i in found] == ["WZ405"]


def test_all_problems_at_once(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """Four independent mistakes give their issues in one pass: the unknown department
    hides nothing (the facts of the misspelt indicator are missing, WZ404, too)."""
    text = (
        GOOD.replace("department: 甲局", "department: 丙局")
        .replace("  filler:", "  filer:")
        .replace("accurate: true", "accurate: 1")
        .replace("asked: 2023-11-10", "asked: soon")
    )
    codes = sorted(i.code for i in problems(text, rulebook, tmp_path))
    assert codes == ["WZ402", "WZ404", "WZ405", "WZ405", "WZ407"]


def test_missing_monitoring_date(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """Without 监测时间点 nothing can be dated: WZ404 names it."""
    text = GOOD.replace("monitoring_date: 2023-11-15\n", "")
    found = problems(text, rulebook, tmp_path)
    assert any(i.code == "WZ404" and "monitoring_date" in i.message for i in found)


def test_evaluation_problems_point_at_the_indicator(tmp_path: Path) -> None:
    """A problem only scoring finds (5 of 4 checks passed) is placed at the indicator's key."""
    rb = wzeval.load_rulebook(CORPUS / "proportion.yaml")
    f = tmp_path / "f.yaml"
    f.write_text(
        "wzeval: findings/1\ndepartment: 甲局\nmonitoring_date: 2023-11-15\nindicators:\n"
        "  filler: {ok: true}\n  subject: {passed: 5, checked: 4}\n",
        encoding="utf-8",
    )
    findings = wzeval.load_findings(f, rb)
    try:
        wzeval.evaluate(rb, findings)
    except wzeval.ValidationFailed as exc:
        (issue,) = exc.issues
        assert issue.code == "WZ502" and str(issue.position) == f"{f}:6:3"
    else:  # pragma: no cover
        raise AssertionError("expected ValidationFailed")


def test_calendar_dates_read_by_a_veto_are_checked(tmp_path: Path) -> None:
    """A working-day call in a veto (the only one in the indicator) still marks the dates it
    reads: WZ411 for a date outside the calendar's years."""
    text = (CORPUS / "check.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "- {id: fake, type: bool, ask: 突击发布或弄虚作假？}",
        "- {id: asked, type: date, ask: 提问日期}\n"
        "          - {id: answered, type: date, ask: 答复日期}",
    ).replace(
        "- {id: fake, when: fake,",
        "- {id: fake, when: 'not within_working_days(asked, answered, 10)',",
    )
    rb_file = tmp_path / "rb.yaml"
    rb_file.write_text(text, encoding="utf-8")
    rb = wzeval.load_rulebook(rb_file)
    body = (
        "wzeval: findings/1\ndepartment: 甲局\nmonitoring_date: 2023-11-15\nindicators:\n"
        "  filler: {ok: true}\n"
        "  subject: {standard: true, noise_free: true, asked: 2099-11-10, answered: 2099-11-11}\n"
    )
    found = problems(body, rb, tmp_path)
    assert [(i.code, where(i)) for i in found] == [("WZ411", (6, 54)), ("WZ411", (6, 76))]


# -------------------------------------------- dates only in the documented form YYYY-MM-DD


@pytest.mark.parametrize("text", ["'20231110'", "'2023W455'", "'2023-W45-5'", "'2023-314'"])
def test_dates_only_in_the_documented_form(
    text: str, rulebook: wzeval.Rulebook, tmp_path: Path
) -> None:
    """ISO basic, week and ordinal forms (date.fromisoformat takes them) are WZ405."""
    findings = GOOD.replace("asked: 2023-11-10", f"asked: {text}")
    found, used = measure(lambda: problems(findings, rulebook, tmp_path))
    used.assert_within()
    (issue,) = found
    assert issue.code == "WZ405"
    assert where(issue) == (8, 12)  # line 8; "    asked: " is 11 characters
    assert issue.hint is not None and "YYYY-MM-DD" in issue.hint


@pytest.mark.parametrize("text", ["'20231115'", "'2023W463'"])
def test_monitoring_date_only_in_the_documented_form(
    text: str, rulebook: wzeval.Rulebook, tmp_path: Path
) -> None:
    """monitoring_date: '20231115' is WZ405 at the value, hint naming YYYY-MM-DD."""
    findings = GOOD.replace("monitoring_date: 2023-11-15", f"monitoring_date: {text}")
    found, used = measure(lambda: problems(findings, rulebook, tmp_path))
    used.assert_within()
    issue = next(i for i in found if i.code == "WZ405")
    assert where(issue) == (4, 18)  # "monitoring_date: " is 17 characters
    assert issue.hint is not None and "YYYY-MM-DD" in issue.hint


def test_quoted_documented_form_is_still_a_date(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """'2023-11-10' quoted, with blanks around, is still read as the date."""
    f = tmp_path / "f.yaml"
    f.write_text(GOOD.replace("asked: 2023-11-10", "asked: ' 2023-11-10 '"), encoding="utf-8")
    findings, issues = wzeval.read_findings(f, rulebook)
    assert findings is not None and issues == []


def test_week_date_via_cli(tmp_path: Path) -> None:
    """validate: exit 1 and WZ405 at f.yaml:8:12 for asked: '2023W455'."""
    f = tmp_path / "f.yaml"
    f.write_text(GOOD.replace("asked: 2023-11-10", "asked: '2023W455'"), encoding="utf-8")
    run = run_cli(["validate", "--rulebook", CORPUS / "tiers.yaml", f])
    run.used.assert_within()
    assert run.returncode == 1, run.stderr
    assert "f.yaml:8:12" in run.stdout and "WZ405" in run.stdout
    assert "Traceback" not in run.stderr
