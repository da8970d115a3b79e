"""The compiled form of a rulebook: its models with every expression compiled.

What :func:`wzeval.checking._checks.check_rulebook` gives and everything after it reads (the
engine, lint, rule tests, verify): a :class:`CompiledRulebook` of
:class:`CompiledIndicator` s, and the names and fact types every expression is typed
against.  It is a module of its own so that the readers of the compiled form do not
need the checker, and the checker's module holds checks only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from wzeval.checking._overall import CompiledOverall
from wzeval.core._issues import DocPath
from wzeval.expressions import CompiledExpression, Kind, TypeInfo
from wzeval.model._models import (
    Deduction,
    Fact,
    Indicator,
    Item,
    Pending,
    Rulebook,
    Veto,
)

__all__ = [
    "CALENDAR_FUNCTIONS",
    "CALENDAR_RE",
    "KIND_OF",
    "RESERVED_NAMES",
    "CompiledDeduction",
    "CompiledIndicator",
    "CompiledItem",
    "CompiledPending",
    "CompiledRulebook",
    "CompiledVeto",
    "DocPath",
    "fact_type",
]

#: Names every expression may read besides the indicator's own facts.
RESERVED_NAMES: dict[str, TypeInfo] = {
    "monitoring_date": TypeInfo(Kind.DATE),
    "department": TypeInfo(Kind.STR),
    "catalogs": TypeInfo(Kind.LIST, item=Kind.STR),
    # YAML authors write true/false; Python's True/False work too.
    "true": TypeInfo(Kind.BOOL),
    "false": TypeInfo(Kind.BOOL),
}

#: Functions that consult the PRC working-day calendar (dates they read must be covered).
CALENDAR_FUNCTIONS = ("working_days_between", "add_working_days", "within_working_days")
CALENDAR_RE = re.compile(r"\b(" + "|".join(CALENDAR_FUNCTIONS) + r")\s*\(")


KIND_OF: dict[str, Kind] = {
    "bool": Kind.BOOL,
    "int": Kind.INT,
    "decimal": Kind.DECIMAL,
    "date": Kind.DATE,
    "datetime": Kind.DATETIME,
    "str": Kind.STR,
    "enum": Kind.STR,
}


def fact_type(fact: Fact) -> TypeInfo:
    """The expression type of a declared fact (an enum reads as its option string)."""
    if fact.type == "list":
        assert fact.of is not None
        return TypeInfo(Kind.LIST, nullable=fact.nullable, item=KIND_OF[fact.of])
    if fact.type == "records":
        assert fact.fields is not None
        return TypeInfo(
            Kind.RECORDS,
            nullable=fact.nullable,
            fields={k: KIND_OF[v] for k, v in fact.fields.items()},
        )
    return TypeInfo(KIND_OF[fact.type], nullable=fact.nullable)


# --------------------------------------------------------------------------- compiled forms


@dataclass(frozen=True)
class CompiledVeto:
    """A veto with its compiled condition."""

    veto: Veto
    when: CompiledExpression
    path: DocPath


@dataclass(frozen=True)
class CompiledDeduction:
    """A per-occurrence deduction with its compiled count."""

    deduction: Deduction
    count: CompiledExpression
    path: DocPath


@dataclass(frozen=True)
class CompiledPending:
    """A not-yet-assessable state with its compiled condition and date."""

    pending: Pending
    when: CompiledExpression
    assessable_from: CompiledExpression
    path: DocPath


@dataclass(frozen=True)
class CompiledItem:
    """An item with every expression of its credit rule compiled.

    ``exprs`` holds the rule's expressions by the names its kind gives them, in rulebook
    order (``when``; ``tier1``, ``tier2`` …; ``count``; ``passed`` and ``checked``; one
    per checklist entry or deduction by its id; ``value``); ``deductions`` the compiled
    per-occurrence deductions of a rule that deducts.
    """

    item: Item
    exprs: Mapping[str, CompiledExpression]
    deductions: tuple[CompiledDeduction, ...]
    vetoes: tuple[CompiledVeto, ...]
    path: DocPath


@dataclass(frozen=True)
class CompiledIndicator:
    """An indicator ready to evaluate."""

    indicator: Indicator
    kind: str
    category_id: str
    category: str
    group: str | None
    path: DocPath
    fact_types: dict[str, TypeInfo]
    derived: tuple[tuple[str, CompiledExpression], ...]
    applies: CompiledExpression | None
    items: tuple[CompiledItem, ...]
    vetoes: tuple[CompiledVeto, ...]
    deductions: tuple[CompiledDeduction, ...]
    calendar_facts: frozenset[str] = frozenset()
    pending: tuple[CompiledPending, ...] = ()
    #: shared facts of other indicators this one may read: name → the indicator that
    #: records it
    shared: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledRulebook:
    """A rulebook that passed every check, with compiled expressions and lookups."""

    rulebook: Rulebook
    indicators: tuple[CompiledIndicator, ...]
    by_id: dict[str, CompiledIndicator]
    departments: dict[str, str]  # any accepted name (or id) → canonical name
    department_ids: dict[str, str]  # canonical name → id
    catalogs_of: dict[str, tuple[str, ...]]  # department id → catalog ids it is listed in
    overall: CompiledOverall = field(default_factory=lambda: CompiledOverall({}, ()))
    file: str = "<rulebook>"
    positions: dict[DocPath, str] = field(default_factory=dict, compare=False)
    #: what the engine derives from this rulebook alone, worked out on first use; not an
    #: init field, so a ``dataclasses.replace`` copy (verify.py) starts with its own
    cache: dict[str, object] = field(default_factory=dict, init=False, compare=False, repr=False)
