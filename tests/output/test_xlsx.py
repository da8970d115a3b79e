"""Spreadsheets: score workbooks read back with openpyxl, findings workbooks round-tripped."""

from __future__ import annotations

import copy
import functools
import io
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from support.paths import ROOT, TESTS

from wzeval.checking._findings import check_findings
from wzeval.core._errors import OutputExists, WzevalError
from wzeval.core._issues import Position
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport, display
from wzeval.output._xlsx import (
    FACTS_HEADER,
    FACTS_SHEET,
    HEADER_SHEET,
    CellPosition,
    XlsxUnavailable,
    cell_number,
    findings_template_xlsx_bytes,
    read_findings_xlsx,
    sheet_names,
    write_findings_template_xlsx,
    write_xlsx,
    xlsx_bytes,
)
from wzeval.reading._loader import load_document
from wzeval.scoring._api import (
    compiled,
    evaluate,
    load_findings,
    load_rulebook,
    rulebook_from_document,
)

openpyxl = pytest.importorskip("openpyxl")

KINDS = TESTS / "rulebooks" / "kinds.yaml"
FINDINGS = TESTS / "findings" / "kinds-a.yaml"
BUNDLED = TESTS.parent / "src" / "wzeval" / "data" / "2023.yaml"
EXAMPLES = sorted((TESTS.parent / "examples" / "findings").glob("*.yaml"))
#: The score workbook's labels in Chinese, the default language (worked from the issue).
RANKING_SHEET = "排名"
RANKING_HEADER = ("名次", "部门", "基础分（折算）", "加分", "扣分", "总分", "备注")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "权重", "得分", "扣分原因")

#: A rulebook with one fact of every type (and an enum option with a comma in it).
TYPES_RULEBOOK = """\
wzeval: rulebook/1
id: types
title: 所有事实类型
year: 2023
departments:
  - {id: a, name: 甲局}
categories:
  - id: base
    name: 基础
    weight: 100
    indicators:
      - id: all
        name: 全部类型
        weight: 100
        weight_source: stated
        facts:
          - {id: seen, type: bool, ask: 是否？}
          - {id: n, type: int, min: 0, ask: 次数}
          - {id: score, type: decimal, min: 0, max: 3, ask: 给分}
          - {id: day, type: date, ask: 日期}
          - {id: answered, type: date, ask: 答复日期, nullable: true}
          - {id: at, type: datetime, ask: 时间}
          - {id: text, type: str, ask: 文字}
          - {id: level, type: enum, options: [低, "中,等", 高], ask: 等级}
          - {id: panel, type: list, of: decimal, min: 0, max: 1, ask: 评委打分}
          - id: checks
            type: records
            fields: {checked_on: date, title: str, ok: bool}
            ask: 抽查记录
        items:
          - {id: g, share: 50%, given: {value: score, out_of: 3}}
          - id: p
            share: 50%
            proportion: {passed: "count_where(checks, 'ok')", checked: "len(checks)"}
"""

TYPES_FINDINGS: dict[str, Any] = {
    "wzeval": "findings/1",
    "rulebook": "types",
    "department": "甲局",
    "monitoring_date": date(2023, 11, 15),
    "assessors": ["张三", "李四"],
    "indicators": {
        "all": {
            "seen": True,
            "n": 7,
            "score": Decimal("2.7"),
            "day": date(2023, 10, 9),
            "answered": None,
            "at": datetime(2023, 10, 9, 9, 30),
            "text": "首页 <b>",
            "level": "中,等",
            "panel": [Decimal("0.8"), Decimal("0.65")],
            "checks": [
                {"checked_on": date(2023, 9, 1), "title": "通知一", "ok": True},
                {"checked_on": date(2023, 9, 15), "title": "通知二", "ok": False},
                {"checked_on": date(2023, 10, 1), "title": "通知三", "ok": True},
            ],
        }
    },
}


# ----------------------------------------------------------------------------- helpers


@functools.cache
def kinds() -> Rulebook:
    """The kinds rulebook, loaded once."""
    return load_rulebook(KINDS)


@functools.cache
def bundled() -> Rulebook:
    """The bundled 2023 rulebook, loaded once."""
    return load_rulebook()


@functools.cache
def types_rulebook() -> Rulebook:
    """The every-type rulebook above, loaded once."""
    rb, issues = rulebook_from_document(load_document(text=TYPES_RULEBOOK, name="types.yaml"))
    assert rb is not None, [i.format() for i in issues]
    return rb


