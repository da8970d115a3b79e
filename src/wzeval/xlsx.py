"""Spreadsheets: score sheets offices can print, and findings recorded in Excel.

Two directions, both through openpyxl (a base dependency, imported only when a
function here is called; if it is missing from the environment they raise
:class:`wzeval.errors.XlsxUnavailable`, which says what to install):

**Score workbooks** — :func:`write_xlsx` / :func:`xlsx_bytes`.  A ranking sheet
(排名) first, then one sheet per department in the shape offices use
(一级指标 / 二级指标 / 三级指标 / 权重 / 得分 / 扣分原因, category names repeated on
every row so the table sorts and filters), with the totals underneath.  Every
figure is a real number holding exactly the value shown (:func:`cell_number`:
rounded once, half up) and formatted ``0.00``.  Sheets print landscape, one
page wide, with the header row repeated.

**Findings workbooks** — :func:`write_findings_template_xlsx` writes a blank for
one department: a 说明 sheet with the header (rulebook, department, monitoring
date, assessors) and a 事实 sheet with one row per fact to record, each value
cell guarded by a data validation where Excel has one (TRUE/FALSE lists, whole
numbers, decimals in range, dates, enum options).  :func:`read_findings_xlsx`
reads a filled one back into a :class:`~wzeval.loader.Document` holding the
same data a YAML findings document gives, so
:func:`wzeval.findings.check_findings` checks it unchanged; empty value cells
are left out (score with ``partial`` to leave those indicators unassessed).
The document's positions are cells: an issue prints as
``dept.xlsx:事实!F12`` (see :class:`CellPosition`).

Workbooks are deterministic (same input, same bytes: the zip timestamps and the
document dates are fixed) and written atomically.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from wzeval.api import compiled
from wzeval.errors import OutputExists, WzevalError, XlsxUnavailable
from wzeval.findings import FILLING_RULE, FINDINGS_FORMAT
from wzeval.i18n import N_, _
from wzeval.models import Fact, Rulebook
from wzeval.output import write_atomic
from wzeval.paths import shown
from wzeval.render import item_title, rank, ranking_note, verdict_lines
from wzeval.report import DeductionResult, ScoreReport, VetoResult, display
from wzeval.template import applies_to, describe_fact, resolve_department
from wzeval.xlsxread import (  # the reader lives below the library (wzeval.documents uses it)
    FACTS_SHEET,
    HEADER_KEYS,
    HEADER_SHEET,
    CellPosition,
    XlsxDocument,
    openpyxl_module,
    read_findings_xlsx,
)

__all__ = [
    "FACTS_HEADER",
    "FACTS_SHEET",
    "HEADER_SHEET",
    "INDICATOR_HEADER",
    "RANKING_HEADER",
    "RANKING_SHEET",
    "CellPosition",
    "XlsxDocument",
    "XlsxUnavailable",
    "cell_number",
    "findings_template_xlsx_bytes",
    "read_findings_xlsx",
    "sheet_names",
    "write_findings_template_xlsx",
    "write_xlsx",
    "xlsx_bytes",
]

# The score workbook's labels are English msgids, shown through _() in the language in
# force (Chinese by default: 排名, 名次, 部门 …); tests translate them the same way.
#: The first sheet of a score workbook.
RANKING_SHEET = N_("Ranking")
#: Its columns.
RANKING_HEADER = (
    N_("Rank"),
    N_("Department"),
    N_("Base (rescaled)"),
    N_("Bonus"),
    N_("Penalty"),
    N_("Total"),
    N_("Remarks"),
)
#: The columns of a department's sheet (header on row 3, under a title and a line of facts).
INDICATOR_HEADER = (
    N_("Level-1 indicator"),
    N_("Level-2 indicator"),
    N_("Level-3 indicator"),
    N_("Weight"),
    N_("Points"),
    N_("Reasons for lost points"),
)
#: Labels (column A) of the totals rows under a department's indicators.
TOTAL_LABELS = (N_("Base (raw)"), N_("Base (rescaled)"), N_("Bonus"), N_("Penalty"), N_("Total"))

#: the header of a department's detail sheet (one per department, after its score sheet)
DETAIL_HEADER = (
    N_("Level-3 indicator"),
    N_("Kind"),
    N_("Item / fact"),
    N_("Result / value"),
    N_("Evidence"),
    N_("Note / place"),
)
DETAIL_SUFFIX = N_(" details")

#: points of row height per wrapped line (11 pt text; LibreOffice's CJK fallback font needs
#: 16, Excel's 15 would cut the last line), plus a margin, and the characters per unit of width
_LINE_HEIGHT = 16.0
_ROW_MARGIN = 4.0
_WIDE = 2  # a CJK character takes two units of column width
_OPTIONS_SHEET = "选项"
#: Columns of the facts sheet; the value to fill is column F.
FACTS_HEADER = ("指标ID", "指标名称", "事实ID", "问题", "类型", "值", "证据", "备注", "填写说明")
_HEADER_LABELS = {
    "wzeval": "格式",
    "rulebook": "规则",
    "department": "部门",
    "monitoring_date": "监测时间点",
    "assessors": "评估人",
    "notes": "备注",
}

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_HEAD_FILL = "DCE6F1"
_INPUT_FILL = "FFF8DC"
_TOTAL_FILL = "F2F2F2"


# --------------------------------------------------------------------------- shared pieces


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


def _save(wb: Any, when: date) -> bytes:
    wb.properties.creator = "wzeval"
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_timestamps(buf.getvalue(), when)


class _Styles:
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


def _header_row(ws: Any, row: int, header: Sequence[str], s: _Styles) -> None:
    for col, text in enumerate(header, 1):
        c = ws.cell(row=row, column=col, value=text)
        c.font = s.bold
        c.fill = s.head_fill
        c.border = s.border
        c.alignment = s.center


def _print_setup(ws: Any, title_rows: str) -> None:
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


def _fit_row(ws: Any, row: int, widths: Sequence[float]) -> None:
    """Set the height of ``row`` so every wrapped cell shows all its text."""
    most = 1
    for col, width in enumerate(widths, 1):
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value:
            most = max(most, _lines(value, width))
    if most > 1:
        ws.row_dimensions[row].height = most * _LINE_HEIGHT + _ROW_MARGIN


def _reasons(r: Any) -> list[str]:
    """Every reason of an indicator, an item's reason named by its title, not its id."""
    titles = {it.id: it.title for it in r.items if it.title}
    out = []
    for reason in r.reasons:
        head, sep, rest = reason.partition("：")
        out.append(f"{titles[head]}：{rest}" if sep and head in titles else reason)
    return out


