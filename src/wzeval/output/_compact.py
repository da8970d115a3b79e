"""The compact batch document (``ranking/2``): the rulebook's part once, each department's
part alone.

A ``ranking/1`` document nests every department's full report, and nine tenths of a
report is the rulebook's text — indicator names, item titles, sources, rulings,
``file:line`` positions, shares and maximum points — repeated for every department.
A ``ranking/2`` document writes that part once, as ``"rulebook"`` (:func:`sheet`), and
for each department only what differs from it (:func:`department_part`): points,
credits, reasons, the branches matched, vetoes fired, the facts recorded with their
evidence and notes, what was not assessed.  Nothing is lost: :func:`expand` rebuilds a
department's report, byte for byte what :meth:`ScoreReport.to_json` wrote
(tests/output/test_compact_batch.py proves it on every example and on generated findings).

How a department's part is written, so a reader in any language can expand it:

* Every result object (the report, a category, an indicator, an item, a veto, a
  deduction, a fact read …) is written as its fields that differ from its **base**,
  and the base is: the field's default in the report schema, overlaid with the
  object's entry in ``"rulebook"`` (matched by ``id``), overlaid for the report itself
  with the department's ranking fields (``department``, ``total`` …, written beside
  ``"report"``).  A field equal to its base is left out; a field the base lacks is
  always written.
* A list of result objects that has entries in ``"rulebook"`` (categories, indicators
  and their items, vetoes, deductions and facts) is written as a list of such
  objects, each without its ``id`` when it is the entry after the previous object's
  in the rulebook's order (the first: the first entry).  A list left out is the
  rulebook's whole list, every entry at its base.
* A fact read's position in the department's findings file, ``FILE:LINE:COL`` where
  ``FILE`` is the department's ``findings_file``, is written as ``"@": "LINE:COL"``.

The static part is a pure function of the rulebook, so workers compute each
department's part on their own and the document is byte for byte the same for any
``--jobs``; it is a dictionary, not a contract: a result that differs from it (or a
rulebook feature this module does not describe) is written out in full, at the cost of
size only.  ``schemas/ranking2.schema.json`` (:func:`wzeval.analysis._schema.ranking2_schema`)
describes the document.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from wzeval.core._i18n import _
from wzeval.model._report import (
    CategoryResult,
    DeductionResult,
    FactRead,
    GradeResult,
    IndicatorResult,
    ItemResult,
    NotAssessed,
    PartResult,
    Ranked,
    RulebookRef,
    ScoreReport,
    SiteVeto,
    VetoResult,
    exact_text,
)

if TYPE_CHECKING:
    from wzeval.checking._compiled import (
        CompiledDeduction,
        CompiledIndicator,
        CompiledItem,
        CompiledVeto,
    )
    from wzeval.core._issues import Issue
    from wzeval.model._models import Department, Rulebook

__all__ = [
    "ENTRY_FIELDS",
    "FORMAT",
    "compact_chunks",
    "department_part",
    "expand",
    "expand_data",
    "expand_report",
    "read_reports",
    "render_compact",
    "sheet",
]

#: The ``wzeval`` value of the document.
FORMAT = "ranking/2"
#: The fields of a department's ranking entry, written beside its ``"report"`` and
#: taken from there by :func:`expand`: they are not repeated inside.
ENTRY_FIELDS = (
    "department",
    "department_id",
    "findings_file",
    "complete",
    "grade",
    "vetoed",
    "base",
    "bonus",
    "penalty",
    "total",
)

_T = TypeVar("_T", bound=Ranked)
Json = dict[str, Any]

# Which fields of a result class are lists (or one object) of other result classes, and
# under which key the rulebook's part lists their entries (None: no entries, only the
# schema's defaults).
_NESTED: dict[type[BaseModel], dict[str, tuple[type[BaseModel], str | None]]] = {
    ScoreReport: {
        "rulebook": (RulebookRef, None),
        "categories": (CategoryResult, "categories"),
        "indicators": (IndicatorResult, "indicators"),
        "not_assessed": (NotAssessed, None),
        "site_vetoes": (SiteVeto, None),
        "parts": (PartResult, None),
        "grade_rule": (GradeResult, None),
    },
    IndicatorResult: {
        "items": (ItemResult, "items"),
        "vetoes": (VetoResult, "vetoes"),
        "deductions": (DeductionResult, "deductions"),
        "facts": (FactRead, "facts"),
    },
    ItemResult: {
        "vetoes": (VetoResult, "vetoes"),
        "deductions": (DeductionResult, "deductions"),
    },
    PartResult: {"vetoes": (SiteVeto, None)},
}
_SINGLE = frozenset({"rulebook", "grade_rule"})  # the nested fields holding one object
_SHEET_LISTS = ("categories", "indicators")  # the report's lists with rulebook entries

_DEFAULTS: dict[type[BaseModel], Json] = {}


def _defaults(cls: type[BaseModel]) -> Json:
    """The JSON value of each field's default (fields without one are left out)."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = {}
        for name, info in cls.model_fields.items():
            if info.default_factory is not None:
                found[name] = []  # every factory of the result classes makes a list
            elif not info.is_required():
                value = info.default
                found[name] = exact_text(value) if isinstance(value, Fraction) else value
        _DEFAULTS[cls] = found
    return found