def kinds_data() -> dict[str, Any]:
    """The kinds-a findings as plain data (a fresh copy)."""
    return copy.deepcopy(load_document(FINDINGS).data)


def score(rb: Rulebook, data: dict[str, Any], *, partial: bool = False) -> ScoreReport:
    """Evaluate an in-memory findings mapping."""
    return evaluate(rb, load_findings(data, rb, partial=partial), partial=partial)


@functools.cache
def batch() -> tuple[ScoreReport, ...]:
    """Three departments: 甲局 (kinds-a), 乙局 (vetoed, one indicator not applicable),
    and a partial 甲局 (one item not assessed)."""
    a = kinds_data()
    b = kinds_data()
    b["department"] = "乙局"
    b["indicators"]["checks"] = {"a": True, "b": True, "fake": True}
    b["indicators"]["listed"] = {}
    c = kinds_data()
    c["indicators"]["prop"] = {"passed": 0, "checked": 0}
    c["indicators"]["deduct"] = {"late": 1, "severe": 1, "bad": 1}
    return (score(kinds(), a), score(kinds(), b), score(kinds(), c, partial=True))


def load(data: bytes) -> Any:
    """A workbook from bytes."""
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws: Any) -> list[tuple[Any, ...]]:
    """Every row of a sheet as values."""
    return list(ws.iter_rows(values_only=True))


def cell_text(value: Any) -> Any:
    """A findings value as an evaluator types it into a cell."""
    if isinstance(value, Decimal):
        return float(value)  # Excel keeps numbers as doubles
    if isinstance(value, list):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    if value is None:
        return "null"
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def fill_template(template: bytes, data: dict[str, Any], path: Path) -> Path:
    """Fill a findings template with the values of a findings mapping, as a person would."""
    wb = load(template)
    for row in wb[HEADER_SHEET].iter_rows():
        key = row[0].value
        if key == "monitoring_date":
            row[2].value = data["monitoring_date"]
        elif key == "assessors":
            row[2].value = "、".join(data["assessors"])
    for row in wb[FACTS_SHEET].iter_rows(min_row=2):
        ind, fact = row[0].value, row[2].value
        raw = data["indicators"].get(ind, {})
        if fact not in raw:
            continue
        value = raw[fact]
        if isinstance(value, dict) and "value" in value:
            evidence = value.get("evidence")
            row[5].value = cell_text(value["value"])
            row[6].value = "\n".join(evidence) if isinstance(evidence, list) else evidence
            row[7].value = value.get("note")
        else:
            row[5].value = cell_text(value)
    wb.save(path)
    return path


def comparable(report: ScoreReport) -> dict[str, Any]:
    """The report as JSON data without what names the file (findings_file, facts' ``at``)."""
    data: dict[str, Any] = json.loads(report.to_json())
    data.pop("findings_file")
    for ind in data["indicators"]:
        for fact in ind["facts"]:
            fact.pop("at")
    return data


def fact_row(wb: Any, indicator: str, fact: str) -> int:
    """The row of a fact in the facts sheet."""
    for row in wb[FACTS_SHEET].iter_rows(min_row=2):
        if row[0].value == indicator and row[2].value == fact:
            return int(row[0].row)
    raise KeyError((indicator, fact))


# ----------------------------------------------------------------------------- score workbooks


def test_every_indicator_score_is_the_displayed_figure() -> None:
    """Each indicator's 得分 cell equals float(Decimal(display(points))) of the JSON report."""
    reports = batch()
    wb = load(xlsx_bytes(reports))
    for report in reports:
        exact = ScoreReport.from_json(report.to_json())
        sheet = next(
            wb[n]
            for n in wb.sheetnames[1:]
            if wb[n]["A1"].value == f"{report.department} 评分表"
            and wb[n]["A2"].value.endswith("" if report.complete else "本表不是完整评分")
        )
        body = rows(sheet)
        assert body[2] == INDICATOR_HEADER
        n = len(exact.indicators)
        excel_rows = sheet.iter_rows(min_row=4, max_row=3 + n)
        for values, result, excel_row in zip(
            body[3 : 3 + n], exact.indicators, excel_rows, strict=True
        ):
            assert values[:3] == (result.category, result.group, result.name)
            assert values[3] == float(Decimal(display(result.weight)))
            if not result.applicable:
                assert values[4] == "不适用"
            elif not result.assessed:
                assert values[4] == "未评估"
            else:
                assert isinstance(values[4], float | int)
                assert values[4] == float(Decimal(display(result.points)))
                assert excel_row[4].number_format == "0.00"
            assert values[5] == ("\n".join(result.reasons) or None)