def _widths(ws: Any, widths: Sequence[float]) -> None:
    xl = openpyxl_module()
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[xl.utils.get_column_letter(col)].width = width


# --------------------------------------------------------------------------- score workbooks


def _number_cell(ws: Any, row: int, col: int, value: Fraction, places: int, s: _Styles) -> Any:
    c = ws.cell(row=row, column=col, value=cell_number(value, places))
    c.number_format = "0." + "0" * places if places else "0"
    c.border = s.border
    c.alignment = s.top
    return c


def _ranking_sheet(
    ws: Any,
    reports: Sequence[ScoreReport],
    names: Sequence[str],
    s: _Styles,
    unassessed: Sequence[str] = (),
) -> None:
    ws.title = _(RANKING_SHEET)
    _header_row(ws, 1, [_(h) for h in RANKING_HEADER], s)
    sheet_of = {id(r): n for r, n in zip(reports, names, strict=True)}
    row = 1
    for place, r in rank(reports):
        row += 1
        p = r.places
        ws.cell(row=row, column=1, value=place).border = s.border
        name = ws.cell(row=row, column=2, value=r.department)
        name.border = s.border
        name.hyperlink = openpyxl_module().worksheet.hyperlink.Hyperlink(
            ref=name.coordinate, location=f"'{sheet_of[id(r)]}'!A1", display=r.department
        )
        name.font = openpyxl_module().styles.Font(color="1F4E9E", underline="single")
        for col, value in enumerate((r.base, r.bonus, r.penalty, r.total), 3):
            c = _number_cell(ws, row, col, value, p, s)
            if col == 6:
                c.font = s.bold
        note = ws.cell(row=row, column=7, value=ranking_note(r))
        note.border = s.border
    for department in unassessed:  # roster units with no findings: no place, no figures
        row += 1
        for col in range(1, 8):
            ws.cell(row=row, column=col).border = s.border
        ws.cell(row=row, column=2, value=department)
        ws.cell(row=row, column=7, value=_(UNASSESSED_NOTE))
    ws.freeze_panes = "A2"
    if row > 1:
        ws.auto_filter.ref = f"A1:G{row}"
    _widths(ws, (7, 26, 15, 9, 9, 10, 14))
    _print_setup(ws, "1:1")


