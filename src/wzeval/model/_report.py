"""The score report: what each indicator earned and why, as typed data.

Figures are exact :class:`fractions.Fraction` values inside.  In JSON a
figure is a string: the exact decimal when it has one (``"1.5"``), else the
exact fraction (``"4/3"``), so the report round-trips without loss; renderers
round once, when a figure is shown (:func:`display`, 2 places, half up).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, TypeVar, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticUndefined

from wzeval.core._i18n import _
from wzeval.model._modelbase import format_amount

__all__ = [
    "CategoryResult",
    "DeductionResult",
    "FactRead",
    "GradeResult",
    "IndicatorResult",
    "ItemResult",
    "NotAssessed",
    "PartResult",
    "Ranked",
    "RankingEntry",
    "ScoreReport",
    "SiteVeto",
    "VetoResult",
    "deferred",
    "display",
    "exact_text",
    "exact_total",
    "share_text",
    "trusted",
]


def exact_total(values: Iterable[Fraction]) -> Fraction:
    """The exact sum, reduced once at the end rather than after every addition.

    ``sum`` of Fractions normalises (a gcd and a new object) at each step, and the
    engine sums ~280 figures per report; the figures' denominators are few and
    small, so keeping a common denominator in plain integers is much cheaper.
    """
    num, den = 0, 1
    for v in values:
        n, d = v.numerator, v.denominator
        if d == den:
            num += n
        else:
            g = gcd(den, d)
            num = num * (d // g) + n * (den // g)
            den = den // g * d
    return Fraction(num, den)


def exact_text(value: Fraction) -> str:
    """The exact value as text: a terminating decimal (``"1.5"``) or a fraction (``"4/3"``).

    Cached by ``(numerator, denominator)``: a report writes few distinct figures many
    times.  Keyed by the Fraction itself the cache was slower than the function
    (hashing a Fraction takes a modular inverse); keyed by its two integers it takes
    0.37x the time (benchmarks/bench_cheap.py, docs/performance.md)."""
    return _exact_text(value.numerator, value.denominator)


@functools.lru_cache(maxsize=4096)
def _exact_text(numerator: int, denominator: int) -> str:
    if denominator == 1:
        return str(numerator)
    d = denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        dec = Decimal(numerator) / Decimal(denominator)
        return f"{dec.normalize():f}"
    return f"{numerator}/{denominator}"


def _parse_score(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, str):
        return Fraction(value.strip())
    raise ValueError(
        _("a score must be an exact number as text (got {value!r})").format(value=value)
    )


def display(value: Fraction, places: int = 2) -> str:
    """Round once for people: ``places`` decimals, half up.

    Exact integer arithmetic, so any size rounds once and correctly: the decimal
    module's default 28-digit context failed on a 31-digit count of deductions
    (``InvalidOperation``) and would round twice past 26 integer digits.
    """
    scaled = abs(value) * 10**places
    units, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:  # half up: ties away from zero
        units += 1
    sign = "-" if value < 0 and units else ""
    text = str(units).rjust(places + 1, "0")
    return sign + (f"{text[:-places]}.{text[-places:]}" if places else text)


def share_text(value: Fraction, places: int = 2) -> str:
    """A share of the weight as people read it: exact when it has a short form (``50%``,
    ``12.5%``), else rounded once and marked (``≈33.33%``)."""
    text = format_amount(value)
    return text if text.endswith("%") else f"≈{display(value * 100, places)}%"


Score = Annotated[
    Fraction,
    BeforeValidator(_parse_score),
    PlainSerializer(exact_text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?\d+(\.\d+)?(/\d+)?$",
            "description": "an exact number: a decimal or a fraction like '4/3'",
        }
    ),
]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_R = TypeVar("_R", bound=BaseModel)
_Factories = tuple[tuple[str, Callable[[], Any]], ...]
# per result class: every field with its default in field order, and the fields whose
# default comes from a factory (a fresh list per object), with the factory
_TEMPLATES: dict[type[BaseModel], tuple[dict[str, Any], _Factories]] = {}


def _template(cls: type[BaseModel]) -> tuple[dict[str, Any], _Factories]:
    fields: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name, info in cls.model_fields.items():
        factory = info.default_factory
        if factory is not None:
            factories.append((name, cast(Callable[[], Any], factory)))
            fields[name] = None
        else:
            fields[name] = None if info.default is PydanticUndefined else info.default
    _TEMPLATES[cls] = out = (fields, tuple(factories))
    return out


def trusted(cls: type[_R], values: dict[str, Any]) -> _R:
    """A result built from values the engine computed, without validating them again.

    Validating 400-odd result objects was the largest single cost of an evaluation
    (docs/performance.md); the engine's values have the fields' types by construction
    (mypy checks the engine, and the engine's reference path — ``reference=True`` —
    builds every result through pydantic validation; tests/scoring/test_fast_paths.py proves
    the two give equal objects and byte-identical JSON).  ``values`` must use field
    names only; fields left out take their defaults, as with ``cls(**values)``.
    """
    spec = _TEMPLATES.get(cls) or _template(cls)
    data = spec[0].copy()  # field order, as validation gives it
    data.update(values)
    for name, factory in spec[1]:
        if name not in values:
            data[name] = factory()
    obj = cls.__new__(cls)
    _set = object.__setattr__
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


class FactRead(_Result):
    """A fact the indicator read, with its evidence (JSON-ready value)."""

    id: str
    value: object = Field(json_schema_extra={"description": "the recorded value"})
    ask: str | None = Field(
        None, description="the rulebook's question (a derived fact: its description), for people"
    )
    value_label: str | None = Field(
        None, description="an enum value as people read it: the option's label"
    )
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None
    derived: bool = False
    at: str | None = Field(None, description="file:line:col of the recorded value")


class VetoResult(_Result):
    """A veto and whether it fired."""

    id: str
    label: str | None = None
    fired: bool
    source: str | None = None
    ruling: str | None = None
    at: str | None = None


class DeductionResult(_Result):
    """A per-occurrence deduction: how many, how much each, the cap, what it took."""

    id: str
    label: str | None = None
    count: int
    each: Score
    cap: Score | None = None
    amount: Score = Field(description="fraction of the weight deducted, after the cap")
    points: Score = Field(description="points deducted")
    capped: bool
    source: str | None = None
    ruling: str | None = None
    at: str | None = None


class ItemResult(_Result):
    """One percentage sub-item: share, credit earned and the reason."""

    id: str
    title: str | None = None
    rule: str
    share: Score = Field(description="the item's share of the weight")
    credit: Score = Field(description="the share earned, as a fraction of the weight")
    points: Score
    max_points: Score
    assessed: bool = True
    vetoed: bool = False
    reason: str
    matched: list[str] = Field(
        default_factory=list,
        description="the branches of the rule these findings took (tier2, band1, earned, "
        "entry:present …), named as the rule's coverage targets",
    )
    vetoes: list[VetoResult] = Field(default_factory=list)
    deductions: list[DeductionResult] = Field(default_factory=list)
    source: str | None = None
    ruling: str | None = None
    at: str | None = None


class IndicatorResult(_Result):
    """What one indicator earned and why."""

    id: str
    name: str
    category: str
    category_id: str
    group: str | None = None
    kind: Literal["base", "bonus", "penalty", "veto"]
    weight: Score
    weight_source: str
    applicable: bool
    assessed: bool
    vetoed: bool
    points: Score
    max_points: Score = Field(description="the weight when applicable, else 0")
    items: list[ItemResult] = Field(default_factory=list)
    vetoes: list[VetoResult] = Field(default_factory=list)
    deductions: list[DeductionResult] = Field(default_factory=list)
    facts: list[FactRead] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="facts not recorded")
    reasons: list[str] = Field(default_factory=list, description="why points were lost")
    applies_note: str | None = None
    scored: bool = Field(
        True, description="false: a site-wide veto or its category's gate stopped its scoring"
    )
    pending: str | None = Field(
        None, description="the rulebook's pending state that holds: not assessable yet"
    )
    at: str | None = Field(None, description="file:line of the indicator in the rulebook")


class CategoryResult(_Result):
    """A level-1 category's total."""

    id: str
    name: str
    kind: Literal["base", "bonus", "penalty", "veto"]
    weight: Score
    applicable_weight: Score
    points: Score
    scored: bool = Field(
        True, description="false: a site-wide veto or the category's gate stopped it"
    )
    gate: str | None = Field(None, description="the condition on scores the category is scored on")