def test_totals_rows_hold_the_report_figures() -> None:
    """Under the indicators: raw base (with the applicable weight), rescaled base, bonus,
    penalty and total, each the displayed figure."""
    report = batch()[1]  # 乙局: one indicator not applicable, so raw ≠ rescaled
    wb = load(xlsx_bytes([report]))
    by_label = {r[0]: r for r in rows(wb[wb.sheetnames[1]]) if r[0]}
    assert by_label["基础分（原始）"][3:5] == (
        cell_number(report.base_possible),
        cell_number(report.base_raw),
    )
    assert report.base_possible == 90
    assert by_label["基础分（折算）"][4] == cell_number(report.base) == 70.22
    assert by_label["加分"][4] == cell_number(report.bonus)
    assert by_label["扣分"][4] == cell_number(report.penalty) == -0.6
    assert by_label["总分"][4] == cell_number(report.total) == 71.62


def test_ranking_sheet_orders_by_total_then_name() -> None:
    """The first sheet ranks departments by total (descending), ties by name, with links."""
    reports = batch()
    tied = reports[0].model_copy(update={"department": "丙局", "department_id": "c"})
    wb = load(xlsx_bytes([reports[2], tied, reports[1], reports[0]]))
    assert wb.sheetnames[0] == RANKING_SHEET
    body = rows(wb[RANKING_SHEET])
    assert body[0] == RANKING_HEADER
    totals = [r[5] for r in body[1:]]
    assert totals == sorted(totals, reverse=True)
    assert [r[1] for r in body[1:]] == [*sorted(["丙局", "甲局"]), "乙局", "甲局"]
    assert [r[0] for r in body[1:]] == [1, 1, 3, 4]  # equal totals share a rank
    assert body[4][6] == "部分未评估"
    link = wb[RANKING_SHEET]["B2"].hyperlink
    assert link is not None and link.location.strip("'").split("'!")[0] in wb.sheetnames


def test_forty_departments_get_valid_unique_sheet_names(tmp_path: Path) -> None:
    """40 departments with long, clashing and forbidden names all get valid, unique sheets."""
    base = batch()[0]
    names = [f"咸宁市第{i}号部门/局[分]:*?\\办公室很长很长很长的名字" for i in range(30)]
    names += ["history", "排名", "'甲局'", "ABC", "abc", "", "甲局", "甲局", "x" * 40, "y" * 40]
    reports = [
        base.model_copy(update={"department": n, "department_id": f"d{i}"})
        for i, n in enumerate(names)
    ]
    path = tmp_path / "forty.xlsx"
    write_xlsx(reports, path)
    wb = openpyxl.load_workbook(path)
    sheets = wb.sheetnames
    # the ranking, then each department's score sheet and its detail sheet
    assert len(sheets) == 81 and sheets[0] == RANKING_SHEET
    assert len({s.casefold() for s in sheets}) == 81
    assert "history" not in {s.casefold() for s in sheets}
    for s in sheets:
        assert 1 <= len(s) <= 31
        assert not set(s) & set("[]:*?/\\")
        assert not s.startswith("'") and not s.endswith("'")
    titles = sorted(wb[s]["A1"].value for s in sheets[1::2])
    assert titles == sorted(f"{n} 评分表" for n in names)
    details = sorted(wb[s]["A1"].value for s in sheets[2::2])
    assert details == sorted(f"{n} 评分明细" for n in names)


def test_sheet_names_rules() -> None:
    """sheet_names cleans, shortens and numbers duplicates, ignoring case and reserved names."""
    got = sheet_names(["a/b", "A_B", "排名", "z" * 40, "z" * 40], reserved=("排名",))
    assert got == ["a_b", "A_B(2)", "排名(2)", "z" * 31, "z" * 28 + "(2)"]


def test_cell_number_rounds_half_up_once() -> None:
    """A cell stores the displayed decimal: 2.675 → 2.68 (float round would give 2.67)."""
    assert round(2.675, 2) == 2.67
    assert cell_number(Fraction(2675, 1000)) == 2.68
    assert cell_number(Fraction(1, 3)) == 0.33
    assert cell_number(Fraction(-5, 1000)) == -0.01


