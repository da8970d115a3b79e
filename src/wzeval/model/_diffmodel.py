"""What changed between two rulebooks: the change model and the walk that finds it.

:func:`diff` compares two checked rulebooks by id (see :mod:`wzeval.analysis._diff` for what a
:class:`Change` holds); :class:`Movement` is how one findings document's score moves
between them.  These are data only — no scoring, no rendering — so that the
renderers (:mod:`wzeval.output._diffrender`, in the output layer) and the command that
scores findings under both rulebooks (:mod:`wzeval.analysis._diff`) can both read them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from wzeval.core._issues import PathPart
from wzeval.core._slips import number_text
from wzeval.kinds import rule_kinds
from wzeval.model._models import (
    Arithmetic,
    Catalog,
    CatalogEntry,
    Category,
    Deduction,
    Department,
    Derived,
    Fact,
    Grade,
    Group,
    Indicator,
    Item,
    Part,
    Pending,
    Rulebook,
    Veto,
    format_amount,
)
from wzeval.model._report import display, exact_text

__all__ = [
    "DIFF_FORMAT",
    "FIELDS",
    "SECTIONS",
    "Change",
    "DiffFormat",
    "IndicatorMovement",
    "Movement",
    "RulebookDiff",
    "by_section",
    "change_counts",
    "diff",
    "section",
]

DIFF_FORMAT = "diff/1"
DiffFormat = Literal["text", "markdown", "json"]

#: Per model, per field: ``True`` the field can move a score, ``False`` it cannot
#: (wording, provenance), ``None`` it is compared by its own rule (ids, nested parts).
FIELDS: dict[type, Mapping[str, bool | None]] = {
    Rulebook: {
        "wzeval": False,
        "id": False,
        "title": False,
        "year": False,
        "source": False,
        "not_applicable": True,
        "arithmetic": True,
        "based_on": None,  # where it came from, not what it says
        "departments": None,
        "catalogs": None,
        "categories": None,
        "parts": None,
        "grades": None,
    },
    Part: {
        "id": None,
        "name": False,
        "weight": True,
        "note": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Grade: {
        "grade": True,
        "when": True,
        "label": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Arithmetic: {"places": True, "rounding": True},
    Category: {
        "id": None,
        "name": False,
        "weight": True,
        "kind": True,
        "when": True,
        "when_note": False,
        "part": True,
        "groups": None,
        "indicators": None,
    },
    Group: {"id": None, "name": False, "note": False},
    Indicator: {
        "id": None,
        "name": False,
        "weight": True,
        "weight_source": False,
        "group": None,
        "description": False,
        "applies": True,
        "applies_note": False,
        "catalog": True,
        "facts": None,
        "derived": None,
        "items": None,
        "vetoes": None,
        "deductions": None,
        "pending": None,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Pending: {
        "id": None,
        "when": True,
        "assessable_from": True,
        "label": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Fact: {
        "id": None,
        "type": True,
        "ask": False,
        "options": True,
        "option_labels": False,
        "of": True,
        "fields": True,
        "min": True,
        "max": True,
        "nullable": True,
        "shared": True,
        "unit": False,
        "note": False,
    },
    Derived: {
        "id": None,
        "type": True,
        "expr": True,
        "description": False,
        "ruling": False,
        "ruling_en": False,
    },
    Item: {
        "id": None,
        "title": False,
        "share": True,
        **dict.fromkeys(rule_kinds()),
        "vetoes": None,
        "note": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    **{model: spec for kind in rule_kinds().values() for model, spec in kind.diff_fields.items()},
    Deduction: {
        "id": None,
        "count": True,
        "when": True,
        "each": True,
        "cap": True,
        "label": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Veto: {
        "id": None,
        "when": True,
        "label": False,
        "source": False,
        "ruling": False,
        "ruling_en": False,
    },
    Department: {"id": None, "name": False, "aliases": False},
    Catalog: {"id": None, "name": False, "indicator": True, "source": False, "entries": None},
    CatalogEntry: {"department": None, "duties": True},
}
_SPECIAL_KINDS = {"name": "renamed", ("fact", "type"): "retyped"}
# Added or removed, does the part move a score by itself?  (Facts, derived facts,
# groups and departments do not: what reads them changes too, and says so.)
_ADDING_MOVES_SCORES = {
    "category": True,
    "group": False,
    "indicator": True,
    "fact": False,
    "derived": False,
    "item": True,
    "grade": True,
    "pending": True,
    "part": True,
    **{name: moves for kind in rule_kinds().values() for name, moves in kind.diff_members.items()},
    "veto": True,
    "deduction": True,
    "department": False,
    "catalog": True,
    "catalog_entry": True,
}


# --------------------------------------------------------------------------- values


def _json(value: Any) -> Any:
    """A JSON-ready copy of a model value: amounts as ``"50%"``, decimals as text."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, Fraction):
        return format_amount(value)
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Change:
    """One semantic change between two rulebooks."""

    kind: str
    path: tuple[PathPart, ...]
    old: Any = None
    new: Any = None
    affects_scores: bool = True

    @property
    def entity(self) -> str:
        """What changed: ``indicator``, ``item``, ``veto`` …"""
        return self.kind.split(".", 1)[0]

    @property
    def what(self) -> str:
        """How it changed: ``added``, ``removed``, ``renamed``, ``moved`` or a field name."""
        return self.kind.split(".", 1)[1]

    @property
    def where(self) -> str:
        """The path as text: ``indicators.dongtai_yaowen.items.reply``."""
        return ".".join(str(p) for p in self.path)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a change."""
        return {
            "kind": self.kind,
            "path": list(self.path),
            "old": self.old,
            "new": self.new,
            "affects_scores": self.affects_scores,
        }


@dataclass(frozen=True)
class RulebookDiff:
    """Every change from ``old`` to ``new``, in table order."""

    old_id: str
    new_id: str
    old_title: str
    new_title: str
    changes: tuple[Change, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # "indicators.<id>" etc. → name

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def affects_scores(self) -> bool:
        """Whether any change can move a score."""
        return any(c.affects_scores for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the diff (without score movements)."""
        return {
            "wzeval": DIFF_FORMAT,
            "old": {"id": self.old_id, "title": self.old_title},
            "new": {"id": self.new_id, "title": self.new_title},
            "summary": change_counts(self),
            "changes": [c.to_dict() for c in self.changes],
        }