def _department_sheet(ws: Any, report: ScoreReport, s: _Styles) -> None:
    p = report.places
    rb = report.rulebook
    ws.cell(
        row=1, column=1, value=_("{department} score sheet").format(department=report.department)
    ).font = s.title
    facts = [
        _("Rulebook: {title} ({id}, {year})").format(title=rb.title, id=rb.id, year=rb.year),
        _("Monitoring date: {date}").format(date=report.monitoring_date.isoformat()),
        _("Assessors: {names}").format(names=_(", ").join(report.assessors) or "—"),
        *verdict_lines(report),
    ]
    if not report.complete:
        facts.append(_("some indicators are not assessed: this is not a complete score sheet"))
    ws.cell(row=2, column=1, value="    ".join(facts)).font = s.muted
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(INDICATOR_HEADER))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(INDICATOR_HEADER))
    _header_row(ws, 3, [_(h) for h in INDICATOR_HEADER], s)
    row = 3
    for r in report.indicators:
        row += 1
        for col, text in enumerate((r.category, r.group or "", r.name), 1):
            c = ws.cell(row=row, column=col, value=text)
            c.border = s.border
            c.alignment = s.wrap
        _number_cell(ws, row, 4, r.weight, p, s)
        if not r.applicable:
            c = ws.cell(row=row, column=5, value=_("not applicable"))
        elif not r.assessed:
            c = ws.cell(row=row, column=5, value=_("not assessed"))
        else:
            c = _number_cell(ws, row, 5, r.points, p, s)
        c.border = s.border
        c.alignment = s.top
        reasons = ws.cell(row=row, column=6, value="\n".join(_reasons(r)))
        reasons.border = s.border
        reasons.alignment = s.wrap
        _fit_row(ws, row, _SHEET_WIDTHS)
    last = row
    if last > 3:
        ws.auto_filter.ref = f"A3:F{last}"
    bonus_w = sum(
        (c.applicable_weight for c in report.categories if c.kind == "bonus"), Fraction(0)
    )
    penalty_w = sum(
        (c.applicable_weight for c in report.categories if c.kind == "penalty"), Fraction(0)
    )
    totals: list[tuple[str, Fraction | None, Fraction, str]] = [
        (
            _(TOTAL_LABELS[0]),
            report.base_possible,
            report.base_raw,
            _(
                "sum of the applicable indicators' weights {weights} (indicators that do "
                "not apply are left out)"
            ).format(weights=display(report.base_possible, p)),
        ),
        (
            _(TOTAL_LABELS[1]),
            Fraction(100),
            report.base,
            _("raw × 100 ÷ sum of the applicable indicators' weights"),
        ),
        (_(TOTAL_LABELS[2]), bonus_w, report.bonus, ""),
        (_(TOTAL_LABELS[3]), penalty_w, report.penalty, ""),
        (_(TOTAL_LABELS[4]), None, report.total, _("base (rescaled) + bonus + penalty")),
    ]
    row += 1
    for label, possible, value, note in totals:
        row += 1
        head = ws.cell(row=row, column=1, value=label)
        head.font = s.bold
        for col in range(1, 7):
            cell = ws.cell(row=row, column=col)
            cell.fill = s.total_fill
            cell.border = s.border
        if possible is not None:
            _number_cell(ws, row, 4, possible, p, s).fill = s.total_fill
        c = _number_cell(ws, row, 5, value, p, s)
        c.fill = s.total_fill
        c.font = s.bold
        ws.cell(row=row, column=6, value=note).alignment = s.wrap
    if report.not_assessed:
        row += 2
        ws.cell(row=row, column=1, value=_("Not assessed")).font = s.bold
        for n in report.not_assessed:
            row += 1
            item = item_title(report, n)
            name = _("{name} ({item})").format(name=n.name, item=item) if item else n.name
            ws.cell(row=row, column=3, value=name)
            reason = n.reason + (
                _("; missing {facts}").format(facts=_(", ").join(n.missing)) if n.missing else ""
            )
            ws.cell(row=row, column=6, value=reason).alignment = s.wrap
            _fit_row(ws, row, _SHEET_WIDTHS)
    ws.freeze_panes = "A4"
    _widths(ws, _SHEET_WIDTHS)
    _print_setup(ws, "3:3")


