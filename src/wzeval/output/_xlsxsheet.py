"""What wzeval's workbooks share: cell figures, sheet names, styles, print setup, rows sized.

The score workbook (:mod:`wzeval.output._xlsx`) and the findings template
(:mod:`wzeval.output._xlsxtemplate`) look alike and print alike: a bold filled header row,
thin borders, wrapped text with each row as tall as its longest cell, A4
landscape one page wide with the header repeated, and saved deterministically
(fixed zip entry times and document dates).  openpyxl is imported only when a
workbook is made (:func:`wzeval.reading._xlsxread.openpyxl_module`).

The score workbook is streamed (issue 15): a sheet is first plain data — a
:class:`SheetData` of :class:`Row` s of :class:`Put` s, each cell's style named by a
:class:`Look` — small and picklable, so a worker process can compute it and the parent
keep none of the reports; :func:`write_sheet` then writes it to a write-only workbook
(openpyxl keeps no cell objects) and closes it before the next sheet.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import IO, Any, NamedTuple

from wzeval.model._report import display
from wzeval.reading._xlsxread import openpyxl_module

__all__ = [
    "HEAD",
    "Look",
    "Put",
    "Row",
    "SheetData",
    "Styles",
    "cell_number",
    "fix_timestamps",
    "header_cells",
    "header_row",
    "number_format",
    "print_setup",
    "row_height",
    "save",
    "save_to",
    "set_widths",
    "sheet_names",
    "write_sheet",
]

#: points of row height per wrapped line (11 pt text; LibreOffice's CJK fallback font needs
#: 16, Excel's 15 would cut the last line), plus a margin, and the characters per unit of width
_LINE_HEIGHT = 16.0
_ROW_MARGIN = 4.0
_WIDE = 2  # a CJK character takes two units of column width

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_HEAD_FILL = "DCE6F1"
_INPUT_FILL = "FFF8DC"
_TOTAL_FILL = "F2F2F2"


def cell_number(value: Fraction, places: int = 2) -> float:
    """The number a cell stores for a figure: exactly the value :func:`display` shows.

    ``float(Decimal("78.20"))`` is the double nearest the shown text, so Excel shows
    (and sums) what the report shows, not a binary approximation of the exact figure.
    """
    return float(Decimal(display(value, places)))


def sheet_names(names: Sequence[str], *, reserved: Sequence[str] = ()) -> list[str]:
    """Valid, unique sheet names for ``names``, in order.

    Excel's rules: at most 31 characters, none of ``[ ] : * ? / \\``, not starting or
    ending with an apostrophe, not ``History``, unique ignoring case.  Duplicates get
    ``(2)``, ``(3)`` … (shortening the name to fit).
    """
    taken = {r.casefold() for r in (*reserved, "History")}
    out = []
    for raw in names:
        base = _INVALID_SHEET_CHARS.sub("_", raw).strip().strip("'").strip() or "部门"
        base = base[:31]
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f"({n})"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def fix_timestamps(src: IO[bytes], dst: IO[bytes], when: date) -> None:
    """Copy the workbook ``src`` to ``dst`` (both seekable) deterministically: fixed zip
    entry times and document dates.  Entries are copied in pieces, not read whole, so a
    workbook of thousands of sheets needs no more memory than one of a few."""
    stamp = f"{when.isoformat()}T00:00:00Z".encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    zin.read(info),
                )
                zout.writestr(zi, data)
                continue
            zi.file_size = info.file_size  # as writestr knows it: the same zip64 choice
            with zin.open(info) as piece, zout.open(zi, "w") as out:
                shutil.copyfileobj(piece, out, _COPY_CHUNK)


_COPY_CHUNK = 1 << 20


def save_to(wb: Any, out: IO[bytes], when: date) -> None:
    """Save ``wb`` to ``out`` (seekable), the same bytes for the same content (see
    fix_timestamps), by way of a temporary file: a large workbook is never whole in
    memory."""
    wb.properties.creator = "wzeval"
    with tempfile.TemporaryFile() as raw:
        wb.save(raw)
        raw.seek(0)
        fix_timestamps(raw, out, when)


def save(wb: Any, when: date) -> bytes:
    """The workbook's bytes (:func:`save_to`)."""
    out = io.BytesIO()
    save_to(wb, out, when)
    return out.getvalue()


