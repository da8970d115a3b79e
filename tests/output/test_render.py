"""Rendering: aligned tables, figures rounded only by display, formats that agree."""

from __future__ import annotations

import copy
import csv
import io
import json
from fractions import Fraction
from typing import Any

import pytest
from support.paths import ROOT

import wzeval
from wzeval.core._paths import shown
from wzeval.model._report import ScoreReport, display
from wzeval.output._explaintext import render_explain
from wzeval.output._render import (
    display_width,
    format_table,
    indicator_status,
    rank,
    render_csv,
    render_json,
    render_markdown,
    render_ranking_csv,
    render_ranking_json,
    render_ranking_markdown,
    render_ranking_text,
    render_text,
    share_text,
)
from wzeval.reading._loader import load_document

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
FINDINGS = ROOT / "tests" / "findings" / "kinds-a.yaml"


@pytest.fixture(scope="module")
def rulebook() -> wzeval.Rulebook:
    return wzeval.load_rulebook(KINDS)


@pytest.fixture(scope="module")
def base_data() -> dict[str, Any]:
    data = load_document(FINDINGS).data
    assert isinstance(data, dict)
    return data


def report_of(
    rulebook: wzeval.Rulebook, data: dict[str, Any], *, partial: bool = False, **facts: Any
) -> ScoreReport:
    """Score kinds-a findings with some indicators' facts changed (indicator=dict or None)."""
    changed = copy.deepcopy(data)
    for ind, value in facts.items():
        if value is None:
            del changed["indicators"][ind]
        else:
            changed["indicators"][ind].update(value)
    findings = wzeval.load_findings(changed, rulebook, partial=partial)
    return wzeval.evaluate(rulebook, findings, partial=partial)


@pytest.fixture(scope="module")
def report(rulebook: wzeval.Rulebook) -> ScoreReport:
    """kinds-a scored from its file, so facts carry file:line:col."""
    return wzeval.evaluate(rulebook, wzeval.load_findings(FINDINGS, rulebook))


# --------------------------------------------------------------------------- building blocks


def test_display_width() -> None:
    """CJK and fullwidth characters take two columns, combining marks none."""
    assert display_width("abc") == 3
    assert display_width("在线咨询") == 8
    assert display_width("（１）") == 6
    assert display_width("e\u0301") == 1


def test_table_aligns_by_display_width() -> None:
    """Columns line up on screen when cells mix Chinese and ASCII; numbers align right."""
    text = format_table(["名称", "得分"], [["在线咨询", "5.00"], ["ab", "10.00"]], right={1})
    lines = text.splitlines()
    assert lines == ["名称       得分", "--------  -----", "在线咨询   5.00", "ab        10.00"]
    assert {display_width(line) for line in lines} == {15}


def test_table_cells_are_one_line() -> None:
    """A newline inside a cell does not break the table."""
    text = format_table(["a"], [["x\ny"]])
    assert text.splitlines()[-1] == "x y"


def test_share_text() -> None:
    """Exact shares stay exact; others are rounded once and marked with ≈."""
    assert share_text(Fraction(1, 2)) == "50%"
    assert share_text(Fraction(1, 8)) == "12.5%"
    assert share_text(Fraction(2, 3)) == "≈66.67%"


# --------------------------------------------------------------------------- one report


def test_text_sheet(report: ScoreReport) -> None:
    """The text sheet has the header, every section and the totals, in display rounding."""
    text = render_text(report)
    assert text.startswith("甲局 评分表\n===========\n")
    assert "监测时间点：2023-11-15" in text
    assert "评估人：张三" in text
    assert "总分：79.60（基础分 78.20 + 加分 2.00 + 扣分 -0.60）" in text
    assert "清单      feats     100%  清单   ≈66.67%   6.00  具备 2/3 项" in text
    assert "扣分      msgs  late       2    5%  30%    10%  2.00" in text
    assert text.rstrip().endswith("总分                     79.60")


def test_text_has_no_trailing_spaces(report: ScoreReport) -> None:
    """No line ends in spaces (clean diffs of saved sheets)."""
    assert all(line == line.rstrip() for line in render_text(report).splitlines())