_SHEET_WIDTHS = (14, 14, 28, 9, 9, 60)
_DETAIL_WIDTHS = (22, 8, 34, 34, 40, 36)


def _detail_sheet(
    ws: Any, report: ScoreReport, s: _Styles, asks: dict[str, str] | None = None
) -> None:
    """Every indicator's items, vetoes, deductions and facts (as their questions)."""
    p = report.places
    asks = asks or {}
    ws.cell(
        row=1, column=1, value=_("{department}: the details").format(department=report.department)
    ).font = s.title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DETAIL_HEADER))
    _header_row(ws, 2, [_(h) for h in DETAIL_HEADER], s)
    row = 2

    def put(values: Sequence[str], *, bold: bool = False) -> None:
        nonlocal row
        row += 1
        for col, value in enumerate(values, 1):
            c = ws.cell(row=row, column=col, value=value or None)
            c.border = s.border
            c.alignment = s.wrap
            if bold:
                c.font = s.bold
                c.fill = s.total_fill
        _fit_row(ws, row, _DETAIL_WIDTHS)

    def fired_and_deducted(
        vetoes: Sequence[VetoResult], deductions: Sequence[DeductionResult]
    ) -> None:
        """The rows of an item's or an indicator's fired vetoes and counted deductions."""
        for v in vetoes:
            if v.fired:
                put(("", _("veto"), v.label or v.id, _("fired"), "", v.source or ""))
        for d in deductions:
            if d.count:
                done = _("{count} times, {points} points off").format(
                    count=d.count, points=display(d.points, p)
                )
                put(("", _("deduction"), d.label or d.id, done, "", d.source or ""))

    for r in report.indicators:
        if not r.applicable:
            status = _("not applicable")
        elif not r.assessed:
            status = _("not assessed")
        else:
            status = _("{points} / {weight} points").format(
                points=display(r.points, p), weight=display(r.weight, p)
            )
        put(
            (
                r.name,
                _("indicator"),
                r.category + (f" / {r.group}" if r.group else ""),
                status,
                "",
                shown(r.at),
            ),
            bold=True,
        )
        for it in r.items:
            extra = _("; ").join(
                x
                for x in (
                    it.source and _("Source: {text}").format(text=it.source),
                    it.ruling and _("Ruling: {text}").format(text=it.ruling),
                )
                if x
            )
            result = it.reason if it.assessed else _("not assessed")
            put(
                (
                    "",
                    _("item"),
                    it.title or it.id,
                    _("{result} ({points} / {max} points)").format(
                        result=result,
                        points=display(it.points, p),
                        max=display(it.max_points, p),
                    ),
                    "",
                    extra,
                )
            )
            fired_and_deducted(it.vetoes, it.deductions)
        fired_and_deducted(r.vetoes, r.deductions)
        for fact in r.facts:
            note = _("; ").join(x for x in (fact.note or "", shown(fact.at)) if x)
            put(
                (
                    "",
                    _("derived by the rules") if fact.derived else _("fact"),
                    asks.get(fact.id, fact.id),
                    _shown_value(fact.value),
                    "\n".join(fact.evidence),
                    note,
                )
            )
        if r.missing:
            missing = _(", ").join(asks.get(m, m) for m in r.missing)
            put(("", _("not recorded"), missing, "", "", ""))
    if row > 2:
        ws.auto_filter.ref = f"A2:F{row}"
    ws.freeze_panes = "A3"
    _widths(ws, _DETAIL_WIDTHS)
    _print_setup(ws, "2:2")


def _shown_value(value: object) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return _("not recorded")
    if isinstance(value, list):
        return "\n".join(_shown_value(v) for v in value)
    if isinstance(value, dict):  # a record: its fields in one line, as a sentence
        text = ""
        for k, v in value.items():
            field = _("{key}: {value}").format(key=k, value=_shown_value(v))
            text = _("{text}, {field}").format(text=text, field=field) if text else field
        return text
    return str(value)


def _questions(report: ScoreReport) -> dict[str, str]:
    """The rulebook's question for each fact, read from the report's rulebook file."""
    key = report.rulebook.file or ""
    if key not in _ASKS:
        asks: dict[str, str] = {}
        try:
            from wzeval.api import load_rulebook

            rulebook = load_rulebook(report.rulebook.file) if key else load_rulebook()
            for ind in rulebook.indicators:
                asks.update({f.id: f.ask for f in ind.facts if f.ask})
                asks.update({d.id: d.description for d in ind.derived if d.description})
        except (WzevalError, OSError, AttributeError):
            asks = {}
        _ASKS[key] = asks
    return _ASKS[key]