#: The sections a diff is shown in, each with the entities it holds.
SECTIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Rulebook", frozenset({"rulebook"})),
    ("Categories and groups", frozenset({"category", "group"})),
    ("Indicators", frozenset({"indicator"})),
    ("Facts", frozenset({"fact", "derived"})),
    (
        "Items and rules",
        frozenset(
            {
                "item",
                "tier",
                "levels",
                "level",
                "bands",
                "band",
                "proportion",
                "checklist_entry",
                "given",
            }
        ),
    ),
    ("Vetoes and deductions", frozenset({"veto", "deduction"})),
    ("Departments and catalogs", frozenset({"department", "catalog", "catalog_entry"})),
)


def section(change: Change) -> str:
    """The section of :data:`SECTIONS` a change is shown in."""
    return next(name for name, entities in SECTIONS if change.entity in entities)


def by_section(d: RulebookDiff) -> list[tuple[str, list[Change]]]:
    """The changes section by section, in the order of :data:`SECTIONS`; a section with
    no change is left out."""
    out = []
    for name, _entities in SECTIONS:
        group = [c for c in d.changes if section(c) == name]
        if group:
            out.append((name, group))
    return out


def change_counts(d: RulebookDiff) -> dict[str, Any]:
    """How many changes, per section, added, removed, changed and affecting scores: the
    JSON's ``summary`` and the renderers' tables, counted in one place."""
    rows: dict[str, dict[str, int]] = {}
    for name, _title in SECTIONS:
        rows[name] = {"added": 0, "removed": 0, "changed": 0, "affect_scores": 0}
    for c in d.changes:
        row = rows[section(c)]
        row[c.what if c.what in ("added", "removed") else "changed"] += 1
        row["affect_scores"] += c.affects_scores
    return {
        "changes": len(d.changes),
        "affect_scores": sum(c.affects_scores for c in d.changes),
        "sections": {k: v for k, v in rows.items() if any(v.values())},
    }