def test_every_format_shows_display_of_each_indicator(report: ScoreReport) -> None:
    """Text, Markdown and CSV show display(points) of every indicator of the JSON report."""
    exact = ScoreReport.from_json(render_json(report))
    text, md = render_text(exact), render_markdown(exact)
    rows = list(csv.reader(io.StringIO(render_csv(exact))))
    by_name = {row[2]: row for row in rows[1:-1]}
    for ind in exact.indicators:
        shown = display(ind.points)
        assert by_name[ind.name][4] == shown
        assert by_name[ind.name][3] == display(ind.weight)
        assert f"| {ind.name} | {display(ind.weight)} | {shown} |" in md
        assert any(ind.name in line and shown in line for line in text.splitlines())
    assert rows[-1][0] == "总分"
    assert rows[-1][4] == display(exact.total) == "79.60"


def test_csv_header_and_bom(report: ScoreReport) -> None:
    """The CSV has the agreed header; bom=True prepends a byte-order mark."""
    plain = render_csv(report)
    assert plain.splitlines()[0] == "一级指标,二级指标,三级指标,权重,得分,状态,扣分原因"
    assert render_csv(report, bom=True) == "\ufeff" + plain


def test_json_round_trips(report: ScoreReport) -> None:
    """render_json is the exact report."""
    assert ScoreReport.from_json(render_json(report)) == report


def test_status_column(rulebook: wzeval.Rulebook, base_data: dict[str, Any]) -> None:
    """Vetoed, not applicable and not assessed indicators are marked in every format."""
    data = copy.deepcopy(base_data)
    data["department"] = "乙局"
    data["indicators"]["checks"]["fake"] = True
    del data["indicators"]["bands"]
    findings = wzeval.load_findings(data, rulebook, partial=True)
    r = wzeval.evaluate(rulebook, findings, partial=True)
    assert indicator_status(r.indicator("checks")) == "否决"
    assert indicator_status(r.indicator("listed")) == "不适用"
    assert indicator_status(r.indicator("bands")) == "未评估"
    assert indicator_status(r.indicator("prop")) == ""
    rows = {row[2]: row for row in csv.reader(io.StringIO(render_csv(r)))}
    assert rows["检查"][5] == "否决"
    assert rows["适用"][5] == "不适用"
    assert rows["区间"][5] == "未评估"
    text = render_text(r)
    assert "注意：部分指标未评估" in text
    assert "检查            v       该指标不得分" in text  # the fired veto with its source
    assert "区间            n     缺少事实：n" in text  # the 未评估 section


def test_unassessed_items(
    rulebook: wzeval.Rulebook, base_data: dict[str, Any], report: ScoreReport
) -> None:
    """An indicator whose only item is unassessed is 未评估; with some items left, 部分未评估."""
    r = report_of(rulebook, base_data, partial=True, prop={"passed": 0, "checked": 0})
    assert indicator_status(r.indicator("prop")) == "未评估"
    checks = report.indicator("checks")
    first = checks.items[0].model_copy(update={"assessed": False})
    partly = checks.model_copy(update={"items": [first, checks.items[1]], "assessed": False})
    assert indicator_status(partly) == "部分未评估"


def test_rendering_is_deterministic(report: ScoreReport) -> None:
    """The same report renders byte-identically."""
    again = ScoreReport.from_json(report.to_json())
    assert render_text(report) == render_text(again)
    assert render_markdown(report) == render_markdown(again)
    assert render_csv(report) == render_csv(again)


# --------------------------------------------------------------------------- explain


def test_explain_item_by_item(report: ScoreReport) -> None:
    """explain shows each item's share, rule, credit, reason, source and rulebook line."""
    text = render_explain(report, "检查", asks={"a": "甲？"})
    assert text.startswith("检查（checks）— 基础 / 一组\n")
    assert "  1. i1：占 50%，规则 check（是否）\n     得分比例 50%，得 5.00 / 5.00 分\n" in text
    assert "     原文：1.甲，50%\n" in text
    assert f"     位置：{shown(f'{KINDS}:33')}\n" in text
    assert f"  a = true — 甲？（{shown(f'{FINDINGS}:7:15')}）\n" in text
    assert "  v：未触发" in text
    assert text.endswith("结果：5.00 / 10.00 分\n失分原因：\n  - i2：不符合，得 0\n")


