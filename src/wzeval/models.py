"""The rulebook as typed data (pydantic v2).

A rulebook is a tree: level-1 **categories** (政府信息公开 …), optional level-2
**groups** inside them, and **indicators** (the 三级指标).  An indicator declares
the **facts** an evaluator records, **derived** facts computed from them, the
**items** (percentage sub-items of 评分细则) that make up its weight, **vetoes**
and indicator-level **deductions**.

Units.  Every amount in a rulebook — an item's ``share``, a tier's ``credit``,
a deduction's ``each`` and ``cap`` — is a fraction *of the indicator's weight*,
written the way the source table writes it (``"50%"``, ``"5%"``) or as an exact
fraction (``"1/9"``).  That keeps each number beside the seed sentence it
encodes ("每个扣权重的 5%" is ``each: 5%``), and it means a rulebook never
carries a binary float: amounts are :class:`fractions.Fraction` from the start.

The models check shape only (types, required keys, one credit rule per item).
Whole-rulebook checks — unique ids, weights adding up, expressions naming
declared facts with fitting types — live in :mod:`wzeval.checks`, so that they
can report every problem at once with its position.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)

from wzeval.expressions import bidi_control_offset, char_name
from wzeval.loader import MAX_DECIMAL_EXPONENT, MAX_NUMBER_LENGTH

__all__ = [
    "AMOUNT_PATTERN",
    "Amount",
    "Band",
    "Bands",
    "Catalog",
    "CatalogEntry",
    "Category",
    "ChecklistEntry",
    "Deduction",
    "Department",
    "Derived",
    "Duty",
    "Fact",
    "Given",
    "Group",
    "Indicator",
    "Item",
    "Levels",
    "Proportion",
    "Rulebook",
    "Tier",
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


class _Model(BaseModel):
    """Strict, frozen, no unknown keys: a typo in a rulebook is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class _Sourced(_Model):
    """Something that encodes a sentence of the source table."""

    source: Text | None = Field(None, description="the source table's wording this rule encodes")
    ruling: Text | None = Field(
        None, description="the rulebook's ruling that closed a gap in the source table, with a note"
    )


# --------------------------------------------------------------------------- facts

ScalarKind = Literal["bool", "int", "decimal", "date", "datetime", "str", "enum"]
FactKind = Literal["bool", "int", "decimal", "date", "datetime", "str", "enum", "list", "records"]


class Fact(_Model):
    """Something an evaluator observes and records in the findings."""

    id: Ident
    type: FactKind
    ask: Text = Field(description="the question the evaluator answers, in the seed's words")
    options: list[Label] | None = Field(
        None, description="for enum: the allowed values, ordered from lowest to highest"
    )
    of: Literal["bool", "int", "decimal", "date", "str"] | None = Field(
        None, description="for list: the element type"
    )
    fields: dict[Ident, Literal["bool", "int", "decimal", "date", "datetime", "str"]] | None = (
        Field(None, description="for records: the fields of each record")
    )
    min: Number | None = Field(None, description="for int/decimal: the smallest allowed value")
    max: Number | None = Field(None, description="for int/decimal: the largest allowed value")
    nullable: bool = Field(False, description="the value may be null (e.g. never answered)")
    unit: Label | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _shape(self) -> Fact:
        if self.type == "enum" and not self.options:
            raise ValueError("an enum fact needs 'options' (lowest to highest)")
        if self.type != "enum" and self.options is not None:
            raise ValueError("'options' is only for enum facts")
        if self.type == "list" and self.of is None:
            raise ValueError("a list fact needs 'of' (its element type)")
        if self.type != "list" and self.of is not None:
            raise ValueError("'of' is only for list facts")
        if self.type == "records" and not self.fields:
            raise ValueError("a records fact needs 'fields'")
        if self.type != "records" and self.fields is not None:
            raise ValueError("'fields' is only for records facts")
        if (self.min is not None or self.max is not None) and self.type not in (
            "int",
            "decimal",
            "list",
        ):
            raise ValueError("'min'/'max' are only for int, decimal and list facts")
        if self.options is not None and len(set(self.options)) != len(self.options):
            raise ValueError("enum options must be distinct")
        return self


