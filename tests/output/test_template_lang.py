"""Findings templates in either language (``--lang en``), and filled ones read back the same.

The template's texts are catalogue messages; its keys (ids), ``null``, ``待填写`` and the
workbook's header keys are the same in every language, and the workbook's sheet and
column names are read in any language of :data:`wzeval.reading._xlsxread.WORKBOOK_NAMES`.
So a template made in English and filled scores exactly as the Chinese one does —
including partially, where a blank is "not recorded yet" in both.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from wzeval.cli import run
from wzeval.core._i18n import speaking
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport
from wzeval.output._template import findings_template
from wzeval.reading._loader import load_document
from wzeval.scoring._api import evaluate, read_findings, rulebook_from_document

#: Two indicators worked by hand below: 网站 (60) = ok (50%) + score out of 4 (50%);
#: 答复 (40) = form's level (up to 50%) + whether it was answered at all (50%).
RULEBOOK = """\
wzeval: rulebook/1
id: lang
title: 模板语言
year: 2023
departments:
  - {id: a, name: 甲局}
categories:
  - id: base
    name: 基础
    weight: 100
    indicators:
      - id: site
        name: 网站
        weight: 60
        weight_source: stated
        facts:
          - {id: ok, type: bool, ask: 是否正常？}
          - {id: score, type: decimal, min: 0, max: 4, ask: 评分}
        items:
          - {id: up, share: 50%, check: ok}
          - {id: marks, share: 50%, given: {value: score, out_of: 4}}
      - id: reply
        name: 答复
        weight: 40
        weight_source: stated
        facts:
          - {id: form, type: enum, ask: 形式, options: [low, mid, high]}
          - {id: answered, type: date, ask: 答复日期（未答复填 null）, nullable: true}
        items:
          - id: form
            share: 50%
            levels:
              fact: form
              credits: {low: 0%, mid: 25%, high: 50%}
          - {id: replied, share: 50%, check: "answered is not None"}
