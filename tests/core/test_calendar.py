"""PRC working days (ruling R3) on the installed chinesecalendar data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wzeval.core._calendar import (
    add_working_days,
    covered_years,
    date_of,
    is_working_day,
    within_working_days,
    working_days_between,
)
from wzeval.core._errors import CalendarError
from wzeval.core._i18n import speaking

YEARS = covered_years()
FIRST = date(YEARS.start, 1, 1)
LAST = date(YEARS.stop - 1, 12, 31)
BEFORE = FIRST - timedelta(days=1)
AFTER = LAST + timedelta(days=1)

covered_dates = st.dates(min_value=FIRST, max_value=LAST)


# ------------------------------------------------------------------ covered years


def test_covered_years_include_2023_and_come_from_the_package() -> None:
    """The covered range contains 2023 and is the range chinesecalendar itself accepts."""
    assert 2023 in YEARS
    assert len(YEARS) > 1
    # The package answers on both ends of the range and refuses just outside it.
    chinese_calendar.is_workday(FIRST)
    chinese_calendar.is_workday(LAST)
    for outside in (BEFORE, AFTER):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(outside)


# ------------------------------------------------------------------- known dates


def test_national_day_2023_holiday_and_make_up_days() -> None:
    """2023-09-29..10-06 were off, and Saturday 10-07 and Sunday 10-08 were make-up working days.

    So the first working day after Thursday 2023-09-28 is Saturday 2023-10-07.
    """
    for day in range(29, 31):
        assert not is_working_day(date(2023, 9, day))
    for day in range(1, 7):
        assert not is_working_day(date(2023, 10, day))
    assert date(2023, 10, 7).weekday() == 5 and is_working_day(date(2023, 10, 7))
    assert date(2023, 10, 8).weekday() == 6 and is_working_day(date(2023, 10, 8))
    assert add_working_days(date(2023, 9, 28), 1) == date(2023, 10, 7)
    assert add_working_days(date(2023, 9, 28), 2) == date(2023, 10, 8)
    assert add_working_days(date(2023, 9, 28), 3) == date(2023, 10, 9)


def test_ordinary_weekend_is_off_and_weekdays_are_on() -> None:
    """An ordinary weekend (2023-09-23/24) is off; the Friday and Monday around it are on."""
    assert is_working_day(date(2023, 9, 22))
    assert not is_working_day(date(2023, 9, 23))
    assert not is_working_day(date(2023, 9, 24))
    assert is_working_day(date(2023, 9, 25))
    assert add_working_days(date(2023, 9, 22), 1) == date(2023, 9, 25)
    assert working_days_between(date(2023, 9, 22), date(2023, 9, 25)) == 1


def test_all_2023_make_up_days_are_working_days() -> None:
    """Every 2023 make-up day published by the State Council (all on weekends) is a working day."""
    make_up = [(1, 28), (1, 29), (4, 23), (5, 6), (6, 25), (10, 7), (10, 8)]
    for month, day in make_up:
        d = date(2023, month, day)
        assert d.weekday() >= 5
        assert is_working_day(d)


def test_a_datetime_is_judged_by_its_date() -> None:
    """A datetime late on a rest day is still a rest day."""
    assert not is_working_day(datetime(2023, 10, 1, 23, 59))
    assert is_working_day(datetime(2023, 10, 7, 0, 0))


def test_date_of_drops_the_time() -> None:
    """date_of gives a datetime's date and leaves a date alone."""
    assert date_of(datetime(2023, 10, 7, 23, 59)) == date(2023, 10, 7)
    assert type(date_of(datetime(2023, 10, 7, 23, 59))) is date
    assert date_of(date(2023, 10, 7)) == date(2023, 10, 7)
    assert add_working_days(datetime(2023, 9, 28, 9, 0), 0) == date(2023, 9, 28)


def test_n_zero_returns_the_day_itself() -> None:
    """add_working_days(d, 0) is d, even when d is a rest day."""
    assert add_working_days(date(2023, 10, 1), 0) == date(2023, 10, 1)


def test_working_days_between_is_zero_when_b_not_after_a() -> None:
    """No working days lie strictly after a up to b when b <= a."""
    assert working_days_between(date(2023, 9, 28), date(2023, 9, 28)) == 0
    assert working_days_between(date(2023, 10, 9), date(2023, 9, 1)) == 0


def test_working_days_between_counts_a_whole_year() -> None:
    """From 2022-12-31 to 2023-12-31 counts every 2023 working day (249 in 2023)."""
    expected = sum(
        1 for i in range(365) if chinese_calendar.is_workday(date(2023, 1, 1) + timedelta(days=i))
    )
    assert working_days_between(date(2022, 12, 31), date(2023, 12, 31)) == expected == 249


def test_negative_n_is_a_value_error() -> None:
    """A negative working-day count is refused, not treated as counting backwards (in
    Chinese by default, in English when asked)."""
    with pytest.raises(ValueError, match=r"^n 须 >= 0（实际为 -1）$"):
        add_working_days(date(2023, 9, 28), -1)
    with pytest.raises(ValueError, match="n 须 >= 0"):
        within_working_days(date(2023, 9, 28), date(2023, 9, 28), -1)
    with speaking("en"), pytest.raises(ValueError, match=r"^n must be >= 0 \(got -2\)$"):
        add_working_days(date(2023, 9, 28), -2)


# ----------------------------------------------------------------- R3 boundary


