"""Filling over days: a template filled halfway scores with --partial, the rest 未评估.

The rule (:data:`wzeval.checking._findings.FILLING_RULE`): ``待填写``, ``null`` and an empty
value or cell mean "not recorded yet"; for a nullable fact a written ``null`` is
the answer "none".  The same in YAML and in workbooks, stated word for word in the
template, the 说明 sheet and docs/evaluators.md.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from support.filling import fill_some, fill_xlsx
from support.paths import ROOT

import wzeval
from wzeval.checking._findings import check_findings, filling_rule
from wzeval.cli import run
from wzeval.core._i18n import speaking
from wzeval.model._models import Rulebook
from wzeval.output._template import applies_to, findings_template
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled

DEPARTMENT = "市交通运输局"


def call(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return wzeval.load_rulebook(ROOT / "rulebooks" / "2023.yaml")


def halves(rb: Rulebook) -> tuple[set[str], set[str]]:
    """The indicators of the department's template that have facts (those whose
    applicability depends on a fact included), split: filled today, left for later."""
    crb = compiled(rb)
    catalogs = crb.catalogs_of.get(crb.department_ids[DEPARTMENT], ())
    ids = [
        i.id
        for i in rb.indicators
        if i.facts and applies_to(crb.by_id[i.id], DEPARTMENT, catalogs) is not False
    ]
    return set(ids[::2]), set(ids[1::2])


def test_half_filled_yaml_template_scores_partially(rulebook: Rulebook, tmp_path: Path) -> None:
    """Half the indicators filled, the others left as the template wrote them (null,
    待填写): --partial scores, and 未评估 is exactly the unfilled indicators."""
    filled, left = halves(rulebook)
    path = tmp_path / "day1.yaml"
    path.write_text(findings_template(rulebook, DEPARTMENT), encoding="utf-8")
    fill_some(path, rulebook, filled)
    text = path.read_text(encoding="utf-8")
    assert "待填写" in text  # nullable facts' blanks (the others' null dumps as empty)

    code, out, err = call("score", path, "--partial", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["complete"] is False
    assert {n["indicator"] for n in report["not_assessed"]} == left
    assessed = {i["id"] for i in report["indicators"] if i.get("assessed", True)}
    assert filled <= assessed

    # explain works on any fully recorded indicator of the partial file
    one = sorted(filled)[0]
    code, out, err = call("explain", path, one, "--partial")
    assert code == 0, err
    assert out.strip()

    # without --partial: one WZ404 "not filled in yet" per blank, on the blank's line
    code, out, err = call("validate", path)
    assert code == 1
    lines = text.splitlines()
    errors = [ln for ln in out.splitlines() if " error " in ln]
    assert errors and all("WZ404" in e and "尚未填写" in e for e in errors), errors
    for e in errors:
        where = e.split(": error")[0].rsplit(":", 2)
        fact = e.split("WZ404 ", 1)[1].split(" ", 1)[0].split(".")[-1]
        assert fact in lines[int(where[1]) - 1], e
    blanks = sum(len(i.facts) for i in rulebook.indicators if i.id in left)
    assert len(errors) >= blanks - sum(
        1 for i in rulebook.indicators if i.id in left for f in i.facts if f.type == "str"
    )


def test_half_filled_xlsx_template_scores_partially(rulebook: Rulebook, tmp_path: Path) -> None:
    """The same with the workbook: blank value cells are not recorded yet; the error of a
    blank cell is on the fact's own row (column F), not the row above."""
    pytest.importorskip("openpyxl")
    import openpyxl

    from wzeval.output._xlsx import FACTS_SHEET, HEADER_SHEET, write_findings_template_xlsx

    filled, left = halves(rulebook)
    path = tmp_path / "day1.xlsx"
    write_findings_template_xlsx(rulebook, DEPARTMENT, path)
    fill_xlsx(path, rulebook, filled)

    code, out, err = call("score", path, "--partial", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert {n["indicator"] for n in report["not_assessed"]} == left

    code, out, err = call("validate", path)
    assert code == 1
    wb = openpyxl.load_workbook(path)
    ws = wb[FACTS_SHEET]
    errors = [ln for ln in out.splitlines() if " error " in ln]
    assert len(errors) == sum(len(i.facts) for i in rulebook.indicators if i.id in left)
    for e in errors:
        assert "WZ404" in e and "尚未填写" in e, e
        cell = e.split(f"{FACTS_SHEET}!", 1)[1].split(":", 1)[0]
        assert cell.startswith("F"), e
        row = int(cell[1:])
        ind, fact = e.split("WZ404 ", 1)[1].split(" ", 1)[0].split(".")
        assert (ws.cell(row=row, column=1).value, ws.cell(row=row, column=3).value) == (ind, fact)

    # the header's monitoring date left blank: on its own row of the 说明 sheet
    head = wb[HEADER_SHEET]
    row = next(r[0].row for r in head.iter_rows() if r[0].value == "monitoring_date")
    head.cell(row=row, column=3).value = None
    wb.save(path)
    code, out, _ = call("validate", path, "--partial")
    assert code == 1
    assert f"{HEADER_SHEET}!A{row}: error WZ404 监测时间点（monitoring_date）尚未填写" in out, out


def test_nullable_fact_null_is_an_answer_blank_is_not(rulebook: Rulebook) -> None:
    """answered_on: null is "never answered"; answered_on: (empty) or 待填写 is not
    recorded yet — in YAML as in a workbook's empty cell."""
    text = (ROOT / "examples" / "findings" / "jiaotong-deductions.yaml").read_text("utf-8")
    start = text.index("    answered_on:\n")
    end = text.index("    answer_accurate:", start)
    crb = compiled(rulebook)
    for written, recorded in (
        ("    answered_on:\n      value: null\n", True),
        ("    answered_on: null\n", True),
        ("    answered_on: ~\n", True),
        ("    answered_on:\n      value:\n", False),
        ("    answered_on: 待填写\n", False),
        ("    answered_on:\n      value: 待填写\n", False),
    ):
        doc = load_document(text=text[:start] + written + text[end:], name="f.yaml")
        findings, issues = check_findings(doc, crb, partial=True)
        assert findings is not None, [i.format() for i in issues]
        facts = findings.facts["zaixian_zixun"]
        assert ("answered_on" in facts) is recorded, written
        if recorded:
            assert facts["answered_on"].value is None


def test_one_rule_stated_the_same_everywhere(rulebook: Rulebook) -> None:
    """The template's header, the workbook's 说明 sheet and docs/evaluators.md state the
    rule word for word; no nullable fact's question says 留空 (leave empty) for "none"."""
    template = findings_template(rulebook, DEPARTMENT)
    for line in filling_rule():
        assert f"# {line}\n" in template
    docs = (ROOT / "docs" / "evaluators.md").read_text(encoding="utf-8")
    assert "> " + "".join(filling_rule()) in docs
    with speaking("en"):
        assert "> " + " ".join(filling_rule()) in docs
        english = findings_template(rulebook, DEPARTMENT)
        for line in filling_rule():
            assert f"# {line}\n" in english
    for ind in rulebook.indicators:
        for fact in ind.facts:
            if fact.nullable:
                assert "留空" not in fact.ask and "null" in fact.ask, fact.ask
    pytest.importorskip("openpyxl")
    import openpyxl

    from wzeval.output._xlsx import HEADER_SHEET, findings_template_xlsx_bytes

    wb = openpyxl.load_workbook(io.BytesIO(findings_template_xlsx_bytes(rulebook, DEPARTMENT)))
    cells = [str(c.value) for row in wb[HEADER_SHEET].iter_rows() for c in row if c.value]
    for line in filling_rule():
        assert any(c.strip().endswith(line) for c in cells), line
    with speaking("en"):
        wb = openpyxl.load_workbook(io.BytesIO(findings_template_xlsx_bytes(rulebook, DEPARTMENT)))
        cells = [str(c.value) for row in wb["About"].iter_rows() for c in row if c.value]
        for line in filling_rule():
            assert any(c.strip().endswith(line) for c in cells), line


def test_two_halves_merge_without_conflicts(rulebook: Rulebook, tmp_path: Path) -> None:
    """Two evaluators each fill half of the same template and keep the other half blank:
    a blank is no value, so nothing conflicts, and the merge is complete.  A nullable
    fact nobody recorded stays 待填写 in the merged file (a written null would be "none")."""
    from wzeval.analysis._merge import merge_findings

    filled, left = halves(rulebook)
    left.discard("zaixian_zixun")  # nobody records 在线咨询
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path, part in ((a, filled - {"zaixian_zixun"}), (b, left)):
        path.write_text(findings_template(rulebook, DEPARTMENT), encoding="utf-8")
        fill_some(path, rulebook, part)
    result = merge_findings([a, b], rulebook)
    assert result.ok, [i.format() for i in result.issues]
    assert not [i for i in result.issues if i.code == "WZ422"]
    assert result.text is not None and result.data is not None
    assert result.data["indicators"]["zaixian_zixun"]["answered_on"] == "待填写"
    merged = tmp_path / "merged.yaml"
    merged.write_text(result.text, encoding="utf-8")
    code, out, err = call("score", merged, "--partial", "--format", "json")
    assert code == 0, err
    assert {n["indicator"] for n in json.loads(out)["not_assessed"]} == {"zaixian_zixun"}


def test_explain_without_partial_on_a_half_filled_file(rulebook: Rulebook, tmp_path: Path) -> None:
    """``explain`` needs only the indicator itself recorded: the other indicators' blanks
    do not stop it (a note names them); an indicator not fully recorded is one Chinese
    error naming each fact it lacks with its question, plus a WZ404 on each blank's line."""
    filled, left = halves(rulebook)
    path = tmp_path / "day1.yaml"
    path.write_text(findings_template(rulebook, DEPARTMENT), encoding="utf-8")
    fill_some(path, rulebook, filled)
    lines = path.read_text(encoding="utf-8").splitlines()

    done = rulebook.indicator(sorted(filled)[0])
    code, out, err = call("explain", path, done.id)
    assert code == 0, err
    assert out.startswith(f"{done.name}（{done.id}）")
    assert f"注：本文件另有 {len(left)} 个指标尚未记录完整（未评估：" in out
    assert " error " not in err

    todo = rulebook.indicator(sorted(left)[0])
    code, out, err = call("explain", path, todo.name)  # by its Chinese name too
    assert code == 1 and out == ""
    first, *rest = err.splitlines()
    assert f"error WZ404 {todo.name}（{todo.id}）尚未记录完整，无从解释；还缺：" in first
    for fact in todo.facts:
        assert f"{fact.id}（{fact.ask}）" in first
    # the blanks are the template's: each on its own line, and only this indicator's
    assert len(rest) == len(todo.facts)
    for e in rest:
        assert f"WZ404 {todo.id}." in e and "尚未填写" in e, e
        line = int(e.split(": error")[0].rsplit(":", 2)[1])
        fact_id = e.split("WZ404 ", 1)[1].split(" ", 1)[0].split(".")[1]
        assert lines[line - 1].strip().startswith(fact_id), e

    # --partial shows it as not assessed instead
    code, out, err = call("explain", path, todo.id, "--partial")
    assert code == 0, err
    assert "未记录的事实：" in out and "（未评估）" in out


def test_explain_document_in_the_library(rulebook: Rulebook) -> None:
    """The library's path: :func:`wzeval.scoring._explain.explain_document` on the shipped partial
    example.  An indicator recorded in full explains from a partial report; one whose
    spot check was not made yet (协调联动, facts all recorded) is WZ410 with its reason;
    one absent from the file names its facts, at the indicator's place."""
    from wzeval.reading._documents import read_document
    from wzeval.scoring._explain import explain_document

    doc = read_document(ROOT / "examples" / "findings" / "weijianwei-partial.yaml")
    report, issues = explain_document(doc, rulebook, "jigou_zhineng")
    assert report is not None and not report.complete
    assert report.indicator("jigou_zhineng").assessed
    assert [i for i in issues if i.severity.value == "error"] == []

    report, issues = explain_document(doc, rulebook, "xmt_xietiao_liandong")
    assert report is None
    assert [i.code for i in issues] == ["WZ410"]
    assert "协调联动（xmt_xietiao_liandong）尚不能评估" in issues[0].message
    assert "未做任何抽查" in issues[0].message

    report, issues = explain_document(doc, rulebook, "zhineng_wenda")
    assert report is None and [i.code for i in issues] == ["WZ404"]
    asks = {f.id: f.ask for f in rulebook.indicator("zhineng_wenda").facts}
    assert issues[0].message == (
        "智能问答（zhineng_wenda）尚未记录完整，无从解释；还缺："
        + "；".join(f"{k}（{v}）" for k, v in asks.items())
    )

    report, issues = explain_document(doc, rulebook, "zhineng_wenda", partial=True)
    assert report is not None and not report.indicator("zhineng_wenda").assessed


def _with_holes() -> str:
    """The shipped 市发改委 findings with blanks inside lists and records, each on a line
    of its own (the line numbers of the test below are counted from here)."""
    text = (ROOT / "examples" / "findings" / "fagaiwei-bonus-penalty.yaml").read_text("utf-8")
    title = "市政府常务会议研究部署防汛救灾工作"
    first = f"      - {{checked_on: 2023-07-10, title: {title}, reposted: true}}\n"
    second = "      - {checked_on: 2023-07-25, title: 全市优化营商环境大会召开, reposted: true}\n"
    assert first in text and second in text
    text = text.replace(first, f"      - {{checked_on: null, title: {title}, reposted: true}}\n")
    text = text.replace(
        second, "      - checked_on: 2023-07-25\n        title:\n        reposted: 待填写\n"
    )
    text = text.replace("panel_integration: [0.8, 0.7, 0.9]", "panel_integration: [0.8, null, 0.9]")
    text = text.replace(
        "panel_innovation: [0.9, 0.9, 0.6]",
        "panel_innovation:\n      - 0.9\n      -\n      - 待填写",
    )
    return text


def test_blanks_inside_lists_and_records_are_not_recorded_yet(
    rulebook: Rulebook, tmp_path: Path
) -> None:
    """null, 待填写 or nothing as an element of a list or a field of a record is "not
    recorded yet" like a blank value: --partial leaves exactly those indicators 未评估;
    without it, one WZ404 (尚未填写) per blank, at the element's own line:col."""
    path = tmp_path / "holes.yaml"
    text = _with_holes()
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    repost = next(n for n, ln in enumerate(lines, 1) if "{checked_on: null," in ln)
    panel = lines.index("    panel_integration: [0.8, null, 0.9]") + 1

    code, out, err = call("score", path, "--partial", "--format", "json")
    assert code == 0, err
    not_assessed = {n["indicator"]: n["missing"] for n in json.loads(out)["not_assessed"]}
    assert not_assessed == {
        "dongtai_yaowen": ["repost_checks"],
        "chuangxin_anli": ["panel_integration", "panel_innovation"],
    }

    code, out, err = call("validate", path)
    assert code == 1
    found = [
        (e.split(": error ")[0].split(":", 1)[1], e.split("WZ404 ", 1)[1].split(" ", 1)[0])
        for e in out.splitlines()
        if " error " in e
    ]
    assert found == [
        (f"{repost}:22", "dongtai_yaowen.repost_checks[0].checked_on"),
        (f"{repost + 2}:9", "dongtai_yaowen.repost_checks[1].title"),  # empty: at its key
        (f"{repost + 3}:19", "dongtai_yaowen.repost_checks[1].reposted"),
        (f"{panel}:30", "chuangxin_anli.panel_integration[1]"),
        (f"{panel + 3}:8", "chuangxin_anli.panel_innovation[1]"),  # "-" and nothing after
        (f"{panel + 4}:9", "chuangxin_anli.panel_innovation[2]"),
    ], out
    assert all("尚未填写" in e for e in out.splitlines() if " error " in e)


def test_blanks_inside_a_workbook_list(rulebook: Rulebook, tmp_path: Path) -> None:
    """The workbook writes a list as JSON in its value cell: a null or "待填写" in it is
    not recorded yet too, reported at that cell."""
    pytest.importorskip("openpyxl")
    import openpyxl

    from wzeval.output._xlsx import FACTS_SHEET, write_findings_template_xlsx

    filled, _left = halves(rulebook)
    filled.add("chuangxin_anli")
    path = tmp_path / "day1.xlsx"
    write_findings_template_xlsx(rulebook, DEPARTMENT, path)
    fill_xlsx(path, rulebook, filled)
    wb = openpyxl.load_workbook(path)
    ws = wb[FACTS_SHEET]
    rows = {(r[0].value, r[2].value): r[5] for r in ws.iter_rows(min_row=2)}
    rows[("chuangxin_anli", "panel_integration")].value = "[0.8, null]"
    rows[("chuangxin_anli", "panel_innovation")].value = '[0.9, "待填写"]'
    wb.save(path)

    code, out, err = call("score", path, "--partial", "--format", "json")
    assert code == 0, err
    missing = {n["indicator"]: n["missing"] for n in json.loads(out)["not_assessed"]}
    assert missing["chuangxin_anli"] == ["panel_integration", "panel_innovation"]

    code, out, err = call("validate", path)
    errors = [e for e in out.splitlines() if "chuangxin_anli.panel_in" in e]
    cells = {k: f"F{v.row}" for k, v in rows.items()}
    assert [e.split(": error")[0].split("!")[1] for e in errors] == [
        cells[("chuangxin_anli", "panel_integration")],
        cells[("chuangxin_anli", "panel_innovation")],
    ], out
    assert "chuangxin_anli.panel_integration[1] 尚未填写" in errors[0]
    assert "chuangxin_anli.panel_innovation[1] 尚未填写" in errors[1]
