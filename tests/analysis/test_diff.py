"""Semantic rulebook diffs, their renderings, and score movements between rulebooks."""

from __future__ import annotations

import copy
import json
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import BaseModel
from support.paths import ROOT
from support.strategies import rulebook_dicts, rulebooks

import wzeval
from wzeval.analysis._diff import (
    FIELDS,
    Change,
    diff,
    diff_files,
    diff_json,
    diff_markdown,
    diff_text,
    score_movements,
)
from wzeval.core._i18n import speaking
from wzeval.model._models import Rulebook
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled, load_findings, load_rulebook, read_rulebook

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
KINDS_2024 = ROOT / "tests" / "corpus" / "extends" / "kinds-2024.yaml"
FINDINGS = ROOT / "tests" / "findings" / "kinds-a.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, where extending rulebooks may read their bases."""
    monkeypatch.chdir(ROOT)


def kinds_data() -> dict[str, Any]:
    data = load_document(KINDS).data
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def indicator(data: dict[str, Any], ident: str) -> dict[str, Any]:
    for cat in data["categories"]:
        for ind in cat["indicators"]:
            if ind["id"] == ident:
                assert isinstance(ind, dict)
                return ind  # the document's own dict, to edit in place
    raise KeyError(ident)


def item(data: dict[str, Any], ind: str, ident: str) -> dict[str, Any]:
    return next(i for i in indicator(data, ind)["items"] if i["id"] == ident)


def rows(changes: tuple[Change, ...]) -> list[tuple[str, tuple[object, ...], object, object, bool]]:
    return [(c.kind, c.path, c.old, c.new, c.affects_scores) for c in changes]


# ----------------------------------------------------------------------------- diff(a, a)


@pytest.mark.parametrize("path", [KINDS, KINDS_2024, None])
def test_a_rulebook_does_not_differ_from_itself(path: Path | None) -> None:
    """diff(a, a) is empty for the kinds rulebook, an extending one and the bundled 2023."""
    rb = load_rulebook(path)
    d = diff(rb, rb)
    assert d.changes == () and not d and not d.affects_scores
    assert diff(rb, load_rulebook(path)).changes == ()  # a fresh load means the same
    assert "\n没有改动。\n" in diff_markdown(d)
    with speaking("en"):
        assert "\nNo changes.\n" in diff_markdown(d)


@given(rulebooks())
def test_diff_of_any_rulebook_with_itself_is_empty(rb: Rulebook) -> None:
    """For generated rulebooks too, diff(a, a) is empty."""
    assert diff(rb, rb).changes == ()


