"""Findings templates: complete, commented, loadable, and never valid until filled."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.filling import fill
from support.paths import ROOT

import wzeval
from wzeval.core._errors import ValidationFailed
from wzeval.model._models import Fact
from wzeval.output._template import (
    PLACEHOLDER,
    applies_to,
    describe_fact,
    findings_template,
    placeholder,
    resolve_department,
)
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled, read_findings

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
BUNDLED = wzeval.bundled_rulebook_path()

# Fact-dependent applicability, a nullable text fact, records and an enum.
EXTRA = """\
wzeval: rulebook/1
id: extra
title: template corner cases
year: 2023
departments:
  - {id: a, name: 甲局}
categories:
  - id: base
    name: 基础
    weight: 100
    indicators:
      - id: talk
        name: 在线访谈
        weight: 100
        weight_source: stated
        description: "考核访谈。\\n第二行说明。"
        applies: in_plan
        applies_note: 列入年度访谈计划的部门
        facts:
          - {id: in_plan, type: bool, ask: 是否列入访谈计划？}
          - {id: host, type: str, ask: 主持人, nullable: true}
          - {id: level, type: enum, ask: 形式, options: [文字, 视频]}
          - id: sessions
            type: records
            ask: 每次访谈
            fields: {held_on: date, topic: str}
        items:
          - {id: held, share: 100%, check: "len(sessions) >= 1"}
"""


@pytest.fixture(scope="module")
def kinds() -> wzeval.Rulebook:
    return wzeval.load_rulebook(KINDS)


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> wzeval.Rulebook:
    path = tmp_path_factory.mktemp("rb") / "extra.yaml"
    path.write_text(EXTRA, encoding="utf-8")
    return wzeval.load_rulebook(path)


def test_template_loads_back_without_issues(kinds: wzeval.Rulebook) -> None:
    """The template is YAML that loads with no issue, modeline first, header filled in."""
    text = findings_template(kinds, "甲局")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schemas/findings.schema.json"
    doc = load_document(text=text)
    assert doc.issues == []
    assert doc.data["wzeval"] == "findings/1"
    assert doc.data["rulebook"] == "kinds"
    assert doc.data["department"] == "甲局"
    assert doc.data["monitoring_date"] is None
    assert "# 填写：YYYY-MM-DD 监测时间点" in text


def test_template_lists_every_fact_with_its_question(kinds: wzeval.Rulebook) -> None:
    """Every indicator that applies is there with every fact, its question above it."""
    text = findings_template(kinds, "甲局")
    data = load_document(text=text).data
    for ind in kinds.indicators:
        assert set(data["indicators"][ind.id]) == {f.id for f in ind.facts}
        for fact in ind.facts:
            assert f"# {fact.ask}\n" in text
    assert "    f: null  # 填写：列表 [a, b, …]，每项为 true 或 false\n" in text
    assert "# 由规则计算，无需填写：in1、in5" in text


def test_catalog_checklist(kinds: wzeval.Rulebook) -> None:
    """An indicator driven by a catalog lists the department's duties as a checklist."""
    text = findings_template(kinds, "甲局")
    assert "    # 本部门在“附录一”中的事项，逐项核对：\n    # [ ] 公开甲\n" in text


def test_not_applicable_indicator_is_a_comment(kinds: wzeval.Rulebook) -> None:
    """An indicator the department is not assessed on appears only as a comment."""
    text = findings_template(kinds, "乙局")
    assert "listed" not in load_document(text=text).data["indicators"]
    assert "  # 适用（listed）：不适用于乙局，不评估\n" in text
    assert "[ ] 公开甲" not in text


def test_unfilled_template_is_rejected(kinds: wzeval.Rulebook, tmp_path: Path) -> None:
    """Every blank of an unfilled template is an error, "not filled in yet" (WZ404) at the
    blank's own line: nothing passes by accident."""
    path = tmp_path / "t.yaml"
    path.write_text(findings_template(kinds, "甲局"), encoding="utf-8")
    findings, issues = read_findings(path, kinds)
    assert findings is None
    blanks = sum(len(ind.facts) for ind in kinds.indicators) + 1  # + monitoring_date
    unfilled = [i for i in issues if i.code == "WZ404"]
    assert len(unfilled) == blanks
    assert all("尚未填写" in i.message for i in unfilled)
    assert [i for i in issues if i.code != "WZ404"] == []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i in unfilled:  # each on the line of its own fact (or of monitoring_date)
        assert i.position is not None
        assert i.path[-1] in lines[i.position.line - 1], i.format()


