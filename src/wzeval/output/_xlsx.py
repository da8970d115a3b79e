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

A score workbook is streamed, so its memory does not grow with the batch (issue 15):
:func:`department_sheets` turns a report into its two sheets as small picklable data (in
the worker that scored it), and :func:`write_score_workbook` writes the ranking and then
those sheets one at a time, in openpyxl's write-only mode, from the ranking entries
alone.  :func:`xlsx_bytes` and :func:`write_xlsx` are that same path over reports in
memory.

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

import functools
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

from wzeval.core._errors import WzevalError, XlsxUnavailable
from wzeval.core._i18n import N_, _
from wzeval.core._paths import shown
from wzeval.model._report import (
    DeductionResult,
    IndicatorResult,
    Ranked,
    ScoreReport,
    VetoResult,
    display,
)
from wzeval.output._files import check_writable, write_atomic
from wzeval.output._render import item_title, rank, ranking_note, verdict_lines
from wzeval.output._xlsxsheet import (
    Look,
    Put,
    Row,
    SheetData,
    cell_number,
    header_cells,
    number_format,
    save_to,
    sheet_names,
    write_sheet,
)
from wzeval.output._xlsxsheet import Styles as _Styles
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
    "DepartmentSheets",
    "XlsxDocument",
    "XlsxUnavailable",
    "cell_number",
    "department_sheets",
    "findings_template_xlsx_bytes",
    "read_findings_xlsx",
    "sheet_names",
    "workbook_date",
    "write_findings_template_xlsx",
    "write_score_workbook",
    "write_score_workbook_file",
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
#
# A department's two sheets are computed from its report as plain data
# (:func:`department_sheets`), in the worker that scored it; the parent writes them with
# the ranking (:func:`write_score_workbook`), one sheet at a time, holding no report.

_SHEET_WIDTHS = (14, 14, 28, 9, 9, 60)
_DETAIL_WIDTHS = (22, 8, 34, 34, 40, 36)
_RANKING_WIDTHS = (7, 26, 15, 9, 9, 10, 14)

# the looks of the score workbook's cells (one object each, so a pickled sheet names
# each look once)
_BOXED = Look(border=True)
_BOXED_WRAP = Look(border=True, align="wrap")
_BOXED_TOP = Look(border=True, align="top")
_LINK = Look("link", border=True)
_BOLD = Look("bold")
_WRAP = Look(align="wrap")
_TOTAL = Look(fill="total_fill", border=True)
_TOTAL_HEAD = Look("bold", "total_fill", True)
_TOTAL_NOTE = Look(fill="total_fill", border=True, align="wrap")
_DETAIL_HEAD = Look("bold", "total_fill", True, "wrap")


@functools.cache
def _figure_look(places: int, *, bold: bool = False, total: bool = False) -> Look:
    """A figure's look: bordered, top-aligned, ``0.00``; bold and/or on the totals fill."""
    return Look(
        "bold" if bold else "",
        "total_fill" if total else "",
        True,
        "top",
        number_format(places),
    )


def _figure(value: Fraction, places: int, *, bold: bool = False, total: bool = False) -> Put:
    """A figure's cell: the number shown (:func:`cell_number`), formatted to ``places``."""
    return Put(cell_number(value, places), _figure_look(places, bold=bold, total=total))


@dataclass(frozen=True, slots=True)
class DepartmentSheets:
    """A department's score sheet and detail sheet as plain data, from its report
    (:func:`department_sheets`): small and picklable, so a worker process sends it and
    the parent, which never sees the report, writes it (:func:`write_score_workbook`).
    The sheet names are not in it: they depend on the whole batch (:func:`sheet_names`)."""

    department: str
    score: SheetData
    detail: SheetData


def department_sheets(report: ScoreReport) -> DepartmentSheets:
    """Everything ``report``'s two sheets show, its facts' questions from its rulebook
    (:func:`_questions`) included, with the labels in the language in force."""
    return DepartmentSheets(
        report.department, _score_sheet(report), _detail_sheet(report, _questions(report))
    )


def _ranking_rows(ranked: Sequence[tuple[int, Ranked]], names: Sequence[str]) -> Iterator[Row]:
    """The ranking's rows after its header, made as they are written."""
    for (place, r), name in zip(ranked, names, strict=True):
        p = r.places
        yield Row(
            (
                Put(place, _BOXED),
                Put(r.department, _LINK, f"'{name}'!A1"),
                _figure(r.base, p),
                _figure(r.bonus, p),
                _figure(r.penalty, p),
                _figure(r.total, p, bold=True),
                Put(ranking_note(r), _BOXED),
            )
        )


