"""The building blocks of rulebook models: amounts, numbers, ids, expressions, texts,
and the two rules every level shares (vetoes and per-occurrence deductions).

They live below :mod:`wzeval.model._models` and :mod:`wzeval.kinds` so that a rule kind can
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
    model_validator,
)

from wzeval.core._i18n import _
from wzeval.expressions import bidi_control_offset, char_name
from wzeval.reading._yamlcore import MAX_DECIMAL_EXPONENT, MAX_NUMBER_LENGTH

__all__ = [
    "AMOUNT_PATTERN",
    "IDENT_PATTERN",
    "POINTS_PATTERN",
    "Amount",
    "Deduction",
    "Expr",
    "Ident",
    "Label",
    "Number",
    "Points",
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


class Points(Fraction):
    """An amount written in points (``"5分"``) rather than as a share of the weight.

    Only deductions take points; the indicator turns them into shares of its own
    weight when it is read (:class:`wzeval.model._models.Indicator`), so nothing downstream
    sees a ``Points`` — and a changed weight keeps "扣5分" at 5 points."""


_POINTS_RE = re.compile(r"^\s*(\d+(\.\d+)?)\s*分\s*$")


def parse_amount(value: object) -> Fraction:
    """Parse ``"50%"`` or ``"1/9"`` into an exact fraction of the weight, or ``"5分"`` into
    :class:`Points`.

    Bare numbers are refused on purpose: ``0.5`` and ``50`` would both be
    plausible readings of "half", and a rulebook must not be ambiguous.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and len(value) > MAX_NUMBER_LENGTH:
        raise ValueError(_("an amount has at most {n} characters").format(n=MAX_NUMBER_LENGTH))
    if isinstance(value, str) and _AMOUNT_RE.match(value):
        text = value.strip()
        if text.endswith("%"):
            return Fraction(Decimal(text[:-1])) / 100
        return Fraction(text)
    if isinstance(value, str) and (m := _POINTS_RE.match(value)):
        return Points(Decimal(m.group(1)))
    raise ValueError(
        _(
            "an amount must be a percentage like '50%', a fraction like '1/9' or, for a "
            "deduction, points like '5分' (got {value!r})"
        ).format(value=value)
    )


def format_amount(value: Fraction) -> str:
    """Render an amount the way rulebooks write it: ``50%`` when exact, else ``a/b``
    (``5分`` for points)."""
    if isinstance(value, Points):
        dec = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{dec.normalize():f}分"
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    dec = Decimal(pct.numerator) / Decimal(pct.denominator)
    if Fraction(dec) == pct:
        return f"{dec.normalize():f}%"
    return f"{value.numerator}/{value.denominator}"


#: A deduction's amount: a share as for every amount, or points of the weight ("5分").
POINTS_PATTERN = r"^\s*\d+(\.\d+)?\s*分\s*$"


def _share(value: object) -> Fraction:
    amount = parse_amount(value)
    if isinstance(amount, Points):
        raise ValueError(
            _(
                "only a deduction's each and cap may be points (got {value!r}); write a share of "
                "the weight such as '50%'"
            ).format(value=value)
        )
    return amount


Amount = Annotated[
    Fraction,
    BeforeValidator(_share),
    PlainSerializer(format_amount, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "description": "a share of the indicator's weight: '50%' or '1/9'",
        }
    ),
]


DeductionAmount = Annotated[
    Fraction,
    BeforeValidator(parse_amount),
    PlainSerializer(format_amount, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "anyOf": [{"pattern": AMOUNT_PATTERN}, {"pattern": POINTS_PATTERN}],
            "description": "a share of the indicator's weight ('5%', '1/9') or points ('5分')",
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
            _("a number here has at most {n} digits and lies between 1e-{exp} and 1e{exp}").format(
                n=MAX_NUMBER_LENGTH, exp=MAX_DECIMAL_EXPONENT
            )
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
            _(
                "the bidirectional control {name} (character {n} of the text) may make it "
                "read differently from what it says; remove it"
            ).format(name=char_name(value[at]), n=at + 1)
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
        None,
        description="the rulebook's ruling that closed a gap in the source table, with a note; "
        "shown in reports, so written in the evaluators' language",
    )
    ruling_en: Text | None = Field(
        None, description="the same ruling in English, for rulebook authors (never in reports)"
    )


class Deduction(Sourced):
    """A per-occurrence deduction: ``count × each``, stopped at ``cap``.

    Inside an item the cap defaults to the item's share; at indicator level the
    indicator cannot go below 0 ("扣完为止"); in a penalty indicator the
    deductions together cannot pass the (negative) weight.
    """

    id: Ident
    count: Expr | None = Field(None, description="how many occurrences (a whole number ≥ 0)")
    when: Expr | None = Field(
        None, description="instead of count: one occurrence when this condition holds, else none"
    )
    each: DeductionAmount
    cap: DeductionAmount | None = None
    label: Label | None = None

    @model_validator(mode="after")
    def _one_count(self) -> Deduction:
        if (self.count is None) == (self.when is None):
            raise ValueError(_("a deduction needs either count: (how many) or when: (a condition)"))
        return self

    @property
    def counted(self) -> str:
        """The expression of its count: ``count``, or ``1 if (when) else 0``."""
        return self.count if self.count is not None else f"1 if ({self.when}) else 0"


class Veto(Sourced):
    """A condition that zeroes the whole indicator (or, inside an item, that item)."""

    id: Ident
    when: Expr
    label: Label | None = None
