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
declared facts with fitting types — live in :mod:`wzeval.checking._checks`, so that they
can report every problem at once with its position.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, create_model, model_validator

from wzeval.core._codes import WZ412
from wzeval.core._i18n import _
from wzeval.kinds import RuleKind, rule_kinds
from wzeval.kinds.bands import Band, Bands
from wzeval.kinds.checklist import ChecklistEntry
from wzeval.kinds.given import Given
from wzeval.kinds.levels import Levels
from wzeval.kinds.proportion import Proportion
from wzeval.kinds.tiers import Tier
from wzeval.model._modelbase import (
    AMOUNT_PATTERN,
    IDENT_PATTERN,
    Amount,
    Deduction,
    Expr,
    Ident,
    Label,
    Number,
    Points,
    Sourced,
    StrictModel,
    Text,
    Veto,
    format_amount,
    parse_amount,
)

__all__ = [
    "AMOUNT_PATTERN",
    "CATEGORY_KIND_NAMES",
    "CHECKED_DOCUMENT",
    "IDENT_PATTERN",
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
    "Expr",
    "Fact",
    "Given",
    "Grade",
    "Group",
    "Ident",
    "Indicator",
    "Item",
    "Label",
    "Levels",
    "Number",
    "Pending",
    "Proportion",
    "Rulebook",
    "Tier",
    "Veto",
    "format_amount",
    "parse_amount",
]


# --------------------------------------------------------------------------- facts

ScalarKind = Literal["bool", "int", "decimal", "date", "datetime", "str", "enum"]
FactKind = Literal["bool", "int", "decimal", "date", "datetime", "str", "enum", "list", "records"]


