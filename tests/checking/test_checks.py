"""Whole-rulebook checks: every problem reported at once, each at its file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import TESTS

import wzeval
from wzeval.core._issues import Issue

CORPUS = TESTS / "corpus"
BASE = (CORPUS / "check.yaml").read_text(encoding="utf-8")


def issues_of(text: str, tmp_path: Path) -> list[Issue]:
    f = tmp_path / "rb.yaml"
    f.write_text(text, encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    return issues


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_corpus_rulebooks_are_clean() -> None:
    """Every corpus rulebook loads without any issue."""
    for f in sorted(CORPUS.glob("*.yaml")):
        rb, issues = wzeval.read_rulebook(f)
        assert rb is not None, [i.format() for i in issues]
        assert issues == []


def test_shares_must_add_to_100(tmp_path: Path) -> None:
    """Shares 50% + 40% → WZ204 at the indicator's items list."""
    text = BASE.replace("{id: noise_free, share: 50%", "{id: noise_free, share: 40%")
    (issue,) = issues_of(text, tmp_path)
    assert issue.code == "WZ204" and "90%" in issue.message
    assert issue.position is not None and issue.position.line == line_of(
        text, "- {id: standard, share"
    )


def test_weights_must_add_to_category(tmp_path: Path) -> None:
    """An indicator weight change breaks its category total (WZ203 at the category weight)."""
    text = BASE.replace("weight: 10\n", "weight: 12\n", 1)
    (issue,) = issues_of(text, tmp_path)
    assert issue.code == "WZ203" and "102" in issue.message
    assert issue.position is not None and issue.position.line == line_of(text, "weight: 100")


def test_duplicate_ids(tmp_path: Path) -> None:
    """A second indicator with the same id is reported at that id, naming the first."""
    text = BASE.replace("id: filler", "id: subject")
    found = [i for i in issues_of(text, tmp_path) if i.code == "WZ202"]
    assert len(found) == 1
    assert found[0].position is not None
    lines = [i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == "- id: subject"]
    assert found[0].position.line == lines[1]


def test_unknown_name_in_expression_points_inside_it(tmp_path: Path) -> None:
    """check: standrd → WZ302 with did-you-mean, column at the name inside the expression."""
    text = BASE.replace("check: standard}", "check: standrd}")
    (issue,) = issues_of(text, tmp_path)
    assert issue.code == "WZ302" and issue.hint is not None and "standard" in issue.hint
    ln = line_of(text, "check: standrd")
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == (
        ln,
        text.splitlines()[ln - 1].index("standrd") + 1,
    )


def test_condition_must_be_boolean(tmp_path: Path) -> None:
    """A veto condition of type int is rejected (WZ304)."""
    text = BASE.replace(
        "- {id: fake, type: bool, ask: 突击发布或弄虚作假？}",
        "- {id: fake, type: int, min: 0, ask: 次数}",
    )
    (issue,) = issues_of(text, tmp_path)
    assert issue.code == "WZ304"


def test_unsafe_expression_is_rejected(tmp_path: Path) -> None:
    """Attribute access in a rule is refused when the rulebook loads."""
    text = BASE.replace("check: standard}", "check: standard.__class__}")
    (issue,) = issues_of(text, tmp_path)
    assert issue.code.startswith("WZ3")


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    """A misspelt key (shar) is WZ201 'unknown key' at the key, plus the missing 'share'."""
    text = BASE.replace("{id: standard, share: 50%", "{id: standard, shar: 50%")
    found = issues_of(text, tmp_path)
    msgs = sorted(i.message for i in found)
    assert "missing required key 'share'" in msgs
    assert "unknown key 'shar'" in msgs
    unknown = next(i for i in found if i.message == "unknown key 'shar'")
    assert unknown.position is not None
    assert unknown.position.line == line_of(text, "shar: 50%")


def test_bare_number_amount_is_refused(tmp_path: Path) -> None:
    """share: 0.5 is ambiguous and refused with the accepted forms in the message."""
    text = BASE.replace("{id: standard, share: 50%", "{id: standard, share: 0.5")
    found = issues_of(text, tmp_path)
    assert any("'50%'" in i.message for i in found)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("credits: {上级名单: 6%", "credits: {上级: 6%", "WZ207"),
        ("高级查询: 30%}", "高级查询: 35%}", "WZ205"),
    ],
)
def test_levels_checks(tmp_path: Path, old: str, new: str, code: str) -> None:
    """Levels must key every enum option and stay within the item's share."""
    text = (CORPUS / "levels.yaml").read_text(encoding="utf-8").replace(old, new)
    codes = [i.code for i in issues_of(text, tmp_path)]
    assert code in codes


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    """Three independent mistakes give three issues in one pass."""
    text = (
        BASE.replace("check: standard}", "check: standrd}")
        .replace("{id: noise_free, share: 50%", "{id: noise_free, share: 40%")
        .replace("id: filler", "id: subject")
    )
    codes = sorted(i.code for i in issues_of(text, tmp_path))
    assert codes == ["WZ202", "WZ204", "WZ302"]


def test_cap_above_item_share(tmp_path: Path) -> None:
    """A deduction capped above its item's share is WZ205."""
    text = (CORPUS / "deduct.yaml").read_text(encoding="utf-8").replace("cap: 20%", "cap: 25%")
    assert [i.code for i in issues_of(text, tmp_path)] == ["WZ205"]


def test_levels_on_a_nullable_enum_is_refused(tmp_path: Path) -> None:
    """A null level would score 0 silently, so levels may not read a nullable enum (WZ207)."""
    text = (CORPUS / "levels.yaml").read_text(encoding="utf-8")
    text = text.replace("ask: 查询服务形式,", "ask: 查询服务形式, nullable: true,")
    codes = [i.code for i in issues_of(text, tmp_path)]
    assert codes == ["WZ207"]