def test_workbook_is_deterministic_and_written_atomically(tmp_path: Path) -> None:
    """Same reports give the same bytes; an existing file is kept unless force; no temp left."""
    reports = batch()
    assert xlsx_bytes(reports) == xlsx_bytes(reports)
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(OutputExists):
        write_xlsx(reports, path)
    assert path.read_bytes() == b"mine"
    write_xlsx(reports, path, force=True)
    assert path.read_bytes() == xlsx_bytes(reports)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_sheets_are_formatted_to_print() -> None:
    """Bold filled header, borders, widths, wrapped reasons, frozen header, print titles,
    landscape one page wide."""
    wb = load(xlsx_bytes(batch()[:1]))
    for name, header_row, title_rows in (
        (RANKING_SHEET, 1, "$1:$1"),
        (wb.sheetnames[1], 3, "$3:$3"),
    ):
        ws = wb[name]
        head = ws.cell(row=header_row, column=1)
        assert head.font.bold and head.fill.fgColor.rgb.endswith("DCE6F1")
        assert head.border.bottom.style == "thin"
        assert ws.freeze_panes == f"A{header_row + 1}"
        assert ws.print_title_rows == title_rows
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["B"].width > 8
    dept = wb[wb.sheetnames[1]]
    assert dept["F4"].alignment.wrap_text
    assert dept.column_dimensions["F"].width >= 40


def test_missing_openpyxl_is_a_clear_wzeval_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl, the functions raise XlsxUnavailable saying what to install, once."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(XlsxUnavailable, match="openpyxl") as info:
        xlsx_bytes(batch())
    assert isinstance(info.value, WzevalError) and isinstance(info.value, ImportError)
    # the message names the missing package; only the hint gives the command
    assert "pip install" not in str(info.value) and "pip install" in info.value.hint


# ----------------------------------------------------------------------------- findings workbooks


def test_template_lists_the_facts_of_applicable_indicators() -> None:
    """One row per fact; an indicator the department's catalogs rule out is left out."""
    a = load(findings_template_xlsx_bytes(kinds(), "甲局"))
    b = load(findings_template_xlsx_bytes(kinds(), "b"))  # by id
    assert rows(a[FACTS_SHEET])[0] == FACTS_HEADER
    facts_a = [(r[0], r[2]) for r in rows(a[FACTS_SHEET])[1:]]
    facts_b = [(r[0], r[2]) for r in rows(b[FACTS_SHEET])[1:]]
    expected = [(i.id, f.id) for i in kinds().indicators for f in i.facts]
    assert facts_a == expected
    assert facts_b == [x for x in expected if x[0] != "listed"]
    head = {r[0]: r[2] for r in rows(b[HEADER_SHEET]) if r[0]}
    assert head["rulebook"] == "kinds" and head["department"] == "乙局"
    assert head["monitoring_date"] is None
    assert any("适用（listed）" in str(r[0]) for r in rows(b[HEADER_SHEET]))
    ask = {(r[0], r[2]): r[3] for r in rows(a[FACTS_SHEET])[1:]}
    assert ask[("checks", "fake")] == "弄虚作假？"


def test_template_validates_cells_by_fact_type() -> None:
    """Data validations: TRUE/FALSE list, whole ≥ min, decimal between, date, enum list."""
    wb = load(findings_template_xlsx_bytes(types_rulebook(), "甲局"))
    ws = wb[FACTS_SHEET]
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}

    def dv(fact: str) -> Any:
        return by_cell.get(f"F{fact_row(wb, 'all', fact)}")

    assert dv("seen").type == "list" and dv("seen").formula1 == '"TRUE,FALSE"'
    assert (dv("n").type, dv("n").operator, dv("n").formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )
    assert (dv("score").type, dv("score").formula1, dv("score").formula2) == ("decimal", "0", "3")
    assert dv("day").type == "date" and dv("at").type == "date"
    assert dv("answered").errorStyle == "warning"  # "null" must stay possible
    level = dv("level")
    assert level.type == "list"
    sheet, cells = level.formula1.split("!")
    options = [row[0].value for row in wb[sheet.strip("'")][cells.replace("$", "")]]
    assert options == ["低", "中,等", "高"]
    assert wb[sheet.strip("'")].sheet_state == "hidden"
    assert dv("text") is None and dv("panel") is None and dv("checks") is None
    hints = {r[2]: r[8] for r in rows(ws)[1:]}
    assert "[0.8, 0.9]" in hints["panel"]
    assert '"checked_on"' in hints["checks"] and "null" in hints["answered"]
    assert ws[f"F{fact_row(wb, 'all', 'day')}"].number_format == "yyyy-mm-dd"


