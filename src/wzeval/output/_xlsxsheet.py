"""What wzeval's workbooks share: cell figures, sheet names, styles, print setup, rows sized.

The score workbook (:mod:`wzeval.output._xlsx`) and the findings template
(:mod:`wzeval.output._xlsxtemplate`) look alike and print alike: a bold filled header row,
thin borders, wrapped text with each row as tall as its longest cell, A4
landscape one page wide with the header repeated, and saved deterministically
(fixed zip entry times and document dates).  openpyxl is imported only when a
workbook is made (:func:`wzeval.reading._xlsxread.openpyxl_module`).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

from wzeval.model._report import display
from wzeval.reading._xlsxread import openpyxl_module

__all__ = [
    "Styles",
    "cell_number",
    "fit_row",
    "header_row",
    "print_setup",
    "save",
    "set_widths",
    "sheet_names",
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


def _fix_timestamps(raw: bytes, when: date) -> bytes:
    """Make a saved workbook deterministic: fixed zip entry times and document dates."""
    stamp = f"{when.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def save(wb: Any, when: date) -> bytes:
    """The workbook's bytes, the same for the same content (see _fix_timestamps)."""
    wb.properties.creator = "wzeval"
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_timestamps(buf.getvalue(), when)


class Styles:
    """The few styles the workbooks use (built once openpyxl is imported)."""

    def __init__(self, xl: ModuleType) -> None:
        st = xl.styles
        thin = st.Side(style="thin", color="A6A6A6")
        self.border = st.Border(left=thin, right=thin, top=thin, bottom=thin)
        self.bold = st.Font(bold=True)
        self.title = st.Font(bold=True, size=14)
        self.muted = st.Font(color="595959")
        self.head_fill = st.PatternFill("solid", fgColor=_HEAD_FILL)
        self.input_fill = st.PatternFill("solid", fgColor=_INPUT_FILL)
        self.total_fill = st.PatternFill("solid", fgColor=_TOTAL_FILL)
        self.wrap = st.Alignment(wrap_text=True, vertical="top")
        self.top = st.Alignment(vertical="top")
        self.center = st.Alignment(horizontal="center", vertical="center", wrap_text=True)


def header_row(ws: Any, row: int, header: Sequence[str], s: Styles) -> None:
    """A bold, filled, bordered, centred header row."""
    for col, text in enumerate(header, 1):
        c = ws.cell(row=row, column=col, value=text)
        c.font = s.bold
        c.fill = s.head_fill
        c.border = s.border
        c.alignment = s.center


def print_setup(ws: Any, title_rows: str) -> None:
    """A4 landscape, one page wide, ``title_rows`` repeated on every page."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _text_width(text: str) -> int:
    return sum(_WIDE if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column of ``width`` (Excel's width units)."""
    per_line = max(int(width) - 1, 1)
    return sum(max(-(-_text_width(line) // per_line), 1) for line in text.split("\n"))


def fit_row(ws: Any, row: int, widths: Sequence[float]) -> None:
    """Set the height of ``row`` so every wrapped cell shows all its text."""
    most = 1
    for col, width in enumerate(widths, 1):
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value:
            most = max(most, _lines(value, width))
    if most > 1:
        ws.row_dimensions[row].height = most * _LINE_HEIGHT + _ROW_MARGIN


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    """The width of each column, from the first."""
    xl = openpyxl_module()
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[xl.utils.get_column_letter(col)].width = width
