"""Hand-typed and hostile findings: one mistake, one issue, with its code and ``line:col``.

Each case edits one line of a valid findings document for a small rulebook that
declares a fact of every type (bool, int, decimal, str, enum, list, datetime,
records, and dates read by a working-day function), then checks that exactly one
error comes back, with the expected code, at the line and column of the offending
value (or key).  Unknown indicators and facts are checked with ``partial=True`` so
the real one is not also reported missing.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from support.paths import TESTS

import wzeval
from wzeval.core._calendar import covered_years
from wzeval.core._issues import Issue

RULEBOOK = """\
wzeval: rulebook/1
id: hostile
title: every fact type
year: 2023
departments:
  - {id: a, name: 市发改委, aliases: [市发展和改革委员会]}
  - {id: b, name: 市教育局}
categories:
  - id: base
    name: 基础
    weight: 100
    indicators:
      - id: kinds
        name: 类型
        weight: 60
        weight_source: assumed
        facts:
          - {id: ok, type: bool, ask: 合格？}
          - {id: n, type: int, min: 0, max: 10, ask: 次数}
          - {id: rate, type: decimal, min: 0, max: 1, ask: 比例}
          - {id: title, type: str, ask: 标题}
          - {id: form, type: enum, options: [l1, l2, l3], ask: 形式}
          - {id: counts, type: list, of: int, ask: 各月次数}
          - {id: seen, type: datetime, ask: 发现时间}
          - {id: msgs, type: records, fields: {ok: bool, n: int}, ask: 留言}
        items:
          - {id: ok, share: 50%, check: ok}
          - id: n
            share: 50%
            check: "n >= 1 and rate > 0 and len(counts) >= 0 and count_where(msgs, 'ok') >= 0"
      - id: reply
        name: 答复
        weight: 40
        weight_source: assumed
        facts:
          - {id: asked, type: date, ask: 提问日期}
          - {id: answered, type: date, ask: 答复日期}
        derived:
          - {id: in5, type: bool, expr: "within_working_days(asked, answered, 5)"}
        items:
          - {id: in5, share: 100%, check: in5}
"""

# Line numbers below refer to this document (1-based).
GOOD = """\
wzeval: findings/1
rulebook: hostile
department: 市发改委
monitoring_date: 2023-11-15
assessors: [张三]
indicators:
  kinds:
    ok: true
    n: 3
    rate: 0.5
    title: 首页
    form: l2
    counts: [1, 2, 3]
    seen: 2023-11-15 10:30:00
    msgs:
      - {ok: true, n: 1}
  reply:
    asked: 2023-11-10
    answered: 2023-11-13