_ASKS: dict[str, dict[str, str]] = {}


#: The 备注 of a roster unit that has no findings in the ranking.
UNASSESSED_NOTE = N_("not assessed (no findings)")


def _score_workbook(reports: Sequence[ScoreReport], unassessed: Sequence[str] = ()) -> Any:
    xl = openpyxl_module()
    wb = xl.Workbook()
    s = _Styles(xl)
    ranked = [r for _place, r in rank(reports)]
    ranking, suffix = _(RANKING_SHEET), _(DETAIL_SUFFIX)
    names = sheet_names([r.department for r in ranked], reserved=(ranking,))
    _ranking_sheet(wb.active, ranked, names, s, unassessed)
    details = sheet_names(
        [f"{n[: 31 - len(suffix)]}{suffix}" for n in names],
        reserved=(ranking, *names),
    )
    for r, name, detail in zip(ranked, names, details, strict=True):
        _department_sheet(wb.create_sheet(name), r, s)
        _detail_sheet(wb.create_sheet(detail), r, s, _questions(r))
    return wb


def xlsx_bytes(reports: Sequence[ScoreReport], unassessed: Sequence[str] = ()) -> bytes:
    """The score workbook of ``reports`` as bytes (deterministic: same reports, same bytes).

    Sheets: 排名 (ranking, total descending then name, then the roster units named in
    ``unassessed`` as 未评估 rows), then one per department in ranking order.  Raises
    :class:`XlsxUnavailable` without openpyxl.
    """
    when = max((r.monitoring_date for r in reports), default=date(2000, 1, 1))
    return _save(_score_workbook(reports, unassessed), when)


def write_xlsx(
    reports: Sequence[ScoreReport],
    path: str | Path,
    *,
    force: bool = False,
    unassessed: Sequence[str] = (),
) -> None:
    """Write the score workbook of ``reports`` to ``path`` atomically (``unassessed``:
    roster units with no findings, listed in the ranking as 未评估).

    Raises :class:`~wzeval.errors.OutputExists` (nothing written) when ``path`` exists
    and ``force`` is off, :class:`XlsxUnavailable` without openpyxl.
    """
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path} already exists; nothing was written")
    write_atomic(path, xlsx_bytes(reports, unassessed), force=force)


# --------------------------------------------------------------------------- findings template


def _type_text(fact: Fact) -> str:
    if fact.type == "list":
        return f"list[{fact.of}]"
    return fact.type


def _format_hint(fact: Fact) -> str:
    """How to write the value in a cell, in Chinese, with an example for lists and records."""
    hint = describe_fact(fact).replace("；没有时填 null", "")
    if fact.type == "bool":
        hint = "TRUE 或 FALSE（下拉选择）"
    elif fact.type == "list":
        example = {
            "bool": "[true, false]",
            "int": "[1, 2]",
            "decimal": "[0.8, 0.9]",
            "date": '["2023-10-07", "2023-10-09"]',
            "str": '["甲", "乙"]',
        }[fact.of or "str"]
        hint += f"。写成 JSON 数组，如 {example}"
    elif fact.type == "records":
        samples = {
            "bool": "true",
            "int": "1",
            "decimal": "0.5",
            "date": '"2023-10-07"',
            "datetime": '"2023-10-07 09:30"',
            "str": '"…"',
        }
        fields = ", ".join(f'"{k}": {samples[v]}' for k, v in (fact.fields or {}).items())
        hint += f"。写成 JSON 对象数组，如 [{{{fields}}}]"
    elif fact.type in ("date", "datetime"):
        hint += "（Excel 日期）"
    if fact.nullable:
        hint += "；没有时填 null"
    if fact.note:
        hint += f"。说明：{fact.note}"
    return hint