def _same(a: object, b: object) -> bool:
    """JSON equality that tells ``true`` from ``1`` and ``1`` from ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


# ------------------------------------------------------------------ the rulebook's part


def _at(positions: Mapping[Any, str], path: Any) -> str | None:
    return positions.get(path) if positions else None


def sheet(rulebook: Rulebook) -> Json:
    """The rulebook's part of a ``ranking/2`` document: what every department's results
    share unless they say otherwise (JSON-ready, the same for the same rulebook).

    A copy, the caller's to change: the one this module reads is kept with the
    compiled rulebook (:func:`_sheet`)."""
    return copy.deepcopy(_sheet(rulebook))


def _veto_base(v: CompiledVeto, pos: Mapping[Any, str]) -> Json:
    """A veto's part of the sheet: its texts, and what most departments' are (not fired)."""
    x = v.veto
    return {
        "id": x.id,
        "label": x.label,
        "fired": False,
        "source": x.source,
        "ruling": x.ruling,
        "at": _at(pos, v.path),
    }


def _deduction_base(
    d: CompiledDeduction, default_cap: Fraction | None, pos: Mapping[Any, str]
) -> Json:
    """A deduction's part of the sheet: amounts and texts, and what most departments'
    are (nothing deducted)."""
    x = d.deduction
    cap = x.cap if x.cap is not None else default_cap
    return {
        "id": x.id,
        "label": x.label,
        "each": exact_text(Fraction(x.each)),
        "cap": None if cap is None else exact_text(Fraction(cap)),
        "source": x.source,
        "ruling": x.ruling,
        "at": _at(pos, d.path),
        "count": 0,
        "amount": "0",
        "points": "0",
        "capped": False,
    }


def _item_base(ci: CompiledItem, weight: Fraction, pos: Mapping[Any, str]) -> Json:
    it = ci.item
    share = Fraction(it.share)
    return {
        "id": it.id,
        "title": it.title,
        "rule": it.kind.key,
        "share": exact_text(share),
        "max_points": exact_text(share * weight),
        "source": it.source,
        "ruling": it.ruling,
        "at": _at(pos, ci.path),
        "vetoes": [_veto_base(v, pos) for v in ci.vetoes],
        "deductions": [_deduction_base(d, share, pos) for d in ci.deductions],
    }


def _indicator_base(cind: CompiledIndicator, pos: Mapping[Any, str]) -> Json:
    """An indicator's part of the sheet: what a department scoring it in full shows."""
    ind = cind.indicator
    weight = Fraction(ind.weight)
    facts: list[Json] = [{"id": f.id, "ask": f.ask} for f in ind.facts]
    facts += [{"id": d.id, "ask": d.description, "derived": True} for d in ind.derived]
    return {
        "id": ind.id,
        "name": ind.name,
        "category": cind.category,
        "category_id": cind.category_id,
        "group": cind.group,
        "kind": cind.kind,
        "weight": exact_text(weight),
        "weight_source": ind.weight_source,
        "applicable": True,
        "assessed": True,
        "vetoed": False,
        "max_points": exact_text(weight),
        "applies_note": ind.applies_note,
        "at": _at(pos, cind.path),
        "items": [_item_base(ci, weight, pos) for ci in cind.items],
        "vetoes": [_veto_base(v, pos) for v in cind.vetoes],
        "deductions": [_deduction_base(d, None, pos) for d in cind.deductions],
        "facts": facts,
    }


