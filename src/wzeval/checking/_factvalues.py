"""Fact values checked and converted: the scalars, lists and records of findings.

What :mod:`wzeval.checking._findings` does with each value once it knows which fact it is:
check it against the fact's type and range and convert it to the runtime form the
expressions use (decimals become :class:`fractions.Fraction`, ISO strings dates).
A known slip (``是`` for true, ``80%`` for 0.8, ``2023/11/5`` for 2023-11-05, an
option's Chinese label, see :mod:`wzeval.core._slips`) is refused with the value meant
named in the message; a blank inside a list or a record is noted as not recorded
yet (:data:`wzeval.checking._findings.FILLING_RULE`); a date later than the monitoring date
is a warning (WZ414).  Kept apart from the document's structure (header,
indicators, which facts are owed) so that each part reads on its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from wzeval.checking._checks import CompiledIndicator
from wzeval.core._calendar import covered_years
from wzeval.core._codes import WZ117, WZ403, WZ404, WZ405, WZ406, WZ411, WZ414
from wzeval.core._dates import parse_date, parse_datetime
from wzeval.core._errors import WzevalError
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, PathPart, Severity, did_you_mean
from wzeval.core._slips import (
    PLACEHOLDER,
    fullwidth_colon,
    is_placeholder,
    number_text,
    suggest_bool,
    suggest_date,
    suggest_decimal,
    suggest_int,
)
from wzeval.model._models import Fact
from wzeval.reading._yamlcore import MAX_DECIMAL_EXPONENT, MAX_NUMBER_LENGTH, Document

__all__ = ["Hole", "ValueChecker", "shown_value", "typename"]

#: A blank inside a list or a record: its path, its name (``ind.fact[2].field``) and
#: whether it is reported at its key (an empty value has no place of its own).
Hole = tuple[tuple[PathPart, ...], str, bool]


class ValueChecker:
    """Checks values into ``issues`` at their place in ``doc``; the findings checker is
    one (it sets these attributes)."""

    doc: Document
    issues: list[Issue]
    mdate: date | None
    holes: list[Hole]

    def issue(
        self,
        code: str,
        message: str,
        path: tuple[PathPart, ...],
        hint: str | None = None,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(
            Issue(
                code,
                message,
                path=path,
                position=self.doc.position(path, key=key),
                hint=hint,
                severity=severity,
            )
        )

    # ------------------------------------------------------------------ values

    def fullwidth_value(self, text: str, path: tuple[PathPart, ...]) -> bool:
        """A mapping read as one text because its only key ends in a full-width colon
        (``org_info_published： true``): reported at that colon (WZ117)."""
        found = fullwidth_colon(text)
        if found is None:
            return False
        col, fixed = found
        where = self.doc.position(path)
        self.issues.append(
            Issue(
                WZ117,
                _(
                    "a full-width colon '：' follows the key, and YAML only "
                    "knows the half-width ':'; write: {strip}"
                ).format(strip=fixed.strip()),
                path=path,
                position=replace(where, col=where.col + col - 1) if where.line > 0 else where,
                hint=_(
                    "replace the full-width colon '：' with a half-width ':' "
                    "followed by a space (switch to the English input method)"
                ),
            )
        )
        return True

    def date_value(self, value: object, path: tuple[PathPart, ...], what: str) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value is None or is_placeholder(value):
            self.issue(
                WZ404,
                _("the monitoring date (monitoring_date) is not filled in yet"),
                path,  # a workbook places it on its row even when blank
                key=True,  # an empty value has no place of its own: the key's line
                hint=_(
                    "write monitoring_date: YYYY-MM-DD, e.g. "
                    "monitoring_date: 2023-11-15; every time limit counts "
                    "back from that day, and a partial scoring (--partial) "
                    "needs it too"
                ),
            )
            return None
        if isinstance(value, str | int) and not isinstance(value, bool):
            if isinstance(value, str):
                try:
                    return parse_date(value)
                except ValueError:
                    pass
            suggestion, shaped = suggest_date(value)  # 2023/11/22, 20231122 (a YAML int)
            if suggestion is not None:
                self.issue(
                    WZ405,
                    _(
                        "{what}: the date '{value}' is not in YYYY-MM-DD form; write {suggestion}"
                    ).format(what=what, value=value, suggestion=suggestion),
                    path,
                    hint=_(_DATE_HINT),
                )
            else:
                self.issue(
                    WZ405,
                    _("{what}: {value} is not a real date").format(
                        what=what, value=shown_value(value)
                    )
                    + (_(" (no such day exists)") if shaped else ""),
                    path,
                    hint=_("write YYYY-MM-DD, e.g. 2023-11-15"),
                )
            return None
        self.issue(
            WZ405,
            _("{what} must be a date (got {value})").format(what=what, value=typename(value)),
            path,
            hint=_("write YYYY-MM-DD"),
        )
        return None

    def convert(
        self,
        fact: Fact,
        value: object,
        path: tuple[PathPart, ...],
        cind: CompiledIndicator,
        calendar: bool,
    ) -> tuple[bool, object]:
        if (value is True or value is False) and fact.type == "bool":
            return True, value  # the usual answer, taken as scalar() → _bool() takes it
        name = f"{cind.indicator.id}.{fact.id}"
        if value is None:
            if fact.nullable:
                return True, None
            self.issue(
                WZ405,
                _("{name} needs a value ({type})").format(name=name, type=fact.type),
                path,
                hint=_("this fact may not be empty"),
            )
            return False, None
        if fact.type == "list":
            joined = value[0] if isinstance(value, list) and len(value) == 1 else value
            if isinstance(joined, str) and len(joined) <= 200 and _LIST_SLIP.search(joined):
                items = [x.strip() for x in _LIST_SLIP.split(joined.strip("[]［］ "))]
                self.issue(
                    WZ405,
                    _(
                        "{name}: the items of the list are separated by "
                        "full-width commas or 、; write [{items}]"
                    ).format(name=name, items=", ".join(items)),
                    path,
                    hint=_(
                        "write a list as [a, b, c]: half-width brackets and "
                        "commas (switch to the English input method)"
                    ),
                )
                return False, None
            if not isinstance(value, list):
                self.issue(
                    WZ405, _("{name} must be a list of {of}").format(name=name, of=fact.of), path
                )
                return False, None
            out = []
            ok = True
            for i, v in enumerate(value):
                if self.hole(v, fact.options, (*path, i), f"{name}[{i}]"):
                    continue
                good, conv = self.scalar(
                    fact, fact.of or "str", v, (*path, i), f"{name}[{i}]", calendar
                )
                ok = ok and good
                out.append(conv)
            return ok, out
        if fact.type == "records":
            return self._records(fact, value, path, name, calendar)
        return self.scalar(fact, fact.type, value, path, name, calendar)

    def _records(
        self, fact: Fact, value: object, path: tuple[PathPart, ...], name: str, calendar: bool
    ) -> tuple[bool, object]:
        """A list of records, each a mapping of the fact's fields (an unknown or missing
        field reported at its place, a blank one noted as not recorded yet)."""
        if not isinstance(value, list):
            self.issue(WZ405, _("{name} must be a list of records").format(name=name), path)
            return False, None
        fields = fact.fields or {}
        records = []
        ok = True
        for i, rec in enumerate(value):
            rpath = (*path, i)
            if self.hole(rec, None, rpath, f"{name}[{i}]"):
                continue
            if not isinstance(rec, Mapping):
                self.issue(
                    WZ405,
                    _("{name}[{i}] must be a mapping of {fields}").format(
                        name=name, i=i, fields=", ".join(fields)
                    ),
                    rpath,
                )
                ok = False
                continue
            conv_rec: dict[str, object] = {}
            for k in rec:
                if k not in fields:
                    self.issue(
                        WZ403,
                        _("unknown field {k!r} in {name}").format(k=k, name=name),
                        (*rpath, k),
                        hint=did_you_mean(str(k), fields),
                        key=True,
                    )
                    ok = False
            for fname, ftype in fields.items():
                if fname not in rec:
                    self.issue(
                        WZ404,
                        _("{name}[{i}] misses field {fname!r}").format(name=name, i=i, fname=fname),
                        rpath,
                    )
                    ok = False
                    continue
                if self.hole(rec[fname], None, (*rpath, fname), f"{name}[{i}].{fname}"):
                    continue
                sub = _field_fact(fname, ftype, fact.ask)
                good, conv = self.scalar(
                    sub, ftype, rec[fname], (*rpath, fname), f"{name}[{i}].{fname}", calendar
                )
                ok = ok and good
                conv_rec[fname] = conv
            records.append(conv_rec)
        return ok, records

    def hole(
        self, value: object, options: list[str] | None, path: tuple[PathPart, ...], name: str
    ) -> bool:
        """Whether an element of a list or a field of a record is not recorded yet (null,
        待填写, left empty): :data:`FILLING_RULE` holds inside as for a whole value, so the
        fact is not recorded yet (noted in ``self.holes``, reported where it is)."""
        if not (value is None or (is_placeholder(value) and PLACEHOLDER not in (options or []))):
            return False
        empty = value is None and self.doc.empty_value(path)
        self.holes.append((path, name, empty))
        return True

    def scalar(
        self,
        fact: Fact,
        kind: str,
        value: object,
        path: tuple[PathPart, ...],
        name: str,
        calendar: bool,
    ) -> tuple[bool, object]:
        """Check and convert one scalar; ``calendar`` marks dates read by working-day functions.

        A value that is a known slip (``是`` for true, ``80%`` for 0.8, ``2023/11/5`` for
        2023-11-05, an option's Chinese label) is refused with the value meant named in
        the message (see :mod:`wzeval.core._slips`).
        """
        shown = (
            shown_value(value).strip("'\"")
            if isinstance(value, str)
            else str(value)
            if isinstance(value, int | Decimal)
            else shown_value(value)
        )
        if kind == "bool":
            return self._bool(value, path, name, shown)
        if kind == "str":
            return (
                (True, value)
                if isinstance(value, str)
                else self._wrong(name, value, path, _("text"))
            )
        if kind == "enum":
            return self._enum(fact, value, path, name, shown)
        if kind in ("int", "decimal"):
            return self._number(fact, kind, value, path, name, shown)
        if kind in ("date", "datetime"):
            return self._date(kind, value, path, name, shown, calendar)
        raise WzevalError(f"unknown fact type {kind!r}")  # pragma: no cover - models forbid it

    def _wrong(
        self,
        name: str,
        value: object,
        path: tuple[PathPart, ...],
        expected: str,
        hint: str | None = None,
    ) -> tuple[bool, object]:
        """A value of the wrong type or form: WZ405 naming what was expected and got."""
        self.issue(
            WZ405,
            _("{name} must be {expected} (got {type} {value})").format(
                name=name, expected=expected, type=typename(value), value=shown_value(value)
            ),
            path,
            hint=hint,
        )
        return False, None

    def _slip(
        self,
        name: str,
        path: tuple[PathPart, ...],
        what: str,
        meant: str,
        hint: str,
        code: str = WZ405,
    ) -> tuple[bool, object]:
        """A known slip: refused with the value meant named in the message."""
        self.issue(
            code,
            _("{name}: {what}; write {meant}").format(name=name, what=what, meant=meant),
            path,
            hint=hint,
        )
        return False, None

    def _bool(
        self, value: object, path: tuple[PathPart, ...], name: str, shown: str
    ) -> tuple[bool, object]:
        """A yes/no answer: true or false (是/否, 对/错, 1/0 named as the slip they are)."""
        if isinstance(value, bool):
            return True, value
        truth = suggest_bool(value)
        if truth is None and isinstance(value, int) and value in (0, 1):
            truth = bool(value)
        if truth is not None:
            return self._slip(
                name,
                path,
                _("'{value}' is not true/false").format(value=shown),
                "true" if truth else "false",
                _("a yes/no question takes true or false (lower case, no quotes)"),
            )
        return self._wrong(name, value, path, _("true or false"))

    def _enum(
        self, fact: Fact, value: object, path: tuple[PathPart, ...], name: str, shown: str
    ) -> tuple[bool, object]:
        """One of the options (its Chinese label, another case or spaces named as slips)."""
        opts = fact.options or []
        if isinstance(value, str) and value in opts:
            return True, value
        labels = {label: o for o, label in (fact.option_labels or {}).items()}
        meant = _option_meant(value, opts, labels)
        if meant is not None:
            option, why = meant
            return self._slip(
                name,
                path,
                _("'{value}' {why}").format(value=shown, why=why),
                option,
                _("write the option itself: {options}").format(options=" / ".join(opts)),
            )
        return self._wrong(
            name,
            value,
            path,
            _("one of {options}").format(options=", ".join(opts)),
            did_you_mean(str(value), opts)
            or _("choose one of: {options}").format(options=", ".join(opts)),
        )

    def _number(
        self,
        fact: Fact,
        kind: str,
        value: object,
        path: tuple[PathPart, ...],
        name: str,
        shown: str,
    ) -> tuple[bool, object]:
        """A whole number or a decimal within the fact's range (text, percentages and
        decimal points in counts named as slips)."""
        if isinstance(value, float) and kind == "decimal":
            # In-memory findings from Python callers: read the float as the literal it
            # prints as (0.7 → 7/10), which is what the caller wrote.
            value = Decimal(repr(value))
        if isinstance(value, str):
            slipped = self._number_as_text(kind, value, path, name, shown)
            if slipped is not None:
                return slipped
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return self._wrong(
                name, value, path, _("a whole number") if kind == "int" else _("a number")
            )
        if isinstance(value, Decimal) and not value.is_finite():
            return self._wrong(name, value, path, _("a finite number"))
        if isinstance(value, Decimal) and _too_big(value):
            # files are held to this by the loader (WZ112); in-memory mappings here,
            # before Fraction() turns 1e999999999 into a billion-digit integer
            self.issue(
                WZ406,
                _("{name} is {value}, too large or too precise").format(
                    name=name, value=str(value)[:40]
                ),
                path,
                hint=_(
                    "at most {max_number_length} digits, between "
                    "1e-{max_decimal_exponent} and 1e{max_decimal_exponent}"
                ).format(
                    max_number_length=MAX_NUMBER_LENGTH,
                    max_decimal_exponent=MAX_DECIMAL_EXPONENT,
                ),
            )
            return False, None
        if kind == "int" and isinstance(value, Decimal):
            if value == value.to_integral_value():
                return self._slip(
                    name,
                    path,
                    _("{value} has a decimal point").format(value=shown),
                    str(int(value)),
                    _("a count is a whole number, written without a decimal point"),
                )
            return self._wrong(
                name, value, path, _("a whole number"), _("counts are whole numbers like 3")
            )
        return self._in_range(fact, kind, value, path, name)

    def _date(
        self,
        kind: str,
        value: object,
        path: tuple[PathPart, ...],
        name: str,
        shown: str,
        calendar: bool,
    ) -> tuple[bool, object]:
        """A date or datetime (other forms named as slips), in the working-day calendar
        when ``calendar``; a warning when later than the monitoring date."""
        conv: date | None
        is_datetime = isinstance(value, datetime)
        if isinstance(value, date) and (kind == "datetime") == is_datetime:
            conv = value
        elif isinstance(value, str | int) and not isinstance(value, bool):
            try:
                if not isinstance(value, str):
                    raise ValueError("a number")
                conv = parse_datetime(value) if kind == "datetime" else parse_date(value)
            except ValueError:
                suggestion, shaped = suggest_date(value, kind)
                if suggestion is not None:
                    form = "YYYY-MM-DD" + (" HH:MM" if kind == "datetime" else "")
                    return self._slip(
                        name,
                        path,
                        _("the date '{value}' is not in {form} form").format(
                            value=shown, form=form
                        ),
                        suggestion,
                        _(_DATE_HINT),
                    )
                if shaped:  # 2023-02-30, 2023/2/30: say what is wrong
                    self.issue(
                        WZ405,
                        _("{name}: '{shown}' is not a real {kind}").format(
                            name=name, shown=shown, kind=kind
                        ),
                        path,
                        hint=_(
                            "check the year, month and day (February has no 30th), "
                            "and write YYYY-MM-DD"
                        ),
                    )
                    return False, None
                return self._wrong(
                    name,
                    value,
                    path,
                    _("a real {kind}").format(kind=kind),
                    _("write YYYY-MM-DD (and HH:MM for a datetime)"),
                )
        elif kind == "datetime" and isinstance(value, date):
            conv = datetime(value.year, value.month, value.day)
        else:
            return self._wrong(
                name, value, path, _("a {kind}").format(kind=kind), _("write YYYY-MM-DD")
            )
        return self._date_limits(conv, path, name, calendar)

    def _number_as_text(
        self, kind: str, value: str, path: tuple[PathPart, ...], name: str, shown: str
    ) -> tuple[bool, object] | None:
        """A number written as text (``"3"``, ``三``, ``80%``): the slip it is, if any."""
        if kind == "int":
            whole = suggest_int(value)
            if whole is not None:
                return self._slip(
                    name,
                    path,
                    _("'{value}' is text, not a number").format(value=shown),
                    str(whole),
                    _("write a count in Arabic digits, without quotes or a unit"),
                )
        else:
            number = suggest_decimal(value)
            if number is not None and number[1]:
                return self._slip(
                    name,
                    path,
                    _("'{value}' is a percentage").format(value=shown),
                    number_text(number[0]),
                    _("write a share as a decimal between 0 and 1: 80% is 0.8, 5% is 0.05"),
                )
            if number is not None:
                return self._slip(
                    name,
                    path,
                    _("'{value}' is text, not a number").format(value=shown),
                    number_text(number[0]),
                    _("write a number in Arabic digits, without quotes or a unit"),
                )
        return None

    def _in_range(
        self,
        fact: Fact,
        kind: str,
        value: int | Decimal,
        path: tuple[PathPart, ...],
        name: str,
    ) -> tuple[bool, object]:
        """A number within the fact's min and max (80 for a share named as the
        percentage it is)."""
        num = Fraction(value)
        if fact.min is not None and num < Fraction(fact.min):
            self.issue(
                WZ406,
                _("{name} is {value}, below the minimum {fact_min}").format(
                    name=name, value=value, fact_min=fact.min
                ),
                path,
            )
            return False, None
        if fact.max is not None and num > Fraction(fact.max):
            if kind == "decimal" and fact.max == 1 and num.denominator == 1 and 1 < num <= 100:
                return self._slip(
                    name,
                    path,  # 80 for a share: the percentage without its sign
                    _("{value} is above the maximum {max}, like a percentage").format(
                        value=value, max=fact.max
                    ),
                    number_text(num / 100),
                    _("write a share as a decimal between 0 and 1: 80% is 0.8"),
                    WZ406,
                )
            self.issue(
                WZ406,
                _("{name} is {value}, above the maximum {fact_max}").format(
                    name=name, value=value, fact_max=fact.max
                ),
                path,
            )
            return False, None
        return True, (int(value) if kind == "int" else num)

    def _date_limits(
        self, conv: date, path: tuple[PathPart, ...], name: str, calendar: bool
    ) -> tuple[bool, object]:
        """A date within the working-day calendar when ``calendar`` reads it; a warning
        (WZ414) when it is later than the monitoring date."""
        if calendar:
            years = covered_years()
            if conv.year not in years:
                self.issue(
                    WZ411,
                    _(
                        "{name} is {isoformat}, outside the working-day calendar ({start}–{value})"
                    ).format(
                        name=name,
                        isoformat=conv.isoformat(),
                        start=years.start,
                        value=years.stop - 1,
                    ),
                    path,
                    hint=_(
                        "working days are counted on the official calendar; "
                        "upgrade chinesecalendar or check the year"
                    ),
                )
                return False, None
        day = conv.date() if isinstance(conv, datetime) else conv
        if self.mdate is not None and day > self.mdate:
            self.issue(
                WZ414,
                _("{name}: {value} is later than the monitoring date {isoformat}").format(
                    name=name,
                    value=conv.isoformat(sep=" ") if isinstance(conv, datetime) else day,
                    isoformat=self.mdate.isoformat(),
                ),
                path,
                hint=_(
                    "check this date and the monitoring date "
                    "(monitoring_date): what happened after the monitoring "
                    "date is not part of this assessment"
                ),
                severity=Severity.WARNING,
            )
        return True, conv


def _too_big(value: Decimal) -> bool:
    """Past the loader's number limits (MAX_NUMBER_LENGTH digits, MAX_DECIMAL_EXPONENT)."""
    return bool(value) and (
        abs(value.adjusted()) > MAX_DECIMAL_EXPONENT
        or len(value.as_tuple().digits) > MAX_NUMBER_LENGTH
    )


