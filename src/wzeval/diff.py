"""What changed between two rulebooks, and how the change moves scores.

:func:`diff` compares two checked rulebooks by id, not by text: an indicator
that moved to another category is one ``indicator.moved`` change, not a
removal and an addition; re-indenting a file is no change at all.  Each
:class:`Change` has

* ``kind`` — ``<entity>.<what>``: the entity is ``rulebook``, ``category``,
  ``group``, ``indicator``, ``fact``, ``derived``, ``item``, ``tier``,
  ``levels``, ``level``, ``bands``, ``band``, ``proportion``,
  ``checklist_entry``, ``given``, ``veto``, ``deduction``, ``department``,
  ``catalog`` or ``catalog_entry``; *what* is ``added``, ``removed``,
  ``renamed`` (a new ``name``), ``retyped`` (a fact's new ``type``), ``moved``
  (another category, group or place in the table) or the name of the field
  that changed (``weight``, ``share``, ``credit``, ``when`` …);
* ``path`` — ids from the top, shaped like the ``extends:`` syntax:
  ``("indicators", "dongtai_yaowen", "items", "reply", "tiers", 0)``;
* ``old`` / ``new`` — JSON-ready values (amounts as ``"50%"``, decimals as text,
  a whole added or removed part as a mapping);
* ``affects_scores`` — whether the change can move a score.  Weights, shares,
  credits, conditions, counts, caps, applicability, catalogs and arithmetic do;
  names, wording, ``source``/``ruling``/``note``/``ask``/``label``, weight
  provenance, groups, order and departments do not.

``diff(a, a)`` is empty.  :func:`diff_text`, :func:`diff_markdown` (a summary
table and sections, for a pull-request comment) and :func:`diff_json` render a
:class:`RulebookDiff`.  :func:`score_movements` scores findings under both
rulebooks and reports what moved; :func:`diff_files` is the whole
``wzeval diff`` command as a function.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from wzeval.api import compiled, read_rulebook
from wzeval.engine import evaluate_compiled
from wzeval.errors import ValidationFailed
from wzeval.findings import check_findings
from wzeval.i18n import _
from wzeval.issues import Issue, PathPart, Severity
from wzeval.kinds import rule_kinds
from wzeval.loader import Document, load_document
from wzeval.models import (
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
from wzeval.report import ScoreReport, display, exact_text

__all__ = [
    "FIELDS",
    "Change",
    "DiffFormat",
    "IndicatorMovement",
    "Movement",
    "RulebookDiff",
    "diff",
    "diff_files",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "score_movements",
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
        return f"{value.normalize():f}"
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
            "summary": _summary(self),
            "changes": [c.to_dict() for c in self.changes],
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


# Findings problems that scoring with partial=True resolves: facts missing, items unassessable.
_PARTIAL_CODES = frozenset({"WZ404", "WZ410"})


def _errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def _findings_document(path: str | Path) -> Document:
    """A findings file loaded once, to be scored under both rulebooks."""
    doc = load_document(path)
    if isinstance(doc.data, Mapping):
        return doc
    issues = list(doc.issues)
    if doc.data is not None:
        issues.append(
            Issue("WZ401", _("a findings document must be a mapping"), position=doc.position(()))
        )
    raise ValidationFailed(issues, what=f"findings {path}")


def _score_under(rulebook: Rulebook, doc: Document) -> tuple[ScoreReport, bool, list[str]]:
    """Score a findings document under a rulebook it may not have been written for.

    The findings' ``rulebook:`` is taken to be this rulebook; indicators and facts
    it does not declare are left out (and listed); when facts it needs are missing
    the findings are scored with ``partial=True``.
    """
    assert isinstance(doc.data, Mapping)
    path = doc.file
    crb = compiled(rulebook)
    data = dict(doc.data)
    data["rulebook"] = rulebook.id
    dropped: list[str] = []
    raw = data.get("indicators")
    if isinstance(raw, Mapping):
        names = {c.indicator.name: c.indicator.id for c in crb.indicators}
        kept: dict[str, Any] = {}
        for key, facts in raw.items():
            ident = key if key in crb.by_id else names.get(key)
            if ident is None:
                dropped.append(str(key))
                continue
            declared = {f.id for f in crb.by_id[ident].indicator.facts}
            if isinstance(facts, Mapping):
                dropped.extend(f"{key}.{f}" for f in facts if f not in declared)
                facts = {f: v for f, v in facts.items() if f in declared}
            kept[key] = facts
        data["indicators"] = kept
    prepared = Document(doc.file, data, root=doc.root, issues=list(doc.issues), text=doc.text)
    for partial in (False, True):
        findings, issues = check_findings(prepared, crb, partial=partial)
        errors = _errors(issues)
        if findings is not None and not errors:
            try:
                report = evaluate_compiled(crb, findings, partial=partial, explained=True)
                return report, partial, dropped
            except ValidationFailed as exc:
                errors = _errors(exc.issues)
        if partial or not errors or any(e.code not in _PARTIAL_CODES for e in errors):
            raise ValidationFailed(errors or issues, what=f"findings {path} under {rulebook.id}")
    raise AssertionError("unreachable")  # pragma: no cover


def score_movements(
    old: Rulebook, new: Rulebook, findings_paths: Sequence[str | Path]
) -> list[Movement]:
    """Score each findings file under both rulebooks and report what moved.

    Findings written for the old rulebook may lack facts the new one needs: they
    are then scored with ``partial=True`` and the movement says so.  Raises
    :class:`ValidationFailed` when a findings file cannot be scored at all.
    """
    out: list[Movement] = []
    for path in findings_paths:
        doc = _findings_document(path)
        before, old_partial, _ = _score_under(old, doc)
        after, new_partial, dropped = _score_under(new, doc)
        old_pts = {r.id: r for r in before.indicators}
        new_pts = {r.id: r for r in after.indicators}
        moved: list[IndicatorMovement] = []
        order = [*new_pts, *(i for i in old_pts if i not in new_pts)]
        for ident in order:
            a, b = old_pts.get(ident), new_pts.get(ident)
            shown = b or a
            name = shown.name if shown is not None else ident
            mv = IndicatorMovement(
                ident,
                name,
                a.points if a else None,
                b.points if b else None,
                a.assessed if a else True,
                b.assessed if b else True,
            )
            if mv.delta:
                moved.append(mv)
        lacking = [
            r.id
            for r in after.indicators
            if not r.assessed and (r.id not in old_pts or old_pts[r.id].assessed)
        ]
        out.append(
            Movement(
                findings=str(path),
                department=after.department,
                old_total=before.total,
                new_total=after.total,
                indicators=tuple(moved),
                old_partial=old_partial,
                new_partial=new_partial,
                not_assessed=tuple(lacking),
                dropped=tuple(dropped),
            )
        )
    return out


# --------------------------------------------------------------------------- renderers

_SECTIONS: tuple[tuple[str, frozenset[str]], ...] = (
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


def _section(change: Change) -> str:
    return next(name for name, entities in _SECTIONS if change.entity in entities)


def _summary(d: RulebookDiff) -> dict[str, Any]:
    rows: dict[str, dict[str, int]] = {}
    for name, _title in _SECTIONS:
        rows[name] = {"added": 0, "removed": 0, "changed": 0, "affect_scores": 0}
    for c in d.changes:
        row = rows[_section(c)]
        row[c.what if c.what in ("added", "removed") else "changed"] += 1
        row["affect_scores"] += c.affects_scores
    return {
        "changes": len(d.changes),
        "affect_scores": sum(c.affects_scores for c in d.changes),
        "sections": {k: v for k, v in rows.items() if any(v.values())},
    }


_BRIEF_KEYS = ("name", "title", "weight", "share", "type", "when", "count", "each", "cap", "credit")


def _short(value: Any, limit: int = 80) -> str:
    """A value on one line: scalars as they are, a part by its telling fields, long text cut."""
    if value is None:
        return "–"
    if isinstance(value, Mapping) and any(k in value for k in _BRIEF_KEYS):
        text = ", ".join(f"{k} {value[k]}" for k in _BRIEF_KEYS if isinstance(value.get(k), str))
    else:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pair(old: Any, new: Any, limit: int = 80, context: int = 12) -> tuple[str, str]:
    """Old and new on one line each; two long texts are cut to where they differ."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= limit:
        return _short(old, limit), _short(new, limit)
    a, b = " ".join(old.split()), " ".join(new.split())
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    lo = max(0, start - context)

    def cut(text: str) -> str:
        hi = len(text) - max(0, end - context)
        return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")

    return _short(cut(a), limit), _short(cut(b), limit)