class Fact(StrictModel):
    """Something an evaluator observes and records in the findings."""

    id: Ident
    type: FactKind
    ask: Text = Field(description="the question the evaluator answers, in the seed's words")
    options: list[Label] | None = Field(
        None, description="for enum: the allowed values, ordered from lowest to highest"
    )
    option_labels: dict[Label, Label] | None = Field(
        None,
        description="for enum: each option's label in the evaluators' language, shown in "
        "reports instead of the option; a label typed as the value is taken as its option, "
        "with a warning",
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
    shared: bool = Field(
        False,
        description="a fact of the site (is it a portal, …): recorded once, under this "
        "indicator, and readable by every expression of the rulebook",
    )
    unit: Label | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _shape(self) -> Fact:
        if self.type == "enum" and not self.options:
            raise ValueError(_("an enum fact needs 'options' (lowest to highest)"))
        if self.type != "enum" and self.options is not None:
            raise ValueError(_("'options' is only for enum facts"))
        if self.type == "list" and self.of is None:
            raise ValueError(_("a list fact needs 'of' (its element type)"))
        if self.type != "list" and self.of is not None:
            raise ValueError(_("'of' is only for list facts"))
        if self.type == "records" and not self.fields:
            raise ValueError(_("a records fact needs 'fields'"))
        if self.type != "records" and self.fields is not None:
            raise ValueError(_("'fields' is only for records facts"))
        if (self.min is not None or self.max is not None) and self.type not in (
            "int",
            "decimal",
            "list",
        ):
            raise ValueError(_("'min'/'max' are only for int, decimal and list facts"))
        if self.options is not None and len(set(self.options)) != len(self.options):
            raise ValueError(_("enum options must be distinct"))
        if self.option_labels is not None:
            unknown = [o for o in self.option_labels if o not in (self.options or [])]
            if unknown:
                raise ValueError(
                    _("option_labels name options the fact does not have: {options}").format(
                        options=", ".join(unknown)
                    )
                )
            labels = list(self.option_labels.values())
            if len(set(labels)) != len(labels):
                raise ValueError(_("option labels must be distinct"))
        return self

    def option_label(self, option: str) -> str:
        """An option as people read it: its label, or the option when it has none."""
        return (self.option_labels or {}).get(option, option)


class Derived(StrictModel):
    """A fact computed from other facts by an expression (e.g. working days to reply)."""

    member_label: ClassVar[str] = "derived fact"

    id: Ident
    type: Literal["bool", "int", "decimal", "date"]
    expr: Expr
    description: Text | None = None
    ruling: Text | None = None
    ruling_en: Text | None = None


# --------------------------------------------------------------------------- rules


class Pending(Sourced):
    """A state in which the indicator cannot be assessed yet, e.g. a question whose answer
    period has not run out on the monitoring date: a veto for "not answered within 10
    working days" must not fire on day 3.  While ``when`` holds the indicator is not
    assessed, and the evaluator is told from which date it can be."""

    member_label: ClassVar[str] = "pending state"

    id: Ident
    when: Expr = Field(description="the condition under which it cannot be assessed yet")
    assessable_from: Expr = Field(description="a date expression: from when it can be assessed")
    label: Label | None = None


# The credit rule is one key named after its kind (``check:``, ``tiers:`` …): the item
# model gets one optional field per kind of :func:`wzeval.kinds.rule_kinds`, so this class
# declares only what every item has, and ``Item`` below is the model built from it and
# the registered kinds (mypy sees this class; pydantic validates the built one).
class Item(Sourced):
    """A percentage sub-item of 评分细则, a share of the weight with exactly one credit rule."""

    id: Ident
    title: Label | None = None
    share: Amount
    if TYPE_CHECKING:  # added after the rule kinds' fields, to keep the documents' order
        vetoes: list[Veto]
        note: Text | None

    @model_validator(mode="after")
    def _one_rule(self) -> Item:
        kinds = rule_kinds()
        present = [k for k in kinds if getattr(self, k, None) is not None]
        if len(present) != 1:
            got = ", ".join(present) if present else "none"
            raise ValueError(
                _("an item needs exactly one credit rule of {kinds} (got {got})").format(
                    kinds=", ".join(kinds), got=got
                )
            )
        return self

    @property
    def rule_kind(self) -> str:
        """The name of this item's credit rule (``check``, ``tiers`` …)."""
        return next(k for k in rule_kinds() if getattr(self, k, None) is not None)

    @property
    def kind(self) -> RuleKind:
        """This item's rule kind."""
        return rule_kinds()[self.rule_kind]

    @property
    def rule(self) -> Any:
        """The value of this item's credit rule (a condition, rows, a model …)."""
        return getattr(self, self.rule_kind)


def _item_model(base: type[Item]) -> type[Item]:
    """The item model with one optional field per registered rule kind."""
    fields: dict[str, Any] = {
        kind.key: (kind.annotation | None, Field(None, description=kind.description))
        for kind in rule_kinds().values()
    }
    fields["vetoes"] = (
        list[Veto],
        Field(default_factory=list, description="vetoes that zero this item"),
    )
    fields["note"] = (Text | None, None)
    model = create_model("Item", __base__=base, __module__=__name__, **fields)
    model.__doc__ = base.__doc__
    return model


if not TYPE_CHECKING:
    Item = _item_model(Item)


def _deducts(it: Item) -> bool:
    """Whether an item's rule is a list of deductions (the ``deduct`` kind, or a plugin's)."""
    rule = it.rule
    return isinstance(rule, list) and bool(rule) and all(isinstance(d, Deduction) for d in rule)


WeightSource = Literal["stated", "derived", "assumed"]


class Indicator(Sourced):
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
    pending: list[Pending] = Field(
        default_factory=list,
        description="states in which the indicator cannot be assessed yet (a period still "
        "running); the first that holds makes it 未评估 until the date it names",
    )

    @model_validator(mode="after")
    def _points_as_shares(self) -> Indicator:
        """Turn deductions written in points (``5分``) into shares of this weight, so the
        rest of wzeval reads shares only; points more than the weight are refused."""
        weight = abs(Fraction(self.weight))

        def share(d: Deduction) -> Deduction:
            update: dict[str, Fraction] = {}
            for name in ("each", "cap"):
                value = getattr(d, name)
                if isinstance(value, Points):
                    if value > weight:
                        raise ValueError(
                            _(
                                "deduction {ident!r} has {name} {amount}, more than the "
                                "indicator's {weight} points: a deduction stops at the "
                                "indicator's points"
                            ).format(
                                ident=d.id, name=name, amount=format_amount(value), weight=weight
                            )
                        )
                    update[name] = Fraction(value) / weight
            return d.model_copy(update=update) if update else d

        def shares(deds: list[Deduction]) -> list[Deduction]:
            return [share(d) for d in deds]

        if not any(isinstance(a, Points) for d in self._all_deductions() for a in (d.each, d.cap)):
            return self
        items = [
            it.model_copy(update={it.rule_kind: shares(it.rule)}) if _deducts(it) else it
            for it in self.items
        ]
        object.__setattr__(self, "deductions", shares(self.deductions))
        object.__setattr__(self, "items", items)
        return self

    def _all_deductions(self) -> list[Deduction]:
        out = list(self.deductions)
        for it in self.items:
            if _deducts(it):
                out.extend(it.rule)
        return out

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


class Group(StrictModel):
    """A level-2 group (二级指标); its weight is the sum of its indicators."""

    id: Ident
    name: Label = Field(min_length=1)
    note: Text | None = None


#: ``veto``: a category of 单项否决 — indicators of vetoes only (weight 0), any of which,
#: fired, vetoes the whole site: nothing else is scored.
CategoryKind = Literal["base", "bonus", "penalty", "veto"]
#: The Chinese names of the category kinds (one table for every renderer).
CATEGORY_KIND_NAMES: dict[str, str] = {
    "base": "基础指标",
    "bonus": "加分指标",
    "penalty": "扣分指标",
    "veto": "单项否决",
}


class Category(StrictModel):
    """A level-1 category (一级指标)."""

    id: Ident
    name: Label = Field(min_length=1)
    weight: Number
    kind: CategoryKind = "base"
    when: Expr | None = Field(
        None,
        description="bonus or penalty categories: scored only when this condition on scores "
        "holds (names: base, and the points of each base category by its id)",
    )
    when_note: Text | None = None
    part: Ident | None = Field(
        None,
        description="the scored part this category belongs to (base and veto categories of a "
        "rulebook with parts:); a veto category of a part vetoes that part only",
    )
    groups: list[Group] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)


