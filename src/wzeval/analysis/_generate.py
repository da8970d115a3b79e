"""Findings generated from a rulebook's own fact declarations: the one generator.

Three users need findings nobody typed: ``wzeval verify`` (Hypothesis searches them
for a broken promise and shrinks what it finds), the property tests (Hypothesis
again) and the benchmarks (thousands of files from a seeded :class:`random.Random`,
no Hypothesis installed).  They share :func:`findings`, written against a small
:class:`Chooser`; :func:`findings_strategy` wraps Hypothesis's ``draw`` in one and
:class:`RandomChooser` wraps a ``Random``.  So what "valid findings" means — every
declared fact present, within ``min``/``max``, options of enums, dates in the
rulebook's year (one the working-day calendar covers; with ``by_monitoring``, none
after the monitoring date), a spot check's passed
never above its checked, at least ``checks_from`` checks however they are counted
(a count fact, or the length of a list of checks), an element in every list an
expression takes the mean, least or greatest of — is written once.

Choices shrink towards the plain case: the first option, the minimum, no evidence,
a value rather than ``null``, the first day of the year.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from wzeval.core._calendar import covered_years
from wzeval.core._i18n import _
from wzeval.expressions import counted_name, needs_elements
from wzeval.kinds.base import COUNT_SPAN
from wzeval.model._models import Fact, Indicator, Rulebook

if TYPE_CHECKING:
    from hypothesis import strategies as st

__all__ = [
    "TEXT_ALPHABET",
    "Chooser",
    "RandomChooser",
    "bare_fact",
    "findings",
    "findings_strategy",
    "monitoring_year",
]

T = TypeVar("T")

#: Characters of generated text facts: Chinese, Latin, digits and a space.
TEXT_ALPHABET = "甲乙丙abc 123"
_MAX_TEXT = 8
_MAX_LIST = 5
_MAX_RECORDS = 3


class Chooser(Protocol):
    """Where the generator's choices come from (Hypothesis's draws or a seeded Random)."""

    def integer(self, lo: int, hi: int) -> int:
        """A whole number in ``[lo, hi]`` (shrinking towards ``lo``)."""
        ...

    def boolean(self) -> bool:
        """True or false (shrinking towards false)."""
        ...

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options`` (shrinking towards the first)."""
        ...

    def text(self, alphabet: str, max_size: int) -> str:
        """Text of at most ``max_size`` characters of ``alphabet``."""
        ...


class RandomChooser:
    """Choices from a seeded :class:`random.Random`, for data that looks like a year's
    findings: most checks pass (``boolean`` is true four times in five)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self._rng.randint(lo, hi)

    def boolean(self) -> bool:
        return self._rng.random() < 0.8  # mostly good websites, some failures

    def choice(self, options: Sequence[T]) -> T:
        return self._rng.choice(options)

    def text(self, alphabet: str, max_size: int) -> str:
        return "".join(self._rng.choice(alphabet) for _i in range(self._rng.randint(0, max_size)))


def monitoring_year(rulebook: Rulebook) -> int:
    """The rulebook's year, or the nearest year the working-day calendar covers."""
    years = covered_years()
    if rulebook.year in years:
        return rulebook.year
    return min(years, key=lambda y: abs(y - rulebook.year))


#: The days a generated date is drawn from: the first and the last, both included.
Days = tuple[date, date]


def _day(c: Chooser, days: Days) -> date:
    first, last = days
    return first + timedelta(days=c.integer(0, (last - first).days))


def _number(c: Chooser, fact: Fact, kind: str) -> int | Decimal:
    """A whole number 0..COUNT_SPAN above the minimum, or an exact decimal at one of the
    hundredths of the way from ``min`` to ``max`` (both ends included)."""
    low = fact.min if fact.min is not None else Decimal(0)
    if kind == "int":
        lo = math.ceil(low)
        hi = lo + COUNT_SPAN if fact.max is None else min(lo + COUNT_SPAN, math.floor(fact.max))
        return c.integer(lo, max(lo, hi))
    high = fact.max if fact.max is not None else low + 100
    return low + (high - low) * c.integer(0, 100) / 100