@settings(max_examples=15)  # each example writes, loads and checks two rulebooks
@given(rulebook_dicts())
def test_extending_without_edits_means_the_base(doc: dict[str, Any]) -> None:
    """A rulebook that extends a base and only gives its own id differs from it by the id alone."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.json"
        base.write_text(json.dumps(doc, default=str, ensure_ascii=False), encoding="utf-8")
        child = Path(folder) / "child.yaml"
        child.write_text("wzeval: rulebook/1\nextends: base.json\nid: child\n", encoding="utf-8")
        old, new = load_rulebook(base), load_rulebook(child)
    assert rows(diff(old, new).changes) == [("rulebook.id", (), "generated", "child", False)]


def test_every_model_field_is_classified() -> None:
    """FIELDS names every field of every rulebook model, so no change can go unseen."""
    for model, spec in FIELDS.items():
        assert issubclass(model, BaseModel)
        assert set(spec) == set(model.model_fields), model.__name__


# ----------------------------------------------------------------------------- exact changes


def test_known_edits_are_reported_exactly() -> None:
    """A copy of kinds.yaml with known edits yields exactly those changes, in table order."""
    old = Rulebook.model_validate(kinds_data())
    data = kinds_data()
    data["title"] = "every rule kind, revised"
    data["departments"][1]["name"] = "乙局（新）"
    data["catalogs"][0]["entries"][0]["duties"] = [{"title": "公开甲"}, {"title": "公开乙"}]
    indicator(data, "checks")["name"] = "检查项"
    indicator(data, "checks")["weight"] = Decimal(9)
    indicator(data, "checks")["weight_source"] = "assumed"
    item(data, "checks", "i1")["source"] = "1.甲，40%"
    item(data, "checks", "i2")["check"] = "b and a"
    indicator(data, "checks")["vetoes"][0]["when"] = "fake or not a"
    tiers = item(data, "tiers", "reply")["tiers"]
    tiers[1]["credit"] = "30%"
    tiers[0]["label"] = "当天"
    item(data, "levels", "form")["levels"]["credits"]["l1"] = "10%"
    item(data, "bands", "n")["bands"]["rows"].pop()
    item(data, "checklist", "feats")["checklist"][2]["when"] = "count(f) >= 4"
    deduct = item(data, "deduct", "subsites")["deduct"]
    deduct[0]["cap"] = "30%"
    indicator(data, "deduct")["deductions"] = []
    item(data, "given", "p")["given"]["out_of"] = Decimal(2)
    indicator(data, "given")["facts"][0]["ask"] = "评委打分（百分制）"
    indicator(data, "prop")["facts"][0]["type"] = "decimal"
    indicator(data, "listed")["applies"] = "'app1' in catalogs or department == '乙局'"
    indicator(data, "praise")["group"] = None
    indicator(data, "bands")["group"] = "g1"
    new = Rulebook.model_validate(data)

    assert rows(diff(old, new).changes) == [
        ("rulebook.title", (), "every rule kind", "every rule kind, revised", False),
        ("department.renamed", ("departments", "b"), "乙局", "乙局（新）", False),
        (
            "catalog_entry.duties",
            ("catalogs", "app1", "entries", "a"),
            [{"title": "公开甲"}],
            [{"title": "公开甲"}, {"title": "公开乙"}],
            True,
        ),
        ("indicator.renamed", ("indicators", "checks"), "检查", "检查项", False),
        ("indicator.weight", ("indicators", "checks"), "10", "9", True),
        ("indicator.weight_source", ("indicators", "checks"), "stated", "assumed", False),
        ("item.source", ("indicators", "checks", "items", "i1"), "1.甲，50%", "1.甲，40%", False),
        ("item.check", ("indicators", "checks", "items", "i2"), "b", "b and a", True),
        ("veto.when", ("indicators", "checks", "vetoes", "v"), "fake", "fake or not a", True),
        ("tier.label", ("indicators", "tiers", "items", "reply", "tiers", 0), None, "当天", False),
        ("tier.credit", ("indicators", "tiers", "items", "reply", "tiers", 1), "20%", "30%", True),
        (
            "level.credit",
            ("indicators", "levels", "items", "form", "levels", "l1"),
            "20%",
            "10%",
            True,
        ),
        (
            "indicator.moved",
            ("indicators", "bands"),
            {"category": "base", "group": None},
            {"category": "base", "group": "g1"},
            False,
        ),
        (
            "band.removed",
            ("indicators", "bands", "items", "n", "bands", 2),
            {"min": 5, "credit": "40%"},
            None,
            True,
        ),
        ("fact.retyped", ("indicators", "prop", "facts", "passed"), "int", "decimal", True),
        (
            "checklist_entry.when",
            ("indicators", "checklist", "items", "feats", "checklist", "f3"),
            "count(f) >= 3",
            "count(f) >= 4",
            True,
        ),
        (
            "deduction.cap",
            ("indicators", "deduct", "items", "subsites", "deduct", "sub"),
            "20%",
            "30%",
            True,
        ),
        (
            "deduction.removed",
            ("indicators", "deduct", "deductions", "bad"),
            {"id": "bad", "count": "bad", "each": "50%"},
            None,
            True,
        ),
        (
            "fact.ask",
            ("indicators", "given", "facts", "panel"),
            "评委打分",
            "评委打分（百分制）",
            False,
        ),
        ("given.out_of", ("indicators", "given", "items", "p", "given"), "1", "2", True),
        (
            "indicator.applies",
            ("indicators", "listed"),
            "'app1' in catalogs",
            "'app1' in catalogs or department == '乙局'",
            True,
        ),
    ]


def test_added_removed_and_reordered_parts() -> None:
    """Adding, removing, re-ordering and re-homing parts are added/removed/moved changes."""
    old = Rulebook.model_validate(kinds_data())
    data = kinds_data()
    base = data["categories"][0]["indicators"]
    base[0], base[1] = base[1], base[0]  # tiers now comes before checks
    listed = base.pop()  # listed leaves the base category for the bonus one
    data["categories"][1]["indicators"].append(listed)
    indicator(data, "checks")["items"].append({"id": "i3", "share": "0%", "check": "a"})
    indicator(data, "checks")["facts"].pop(0)
    data["departments"].pop()
    data["categories"].pop()  # the penalty category and its indicator go
    new = Rulebook.model_validate(data)

    assert [(c.kind, c.path, c.affects_scores) for c in diff(old, new).changes] == [
        ("department.removed", ("departments", "b"), False),
        ("category.removed", ("categories", "pen"), True),
        ("indicator.removed", ("indicators", "notices"), True),
        ("indicator.moved", ("indicators", "tiers"), False),
        ("fact.removed", ("indicators", "checks", "facts", "a"), False),
        ("item.added", ("indicators", "checks", "items", "i3"), True),
        ("indicator.moved", ("indicators", "listed"), True),
    ]
    moved = diff(old, new).changes[3]
    assert (moved.old, moved.new) == (
        {"category": "base", "group": None, "position": 2},
        {"category": "base", "group": None, "position": 1},
    )


def test_an_extending_rulebook_diffs_as_its_edits() -> None:
    """The corpus child of kinds.yaml differs from it by exactly the edits it lists."""
    d = diff(load_rulebook(KINDS), load_rulebook(KINDS_2024))
    assert [(c.kind, c.where) for c in d.changes] == [
        ("rulebook.id", ""),
        ("rulebook.title", ""),
        ("rulebook.year", ""),
        ("department.added", "departments.c"),
        ("catalog_entry.added", "catalogs.app1.entries.c"),
        ("group.added", "categories.base.groups.g2"),
        ("indicator.weight", "indicators.checks"),
        ("item.share", "indicators.checks.items.i1"),
        ("item.share", "indicators.checks.items.i2"),
        ("veto.added", "indicators.checks.vetoes.both_missing"),
        ("indicator.added", "indicators.accessible"),
        ("derived.expr", "indicators.tiers.derived.in1"),
        ("indicator.moved", "indicators.bands"),
        ("band.max", "indicators.bands.items.n.bands.1"),
        ("band.min", "indicators.bands.items.n.bands.2"),
        ("item.rule", "indicators.prop.items.spot"),
        ("fact.ask", "indicators.deduct.facts.bad"),
        ("deduction.each", "indicators.deduct.items.msgs.deduct.late"),
        ("deduction.removed", "indicators.deduct.deductions.bad"),
    ]
    assert sum(c.affects_scores for c in d.changes) == 12
    rule = next(c for c in d.changes if c.kind == "item.rule")
    assert rule.old == {"proportion": {"passed": "passed", "checked": "checked"}}
    assert rule.new == {"tiers": [{"when": "checked > 0 and passed == checked", "credit": "100%"}]}


# ----------------------------------------------------------------------------- renderers


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_renderings_carry_every_change() -> None:
    """Text, Markdown and JSON each show every change; JSON round-trips the records."""
    d = diff(load_rulebook(KINDS), load_rulebook(KINDS_2024))
    text = diff_text(d)
    assert text.splitlines()[0] == "kinds → kinds-2024: 19 change(s), 12 affect scores"
    assert "  ~ 检查 (checks)  indicator.weight: 10 → 8  [score]" in text
    assert (
        "  - 扣分 (deduct) › deductions › bad  deduction.removed: count bad, each 50%  [score]"
        in text
    )
    md = diff_markdown(d)
    assert "| Indicators | 1 | 0 | 2 | 2 |" in md
    assert "| 检查 (checks) | `indicator.weight` | 10 | 8 | yes |" in md
    assert (
        md.count("\n| ") == 1 + 7 + 7 + 19
    )  # table headings, summary rows, section headings, changes
    data = json.loads(diff_json(d))
    assert data["wzeval"] == "diff/1" and data["movements"] == []
    assert [
        Change(c["kind"], tuple(c["path"]), c["old"], c["new"], c["affects_scores"])
        for c in data["changes"]
    ] == list(d.changes)
    assert data["summary"]["affect_scores"] == 12


def test_renderings_speak_chinese_by_default() -> None:
    """Text and Markdown in Chinese by default: counts, section names, columns and the score
    mark; change kinds, ids and values stay as they are, and the JSON is the same JSON."""
    d = diff(load_rulebook(KINDS), load_rulebook(KINDS_2024))
    lines = diff_text(d).splitlines()
    assert lines[0] == "kinds → kinds-2024：共 19 处改动，其中 12 处影响得分"
    assert "指标：" in lines and "  ~ 检查（checks）  indicator.weight：10 → 8  [影响得分]" in lines
    assert (
        "  - 扣分（deduct） › deductions › bad  deduction.removed：count bad, each 50%  [影响得分]"
        in lines
    )
    md = diff_markdown(d).splitlines()
    assert md[:3] == [
        "## 规则集对比：`kinds` → `kinds-2024`",
        "",
        "**共 19 处改动，其中 12 处影响得分。**",
    ]
    assert "| 部分 | 新增 | 删除 | 修改 | 影响得分 |" in md and "| 指标 | 1 | 0 | 2 | 2 |" in md
    assert "### 指标" in md and "| 位置 | 改动 | 原值 | 新值 | 影响得分 |" in md
    assert "| 检查（checks） | `indicator.weight` | 10 | 8 | 是 |" in md
    chinese = diff_json(d)
    with speaking("en"):
        assert diff_json(d) == chinese


# ----------------------------------------------------------------------------- movements


def direct_score(rb: Rulebook, *, partial: bool) -> wzeval.ScoreReport:
    data = load_document(FINDINGS).data
    assert isinstance(data, dict)
    data = {**data, "rulebook": rb.id}
    return wzeval.evaluate(rb, load_findings(data, rb, partial=partial), partial=partial)


def test_movements_equal_scoring_under_both_rulebooks() -> None:
    """Each movement's totals and indicator points are those of scoring under each rulebook."""
    old, new = load_rulebook(KINDS), load_rulebook(KINDS_2024)
    (m,) = score_movements(old, new, [FINDINGS])
    before, after = direct_score(old, partial=False), direct_score(new, partial=True)
    assert (m.old_total, m.new_total, m.delta) == (
        before.total,
        after.total,
        after.total - before.total,
    )
    assert m.delta != 0 and m.department == "甲局"
    expected = {
        r.id: after.indicator(r.id).points - r.points
        for r in before.indicators
        if after.indicator(r.id).points != r.points
    }
    assert {i.id: i.delta for i in m.indicators} == expected
    assert {i.id for i in m.indicators} == {"checks", "bands", "prop", "deduct"}
    assert (m.old_partial, m.new_partial, m.not_assessed) == (False, True, ("accessible",))