_LIST_SLIP = re.compile("[，、；]")
_DATE_HINT = N_(
    "write every date as YYYY-MM-DD: a 4-digit year, 2-digit month and day, joined by "
    "half-width '-'"
)


def _option_meant(
    value: object, options: list[str], labels: dict[str, str]
) -> tuple[str, str] | None:
    """The option an enum value means, and why: its Chinese label, or another case."""
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return None
    text = value.strip()
    if text in options:
        return text, _("has spaces around it")
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered:
        return lowered[text.lower()], _("has the wrong case")
    if text in labels:
        return labels[text], _("is the description of option {option}, not the option").format(
            option=labels[text]
        )
    near = {o for label, o in labels.items() if text in label or label in text}
    if len(near) == 1:
        option = near.pop()
        return option, _("looks like the description of option {option}, not the option").format(
            option=option
        )
    return None


@functools.lru_cache(maxsize=1024)
def _field_fact(fname: str, ftype: str, ask: str) -> Fact:
    """A record's field as a fact of its own, for scalar(): made once per field (a
    validated model: it was 5,526 of them in a 200-file batch), read only."""
    return Fact(id=fname, type=ftype, ask=ask)


def shown_value(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut short: a 5 MB string must not become a 5 MB message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def typename(value: object) -> str:
    """What kind of value ``value`` is, in words (a number, text, a list …)."""
    return {
        bool: _("a boolean"),
        int: _("a number"),
        Decimal: _("a number"),
        str: _("text"),
        list: _("a list"),
        dict: _("a mapping"),
        date: _("a date"),
        datetime: _("a datetime"),
        type(None): _("nothing"),
    }.get(type(value), type(value).__name__)
