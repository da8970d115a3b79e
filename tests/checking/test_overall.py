"""Scoring above the indicators (wzeval.checking._overall): site-wide vetoes that stop scoring, a
bonus category gated on the base, and grades — worked by hand on tests/corpus/overall.yaml.

The corpus rulebook: a 单项否决 category (``access``: vetoed when 5% or more of the visits
fail), a base of 100 (``a`` 60 points on one check, ``b`` 40 points less 25% of its weight
per slip), a bonus of 30 (``c``, one check) scored only when ``base > 80``, and grades
vetoed → 不合格, base < 60 → 不合格, else 合格.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from support.documents import corpus_findings
from support.paths import TESTS
from support.strategies import overall_cases

import wzeval
from wzeval import ScoreReport
from wzeval.core._issues import Issue

CORPUS = TESTS / "corpus"
RULEBOOK = CORPUS / "overall.yaml"
TEXT = RULEBOOK.read_text(encoding="utf-8")


def score(indicators: dict[str, Any]) -> ScoreReport:
    """Score complete (not partial) findings: what a stopped part lacks is no error."""
    rb = wzeval.load_rulebook(RULEBOOK)
    doc = corpus_findings(rb, indicators)
    return wzeval.evaluate(rb, wzeval.load_findings(doc, rb))


GOOD = {"access": {"down_share": 0}, "a": {"ok": True}, "b": {"slips": 0}, "c": {"good": True}}


def test_strong_site_scores_the_gated_bonus() -> None:
    """No veto; a 60 + b 40 = base 100 > 80, so c is scored: 30; total 130; 合格 by rule 3."""
    r = score(GOOD)
    assert (r.vetoed, r.base, r.bonus, r.total) == (False, 100, 30, 130)
    assert r.grade == "合格" and r.grade_rule is not None and r.grade_rule.when == "true"
    assert r.grade_rule.rule == 3
    assert r.grade_rule.at == f"{RULEBOOK}:{line_of(TEXT, '{grade: 合格')}"
    assert all(c.scored for c in r.categories)


def test_site_wide_veto_stops_scoring_and_gives_its_grade() -> None:
    """down_share 0.06 ≥ 0.05: the site is vetoed; nothing else is scored (base, bonus and
    total 0) though a, b and c recorded nothing, and grade rule 1 gives 不合格."""
    r = score({"access": {"down_share": Decimal("0.06")}})
    assert r.vetoed and r.complete
    assert [(v.indicator, v.id, v.label) for v in r.site_vetoes] == [
        ("access", "down", "站点无法访问")
    ]
    assert (r.base, r.bonus, r.penalty, r.total) == (0, 0, 0, 0)
    assert r.grade == "不合格" and r.grade_rule is not None and r.grade_rule.label == "单项否决"
    stopped = [i for i in r.indicators if not i.scored]
    assert [i.id for i in stopped] == ["a", "b", "c"]
    assert all(i.points == 0 and "单项否决" in i.reasons[0] for i in stopped)
    assert [c.scored for c in r.categories] == [True, False, False]


def test_gate_closed_below_its_threshold() -> None:
    """a fails (0) and b is clean (40): base 40, not > 80, so c is not scored (its fact is
    not even recorded) and the bonus is 0; 40 < 60 gives 不合格 by rule 2."""
    r = score({"access": {"down_share": 0}, "a": {"ok": False}, "b": {"slips": 0}})
    assert (r.base, r.bonus, r.total) == (40, 0, 40)
    assert not r.indicator("c").scored and r.indicator("c").points == 0
    assert r.grade == "不合格" and r.grade_rule is not None and r.grade_rule.when == "base < 60"


def test_gate_reads_the_rescaled_base_at_its_boundary() -> None:
    """Two slips take 2 × 25% of b: 40 × 50% = 20; base 60 + 20 = 80, and 80 > 80 is false:
    no bonus. 80 ≥ 60: 合格."""
    r = score({**GOOD, "b": {"slips": 2}})
    assert r.base == 80 and r.bonus == 0 and not r.indicator("c").scored
    assert r.grade == "合格"


def test_rulebook_without_grades_has_none() -> None:
    """The bundled 2023 rulebook declares no grades and no site-wide vetoes."""
    rb = wzeval.load_rulebook()
    assert rb.grades == [] and all(c.kind != "veto" for c in rb.categories)


def test_report_json_carries_grade_and_vetoes() -> None:
    """The JSON report names the grade and the rule that set it."""
    r = ScoreReport.from_json(score({"access": {"down_share": 1}}).to_json())
    assert r.grade == "不合格" and r.vetoed and r.site_vetoes[0].id == "down"


# ----------------------------------------------------------------------------- bad input


def issues_of(text: str, tmp_path: Path) -> list[Issue]:
    f = tmp_path / "rb.yaml"
    f.write_text(text, encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None, "the rulebook should be refused"
    return [i for i in issues if i.severity == "error"]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        # a gate that reads what is worked out after it
        ('when: "base > 80"', 'when: "bonus > 0"', "WZ211", 'when: "bonus > 0"'),
        ('when: "base > 80"', 'when: "total > 80"', "WZ211", 'when: "total > 80"'),
        # a base category cannot wait for the base
        (
            "    weight: 100\n",
            '    weight: 100\n    when: "base > 1"\n',
            "WZ213",
            'when: "base > 1"',
        ),
        # a rule after one that always holds
        (
            '  - {grade: 合格, when: "true"}',
            '  - {grade: 合格, when: "true"}\n  - {grade: 优秀, when: "base > 90"}',
            "WZ212",
            "优秀",
        ),
        ('when: "base < 60", label', 'when: "false", label', "WZ212", 'when: "false"'),
        # a veto category holds vetoes only, and weighs nothing
        (
            "        vetoes:\n          - {id: down,",
            "        items:\n          - {id: x, share: 100%, check: down_share > 0}\n"
            "        vetoes:\n          - {id: down,",
            "WZ210",
            "- id: access",
        ),
        ("    kind: veto\n    weight: 0", "    kind: veto\n    weight: 5", "WZ210", "weight: 5"),
        # a grade that names what is not a score
        ('when: "base < 60"', 'when: "base < 60 or ok"', "WZ302", 'when: "base < 60 or ok"'),
    ],
)
def test_bad_overall_rules_are_placed(
    old: str, new: str, code: str, needle: str, tmp_path: Path
) -> None:
    """Each mistake is one error of its code on the line that holds it, with a hint."""
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    found = [i for i in issues_of(text, tmp_path) if i.code == code]
    assert found, [i.format() for i in issues_of(text, tmp_path)]
    issue = found[0]
    assert issue.position is not None and issue.position.line == line_of(text, needle)
    assert issue.hint


# ----------------------------------------------------------------------------- renderers


def _all_text(report: ScoreReport) -> dict[str, str]:
    import io

    import openpyxl

    from wzeval.output._html import render_html
    from wzeval.output._render import render_csv, render_markdown, render_ranking_csv, render_text
    from wzeval.output._xlsx import xlsx_bytes

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([report])))
    cells = " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    return {
        "text": render_text(report),
        "markdown": render_markdown(report),
        "html": render_html(report),
        "xlsx": cells,
        "csv": render_csv(report),
        "ranking": render_ranking_csv([report]),
    }


def test_every_renderer_shows_the_grade_and_the_veto() -> None:
    """A vetoed site: text, Markdown, HTML and the workbook say 等级：不合格（单项否决） and name
    the veto; the CSV marks the stopped indicators 未评分; the ranking notes 不合格."""
    out = _all_text(score({"access": {"down_share": 1}}))
    for name in ("text", "markdown", "html", "xlsx"):
        assert "等级：不合格（单项否决）" in out[name], name
        assert "单项否决：站点无法访问" in out[name], name
    assert out["csv"].count(",未评分,") == 3
    assert "不合格；单项否决" in out["ranking"]


def test_renderers_show_a_closed_gate() -> None:
    """A base of 40: c is 未评分 with the gate's condition as the reason; grade 不合格 with
    the rule's label."""
    out = _all_text(score({"access": {"down_share": 0}, "a": {"ok": False}, "b": {"slips": 0}}))
    assert "等级：不合格（扣分指标低于 60 分）" in out["text"]
    assert "未评分：条件 base > 80 不成立" in out["csv"]