class Derived(_Model):
    """A fact computed from other facts by an expression (e.g. working days to reply)."""

    id: Ident
    type: Literal["bool", "int", "decimal", "date"]
    expr: Expr
    description: Text | None = None
    ruling: Text | None = None


# --------------------------------------------------------------------------- rules


class Tier(_Model):
    """One row of ordered tiers: the first row whose condition holds gives its credit."""

    when: Expr
    credit: Amount
    label: Label | None = None


class Levels(_Model):
    """Credit by the level of an enum fact (ordinal), e.g. the five query-service forms."""

    fact: Ident
    credits: dict[str, Amount]


class Band(_Model):
    """A count band ``min ≤ count ≤ max`` (``max`` omitted: no upper bound)."""

    min: int = Field(ge=0)
    max: int | None = Field(None, ge=0)
    credit: Amount
    label: Label | None = None


class Bands(_Model):
    """Credit by which band a count falls in (0 → 0, 1–4 → half, 5+ → all)."""

    count: Expr
    rows: list[Band] = Field(min_length=1)


class Proportion(_Model):
    """Credit in proportion: ``share × passed / checked`` (random spot checks).

    ``checked == 0`` means the item was not assessed, not a free pass.
    """

    passed: Expr
    checked: Expr


class ChecklistEntry(_Model):
    """One element an item enumerates; present and working earns its credit."""

    id: Ident
    when: Expr
    credit: Amount | None = Field(
        None, description="omitted: the item's share split equally among the entries"
    )
    label: Label | None = None


class Given(_Model):
    """A score given from outside (a panel's mean, an editorial office's points).

    Credit = share × value / out_of; the fact's own min/max keep the value in range.
    """

    value: Expr
    out_of: Number = Field(gt=0)


class Deduction(_Sourced):
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


class Veto(_Sourced):
    """A condition that zeroes the whole indicator (or, inside an item, that item)."""

    id: Ident
    when: Expr
    label: Label | None = None


_RULE_KEYS = ("check", "tiers", "levels", "bands", "proportion", "checklist", "deduct", "given")


class Item(_Sourced):
    """A percentage sub-item of 评分细则, a share of the weight with exactly one credit rule."""

    id: Ident
    title: Label | None = None
    share: Amount
    check: Expr | None = Field(None, description="yes/no: the whole share when true")
    tiers: list[Tier] | None = None
    levels: Levels | None = None
    bands: Bands | None = None
    proportion: Proportion | None = None
    checklist: list[ChecklistEntry] | None = None
    deduct: list[Deduction] | None = Field(
        None, description="start from the share and deduct per occurrence, down to 0"
    )
    given: Given | None = None
    vetoes: list[Veto] = Field(default_factory=list, description="vetoes that zero this item")
    note: Text | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Item:
        present = [k for k in _RULE_KEYS if getattr(self, k) is not None]
        if len(present) != 1:
            got = ", ".join(present) if present else "none"
            raise ValueError(
                f"an item needs exactly one credit rule of {', '.join(_RULE_KEYS)} (got {got})"
            )
        return self

    @property
    def rule_kind(self) -> str:
        """The name of this item's credit rule (``check``, ``tiers`` …)."""
        return next(k for k in _RULE_KEYS if getattr(self, k) is not None)


WeightSource = Literal["stated", "derived", "assumed"]


