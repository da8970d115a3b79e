"""The rule kinds: every credit rule an item may use, one module each.

:func:`rule_kinds` is the single list the rest of wzeval derives from — the item
model and its JSON Schema, checking, scoring, rule-test coverage, lint, the table
page, ``diff``, ``extends`` and the Hypothesis strategies.  It holds every module of
this package that defines ``KIND`` (a :class:`RuleKind`), and every kind a plugin
declares under the ``wzeval.rule_kinds`` entry-point group, in ``order``.

Adding a kind is one new module here (or in a plugin distribution) plus its tests;
``docs/design.md`` ("Adding a rule kind") walks through it.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from importlib.metadata import entry_points

from wzeval.core._i18n import _
from wzeval.kinds.base import (
    Analysis,
    Compiler,
    Describer,
    Differ,
    DrawFacts,
    Missing,
    NotAssessedYet,
    Outcome,
    RowAnalysis,
    RowIssue,
    RuleKind,
    Scorer,
    Targets,
    deduction_outcome,
    target_id,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Analysis",
    "Compiler",
    "Describer",
    "Differ",
    "DrawFacts",
    "Missing",
    "NotAssessedYet",
    "Outcome",
    "RowAnalysis",
    "RowIssue",
    "RuleKind",
    "Scorer",
    "Targets",
    "deduction_outcome",
    "rule_kind",
    "rule_kinds",
    "target_id",
]

#: The entry-point group under which a distribution declares more rule kinds:
#: ``[project.entry-points."wzeval.rule_kinds"] stars = "wzeval_stars:KIND"``.
ENTRY_POINT_GROUP = "wzeval.rule_kinds"
_NOT_KINDS = frozenset({"base", "drawing"})


@functools.cache
def rule_kinds() -> dict[str, RuleKind]:
    """Every rule kind by its item key, in order (built-in first, then plugins)."""
    found: list[RuleKind] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_KINDS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, RuleKind):
            found.append(kind)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind = ep.load()
        if not isinstance(kind, RuleKind):
            raise TypeError(
                _("entry point {name!r} of {group} is not a RuleKind: {kind!r}").format(
                    name=ep.name, group=ENTRY_POINT_GROUP, kind=kind
                )
            )
        found.append(kind)
    found.sort(key=lambda k: (k.order, k.key))
    out: dict[str, RuleKind] = {}
    for kind in found:
        if kind.key in out:
            raise TypeError(_("two rule kinds use the item key {key!r}").format(key=kind.key))
        out[kind.key] = kind
    return out


def rule_kind(key: str) -> RuleKind:
    """The rule kind of an item key (``KeyError`` for an unknown one)."""
    return rule_kinds()[key]