# --------------------------------------------------------------------------- the walk

M = TypeVar("M", bound=BaseModel)


class _Walker:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, kind: str, path: tuple[PathPart, ...], old: Any, new: Any, affects: bool) -> None:
        self.changes.append(Change(kind, path, _json(old), _json(new), affects))

    def fields(
        self, entity: str, path: tuple[PathPart, ...], old: BaseModel, new: BaseModel
    ) -> None:
        """Compare the plain fields of two models of the same type, as :data:`FIELDS` says."""
        for name, affects in FIELDS[type(old)].items():
            if affects is None:
                continue
            a, b = getattr(old, name), getattr(new, name)
            if a != b:
                what = _SPECIAL_KINDS.get((entity, name)) or _SPECIAL_KINDS.get(name) or name
                self.add(f"{entity}.{what}", path, a, b, affects)

    def keyed(
        self,
        entity: str,
        path: tuple[PathPart, ...],
        olds: Sequence[M],
        news: Sequence[M],
        compare: Callable[[tuple[PathPart, ...], M, M], None],
        key: str = "id",
        order: bool = False,
    ) -> None:
        """Compare two lists of id'd parts: removed, then added, changed or moved."""
        old_by = {str(getattr(o, key)): o for o in olds}
        new_by = {str(getattr(n, key)): n for n in news}
        moves = _moved(list(old_by), list(new_by)) if order else set()
        for ident, o in old_by.items():
            if ident not in new_by:
                self.add(f"{entity}.removed", (*path, ident), o, None, _ADDING_MOVES_SCORES[entity])
        for i, (ident, n) in enumerate(new_by.items()):
            if ident not in old_by:
                self.add(f"{entity}.added", (*path, ident), None, n, _ADDING_MOVES_SCORES[entity])
                continue
            if ident in moves:
                self.add(
                    f"{entity}.moved",
                    (*path, ident),
                    {"position": list(old_by).index(ident) + 1},
                    {"position": i + 1},
                    False,
                )
            compare((*path, ident), old_by[ident], n)

    def rows(
        self,
        entity: str,
        path: tuple[PathPart, ...],
        olds: Sequence[M],
        news: Sequence[M],
    ) -> None:
        """Compare rows without ids (tiers, bands) by their place."""
        for i in range(max(len(olds), len(news))):
            if i >= len(news):
                self.add(f"{entity}.removed", (*path, i), olds[i], None, True)
            elif i >= len(olds):
                self.add(f"{entity}.added", (*path, i), None, news[i], True)
            else:
                self.fields(entity, (*path, i), olds[i], news[i])

    # ------------------------------------------------------------------ the rulebook

    def rulebook(self, old: Rulebook, new: Rulebook) -> None:
        self.fields("rulebook", (), old, new)
        self.rows("grade", ("grades",), old.grades, new.grades)
        self.keyed(
            "part", ("parts",), old.parts, new.parts, lambda p, a, b: self.fields("part", p, a, b)
        )
        self.keyed(
            "department",
            ("departments",),
            old.departments,
            new.departments,
            lambda p, a, b: self.fields("department", p, a, b),
        )
        self.keyed("catalog", ("catalogs",), old.catalogs, new.catalogs, self.catalog)
        self.keyed(
            "category", ("categories",), old.categories, new.categories, self.category, order=True
        )
        self.indicators(old, new)

    def catalog(self, path: tuple[PathPart, ...], old: Catalog, new: Catalog) -> None:
        self.fields("catalog", path, old, new)
        self.keyed(
            "catalog_entry",
            (*path, "entries"),
            old.entries,
            new.entries,
            lambda p, a, b: self.fields("catalog_entry", p, a, b),
            key="department",
        )

    def category(self, path: tuple[PathPart, ...], old: Category, new: Category) -> None:
        self.fields("category", path, old, new)
        self.keyed(
            "group",
            (*path, "groups"),
            old.groups,
            new.groups,
            lambda p, a, b: self.fields("group", p, a, b),
        )

    def indicators(self, old: Rulebook, new: Rulebook) -> None:
        olds, news = old.indicators, new.indicators
        old_by = {i.id: i for i in olds}
        new_by = {i.id: i for i in news}
        reordered: set[str] = set()  # order is compared among those that kept their category
        for cat in new.categories:
            stayed = {i.id for i in cat.indicators if i.id in old_by}
            stayed = {i for i in stayed if old_by[i].category_id == cat.id}
            reordered |= _moved(
                [i.id for i in olds if i.id in stayed],
                [i.id for i in cat.indicators if i.id in stayed],
            )
        for ind in olds:
            if ind.id not in new_by:
                self.add("indicator.removed", ("indicators", ind.id), _placed(ind), None, True)
        for pos, ind in enumerate(news, 1):
            path: tuple[PathPart, ...] = ("indicators", ind.id)
            before = old_by.get(ind.id)
            if before is None:
                self.add("indicator.added", path, None, _placed(ind), True)
                continue
            where_old: dict[str, Any] = {"category": before.category_id, "group": before.group}
            where_new: dict[str, Any] = {"category": ind.category_id, "group": ind.group}
            if ind.id in reordered:  # the place in the table only when the order changed
                where_old["position"] = olds.index(before) + 1
                where_new["position"] = pos
            if where_old != where_new:
                self.add(
                    "indicator.moved",
                    path,
                    where_old,
                    where_new,
                    before.category_id != ind.category_id,
                )
            self.indicator(path, before, ind)

    def indicator(self, path: tuple[PathPart, ...], old: Indicator, new: Indicator) -> None:
        self.fields("indicator", path, old, new)
        self.keyed(
            "fact",
            (*path, "facts"),
            old.facts,
            new.facts,
            lambda p, a, b: self.fields("fact", p, a, b),
        )
        self.keyed(
            "derived",
            (*path, "derived"),
            old.derived,
            new.derived,
            lambda p, a, b: self.fields("derived", p, a, b),
        )
        self.keyed("item", (*path, "items"), old.items, new.items, self.item, order=True)
        self.keyed("veto", (*path, "vetoes"), old.vetoes, new.vetoes, self.veto)
        self.keyed(
            "deduction", (*path, "deductions"), old.deductions, new.deductions, self.deduction
        )
        self.keyed(
            "pending",
            (*path, "pending"),
            old.pending,
            new.pending,
            lambda p, a, b: self.fields("pending", p, a, b),
        )

    def veto(self, path: tuple[PathPart, ...], old: Veto, new: Veto) -> None:
        self.fields("veto", path, old, new)

    def deduction(self, path: tuple[PathPart, ...], old: Deduction, new: Deduction) -> None:
        self.fields("deduction", path, old, new)

    def item(self, path: tuple[PathPart, ...], old: Item, new: Item) -> None:
        self.fields("item", path, old, new)
        kind = old.rule_kind
        if kind != new.rule_kind:
            self.add(
                "item.rule",
                path,
                {kind: old.rule},
                {new.rule_kind: new.rule},
                True,
            )
        else:
            old.kind.diff(old.rule, new.rule, (*path, kind), _KindDiffer(self))
        self.keyed("veto", (*path, "vetoes"), old.vetoes, new.vetoes, self.veto)


