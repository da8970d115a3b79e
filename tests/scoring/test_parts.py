"""Separately scored parts (``parts:``), combined by weight — worked by hand on
tests/corpus/parts.yaml.

网站 (70%): x 60 points and y 40 points (y only for sites with services), rescaled on its
own. 新媒体 (30%): z 100 points, and a veto category of its own that stops only the
新媒体 part. Grades: web < 60 → 不合格, else 合格.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from support.documents import corpus_findings
from support.paths import TESTS

import wzeval

RULEBOOK = TESTS / "corpus" / "parts.yaml"
TEXT = RULEBOOK.read_text(encoding="utf-8")


def score(**changes: dict[str, Any]) -> wzeval.ScoreReport:
    indicators: dict[str, Any] = {
        "x": {"ok": True},
        "y": {"has_services": True, "ok": True},
        "zombie": {"no_posts": False},
        "z": {"ok": True},
    }
    for key, value in changes.items():
        indicators[key] = {**indicators.get(key, {}), **value}
    rb = wzeval.load_rulebook(RULEBOOK)
    doc = corpus_findings(rb, indicators)
    return wzeval.evaluate(rb, wzeval.load_findings(doc, rb))


def parts(r: wzeval.ScoreReport) -> dict[str, F]:
    return {p.id: p.base for p in r.parts}


def test_both_parts_full() -> None:
    """网站 100 and 新媒体 100: base 70% × 100 + 30% × 100 = 100; 合格."""
    r = score()
    assert parts(r) == {"web": 100, "media": 100} and r.base == 100 and r.grade == "合格"


def test_a_part_is_rescaled_on_its_own() -> None:
    """Without services y leaves 网站 only: 网站 = 100 × 60 / 60 = 100 (not spread over the
    新媒体 part); base 100."""
    r = score(y={"has_services": False})
    (web,) = [p for p in r.parts if p.id == "web"]
    assert (web.base_raw, web.base_possible, web.base) == (60, 60, 100)
    assert r.base == 100


def test_parts_combine_by_weight() -> None:
    """x fails: 网站 = 40; base = 70% × 40 + 30% × 100 = 28 + 30 = 58; web < 60 → 不合格."""
    r = score(x={"ok": False})
    assert parts(r) == {"web": 40, "media": 100}
    assert r.base == 58 and r.total == 58
    assert r.grade == "不合格" and r.grade_rule is not None and r.grade_rule.rule == 1


def test_a_part_veto_stops_only_its_part() -> None:
    """The 新媒体 veto fires: z is not scored, 新媒体 = 0 and is vetoed; the site is not;
    base = 70% × 100 = 70; 合格."""
    r = score(zombie={"no_posts": True})
    (media,) = [p for p in r.parts if p.id == "media"]
    assert media.vetoed and media.base == 0 and [v.id for v in media.vetoes] == ["dead"]
    assert not r.vetoed and not r.indicator("z").scored and r.indicator("x").scored
    assert r.base == 70 and r.grade == "合格"


def test_every_renderer_shows_the_parts() -> None:
    """The sheet names each part's base and weight, and a part's veto."""
    from wzeval.output._render import render_text

    text = render_text(score(zombie={"no_posts": True}))
    assert "网站：100.00（占基础分 70%）" in text
    assert "新媒体：0.00（占基础分 30%）；单项否决：两周无更新，本部分不得分" in text


@pytest.mark.parametrize(
    ("old", "new", "code", "says"),
    [
        ("weight: 30%}", "weight: 20%}", "WZ203", "the parts' weights add up to 90%"),
        ("    part: web\n    weight: 100", "    weight: 100", "WZ206", "names no part"),
        ("    part: web\n", "    part: webb\n", "WZ206", "unknown part 'webb'"),
        (
            "      - id: z\n        name: 内容质量\n        weight: 100",
            "      - id: z\n        name: 内容质量\n        weight: 90",
            "WZ203",
            "indicator weights of 新媒体指标 add up to 90",
        ),
    ],
)
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_bad_parts_are_refused_with_the_fix(
    tmp_path: Path, old: str, new: str, code: str, says: str
) -> None:
    assert old in TEXT
    f = tmp_path / "rb.yaml"
    f.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    found = [i for i in issues if i.code == code and says in i.message]
    assert found, [i.format() for i in issues]
    assert found[0].position is not None and found[0].position.line > 0
