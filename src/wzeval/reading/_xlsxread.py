"""Reading a findings workbook back into a document (the reading half of ``.xlsx``).

:func:`read_findings_xlsx` reads a filled findings workbook (as
:func:`wzeval.output._xlsx.write_findings_template_xlsx` writes it) into a
:class:`~wzeval.reading._yamlcore.Document` holding the same data a YAML findings document
gives, so :func:`wzeval.checking._findings.check_findings` checks it unchanged; empty value
cells are left out.  The document's positions are cells: an issue prints as
``dept.xlsx:事实!F12`` (see :class:`CellPosition`).

It lives with the other readers, below the models and the library, so that
:func:`wzeval.reading._documents.read_document` can read a workbook without importing the
score-workbook writers (:mod:`wzeval.output._xlsx`, which re-exports these names).
openpyxl is imported only when a function here is called; without it they raise
:class:`wzeval.core._errors.XlsxUnavailable`, which says what to install.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType
from typing import Any

from wzeval.core._codes import WZ102, WZ110, WZ401, WZ403, WZ405
from wzeval.core._errors import XlsxUnavailable
from wzeval.core._i18n import _, language
from wzeval.core._issues import Issue, PathPart, Position, Severity
from wzeval.reading._source import read_bytes_bounded
from wzeval.reading._yamlcore import Document

__all__ = [
    "FACTS_HEADER",
    "FACTS_SHEET",
    "HEADER_KEYS",
    "HEADER_SHEET",
    "WORKBOOK_NAMES",
    "CellPosition",
    "XlsxDocument",
    "facts_header",
    "openpyxl_module",
    "read_findings_xlsx",
    "workbook_names",
]

#: The names of a findings workbook's sheets and of its facts sheet's columns, in each
#: language a template is written in: the template writes them in the language of the
#: run (:func:`workbook_names`) and :func:`read_findings_xlsx` accepts them in any of
#: them, whatever language it runs in, so a workbook made with ``--lang en`` and filled
#: by one evaluator scores the same for another who reads Chinese.  They are a fixed
#: table here, not catalogue messages (the template's other texts are): they are part
#: of the file format, and a translation reworded in the catalogue would make the
#: workbooks already filled unreadable.  A name is added here, never changed.
WORKBOOK_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "header": "说明",
        "facts": "事实",
        "options": "选项",
        "indicator": "指标ID",
        "indicator_name": "指标名称",
        "fact": "事实ID",
        "ask": "问题",
        "type": "类型",
        "value": "值",
        "evidence": "证据",
        "note": "备注",
        "how": "填写说明",
    },
    "en": {
        "header": "About",
        "facts": "Facts",
        "options": "Options",
        "indicator": "Indicator ID",
        "indicator_name": "Indicator",
        "fact": "Fact ID",
        "ask": "Question",
        "type": "Type",
        "value": "Value",
        "evidence": "Evidence",
        "note": "Note",
        "how": "How to fill in",
    },
}
#: The columns of the facts sheet, in order; the value to fill is column F.
_COLUMNS = (
    "indicator",
    "indicator_name",
    "fact",
    "ask",
    "type",
    "value",
    "evidence",
    "note",
    "how",
)
#: The sheets and columns in Chinese, the default language (what earlier versions wrote).
HEADER_SHEET = WORKBOOK_NAMES["zh"]["header"]
FACTS_SHEET = WORKBOOK_NAMES["zh"]["facts"]
FACTS_HEADER = tuple(WORKBOOK_NAMES["zh"][c] for c in _COLUMNS)
#: The keys of the header sheet (column A), in order.
HEADER_KEYS = ("wzeval", "rulebook", "department", "monitoring_date", "assessors", "notes")


def workbook_names(lang: str | None = None) -> dict[str, str]:
    """The sheet and column names in ``lang`` (default: the language in force)."""
    return WORKBOOK_NAMES[lang or language()]


def facts_header(lang: str | None = None) -> tuple[str, ...]:
    """The facts sheet's header row in ``lang`` (default: the language in force)."""
    names = workbook_names(lang)
    return tuple(names[c] for c in _COLUMNS)


def _names_of(role: str) -> tuple[str, ...]:
    """A sheet's or column's names in every language, the default language's first."""
    return tuple(dict.fromkeys(names[role] for names in WORKBOOK_NAMES.values()))


def _found(role: str, present: Collection[str]) -> str | None:
    """The name, in whichever language, under which a workbook has a sheet or column."""
    return next((n for n in _names_of(role) if n in present), None)