class _KindDiffer:
    """What a rule kind reports its changes through (:class:`wzeval.kinds.Differ`)."""

    def __init__(self, walker: _Walker) -> None:
        self.walker = walker

    def add(self, kind: str, path: tuple[PathPart, ...], old: Any, new: Any, affects: bool) -> None:
        self.walker.add(kind, path, old, new, affects)

    def fields(self, entity: str, path: tuple[PathPart, ...], old: Any, new: Any) -> None:
        self.walker.fields(entity, path, old, new)

    def rows(
        self, entity: str, path: tuple[PathPart, ...], old: Sequence[Any], new: Sequence[Any]
    ) -> None:
        self.walker.rows(entity, path, old, new)

    def keyed(
        self, entity: str, path: tuple[PathPart, ...], old: Sequence[Any], new: Sequence[Any]
    ) -> None:
        walker = self.walker
        walker.keyed(entity, path, old, new, lambda p, a, b: walker.fields(entity, p, a, b))


def _placed(ind: Indicator) -> dict[str, Any]:
    """An added or removed indicator: where it sits, then the indicator itself."""
    return {"category": ind.category_id, **_json(ind)}


def _moved(old: Sequence[str], new: Sequence[str]) -> set[str]:
    """Ids present in both whose relative order changed (those outside a longest common run)."""
    common = set(old) & set(new)
    a = [x for x in old if x in common]
    b = [x for x in new if x in common]
    if a == b:
        return set()
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        kept.update(b[block.b : block.b + block.size])
    return common - kept