class Indicator(_Sourced):
    """A 三级指标: its weight, facts, items, vetoes and deductions."""

    _category: str = PrivateAttr("")
    _category_id: str = PrivateAttr("")
    _kind: str = PrivateAttr("base")

    id: Ident
    name: Label = Field(min_length=1, description="the exact Chinese name from the table")
    weight: Number = Field(description="points; negative for penalty indicators")
    weight_source: WeightSource = Field(
        description="stated in the seed / derived from a total / assumed (see the ruling)"
    )
    group: Ident | None = Field(None, description="the level-2 group, if any")
    description: Text | None = Field(None, description="指标说明")
    applies: Expr | None = Field(
        None,
        description="when this indicator applies; names: department, catalogs, and facts",
    )
    applies_note: Text | None = None
    catalog: Ident | None = Field(
        None, description="the catalog whose duties are this indicator's checklist"
    )
    facts: list[Fact] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    vetoes: list[Veto] = Field(default_factory=list)
    deductions: list[Deduction] = Field(default_factory=list)

    @property
    def category(self) -> str:
        """The Chinese name of the level-1 category this indicator sits in."""
        return self._category

    @property
    def category_id(self) -> str:
        """The id of the level-1 category this indicator sits in."""
        return self._category_id

    @property
    def kind(self) -> str:
        """``base``, ``bonus`` or ``penalty``: the kind of its category."""
        return self._kind


class Group(_Model):
    """A level-2 group (二级指标); its weight is the sum of its indicators."""

    id: Ident
    name: Label = Field(min_length=1)
    note: Text | None = None


CategoryKind = Literal["base", "bonus", "penalty"]


class Category(_Model):
    """A level-1 category (一级指标)."""

    id: Ident
    name: Label = Field(min_length=1)
    weight: Number
    kind: CategoryKind = "base"
    groups: list[Group] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)


class Department(_Model):
    """A department that can be assessed; findings must name one of these."""

    id: Ident
    name: Label = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class Duty(_Model):
    """One thing a department must publish or offer (an appendix paragraph)."""

    title: Label
    text: Text | None = None


class CatalogEntry(_Model):
    """A department's duties in one appendix."""

    department: Ident
    duties: list[Duty] = Field(min_length=1)


class Catalog(_Model):
    """An appendix as data: per department, what it must publish or offer."""

    id: Ident
    name: Label
    indicator: Ident | None = Field(None, description="the indicator this catalog drives")
    source: Text | None = None
    entries: list[CatalogEntry] = Field(min_length=1)


class Arithmetic(_Model):
    """Exact inside, rounded once when shown."""

    places: int = Field(2, ge=0, le=6)
    rounding: Literal["half_up"] = "half_up"


class Rulebook(_Model):
    """A whole evaluation table as data."""

    wzeval: Literal["rulebook/1"] = Field(description="format version of this document")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)
    title: Label
    year: int = Field(ge=2000, le=2100)
    source: Text | None = None
    not_applicable: Literal["rescale"] = Field(
        "rescale",
        description="not-applicable indicators leave the base:"
        " base = 100 × earned / applicable weights",
    )
    arithmetic: Arithmetic = Field(default_factory=Arithmetic)
    departments: list[Department] = Field(default_factory=list)
    catalogs: list[Catalog] = Field(default_factory=list)
    categories: list[Category] = Field(min_length=1)

    _compiled: object = PrivateAttr(None)
    _file: str = PrivateAttr("<rulebook>")

    def model_post_init(self, context: object, /) -> None:
        """Tell each indicator its category, so ``Rulebook.indicators`` is self-describing."""
        for cat in self.categories:
            for ind in cat.indicators:
                ind._category = cat.name
                ind._category_id = cat.id
                ind._kind = cat.kind

    @property
    def indicators(self) -> list[Indicator]:
        """Every indicator in table order."""
        return [ind for cat in self.categories for ind in cat.indicators]

    @property
    def file(self) -> str:
        """The file this rulebook was loaded from (``<rulebook>`` when built in memory)."""
        return self._file

    def indicator(self, ident: str) -> Indicator:
        """An indicator by id or exact Chinese name."""
        for ind in self.indicators:
            if ident in (ind.id, ind.name):
                return ind
        raise KeyError(ident)