class Look(NamedTuple):
    """A cell's style by name: picklable and tiny, so a sheet's data names its styles
    and only the parent, writing, builds openpyxl objects (:meth:`Styles.apply`).
    ``font``, ``fill`` and ``align`` name attributes of :class:`Styles` ("" for none)."""

    font: str = ""
    fill: str = ""
    border: bool = False
    align: str = ""
    number_format: str = "General"


#: a header cell: bold, filled, bordered, centred
HEAD = Look("bold", "head_fill", True, "center")


class Styles:
    """The few styles the workbooks use (built once openpyxl is imported)."""

    def __init__(self, xl: ModuleType) -> None:
        st = xl.styles
        thin = st.Side(style="thin", color="A6A6A6")
        self.border = st.Border(left=thin, right=thin, top=thin, bottom=thin)
        self.bold = st.Font(bold=True)
        self.title = st.Font(bold=True, size=14)
        self.muted = st.Font(color="595959")
        self.link = st.Font(color="1F4E9E", underline="single")
        self.head_fill = st.PatternFill("solid", fgColor=_HEAD_FILL)
        self.input_fill = st.PatternFill("solid", fgColor=_INPUT_FILL)
        self.total_fill = st.PatternFill("solid", fgColor=_TOTAL_FILL)
        self.wrap = st.Alignment(wrap_text=True, vertical="top")
        self.top = st.Alignment(vertical="top")
        self.center = st.Alignment(horizontal="center", vertical="center", wrap_text=True)
        # each look's style as the workbook numbers it (a cell's ``_style``), by workbook
        self._made: dict[tuple[int, Look], Any] = {}

    def apply(self, cell: Any, look: Look) -> Any:
        """Give ``cell`` the style ``look`` names (what it does not name stays default).

        Setting a cell's font, fill, border or alignment looks the style up in the
        workbook's lists by hashing it, every part of it: 10.7 s of 21.3 s of a batch
        workbook of 50 departments (cProfile).  A look is set that way once per
        workbook; every later cell of that look takes a copy of the same numbers, which
        is what the setting gives it."""
        key = (id(cell.parent.parent), look)
        made = self._made.get(key)
        if made is not None:
            cell._style = copy.copy(made)
            return cell
        self._set(cell, look)
        self._made[key] = copy.copy(cell._style)
        return cell

    def _set(self, cell: Any, look: Look) -> None:
        if look.font:
            cell.font = getattr(self, look.font)
        if look.fill:
            cell.fill = getattr(self, look.fill)
        if look.border:
            cell.border = self.border
        if look.align:
            cell.alignment = getattr(self, look.align)
        if look.number_format != "General":
            cell.number_format = look.number_format


def number_format(places: int) -> str:
    """The format of a figure shown with ``places`` decimals: ``0.00`` for two."""
    return "0." + "0" * places if places else "0"


def header_cells(header: Sequence[str]) -> tuple[Put, ...]:
    """A header row's cells, as data."""
    return tuple(Put(text, HEAD) for text in header)


def header_row(ws: Any, row: int, header: Sequence[str], s: Styles) -> None:
    """A bold, filled, bordered, centred header row (a normal-mode sheet)."""
    for col, put in enumerate(header_cells(header), 1):
        s.apply(ws.cell(row=row, column=col, value=put.value), put.look)


