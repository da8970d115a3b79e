"""Rulebook models: amounts are exact and unambiguous; each item has exactly one rule."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
from pydantic import ValidationError
from support.bounds import measure, run_cli
from support.paths import TESTS

import wzeval
from wzeval.core._i18n import speaking
from wzeval.core._issues import Issue
from wzeval.model._models import Fact, Item, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [("50%", F(1, 2)), ("12.5%", F(1, 8)), ("1/9", F(1, 9)), (" 5% ", F(1, 20)), ("0%", F(0))],
)
def test_amounts_parse_exactly(text: str, value: F) -> None:
    """Percentages and fractions become exact fractions of the weight."""
    assert parse_amount(text) == value


@pytest.mark.parametrize("bad", [0.5, 50, "50", "half", "1/0", "-5%", "5 %"])
def test_ambiguous_amounts_are_refused(bad: object) -> None:
    """Bare numbers and malformed text are refused rather than guessed."""
    with pytest.raises(ValueError):
        parse_amount(bad)


def test_format_amount_round_trips() -> None:
    """format_amount writes what parse_amount reads back."""
    for v in (F(1, 2), F(1, 9), F(3, 40), F(1), F(30, 7 * 100)):
        assert parse_amount(format_amount(v)) == v


def test_item_needs_exactly_one_rule() -> None:
    """An item with two credit rules (or none) is a schema error naming the rules."""
    with pytest.raises(ValidationError, match="有且只有一种计分规则"):
        Item.model_validate(
            {"id": "a", "share": "50%", "check": "x", "given": {"value": "y", "out_of": 1}}
        )
    with speaking("en"), pytest.raises(ValidationError, match="exactly one credit rule"):
        Item.model_validate({"id": "a", "share": "50%"})


def test_fact_shape_rules() -> None:
    """An enum needs options; list needs 'of'; records needs 'fields'; min/max only on numbers."""
    with pytest.raises(ValidationError, match="options"):
        Fact.model_validate({"id": "f", "type": "enum", "ask": "?"})
    with pytest.raises(ValidationError, match="'of'"):
        Fact.model_validate({"id": "f", "type": "list", "ask": "?"})
    with pytest.raises(ValidationError, match="fields"):
        Fact.model_validate({"id": "f", "type": "records", "ask": "?"})
    with pytest.raises(ValidationError, match="min"):
        Fact.model_validate({"id": "f", "type": "bool", "ask": "?", "min": 0})


def test_unknown_keys_are_errors() -> None:
    """A misspelt key is refused, never silently ignored."""
    with pytest.raises(ValidationError, match="shar"):
        Item.model_validate({"id": "a", "shar": "50%", "check": "x"})


# ------------------------------------------ ids and texts: compatibility and bidi characters

CHECK_RULEBOOK = (TESTS / "corpus" / "check.yaml").read_text(encoding="utf-8")


def _rulebook_issues(text: str, tmp_path: Path) -> list[Issue]:
    f = tmp_path / "rb.yaml"
    f.write_text(text, encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    return issues


def _line_col(text: str, needle: str) -> tuple[int, int]:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "at"),
    [
        ("- id: subject", "- id: ｓｕｂｊｅｃｔ", "ｓｕｂｊｅｃｔ"),  # indicator id
        ("{id: standard, share", "{id: \U0001d42cstandard, share", "\U0001d42cstandard"),  # item
        ("{id: fake, type", "{id: ﬁake, type", "ﬁake"),  # fact id, U+FB01 LATIN SMALL LIGATURE FI
        ("{id: a, name: 甲局}", "{id: ａ, name: 甲局}", "ａ"),  # department id
    ],
)
def test_ids_are_ascii_so_compatibility_characters_are_refused(
    old: str, new: str, at: str, tmp_path: Path
) -> None:
    """Ids are restricted to ASCII by their patterns: never folded, always a schema error."""
    text = CHECK_RULEBOOK.replace(old, new, 1)
    issues, used = measure(lambda: _rulebook_issues(text, tmp_path))
    used.assert_within()
    (issue,) = [
        i for i in issues if i.position is not None and i.position.line == _line_col(text, at)[0]
    ]
    assert issue.code == "WZ201"
    assert (issue.position.line, issue.position.col) == _line_col(text, at)


@pytest.mark.parametrize("code_point", [0x202E, 0x2067, 0x200F, 0x061C])
def test_bidi_controls_in_rulebook_texts_are_refused(code_point: int, tmp_path: Path) -> None:
    """A name or title is shown to the reviewer: a bidi control there is a schema error."""
    bad = f"机构{chr(code_point)}职能"
    text = CHECK_RULEBOOK.replace("name: 机构职能", f"name: {bad}", 1)
    issues, used = measure(lambda: _rulebook_issues(text, tmp_path))
    used.assert_within()
    (issue,) = issues
    assert issue.code == "WZ201"
    assert f"U+{code_point:04X}" in issue.message and "文本的第 3 个字符" in issue.message
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == _line_col(text, bad)


def test_full_width_punctuation_stays_allowed_in_texts(tmp_path: Path) -> None:
    """Compatibility characters in Chinese text (（）：，) are ordinary text."""
    text = CHECK_RULEBOOK.replace("name: 机构职能", "name: 机构职能（含：机构设置，职能）", 1)
    f = tmp_path / "rb.yaml"
    f.write_text(text, encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is not None and issues == []


def test_bidi_control_in_a_title_via_cli(tmp_path: Path) -> None:
    """validate: exit 1 and WZ201 at the title's file:line:col, no traceback."""
    text = CHECK_RULEBOOK.replace("title: corpus check", "title: corpus \u202echeck", 1)
    f = tmp_path / "rb.yaml"
    f.write_text(text, encoding="utf-8")
    run = run_cli(["validate", f])
    run.used.assert_within()
    line, col = _line_col(text, "corpus \u202echeck")
    assert run.returncode == 1, run.stderr
    assert f"rb.yaml:{line}:{col}" in run.stdout + run.stderr
    assert "WZ201" in run.stdout and "U+202E" in run.stdout
    assert "Traceback" not in run.stderr


def test_bidi_control_in_an_enum_option_is_refused() -> None:
    """Options are shown and compared as text: a bidi control there is refused too."""
    with pytest.raises(ValidationError, match="U\\+202E"):
        Fact(id="form", type="enum", ask="?", options=["own", "ab\u202ec"])
    assert Fact(id="form", type="enum", ask="?", options=["自建（含：子站）"]).options
