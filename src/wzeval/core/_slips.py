"""The usual slips of an evaluator typing findings, recognised so that the fix can be named.

Findings are typed by hand, in Chinese, with an input method that turns ``:`` into
``：`` and in a country where ``2023年11月5日`` and ``2023/11/5`` are how dates are
written.  None of these is *accepted*: a value the evaluator did not write in the
documented form is still an error (a score must not rest on a guess), but the error
names the value that was meant.  Every function here only suggests; it returns
``None`` when it does not recognise the slip.

* :func:`suggest_date` — ``2023/11/5``, ``2023年11月5日``, ``2023.11.5``, ``2023-11-5``,
  ``20231105``, full-width digits → ``2023-11-05`` (and ``HH:MM`` for a datetime);
* :func:`suggest_bool` — 是/否/对/错/有/无, ``yes``/``no``, ``"true"`` → true/false;
* :func:`suggest_int` / :func:`suggest_decimal` — numbers written as text (``"3"``,
  ``３``, ``3个``), in Chinese numerals (``三``, ``十二``), percentages (``80%`` → 0.8);
* :func:`fullwidth_colon` — a key followed by the full-width colon ``：``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "PLACEHOLDER",
    "fullwidth_colon",
    "is_placeholder",
    "number_text",
    "suggest_bool",
    "suggest_date",
    "suggest_decimal",
    "suggest_int",
]

#: What the templates write where a value is still to be recorded (未记录，以后再填).
PLACEHOLDER = "待填写"

_LIMIT = 40  # longer texts are no slip of a number or a date: nothing is suggested
_SHOWN = 120  # the most of a line a suggestion quotes


def is_placeholder(value: object) -> bool:
    """Whether ``value`` is the templates' blank (:data:`PLACEHOLDER`, blanks around it)."""
    return isinstance(value, str) and value.strip() == PLACEHOLDER


def _normal(text: str) -> str:
    """Full-width digits, letters and punctuation as their ASCII forms (NFKC), stripped."""
    return unicodedata.normalize("NFKC", text).strip()


_DATE_FORMS = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
    r"(?:(?:\s+|T)(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})\s*分?(?::(?P<S>\d{1,2}))?)?",
    re.ASCII,
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII)


def suggest_date(value: object, kind: str = "date") -> tuple[str | None, bool]:
    """``(suggestion, recognised)`` for a date (or datetime) written in another form.

    ``recognised`` is true when ``value`` has the shape of a date; the suggestion is
    ``None`` when that date cannot exist (``2023/2/30``).  A datetime without a time
    is suggested as the date alone (``YYYY-MM-DD`` is a valid datetime).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > _LIMIT:
        return None, False
    text = _normal(value)
    m = _DATE_FORMS.fullmatch(text) or _COMPACT.fullmatch(text)
    if m is None:
        return None, False
    groups = m.groupdict()
    try:
        day = date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    except ValueError:
        return None, True
    if groups.get("H") is None:
        return day.isoformat(), True
    if kind != "datetime":
        return day.isoformat(), True
    try:
        when = datetime(
            day.year, day.month, day.day, int(groups["H"]), int(groups["M"]), int(groups["S"] or 0)
        )
    except ValueError:
        return None, True
    return when.strftime("%Y-%m-%d %H:%M" + (":%S" if groups["S"] else "")), True


_TRUE = frozenset({"是", "对", "有", "真", "√", "✓", "✔", "yes", "y", "on", "true"})
_FALSE = frozenset(
    {"否", "错", "无", "没有", "不是", "假", "×", "✗", "✘", "no", "n", "off", "false"}
)


def suggest_bool(value: object) -> bool | None:
    """true/false for 是/否/对/错/有/无, yes/no, quoted ``"true"`` and the like."""
    if not isinstance(value, str) or len(value) > _LIMIT:
        return None
    text = _normal(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_COUNTERS = re.compile(r"(个|处|条|次|项|篇|家|人|天|日|件|名|分)$")


def _chinese_number(text: str) -> int | None:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105 (up to 99 999); else None."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    total = section = 0
    digit: int | None = None
    for c in text:
        if c in _DIGITS:
            if digit is not None:  # 二三: no numeral
                return None
            digit = _DIGITS[c]
        else:
            unit = _UNITS[c]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section, digit = 0, None
                continue
            section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def _number(value: object) -> Decimal | None:
    """The number a text means: ``"3"``, ``３``, ``3个``, ``三``, ``1,234``; else None."""
    if not isinstance(value, str) or len(value) > _LIMIT:
        return None
    text = _normal(value).replace(",", "").replace(" ", "")
    text = _COUNTERS.sub("", text)
    n = _chinese_number(text)
    if n is not None:
        return Decimal(n)
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text, re.ASCII):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def number_text(value: Decimal | Fraction | int) -> str:
    """A number as it is written in findings: ``0.8``, ``3``, never ``8E-1``."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{Decimal(value).normalize():f}"
    return text


def suggest_int(value: object) -> int | None:
    """The whole number meant by a text (``"3"``, ``三``, ``十二``, ``3个``); else None."""
    n = _number(value)
    if n is None or n != n.to_integral_value():
        return None
    return int(n)


def suggest_decimal(value: object, maximum: Decimal | None = None) -> tuple[Decimal, bool] | None:
    """``(number, was_percent)`` meant by a text: ``"0.8"``, ``八``, ``80%`` → 0.8.

    A percentage is suggested as the share it names (``80%`` → 0.8), exactly.
    """
    if not isinstance(value, str) or len(value) > _LIMIT:
        return None
    text = _normal(value)
    if text.endswith(("%", "％")) or text.startswith("百分之"):
        body = text[3:] if text.startswith("百分之") else text[:-1]
        n = _number(body)
        return (n / 100, True) if n is not None else None
    n = _number(text)
    return (n, False) if n is not None else None


# a key (no blanks, no quotes or flow characters) followed by the full-width colon
_FULLWIDTH_KEY = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:：#'\"{}\[\],&*!|>%@`][^\s:：#]*)："
)


def fullwidth_colon(line: str) -> tuple[int, str] | None:
    """``(column, fixed line)`` when ``line`` starts with a key and a full-width colon.

    ``column`` is 1-based, the column of ``：``; the fixed line has ``: `` in its place.
    """
    m = _FULLWIDTH_KEY.match(line)
    if m is None:
        return None
    at = m.end() - 1
    rest = line[at + 1 :].lstrip(" \u3000")
    fixed = (line[:at] + ": " + rest if rest else line[:at] + ":").rstrip()
    if len(fixed) > _SHOWN:  # a message quotes the line: never a megabyte of it
        fixed = fixed[: _SHOWN - 1] + "…"
    return at + 1, fixed