def test_r3_answer_on_the_nth_working_day_is_within_and_the_next_day_is_not() -> None:
    """Asked 2023-09-28: the 1st working day after is 10-07 (within), 10-08 is late."""
    asked = date(2023, 9, 28)
    assert within_working_days(asked, date(2023, 10, 7), 1)
    assert not within_working_days(asked, date(2023, 10, 8), 1)
    # Over the holiday week nothing is late yet.
    assert within_working_days(asked, date(2023, 10, 6), 1)


def test_r3_reply_on_the_rest_day_after_the_deadline_is_late() -> None:
    """Asked Thu 2023-03-02 within 1 working day: Fri 03-03 is in time, Sat 03-04 is late."""
    assert within_working_days(date(2023, 3, 2), date(2023, 3, 3), 1)
    assert not within_working_days(date(2023, 3, 2), date(2023, 3, 4), 1)


def test_r3_compares_dates_not_times() -> None:
    """A reply at 23:59 on the last allowed day is within; one minute later is not."""
    asked = datetime(2023, 9, 28, 18, 0)
    assert within_working_days(asked, datetime(2023, 10, 7, 23, 59), 1)
    assert not within_working_days(asked, datetime(2023, 10, 8, 0, 0), 1)


def test_r3_same_day_and_earlier_answers_are_within() -> None:
    """Answered the day it was asked (or before) is within even 0 working days."""
    assert within_working_days(date(2023, 10, 1), date(2023, 10, 1), 0)
    assert within_working_days(date(2023, 10, 5), date(2023, 10, 1), 0)
    assert not within_working_days(date(2023, 10, 6), date(2023, 10, 7), 0)


def test_r3_works_near_the_end_of_the_covered_years() -> None:
    """A question asked late in the last covered year and answered then is decidable."""
    last_year = YEARS.stop - 1
    asked = date(last_year, 12, 28)
    assert within_working_days(asked, date(last_year, 12, 29), 10)


# ------------------------------------------------------------ outside the range


@pytest.mark.parametrize("outside", [BEFORE, AFTER, date(1999, 6, 1), date(2100, 1, 1)])
def test_dates_outside_covered_years_raise_calendar_error(outside: date) -> None:
    """Every function refuses an uncovered date, naming it and the covered range."""
    inside = date(2023, 9, 28)
    calls: list[Callable[[], object]] = [
        lambda: is_working_day(outside),
        lambda: add_working_days(outside, 0),
        lambda: add_working_days(outside, 3),
        lambda: working_days_between(outside, inside),
        lambda: working_days_between(inside, outside),
        lambda: within_working_days(outside, inside, 1),
        lambda: within_working_days(inside, outside, 1),
    ]
    for call in calls:
        with pytest.raises(CalendarError) as info:
            call()
        assert outside.isoformat() in str(info.value)
        assert f"{YEARS.start}-{YEARS.stop - 1}" in str(info.value)
        assert info.value.code == "WZ310"


def test_stepping_past_the_last_covered_year_raises() -> None:
    """add_working_days never guesses days beyond the data."""
    with pytest.raises(CalendarError, match="之后第 1 个工作日超出工作日历范围"):
        add_working_days(LAST, 1)
    with speaking("en"), pytest.raises(CalendarError, match="beyond the working-day calendar"):
        add_working_days(LAST, 1)
    with pytest.raises(CalendarError):
        add_working_days(date(2023, 1, 1), 10**9)


# ----------------------------------------------------------------- properties


@given(covered_dates, st.integers(min_value=0, max_value=400))
def test_counting_undoes_stepping(a: date, n: int) -> None:
    """working_days_between(a, add_working_days(a, n)) == n."""
    try:
        b = add_working_days(a, n)
    except CalendarError:
        assume(False)
        raise  # pragma: no cover
    assert working_days_between(a, b) == n
    if n > 0:
        assert is_working_day(b)
        assert b > a


@given(covered_dates)
def test_is_working_day_agrees_with_the_package(d: date) -> None:
    """is_working_day is chinesecalendar's is_workday on every covered date."""
    assert is_working_day(d) == chinese_calendar.is_workday(d)


@given(covered_dates, st.integers(min_value=-30, max_value=120))
def test_working_days_between_counts_day_by_day(a: date, span: int) -> None:
    """The table lookup equals a day-by-day count, also across year ends."""
    b = a + timedelta(days=span)
    assume(b <= LAST)
    brute = sum(1 for i in range(1, span + 1) if is_working_day(a + timedelta(days=i)))
    assert working_days_between(a, b) == brute


@given(covered_dates, st.integers(min_value=-10, max_value=60), st.integers(0, 20))
def test_within_agrees_with_the_deadline_definition(a: date, span: int, n: int) -> None:
    """within_working_days(a, b, n) is exactly b <= the n-th working day after a."""
    b = a + timedelta(days=span)
    try:
        deadline = add_working_days(a, n)
    except CalendarError:
        assume(False)
        raise  # pragma: no cover
    assume(b <= LAST)
    assert within_working_days(a, b, n) == (b <= deadline)


def test_tables_are_built_once_per_year() -> None:
    """20 000 mixed calls over 200 days build each year's tables once, then read them
    (the speed itself is measured by benchmarks, not asserted here)."""
    import wzeval.core._calendar as cal

    asked = date(2023, 3, 1)
    cal._year.cache_clear()
    for i in range(5000):
        d = asked + timedelta(days=i % 200)
        is_working_day(d)
        add_working_days(d, 5)
        working_days_between(asked, d)
        within_working_days(asked, d, 10)
    info = cal._year.cache_info()
    assert info.misses == 1  # 2023-03-01 + 199 days + 5 working days stays in 2023
    assert info.hits > 20_000
