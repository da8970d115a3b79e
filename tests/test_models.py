"""Rulebook models: amounts are exact and unambiguous; each item has exactly one rule."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from pydantic import ValidationError

from wzeval.models import Fact, Item, format_amount, parse_amount


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
    with pytest.raises(ValidationError, match="exactly one credit rule"):
        Item.model_validate(
            {"id": "a", "share": "50%", "check": "x", "given": {"value": "y", "out_of": 1}}
        )
    with pytest.raises(ValidationError, match="exactly one credit rule"):
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