def test_movements_without_new_facts_are_scored_fully() -> None:
    """A weight shift needs no new facts: both sides are scored in full, deltas match."""
    data = kinds_data()
    indicator(data, "checks")["weight"] = Decimal(5)
    indicator(data, "tiers")["weight"] = Decimal(15)
    data["id"] = "kinds-shifted"
    new = Rulebook.model_validate(data)
    compiled(new)
    old = load_rulebook(KINDS)
    (m,) = score_movements(old, new, [FINDINGS])
    assert not m.old_partial and not m.new_partial and m.dropped == ()
    after = direct_score(new, partial=False)
    assert m.new_total == after.total
    assert [(i.id, i.old, i.new) for i in m.indicators] == [
        ("checks", old.indicator("checks").weight / 2, after.indicator("checks").points),
        (
            "tiers",
            direct_score(old, partial=False).indicator("tiers").points,
            after.indicator("tiers").points,
        ),
    ]


def test_facts_unknown_to_the_new_rulebook_are_left_out_and_listed() -> None:
    """Findings for a removed indicator are dropped (and named) rather than refused."""
    data = kinds_data()
    data["categories"][-1]["indicators"][0]["deductions"].pop()  # prov leaves notices
    data["categories"][-1]["indicators"][0]["facts"].pop()
    data["id"] = "kinds-less"
    new = Rulebook.model_validate(data)
    old = load_rulebook(KINDS)
    (m,) = score_movements(old, new, [FINDINGS])
    assert m.dropped == ("notices.prov",)
    prov = direct_score(old, partial=False).indicator("notices").points  # 3 × 5% × -4
    assert [(i.id, i.old, i.new, i.delta) for i in m.indicators] == [
        ("notices", prov, Fraction(0), -prov)
    ]


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_rendered_movements_say_when_scoring_was_partial() -> None:
    """The Markdown movement table shows totals and names what was not assessed."""
    old, new = load_rulebook(KINDS), load_rulebook(KINDS_2024)
    movements = score_movements(old, new, [FINDINGS])
    md = diff_markdown(diff(old, new), movements)
    assert "### Score movements" in md
    assert "| 甲局 | `" in md and "| 79.60 | 70.30 | -9.30 |" in md
    assert (
        "scored partially under the new rulebook; not assessed for lack of facts: accessible" in md
    )
    assert json.loads(diff_json(diff(old, new), movements))["movements"][0]["delta"] == "-9.3"