class SiteVeto(_Result):
    """A fired veto of a 单项否决 category: the whole site is vetoed and nothing else scored."""

    indicator: str
    name: str
    id: str
    label: str | None = None
    source: str | None = None
    at: str | None = None


class PartResult(_Result):
    """A separately scored part: its base rescaled on its own, and its weight in the
    combined base."""

    id: str
    name: str
    weight: Score = Field(description="its share of the combined base")
    base_raw: Score
    base_possible: Score
    base: Score = Field(description="the part's base out of 100 (0 when vetoed)")
    vetoed: bool = False
    vetoes: list[SiteVeto] = Field(default_factory=list)


class GradeResult(_Result):
    """The grade rule that decided the report's grade."""

    rule: int = Field(description="which grade rule it was, counting from 1")
    grade: str
    when: str
    label: str | None = None
    source: str | None = None
    ruling: str | None = None
    at: str | None = None


class NotAssessed(_Result):
    """An indicator (or item) that could not be assessed, and what was missing."""

    indicator: str
    name: str
    item: str | None = None
    missing: list[str] = Field(default_factory=list)
    pending: str | None = Field(None, description="a pending state: assessable from a date")
    reason: str


class RulebookRef(_Result):
    """Which rulebook produced the report."""

    id: str
    title: str
    year: int
    file: str | None = None