def _scalar(c: Chooser, fact: Fact, kind: str, days: Days) -> Any:
    if kind == "bool":
        return c.boolean()
    if kind == "enum":
        return c.choice(fact.options or [""])
    if kind in ("int", "decimal"):
        return _number(c, fact, kind)
    if kind == "date":
        return _day(c, days)
    if kind == "datetime":
        return datetime.combine(_day(c, days), datetime.min.time()) + timedelta(
            minutes=c.integer(0, 24 * 60 - 1)
        )
    return c.text(TEXT_ALPHABET, _MAX_TEXT)


def _value(
    c: Chooser, fact: Fact, days: Days, needed: frozenset[str], checks: Mapping[str, int]
) -> Any:
    """A valid value of one declared fact; a nullable one is ``null`` one time in ten,
    unless its elements are spot checks (``checks``: how many it has at least)."""
    least = checks.get(fact.id, 0)
    if fact.nullable and c.integer(0, 9) == 9 and not least:
        return None
    if fact.type == "list":
        kind = fact.of or "str"
        at_least = max(least, 1 if kind in ("int", "decimal") or fact.id in needed else 0)
        return [_scalar(c, fact, kind, days) for _i in range(c.integer(at_least, _MAX_LIST))]
    if fact.type == "records":
        fields = fact.fields or {}
        at_least = max(least, 1 if fact.id in needed else 0)
        return [
            {
                name: _scalar(c, Fact(id=name, type=k, ask=fact.ask), k, days)
                for name, k in fields.items()
            }
            for _i in range(c.integer(at_least, max(at_least, _MAX_RECORDS)))
        ]
    return _scalar(c, fact, fact.type, days)


def _sources(ind: Indicator) -> list[str]:
    """Every expression of an indicator, wherever in it they are written."""
    out = [d.expr for d in ind.derived]
    out += [v.when for v in ind.vetoes] + [d.count or d.when or "" for d in ind.deductions]
    if ind.applies:
        out.append(ind.applies)
    for it in ind.items:
        out += [v.when for v in it.vetoes] + it.kind.sources(it.rule)
    return out


def bare_fact(expr: str, facts: Mapping[str, Fact], kind: str) -> str | None:
    """The fact an expression is, when it is the bare name of a non-nullable fact of
    ``kind`` (the generator and verify's monotonicity knobs change such facts alone)."""
    name = expr.strip()
    fact = facts.get(name)
    return name if fact is not None and fact.type == kind and not fact.nullable else None


def _counted_list(expr: str, facts: Mapping[str, Fact]) -> str | None:
    """The list or records fact an expression counts, when it is ``len(name)`` of one
    (a spot check written as the checks made: ``checked: "len(repost_checks)"``)."""
    fact = facts.get(counted_name(expr) or "")
    return fact.id if fact is not None and fact.type in ("list", "records") else None


def _listed_checks(ind: Indicator, checks_from: int) -> dict[str, int]:
    """The lists whose length a proportion item counts as its checks made, each with
    the ``checks_from`` elements it needs at least."""
    decl = {f.id: f for f in ind.facts}
    out: dict[str, int] = {}
    for it in ind.items:
        if it.rule_kind == "proportion":
            counted = _counted_list(it.rule.checked, decl)
            if counted is not None and checks_from:
                out[counted] = checks_from
    return out


def _spot_checks(c: Chooser, ind: Indicator, checks_from: int) -> dict[str, int]:
    """Counts of the proportion items whose passed and checked are bare facts: passed
    never above checked (that is an error by design), checked from ``checks_from``."""
    decl = {f.id: f for f in ind.facts}
    values: dict[str, int] = {}
    for it in ind.items:
        if it.rule_kind != "proportion":
            continue
        passed = bare_fact(it.rule.passed, decl, "int")
        checked = bare_fact(it.rule.checked, decl, "int")
        if passed and checked and passed != checked and not {passed, checked} & values.keys():
            fc, fp = decl[checked], decl[passed]
            lo = max(checks_from, math.ceil(fc.min or 0))
            hi = lo + COUNT_SPAN if fc.max is None else math.floor(fc.max)
            n = values[checked] = c.integer(lo, max(lo, hi))
            p_lo = math.ceil(fp.min or 0)
            p_hi = n if fp.max is None else min(n, math.floor(fp.max))
            values[passed] = c.integer(min(p_lo, p_hi), max(p_lo, p_hi))
    return values