def test_explain_deductions(report: ScoreReport) -> None:
    """explain shows each deduction's count, amount each, cap and points."""
    text = render_explain(report, "deduct")
    assert f"late：2 次 × 5%（上限 30%）= 10%，扣 2.00 分（{shown(f'{KINDS}:117')}）" in text
    assert "bad：0 次 × 50%（无上限）= 0%，扣 0.00 分" in text


def test_explain_capped(rulebook: wzeval.Rulebook, base_data: dict[str, Any]) -> None:
    """A deduction past its cap says so."""
    r = report_of(rulebook, base_data, deduct={"late": 9})
    assert "late：9 次 × 5%（上限 30%，已封顶）= 30%，扣 6.00 分" in render_explain(r, "deduct")


def test_explain_unknown(report: ScoreReport) -> None:
    """An unknown indicator is a KeyError."""
    with pytest.raises(KeyError):
        render_explain(report, "nope")


# --------------------------------------------------------------------------- rankings


def test_rank_orders_and_shares_ranks(
    rulebook: wzeval.Rulebook, base_data: dict[str, Any], report: ScoreReport
) -> None:
    """Rank is by total descending, then department name; equal totals share a rank."""
    lower = report_of(rulebook, base_data, checks={"a": False})
    data = copy.deepcopy(base_data)
    data["department"] = "乙局"
    other = wzeval.evaluate(rulebook, wzeval.load_findings(data, rulebook))
    same = report.model_copy(update={"department": "乙局"})
    ranked = [(n, r.department, display(r.total)) for n, r in rank([lower, other, same, report])]
    # 乙 (U+4E59) sorts before 甲 (U+7532)
    assert ranked == [
        (1, "乙局", "79.60"),
        (1, "甲局", "79.60"),
        (3, "乙局", "77.18"),
        (4, "甲局", "74.60"),
    ]


def test_ranking_formats(
    report: ScoreReport, rulebook: wzeval.Rulebook, base_data: dict[str, Any]
) -> None:
    """Ranking text, Markdown, CSV and JSON agree on order and figures."""
    lower = report_of(rulebook, base_data, checks={"a": False})
    reports = [lower, report]
    failed = {"x.yaml": [wzeval.Issue("WZ101", "bad YAML")]}
    text = render_ranking_text(reports, failed)
    assert "   1  甲局   78.20  2.00  -0.60  79.60" in text
    assert "   2  甲局   73.20  2.00  -0.60  74.60" in text
    assert "未能评分（1）\nx.yaml：1 个错误，首个：bad YAML" in text
    assert "| 1 | 甲局 | 78.20 | 2.00 | -0.60 | 79.60 |" in render_ranking_markdown(reports)
    rows = list(csv.reader(io.StringIO(render_ranking_csv(reports))))
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    assert [r[5] for r in rows[1:]] == ["79.60", "74.60"]
    data = json.loads(render_ranking_json(reports, failed))
    assert data["wzeval"] == "ranking/1"
    assert [(d["rank"], d["total"]) for d in data["departments"]] == [(1, "79.6"), (2, "74.6")]
    assert data["failed"][0]["issues"][0]["code"] == "WZ101"
    assert ScoreReport.model_validate(data["departments"][0]["report"]) == report


def test_reasons_name_items_by_their_title_not_their_id() -> None:
    """The bundled rulebook's items have Chinese titles: no report line a person reads
    names an item by its English id (issue: 'simulated_question：第 2 档…')."""
    import wzeval
    from wzeval.output._render import render_csv, render_markdown, render_text

    rb = wzeval.load_rulebook()
    items = {it.id for ind in rb.indicators for it in ind.items if it.title}
    for path in sorted((ROOT / "examples" / "findings").glob("*.yaml")):
        report = wzeval.score(path, rb, partial=True)
        for text in (render_text(report), render_markdown(report), render_csv(report)):
            named = {i for i in items if f"{i}：" in text}
            assert named == set(), (path.name, named)