class ScoreReport(_Result):
    """The whole score sheet of one department.

    ``base_raw`` is the sum of the base indicators' points; ``base`` is it rescaled
    to 100 over the applicable weights; ``total = base + bonus + penalty``.
    """

    wzeval: Literal["report/1"] = "report/1"
    rulebook: RulebookRef
    department: str
    department_id: str
    monitoring_date: date
    assessors: list[str] = Field(default_factory=list)
    findings_file: str | None = None
    complete: bool
    base_raw: Score
    base_possible: Score = Field(description="sum of the weights of applicable base indicators")
    base: Score
    bonus: Score
    penalty: Score
    total: Score
    places: int = 2
    categories: list[CategoryResult]
    indicators: list[IndicatorResult]
    not_assessed: list[NotAssessed] = Field(default_factory=list)
    vetoed: bool = Field(False, description="a 单项否决 fired: nothing else was scored")
    site_vetoes: list[SiteVeto] = Field(default_factory=list)
    parts: list[PartResult] = Field(
        default_factory=list, description="each scored part, when the rulebook has parts"
    )
    grade: str | None = Field(None, description="the grade the rulebook's grades give")
    grade_rule: GradeResult | None = None

    # A report of the engine's fast evaluation (:func:`deferred`) knows its figures at
    # once and builds the rest — indicators, items, facts read, reasons — the first
    # time any of it is read; everything that reads the whole report builds it first,
    # so a deferred report is indistinguishable from one built in full.

    def _built(self) -> None:
        """Build the rest of a deferred report (nothing when it is complete)."""
        private = self.__pydantic_private__
        if not private or _DEFERRED not in private:
            return
        full: ScoreReport = private[_DEFERRED]()
        known = self.__dict__
        if any(full.__dict__[name] != value for name, value in known.items()):
            differ = [name for name, value in known.items() if full.__dict__[name] != value]
            raise AssertionError(f"wzeval bug: the fast evaluation differs on {differ}")
        _set = object.__setattr__
        _set(self, "__dict__", full.__dict__)
        _set(self, "__pydantic_fields_set__", full.__pydantic_fields_set__)
        _set(self, "__pydantic_private__", None)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            private = object.__getattribute__(self, "__pydantic_private__")
            if private and _DEFERRED in private and name in ScoreReport.model_fields:
                self._built()
                return self.__dict__[name]
            return super().__getattr__(name)

    def __eq__(self, other: object) -> bool:
        self._built()
        if isinstance(other, ScoreReport):
            other._built()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # lists inside: never hashable anyway

    def __repr_args__(self) -> Any:
        self._built()
        return super().__repr_args__()

    def __iter__(self) -> Any:
        self._built()
        return super().__iter__()

    def __getstate__(self) -> dict[Any, Any]:
        self._built()
        return super().__getstate__()

    def __copy__(self) -> ScoreReport:
        self._built()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> ScoreReport:
        self._built()
        return super().__deepcopy__(memo)

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._built()
        return super().model_dump(*args, **kwargs)

    def model_dump_json(self, *args: Any, **kwargs: Any) -> str:
        self._built()
        return super().model_dump_json(*args, **kwargs)

    def model_copy(self, *args: Any, **kwargs: Any) -> ScoreReport:
        self._built()
        return super().model_copy(*args, **kwargs)

    @property
    def model_fields_set(self) -> set[str]:
        self._built()
        return self.__pydantic_fields_set__

    def indicator(self, ident: str) -> IndicatorResult:
        """The result of one indicator, by id or Chinese name."""
        for r in self.indicators:
            if ident in (r.id, r.name):
                return r
        raise KeyError(ident)

    def to_json(self) -> str:
        """Deterministic JSON (same report → byte-identical text)."""
        return self.model_dump_json(indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ScoreReport:
        """Read a report written by :meth:`to_json`, exactly."""
        return cls.model_validate_json(text)


_DEFERRED = "_wzeval_deferred"  # where a deferred report keeps how to build the rest


def deferred(values: dict[str, Any], build: Callable[[], ScoreReport]) -> ScoreReport:
    """A report of which ``values`` (fields by name) are known now; ``build`` gives
    the whole report, the first time anything else of it is read.

    The engine's fast evaluation (docs/performance.md) computes the figures a ranking
    reads (:class:`Ranked`) without the 400-odd explained results; ``build`` is its
    full evaluation, and must give the same ``values`` (checked when it runs).
    """
    obj = ScoreReport.__new__(ScoreReport)
    _set = object.__setattr__
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", {_DEFERRED: build})
    return obj


class Ranked(Protocol):
    """What a ranking reads of a report: a :class:`ScoreReport` or its
    :class:`RankingEntry`."""

    @property
    def rulebook(self) -> RulebookRef: ...
    @property
    def department(self) -> str: ...
    @property
    def department_id(self) -> str: ...
    @property
    def findings_file(self) -> str | None: ...
    @property
    def complete(self) -> bool: ...
    @property
    def base(self) -> Fraction: ...
    @property
    def bonus(self) -> Fraction: ...
    @property
    def penalty(self) -> Fraction: ...
    @property
    def total(self) -> Fraction: ...
    @property
    def places(self) -> int: ...
    @property
    def vetoed(self) -> bool: ...
    @property
    def grade(self) -> str | None: ...
    @property
    def monitoring_date(self) -> date: ...


@dataclass(frozen=True, slots=True)
class RankingEntry:
    """The few figures of a report a ranking shows (:class:`Ranked`), without the
    report: a batch keeps these, not its reports, so its memory does not grow with
    the reports' size (docs/performance.md)."""

    rulebook: RulebookRef
    department: str
    department_id: str
    findings_file: str | None
    complete: bool
    base: Fraction
    bonus: Fraction
    penalty: Fraction
    total: Fraction
    places: int
    vetoed: bool
    grade: str | None
    #: the workbook is dated by the latest, the HTML page shows their span
    monitoring_date: date

    @classmethod
    def of(cls, report: ScoreReport) -> RankingEntry:
        """The entry of ``report``."""
        return cls(
            report.rulebook,
            report.department,
            report.department_id,
            report.findings_file,
            report.complete,
            report.base,
            report.bonus,
            report.penalty,
            report.total,
            report.places,
            report.vetoed,
            report.grade,
            report.monitoring_date,
        )