class Part(Sourced):
    """A separately scored part of the table (网站, 新媒体): its base categories add up to
    100 and are rescaled on their own; the base combines the parts by their weights."""

    id: Ident
    name: Label = Field(min_length=1)
    weight: Amount = Field(description="its share of the combined base: '70%'")
    note: Text | None = None


class Department(StrictModel):
    """A department that can be assessed; findings must name one of these."""

    id: Ident
    name: Label = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class Duty(StrictModel):
    """One thing a department must publish or offer (an appendix paragraph)."""

    title: Label
    text: Text | None = None


class CatalogEntry(StrictModel):
    """A department's duties in one appendix."""

    #: ``extends:`` edits entries by their department
    merge_key: ClassVar[str] = "department"

    department: Ident
    duties: list[Duty] = Field(min_length=1)


class Catalog(StrictModel):
    """An appendix as data: per department, what it must publish or offer."""

    id: Ident
    name: Label
    indicator: Ident | None = Field(None, description="the indicator this catalog drives")
    source: Text | None = None
    entries: list[CatalogEntry] = Field(min_length=1)


class Grade(Sourced):
    """One rule of the rulebook's grades: the first whose condition holds gives the grade."""

    grade: Label = Field(min_length=1, description="the grade it gives: 合格, 不合格, 优秀 …")
    when: Expr = Field(
        description="a condition on scores; names: vetoed, base, bonus, penalty, total, and "
        "the points of each category by its id"
    )
    label: Label | None = Field(None, description="the reason shown with the grade")


class Arithmetic(StrictModel):
    """Exact inside, rounded once when shown."""

    places: int = Field(2, ge=0, le=6)
    rounding: Literal["half_up"] = "half_up"


#: Validation context key: the data comes from a loaded document, whose limits the
#: loader (or wzeval.reading._plain) has enforced already.
CHECKED_DOCUMENT = "wzeval_checked_document"


class Rulebook(StrictModel):
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
    based_on: list[str] = Field(
        default_factory=list,
        description="the ids of the rulebooks this one extends, nearest first (set by "
        "extends:); findings recorded against any of them are scored by this one",
    )
    departments: list[Department] = Field(default_factory=list)
    catalogs: list[Catalog] = Field(default_factory=list)
    categories: list[Category] = Field(min_length=1)
    parts: list[Part] = Field(
        default_factory=list,
        description="separately scored parts, combined by their weights into the base",
    )
    grades: list[Grade] = Field(
        default_factory=list,
        description="ordered rules giving the report a grade; the first that holds decides",
    )

    _compiled: object = PrivateAttr(None)
    _file: str = PrivateAttr("<rulebook>")

    @model_validator(mode="before")
    @classmethod
    def _held_to_a_files_limits(cls, data: Any, info: ValidationInfo) -> Any:
        """A mapping given to ``Rulebook.model_validate`` or ``Rulebook(...)`` meets a
        file's limits first (:mod:`wzeval.reading._plain`: values, depth, text size, numbers,
        characters), so pydantic never walks a bomb; the first limit passed is a
        ``ValueError`` naming its issue code.  (``load_rulebook(mapping)`` reports it
        as that issue; a value of a type no file holds is left to pydantic.)"""
        if isinstance(data, Rulebook) or (info.context or {}).get(CHECKED_DOCUMENT):
            return data  # a loaded document: the loader or wzeval.reading._plain has checked it
        from wzeval.reading._plain import plain_document  # reading is a layer below the models

        doc = plain_document(data, "<rulebook>")
        if not doc.issues:
            return doc.data
        issue = doc.issues[0]
        if issue.code == WZ412:  # a model instance, say: pydantic checks its type
            return data
        where = "/".join(map(str, issue.path)) or _("the top")
        raise ValueError(
            _("{code} at {where}: {message}").format(
                code=issue.code, where=where, message=issue.message
            )
        )

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