"""

#: (case id, line to replace, replacement, code, (line, col), partial)
CASES: list[tuple[str, str, str, str, tuple[int, int], bool]] = [
    # bool
    ("bool-yes", "    ok: true", "    ok: yes", "WZ405", (8, 9), False),
    ("bool-number", "    ok: true", "    ok: 1", "WZ405", (8, 9), False),
    ("bool-quoted", "    ok: true", "    ok: 'true'", "WZ405", (8, 9), False),
    ("bool-null", "    ok: true", "    ok: null", "WZ404", (8, 9), False),  # not recorded yet
    ("bool-list", "    ok: true", "    ok: [true]", "WZ405", (8, 9), False),
    # int
    ("int-decimal", "    n: 3", "    n: 1.5", "WZ405", (9, 8), False),
    ("int-text", "    n: 3", "    n: '3'", "WZ405", (9, 8), False),
    ("int-bool", "    n: 3", "    n: true", "WZ405", (9, 8), False),
    ("int-nan", "    n: 3", "    n: .nan", "WZ405", (9, 8), False),
    ("int-below-min", "    n: 3", "    n: -1", "WZ406", (9, 8), False),
    ("int-above-max", "    n: 3", "    n: 11", "WZ406", (9, 8), False),
    ("int-hex-above-max", "    n: 3", "    n: 0x10", "WZ406", (9, 8), False),
    ("int-huge", "    n: 3", "    n: " + "9" * 120, "WZ112", (9, 8), False),
    ("int-not-an-int-tag", "    n: 3", "    n: !!int three", "WZ101", (9, 8), False),
    # decimal
    ("decimal-nan", "    rate: 0.5", "    rate: .nan", "WZ405", (10, 11), False),
    ("decimal-inf", "    rate: 0.5", "    rate: -.inf", "WZ405", (10, 11), False),
    ("decimal-above-max", "    rate: 0.5", "    rate: 1.5", "WZ406", (10, 11), False),
    ("decimal-below-min", "    rate: 0.5", "    rate: -0.1", "WZ406", (10, 11), False),
    ("decimal-percent", "    rate: 0.5", "    rate: 50%", "WZ405", (10, 11), False),
    ("decimal-quoted", "    rate: 0.5", "    rate: '0.5'", "WZ405", (10, 11), False),
    ("decimal-huge-exponent", "    rate: 0.5", "    rate: 1e999999999", "WZ112", (10, 11), False),
    ("decimal-tiny-exponent", "    rate: 0.5", "    rate: 1e-999999999", "WZ112", (10, 11), False),
    # str, enum
    ("str-number", "    title: 首页", "    title: 3", "WZ405", (11, 12), False),
    ("str-null", "    title: 首页", "    title: null", "WZ404", (11, 12), False),
    ("str-list", "    title: 首页", "    title: [首页]", "WZ405", (11, 12), False),
    ("enum-unknown", "    form: l2", "    form: l9", "WZ405", (12, 11), False),
    ("enum-list", "    form: l2", "    form: [l1]", "WZ405", (12, 11), False),
    # list
    ("list-scalar", "    counts: [1, 2, 3]", "    counts: 3", "WZ405", (13, 13), False),
    ("list-item-text", "    counts: [1, 2, 3]", "    counts: [1, x, 3]", "WZ405", (13, 17), False),
    (
        "list-item-decimal",
        "    counts: [1, 2, 3]",
        "    counts: [1, 2, 3.5]",
        "WZ405",
        (13, 20),
        False,
    ),
    # datetime
    ("datetime-hour-25", "2023-11-15 10:30:00", "2023-11-15 25:30:00", "WZ405", (14, 11), False),
    ("datetime-feb-30", "2023-11-15 10:30:00", "2023-02-30", "WZ405", (14, 11), False),
    (
        "datetime-offset",
        "2023-11-15 10:30:00",
        "2023-11-15T10:30:00+25:00",
        "WZ405",
        (14, 11),
        False,
    ),
    ("datetime-text", "2023-11-15 10:30:00", "yesterday", "WZ405", (14, 11), False),
    # records
    ("record-scalar", "      - {ok: true, n: 1}", "      - 3", "WZ405", (16, 9), False),
    (
        "record-missing-field",
        "      - {ok: true, n: 1}",
        "      - {ok: true}",
        "WZ404",
        (16, 9),
        False,
    ),
    (
        "record-unknown-field",
        "      - {ok: true, n: 1}",
        "      - {ok: true, n: 1, x: 2}",
        "WZ403",
        (16, 26),
        False,
    ),
    (
        "record-field-type",
        "      - {ok: true, n: 1}",
        "      - {ok: 1, n: 1}",
        "WZ405",
        (16, 14),
        False,
    ),
    # dates: impossible, not a date, outside the working-day calendar
    ("date-feb-30", "asked: 2023-11-10", "asked: 2023-02-30", "WZ405", (18, 12), False),
    ("date-month-13", "asked: 2023-11-10", "asked: 2023-13-01", "WZ405", (18, 12), False),
    ("date-year-0", "asked: 2023-11-10", "asked: 0000-01-01", "WZ405", (18, 12), False),
    ("date-feb-30-quoted", "asked: 2023-11-10", "asked: '2023-02-30'", "WZ405", (18, 12), False),
    ("date-number", "asked: 2023-11-10", "asked: 20231110", "WZ405", (18, 12), False),
    ("date-text", "asked: 2023-11-10", "asked: soon", "WZ405", (18, 12), False),
    ("date-after-calendar", "asked: 2023-11-10", "asked: 2099-11-10", "WZ411", (18, 12), False),
    ("date-before-calendar", "asked: 2023-11-10", "asked: 1999-11-10", "WZ411", (18, 12), False),
    (
        "monitoring-feb-30",
        "2023-11-15\nassessors",
        "2023-02-30\nassessors",
        "WZ405",
        (4, 18),
        False,
    ),
    ("monitoring-text", "2023-11-15\nassessors", "15.11.2023\nassessors", "WZ405", (4, 18), False),
    # header, department, indicators, facts
    ("department-unknown", "department: 市发改委", "department: 市发改", "WZ407", (3, 13), False),
    ("department-number", "department: 市发改委", "department: 3", "WZ407", (3, 13), False),
    ("department-empty", "department: 市发改委", "department: ''", "WZ407", (3, 13), False),
    ("indicator-unknown", "  kinds:", "  kind:", "WZ402", (7, 3), True),
    (
        "indicator-not-mapping",
        "  reply:\n    asked: 2023-11-10\n    answered: 2023-11-13\n",
        "  reply: 3\n",
        "WZ405",
        (17, 10),
        True,
    ),
    ("fact-unknown", "    title: 首页", "    titel: 首页", "WZ403", (11, 5), True),
    (
        "fact-derived",
        "    answered: 2023-11-13\n",
        "    answered: 2023-11-13\n    in5: true\n",
        "WZ403",
        (20, 5),
        True,
    ),
    (
        "fact-bad-evidence",
        "    ok: true",
        "    ok: {value: true, evidence: 5}",
        "WZ405",
        (8, 33),
        False,
    ),
    (
        "fact-unknown-key",
        "    ok: true",
        "    ok: {value: true, extra: 1}",
        "WZ405",
        (8, 23),
        False,
    ),
    ("assessors-number", "assessors: [张三]", "assessors: 3", "WZ405", (5, 12), False),
    ("header-typo", "assessors: [张三]", "assesors: [张三]", "WZ401", (5, 1), False),
    ("other-rulebook", "rulebook: hostile", "rulebook: other", "WZ408", (2, 11), False),
    ("other-format", "wzeval: findings/1", "wzeval: findings/2", "WZ401", (1, 9), False),
    (
        "indicators-not-mapping",
        GOOD[GOOD.index("indicators:") :],
        "indicators: [kinds, reply]\n",
        "WZ405",
        (6, 13),
        True,
    ),
]


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory: pytest.TempPathFactory) -> wzeval.Rulebook:
    path = tmp_path_factory.mktemp("rb") / "hostile.yaml"
    path.write_text(RULEBOOK, encoding="utf-8")
    return wzeval.load_rulebook(path)


def check(text: str, rb: wzeval.Rulebook, tmp_path: Path, partial: bool = False) -> list[Issue]:
    """The issues of ``text`` as a findings file (every issue placed in that file)."""
    f = tmp_path / "f.yaml"
    f.write_text(text, encoding="utf-8")
    findings, issues = wzeval.read_findings(f, rb, partial=partial)
    for issue in issues:
        assert issue.position is not None and issue.position.file == str(f), issue.format()
    if any(i.severity == "error" for i in issues):
        assert findings is None
    return issues


def errors(issues: list[Issue]) -> list[tuple[str, int, int]]:
    return [
        (i.code, i.position.line, i.position.col)
        for i in issues
        if i.severity == "error" and i.position is not None
    ]


def test_the_good_document_scores(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """The unedited document is valid and scores full marks (so each case has one mistake)."""
    assert check(GOOD, rulebook, tmp_path) == []
    f = tmp_path / "f.yaml"
    assert wzeval.score(f, rulebook).total == 100


@pytest.mark.parametrize(
    ("old", "new", "code", "where", "partial"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_one_mistake_gives_one_issue_at_its_place(
    rulebook: wzeval.Rulebook,
    tmp_path: Path,
    old: str,
    new: str,
    code: str,
    where: tuple[int, int],
    partial: bool,
) -> None:
    """Each wrong type, range, date, name or key gives exactly one error, at line:col."""
    assert GOOD.count(old) == 1, old
    issues = check(GOOD.replace(old, new), rulebook, tmp_path, partial=partial)
    assert errors(issues) == [(code, *where)], [i.format() for i in issues]


def test_impossible_unquoted_date_is_a_clear_wz405(
    rulebook: wzeval.Rulebook, tmp_path: Path
) -> None:
    """Unquoted 2023-02-30 (which ruamel cannot construct) is WZ405 naming the value and why."""
    issues = check(GOOD.replace("asked: 2023-11-10", "asked: 2023-02-30"), rulebook, tmp_path)
    (issue,) = issues
    assert issue.code == "WZ405"
    assert "2023-02-30 is not a real date" in issue.message
    assert "不是真实存在的日期" in issue.message
    assert issue.format().startswith(f"{tmp_path / 'f.yaml'}:18:12: error WZ405")


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_suggestions_for_names(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """Unknown department, indicator, fact, enum option and header key come with did-you-mean."""
    cases = [
        ("department: 市发改委", "department: 市发改", False, "did you mean '市发改委'?"),
        ("  kinds:", "  kind:", True, "did you mean 'kinds'?"),
        ("    title: 首页", "    titel: 首页", True, "did you mean 'title'?"),
        ("    form: l2", "    form: l9", False, "did you mean 'l3'?"),
        ("assessors: [张三]", "assesors: [张三]", False, "did you mean 'assessors'?"),
    ]
    for old, new, partial, hint in cases:
        (issue,) = check(GOOD.replace(old, new), rulebook, tmp_path, partial=partial)
        assert issue.hint == hint, issue.format()


def test_yes_for_a_bool_warns_and_hints(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """``ok: yes`` is a YAML 1.1 boolean warning (WZ111) plus WZ405 hinting at true/false."""
    issues = check(GOOD.replace("    ok: true", "    ok: yes"), rulebook, tmp_path)
    assert [(i.code, i.severity.value) for i in issues] == [
        ("WZ111", "warning"),
        ("WZ405", "error"),
    ]
    assert "应写作 true" in issues[1].message
    assert issues[1].hint is not None and "true 或 false" in issues[1].hint


def test_calendar_range_is_named(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """WZ411 names the years the installed calendar covers, so the fix is obvious."""
    years = covered_years()
    (issue,) = check(GOOD.replace("asked: 2023-11-10", "asked: 2099-11-10"), rulebook, tmp_path)
    assert f"{years.start}–{years.stop - 1}" in issue.message


def test_an_alias_names_the_department(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """A department's alias is accepted and scored as the department."""
    text = GOOD.replace("department: 市发改委", "department: 市发展和改革委员会")
    assert check(text, rulebook, tmp_path) == []


