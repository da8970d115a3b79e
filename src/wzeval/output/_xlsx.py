"""Spreadsheets: score sheets offices can print, and findings recorded in Excel.

Two directions, both through openpyxl (a base dependency, imported only when a
function here is called; if it is missing from the environment they raise
:class:`wzeval.core._errors.XlsxUnavailable`, which says what to install):

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
reads a filled one back into a :class:`~wzeval.reading._yamlcore.Document` holding the
same data a YAML findings document gives, so
:func:`wzeval.checking._findings.check_findings` checks it unchanged; empty value cells
are left out (score with ``partial`` to leave those indicators unassessed).
The document's positions are cells: an issue prints as
``dept.xlsx:事实!F12`` (see :class:`CellPosition`).

Workbooks are deterministic (same input, same bytes: the zip timestamps and the
document dates are fixed) and written atomically.  The score workbooks are built
here; the template in :mod:`wzeval.output._xlsxtemplate`, the reader in
:mod:`wzeval.reading._xlsxread`, what both writers share in :mod:`wzeval.output._xlsxsheet`; this
module is the one to import.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from wzeval.core._errors import OutputExists, WzevalError, XlsxUnavailable
from wzeval.core._i18n import N_, _
from wzeval.core._paths import shown
from wzeval.model._report import DeductionResult, IndicatorResult, ScoreReport, VetoResult, display
from wzeval.output._files import write_atomic
from wzeval.output._render import item_title, rank, ranking_note, verdict_lines
from wzeval.output._xlsxsheet import Styles as _Styles
from wzeval.output._xlsxsheet import cell_number, sheet_names
from wzeval.output._xlsxsheet import fit_row as _fit_row
from wzeval.output._xlsxsheet import header_row as _header_row
from wzeval.output._xlsxsheet import print_setup as _print_setup
from wzeval.output._xlsxsheet import save as _save
from wzeval.output._xlsxsheet import set_widths as _widths
from wzeval.output._xlsxtemplate import (
    FACTS_HEADER,
    findings_template_xlsx_bytes,
    write_findings_template_xlsx,
)
from wzeval.reading._xlsxread import (  # the reader lives in reading/
    FACTS_SHEET,
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


def _reasons(r: Any) -> list[str]:
    """Every reason of an indicator, an item's reason named by its title, not its id."""
    titles = {it.id: it.title for it in r.items if it.title}
    out = []
    for reason in r.reasons:
        head, sep, rest = reason.partition("：")
        out.append(f"{titles[head]}：{rest}" if sep and head in titles else reason)
    return out


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
    row = _totals(ws, report, row, s)
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


def _totals(ws: Any, report: ScoreReport, row: int, s: _Styles) -> int:
    """The totals under a department's indicators, from after ``row``; the last row."""
    p = report.places
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
    return row


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

    for r in report.indicators:
        for values, bold in _indicator_rows(r, p, asks):
            put(values, bold=bold)
    if row > 2:
        ws.auto_filter.ref = f"A2:F{row}"
    ws.freeze_panes = "A3"
    _widths(ws, _DETAIL_WIDTHS)
    _print_setup(ws, "2:2")


_Row = tuple[tuple[str, ...], bool]  # a detail row's cells, and whether it heads an indicator


def _rule_rows(
    vetoes: Sequence[VetoResult], deductions: Sequence[DeductionResult], p: int
) -> list[_Row]:
    """The rows of an item's or an indicator's fired vetoes and counted deductions."""
    rows: list[_Row] = []
    for v in vetoes:
        if v.fired:
            rows.append((("", _("veto"), v.label or v.id, _("fired"), "", v.source or ""), False))
    for d in deductions:
        if d.count:
            done = _("{count} times, {points} points off").format(
                count=d.count, points=display(d.points, p)
            )
            rows.append((("", _("deduction"), d.label or d.id, done, "", d.source or ""), False))
    return rows


def _indicator_rows(r: IndicatorResult, p: int, asks: dict[str, str]) -> list[_Row]:
    """An indicator's detail rows: its head, its items with their vetoes and deductions,
    its own vetoes and deductions, its facts (as their questions), what is missing."""
    rows: list[_Row] = []
    if not r.applicable:
        status = _("not applicable")
    elif not r.assessed:
        status = _("not assessed")
    else:
        status = _("{points} / {weight} points").format(
            points=display(r.points, p), weight=display(r.weight, p)
        )
    where = r.category + (f" / {r.group}" if r.group else "")
    rows.append(((r.name, _("indicator"), where, status, "", shown(r.at)), True))
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
        points = _("{result} ({points} / {max} points)").format(
            result=result, points=display(it.points, p), max=display(it.max_points, p)
        )
        rows.append((("", _("item"), it.title or it.id, points, "", extra), False))
        rows += _rule_rows(it.vetoes, it.deductions, p)
    rows += _rule_rows(r.vetoes, r.deductions, p)
    for fact in r.facts:
        note = _("; ").join(x for x in (fact.note or "", shown(fact.at)) if x)
        kind = _("derived by the rules") if fact.derived else _("fact")
        question = asks.get(fact.id, fact.id)
        value = _shown_value(fact.value)
        rows.append((("", kind, question, value, "\n".join(fact.evidence), note), False))
    if r.missing:
        missing = _(", ").join(asks.get(m, m) for m in r.missing)
        rows.append((("", _("not recorded"), missing, "", "", ""), False))
    return rows


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
            from wzeval.scoring._api import load_rulebook

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

    Raises :class:`~wzeval.core._errors.OutputExists` (nothing written) when ``path`` exists
    and ``force`` is off, :class:`XlsxUnavailable` without openpyxl.
    """
    if not force and os.path.lexists(path):
        raise OutputExists(_("{path} already exists; nothing was written").format(path=path))
    write_atomic(path, xlsx_bytes(reports, unassessed), force=force)