def _sheet(rulebook: Rulebook) -> Json:
    """:func:`sheet`, worked out once per compiled rulebook and process (a batch's
    every department reads it) and never changed afterwards."""
    from wzeval.scoring._api import compiled

    crb = compiled(rulebook)
    cached = crb.cache.get("compact.sheet")
    if isinstance(cached, dict):
        return cached
    rb = crb.rulebook
    categories = [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "weight": exact_text(Fraction(c.weight)),
            "applicable_weight": exact_text(Fraction(c.weight)),  # every indicator applies
            "gate": c.when,
        }
        for c in rb.categories
    ]
    ref = {"id": rb.id, "title": rb.title, "year": rb.year, "file": crb.file}
    out: Json = {
        "report": {"rulebook": ref, "places": rb.arithmetic.places},
        "categories": categories,
        "indicators": [_indicator_base(cind, crb.positions) for cind in crb.indicators],
    }
    crb.cache["compact.sheet"] = out
    return out


# ------------------------------------------------------------------ a department's part

_OMIT = object()


class _Encoder:
    """Writes one report's JSON data as its differences from the rulebook's part."""

    def __init__(self, findings_file: str | None) -> None:
        self.here = None if findings_file is None else findings_file + ":"

    def obj(self, cls: type[BaseModel], data: Json, entry: Json | None, skip: str = "") -> Json:
        base = {**_defaults(cls), **(entry or {})}
        nested = _NESTED.get(cls, {})
        out: Json = {}
        for name, value in data.items():
            if name == skip:
                continue
            if name in nested:
                sub, key = nested[name]
                if name in _SINGLE:  # one object or null
                    if value is not None and name in base and base[name] is not None:
                        enc = self.obj(sub, value, base[name])
                        if enc:
                            out[name] = enc
                    elif not _same(value, base.get(name, _OMIT)):
                        out[name] = value
                    continue
                entries = (entry or {}).get(key, []) if key else []
                listed = self.list(sub, value, entries)
                if listed is not _OMIT:
                    out[name] = listed
                continue
            if (
                name == "at"
                and cls is FactRead
                and self.here is not None
                and isinstance(value, str)
                and value.startswith(self.here)
            ):
                out["@"] = value[len(self.here) :]
                continue
            if name in base and _same(value, base[name]):
                continue
            out[name] = value
        return out

    def list(self, cls: type[BaseModel], values: list[Json], entries: list[Json]) -> object:
        if not entries:
            return _OMIT if values == [] else [self.obj(cls, v, None) for v in values]
        index = {e["id"]: n for n, e in enumerate(entries)}
        out = []
        cursor = -1
        for value in values:
            n = index.get(value.get("id"))
            if n is not None and n == cursor + 1:
                out.append(self.obj(cls, value, entries[n], skip="id"))
            else:  # out of the rulebook's order, or not in it: named
                enc = self.obj(cls, value, entries[n] if n is not None else None, skip="id")
                out.append({"id": value["id"], **enc})
            if n is not None:
                cursor = n
        if len(out) == len(entries) and not any(out):
            return _OMIT  # the rulebook's whole list, every entry at its base
        return out


def _entry_fields(report: Ranked) -> Json:
    return {
        "department": report.department,
        "department_id": report.department_id,
        "findings_file": report.findings_file,
        "complete": report.complete,
        "grade": report.grade,
        "vetoed": report.vetoed,
        "base": exact_text(report.base),
        "bonus": exact_text(report.bonus),
        "penalty": exact_text(report.penalty),
        "total": exact_text(report.total),
    }