def test_rendered_movements_in_chinese() -> None:
    """The movements in Chinese by default, in the text and the Markdown."""
    old, new = load_rulebook(KINDS), load_rulebook(KINDS_2024)
    movements = score_movements(old, new, [FINDINGS])
    text = diff_text(diff(old, new), movements).splitlines()
    start = text.index("得分变化：")
    assert text[start + 1] == (
        f"  甲局（{FINDINGS}）：79.60 → 70.30（-9.30） — 按新规则集部分计分；"
        "因缺少事实未评估：accessible"
    )
    md = diff_markdown(diff(old, new), movements)
    assert "\n### 得分变化\n\n| 部门 | 评估记录 | 原总分 | 新总分 | 改动 | 得分变化的指标 |\n" in md
    assert "| 甲局 | `" in md and "| 79.60 | 70.30 | -9.30 |" in md


# ----------------------------------------------------------------------------- diff_files


def test_diff_files_renders_and_flags_score_changes() -> None:
    """diff_files returns the rendering and whether anything can move scores."""
    text, moved, issues = diff_files(KINDS, KINDS_2024, fmt="markdown", findings=[FINDINGS])
    assert text is not None and text.startswith("## 规则集对比：`kinds` → `kinds-2024`")
    assert moved and issues == []
    text, moved, issues = diff_files(KINDS, KINDS)
    assert text is not None and not moved