def print_setup(ws: Any, title_rows: str) -> None:
    """A4 landscape, one page wide, ``title_rows`` repeated on every page (a write-only
    sheet writes its properties first: call this before its first row)."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = openpyxl_module().worksheet.worksheet.Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _text_width(text: str) -> int:
    if text.isascii():  # no wide character: a column each (most figures, ids, dates)
        return len(text)
    return sum(_WIDE if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column of ``width`` (Excel's width units)."""
    per_line = max(int(width) - 1, 1)
    return sum(max(-(-_text_width(line) // per_line), 1) for line in text.split("\n"))


def row_height(values: Iterable[object], widths: Sequence[float]) -> float | None:
    """The height a row of ``values`` (from column A) needs so every wrapped cell shows
    all its text; None when one line fits."""
    most = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and value:
            most = max(most, _lines(value, width))
    return most * _LINE_HEIGHT + _ROW_MARGIN if most > 1 else None


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    """The width of each column, from the first."""
    xl = openpyxl_module()
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[xl.utils.get_column_letter(col)].width = width


# --------------------------------------------------------------------------- streamed sheets


class Put(NamedTuple):
    """One cell as data: its value, its style, and the place it links to in the
    workbook (``'Sheet'!A1``) if any."""

    value: str | int | float | None
    look: Look = Look()
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One row as data: its cells from column A (None leaves a cell out) and its height
    (:func:`row_height`; None for the default)."""

    cells: tuple[Put | None, ...] = ()
    height: float | None = None

    @classmethod
    def fitted(cls, cells: Sequence[Put | None], widths: Sequence[float]) -> Row:
        """A row as tall as its longest wrapped cell in columns of ``widths``."""
        values = [None if c is None else c.value for c in cells]
        return cls(tuple(cells), row_height(values, widths))


@dataclass(frozen=True, slots=True)
class SheetData:
    """A whole sheet as data, what :func:`write_sheet` needs and nothing of openpyxl:
    its rows from row 1 (a tuple, when a worker sends it; any iterable when the parent
    makes the rows as it writes), column widths from A, the first cell below and right
    of the frozen panes, the rows repeated on every printed page (``"3:3"``), merged
    ranges and the auto-filter range."""

    rows: Iterable[Row]
    widths: tuple[float, ...]
    freeze: str
    title_rows: str
    merged: tuple[str, ...] = ()
    auto_filter: str | None = None


def write_sheet(wb: Any, title: str, sheet: SheetData, s: Styles) -> None:
    """Append ``sheet`` as the sheet ``title`` of the write-only workbook ``wb``, row
    after row, and close it: its XML is then in a temporary file openpyxl copies into
    the zip on save, and nothing of its cells stays in memory (nor what :data:`_WRITTEN`
    names).

    Widths, panes and print setup are written before the rows, a row's height with it:
    they are set first, as a write-only sheet requires.
    """
    xl = openpyxl_module()
    ws = wb.create_sheet(title)
    set_widths(ws, sheet.widths)
    ws.freeze_panes = sheet.freeze
    print_setup(ws, sheet.title_rows)
    link = xl.worksheet.hyperlink.Hyperlink
    for n, row in enumerate(sheet.rows, 1):
        if row.height is not None:
            ws.row_dimensions[n].height = row.height
        cells: list[Any] = []
        for put in row.cells:
            if put is None:
                cells.append(None)
                continue
            cell = s.apply(xl.cell.WriteOnlyCell(ws, put.value), put.look)
            if put.link is not None:
                cell.hyperlink = link(ref="", location=put.link, display=put.value)
            cells.append(cell)
        ws.append(cells)
    for ref in sheet.merged:
        ws.merged_cells.add(ref)
    if sheet.auto_filter is not None:
        ws.auto_filter.ref = sheet.auto_filter
    ws.close()
    for part in _WRITTEN:
        delattr(ws, part)


#: What a closed write-only sheet has written into its XML and its workbook's save never
#: reads again (openpyxl 3.1: the save takes the sheet's temporary file, title, state,
#: auto filter, print titles and area, relations, tables, drawings and comments).  The
#: workbook keeps every closed sheet until it is saved, so these are let go as each is
#: written: a batch's peak memory grows by about 2 KB a department, not 26 KB (123 KB
#: with the rows' heights; tracemalloc, 50 against 500 departments).  Were a later
#: openpyxl to read one of them on save, the save would fail on the missing attribute,
#: never write a default silently.
_WRITTEN = (
    "HeaderFooter",
    "col_breaks",
    "column_dimensions",
    "conditional_formatting",
    "data_validations",
    "merged_cells",
    "page_margins",
    "page_setup",
    "print_options",
    "protection",
    "row_breaks",
    "row_dimensions",
    "scenarios",
    "sheet_format",
    "sheet_properties",
    "views",
)