def _indicator(c: Chooser, ind: Indicator, days: Days, checks_from: int) -> dict[str, Any]:
    needed = frozenset().union(*(needs_elements(s) for s in _sources(ind)))
    checks = _listed_checks(ind, checks_from)
    values: dict[str, Any] = dict(_spot_checks(c, ind, checks_from))
    out: dict[str, Any] = {}
    for fact in ind.facts:  # declaration order; one in eight with its evidence
        value = values[fact.id] if fact.id in values else _value(c, fact, days, needed, checks)
        if fact.type != "records" and c.integer(0, 7) == 7:
            value = {"value": value, "evidence": f"https://example.gov.cn/{ind.id}/{fact.id}"}
        out[fact.id] = value
    return out


def findings(
    rulebook: Rulebook, chooser: Chooser, *, checks_from: int = 1, by_monitoring: bool = False
) -> dict[str, Any]:
    """One findings mapping (plain data, as a YAML or JSON file holds it) for
    ``rulebook``, with every declared fact present and valid.

    The department is named by its name, id or an alias; ``checks_from`` is the
    least number of spot checks a proportion item gets (0 lets an item be not
    assessed, which ``verify`` wants to search as well).  Dates fall anywhere in the
    monitoring year, so that ``verify`` also searches findings with a date after the
    monitoring date (a warning, WZ414, and still scored); ``by_monitoring`` keeps
    them on or before it, as a year's real findings record what was seen by then —
    what the benchmarks want, since a warning is work a clean file does not cause.
    """
    if not rulebook.departments:
        raise ValueError(_("the rulebook declares no departments, so no findings can name one"))
    year = monitoring_year(rulebook)
    names = [n for d in rulebook.departments for n in (d.name, d.id, *d.aliases)]
    department = chooser.choice(names)
    year_days = (date(year, 1, 1), date(year, 12, 31))
    monitored = _day(chooser, year_days)
    days = (year_days[0], monitored) if by_monitoring else year_days
    return {
        "wzeval": "findings/1",
        "rulebook": rulebook.id,
        "department": department,
        "monitoring_date": monitored,
        "assessors": ["张三"],
        "indicators": {
            ind.id: _indicator(chooser, ind, days, checks_from) for ind in rulebook.indicators
        },
    }


class _Drawn:
    """Hypothesis's ``draw`` as a :class:`Chooser`, so that its shrinking works on every
    choice the generator makes."""

    def __init__(self, draw: st.DrawFn) -> None:
        from hypothesis import strategies as st

        self._draw = draw
        self._st = st

    def integer(self, lo: int, hi: int) -> int:
        return self._draw(self._st.integers(lo, hi))

    def boolean(self) -> bool:
        return self._draw(self._st.booleans())

    def choice(self, options: Sequence[T]) -> T:
        return self._draw(self._st.sampled_from(options))

    def text(self, alphabet: str, max_size: int) -> str:
        return self._draw(self._st.text(alphabet=alphabet, max_size=max_size))


def findings_strategy(
    rulebook: Rulebook, *, checks_from: int = 1
) -> st.SearchStrategy[dict[str, Any]]:
    """:func:`findings` as a Hypothesis strategy (Hypothesis ships with the ``verify``
    and ``test`` extras)."""
    from hypothesis import strategies as st

    if not rulebook.departments:
        raise ValueError(_("the rulebook declares no departments, so no findings can name one"))

    @st.composite
    def draw_findings(draw: st.DrawFn) -> dict[str, Any]:
        return findings(rulebook, _Drawn(draw), checks_from=checks_from)

    return draw_findings()