def test_diff_files_returns_the_issues_of_an_invalid_rulebook(tmp_path: Path) -> None:
    """An unreadable or invalid rulebook or findings file gives no text, only its issues."""
    text, moved, issues = diff_files(KINDS, tmp_path / "missing.yaml")
    assert text is None and not moved and [i.code for i in issues] == ["WZ110"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(KINDS.read_text(encoding="utf-8").replace("weight: 11", "weight: 12"))
    text, moved, issues = diff_files(KINDS, broken)
    assert text is None and [i.code for i in issues] == ["WZ203"]
    text, moved, issues = diff_files(KINDS, KINDS, findings=[tmp_path / "nope.yaml"])
    assert text is None and [i.code for i in issues] == ["WZ110"]
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n", encoding="utf-8")
    text, moved, issues = diff_files(KINDS, KINDS, findings=[listed])
    assert text is None and [(i.code, str(i.position)) for i in issues] == [
        ("WZ401", f"{listed}:1:1")
    ]


# ----------------------------------------------------------------------------- the worked example

DRAFT = ROOT / "rulebooks" / "examples" / "2024-draft.yaml"
DRAFT_DIFF = ROOT / "rulebooks" / "examples" / "2024-draft.diff.md"
RULEBOOK_2023 = ROOT / "rulebooks" / "2023.yaml"


def test_worked_example_validates_and_has_no_lint_errors() -> None:
    """rulebooks/examples/2024-draft.yaml loads without issues and lint finds no errors."""
    from wzeval.analysis._lint import lint_file

    rb, issues = read_rulebook(DRAFT)
    assert rb is not None and issues == []
    assert [i.format() for i in lint_file(DRAFT) if i.severity == "error"] == []


def test_worked_example_diff_is_fresh() -> None:
    """2024-draft.diff.md is diff_markdown of 2023 → the draft, as committed."""
    fresh = diff_markdown(diff(load_rulebook(RULEBOOK_2023), load_rulebook(DRAFT)))
    assert DRAFT_DIFF.read_text(encoding="utf-8") == fresh, (
        "regenerate: wzeval diff rulebooks/2023.yaml rulebooks/examples/2024-draft.yaml "
        "--format markdown -o rulebooks/examples/2024-draft.diff.md --force"
    )


def test_worked_example_makes_the_documented_changes() -> None:
    """The draft's score-affecting changes are exactly the four its header describes."""
    d = diff(load_rulebook(RULEBOOK_2023), load_rulebook(DRAFT))
    scoring = [c for c in d.changes if c.affects_scores]
    assert [(c.kind, c.where) for c in scoring] == [
        ("category.weight", "categories.banshi_fuwu"),
        ("category.weight", "categories.gongneng_yingyong"),
        ("indicator.removed", "indicators.yihao_denglu"),
        ("indicator.weight", "indicators.dongtai_yaowen"),
        ("derived.expr", "indicators.dongtai_yaowen.derived.column_stale"),
        ("indicator.weight", "indicators.zhengce_wenjian"),
        ("indicator.added", "indicators.yiwang_tongban"),
        ("veto.added", "indicators.zaixian_zixun.vetoes.personal_info_leak"),
        ("indicator.weight", "indicators.jiyuehua_pingtai"),
    ]
    values = [(c.old, c.new) for c in scoring]
    assert [values[i] for i in (0, 1, 3, 5, 8)] == [
        ("10", "12"),
        ("16", "14"),
        ("3", "4"),
        ("4", "3"),
        ("5", "4"),
    ]
    assert values[4] == (
        "days_between(last_updated, monitoring_date) > 14",
        "days_between(last_updated, monitoring_date) > 7",
    )
    added = scoring[6].new
    assert (added["category"], added["name"], added["weight"]) == (
        "banshi_fuwu",
        "政务服务“一网通办”",
        "2",
    )
    assert scoring[7].new == {
        "id": "personal_info_leak",
        "when": "reply_leaks_personal_info",
        "label": "泄露留言人个人信息",
        "source": "（2024年新增）答复或公开的网民留言泄露留言人个人信息的，该指标不得分。",
    }
