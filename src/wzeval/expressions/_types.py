"""The static types of the expression language: kinds, ``TypeInfo``, unification.

Every other module of the package reads these; nothing here knows about syntax
trees, functions or evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal


class Kind(StrEnum):
    """The kinds of value an expression can read or produce."""

    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    STR = "str"
    LIST = "list"
    RECORDS = "records"
    NONE = "none"


NUMBERS = frozenset({Kind.INT, Kind.DECIMAL})
DATE_LIKE = frozenset({Kind.DATE, Kind.DATETIME})
SCALARS = frozenset({Kind.BOOL, Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME, Kind.STR})
ORDERED = frozenset({Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME, Kind.STR})


class _Fields(Mapping[str, Kind]):
    """A read-only, hashable, picklable copy of a records type's fields (in order)."""

    __slots__ = ("_items",)

    def __init__(self, fields: Mapping[str, Kind]) -> None:
        self._items = dict(fields)

    def __getitem__(self, key: str) -> Kind:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __getstate__(self) -> dict[str, Kind]:
        return self._items

    def __setstate__(self, state: dict[str, Kind]) -> None:
        self._items = state


@dataclass(frozen=True)
class TypeInfo:
    """The static type of a name or an expression.

    ``item`` is the element kind of a ``LIST`` (``None``: unknown, as for ``[]``);
    ``fields`` the field kinds of ``RECORDS`` (a list of dicts), stored as a
    read-only, hashable copy so a ``TypeInfo`` can be hashed and pickled.
    """

    kind: Kind
    nullable: bool = False
    item: Kind | None = None
    fields: Mapping[str, Kind] | None = None

    def __post_init__(self) -> None:
        if self.fields is not None and not isinstance(self.fields, _Fields):
            object.__setattr__(self, "fields", _Fields(self.fields))

    def describe(self) -> str:
        """People's words for the type: ``int``, ``date or None``, ``list of decimal``."""
        if self.kind is Kind.NONE:
            return "None"
        if self.kind is Kind.LIST:
            text = f"list of {self.item.value}" if self.item is not None else "list"
        elif self.kind is Kind.RECORDS:
            inner = ", ".join(f"{k}: {v.value}" for k, v in (self.fields or {}).items())
            text = f"records{{{inner}}}"
        else:
            text = self.kind.value
        return f"{text} or None" if self.nullable else text


T_BOOL = TypeInfo(Kind.BOOL)
T_INT = TypeInfo(Kind.INT)
T_DECIMAL = TypeInfo(Kind.DECIMAL)
T_DATE = TypeInfo(Kind.DATE)
T_STR = TypeInfo(Kind.STR)
T_NONE = TypeInfo(Kind.NONE, nullable=True)


def number_kind(*kinds: Kind | None) -> Kind:
    """INT when every number is an int, else DECIMAL (int mixes into decimal)."""
    return Kind.INT if all(k is Kind.INT for k in kinds) else Kind.DECIMAL


def unify_kind(a: Kind | None, b: Kind | None) -> Kind | Literal[False] | None:
    """The common element kind of two list items, ``False`` when there is none."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a in NUMBERS and b in NUMBERS:
        return Kind.DECIMAL
    return False


def unify(a: TypeInfo, b: TypeInfo) -> TypeInfo | None:
    """The type of a value that is either ``a`` or ``b`` (``None`` if incompatible)."""
    if a.kind is Kind.NONE:
        return replace(b, nullable=True)
    if b.kind is Kind.NONE:
        return replace(a, nullable=True)
    nullable = a.nullable or b.nullable
    if a.kind in NUMBERS and b.kind in NUMBERS:
        return TypeInfo(number_kind(a.kind, b.kind), nullable)
    if a.kind is not b.kind:
        return None
    if a.kind is Kind.LIST:
        item = unify_kind(a.item, b.item)
        return None if item is False else TypeInfo(Kind.LIST, nullable, item=item)
    if a.kind is Kind.RECORDS and dict(a.fields or {}) != dict(b.fields or {}):
        return None
    return replace(a, nullable=nullable)
