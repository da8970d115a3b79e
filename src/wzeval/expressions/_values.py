"""The runtime representation of each type, and whether a value has it.

Read by :class:`~._compile.CompiledExpression` to check its environment (WZ325)
and to normalise results, and by the engine through :func:`fits`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction

from wzeval.expressions._types import SCALARS, Kind, TypeInfo


def _conforms(value: object, kind: Kind | None) -> bool:
    """Whether a non-None runtime value has the representation of ``kind``."""
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is Kind.DECIMAL:
        return isinstance(value, Fraction | int) and not isinstance(value, bool)
    if kind is Kind.DATE:
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind is Kind.DATETIME:
        return isinstance(value, datetime)
    if kind is Kind.STR:
        return isinstance(value, str)
    if kind is None:  # list of unknown items: any scalar
        return any(_conforms(value, k) for k in SCALARS)
    return False


def value_fits(value: object, info: TypeInfo) -> bool:
    if value is None:
        return info.nullable or info.kind is Kind.NONE
    if info.kind is Kind.LIST:
        return isinstance(value, list | tuple) and all(_conforms(x, info.item) for x in value)
    if info.kind is Kind.RECORDS:
        fields = (info.fields or {}).items()
        return isinstance(value, list | tuple) and all(
            isinstance(row, Mapping)
            and all(name in row and _conforms(row[name], kind) for name, kind in fields)
            for row in value
        )
    return _conforms(value, info.kind)


_PLAIN_TYPES: dict[Kind, frozenset[type]] = {
    Kind.BOOL: frozenset({bool}),
    Kind.INT: frozenset({int}),
    Kind.DECIMAL: frozenset({Fraction, int}),
    Kind.DATE: frozenset({date}),
    Kind.DATETIME: frozenset({datetime}),
    Kind.STR: frozenset({str}),
}


def plain_types(info: TypeInfo) -> frozenset[type]:
    """The exact Python types whose every value fits ``info`` (see :func:`value_fits`).

    A fact's value is checked on every read; most are plain scalars, which this lets
    :meth:`CompiledExpression.evaluate` accept by one type lookup (lists, records and
    subclasses still take the full check)."""
    plain = _PLAIN_TYPES.get(info.kind, frozenset())
    if info.nullable or info.kind is Kind.NONE:
        plain = plain | {type(None)}
    return plain


def runtime_type(value: object) -> str:
    name = type(value).__name__
    if isinstance(value, bool | int | float | str | date | Fraction):
        return f"{name} {str(value)[:40]!r}"
    return name


def normalise(value: object, t: TypeInfo) -> object:
    """Give the result the representation of its static type (int -> Fraction)."""
    if t.kind is Kind.DECIMAL and type(value) is int:
        return Fraction(value)
    if t.kind is Kind.LIST and t.item is Kind.DECIMAL and isinstance(value, list):
        return [Fraction(x) if type(x) is int else x for x in value]
    return value


def fits(value: object, info: TypeInfo, plain: frozenset[type]) -> bool:
    """Whether ``value`` is of the declared type ``info`` (``plain``: the Python types
    whose values fit by their type alone, from :attr:`CompiledExpression.checks`)."""
    return type(value) in plain or value_fits(value, info)
