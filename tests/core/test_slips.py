"""The usual slips, each caught with its fix: tests/corpus/slips/slips.yaml, case by case.

Each case changes one line of a complete example and expects one issue, with its
code, a fragment of its Chinese message, its line:col and the suggested fix named
in the message (or, for a blank, in the hint) — and no other error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.paths import ROOT

import wzeval
from wzeval.checking._findings import check_findings
from wzeval.core._issues import Issue, Severity
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled

CORPUS = load_document(ROOT / "tests" / "corpus" / "slips" / "slips.yaml").data
BASE = (ROOT / CORPUS["base"]).read_text(encoding="utf-8").splitlines()
CASES: list[dict[str, Any]] = CORPUS["cases"]


@pytest.fixture(scope="module")
def crb() -> Any:
    return compiled(wzeval.load_rulebook(ROOT / "rulebooks" / "2023.yaml"))


def test_the_corpus_is_large_and_distinct() -> None:
    """At least 30 slips, each id once, each changing the line it names."""
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert BASE[case["line"] - 1] != case["new"], case["id"]


def test_the_base_is_clean(crb: Any) -> None:
    findings, issues = check_findings(load_document(text="\n".join(BASE) + "\n"), crb)
    assert findings is not None and issues == []


def _check(case: dict[str, Any], crb: Any) -> list[Issue]:
    lines = list(BASE)
    lines[case["line"] - 1] = case["new"]
    doc = load_document(text="\n".join(lines) + "\n", name="f.yaml")
    _, issues = check_findings(doc, crb)
    return issues


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_slip_is_caught_with_its_fix(case: dict[str, Any], crb: Any) -> None:
    issues = _check(case, crb)
    shown = [i.format() for i in issues]
    found = [i for i in issues if i.code == case["code"]]
    assert len(found) == 1, shown
    (issue,) = found
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == tuple(case["at"]), shown
    assert case["message"] in issue.message, shown
    if case["fix"] is not None:
        assert case["fix"] in issue.message + " " + (issue.hint or ""), shown
    if case["code"] in ("WZ405", "WZ406", "WZ117"):  # a slip names the fix in the message
        assert case["fix"] is None or case["fix"] in issue.message, shown
    assert "Invalid isoformat" not in issue.message
    others = [i for i in issues if i is not issue and i.severity is Severity.ERROR]
    assert others == [], shown
    if issue.severity is Severity.WARNING:
        assert case["code"] == "WZ414"


def test_unknown_department_hides_nothing(crb: Any) -> None:
    """An unknown department is reported with the other slips, in one round."""
    lines = list(BASE)
    lines[9] = "department: 市交通局"
    lines[25] = "    content_matches_column: 是"
    lines[108] = "    last_updated: 2023/10/24"
    del lines[26]  # column_stale of jigou_zhineng: missing
    _, issues = check_findings(load_document(text="\n".join(lines) + "\n", name="f.yaml"), crb)
    codes = sorted(i.code for i in issues if i.severity is Severity.ERROR)
    assert codes == ["WZ404", "WZ405", "WZ405", "WZ407"], [i.format() for i in issues]


def test_slips_in_a_workbook_point_at_their_cell(tmp_path: Path) -> None:
    """The same slips typed into the workbook's value cells: each at its cell (事实!F<row>)
    with the value meant."""
    pytest.importorskip("openpyxl")
    import openpyxl
    from support.filling import fill_xlsx

    from wzeval.output._xlsx import FACTS_SHEET, read_findings_xlsx, write_findings_template_xlsx

    rb = wzeval.load_rulebook(ROOT / "rulebooks" / "2023.yaml")
    path = tmp_path / "f.xlsx"
    write_findings_template_xlsx(rb, "市交通运输局", path)
    fill_xlsx(path, rb, {i.id for i in rb.indicators})
    typed = {
        ("jigou_zhineng", "org_info_published"): ("是", "应写作 true"),
        ("dongtai_yaowen", "last_updated"): ("2023/11/5", "应写作 2023-11-05"),
        ("zaixian_zixun", "answered_on"): ("2023年11月7日", "应写作 2023-11-07"),
        ("guifanxing_wenjian", "bad_documents"): ("十二", "应写作 12"),
        ("chaxun_fuwu", "query_form"): ("本级查询系统", "应写作 own_query"),
    }
    wb = openpyxl.load_workbook(path)
    ws = wb[FACTS_SHEET]
    rows = {}
    for row in ws.iter_rows(min_row=2):
        key = (row[0].value, row[2].value)
        if key in typed:
            row[5].value = typed[key][0]
            rows[key] = row[0].row
    assert set(rows) == set(typed)
    wb.save(path)
    _, issues = check_findings(read_findings_xlsx(path), compiled(rb))
    errors = {(i.path[1], i.path[2]): i for i in issues if i.severity is Severity.ERROR}
    assert set(errors) == set(typed), [i.format() for i in issues]
    for key, (_, fix) in typed.items():
        issue = errors[key]
        assert fix in issue.message, issue.format()
        assert str(issue.position).endswith(f"{FACTS_SHEET}!F{rows[key]}"), issue.format()


@pytest.mark.parametrize(
    "line",
    [
        "    content_matches_column： " + "是" * 200_000,  # a syntax error, found in the text
        "    content_matches_column: [" + "0.8，" * 50_000 + "]",
        "    content_matches_column: " + "2023年" * 50_000,
    ],
    ids=["colon", "commas", "date"],
)
def test_a_huge_slip_gives_a_short_message(line: str, crb: Any) -> None:
    """A slip in a megabyte of text is named without quoting the megabyte."""
    issues = _check({"line": 26, "new": line}, crb)
    assert issues
    assert all(len(i.message) + len(i.hint or "") < 600 for i in issues), [
        len(i.message) for i in issues
    ]
