"""PRC working days, answered from the ``chinesecalendar`` package.

"N 个工作日内" counts days on the State Council's calendar: weekends are off,
public holidays are off, and make-up working days (调休, often a Saturday or a
Sunday) are on.  ``chinesecalendar`` carries that calendar year by year.  It only
knows the years whose schedule has been published, so every function here refuses
a date outside :func:`covered_years` with :class:`~wzeval.core._errors.CalendarError`
instead of guessing (a guess would silently change a score).

These functions sit in the scoring hot path (every working-day rule of every
finding calls them), so each year is turned once into a small table: which days
are working days, and how many working days precede each day.  Counting and
stepping are then an index lookup, not a day-by-day walk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import chinese_calendar
from chinese_calendar import constants as _cc_constants

from wzeval.core._errors import CalendarError
from wzeval.core._i18n import _

__all__ = [
    "add_working_days",
    "covered_years",
    "date_of",
    "is_working_day",
    "within_working_days",
    "working_days_between",
]


@functools.lru_cache(maxsize=1)
def covered_years() -> range:
    """The years the installed ``chinesecalendar`` data covers.

    Derived from the package's holiday table rather than hard-coded, so upgrading
    the package extends the range without a code change.  Only years with holiday
    entries count: a make-up working day can be published in the year before its
    own schedule (so ``workdays`` alone could name a year the package cannot
    answer for), and ``chinesecalendar`` itself validates against its holiday
    years.  The range is the unbroken run of such years starting at the first.
    """
    years = {d.year for d in _cc_constants.holidays}
    first = min(years)
    last = first
    while last + 1 in years:
        last += 1
    return range(first, last + 1)


def _range_text() -> str:
    years = covered_years()
    version = getattr(chinese_calendar, "__version__", None) or _("(unknown version)")
    return _("chinesecalendar {version} covers {first}-{last}").format(
        version=version, first=years.start, last=years.stop - 1
    )


def _outside(d: date) -> CalendarError:
    return CalendarError(
        _("date {date} is outside the working-day calendar ({covered})").format(
            date=d.isoformat(), covered=_range_text()
        )
    )


@dataclass(frozen=True, slots=True)
class _Year:
    """One calendar year as lookup tables.

    ``before[i]`` is the number of working days among the year's first ``i`` days
    (so ``before[0] == 0`` and ``before[-1]`` is the year's total), ``ordinals``
    the proleptic ordinals of its working days in order, ``first`` the ordinal of
    1 January.
    """

    first: int
    before: tuple[int, ...]
    ordinals: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.before[-1]

    def index(self, d: date) -> int:
        """0-based day of the year of ``d``."""
        return d.toordinal() - self.first


@functools.cache
def _year(year: int) -> _Year:
    """Build (once per year, then cached) the tables of a covered year."""
    if year not in covered_years():
        raise _outside(date(year, 1, 1))
    first = date(year, 1, 1).toordinal()
    stop = date(year + 1, 1, 1).toordinal()
    before = [0]
    ordinals: list[int] = []
    for ordinal in range(first, stop):
        # The package's own predicate, so weekend, holiday and make-up day rules
        # are exactly the ones it publishes.
        if chinese_calendar.is_workday(date.fromordinal(ordinal)):
            ordinals.append(ordinal)
        before.append(len(ordinals))
    return _Year(first=first, before=tuple(before), ordinals=tuple(ordinals))


def _table(d: date) -> _Year:
    """The tables for ``d``'s year, or :class:`CalendarError` naming ``d``."""
    if d.year not in covered_years():
        raise _outside(d)
    return _year(d.year)


def date_of(value: date | datetime) -> date:
    """The calendar date of ``value``; working-day rules compare dates only, never times."""
    return value.date() if isinstance(value, datetime) else value


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day on the official calendar.

    A ``datetime`` is judged by its date.  Raises :class:`CalendarError` outside
    :func:`covered_years`.
    """
    d = date_of(d)
    table = _table(d)
    i = table.index(d)
    return table.before[i + 1] > table.before[i]


def working_days_between(a: date, b: date) -> int:
    """Working days strictly after ``a`` up to and including ``b``; 0 when ``b <= a``.

    Both ends are checked against the calendar even when ``b <= a``, so a typo in
    a year is reported instead of quietly counting as 0.
    """
    a, b = date_of(a), date_of(b)
    ta, tb = _table(a), _table(b)
    if b <= a:
        return 0
    if a.year == b.year:
        return ta.before[ta.index(b) + 1] - ta.before[ta.index(a) + 1]
    count = ta.total - ta.before[ta.index(a) + 1]
    for year in range(a.year + 1, b.year):
        count += _year(year).total
    return count + tb.before[tb.index(b) + 1]


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day strictly after ``d``; ``d`` itself when ``n == 0``.

    ``n`` must be ``>= 0`` (:class:`ValueError` otherwise: a negative count is a
    caller's bug, not a calendar question).  :class:`CalendarError` when ``d`` or
    the answer lies outside :func:`covered_years`.
    """
    if n < 0:
        raise ValueError(_("n must be >= 0 (got {n})").format(n=n))
    d = date_of(d)
    table = _table(d)
    if n == 0:
        return d
    # Working days of d's year up to and including d; the wanted one is the
    # (done + n)-th of the year, or lies in a later year.
    wanted = table.before[table.index(d) + 1] + n
    year = d.year
    while wanted > table.total:
        wanted -= table.total
        year += 1
        if year not in covered_years():
            raise CalendarError(
                _(
                    "{n} working days after {date} is beyond the working-day calendar ({covered})"
                ).format(n=n, date=d.isoformat(), covered=_range_text())
            )
        table = _year(year)
    return date.fromordinal(table.ordinals[wanted - 1])


def within_working_days(asked: date | datetime, answered: date | datetime, n: int) -> bool:
    """``answered`` no later than the end of the ``n``-th working day after ``asked``.

    Times are dropped (a reply at 23:59 of the last day is in time).  Something
    answered on or before the day it was asked is within.  The answer is decided
    from the days between ``asked`` and ``answered`` only, so a question asked near
    the end of the covered years is still answerable, while a reply on the weekend
    right after the deadline (no further working day in between) is still late.
    """
    if n < 0:
        raise ValueError(_("n must be >= 0 (got {n})").format(n=n))
    asked_day, answered_day = date_of(asked), date_of(answered)
    # Days in (asked, answered] hold k working days.  Fewer than n: the n-th has
    # not come yet.  Exactly n: answered is the n-th working day itself, or a
    # later rest day.  More: too late.
    k = working_days_between(asked_day, answered_day)
    if answered_day <= asked_day or k < n:
        return True
    return k == n and is_working_day(answered_day)
