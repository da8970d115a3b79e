"""What people read of a rulebook is in their language: rulings, option labels, questions.

The 2023 rulebook's rulings are written in Chinese (``ruling:``) with the English kept
for authors (``ruling_en:``, never in a report); an enum's ``option_labels`` are shown
instead of the option ids; each fact a report lists carries its question.
"""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, ValidationError
from support.paths import ROOT

import wzeval
from wzeval.model._models import Fact
from wzeval.output._explaintext import render_explain
from wzeval.output._tabledoc import ruling_ids

RB = wzeval.load_rulebook(ROOT / "rulebooks" / "2023.yaml")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _rulings(node: object) -> list[tuple[str | None, str | None]]:
    """Every (ruling, ruling_en) pair of a model tree."""
    out = []
    if isinstance(node, BaseModel):
        if "ruling" in type(node).model_fields:
            out.append((getattr(node, "ruling", None), getattr(node, "ruling_en", None)))
        for name in type(node).model_fields:
            out += _rulings(getattr(node, name))
    elif isinstance(node, list | tuple):
        for x in node:
            out += _rulings(x)
    elif isinstance(node, dict):
        for x in node.values():
            out += _rulings(x)
    return out


def test_every_2023_ruling_is_chinese_with_its_english_beside_it() -> None:
    """91 rulings, each in Chinese, each with the English it replaced."""
    pairs = [(zh, en) for zh, en in _rulings(RB) if zh or en]
    assert len(pairs) == 91
    for zh, en in pairs:
        assert zh and _CJK.search(zh), zh
        assert en and ruling_ids(en) == ruling_ids(zh), (zh, en)  # the same rulings named


def test_reports_print_the_chinese_ruling_only() -> None:
    """The HTML sheet and explain say 裁定：R4：1 个工作日内答复且准确 → 50%…, never the English."""
    report = wzeval.score(ROOT / "examples" / "findings" / "jiaotong-deductions.yaml")
    texts = {
        "html": wzeval.render_report(report, "html"),
        "explain": render_explain(report, "zaixian_zixun"),
    }
    for what, text in texts.items():
        assert "裁定：R4：1 个工作日内答复且准确 → 50%" in text, what
        assert "within 1 working day" not in text and "R4 (amended)" not in text, what


def test_a_level_reason_names_the_option_label() -> None:
    """查询服务形式 at own_advanced: 等级「本地检索栏目设计新颖…」，得 30% (30% of 30%)."""
    report = wzeval.score(ROOT / "examples" / "findings" / "jiaotong-deductions.yaml")
    item = next(i for i in report.indicator("查询服务").items if i.title == "查询服务形式")
    label = "本地检索栏目设计新颖，查询内容贴合本地实际、采用地图或图形化等高级查询"
    assert item.reason == f"等级「{label}」，得 30%"
    fact = next(f for f in report.indicator("查询服务").facts if f.id == "query_form")
    assert fact.value == "own_advanced" and fact.value_label == label
    assert fact.ask == "提供查询服务的形式（取最高一级）。"
    assert "own_advanced" not in wzeval.render_report(report, "text")


def test_every_fact_read_carries_its_question() -> None:
    """Each recorded fact of a report has the rulebook's ask; a derived one its description."""
    report = wzeval.score(ROOT / "examples" / "findings" / "shengtaihuanjing-strong.yaml")
    for ind in RB.indicators:
        asks = {f.id: f.ask for f in ind.facts} | {d.id: d.description for d in ind.derived}
        for fact in report.indicator(ind.id).facts:
            assert fact.ask == asks[fact.id], (ind.id, fact.id)


@pytest.mark.parametrize(
    ("labels", "error"),
    [
        ({"a": "甲", "z": "丙"}, "option_labels name options the fact does not have: z"),
        ({"a": "甲", "b": "甲"}, "option labels must be distinct"),
    ],
)
@pytest.mark.usefixtures("english")
def test_option_labels_must_fit_the_options(labels: dict[str, str], error: str) -> None:
    """A label for an option the fact lacks, or one label for two options, is refused."""
    with pytest.raises(ValidationError, match=error):
        Fact(id="f", type="enum", ask="?", options=["a", "b"], option_labels=labels)


def test_option_label_falls_back_to_the_option() -> None:
    """An option without a label is shown as itself."""
    fact = Fact(id="f", type="enum", ask="?", options=["a", "b"], option_labels={"a": "甲"})
    assert (fact.option_label("a"), fact.option_label("b")) == ("甲", "b")