def diff(old: Rulebook, new: Rulebook) -> RulebookDiff:
    """Every semantic change from ``old`` to ``new`` (empty when they mean the same)."""
    walker = _Walker()
    walker.rulebook(old, new)
    names: dict[str, str] = {}
    for rb in (old, new):
        names.update({f"categories.{c.id}": c.name for c in rb.categories})
        names.update({f"indicators.{i.id}": i.name for i in rb.indicators})
        names.update({f"departments.{d.id}": d.name for d in rb.departments})
        names.update({f"catalogs.{c.id}": c.name for c in rb.catalogs})
    return RulebookDiff(
        old_id=old.id,
        new_id=new.id,
        old_title=old.title,
        new_title=new.title,
        changes=tuple(walker.changes),
        names=names,
    )


# --------------------------------------------------------------------------- score movements


@dataclass(frozen=True)
class IndicatorMovement:
    """One indicator's points under both rulebooks (``None``: not in that rulebook).

    ``old_assessed``/``new_assessed`` are false where partial scoring could not
    assess the indicator (its points are then 0, and say nothing about the site).
    """

    id: str
    name: str
    old: Fraction | None
    new: Fraction | None
    old_assessed: bool = True
    new_assessed: bool = True

    @property
    def delta(self) -> Fraction:
        """New points minus old points (a missing indicator counts 0)."""
        return (self.new or Fraction(0)) - (self.old or Fraction(0))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: exact figures as text."""
        return {
            "id": self.id,
            "name": self.name,
            "old": None if self.old is None else exact_text(self.old),
            "new": None if self.new is None else exact_text(self.new),
            "delta": exact_text(self.delta),
            "old_assessed": self.old_assessed,
            "new_assessed": self.new_assessed,
        }

    def shown(self, side: Literal["old", "new"]) -> str:
        """One side for people: points, ``not assessed``, or ``–`` when absent."""
        value = self.old if side == "old" else self.new
        assessed = self.old_assessed if side == "old" else self.new_assessed
        if value is None:
            return "–"
        return display(value) if assessed else "not assessed"


@dataclass(frozen=True)
class Movement:
    """How one findings document's score moves from the old rulebook to the new one.

    ``old_partial``/``new_partial``: the findings lacked facts that rulebook needs,
    so they were scored with ``partial=True``; ``not_assessed`` lists the
    indicators the new rulebook could not assess from these findings although
    the old one could (or did not have them): what the findings lack for the new
    rulebook, and why those indicators' points say nothing yet; ``dropped`` the recorded
    indicators and facts the new rulebook does not know (left out).
    """

    findings: str
    department: str
    old_total: Fraction
    new_total: Fraction
    indicators: tuple[IndicatorMovement, ...]
    old_partial: bool = False
    new_partial: bool = False
    not_assessed: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def delta(self) -> Fraction:
        """New total minus old total."""
        return self.new_total - self.old_total

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: exact figures as text."""
        return {
            "findings": self.findings,
            "department": self.department,
            "old_total": exact_text(self.old_total),
            "new_total": exact_text(self.new_total),
            "delta": exact_text(self.delta),
            "old_partial": self.old_partial,
            "new_partial": self.new_partial,
            "not_assessed": list(self.not_assessed),
            "dropped": list(self.dropped),
            "indicators": [i.to_dict() for i in self.indicators],
        }