def test_filled_template_validates_and_scores(kinds: wzeval.Rulebook, tmp_path: Path) -> None:
    """Filled in, the template validates with no issue and scores."""
    path = tmp_path / "t.yaml"
    path.write_text(findings_template(kinds, "甲局"), encoding="utf-8")
    fill(path, kinds)
    findings, issues = read_findings(path, kinds)
    assert issues == []
    assert findings is not None
    report = wzeval.evaluate(kinds, findings)
    assert report.complete
    assert report.assessors == ["测试员"]


def test_department_by_alias_or_id(kinds: wzeval.Rulebook) -> None:
    """A department may be named by alias or id; the template writes the canonical name."""
    assert resolve_department(kinds, "甲市甲局") == "甲局"
    assert resolve_department(kinds, "b") == "乙局"
    assert "department: 甲局\n" in findings_template(kinds, "a")


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_department(kinds: wzeval.Rulebook) -> None:
    """An unknown department raises WZ407 with a did-you-mean hint."""
    with pytest.raises(ValidationFailed) as info:
        findings_template(kinds, "甲")
    [issue] = info.value.issues
    assert issue.code == "WZ407"
    assert issue.hint == "did you mean '甲局'?"


def test_applies_to(kinds: wzeval.Rulebook, extra: wzeval.Rulebook) -> None:
    """Applicability is known from catalogs, and unknown when it depends on facts."""
    listed = compiled(kinds).by_id["listed"]
    assert applies_to(listed, "甲局", ("app1",)) is True
    assert applies_to(listed, "乙局", ()) is False
    assert applies_to(compiled(kinds).by_id["checks"], "乙局", ()) is True
    assert applies_to(compiled(extra).by_id["talk"], "甲局", ()) is None


def test_fact_dependent_applicability_is_explained(extra: wzeval.Rulebook) -> None:
    """An indicator whose applicability depends on facts is kept, with the reason."""
    text = findings_template(extra, "甲局", schema_ref=None)
    assert not text.startswith("# yaml-language-server")
    assert "    # 是否适用取决于：列入年度访谈计划的部门\n" in text
    assert "  # 指标说明：考核访谈。\n  # 第二行说明。\n" in text
    assert "    # 每条一行，如：- {held_on: …, topic: …}\n" in text


def test_nullable_text_is_commented_out(extra: wzeval.Rulebook) -> None:
    """A nullable text fact has no rejectable blank, so its line is commented out."""
    text = findings_template(extra, "甲局")
    assert "    # host:  # 填写：文本；没有时填 null（填写后去掉行首的 #）\n" in text
    assert "host" not in load_document(text=text).data["indicators"]["talk"]


def test_placeholders() -> None:
    """null where a value is required, 待填写 where null is a valid answer, None for text."""
    assert placeholder(Fact(id="x", type="bool", ask="?")) == "null"
    assert placeholder(Fact(id="x", type="date", ask="?", nullable=True)) == PLACEHOLDER
    assert placeholder(Fact(id="x", type="str", ask="?", nullable=True)) is None


def test_describe_fact() -> None:
    """Fact descriptions name the type, options, range, unit and nullability in Chinese."""
    assert describe_fact(Fact(id="x", type="enum", ask="?", options=["低", "高"])) == (
        "选项（从低到高）：低 / 高"
    )
    assert describe_fact(Fact(id="x", type="int", ask="?", min=0, max=5, unit="次")) == (
        "整数，范围 0–5，单位：次"
    )
    assert describe_fact(Fact(id="x", type="decimal", ask="?", max=1, nullable=True)) == (
        "数（可带小数），不大于 1；没有时填 null"
    )
    records = Fact(id="x", type="records", ask="?", fields={"on": "date", "ok": "bool"})
    assert describe_fact(records) == "记录列表，每条含 on（日期 YYYY-MM-DD）、ok（true 或 false）"


def test_template_is_deterministic(kinds: wzeval.Rulebook) -> None:
    """The same rulebook and department give byte-identical templates."""
    assert findings_template(kinds, "甲局") == findings_template(kinds, "甲局")


@pytest.mark.skipif(not BUNDLED.exists(), reason="bundled 2023 rulebook missing")
def test_bundled_templates_fill_and_validate(tmp_path: Path) -> None:
    """For every department of the bundled rulebook the filled template validates."""
    rb = wzeval.load_rulebook()
    for dept in rb.departments:
        path = tmp_path / f"{dept.id}.yaml"
        path.write_text(findings_template(rb, dept.name), encoding="utf-8")
        fill(path, rb)
        findings, issues = read_findings(path, rb)
        assert [i.format() for i in issues] == [], dept.name
        assert findings is not None
        wzeval.evaluate(rb, findings)