# ----------------------------------------------------------------------------- properties


@given(overall_cases())
def test_overall_properties(case: tuple[wzeval.Rulebook, dict[str, Any]]) -> None:
    """Over generated rulebooks with site-wide vetoes, gates and grades:

    - a fired 单项否决 gives grade rule 1 (不合格) and no points anywhere;
    - a gate never scores what it closes: a closed category gives 0 and every one of its
      indicators is not scored; an open one (or none) is scored;
    - every category stays within its bounds (base categories and bonus within
      [0, weight], penalty within [weight, 0]); the base within [0, 100]; with parts,
      each part within [0, 100] and the base their weighted sum, a part's veto
      zeroing that part only;
    - the grade is the first rule that holds for the report's own figures;
    - the same input gives a byte-identical report.
    """
    rb, mapping = case
    report = wzeval.evaluate(rb, wzeval.load_findings(mapping, rb))
    if report.vetoed:
        assert report.grade == "不合格" and report.grade_rule is not None
        assert report.grade_rule.rule == 1
        assert report.total == 0 and report.base == 0
        assert all(not i.scored for i in report.indicators if i.kind != "veto")
    for cat, res in zip(rb.categories, report.categories, strict=True):
        mine = [i for i in report.indicators if i.category_id == cat.id]
        if not res.scored:
            assert res.points == 0 and all(not i.scored for i in mine)
        elif cat.when is not None:
            threshold = int(cat.when.split(">")[1])
            assert report.base > threshold and all(i.scored for i in mine)
        lo, hi = (res.weight, F(0)) if res.kind == "penalty" else (F(0), res.weight)
        assert lo <= res.points <= hi
    assert 0 <= report.base <= 100
    if rb.parts:  # each part within [0, 100], the base their weighted sum
        assert all(0 <= p.base <= 100 for p in report.parts)
        assert report.base == sum((p.weight * p.base for p in report.parts), F(0))
        vetoed = any(p.vetoed for p in report.parts)
        assert not report.vetoed  # the only veto category belongs to a part
        assert vetoed == bool(report.parts[0].vetoes)
        if vetoed:
            assert report.parts[0].base == 0
    floor = int(rb.grades[1].when.split("<")[1])
    want = "不合格" if report.vetoed or report.base < floor else "合格"
    assert report.grade == want
    again = wzeval.evaluate(rb, wzeval.load_findings(mapping, rb))
    assert again.to_json() == report.to_json()