def department_part(report: ScoreReport, rulebook: Rulebook) -> Json:
    """``report`` as a ``ranking/2`` department's ``"report"``: its differences from
    the rulebook's part (:func:`sheet`) and from its ranking fields."""
    data = report.model_dump(mode="json")
    book = _sheet(rulebook)
    entry = {**book["report"], **_entry_fields(report), **{k: book[k] for k in _SHEET_LISTS}}
    return _Encoder(report.findings_file).obj(ScoreReport, data, entry)


def department_json(report: ScoreReport, rulebook: Rulebook) -> str:
    """:func:`department_part` as the one line :func:`compact_chunks` writes."""
    return _dumps(department_part(report, rulebook))


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ------------------------------------------------------------------------- expanding


class _Decoder:
    """Rebuilds one report's JSON data from its part and the rulebook's: the inverse of
    :class:`_Encoder`, field by field in the result classes' order."""

    def __init__(self, findings_file: str | None) -> None:
        self.here = None if findings_file is None else findings_file + ":"

    def obj(self, cls: type[BaseModel], enc: Json, entry: Json | None, id_: object = _OMIT) -> Json:
        base = {**_defaults(cls), **(entry or {})}
        nested = _NESTED.get(cls, {})
        out: Json = {}
        for name in cls.model_fields:
            if name == "id" and id_ is not _OMIT and "id" not in enc:
                out[name] = id_
            elif name in nested:
                sub, key = nested[name]
                if name in _SINGLE:
                    value = enc.get(name, _OMIT)
                    held = base.get(name)
                    if isinstance(held, dict):
                        out[name] = self.obj(sub, value if isinstance(value, dict) else {}, held)
                        if value is None:
                            out[name] = None
                    else:
                        out[name] = value if value is not _OMIT else held
                    continue
                entries = (entry or {}).get(key, []) if key else []
                out[name] = self.list(sub, enc.get(name, _OMIT), entries)
            elif name == "at" and cls is FactRead and "@" in enc:
                out[name] = f"{self.here}{enc['@']}"
            elif name in enc:
                out[name] = enc[name]
            elif name in base:
                out[name] = base[name]
            else:
                raise ValueError(
                    _("ranking/2: {field} is missing").format(field=f"{cls.__name__}.{name}")
                )
        return out

    def list(self, cls: type[BaseModel], enc: object, entries: list[Json]) -> list[Json]:
        if enc is _OMIT:
            return [self.obj(cls, {}, e) for e in entries]
        if not isinstance(enc, list):
            raise ValueError(_("ranking/2: a list of {what} expected").format(what=cls.__name__))
        if not entries:
            return [self.obj(cls, v, None) for v in enc]
        index = {e["id"]: n for n, e in enumerate(entries)}
        out = []
        cursor = -1
        for value in enc:
            if "id" in value:
                n = index.get(value["id"])
                out.append(self.obj(cls, value, entries[n] if n is not None else None))
            else:
                n = cursor + 1
                out.append(self.obj(cls, value, entries[n], entries[n]["id"]))
            if n is not None:
                cursor = n
        return out


def expand_data(book: Json, department: Mapping[str, Any]) -> Json:
    """A ``ranking/2`` department (an element of ``"departments"``) as its report's JSON
    data, as ``ScoreReport.model_dump(mode="json")`` gives it, with the document's
    ``"rulebook"`` part ``book``."""
    entry = {**book["report"], **{k: department[k] for k in ENTRY_FIELDS}}
    entry.update({k: book[k] for k in _SHEET_LISTS})
    decoder = _Decoder(department["findings_file"])
    return decoder.obj(ScoreReport, department["report"], entry)


def expand_report(document: Mapping[str, Any], index: int) -> ScoreReport:
    """The report of the ``index``-th department (counting from 0, in ranking order) of
    a ``ranking/2`` document read with ``json.loads``."""
    if document.get("wzeval") != FORMAT:
        raise ValueError(_("not a {format} document").format(format=FORMAT))
    data = expand_data(document["rulebook"], document["departments"][index])
    return ScoreReport.model_validate(data)