def test_template_refuses_an_unknown_department() -> None:
    """An unknown department is an error, not an empty template."""
    with pytest.raises(WzevalError, match="丁局"):
        findings_template_xlsx_bytes(kinds(), "丁局")


@pytest.mark.parametrize("department", ["甲局", "乙局"])
def test_spreadsheet_findings_score_like_the_yaml(tmp_path: Path, department: str) -> None:
    """Template → filled with the YAML's values → read → checked → evaluated equals the YAML
    report (except the findings file and the facts' positions)."""
    data = kinds_data()
    data["department"] = department
    if department == "乙局":
        del data["indicators"]["listed"]
    path = fill_template(
        findings_template_xlsx_bytes(kinds(), department), data, tmp_path / "dept.xlsx"
    )
    doc = read_findings_xlsx(path)
    findings, issues = check_findings(doc, compiled(kinds()))
    assert findings is not None, [i.format() for i in issues]
    got = evaluate(kinds(), findings)
    assert comparable(got) == comparable(score(kinds(), data))
    answered = got.indicator("tiers").facts[1]
    assert answered.evidence == ["https://example.gov.cn/msg/1"]
    assert (
        answered.at
        == f"{path}:{FACTS_SHEET}!F{fact_row(openpyxl.load_workbook(path), 'tiers', 'answered')}"
    )


def test_the_public_api_reads_spreadsheet_findings(tmp_path: Path) -> None:
    """wzeval.read_findings / load_findings / score take a .xlsx path like a YAML one
    (the suffix chooses the reader, as for the CLI): same findings, issues at cells."""
    import wzeval

    path = fill_template(
        findings_template_xlsx_bytes(kinds(), "甲局"), kinds_data(), tmp_path / "dept.XLSX"
    )
    findings, issues = wzeval.read_findings(path, kinds())
    assert findings is not None, [i.format() for i in issues]
    expected, _ = check_findings(read_findings_xlsx(path), compiled(kinds()))
    assert findings == expected
    assert comparable(wzeval.evaluate(kinds(), wzeval.load_findings(str(path), kinds()))) == (
        comparable(wzeval.score(path, kinds()))
    )
    # a wrong cell is reported at its cell, not as "invalid UTF-8"
    wb = openpyxl.load_workbook(path)
    row = fact_row(wb, "checks", "a")
    wb[FACTS_SHEET].cell(row=row, column=6).value = "是"
    wb.save(path)
    findings, issues = wzeval.read_findings(path, kinds())
    assert findings is None
    assert [i.code for i in issues] == ["WZ405"]
    assert str(issues[0].position) == f"{path}:{FACTS_SHEET}!F{row}"


def test_merge_and_compare_read_spreadsheet_findings(tmp_path: Path) -> None:
    """merge_findings and compare.read_round choose the reader by suffix too: two
    workbook halves merge to the whole, and a round of one workbook scores like the YAML."""
    from wzeval.analysis._compare import read_round
    from wzeval.analysis._merge import merge_findings

    data = kinds_data()
    half_a = copy.deepcopy(data)
    del half_a["indicators"]["prop"]
    sheet = fill_template(
        findings_template_xlsx_bytes(kinds(), "甲局"), half_a, tmp_path / "a.xlsx"
    )
    half_b = copy.deepcopy(data)
    half_b["indicators"] = {"prop": data["indicators"]["prop"]}
    other = fill_template(
        findings_template_xlsx_bytes(kinds(), "甲局"), half_b, tmp_path / "b.xlsx"
    )
    merged = merge_findings([sheet, other], kinds())
    assert merged.data is not None, [i.format() for i in merged.issues]
    assert comparable(score(kinds(), merged.data)) == comparable(score(kinds(), data))
    full = fill_template(findings_template_xlsx_bytes(kinds(), "甲局"), data, tmp_path / "f.xlsx")
    rnd, issues = read_round([full], kinds())
    assert issues == []
    assert comparable(next(iter(rnd.reports.values()))) == comparable(score(kinds(), data))


