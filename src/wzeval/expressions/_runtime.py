"""What runs: the whitelisted functions' implementations and bounded exact arithmetic.

Both evaluators (simpleeval, :mod:`._evaluator`, and the generated Python code,
:mod:`._codegen`) call these same functions, so they give the same values and
the same WZ32x failures.  The functions' signatures and type rules are in
:mod:`._functions`.
"""

from __future__ import annotations

from calendar import monthrange  # the standard library module
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, TypeVar, cast

import wzeval.core._calendar as wzcal
from wzeval.core._codes import WZ320, WZ322, WZ323, WZ326
from wzeval.core._i18n import _
from wzeval.expressions._limits import MAX_NUMBER_BITS


class RuntimeFailure(Exception):
    """Raised by a whitelisted function; the evaluator adds the call's offset."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def _non_negative(fn: str, n: int) -> None:
    if n < 0:
        raise RuntimeFailure(WZ323, _("{fn}() needs a count >= 0 (got {n})").format(fn=fn, n=n))


def fn_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError) as exc:
        raise RuntimeFailure(
            WZ323,
            _("date({y}, {m}, {d}) is not a valid date: {exc}").format(y=y, m=m, d=d, exc=exc),
        ) from None


def fn_days_between(a: date, b: date) -> int:
    return (wzcal.date_of(b) - wzcal.date_of(a)).days


def fn_add_days(d: date, n: int) -> date:
    try:
        return wzcal.date_of(d) + timedelta(days=n)
    except OverflowError:
        raise RuntimeFailure(
            WZ323, _("add_days({d}, {n}) leaves the range of dates").format(d=d, n=n)
        ) from None


def fn_months_before(d: date, n: int) -> date:
    _non_negative("months_before", n)
    d = wzcal.date_of(d)
    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    if y < date.min.year:
        raise RuntimeFailure(
            WZ323, _("months_before({d}, {n}) leaves the range of dates").format(d=d, n=n)
        )
    return date(y, m0 + 1, min(d.day, monthrange(y, m0 + 1)[1]))


def fn_year(d: date) -> int:
    return d.year


def fn_month(d: date) -> int:
    return d.month


def fn_working_days_between(a: date, b: date) -> int:
    return wzcal.working_days_between(a, b)


def fn_add_working_days(d: date, n: int) -> date:
    _non_negative("add_working_days", n)
    return wzcal.add_working_days(d, n)


def fn_within_working_days(asked: date, answered: date, n: int) -> bool:
    _non_negative("within_working_days", n)
    return wzcal.within_working_days(asked, answered, n)


def fn_len(xs: Sequence[object]) -> int:
    return len(xs)


def fn_count(xs: Sequence[bool]) -> int:
    return sum(1 for x in xs if x)


_Number = TypeVar("_Number", int, Fraction, int | Fraction)


def _bounded(value: _Number) -> _Number:
    """``value`` if it fits in MAX_NUMBER_BITS, else a WZ326 failure."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_NUMBER_BITS:
        raise RuntimeFailure(
            WZ326,
            _("a number grows past {max_number_bits} bits (about {value} digits)").format(
                max_number_bits=MAX_NUMBER_BITS, value=MAX_NUMBER_BITS * 30103 // 100000
            ),
            hint=_("scores need small numbers; check the arithmetic of the derived facts"),
        )
    return value


def _exact_sum(xs: Iterable[int | Fraction]) -> int | Fraction:
    """``sum(xs, 0)``, with every partial sum bounded."""
    total: int | Fraction = 0
    for x in xs:
        total = _bounded(total + x)
    return total


def add(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a + b)


def sub(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a - b)


def mul(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a * b)


def fn_sum(xs: Sequence[int | Fraction]) -> int | Fraction:
    return _exact_sum(xs)


def _nonempty(fn: str, xs: Sequence[object]) -> None:
    if not xs:
        raise RuntimeFailure(
            WZ322,
            _("{fn}() of an empty list").format(fn=fn),
            hint=_("guard with len(...) > 0 before"),
        )


def fn_mean(xs: Sequence[int | Fraction]) -> Fraction:
    _nonempty("mean", xs)
    return _bounded(Fraction(_exact_sum(xs)) / len(xs))


def _spread(fn: str, args: tuple[object, ...]) -> Sequence[int | Fraction]:
    xs = cast(Sequence[int | Fraction], args[0] if len(args) == 1 else args)
    _nonempty(fn, xs)
    return xs


def fn_min(*args: object) -> int | Fraction:
    return min(_spread("min", args))


def fn_max(*args: object) -> int | Fraction:
    return max(_spread("max", args))


def fn_abs(x: int | Fraction) -> int | Fraction:
    return -x if x < 0 else x


def fn_all(xs: Sequence[bool]) -> bool:
    return all(xs)


def fn_any(xs: Sequence[bool]) -> bool:
    return any(xs)


def fn_count_where(rs: Sequence[Mapping[str, object]], name: str) -> int:
    return sum(1 for r in rs if r[name])


#: The comparisons ``where()`` takes, by their operator text.
WHERE_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
}


def fn_where(
    rs: Sequence[Mapping[str, object]], name: str, op: str, value: object
) -> list[Mapping[str, object]]:
    test = WHERE_OPS[op]
    return [r for r in rs if test(r[name], value)]


def fn_values(rs: Sequence[Mapping[str, object]], name: str) -> list[object]:
    return [r[name] for r in rs]


def fn_sum_of(rs: Sequence[Mapping[str, int | Fraction]], name: str) -> int | Fraction:
    return _exact_sum(r[name] for r in rs)


def fn_mean_of(rs: Sequence[Mapping[str, int | Fraction]], name: str) -> Fraction:
    _nonempty("mean_of", rs)
    return _bounded(Fraction(_exact_sum(r[name] for r in rs)) / len(rs))


def div(a: int | Fraction, b: int | Fraction) -> Fraction:
    if b == 0:
        raise RuntimeFailure(WZ320, _("division by zero"))
    return _bounded(Fraction(a) / b)


def floordiv(a: int | Fraction, b: int | Fraction) -> int:
    if b == 0:
        raise RuntimeFailure(WZ320, _("division by zero"))
    return _bounded(int(a // b))