_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
_ASSESSOR_SPLIT = re.compile(r"[、,，;；\n]+")


def openpyxl_module() -> ModuleType:
    """openpyxl, or :class:`XlsxUnavailable` saying what to install."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise XlsxUnavailable(
            _("reading or writing .xlsx files needs openpyxl, which is not installed")
        ) from exc


def _position_key(p: Position) -> tuple[str, int, int, str]:
    return (p.file, p.line, p.col, getattr(p, "sheet", ""))


@dataclass(frozen=True, eq=False)
class CellPosition(Position):
    """A cell of a workbook: ``file``, ``sheet``, ``line`` = row, ``col`` = column (1-based).

    Shown as ``dept.xlsx:事实!F12`` — the file, then the cell as Excel names it (paste
    ``事实!F12`` into Excel's Go To box).  ``line``/``col`` stay numbers, so
    ``Issue.to_dict`` keeps its shape; it compares and sorts with plain positions.
    """

    sheet: str = ""

    @property
    def cell(self) -> str:
        """The A1-style name of the cell (``F12``)."""
        letters, n = "", self.col
        while n > 0:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return f"{letters}{self.line}"

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.file}:{self.sheet}" if self.sheet else self.file
        return f"{self.file}:{self.sheet}!{self.cell}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Position):
            return NotImplemented
        return _position_key(self) == _position_key(other)

    def __hash__(self) -> int:
        return hash(_position_key(self))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Position):
            return NotImplemented
        return _position_key(self) < _position_key(other)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Position):
            return NotImplemented
        return _position_key(self) <= _position_key(other)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Position):
            return NotImplemented
        return _position_key(self) > _position_key(other)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Position):
            return NotImplemented
        return _position_key(self) >= _position_key(other)


@dataclass
class XlsxDocument(Document):
    """A findings workbook read as a document: ``data`` is what YAML would give, and
    :meth:`position` maps a document path to its cell."""

    cells: dict[tuple[PathPart, ...], CellPosition] = field(default_factory=dict)
    key_cells: dict[tuple[PathPart, ...], CellPosition] = field(default_factory=dict)

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """The cell of the value at ``path`` (or of its nearest recorded parent);
        ``key=True`` gives the cell naming it (the indicator or fact id)."""
        p = tuple(path)
        if key and p in self.key_cells:
            return self.key_cells[p]
        while p:
            if p in self.cells:
                return self.cells[p]
            p = p[:-1]
        return self.cells.get((), CellPosition(self.file))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_from(value: object) -> object:
    """An Excel number as the exact value it shows: ints stay ints, floats become
    ``Decimal(repr(x))`` (0.7 → Decimal('0.7'), never the binary expansion)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return Decimal(repr(value))
    if isinstance(value, str) and _NUMBER.match(value):
        text = value.strip()
        try:
            dec = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return value
        return (
            int(dec)
            if dec == dec.to_integral_value() and "." not in text and "e" not in text.lower()
            else dec
        )
    return value


def _convert(kind: str, value: object) -> object:
    """A cell's value as the findings checker expects it, by the fact's type (column E)."""
    if isinstance(value, str) and value.strip().lower() == "null":
        return None
    base = kind.split("[", 1)[0]
    if base == "bool":
        if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
            return value.strip().upper() == "TRUE"
        return value
    if base in ("int", "decimal"):
        return _number_from(value)
    if base == "date":
        if isinstance(value, datetime):
            return value.date() if value.time() == datetime.min.time() else value
        return value.strip() if isinstance(value, str) else value
    if base == "datetime":
        return value.strip() if isinstance(value, str) else value
    if base in ("str", "enum"):
        if isinstance(value, float | int) and not isinstance(value, bool):
            return str(_number_from(value))
        return value
    if base in ("list", "records"):
        if isinstance(value, str):
            try:
                return json.loads(value, parse_float=Decimal)
            except ValueError:
                return value  # the checker says it must be a list, pointing at this cell
        return value
    # unknown type text: the generic conversions
    if isinstance(value, float):
        return _number_from(value)
    return value


def _evidence(value: object) -> str | list[str] | None:
    if _blank(value):
        return None
    lines = [x.strip() for x in str(value).splitlines() if x.strip()]
    return lines[0] if len(lines) == 1 else lines


def read_findings_xlsx(path: str | Path) -> XlsxDocument:
    """Read a findings workbook (as written by :func:`write_findings_template_xlsx`).

    Returns a document whose ``data`` is the mapping a YAML findings document gives
    (``wzeval``, ``rulebook``, ``department``, ``monitoring_date``, ``assessors``,
    ``indicators: {indicator: {fact: {value, evidence, note}}}``), ready for
    :func:`wzeval.checking._findings.check_findings`.  Rows with an empty value cell are left
    out.  Never raises for bad input: an unreadable file gives ``data=None`` and an
    issue (WZ110); a missing sheet or column gives WZ401.  Raises
    :class:`XlsxUnavailable` without openpyxl.
    """
    opened = _open_workbook(path)
    if isinstance(opened, XlsxDocument):
        return opened
    name = str(path)
    doc = XlsxDocument(name, None)
    head_sheet = _found("header", opened.sheetnames)
    facts_sheet = _found("facts", opened.sheetnames)
    if head_sheet is None or facts_sheet is None:
        names = workbook_names()
        missing = [
            names[r] for r, s in (("header", head_sheet), ("facts", facts_sheet)) if s is None
        ]
        doc.issues.append(
            Issue(
                WZ401,
                _("a findings workbook needs the sheets {sheets}").format(
                    sheets=_(", ").join(missing)
                ),
                position=CellPosition(name),
                hint=_("start from wzeval template --format xlsx"),
            )
        )
        return doc
    data = _read_header(doc, opened[head_sheet])
    rows = _FactRows.of(doc, opened[facts_sheet])
    if rows is None:
        return doc
    data["indicators"] = rows.read()
    doc.data = data
    return doc


def _open_workbook(path: str | Path) -> Any:
    """The workbook at ``path``, or an :class:`XlsxDocument` with no data saying why not."""
    xl = openpyxl_module()
    name = str(path)
    base = CellPosition(name)
    content, problems = read_bytes_bounded(path)  # regular files only, bounded while read
    if content is None:
        return XlsxDocument(name, None, issues=[replace(i, position=base) for i in problems])
    try:
        return xl.load_workbook(io.BytesIO(content), data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return XlsxDocument(
            name,
            None,
            issues=[
                Issue(
                    WZ110,
                    _("cannot read workbook: {detail}").format(detail=detail),
                    position=base,
                    hint=_("save it as .xlsx (Excel 2007 or later)"),
                )
            ],
        )


def _read_header(doc: XlsxDocument, head: Any) -> dict[str, Any]:
    """The header sheet's keys (a key, a description, a value per row), each placed."""
    name, sheet = doc.file, head.title
    data: dict[str, Any] = {}
    doc.cells[()] = CellPosition(name, 0, 0, sheet=sheet)
    for row in head.iter_rows(min_row=1):
        key = row[0].value
        if not isinstance(key, str) or key.strip() not in HEADER_KEYS or len(row) < 3:
            continue
        key = key.strip()
        cell = row[2]
        doc.cells[(key,)] = CellPosition(name, cell.row, cell.column, sheet=sheet)
        doc.key_cells[(key,)] = CellPosition(name, cell.row, 1, sheet=sheet)
        value = cell.value
        if _blank(value):
            continue
        if key == "monitoring_date":
            data[key] = value.date() if isinstance(value, datetime) else value
        elif key == "assessors":
            data[key] = [a.strip() for a in _ASSESSOR_SPLIT.split(str(value)) if a.strip()]
        else:
            data[key] = value.strip() if isinstance(value, str) else value
    return data


@dataclass
class _FactRows:
    """The facts sheet, one fact a row, read into ``indicators:`` with every value placed
    on its cell; the columns are found by their header (in any language of
    :data:`WORKBOOK_NAMES`), so their order is free."""

    doc: XlsxDocument
    ws: Any
    sheet: str
    ind: int
    fact: int
    val: int
    type: int | None
    ev: int | None
    note: int | None
    first_row: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: XlsxDocument, ws: Any) -> _FactRows | None:
        """The sheet's columns; ``None`` (and WZ401) when one it needs is missing."""
        header = {
            str(c.value).strip(): c.column
            for c in next(ws.iter_rows(min_row=1, max_row=1), ())
            if not _blank(c.value)
        }
        col = {role: _found(role, header) for role in ("indicator", "fact", "value")}
        need = [workbook_names()[role] for role, found in col.items() if found is None]
        sheet = ws.title
        if need:
            doc.issues.append(
                Issue(
                    WZ401,
                    _("the {sheet} sheet has no column {columns}").format(
                        sheet=sheet, columns=_(", ").join(need)
                    ),
                    position=CellPosition(doc.file, 1, 1, sheet=sheet),
                    hint=_("keep the header row of the template"),
                )
            )
            return None

        def column(role: str) -> int | None:
            found = _found(role, header)
            return None if found is None else header[found]

        ind, fact, val = (header[str(col[r])] for r in ("indicator", "fact", "value"))
        rows = cls(
            doc, ws, sheet, ind, fact, val, column("type"), column("evidence"), column("note")
        )
        doc.cells[("indicators",)] = rows.at(1, rows.ind)
        return rows

    def at(self, row: int, col: int) -> CellPosition:
        return CellPosition(self.doc.file, row, col, sheet=self.sheet)

    def read(self) -> dict[str, dict[str, Any]]:
        """Every recorded fact by indicator; blank rows are placed but left out."""
        indicators: dict[str, dict[str, Any]] = {}
        for row in self.ws.iter_rows(min_row=2):
            cells = {c.column: c for c in row if hasattr(c, "column")}
            found = self.row(row[0].row, cells)
            if found is not None:
                ind_id, fact_id, body = found
                indicators.setdefault(ind_id, {})[fact_id] = body
        return indicators

    def row(self, r: int, cells: dict[int, Any]) -> tuple[str, str, object] | None:
        """One row's indicator, fact and findings body; ``None`` for a row that records
        nothing (blank, repeated, or a value with no ids, which is WZ403)."""
        doc = self.doc

        def get(col: int | None) -> object:
            c = cells.get(col) if col is not None else None
            return c.value if c is not None else None

        ind, fid, raw = get(self.ind), get(self.fact), get(self.val)
        if _blank(ind) or _blank(fid):
            if not _blank(raw):
                doc.issues.append(
                    Issue(
                        WZ403,
                        _("a value in row {r} has no indicator or fact id").format(r=r),
                        position=self.at(r, self.val),
                        hint=_("write values only in the rows of the template"),
                    )
                )
            return None
        ind_id, fact_id = str(ind).strip(), str(fid).strip()
        ipath: tuple[PathPart, ...] = ("indicators", ind_id)
        fpath: tuple[PathPart, ...] = (*ipath, fact_id)
        doc.cells.setdefault(ipath, self.at(r, self.ind))
        doc.key_cells.setdefault(ipath, self.at(r, self.ind))
        if _blank(raw):
            # not recorded yet: left out of the data, but placed on its own row's cell
            if fpath not in doc.cells:
                doc.cells[fpath] = self.at(r, self.val)
                doc.key_cells[fpath] = self.at(r, self.fact)
                doc.blanks.add(fpath)
            return None
        seen = self.first_row.get((ind_id, fact_id))
        if seen is not None:
            doc.issues.append(
                Issue(
                    WZ102,
                    _("{ind_id}.{fact_id} is given twice (rows {seen} and {r})").format(
                        ind_id=ind_id, fact_id=fact_id, seen=seen, r=r
                    ),
                    path=fpath,
                    position=self.at(r, self.fact),
                    hint=_("keep one row per fact"),
                )
            )
            return None
        self.first_row[(ind_id, fact_id)] = r
        doc.blanks.discard(fpath)
        kind = str(get(self.type) or "").strip()
        value = _convert(kind, raw)
        doc.cells[fpath] = self.at(r, self.val)
        doc.cells[(*fpath, "value")] = self.at(r, self.val)
        doc.key_cells[fpath] = self.at(r, self.fact)
        evidence = _evidence(get(self.ev))
        note_raw = get(self.note)
        note = None if _blank(note_raw) else str(note_raw).strip()
        if self.ev is not None:
            doc.cells[(*fpath, "evidence")] = self.at(r, self.ev)
        if self.note is not None:
            doc.cells[(*fpath, "note")] = self.at(r, self.note)
        if kind != "records":
            body: dict[str, object] = {"value": value}
            if evidence is not None:
                body["evidence"] = evidence
            if note is not None:
                body["note"] = note
            return ind_id, fact_id, body
        # a records fact is the bare list in findings; evidence and notes have no place
        if evidence is not None or note is not None:
            self.not_kept(r, ind_id, fact_id)
        return ind_id, fact_id, value

    def not_kept(self, r: int, ind_id: str, fact_id: str) -> None:
        """WZ405: the evidence and notes of a records fact (in row ``r``) are dropped."""
        self.doc.issues.append(
            Issue(
                WZ405,
                _("evidence and notes of the records fact {ind_id}.{fact_id} are not kept").format(
                    ind_id=ind_id, fact_id=fact_id
                ),
                position=self.at(r, self.ev or self.val),
                severity=Severity.WARNING,
                hint=_("put them in the records' own fields, or in the header's notes"),
            )
        )