"""
#: The rulebook's own texts: Chinese in every language (rulebook content, not messages).
CONTENT = (
    "模板语言",
    "甲局",
    "基础",
    "网站",
    "答复",
    "是否正常？",
    "评分",
    "形式",
    "答复日期（未答复填 null）",
)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: What the evaluator observed; ``answered: null`` is the answer "never answered".
VALUES: dict[str, dict[str, Any]] = {
    "site": {"ok": True, "score": 3},
    "reply": {"form": "mid", "answered": None},
}
#: By hand: 网站 60 × (50% + 50% × 3/4) = 30 + 22.5 = 52.5; 答复 40 × (25% + 0) = 10
#: (form mid credits 25% of the weight; never answered: the check fails); 62.5 in all.
SITE, REPLY, TOTAL = 52.5, 10, 62.5


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    rb, issues = rulebook_from_document(load_document(text=RULEBOOK, name="lang.yaml"))
    assert rb is not None, [i.format() for i in issues]
    return rb


def _without_content(text: str) -> str:
    for piece in sorted(CONTENT, key=len, reverse=True):
        text = text.replace(piece, "")
    return text.replace("待填写", "")


def _score(path: Path, rulebook: Rulebook, *, partial: bool = False) -> ScoreReport:
    findings, issues = read_findings(path, rulebook, partial=partial)
    assert findings is not None, [i.format() for i in issues]
    return evaluate(rulebook, findings, partial=partial)


def _comparable(report: ScoreReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report.to_json())
    data.pop("findings_file")
    for ind in data["indicators"]:
        for fact in ind["facts"]:
            fact.pop("at")
    return data


def _points(report: ScoreReport) -> dict[str, float | None]:
    return {
        r.id: None if r.points is None else float(r.points) for r in report.indicators if r.assessed
    }


# ----------------------------------------------------------------------------- YAML


def _yaml_template(rulebook: Rulebook, lang: str, path: Path) -> Path:
    with speaking(lang):
        path.write_text(findings_template(rulebook, "甲局", schema_ref=None), encoding="utf-8")
    return path


def _fill_yaml(path: Path, indicators: set[str]) -> None:
    """Fill the header and the facts of ``indicators`` from :data:`VALUES` by editing the
    lines, as an evaluator does in an editor (a null written out), leaving the rest as
    the template wrote it (null, 待填写)."""
    shown = {True: "true", None: "null"}
    out, current = [], None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("monitoring_date:"):
            line = "monitoring_date: 2023-11-15"
        elif line.startswith("assessors:"):
            line = "assessors: [测试员]"
        elif m := re.match(r"^  (\w+):", line):
            current = m.group(1)
        elif (m := re.match(r"^    (\w+): ", line)) and current in indicators:
            value = VALUES[str(current)][m.group(1)]
            line = f"    {m.group(1)}: {shown.get(value, value)}"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_yaml_template_in_english_and_in_chinese(rulebook: Rulebook, tmp_path: Path) -> None:
    """--lang en writes every text of the template in English (only the rulebook's own
    texts and the placeholder stay Chinese); the default is the Chinese one."""
    en = _yaml_template(rulebook, "en", tmp_path / "en.yaml").read_text("utf-8")
    zh = _yaml_template(rulebook, "zh", tmp_path / "zh.yaml").read_text("utf-8")
    assert en.startswith("# Findings template: 模板语言 (lang), department: 甲局\n")
    assert "    form: null  # fill in: options (lowest first): low / mid / high\n" in en
    assert "    answered: 待填写  # fill in: a date YYYY-MM-DD; null if there is none\n" in en
    assert "  site:  # 网站 (weight 60)\n" in en
    assert "  # ==== Category: 基础 (weight 100) ====\n" in en
    assert "monitoring_date:  # fill in: YYYY-MM-DD, the monitoring date\n" in en
    assert not CJK.findall(_without_content(en)), CJK.findall(_without_content(en))
    assert zh.startswith("# 评估记录模板：模板语言（lang），部门：甲局\n")
    assert "    form: null  # 填写：选项（从低到高）：low / mid / high\n" in zh
    assert "    answered: 待填写  # 填写：日期 YYYY-MM-DD；没有时填 null\n" in zh
    assert "  site:  # 网站（权重 60）\n" in zh

    # the same document apart from the comments: keys and blanks do not change
    def data(text: str) -> Any:
        return load_document(text=text, name="t.yaml").data

    assert data(en) == data(zh)


def test_cli_template_lang_en(rulebook: Rulebook, tmp_path: Path) -> None:
    rb = tmp_path / "lang.yaml"
    rb.write_text(RULEBOOK, encoding="utf-8")
    for argv, first in (
        (["template", "--lang", "en"], "# Findings template: 模板语言 (lang), department: 甲局"),
        (["template"], "# 评估记录模板：模板语言（lang），部门：甲局"),
    ):
        out, err = io.StringIO(), io.StringIO()
        code = run([*argv, "--rulebook", str(rb), "--department", "甲局"], out, err)
        assert code == 0, err.getvalue()
        assert out.getvalue().splitlines()[1] == first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_yaml_template_scores_the_hand_worked_figures(
    rulebook: Rulebook, tmp_path: Path, lang: str
) -> None:
    path = _yaml_template(rulebook, lang, tmp_path / f"{lang}.yaml")
    _fill_yaml(path, {"site", "reply"})
    report = _score(path, rulebook)
    assert _points(report) == {"site": SITE, "reply": REPLY}
    assert float(report.total) == TOTAL


def test_yaml_templates_score_the_same_in_both_languages(
    rulebook: Rulebook, tmp_path: Path
) -> None:
    """Filled alike, the English and the Chinese template give the same report, fully
    and partially (the unfilled half not assessed in both)."""
    for indicators in ({"site", "reply"}, {"site"}):
        partial = indicators != {"site", "reply"}
        reports = []
        for lang in ("zh", "en"):
            path = _yaml_template(rulebook, lang, tmp_path / f"{lang}.yaml")
            _fill_yaml(path, indicators)
            reports.append(_score(path, rulebook, partial=partial))
        zh, en = reports
        assert _comparable(zh) == _comparable(en)
        if partial:
            assert [n.indicator for n in en.not_assessed] == ["reply"]
            assert _points(en) == {"site": SITE}


def test_half_filled_yaml_fails_a_full_check_alike(rulebook: Rulebook, tmp_path: Path) -> None:
    """Without --partial, the blanks left are each "not filled in yet" (WZ404), in
    whichever language the template was written."""
    codes = {}
    for lang in ("zh", "en"):
        path = _yaml_template(rulebook, lang, tmp_path / f"{lang}.yaml")
        _fill_yaml(path, {"site"})
        findings, issues = read_findings(path, rulebook)
        assert findings is None
        codes[lang] = sorted((i.code, i.path) for i in issues if i.severity.value == "error")
    assert codes["zh"] == codes["en"]
    assert [c for c, _p in codes["en"]] == ["WZ404", "WZ404"]


# ----------------------------------------------------------------------------- XLSX


def _xlsx_template(rulebook: Rulebook, lang: str, path: Path) -> Path:
    pytest.importorskip("openpyxl")
    from wzeval.output._xlsx import write_findings_template_xlsx

    with speaking(lang):
        write_findings_template_xlsx(rulebook, "甲局", path)
    return path


def _fill_xlsx(path: Path, indicators: set[str]) -> None:
    """Fill a workbook as an evaluator would, by position (column C of the header sheet,
    column F of the facts sheet), whatever the language of its names."""
    import datetime

    import openpyxl

    wb = openpyxl.load_workbook(path)
    head, facts = wb.worksheets[0], wb[wb.sheetnames[-1]]
    for row in head.iter_rows():
        if row[0].value == "monitoring_date":
            row[2].value = datetime.date(2023, 11, 15)
        elif row[0].value == "assessors":
            row[2].value = "测试员"
    for row in facts.iter_rows(min_row=2):
        ind, fact = row[0].value, row[2].value
        if ind in indicators:
            value = VALUES[ind][fact]
            row[5].value = "null" if value is None else value
    wb.save(path)


def test_xlsx_template_in_english_and_in_chinese(rulebook: Rulebook, tmp_path: Path) -> None:
    """Sheets, header row, guide and validations in the language asked for."""
    import openpyxl

    from wzeval.reading._xlsxread import WORKBOOK_NAMES

    en = openpyxl.load_workbook(_xlsx_template(rulebook, "en", tmp_path / "en.xlsx"))
    zh = openpyxl.load_workbook(_xlsx_template(rulebook, "zh", tmp_path / "zh.xlsx"))
    assert en.sheetnames == ["About", "Options", "Facts"]
    assert zh.sheetnames == ["说明", "选项", "事实"]
    header = ("Indicator ID", "Indicator", "Fact ID", "Question", "Type", "Value")
    assert tuple(c.value for c in en["Facts"][1])[:6] == header
    assert tuple(c.value for c in zh["事实"][1])[:6] == (
        "指标ID",
        "指标名称",
        "事实ID",
        "问题",
        "类型",
        "值",
    )
    assert WORKBOOK_NAMES["en"]["facts"] == "Facts" and WORKBOOK_NAMES["zh"]["facts"] == "事实"
    assert en["About"]["A1"].value == "Findings: 模板语言 (lang)"
    assert zh["说明"]["A1"].value == "评估记录：模板语言（lang）"
    texts = [str(c.value) for ws in en.worksheets for row in ws.iter_rows() for c in row if c.value]
    for ws in en.worksheets:
        for dv in ws.data_validations.dataValidation:
            texts += [dv.error or "", dv.errorTitle or ""]
    leftover = [t for t in texts if CJK.search(_without_content(t))]
    assert not leftover, leftover
    score_dv = next(
        dv
        for dv in en["Facts"].data_validations.dataValidation
        if dv.formula1 == "0" and dv.formula2 == "4"
    )
    assert score_dv.error == "enter a number from 0 to 4"
    assert score_dv.errorTitle == "value not allowed"
    zh_dv = next(
        dv
        for dv in zh["事实"].data_validations.dataValidation
        if dv.formula1 == "0" and dv.formula2 == "4"
    )
    assert zh_dv.error == "请填写 0 到 4 之间的数"


@pytest.mark.parametrize("made_in", ["zh", "en"])
@pytest.mark.parametrize("read_in", ["zh", "en"])
def test_filled_xlsx_template_scores_the_hand_worked_figures(
    rulebook: Rulebook, tmp_path: Path, made_in: str, read_in: str
) -> None:
    """A workbook made in either language reads back in either (the names are
    recognised whatever the run's language) and scores the hand-worked figures."""
    path = _xlsx_template(rulebook, made_in, tmp_path / f"{made_in}.xlsx")
    _fill_xlsx(path, {"site", "reply"})
    with speaking(read_in):
        report = _score(path, rulebook)
    assert _points(report) == {"site": SITE, "reply": REPLY}
    assert float(report.total) == TOTAL


def test_xlsx_templates_score_the_same_in_both_languages(
    rulebook: Rulebook, tmp_path: Path
) -> None:
    """Filled alike, the English and the Chinese workbook give the same report as the
    YAML template, fully and half filled (blank cells not recorded yet)."""
    for indicators in ({"site", "reply"}, {"site"}):
        partial = indicators != {"site", "reply"}
        reports = []
        for lang in ("zh", "en"):
            path = _xlsx_template(rulebook, lang, tmp_path / f"{lang}-{len(indicators)}.xlsx")
            _fill_xlsx(path, indicators)
            reports.append(_score(path, rulebook, partial=partial))
        yaml_path = _yaml_template(rulebook, "zh", tmp_path / "zh.yaml")
        _fill_yaml(yaml_path, indicators)
        from_yaml = _score(yaml_path, rulebook, partial=partial)
        zh, en = reports
        assert _comparable(zh) == _comparable(en)
        assert _points(en) == _points(from_yaml)
        assert [n.indicator for n in en.not_assessed] == [
            n.indicator for n in from_yaml.not_assessed
        ]
        if partial:
            assert [n.indicator for n in en.not_assessed] == ["reply"]


def test_english_workbook_positions_name_its_own_sheets(rulebook: Rulebook, tmp_path: Path) -> None:
    """An issue in an English workbook points at its cell under the English sheet name,
    on the blank fact's own row."""
    import openpyxl

    path = _xlsx_template(rulebook, "en", tmp_path / "en.xlsx")
    _fill_xlsx(path, {"site"})
    rows = {
        (r[0].value, r[2].value): r[0].row
        for r in openpyxl.load_workbook(path)["Facts"].iter_rows(min_row=2)
    }
    findings, issues = read_findings(path, rulebook)
    assert findings is None
    shown = sorted(str(i.position) for i in issues if i.code == "WZ404")
    assert shown == sorted(
        f"{path}:Facts!F{rows[('reply', fact)]}" for fact in ("form", "answered")
    )


def test_a_workbook_without_the_sheets_says_so_in_the_run_language(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    from wzeval.reading._xlsxread import read_findings_xlsx

    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet"
    wb.save(path)
    (zh,) = read_findings_xlsx(path).issues
    assert zh.code == "WZ401" and "说明、事实" in zh.message
    with speaking("en"):
        (en,) = read_findings_xlsx(path).issues
    assert en.code == "WZ401" and "About, Facts" in en.message
