"""Deductions written in points ("扣5分") and fixed deductions on a condition (``when:``),
worked by hand on a two-indicator rulebook.

``a`` weighs W (4 unless a test changes it) and deducts 1 point per lapse ``n`` from one
100% item; its indicator-level deduction takes 2 points when ``b`` holds, capped at 3
points. ``rest`` takes the other 100 − W base points with one check.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

import wzeval
from wzeval.analysis._ruletest import coverage_targets

TEXT = """\
wzeval: rulebook/1
id: amounts
title: deductions in points
year: 2023
departments:
  - {id: a, name: 甲局}
categories:
  - id: part
    name: 基础
    weight: 100
    indicators:
      - id: a
        name: 政策文件
        weight: W
        weight_source: stated
        facts:
          - {id: n, type: int, min: 0, ask: 未更新栏目数？}
          - {id: b, type: bool, ask: 6个月内未更新？}
        items:
          - id: lapses
            share: 100%
            deduct:
              - {id: lapse, count: n, each: 1分}
        deductions:
          - {id: stale, when: b, each: 2分, cap: 3分, source: 政策文件类一级栏目未更新，扣5分}
      - id: rest
        name: 其他
        weight: REST
        weight_source: assumed
        facts:
          - {id: ok, type: bool, ask: 其他合格？}
        items:
          - {id: ok, share: 100%, check: ok}
"""


def rulebook(tmp_path: Path, weight: int = 4, text: str = TEXT) -> wzeval.Rulebook:
    f = tmp_path / "rb.yaml"
    f.write_text(text.replace("REST", str(100 - weight)).replace("W\n", f"{weight}\n"), "utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is not None, [i.format() for i in issues]
    return rb


def points(rb: wzeval.Rulebook, a: dict[str, Any]) -> F:
    doc = {
        "wzeval": "findings/1",
        "rulebook": rb.id,
        "department": "甲局",
        "monitoring_date": "2023-11-15",
        "indicators": {"a": a, "rest": {"ok": True}},
    }
    return wzeval.evaluate(rb, wzeval.load_findings(doc, rb)).indicator("a").points


@pytest.mark.parametrize(
    ("weight", "n", "b", "expected"),
    [
        (4, 0, False, F(4)),  # nothing deducted
        (4, 2, False, F(2)),  # 4 − 2 × 1 point
        (4, 5, False, F(0)),  # 5 points of lapses stop at the item's 4 (its whole share)
        (4, 1, True, F(1)),  # 4 − 1 − 2 (the condition holds once)
        (8, 2, False, F(6)),  # the weight doubled: still 1 point a lapse, 8 − 2
        (8, 0, True, F(6)),  # 8 − 2: the fixed deduction does not grow with the weight
    ],
)
def test_points_stay_points_when_the_weight_changes(
    tmp_path: Path, weight: int, n: int, b: bool, expected: F
) -> None:
    assert points(rulebook(tmp_path, weight), {"n": n, "b": b}) == expected


def test_points_read_as_shares_of_the_weight(tmp_path: Path) -> None:
    """1分 of 4 points is 25% of the weight; 2分 and a 3分 cap are 50% and 75%."""
    ind = rulebook(tmp_path).indicator("a")
    assert ind.items[0].rule[0].each == F(1, 4)
    assert (ind.deductions[0].each, ind.deductions[0].cap) == (F(1, 2), F(3, 4))


def test_a_condition_deduction_has_no_phantom_target(tmp_path: Path) -> None:
    """when: counts 0 or 1, so its 'capped' target (2 points never reach the 3-point cap)
    is unreachable rather than owed by the rule tests; 'none' and 'some' remain."""
    reachable, unreachable = coverage_targets(rulebook(tmp_path))
    ids = {t.id for t in reachable}
    assert {"a.stale:none", "a.stale:some"} <= ids
    assert "a.stale:capped" in {t.id for t in unreachable}


def test_the_table_page_shows_points_and_the_condition(tmp_path: Path) -> None:
    from wzeval.output._tabledoc import render_rulebook_markdown

    page = render_rulebook_markdown(rulebook(tmp_path))
    assert "`b` 成立时 1 次" in page


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("each: 2分, cap: 3分", "each: 5分", "more than the indicator's 4 points"),
        ("{id: ok, share: 100%", "{id: ok, share: 5分", "only a deduction's each and cap"),
        ("{id: stale, when: b,", "{id: stale,", "either count: (how many) or when:"),
        ("{id: stale, when: b,", "{id: stale, count: n, when: b,", "either count: (how many)"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_amounts_are_refused_with_the_fix(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert old in TEXT
    f = tmp_path / "rb.yaml"
    f.write_text(TEXT.replace(old, new).replace("REST", "96").replace("W\n", "4\n"), "utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    (issue,) = [i for i in issues if says in i.message]
    assert issue.code == "WZ201" and issue.position is not None and issue.position.line > 0
