"""The building blocks of rulebook models: amounts, numbers, ids, expressions, texts,
and the two rules every level shares (vetoes and per-occurrence deductions).

They live below :mod:`wzeval.models` and :mod:`wzeval.kinds` so that a rule kind can
declare its own model from them while the item model is assembled from the kinds.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from wzeval.expressions import bidi_control_offset, char_name
from wzeval.loader import MAX_DECIMAL_EXPONENT, MAX_NUMBER_LENGTH

__all__ = [
    "AMOUNT_PATTERN",
    "IDENT_PATTERN",
    "Amount",
    "Deduction",
    "Expr",
    "Ident",
    "Label",
    "Number",
    "Sourced",
    "StrictModel",
    "Text",
    "Veto",
    "format_amount",
    "parse_amount",
]

#: An amount is a percentage (``50%``, ``12.5%``) or an exact fraction (``1/9``).
AMOUNT_PATTERN = r"^\s*(\d+(\.\d+)?%|\d+/[1-9]\d*)\s*$"
_AMOUNT_RE = re.compile(AMOUNT_PATTERN)
IDENT_PATTERN = r"^[a-z][a-z0-9_]*$"


def parse_amount(value: object) -> Fraction:
    """Parse ``"50%"`` or ``"1/9"`` into an exact fraction of the weight.

    Bare numbers are refused on purpose: ``0.5`` and ``50`` would both be
    plausible readings of "half", and a rulebook must not be ambiguous.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and len(value) > MAX_NUMBER_LENGTH:
        raise ValueError(f"an amount has at most {MAX_NUMBER_LENGTH} characters")
    if isinstance(value, str) and _AMOUNT_RE.match(value):
        text = value.strip()
        if text.endswith("%"):
            return Fraction(Decimal(text[:-1])) / 100
        return Fraction(text)
    raise ValueError(
        f"an amount must be a percentage like '50%' or a fraction like '1/9' (got {value!r})"
    )


def format_amount(value: Fraction) -> str:
    """Render an amount the way rulebooks write it: ``50%`` when exact, else ``a/b``."""
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    dec = Decimal(pct.numerator) / Decimal(pct.denominator)
    if Fraction(dec) == pct:
        return f"{dec.normalize():f}%"
    return f"{value.numerator}/{value.denominator}"


Amount = Annotated[
    Fraction,
    BeforeValidator(parse_amount),
    PlainSerializer(format_amount, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "description": "a share of the indicator's weight: '50%' or '1/9'",
        }
    ),
]


def _bounded_number(value: Decimal) -> Decimal:
    """Keep a number small enough for exact arithmetic (the loader's limits, also for
    numbers written as text, e.g. ``weight: "1e999999999"``)."""
    if value and (
        abs(value.adjusted()) > MAX_DECIMAL_EXPONENT
        or len(value.as_tuple().digits) > MAX_NUMBER_LENGTH
    ):
        raise ValueError(
            f"a number here has at most {MAX_NUMBER_LENGTH} digits and lies between "
            f"1e-{MAX_DECIMAL_EXPONENT} and 1e{MAX_DECIMAL_EXPONENT}"
        )
    return value


#: A decimal number of a rulebook (weights, min/max, out_of), bounded in size.
Number = Annotated[Decimal, AfterValidator(_bounded_number)]

Ident = Annotated[
    str,
    Field(pattern=IDENT_PATTERN, max_length=64, description="a stable ASCII id"),
]
Expr = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="a wzeval expression"),
]


def _no_bidi_controls(value: str) -> str:
    """Refuse bidirectional controls in rulebook text: a title or hint is shown to the
    reviewer, and an override would make it read differently (Trojan Source).
    Full-width Chinese punctuation and other compatibility characters stay allowed."""
    at = bidi_control_offset(value)
    if at is not None:
        raise ValueError(
            f"the bidirectional control {char_name(value[at])} (character {at + 1} of "
            "the text) may make it read differently from what it says; remove it"
        )
    return value


#: Rulebook text shown to people (names, titles, labels, notes): no bidi controls.
Label = Annotated[str, AfterValidator(_no_bidi_controls)]
Text = Annotated[str, Field(max_length=4000), AfterValidator(_no_bidi_controls)]


class StrictModel(BaseModel):
    """Strict, frozen, no unknown keys: a typo in a rulebook is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Sourced(StrictModel):
    """Something that encodes a sentence of the source table."""

    source: Text | None = Field(None, description="the source table's wording this rule encodes")
    ruling: Text | None = Field(
        None, description="the rulebook's ruling that closed a gap in the source table, with a note"
    )


class Deduction(Sourced):
    """A per-occurrence deduction: ``count × each``, stopped at ``cap``.

    Inside an item the cap defaults to the item's share; at indicator level the
    indicator cannot go below 0 ("扣完为止"); in a penalty indicator the
    deductions together cannot pass the (negative) weight.
    """

    id: Ident
    count: Expr
    each: Amount
    cap: Amount | None = None
    label: Label | None = None


class Veto(Sourced):
    """A condition that zeroes the whole indicator (or, inside an item, that item)."""

    id: Ident
    when: Expr
    label: Label | None = None