def test_an_appeal_against_spreadsheet_findings(tmp_path: Path) -> None:
    """An appeal's ``findings:`` may name a workbook: read by suffix, scored like the YAML."""
    from wzeval.analysis._appeals import appeal_report, read_appeals

    root = ROOT
    weak = root / "examples" / "findings" / "zhujianju-weak.yaml"
    data = copy.deepcopy(load_document(weak).data)
    (tmp_path / "findings").mkdir()
    fill_template(
        findings_template_xlsx_bytes(bundled(), "市住建局"),
        data,
        tmp_path / "findings" / "weak.xlsx",
    )
    text = (root / "examples" / "appeals" / "zhujianju-appeal.yaml").read_text("utf-8")
    appeal = tmp_path / "appeal.yaml"
    appeal.write_text(
        text.replace("../findings/zhujianju-weak.yaml", "findings/weak.xlsx"), "utf-8"
    )
    read, issues = read_appeals([appeal], bundled())
    assert issues == [], [i.format() for i in issues]
    [outcome] = [appeal_report(r, bundled()) for r in read]
    assert comparable(outcome.preliminary) == comparable(score(bundled(), data))
    assert outcome.final.total > outcome.preliminary.total


def test_every_fact_type_round_trips(tmp_path: Path) -> None:
    """bool, int, decimal, date, nullable date, datetime, str, enum, list and records
    survive the spreadsheet exactly (decimals never pass through binary floats)."""
    rb = types_rulebook()
    path = fill_template(
        findings_template_xlsx_bytes(rb, "甲局"), TYPES_FINDINGS, tmp_path / "t.xlsx"
    )
    doc = read_findings_xlsx(path)
    facts = doc.data["indicators"]["all"]
    assert facts["score"]["value"] == Decimal("2.7")
    assert facts["panel"]["value"] == [Decimal("0.8"), Decimal("0.65")]
    assert facts["answered"]["value"] is None
    assert facts["at"]["value"] == datetime(2023, 10, 9, 9, 30)
    assert facts["day"]["value"] == date(2023, 10, 9)
    assert doc.data["assessors"] == ["张三", "李四"]
    findings, issues = check_findings(doc, compiled(rb))
    assert findings is not None, [i.format() for i in issues]
    got = evaluate(rb, findings)
    assert comparable(got) == comparable(score(rb, copy.deepcopy(TYPES_FINDINGS)))
    assert (
        got.total == Fraction(1, 2) * Fraction(27, 30) * 100 + Fraction(1, 2) * Fraction(2, 3) * 100
    )


def test_empty_value_cells_are_left_out(tmp_path: Path) -> None:
    """Blank value cells are omitted: a full check reports them missing, a partial one
    scores the rest and lists what was not assessed."""
    data = kinds_data()
    del data["indicators"]["prop"]
    path = fill_template(findings_template_xlsx_bytes(kinds(), "甲局"), data, tmp_path / "p.xlsx")
    doc = read_findings_xlsx(path)
    assert "prop" not in doc.data["indicators"]
    findings, issues = check_findings(doc, compiled(kinds()))
    assert findings is None
    assert {i.code for i in issues} == {"WZ404"}
    findings, issues = check_findings(doc, compiled(kinds()), partial=True)
    assert findings is not None
    report = evaluate(kinds(), findings, partial=True)
    assert not report.complete
    assert [n.indicator for n in report.not_assessed] == ["prop"]


