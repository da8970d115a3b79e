"""The usual value of each fact taken by a checker made once per fact, before the
checker of record.

:class:`wzeval.checking._factvalues.ValueChecker` checks a value by dispatching on
the fact's type at every value (and at every element and field), shows it for a
message that is mostly never written and builds its name; that was a third of a
findings file's checking in a batch (docs/performance.md, issue 15 goal 2).  Almost
every value is the usual case — the right type, in range, no slip, no blank, no date
after the monitoring date — and for it the answer is known without any of that.

:func:`usual_checker` makes, once per fact of the rulebook, a function that returns
the converted value of such a value, exactly what ``ValueChecker.convert`` returns
for it (the same conversions: ``Fraction`` of the same number, ``parse_date`` of the
same text), and :data:`REFER` for anything else: a wrong type, a value out of range,
a text holding the blank (待填写), a list that may be a slip, a date later than the
monitoring date or outside the working-day calendar.  The checker of record then
decides, and reports what it reports: the fast checker never reports, never notes a
blank, and never takes what the checker of record would refuse or warn about.
:func:`indicator_checkers` keeps them per indicator on the compiled rulebook.
``WZEVAL_REFERENCE=1`` leaves every value to the checker of record;
tests/checking/test_usual.py proves both give the same values and issues.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Final

from wzeval.checking._checks import CompiledIndicator, CompiledRulebook
from wzeval.checking._factvalues import _LIST_SLIP, _too_big
from wzeval.core._calendar import covered_years
from wzeval.core._dates import parse_date, parse_datetime
from wzeval.core._slips import PLACEHOLDER
from wzeval.model._models import Fact

__all__ = ["REFER", "IndicatorCheckers", "indicator_checkers", "usual_checker"]


class _Refer:
    """The type of :data:`REFER`."""

    def __repr__(self) -> str:
        return "REFER"


#: What a usual checker returns for a value that is not the usual case.
REFER: Final = _Refer()

#: A usual checker: the value and the monitoring date (``None``: not known) → the
#: converted value, or :data:`REFER`.
Usual = Callable[[object, date | None], object]

#: An indicator's declared facts by id, its derived facts' ids, and each declared
#: fact's usual checker (none with ``WZEVAL_REFERENCE=1``).
IndicatorCheckers = tuple[dict[str, Fact], frozenset[str], dict[str, Usual]]


def _refer_all(_value: object, _mdate: date | None) -> object:
    return REFER


def _bound(limit: Decimal | None) -> Fraction | None:
    """A fact's min or max as the checker of record compares with it."""
    return None if limit is None else Fraction(limit)


def _scalar(kind: str, fact: Fact | None, calendar: bool) -> Usual:
    """The usual checker of one scalar of ``kind``; ``fact`` gives the options and range
    (``None``: a record's field, which has neither)."""
    lo = hi = None
    if fact is not None:
        lo, hi = _bound(fact.min), _bound(fact.max)
    if kind == "bool":

        def boolean(value: object, _mdate: date | None) -> object:
            return value if value is True or value is False else REFER

        return boolean
    if kind == "str":

        def text(value: object, _mdate: date | None) -> object:
            # a text holding the blank may be "not recorded yet": the checker of record's
            return value if type(value) is str and PLACEHOLDER not in value else REFER

        return text
    if kind == "enum":
        options = frozenset(fact.options or []) if fact is not None else frozenset()

        def option(value: object, _mdate: date | None) -> object:
            return value if type(value) is str and value in options else REFER

        return option
    if kind == "int":

        def whole(value: object, _mdate: date | None) -> object:
            if type(value) is not int or (lo is not None and value < lo):
                return REFER
            return value if hi is None or value <= hi else REFER

        return whole
    if kind == "decimal":

        def number(value: object, _mdate: date | None) -> object:
            if not (
                type(value) is int
                or (type(value) is Decimal and value.is_finite() and not _too_big(value))
            ):
                return REFER  # not a number, or one the checker of record refuses
            num = Fraction(value)
            if (lo is not None and num < lo) or (hi is not None and num > hi):
                return REFER
            return num

        return number
    if kind == "date" or kind == "datetime":
        parse = parse_date if kind == "date" else parse_datetime
        native = date if kind == "date" else datetime

        def day(value: object, mdate: date | None) -> object:
            conv: date
            if type(value) is native:
                assert isinstance(value, date)
                conv = value
            elif type(value) is str:
                try:
                    conv = parse(value)
                except ValueError:
                    return REFER
            else:
                return REFER
            if calendar and conv.year not in covered_years():
                return REFER  # WZ411
            when = conv.date() if isinstance(conv, datetime) else conv
            if mdate is not None and when > mdate:
                return REFER  # WZ414, a warning
            return conv

        return day
    return _refer_all  # pragma: no cover - the models allow no other type


def _listed(fact: Fact, calendar: bool) -> Usual:
    one = _scalar(fact.of or "str", fact, calendar)

    def listed(value: object, mdate: date | None) -> object:
        if type(value) is not list:
            return REFER
        if len(value) == 1:
            joined = value[0]
            if isinstance(joined, str) and len(joined) <= 200 and _LIST_SLIP.search(joined):
                return REFER  # items joined by full-width commas: a slip
        out = []
        for v in value:
            conv = one(v, mdate)  # None and the blank are not taken: holes
            if conv is REFER:
                return REFER
            out.append(conv)
        return out

    return listed


def _records(fact: Fact, calendar: bool) -> Usual:
    fields = fact.fields or {}
    names = fields.keys()
    each = [(name, _scalar(kind, None, calendar)) for name, kind in fields.items()]

    def records(value: object, mdate: date | None) -> object:
        if type(value) is not list:
            return REFER
        out = []
        for rec in value:
            if type(rec) is not dict or rec.keys() != names:
                return REFER  # a blank, not a mapping, a field unknown or missing
            conv_rec: dict[str, object] = {}
            for name, one in each:
                conv = one(rec[name], mdate)
                if conv is REFER:
                    return REFER
                conv_rec[name] = conv
            out.append(conv_rec)
        return out

    return records


def usual_checker(fact: Fact, calendar: bool) -> Usual:
    """The usual checker of ``fact`` (``calendar``: its dates are read by working-day
    functions)."""
    if fact.type == "list":
        return _listed(fact, calendar)
    if fact.type == "records":
        return _records(fact, calendar)
    return _scalar(fact.type, fact, calendar)


def _reference() -> bool:
    return os.environ.get("WZEVAL_REFERENCE", "") == "1"


def indicator_checkers(crb: CompiledRulebook) -> dict[str, IndicatorCheckers]:
    """Every indicator's facts and their usual checkers, made on the first check with
    this compiled rulebook and kept on it (``WZEVAL_REFERENCE=1``: none, every value to
    the checker of record)."""
    key = "checkers:reference" if _reference() else "checkers"
    found = crb.cache.get(key)
    if found is None:
        reference = key != "checkers"
        found = crb.cache[key] = {c.indicator.id: _checkers(c, reference) for c in crb.indicators}
    return found  # type: ignore[return-value]


def _checkers(cind: CompiledIndicator, reference: bool) -> IndicatorCheckers:
    ind = cind.indicator
    usual: dict[str, Usual] = {}
    if not reference:
        usual = {f.id: usual_checker(f, f.id in cind.calendar_facts) for f in ind.facts}
    return {f.id: f for f in ind.facts}, frozenset(d.id for d in ind.derived), usual