def _ranking_sheet(
    ranked: Sequence[tuple[int, Ranked]], names: Sequence[str], unassessed: Sequence[str]
) -> SheetData:
    """The 排名 sheet: the ranked departments, each linked to its sheet (``names``), then
    the roster units with no findings (no place, no figures)."""
    rows = [Row(header_cells([_(h) for h in RANKING_HEADER]))]
    blank = Put(None, _BOXED)
    late = [
        Row((blank, Put(d, _BOXED), blank, blank, blank, blank, Put(_(UNASSESSED_NOTE), _BOXED)))
        for d in unassessed
    ]
    last = 1 + len(ranked) + len(unassessed)
    return SheetData(
        rows=itertools.chain(rows, _ranking_rows(ranked, names), late),
        widths=_RANKING_WIDTHS,
        freeze="A2",
        title_rows="1:1",
        auto_filter=f"A1:G{last}" if last > 1 else None,
    )


def _score_sheet(report: ScoreReport) -> SheetData:
    """A department's score sheet: title, facts, the indicators, totals, what is not
    assessed."""
    p = report.places
    rb = report.rulebook
    facts = [
        _("Rulebook: {title} ({id}, {year})").format(title=rb.title, id=rb.id, year=rb.year),
        _("Monitoring date: {date}").format(date=report.monitoring_date.isoformat()),
        _("Assessors: {names}").format(names=_(", ").join(report.assessors) or "—"),
        *verdict_lines(report),
    ]
    if not report.complete:
        facts.append(_("some indicators are not assessed: this is not a complete score sheet"))
    title = _("{department} score sheet").format(department=report.department)
    rows = [
        Row((Put(title, Look("title")),)),
        Row((Put("    ".join(facts), Look("muted")),)),
        Row(header_cells([_(h) for h in INDICATOR_HEADER])),
    ]
    for r in report.indicators:
        if not r.applicable:
            points = Put(_("not applicable"), _BOXED_TOP)
        elif not r.assessed:
            points = Put(_("not assessed"), _BOXED_TOP)
        else:
            points = _figure(r.points, p)
        names = [Put(text, _BOXED_WRAP) for text in (r.category, r.group or "", r.name)]
        reasons = Put("\n".join(_reasons(r)), _BOXED_WRAP)
        rows.append(Row.fitted([*names, _figure(r.weight, p), points, reasons], _SHEET_WIDTHS))
    last = len(rows)
    rows += _totals(report)
    if report.not_assessed:
        rows += [Row(), Row((Put(_("Not assessed"), _BOLD),))]
        for n in report.not_assessed:
            item = item_title(report, n)
            name = _("{name} ({item})").format(name=n.name, item=item) if item else n.name
            reason = n.reason + (
                _("; missing {facts}").format(facts=_(", ").join(n.missing)) if n.missing else ""
            )
            cells = [None, None, Put(name), None, None, Put(reason, _WRAP)]
            rows.append(Row.fitted(cells, _SHEET_WIDTHS))
    end = len(INDICATOR_HEADER)
    return SheetData(
        rows=tuple(rows),
        widths=_SHEET_WIDTHS,
        freeze="A4",
        title_rows="3:3",
        merged=(f"A1:{_column(end)}1", f"A2:{_column(end)}2"),
        auto_filter=f"A3:F{last}" if last > 3 else None,
    )


def _column(n: int) -> str:
    """The letter of column ``n`` (1 is A) of these six-column sheets, without openpyxl:
    a worker making a department's sheets need not import it."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n - 1]


def _totals(report: ScoreReport) -> list[Row]:
    """The totals under a department's indicators, after a blank row."""
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
    rows = [Row()]
    for label, possible, value, note in totals:
        weight = Put(None, _TOTAL) if possible is None else _figure(possible, p, total=True)
        rows.append(
            Row(
                (
                    Put(label, _TOTAL_HEAD),
                    Put(None, _TOTAL),
                    Put(None, _TOTAL),
                    weight,
                    _figure(value, p, bold=True, total=True),
                    Put(note, _TOTAL_NOTE),
                )
            )
        )
    return rows


def _detail_sheet(report: ScoreReport, asks: dict[str, str]) -> SheetData:
    """Every indicator's items, vetoes, deductions and facts (as their questions)."""
    p = report.places
    title = _("{department}: the details").format(department=report.department)
    rows = [Row((Put(title, Look("title")),)), Row(header_cells([_(h) for h in DETAIL_HEADER]))]
    for r in report.indicators:
        for values, bold in _indicator_rows(r, p, asks):
            look = _DETAIL_HEAD if bold else _BOXED_WRAP
            rows.append(Row.fitted([Put(v or None, look) for v in values], _DETAIL_WIDTHS))
    return SheetData(
        rows=tuple(rows),
        widths=_DETAIL_WIDTHS,
        freeze="A3",
        title_rows="2:2",
        merged=(f"A1:{_column(len(DETAIL_HEADER))}1",),
        auto_filter=f"A2:F{len(rows)}" if len(rows) > 2 else None,
    )


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