def _number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _validation(
    xl: ModuleType, fact: Fact, options_ref: str | None
) -> tuple[Any | None, str | None]:
    """(data validation, number format) for a fact's value cell."""
    dv_cls = xl.worksheet.datavalidation.DataValidation
    kind = fact.type
    dv: Any = None
    fmt: str | None = "@" if kind in ("str", "enum", "list", "records") else None
    if kind == "bool":
        dv = dv_cls(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
        dv.error = "请选择 TRUE 或 FALSE"
    elif kind in ("int", "decimal"):
        dv_type = "whole" if kind == "int" else "decimal"
        lo, hi = fact.min, fact.max
        if lo is not None and hi is not None:
            dv = dv_cls(
                type=dv_type,
                operator="between",
                formula1=_number_text(lo),
                formula2=_number_text(hi),
                allow_blank=True,
            )
            dv.error = f"请填写 {_number_text(lo)} 到 {_number_text(hi)} 之间的" + (
                "整数" if kind == "int" else "数"
            )
        elif lo is not None:
            dv = dv_cls(
                type=dv_type,
                operator="greaterThanOrEqual",
                formula1=_number_text(lo),
                allow_blank=True,
            )
            dv.error = f"请填写不小于 {_number_text(lo)} 的" + ("整数" if kind == "int" else "数")
        elif hi is not None:
            dv = dv_cls(
                type=dv_type,
                operator="lessThanOrEqual",
                formula1=_number_text(hi),
                allow_blank=True,
            )
            dv.error = f"请填写不大于 {_number_text(hi)} 的" + ("整数" if kind == "int" else "数")
        elif kind == "int":
            dv = dv_cls(
                type="whole",
                operator="between",
                formula1="-1000000000",
                formula2="1000000000",
                allow_blank=True,
            )
            dv.error = "请填写整数"
        fmt = "0" if kind == "int" else "General"
    elif kind in ("date", "datetime"):
        dv = dv_cls(
            type="date",
            operator="between",
            formula1="DATE(1990,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
        )
        dv.error = "请填写日期，如 2023-10-07" + (" 09:30" if kind == "datetime" else "")
        fmt = "yyyy-mm-dd" if kind == "date" else "yyyy-mm-dd hh:mm"
    elif kind == "enum" and options_ref:
        dv = dv_cls(type="list", formula1=options_ref, allow_blank=True)
        dv.error = "请从下拉列表中选择：" + " / ".join(fact.options or [])
    if dv is not None:
        if fact.nullable:
            # "null" (no answer) must stay possible: warn instead of refusing
            dv.errorStyle = "warning"
        dv.showErrorMessage = True
        dv.errorTitle = "取值不符合要求"
        dv.error = (dv.error or "")[:255]
        dv.showInputMessage = True
        dv.promptTitle = fact.id[:32]
        dv.prompt = fact.ask[:255]
    return dv, fmt


def _template_workbook(rulebook: Rulebook, department: str) -> Any:
    xl = openpyxl_module()
    s = _Styles(xl)
    crb = compiled(rulebook)
    canonical = resolve_department(rulebook, department)
    dept_id = crb.department_ids[canonical]
    catalogs = crb.catalogs_of.get(dept_id, ())
    wb = xl.Workbook()

    # ---- 说明: the header, one key per row (column A is what the reader looks for)
    head = wb.active
    head.title = HEADER_SHEET
    head.cell(row=1, column=1, value=f"评估记录：{rulebook.title}（{rulebook.id}）").font = s.title
    _header_row(head, 2, ("键", "项目", "值", "说明"), s)
    values: dict[str, Any] = {
        "wzeval": FINDINGS_FORMAT,
        "rulebook": rulebook.id,
        "department": canonical,
        "monitoring_date": None,
        "assessors": None,
        "notes": None,
    }
    notes = {
        "wzeval": "不要修改",
        "rulebook": "不要修改",
        "department": "不要修改",
        "monitoring_date": "必填：监测时间点（Excel 日期，如 2023-11-15）",
        "assessors": "评估人，多人用“、”分隔",
        "notes": "可选",
    }
    for n, key in enumerate(HEADER_KEYS, 3):
        head.cell(row=n, column=1, value=key).font = s.muted
        head.cell(row=n, column=2, value=_HEADER_LABELS[key]).font = s.bold
        c = head.cell(row=n, column=3, value=values[key])
        head.cell(row=n, column=4, value=notes[key]).font = s.muted
        for col in range(1, 5):
            head.cell(row=n, column=col).border = s.border
        if key in ("monitoring_date", "assessors", "notes"):
            c.fill = s.input_fill
        if key == "monitoring_date":
            c.number_format = "yyyy-mm-dd"
            dv = xl.worksheet.datavalidation.DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="取值不符合要求",
                error="请填写日期，如 2023-11-15",
            )
            head.add_data_validation(dv)
            dv.add(c.coordinate)
        else:
            c.number_format = "@"
    guide = [
        "填写方法：",
        f"1. 在“{FACTS_SHEET}”表的“值”列（F 列，浅黄色）逐行填写观察到的值；"
        "问题见“问题”列，格式见“填写说明”列。",
        "2. “证据”列填网址或截图文件名（多条换行分隔），“备注”列可选。",
        "3. " + FILLING_RULE[0],
        *(f"   {line}" for line in FILLING_RULE[1:]),
        "4. 不要修改 A、C、E 列（指标ID、事实ID、类型），也不要改动表名。",
        "5. 检查：wzeval validate 本文件.xlsx    "
        f"评分：wzeval score 本文件.xlsx（规则 {rulebook.id}）",
    ]
    skipped = []
    for ind in rulebook.indicators:
        if applies_to(crb.by_id[ind.id], canonical, catalogs) is False:
            skipped.append(
                f"{ind.name}（{ind.id}）" + (f"：{ind.applies_note}" if ind.applies_note else "")
            )
    if skipped:
        guide.append(f"不适用于{canonical}、本表未列出的指标：" + "；".join(skipped))
    for n, line in enumerate(guide, len(HEADER_KEYS) + 4):
        head.cell(row=n, column=1, value=line)
    _widths(head, (17, 12, 30, 48))
    _print_setup(head, "2:2")

    # ---- 选项: enum options for list validations (hidden)
    opts = wb.create_sheet(_OPTIONS_SHEET)
    opts.sheet_state = "hidden"
    opt_col = 0

    # ---- 事实: one row per fact to record
    ws = wb.create_sheet(FACTS_SHEET)
    _header_row(ws, 1, FACTS_HEADER, s)
    row = 1
    for ind in rulebook.indicators:
        cind = crb.by_id[ind.id]
        applies = applies_to(cind, canonical, catalogs)
        if applies is False:
            continue
        for fact in ind.facts:
            row += 1
            options_ref = None
            if fact.type == "enum" and fact.options:
                opt_col += 1
                letter = xl.utils.get_column_letter(opt_col)
                for k, option in enumerate(fact.options, 1):
                    opts.cell(row=k, column=opt_col, value=option).number_format = "@"
                options_ref = f"'{_OPTIONS_SHEET}'!${letter}$1:${letter}${len(fact.options)}"
            hint = _format_hint(fact)
            if applies is None:
                hint += f"。是否适用取决于：{ind.applies_note or ind.applies or ''}"
            texts = (ind.id, ind.name, fact.id, fact.ask, _type_text(fact), None, None, None, hint)
            for col, text in enumerate(texts, 1):
                c = ws.cell(row=row, column=col, value=text)
                c.border = s.border
                c.alignment = s.wrap
            value = ws.cell(row=row, column=6)
            value.fill = s.input_fill
            for col in (7, 8):
                ws.cell(row=row, column=col).number_format = "@"
            dv, fmt = _validation(xl, fact, options_ref)
            if fmt:
                value.number_format = fmt
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(value.coordinate)
    ws.freeze_panes = "C2"  # header row and the indicator id and name stay in view
    if row > 1:
        ws.auto_filter.ref = f"A1:I{row}"
    _widths(ws, (14, 18, 12, 36, 10, 18, 30, 20, 44))
    _print_setup(ws, "1:1")
    wb.active = wb.index(ws)
    return wb


def findings_template_xlsx_bytes(rulebook: Rulebook, department: str) -> bytes:
    """A blank findings workbook for one department, as bytes (deterministic).

    ``department`` may be a name, alias or id.  Indicators that cannot apply to the
    department (decided by its catalogs alone) are left out; those whose
    applicability depends on what is observed are included.  Raises
    :class:`~wzeval.errors.ValidationFailed` (WZ407) for an unknown department.
    """
    return _save(_template_workbook(rulebook, department), date(rulebook.year, 1, 1))


def write_findings_template_xlsx(
    rulebook: Rulebook, department: str, path: str | Path, *, force: bool = False
) -> None:
    """Write :func:`findings_template_xlsx_bytes` to ``path`` atomically (never over an
    existing file unless ``force``)."""
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path} already exists; nothing was written")
    write_atomic(path, findings_template_xlsx_bytes(rulebook, department), force=force)
