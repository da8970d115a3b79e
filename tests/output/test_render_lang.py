"""The text, Markdown and CSV score sheets, the rankings and ``explain`` speak the user's
language: Chinese by default (the exact lines evaluators know), English with
``--lang en`` / ``speaking("en")`` — every label, heading, column and fixed phrase,
while the rulebook's and the findings' own words stay as written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.cli import run
from wzeval.core._i18n import speaking
from wzeval.model._report import ScoreReport
from wzeval.output._explaintext import render_explain

RULEBOOK = ROOT / "rulebooks" / "2023.yaml"
FINDINGS = ROOT / "examples" / "findings"
PARTIAL = FINDINGS / "weijianwei-partial.yaml"
DEDUCTIONS = FINDINGS / "jiaotong-deductions.yaml"

#: Labels of the sheets that no rulebook or findings wording uses: none may be left in
#: English output.
CHINESE_LABELS = (
    "评分表",
    "监测时间点",
    "评估人：",
    "评估记录：",
    "得分细则",
    "适用权重",
    "基础分（原始）",
    "折算为百分制",
    "本表不是完整评分",
    "合计\n",
    "部分未评估",
    "名次",
    "记录文件",
)
EXPLAIN_LABELS = ("部门：", "权重：", "适用性", "扣分（指标层）", "次 ×", "结果：", "原表列明")


def _score(path: Path) -> ScoreReport:
    return wzeval.score(path, wzeval.load_rulebook(RULEBOOK), partial=True)


def _cli(*args: str | Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run([str(a) for a in args], out, err) == 0, err.getvalue()
    return out.getvalue()


def test_chinese_is_the_default_and_unchanged() -> None:
    """A few exact lines of the Chinese sheets, as they have always been printed."""
    report = _score(PARTIAL)
    text = wzeval.render_report(report, "text")
    assert text.startswith("市卫健委 评分表\n===============\n规则：2023年政府网站")
    for line in (
        "监测时间点：2023-11-15",
        "评估人：郑凯、何静",
        "总分：85.69（基础分 85.69 + 加分 0.00 + 扣分 0.00）",
        "注意：部分指标未评估，见“未评估”；本表不是完整评分。",
        "一级指标",
        "得分细则",
        "合计",
    ):
        assert line in text.splitlines(), line
    csv = wzeval.render_report(report, "csv").splitlines()
    assert csv[0] == "一级指标,二级指标,三级指标,权重,得分,状态,扣分原因"
    assert csv[-1] == (
        "总分,,,,85.69,部分未评估,基础分 85.69（原始 80.55/94.00） + 加分 0.00 + 扣分 0.00"
    )
    md = wzeval.render_report(report, "markdown")
    assert md.startswith("# 市卫健委 评分表\n")
    assert "\n## 得分细则\n" in md
    reports = [_score(f) for f in sorted(FINDINGS.glob("*.yaml"))]
    ranking = wzeval.render_ranking(reports, "csv").splitlines()
    assert ranking[0] == "名次,部门,基础分,加分,扣分,总分,备注,记录文件"
    assert wzeval.render_ranking(reports, "text").startswith(
        "排名：2023年政府网站及政务新媒体绩效评估指标（咸宁市）（xianning-2023），6 个部门\n"
    )
    explain = render_explain(_score(DEDUCTIONS), "meiti_baoguang").splitlines()
    assert explain[1] == "部门：市交通运输局  监测时间点：2023-11-22"
    assert explain[2].startswith("权重：-4.00（原表列明）  规则位置：")
    assert "适用性：适用" in explain
    assert "扣分（指标层）：" in explain
    assert explain[7].startswith("  中央媒体曝光：0 次 × 50%（无上限）= 0%，扣 0.00 分（")
    assert "结果：0.00 / -4.00 分" in explain


def test_english_sheets_have_english_labels() -> None:
    """Text, Markdown and CSV of one department and of the ranking, in English."""
    with speaking("en"):
        report = _score(PARTIAL)
        reports = [_score(f) for f in sorted(FINDINGS.glob("*.yaml"))]
        text = wzeval.render_report(report, "text")
        md = wzeval.render_report(report, "markdown")
        csv = wzeval.render_report(report, "csv")
        rankings = [wzeval.render_ranking(reports, fmt) for fmt in ("text", "markdown", "csv")]
    assert text.startswith("市卫健委 score sheet\n")
    lines = text.splitlines()
    for line in (
        "Monitoring date: 2023-11-15",
        "Assessors: 郑凯, 何静",
        "Total: 85.69 (base 85.69 + bonus 0.00 + penalty 0.00)",
        "Level-1 indicators",
        "Scoring items",
        "Not assessed",
        "Totals",
    ):
        assert line in lines, line
    assert "\n## Scoring items\n" in md
    assert csv.splitlines()[0] == (
        "Level-1 indicator,Level-2 indicator,Level-3 indicator,Weight,Points,Status,"
        "Reasons for lost points"
    )
    assert csv.splitlines()[-1].startswith("Total,,,,85.69,partly assessed,base 85.69 (raw ")
    assert rankings[0].startswith("Ranking: ") and ", 6 departments\n" in rankings[0]
    assert rankings[2].splitlines()[0] == (
        "Rank,Department,Base score,Bonus,Penalty,Total,Remarks,Findings file"
    )
    for out in (text, md, csv, *rankings):
        assert [w for w in CHINESE_LABELS if w in out] == []


def test_english_explain() -> None:
    with speaking("en"):
        text = render_explain(_score(DEDUCTIONS), "meiti_baoguang")
    lines = text.splitlines()
    assert lines[1] == "Department: 市交通运输局  Monitoring date: 2023-11-22"
    assert lines[2].startswith("Weight: -4.00 (stated in the original table)  Rule at: ")
    assert "Applicability: applicable" in lines
    assert "Deductions (indicator level):" in lines
    assert lines[7].startswith("  中央媒体曝光: 0 × 50% (no cap) = 0%, 0.00 points off (")
    assert "Result: 0.00 / -4.00 points" in lines
    assert [w for w in EXPLAIN_LABELS if w in text] == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
def test_lang_en_on_the_command_line(fmt: str) -> None:
    """``wzeval --lang en score`` and ``explain``: English labels, Chinese by default."""
    zh = _cli("score", PARTIAL, "--partial", "--format", fmt)
    en = _cli("--lang", "en", "score", PARTIAL, "--partial", "--format", fmt)
    assert "评分表" in zh or "扣分原因" in zh
    assert "score sheet" in en or "Reasons for lost points" in en
    assert [w for w in CHINESE_LABELS if w in en] == []


def test_lang_en_explain_on_the_command_line() -> None:
    zh = _cli("explain", DEDUCTIONS, "meiti_baoguang")
    en = _cli("--lang", "en", "explain", DEDUCTIONS, "meiti_baoguang")
    assert "适用性：适用" in zh.splitlines()
    assert "Applicability: applicable" in en.splitlines()
    assert [w for w in EXPLAIN_LABELS if w in en] == []


def test_missing_facts_are_named_by_their_questions() -> None:
    """The 未评估 table, the CSV reasons and the HTML name a missing fact by its question
    (with the rulebook); explain writes 问题（id）; the JSON keeps the ids, unchanged."""
    rb = wzeval.load_rulebook(RULEBOOK)
    report = _score(PARTIAL)
    ask = "是否提供实时智能问答功能？"
    for fmt in ("text", "markdown", "csv", "html"):
        out = wzeval.render_report(report, fmt, rulebook=rb)
        assert ask in out, fmt
        assert "realtime_qa" not in out, fmt
    text = wzeval.render_report(report, "text", rulebook=rb)
    assert "事实尚未记录" in text  # the reason does not repeat the questions beside them
    json = wzeval.render_report(report, "json", rulebook=rb)
    assert json == wzeval.render_report(report, "json")
    assert '"realtime_qa"' in json
    explain = _cli("explain", PARTIAL, "zhineng_wenda", "--partial")
    assert f"未记录的事实：{ask}（realtime_qa）；" in explain
    with speaking("en"):
        english = _cli("explain", PARTIAL, "zhineng_wenda", "--partial")
    assert f"Facts not recorded: {ask} (realtime_qa); " in english


def test_roster_units_without_findings_in_english() -> None:
    """A ranking's 未评估 section (roster units with no findings) speaks the user's
    language; its JSON ``status`` is the same word in every language."""
    rb = wzeval.load_rulebook(RULEBOOK)
    reports = [_score(DEDUCTIONS)]
    zh = wzeval.render_ranking(reports, "text", rulebook=rb)
    assert "\n未评估（" in zh and "：名单内，没有评估记录\n" in zh
    json = wzeval.render_ranking(reports, "json", rulebook=rb)
    with speaking("en"):
        en = wzeval.render_ranking(reports, "text", rulebook=rb)
        assert wzeval.render_ranking(reports, "json", rulebook=rb) == json
    assert "\nNot assessed (" in en and ": on the roster, no findings\n" in en
    assert "名单内" not in en