def test_wrong_typed_cell_points_at_its_sheet_row_and_column(tmp_path: Path) -> None:
    """A wrong value is reported at its cell: sheet 事实, its row, column 6 (F), printed
    as file:事实!F<row>; a bad header value points into the 说明 sheet."""
    data = kinds_data()
    path = fill_template(findings_template_xlsx_bytes(kinds(), "甲局"), data, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    row_a = fact_row(wb, "checks", "a")
    row_f = fact_row(wb, "checklist", "f")
    wb[FACTS_SHEET].cell(row=row_a, column=6).value = "是"
    wb[FACTS_SHEET].cell(row=row_f, column=6).value = "[true, true"  # not JSON
    date_row = next(
        r[0].row for r in wb[HEADER_SHEET].iter_rows() if r[0].value == "monitoring_date"
    )
    wb[HEADER_SHEET].cell(row=date_row, column=3).value = "2023-13-45"
    wb.save(path)
    findings, issues = check_findings(read_findings_xlsx(path), compiled(kinds()))
    assert findings is None
    by_path = {i.path: i for i in issues}
    bad = by_path[("indicators", "checks", "a", "value")]
    assert bad.code == "WZ405" and "是" in bad.message
    pos = bad.position
    assert isinstance(pos, CellPosition)
    assert (pos.file, pos.sheet, pos.line, pos.col) == (str(path), FACTS_SHEET, row_a, 6)
    assert str(pos) == f"{path}:{FACTS_SHEET}!F{row_a}"
    assert f"{FACTS_SHEET}!F{row_a}: error WZ405" in bad.format()
    assert bad.to_dict()["line"] == row_a and bad.to_dict()["col"] == 6
    lst = by_path[("indicators", "checklist", "f", "value")]
    assert lst.position is not None
    assert (lst.position.line, lst.position.col) == (row_f, 6)
    when = by_path[("monitoring_date",)]
    assert isinstance(when.position, CellPosition)
    assert (when.position.sheet, when.position.line, when.position.col) == (
        HEADER_SHEET,
        date_row,
        3,
    )


def test_unknown_fact_points_at_its_id_cell(tmp_path: Path) -> None:
    """A renamed fact id is reported at the fact id cell (column C), with did-you-mean."""
    path = fill_template(
        findings_template_xlsx_bytes(kinds(), "甲局"), kinds_data(), tmp_path / "u.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    row = fact_row(wb, "checks", "fake")
    wb[FACTS_SHEET].cell(row=row, column=3).value = "faek"
    wb.save(path)
    _, issues = check_findings(read_findings_xlsx(path), compiled(kinds()))
    unknown = next(i for i in issues if i.code == "WZ403")
    assert unknown.position is not None
    assert (unknown.position.line, unknown.position.col) == (row, 3)
    assert "fake" in (unknown.hint or "")


def test_duplicate_rows_and_stray_values_are_reported(tmp_path: Path) -> None:
    """A fact given twice and a value outside the template's rows are issues with cells."""
    path = fill_template(
        findings_template_xlsx_bytes(kinds(), "甲局"), kinds_data(), tmp_path / "d.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[FACTS_SHEET]
    last = ws.max_row
    ws.cell(row=last + 1, column=1).value = "checks"
    ws.cell(row=last + 1, column=3).value = "a"
    ws.cell(row=last + 1, column=6).value = False
    ws.cell(row=last + 3, column=6).value = 5
    wb.save(path)
    doc = read_findings_xlsx(path)
    codes = {(i.code, i.position.line if i.position else 0) for i in doc.issues}
    assert ("WZ102", last + 1) in codes and ("WZ403", last + 3) in codes
    assert doc.data["indicators"]["checks"]["a"] == {"value": True}


def test_unreadable_or_foreign_workbooks_are_issues(tmp_path: Path) -> None:
    """Not a workbook → WZ110; a workbook without the template's sheets → WZ401; no raise."""
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    doc = read_findings_xlsx(junk)
    assert doc.data is None and [i.code for i in doc.issues] == ["WZ110"]
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    doc = read_findings_xlsx(other)
    assert doc.data is None and [i.code for i in doc.issues] == ["WZ401"]
    findings, issues = check_findings(doc, compiled(kinds()))
    assert findings is None and issues[0].code == "WZ401"


def test_template_write_is_atomic_and_deterministic(tmp_path: Path) -> None:
    """The template is the same bytes each time and is never written over a file without force."""
    path = tmp_path / "t.xlsx"
    write_findings_template_xlsx(kinds(), "甲局", path)
    assert path.read_bytes() == findings_template_xlsx_bytes(kinds(), "甲局")
    with pytest.raises(OutputExists):
        write_findings_template_xlsx(kinds(), "甲局", path)
    write_findings_template_xlsx(kinds(), "乙局", path, force=True)
    assert openpyxl.load_workbook(path)[HEADER_SHEET]["C5"].value == "乙局"


def test_cell_positions_compare_with_plain_positions() -> None:
    """Cell positions sort and compare with file:line:col positions (mixed issue lists)."""
    cell = CellPosition("a.xlsx", 3, 6, sheet=FACTS_SHEET)
    plain = Position("a.xlsx", 3, 6)
    assert sorted([cell, Position("a.yaml", 1, 1), plain]) == [
        plain,
        cell,
        Position("a.yaml", 1, 1),
    ]
    assert cell != plain and cell == CellPosition("a.xlsx", 3, 6, sheet=FACTS_SHEET)
    assert len({cell, CellPosition("a.xlsx", 3, 6, sheet=FACTS_SHEET)}) == 1
    assert CellPosition("a.xlsx", 12, 28, sheet="s").cell == "AB12"
    assert str(CellPosition("a.xlsx", sheet="s")) == "a.xlsx:s"


@pytest.mark.skipif(not BUNDLED.is_file(), reason="the bundled 2023 rulebook is not there yet")
def test_bundled_rulebook_templates_read_back(tmp_path: Path) -> None:
    """A 2023 template lists the facts of the indicators that can apply, and once dated it
    reads back as valid partial findings (every indicator unassessed)."""
    from wzeval.output._template import applies_to

    rb = bundled()
    crb = compiled(rb)
    for dept in rb.departments[:2]:
        catalogs = crb.catalogs_of.get(dept.id, ())
        expected = [
            (i.id, f.id)
            for i in rb.indicators
            if applies_to(crb.by_id[i.id], dept.name, catalogs) is not False
            for f in i.facts
        ]
        path = tmp_path / f"{dept.id}.xlsx"
        write_findings_template_xlsx(rb, dept.name, path)
        wb = openpyxl.load_workbook(path)
        assert [(r[0], r[2]) for r in rows(wb[FACTS_SHEET])[1:]] == expected
        for row in wb[HEADER_SHEET].iter_rows():
            if row[0].value == "monitoring_date":
                row[2].value = date(2023, 11, 15)
        wb.save(path)
        findings, issues = check_findings(read_findings_xlsx(path), crb, partial=True)
        assert findings is not None, [i.format() for i in issues]
        assert findings.department == dept.name and findings.facts == {}


@pytest.mark.skipif(
    not BUNDLED.is_file() or not EXAMPLES, reason="the 2023 rulebook or its examples are missing"
)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_2023_examples_round_trip_through_spreadsheets(tmp_path: Path, example: Path) -> None:
    """Each 2023 example, typed into its department's template, scores exactly as its YAML;
    its score sheet holds the displayed figures."""
    rb = bundled()
    data = load_document(example).data
    partial = not evaluate_or_none(rb, data)
    path = fill_template(
        findings_template_xlsx_bytes(rb, data["department"]), data, tmp_path / "e.xlsx"
    )
    findings, issues = check_findings(read_findings_xlsx(path), compiled(rb), partial=partial)
    assert findings is not None, [i.format() for i in issues]
    got = evaluate(rb, findings, partial=partial)
    want = score(rb, data, partial=partial)
    assert comparable(got) == comparable(want)
    sheet = load(xlsx_bytes([got]))[data["department"]]
    scores = [r[4] for r in rows(sheet)[3 : 3 + len(got.indicators)]]
    for value, result in zip(scores, got.indicators, strict=True):
        if result.applicable and result.assessed:
            assert value == float(Decimal(display(result.points)))


def evaluate_or_none(rb: Rulebook, data: dict[str, Any]) -> ScoreReport | None:
    """The full report, or None when the findings are partial on purpose."""
    try:
        return score(rb, copy.deepcopy(data))
    except WzevalError:
        return None


def test_score_workbook_labels_follow_the_language() -> None:
    """Sheet names, headers, totals and status words come from the message catalogue:
    Chinese by default, English with --lang en; the data (names, reasons) is untouched."""
    from wzeval.core._i18n import speaking

    partial = batch()[2]  # one item not assessed: the 未评估 block too
    with speaking("en"):
        wb = load(xlsx_bytes([partial]))
    name = partial.department
    assert wb.sheetnames == ["Ranking", name, f"{name} details"]
    assert rows(wb["Ranking"])[0] == (
        "Rank",
        "Department",
        "Base (rescaled)",
        "Bonus",
        "Penalty",
        "Total",
        "Remarks",
    )
    sheet = rows(wb[name])
    assert sheet[0][0] == f"{name} score sheet"
    assert "some indicators are not assessed: this is not a complete score sheet" in sheet[1][0]
    assert sheet[2] == (
        "Level-1 indicator",
        "Level-2 indicator",
        "Level-3 indicator",
        "Weight",
        "Points",
        "Reasons for lost points",
    )
    firsts = [r[0] for r in sheet]
    for label in ("Base (raw)", "Base (rescaled)", "Bonus", "Penalty", "Total", "Not assessed"):
        assert label in firsts, label
    detail = rows(wb[f"{name} details"])
    assert detail[0][0] == f"{name}: the details"
    assert detail[1] == (
        "Level-3 indicator",
        "Kind",
        "Item / fact",
        "Result / value",
        "Evidence",
        "Note / place",
    )
    kinds = {r[1] for r in detail[2:]}
    assert {"indicator", "item", "fact"} <= kinds and not {"指标", "细则", "事实"} & kinds

    wb = load(xlsx_bytes([partial]))  # and Chinese again outside the block
    assert wb.sheetnames == [RANKING_SHEET, name, f"{name}明细"]
    assert rows(wb[name])[0][0] == f"{name} 评分表"
    assert {"指标", "细则", "事实"} <= {r[1] for r in rows(wb[f"{name}明细"])[2:]}