def test_huge_text_values_give_short_messages(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """A 100 000-character wrong value is reported with a message of bounded length."""
    text = GOOD.replace("    n: 3", "    n: " + "x" * 100_000)
    (issue,) = check(text, rulebook, tmp_path)
    assert issue.code == "WZ405" and len(issue.format()) < 400


def test_in_memory_findings_with_huge_decimals_are_refused(rulebook: wzeval.Rulebook) -> None:
    """A mapping from a library caller holding Decimal('1e999999999') is WZ112, not a hang."""
    from decimal import Decimal

    data = {
        "wzeval": "findings/1",
        "department": "市发改委",
        "monitoring_date": "2023-11-15",
        "indicators": {"kinds": {"rate": Decimal("1e999999999")}},
    }
    findings, issues = wzeval.read_findings(data, rulebook, partial=True)
    assert findings is None
    assert [i.code for i in issues] == ["WZ112"]  # as the same number in a file


def test_empty_document_is_an_issue(rulebook: wzeval.Rulebook, tmp_path: Path) -> None:
    """An empty findings file is refused with WZ401, not silently returned as None."""
    assert errors(check("", rulebook, tmp_path)) == [("WZ401", 1, 1)]
    assert errors(check("# only a comment\n", rulebook, tmp_path)) == [("WZ401", 1, 1)]


def test_huge_counts_score_and_render(tmp_path: Path) -> None:
    """A 31-digit count of deductions (found by fuzzing) scores, capped, and renders exactly."""
    import wzeval.output._render as render
    from wzeval.model._report import display

    root = TESTS
    rb = wzeval.load_rulebook(root / "rulebooks" / "kinds.yaml")
    text = (root / "findings" / "kinds-a.yaml").read_text(encoding="utf-8")
    old = "deduct: {late: 2, severe: 0, bad: 0}"
    assert old in text
    f = tmp_path / "huge.yaml"
    f.write_text(text.replace(old, f"deduct: {{late: 2, severe: 0, bad: {10**30}}}"), "utf-8")
    report = wzeval.score(f, rb)
    for rendered in (
        render.render_text(report),
        render.render_json(report),
        render.render_markdown(report),
        render.render_csv(report),
    ):
        assert str(10**30) in rendered  # the count, shown whole
    assert "10000000000000000000000000000000.00" in render.render_text(report)  # its points
    assert display(Fraction(10**40 + 1, 3)) == "3" * 40 + ".67"
    assert display(Fraction(-1, 200)) == "-0.01"
    assert display(Fraction(-1, 201)) == "0.00"