def expand(document: Mapping[str, Any], index: int) -> str:
    """The ``index``-th department's report as JSON text: exactly what
    :meth:`ScoreReport.to_json` wrote for it (what ``wzeval score FILE --format json``
    writes)."""
    return expand_report(document, index).to_json()


def read_reports(lines: Iterable[str]) -> Iterator[ScoreReport]:
    """Each department's report of a ``ranking/2`` document as wzeval writes it (an
    open file, or its lines split at ``\\n`` only, as a file's iteration splits them —
    not ``str.splitlines``, which also splits at U+2028 inside a string), in ranking
    order, one line at a time: a reader's memory holds the rulebook's part and one
    department, whatever the batch's size.

    The lines are the layout :func:`compact_chunks` writes (the header, the rulebook's
    part, then one department per line); the same JSON laid out otherwise raises
    :class:`ValueError` — read it with ``json.loads`` and :func:`expand_report`.
    """
    it = iter(lines)

    def line() -> str:
        text = next(it, None)
        if text is None:
            raise ValueError(_("{format}: the document ends too soon").format(format=FORMAT))
        return text.rstrip("\n")

    if line() != '{"wzeval":"' + FORMAT + '",':
        raise ValueError(_("not a {format} document as wzeval writes it").format(format=FORMAT))
    book_line = line()
    if not (book_line.startswith('"rulebook":') and book_line.endswith(",")):
        raise ValueError(_("{format}: no rulebook part on the second line").format(format=FORMAT))
    book = json.loads(book_line[len('"rulebook":') : -1])
    start = line()
    if start == '"departments":[],':
        return
    if start != '"departments":[':
        raise ValueError(_("{format}: no departments on the third line").format(format=FORMAT))
    while True:
        text = line()
        last = text.endswith("],")  # the last department closes the list
        department = json.loads(text[:-2] if last else text.removesuffix(","))
        yield ScoreReport.model_validate(expand_data(book, department))
        if last:
            return


# ------------------------------------------------------------------------- writing


def compact_chunks(
    rulebook: Rulebook,
    entries: Sequence[_T],
    part_json: Callable[[_T], str],
    failed: Mapping[str, Sequence[Issue]] | None = None,
    unassessed: Sequence[Department] = (),
) -> Iterator[str]:
    """The ``ranking/2`` document, piece by piece, from ranking entries and each one's
    :func:`department_json` (``part_json(entry)``): a batch keeps those lines (in a
    file), not its reports, so its memory does not grow with the batch.

    One line for the rulebook's part, one per department (in ranking order, with
    competition ranks as :func:`wzeval.output._render.rank`), then the failed files and the
    roster's unassessed units."""
    from wzeval.output._render import rank

    yield '{"wzeval":"' + FORMAT + '",\n"rulebook":' + _dumps(_sheet(rulebook))
    yield ',\n"departments":['
    for n, (place, r) in enumerate(rank(entries)):
        head = _dumps({"rank": place, **_entry_fields(r)})
        yield ("\n" if n == 0 else ",\n") + head[:-1] + ',"report":' + part_json(r) + "}"
    yield "],\n"
    tail: Json = {
        "failed": [
            {"file": file, "issues": [i.to_dict() for i in issues]}
            for file, issues in (failed or {}).items()
        ]
    }
    if unassessed:
        from wzeval.scoring._roster import MESSAGES

        status = MESSAGES["status"]
        tail["unassessed"] = [
            {"department": d.name, "department_id": d.id, "status": status} for d in unassessed
        ]
    yield _dumps(tail)[1:] + "\n"


def render_compact(
    reports: Sequence[ScoreReport],
    rulebook: Rulebook,
    failed: Mapping[str, Sequence[Issue]] | None = None,
    unassessed: Sequence[Department] = (),
) -> str:
    """The ``ranking/2`` document of ``reports`` (all scored with ``rulebook``) as text:
    what :func:`compact_chunks` writes, for reports held in memory."""
    parts = {id(r): department_json(r, rulebook) for r in reports}
    return "".join(compact_chunks(rulebook, reports, lambda r: parts[id(r)], failed, unassessed))