def write_score_workbook(
    out: IO[bytes],
    entries: Iterable[Ranked],
    sheets: Iterable[DepartmentSheets],
    *,
    when: date,
    unassessed: Sequence[str] = (),
) -> None:
    """Write the score workbook to ``out`` (a seekable binary file), deterministically:
    the 排名 sheet of ``entries`` (reports or their :class:`RankingEntry`; ranked here),
    with the roster units named in ``unassessed`` as 未评估 rows, then each department's
    two sheets from ``sheets``, which must come in ranking order (:func:`rank` of
    ``entries``) and may be made lazily: each is written and let go before the next is
    taken.  ``when`` dates the document (the latest monitoring date).

    openpyxl's write-only mode keeps no cells, and every string is written inline, so
    memory does not grow with the cells; each sheet's XML waits in a temporary file until
    the zip is written.  Raises :class:`ValueError` when ``sheets`` does not follow the
    ranking.
    """
    xl = openpyxl_module()
    wb = xl.Workbook(write_only=True)
    s = _Styles(xl)
    ranked = rank(entries)
    ranking, suffix = _(RANKING_SHEET), _(DETAIL_SUFFIX)
    names = sheet_names([r.department for _place, r in ranked], reserved=(ranking,))
    details = sheet_names(
        [f"{n[: 31 - len(suffix)]}{suffix}" for n in names], reserved=(ranking, *names)
    )
    write_sheet(wb, ranking, _ranking_sheet(ranked, names, unassessed), s)
    taken = iter(sheets)
    for (_place, r), name, detail in zip(ranked, names, details, strict=True):
        one = next(taken, None)
        if one is None or one.department != r.department:
            raise ValueError(
                _("the department sheets are not in ranking order at {department!r}").format(
                    department=r.department
                )
            )
        write_sheet(wb, name, one.score, s)
        write_sheet(wb, detail, one.detail, s)
        del one  # let go before the next is read back
    if next(taken, None) is not None:
        raise ValueError(_("more department sheets than ranked departments"))
    save_to(wb, out, when)


def workbook_date(reports: Iterable[Ranked]) -> date:
    """The document date of a batch (reports or their ranking entries): its latest
    monitoring date."""
    return max((r.monitoring_date for r in reports), default=date(2000, 1, 1))


def _sheets_of(reports: Sequence[ScoreReport]) -> Iterator[DepartmentSheets]:
    """The department sheets of ``reports`` in ranking order, each made when taken."""
    return (department_sheets(r) for _place, r in rank(reports))


def xlsx_bytes(reports: Sequence[ScoreReport], unassessed: Sequence[str] = ()) -> bytes:
    """The score workbook of ``reports`` as bytes (deterministic: same reports, same bytes).

    Sheets: 排名 (ranking, total descending then name, then the roster units named in
    ``unassessed`` as 未评估 rows), then one per department in ranking order.  Raises
    :class:`XlsxUnavailable` without openpyxl.
    """
    out = io.BytesIO()
    write_score_workbook(
        out, reports, _sheets_of(reports), when=workbook_date(reports), unassessed=unassessed
    )
    return out.getvalue()


def write_score_workbook_file(
    path: str | Path,
    entries: Iterable[Ranked],
    sheets: Iterable[DepartmentSheets],
    *,
    when: date,
    unassessed: Sequence[str] = (),
    force: bool = False,
) -> None:
    """:func:`write_score_workbook` to ``path``, atomically, never holding the workbook
    in memory: it is made in a temporary file and copied into place in pieces.

    Raises :class:`~wzeval.core._errors.OutputExists` (nothing written) when ``path``
    exists and ``force`` is off, before any sheet is made.
    """
    check_writable(path, force=force)
    with tempfile.TemporaryFile() as made:
        write_score_workbook(made, entries, sheets, when=when, unassessed=unassessed)
        made.seek(0)
        write_atomic(path, iter(functools.partial(made.read, _PIECE), b""), force=force)


_PIECE = 1 << 20


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
    write_score_workbook_file(
        path,
        reports,
        _sheets_of(reports),
        when=workbook_date(reports),
        unassessed=unassessed,
        force=force,
    )