def _label(d: RulebookDiff, change: Change) -> str:
    """``动态要闻 (dongtai_yaowen) › items › reply`` for people."""
    parts = [str(p) for p in change.path]
    if len(parts) >= 2 and f"{parts[0]}.{parts[1]}" in d.names:
        head = f"{d.names[parts[0] + '.' + parts[1]]} ({parts[1]})"
        return " › ".join([head, *parts[2:]])
    return " › ".join(parts) or "rulebook"


def _sign(value: Fraction) -> str:
    text = display(value)
    return f"+{text}" if value > 0 else text


def diff_text(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a terminal: one line per change, ``+`` added, ``-`` removed, ``~`` changed."""
    summary = _summary(d)
    lines = [
        f"{d.old_id} → {d.new_id}: {summary['changes']} change(s), "
        f"{summary['affect_scores']} affect scores"
    ]
    for name, _title in _SECTIONS:
        group = [c for c in d.changes if _section(c) == name]
        if not group:
            continue
        lines.append("")
        lines.append(f"{name}:")
        for c in group:
            mark = {"added": "+", "removed": "-"}.get(c.what, "~")
            score = "  [score]" if c.affects_scores else ""
            if c.what in ("added", "removed"):
                value = c.new if c.what == "added" else c.old
                detail = _short(value)
            else:
                old, new = _pair(c.old, c.new)
                detail = f"{old} → {new}"
            lines.append(f"  {mark} {_label(d, c)}  {c.kind}: {detail}{score}")
    if movements:
        lines.append("")
        lines.append("Score movements:")
        for m in movements:
            note = _partial_note(m)
            lines.append(
                f"  {m.department} ({m.findings}): {display(m.old_total)} → "
                f"{display(m.new_total)} ({_sign(m.delta)}){note}"
            )
            for i in m.indicators:
                lines.append(
                    f"      {i.name} ({i.id}): {i.shown('old')} → {i.shown('new')} "
                    f"({_sign(i.delta)})"
                )
    return "\n".join(lines) + "\n"


def _partial_note(m: Movement) -> str:
    notes = []
    if m.new_partial:
        notes.append(
            "scored partially under the new rulebook"
            + (
                f"; not assessed for lack of facts: {', '.join(m.not_assessed)}"
                if m.not_assessed
                else ""
            )
        )
    if m.old_partial:
        notes.append("scored partially under the old rulebook")
    if m.dropped:
        notes.append(f"left out (unknown to the new rulebook): {', '.join(m.dropped)}")
    return f" — {'; '.join(notes)}" if notes else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a pull-request comment: a summary table, then one section per part."""
    summary = _summary(d)
    out = [f"## Rulebook diff: `{d.old_id}` → `{d.new_id}`", ""]
    if not d.changes:
        out.append("No changes.")
    else:
        out.append(
            f"**{summary['changes']} change(s), {summary['affect_scores']} can move scores.**"
        )
        out += [
            "",
            "| part | added | removed | changed | can move scores |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, row in summary["sections"].items():
            out.append(
                f"| {name} | {row['added']} | {row['removed']} | {row['changed']} "
                f"| {row['affect_scores']} |"
            )
        for name, _ in _SECTIONS:
            group = [c for c in d.changes if _section(c) == name]
            if not group:
                continue
            out += [
                "",
                f"### {name}",
                "",
                "| where | change | old | new | scores |",
                "|---|---|---|---|:-:|",
            ]
            for c in group:
                old, new = _pair(c.old, c.new)
                out.append(
                    f"| {_cell(_label(d, c))} | `{c.kind}` | {_cell(old)} "
                    f"| {_cell(new)} | {'yes' if c.affects_scores else ''} |"
                )
    if movements:
        out += [
            "",
            "### Score movements",
            "",
            "| department | findings | old total | new total | change | indicators that moved |",
            "|---|---|---:|---:|---:|---|",
        ]
        for m in movements:
            moved = (
                "; ".join(
                    f"{i.name} {_sign(i.delta) if i.new_assessed else 'not assessed'}"
                    for i in m.indicators
                )
                or "–"
            )
            out.append(
                f"| {_cell(m.department)} | `{_cell(m.findings)}` | {display(m.old_total)} "
                f"| {display(m.new_total)} | {_sign(m.delta)} | {_cell(moved)} |"
            )
        notes = [f"- `{m.findings}`{_partial_note(m)}" for m in movements if _partial_note(m)]
        if notes:
            out += ["", *notes]
    return "\n".join(out) + "\n"


def diff_json(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff as deterministic JSON (``wzeval: diff/1``), with score movements if given."""
    data = d.to_dict()
    data["movements"] = [m.to_dict() for m in movements]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[RulebookDiff, Sequence[Movement]], str]] = {
    "text": diff_text,
    "markdown": diff_markdown,
    "json": diff_json,
}


def diff_files(
    old: str | Path,
    new: str | Path,
    *,
    findings: Sequence[str | Path] = (),
    fmt: DiffFormat = "text",
) -> tuple[str | None, bool, list[Issue]]:
    """``wzeval diff OLD NEW [--findings …] [--format …]`` as a function.

    Returns the rendered diff (``None`` when a rulebook or findings file could not
    be used), whether anything can move scores (a score-affecting change, or a
    findings total or indicator that moved), and every issue met on the way.
    The command exits 0 when the text is made, with the exit code the issues
    deserve otherwise (1 invalid, 2 unreadable), and 1 under
    ``--fail-on-score-change`` when something can move scores.
    """
    rulebooks: list[Rulebook] = []
    issues: list[Issue] = []
    for path in (old, new):
        rb, found = read_rulebook(path)
        issues.extend(found)
        if rb is not None:
            rulebooks.append(rb)
    if len(rulebooks) < 2:
        return None, False, issues
    d = diff(rulebooks[0], rulebooks[1])
    try:
        movements = score_movements(rulebooks[0], rulebooks[1], findings)
    except ValidationFailed as exc:
        return None, False, [*issues, *exc.issues]
    moved = d.affects_scores or any(m.delta or m.indicators for m in movements)
    return _RENDERERS[fmt](d, movements), moved, issues
