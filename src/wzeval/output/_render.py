"""Score reports for people and spreadsheets: text, Markdown, CSV and JSON.

Pure functions from :class:`~wzeval.model._report.ScoreReport` (or a list of them) to
``str``: no files, no rules, no evaluation.  Rendering is the one place figures
are rounded once: every number shown goes through :func:`wzeval.model._report.display`
with the report's own ``places``, so the text sheet, the Markdown page and the
CSV made from one report always show the same figures, and the JSON report keeps
the exact values they came from.

Text tables are aligned by *display* width (:func:`display_width`): a CJK
character takes two terminal columns, so ``在线咨询`` lines up with ``online``.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from wzeval.core._i18n import N_, _, ngettext
from wzeval.core._issues import Issue
from wzeval.core._paths import shown
from wzeval.kinds import rule_kinds
from wzeval.model._models import CATEGORY_KIND_NAMES
from wzeval.model._report import (
    DeductionResult,
    IndicatorResult,
    NotAssessed,
    Ranked,
    ScoreReport,
    SiteVeto,
    VetoResult,
    display,
    exact_text,
    share_text,
)
from wzeval.output._questions import fact_list
from wzeval.reading._loader import dumps_json

if TYPE_CHECKING:
    from wzeval.model._models import Department

_T = TypeVar("_T", bound=Ranked)

__all__ = [
    "CSV_HEADER",
    "KIND_NAMES",
    "RANKING_CSV_HEADER",
    "RULE_NAMES",
    "cap_text",
    "display_width",
    "format_table",
    "indicator_status",
    "item_title",
    "kind_name",
    "rank",
    "ranking_data",
    "ranking_json_chunks",
    "ranking_note",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_ranking_csv",
    "render_ranking_json",
    "render_ranking_markdown",
    "render_ranking_text",
    "render_text",
    "rule_name",
    "share_text",
    "verdict_lines",
]

#: Chinese names of the credit rules, as the rule kinds give them (``label``).
RULE_NAMES: Mapping[str, str] = {key: kind.label for key, kind in rule_kinds().items()}
#: Chinese names of the category kinds.
KIND_NAMES: Mapping[str, str] = {k: v.removesuffix("指标") for k, v in CATEGORY_KIND_NAMES.items()}
#: The built-in rule kinds' names as the catalogue says them (a plug-in kind's name is
#: its own ``label``, untranslated).
_RULE_WORDS = {
    "bands": N_("bands"),
    "check": N_("yes/no"),
    "checklist": N_("checklist"),
    "deduct": N_("deduction"),
    "given": N_("given"),
    "levels": N_("levels"),
    "proportion": N_("proportion"),
    "tiers": N_("tiers"),
}
#: The category kinds' names as the catalogue says them (:data:`KIND_NAMES` in Chinese).
_KIND_WORDS = {
    "base": N_("base"),
    "bonus": N_("bonus"),
    "penalty": N_("penalty"),
    "veto": N_("one-vote veto"),
}

#: The columns of the per-indicator CSV (one row per indicator, then a total row), as
#: msgids: shown through ``_()``, in the user's language.
CSV_HEADER = (
    N_("Level-1 indicator"),
    N_("Level-2 indicator"),
    N_("Level-3 indicator"),
    N_("Weight"),
    N_("Points"),
    N_("Status"),
    N_("Reasons for lost points"),
)
#: The columns of the ranking CSV (msgids, as :data:`CSV_HEADER`).
RANKING_CSV_HEADER = (
    N_("Rank"),
    N_("Department"),
    N_("Base score"),
    N_("Bonus"),
    N_("Penalty"),
    N_("Total"),
    N_("Remarks"),
    N_("Findings file"),
)


def rule_name(rule: str) -> str:
    """A credit rule's name in the user's language (``check`` → 是否)."""
    word = _RULE_WORDS.get(rule)
    return _(word) if word else RULE_NAMES.get(rule, rule)


def kind_name(kind: str) -> str:
    """A category kind's name in the user's language (``bonus`` → 加分)."""
    word = _KIND_WORDS.get(kind)
    return _(word) if word else KIND_NAMES.get(kind, kind)


def _header(names: Sequence[str]) -> list[str]:
    return [_(n) for n in names]


# --------------------------------------------------------------------------- building blocks


def display_width(text: str) -> int:
    """The terminal columns ``text`` takes: 2 for wide and fullwidth (CJK) characters,
    0 for combining marks and format characters, 1 for the rest."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _cell(text: str) -> str:
    """A table cell is one line: newlines in rulebook wording would break the columns."""
    return " ".join(text.split("\n"))


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, right: Collection[int] = ()
) -> str:
    """A plain-text table aligned by display width; ``right`` lists right-aligned columns
    (numbers).  Lines carry no trailing spaces, so output diffs cleanly."""
    body = [[_cell(c) for c in row] for row in rows]
    head = [_cell(c) for c in header]
    widths = [max(display_width(r[i]) for r in [head, *body]) for i in range(len(head))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip()

    return "\n".join([line(head), "  ".join("-" * w for w in widths), *map(line, body)]) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _md_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, right: Collection[int] = ()
) -> str:
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(_md_cell(c) for c in header) + " |", "| " + " | ".join(rule) + " |"]
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def item_title(report: ScoreReport, missing: NotAssessed) -> str:
    """The item of a not-assessed entry by its title, as people read it ("" for a whole
    indicator): the entry names it by its id, which is the rulebook's, not the reader's."""
    if not missing.item:
        return ""
    for r in report.indicators:
        if r.id == missing.indicator:
            for it in r.items:
                if it.id == missing.item:
                    return it.title or it.id
    return missing.item


def indicator_status(result: IndicatorResult) -> str:
    """The status column: 未评分, 不适用, 否决, 未评估, 部分未评估, or empty when scored
    normally."""
    if not result.scored:
        return _("not scored")
    if not result.applicable:
        return _("not applicable")
    if result.vetoed:
        return _("vetoed")
    if not result.assessed:
        return _("partly assessed") if any(i.assessed for i in result.items) else _("not assessed")
    return ""


def verdict_lines(report: ScoreReport) -> list[str]:
    """What the rulebook concluded above the points, in every renderer's words: the grade
    with the reason for it, and the site-wide vetoes that stopped scoring."""
    out = []
    if report.grade is not None:
        rule = report.grade_rule
        why = rule.label if rule is not None and rule.label else None
        grade = (
            _("Grade: {grade} ({why})").format(grade=report.grade, why=why)
            if why
            else _("Grade: {grade}").format(grade=report.grade)
        )
        out.append(grade)
    if report.site_vetoes:
        names = _veto_names(report.site_vetoes)
        out.append(
            _(
                "One-vote veto: {names}; the other indicators are not scored and earn nothing"
            ).format(names=names)
        )
    for part in report.parts:
        line = _("{part}: {base} ({share} of the base)").format(
            part=part.name,
            base=display(part.base, report.places),
            share=share_text(part.weight, report.places),
        )
        if part.vetoes:
            line += _("; one-vote veto: {names}, this part earns nothing").format(
                names=_veto_names(part.vetoes)
            )
        out.append(line)
    return out


def _veto_names(vetoes: Iterable[SiteVeto]) -> str:
    return _(", ").join(v.label or _("{name}: {id}").format(name=v.name, id=v.id) for v in vetoes)


def ranking_note(report: Ranked) -> str:
    """The ranking's 备注 for one report: its grade, a site-wide veto, an incomplete sheet."""
    notes = []
    if report.grade is not None:
        notes.append(report.grade)
    if report.vetoed:
        notes.append(_("one-vote veto"))
    if not report.complete:
        notes.append(_("partly assessed"))
    return _("; ").join(notes)


def _label(ident: str, label: str | None) -> str:
    return label or ident


# --------------------------------------------------------------------------- one report


@dataclass
class _Section:
    """A titled part of the score sheet: a few lines and/or one table (shared by text
    and Markdown so the two can never disagree)."""

    title: str
    lines: list[str] = field(default_factory=list)
    header: Sequence[str] = ()
    rows: list[list[str]] = field(default_factory=list)
    right: frozenset[int] = frozenset()
    empty: str = ""


def cap_text(d: DeductionResult, places: int = 2) -> str:
    """A deduction's cap as tables show it: ``无``, ``20%``, or ``20%（已封顶）`` once reached."""
    cap = _("none") if d.cap is None else share_text(d.cap, places)
    return _("{cap} (cap reached)").format(cap=cap) if d.capped else cap


def _deduction_rows(
    name: str, item: str, deds: Sequence[DeductionResult], places: int
) -> list[list[str]]:
    rows = []
    for d in deds:
        if not d.count:
            continue
        cap = cap_text(d, places)
        rows.append(
            [
                name,
                item,
                _label(d.id, d.label),
                str(d.count),
                share_text(d.each, places),
                cap,
                share_text(d.amount, places),
                display(d.points, places),
            ]
        )
    return rows


def _veto_rows(name: str, item: str, vetoes: Sequence[VetoResult]) -> list[list[str]]:
    return [[name, item, _label(v.id, v.label), v.source or ""] for v in vetoes if v.fired]


_CATEGORY_HEADER = (
    N_("Level-1 indicator"),
    N_("Type"),
    N_("Weight"),
    N_("Applicable weight"),
    N_("Points"),
)
_ITEM_HEADER = (
    N_("Level-3 indicator"),
    N_("Item"),
    N_("Share"),
    N_("Rule"),
    N_("Credit"),
    N_("Points"),
    N_("Reason"),
)
_VETO_HEADER = (N_("Level-3 indicator"), N_("Item"), N_("Veto"), N_("Source"))
_DEDUCTION_HEADER = (
    N_("Level-3 indicator"),
    N_("Item"),
    N_("Deduction"),
    N_("Times"),
    N_("Each"),
    N_("Cap"),
    N_("Deducted"),
    N_("Points off"),
)
_MISSING_HEADER = (N_("Level-3 indicator"), N_("Item"), N_("Missing"), N_("Why"))


def _head(report: ScoreReport) -> _Section:
    """The sheet's title and the lines under it: rulebook, date, assessors, total."""

    def fig(value: Fraction) -> str:
        return display(value, report.places)

    head = _Section(_("{department} score sheet").format(department=report.department))
    rb = report.rulebook
    head.lines.append(
        _("Rulebook: {title} ({id}, {year})").format(title=rb.title, id=rb.id, year=rb.year)
        + (f" {shown(rb.file)}" if rb.file else "")
    )
    date = report.monitoring_date.isoformat()
    head.lines.append(_("Monitoring date: {date}").format(date=date))
    names = _(", ").join(report.assessors) or "—"
    head.lines.append(_("Assessors: {names}").format(names=names))
    if report.findings_file:
        head.lines.append(_("Findings: {file}").format(file=shown(report.findings_file)))
    head.lines.append(
        _("Total: {total} (base {base} + bonus {bonus} + penalty {penalty})").format(
            total=fig(report.total),
            base=fig(report.base),
            bonus=fig(report.bonus),
            penalty=fig(report.penalty),
        )
    )
    head.lines.extend(verdict_lines(report))
    if not report.complete:
        head.lines.append(
            _(
                "Note: some indicators are not assessed (see “Not assessed”); "
                "this sheet is not a complete score."
            )
        )
    return head


def _details(report: ScoreReport) -> list[_Section]:
    """The items of every indicator, then the vetoes and deductions that fired."""
    places = report.places
    items = _Section(_("Scoring items"), header=_header(_ITEM_HEADER), right=frozenset({2, 4, 5}))
    vetoes = _Section(_("Vetoes"), header=_header(_VETO_HEADER))
    deds = _Section(
        _("Deductions"), header=_header(_DEDUCTION_HEADER), right=frozenset({3, 4, 6, 7})
    )
    for r in report.indicators:
        vetoes.rows += _veto_rows(r.name, "", r.vetoes)
        deds.rows += _deduction_rows(r.name, "", r.deductions, places)
        for n, it in enumerate(r.items):
            label = _label(it.id, it.title)
            items.rows.append(
                [
                    r.name if n == 0 else "",
                    label,
                    share_text(it.share, places),
                    rule_name(it.rule),
                    share_text(it.credit, places) if it.assessed else "—",
                    display(it.points, places),
                    it.reason,
                ]
            )
            vetoes.rows += _veto_rows(r.name, label, it.vetoes)
            deds.rows += _deduction_rows(r.name, label, it.deductions, places)
    return [items, vetoes, deds]


def _sections(report: ScoreReport) -> list[_Section]:
    def fig(value: Fraction) -> str:
        return display(value, report.places)

    cats = _Section(
        _("Level-1 indicators"), header=_header(_CATEGORY_HEADER), right=frozenset({2, 3, 4})
    )
    cats.rows = [
        [c.name, kind_name(c.kind), fig(c.weight), fig(c.applicable_weight), fig(c.points)]
        for c in report.categories
    ]
    inds = _Section(
        _("Level-3 indicators"), header=_header(CSV_HEADER[:6]), right=frozenset({3, 4})
    )
    inds.rows = [
        [r.category, r.group or "", r.name, fig(r.weight), fig(r.points), indicator_status(r)]
        for r in report.indicators
    ]
    missing = _Section(_("Not assessed"), header=_header(_MISSING_HEADER))
    missing.rows = [
        [n.name, item_title(report, n), fact_list(n.missing), n.reason] for n in report.not_assessed
    ]
    totals = _Section(_("Totals"), header=_header((N_("What"), N_("Score"))), right=frozenset({1}))
    totals.rows = [
        [_("Base (raw)"), fig(report.base_raw)],
        [_("Weight of the applicable indicators"), fig(report.base_possible)],
        [_("Base (rescaled to 100)"), fig(report.base)],
        [_("Bonus"), fig(report.bonus)],
        [_("Penalty"), fig(report.penalty)],
        [_("Total"), fig(report.total)],
    ]
    return [_head(report), cats, inds, *_details(report), missing, totals]


def render_text(report: ScoreReport) -> str:
    """The score sheet of one department as aligned plain text (Chinese headings)."""
    parts = []
    for n, sec in enumerate(_sections(report)):
        title = sec.title if n else f"{sec.title}\n{'=' * display_width(sec.title)}"
        text = title + "\n"
        if sec.lines:
            text += "\n".join(sec.lines) + "\n"
        if sec.header:
            text += (
                format_table(sec.header, sec.rows, right=sec.right)
                if sec.rows
                else (sec.empty or _("none")) + "\n"
            )
        parts.append(text)
    return "\n".join(parts)


def render_markdown(report: ScoreReport) -> str:
    """The score sheet of one department as GitHub-flavoured Markdown."""
    parts = []
    for n, sec in enumerate(_sections(report)):
        text = ("# " if n == 0 else "## ") + _md_cell(sec.title) + "\n\n"
        if sec.lines:
            text += "\n".join(f"- {_md_cell(line)}" for line in sec.lines) + "\n"
        if sec.header:
            text += (
                _md_table(sec.header, sec.rows, right=sec.right)
                if sec.rows
                else (sec.empty or _("none")) + "\n"
            )
        parts.append(text)
    return "\n".join(parts)


def _csv(rows: Iterable[Sequence[str]], bom: bool) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buf.getvalue()


def render_csv(report: ScoreReport, *, bom: bool = False) -> str:
    """One row per indicator (一级指标,二级指标,三级指标,权重,得分,状态,扣分原因), then a
    total row.  ``bom=True`` starts with a UTF-8 byte-order mark so Excel reads Chinese
    correctly."""
    places = report.places
    rows: list[Sequence[str]] = [_header(CSV_HEADER)]
    for r in report.indicators:
        rows.append(
            [
                r.category,
                r.group or "",
                r.name,
                display(r.weight, places),
                display(r.points, places),
                indicator_status(r),
                _("; ").join(r.reasons),
            ]
        )
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            display(report.total, places),
            "" if report.complete else _("partly assessed"),
            _("base {base} (raw {raw}/{possible}) + bonus {bonus} + penalty {penalty}").format(
                base=display(report.base, places),
                raw=display(report.base_raw, places),
                possible=display(report.base_possible, places),
                bonus=display(report.bonus, places),
                penalty=display(report.penalty, places),
            ),
        ]
    )
    return _csv(rows, bom)


def render_json(report: ScoreReport) -> str:
    """The exact report as JSON (``report/1``, see ``schemas/report.schema.json``)."""
    return report.to_json()


# --------------------------------------------------------------------------- rankings


def rank(reports: Iterable[_T]) -> list[tuple[int, _T]]:
    """Reports in ranking order (total descending, then department name, then file) with
    competition ranks: equal exact totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(reports, key=lambda r: (-r.total, r.department, r.findings_file or ""))
    out: list[tuple[int, _T]] = []
    for n, r in enumerate(ordered, 1):
        place = out[-1][0] if out and out[-1][1].total == r.total else n
        out.append((place, r))
    return out


def _ranking_rows(reports: Iterable[Ranked]) -> list[list[str]]:
    rows = []
    for place, r in rank(reports):
        rows.append(
            [
                str(place),
                r.department,
                display(r.base, r.places),
                display(r.bonus, r.places),
                display(r.penalty, r.places),
                display(r.total, r.places),
                ranking_note(r),
                shown(r.findings_file),
            ]
        )
    return rows


def _ranking_table(reports: Iterable[Ranked]) -> tuple[Sequence[str], list[list[str]]]:
    """Header and rows for people: the 备注 column only when some report is incomplete,
    the file column never (it is in the CSV and JSON)."""
    rows = _ranking_rows(reports)
    keep = 7 if any(row[6] for row in rows) else 6
    return _header(RANKING_CSV_HEADER[:keep]), [row[:keep] for row in rows]


def _failed_lines(failed: Mapping[str, Sequence[Issue]]) -> list[str]:
    lines = []
    for file, issues in failed.items():
        errors = sum(1 for i in issues if i.severity == "error")
        line = ngettext("{file}: {n} error", "{file}: {n} errors", errors).format(
            file=file, n=errors
        )
        if issues:
            line += _(", first: {message}").format(message=issues[0].message)
        lines.append(line)
    return lines


def _ranking_title(reports: Sequence[Ranked]) -> str:
    if not reports:
        return _("Ranking")
    rb = reports[0].rulebook
    return ngettext(
        "Ranking: {title} ({id}), {n} department",
        "Ranking: {title} ({id}), {n} departments",
        len(reports),
    ).format(title=rb.title, id=rb.id, n=len(reports))


def render_ranking_text(
    reports: Sequence[Ranked], failed: Mapping[str, Sequence[Issue]] | None = None
) -> str:
    """A ranking table of departments (名次, 部门, 基础分, 加分, 扣分, 总分), then the
    files that could not be scored."""
    title = _ranking_title(reports)
    header, rows = _ranking_table(reports)
    text = f"{title}\n{'=' * display_width(title)}\n"
    text += format_table(header, rows, right={0, 2, 3, 4, 5})
    if failed:
        heading = _("Could not be scored ({n})").format(n=len(failed))
        text += f"\n{heading}\n" + "\n".join(_failed_lines(failed)) + "\n"
    return text


def render_ranking_markdown(
    reports: Sequence[Ranked], failed: Mapping[str, Sequence[Issue]] | None = None
) -> str:
    """The ranking as a Markdown table, then the files that could not be scored."""
    header, rows = _ranking_table(reports)
    text = f"# {_md_cell(_ranking_title(reports))}\n\n"
    text += _md_table(header, rows, right={0, 2, 3, 4, 5})
    if failed:
        heading = _("Could not be scored ({n})").format(n=len(failed))
        text += f"\n## {heading}\n\n"
        text += "\n".join(f"- {_md_cell(line)}" for line in _failed_lines(failed)) + "\n"
    return text


def render_ranking_csv(reports: Sequence[Ranked], *, bom: bool = False) -> str:
    """The ranking as CSV (名次,部门,基础分,加分,扣分,总分,备注,记录文件)."""
    return _csv([_header(RANKING_CSV_HEADER), *_ranking_rows(reports)], bom)


def entry_fields(place: int, r: Ranked) -> dict[str, object]:
    """A department's ranking fields (``ranking/1``), before its report: one home for the
    ranking held in memory and the one streamed."""
    return {
        "rank": place,
        "department": r.department,
        "department_id": r.department_id,
        "findings_file": r.findings_file,
        "complete": r.complete,
        "grade": r.grade,
        "vetoed": r.vetoed,
        "base": exact_text(r.base),
        "bonus": exact_text(r.bonus),
        "penalty": exact_text(r.penalty),
        "total": exact_text(r.total),
    }


def ranking_data(
    reports: Sequence[ScoreReport], failed: Mapping[str, Sequence[Issue]] | None = None
) -> dict[str, object]:
    """The ranking as JSON-ready data (``ranking/1``): each department with its rank, its
    exact figures and its full report, then every failed file with its issues."""
    departments = [
        {**entry_fields(place, r), "report": r.model_dump(mode="json")}
        for place, r in rank(reports)
    ]
    return {
        "wzeval": "ranking/1",
        "departments": departments,
        "failed": [
            {"file": file, "issues": [i.to_dict() for i in issues]}
            for file, issues in (failed or {}).items()
        ],
    }


def render_ranking_json(
    reports: Sequence[ScoreReport], failed: Mapping[str, Sequence[Issue]] | None = None
) -> str:
    """:func:`ranking_data` as deterministic JSON text."""
    return dumps_json(ranking_data(reports, failed))


def ranking_json_chunks(
    entries: Sequence[_T],
    report_json: Callable[[_T], str],
    failed: Mapping[str, Sequence[Issue]] | None = None,
    unassessed: Sequence[Department] = (),
) -> Iterator[str]:
    """:func:`render_ranking_json` (with the roster's ``unassessed`` units, as
    :func:`wzeval.scoring._roster.with_unassessed` adds them), text piece by piece, from
    entries and their reports' JSON: ``report_json(entry)`` is
    ``json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)``, or the
    same bytes, faster: ``report.model_dump_json(indent=2)`` (what a batch keeps).

    The same text, byte for byte, without all the reports in memory at once: a batch
    keeps each report's JSON text (in a file) and its :class:`~wzeval.model._report.RankingEntry`.
    JSON strings hold no raw newline, so indenting a nested value is inserting spaces
    after each newline."""
    yield '{\n  "wzeval": "ranking/1",\n  "departments": ['
    for n, (place, r) in enumerate(rank(entries)):
        head = _dumps(entry_fields(place, r))
        body = head[:-2] + ',\n  "report": ' + report_json(r).replace("\n", "\n  ") + "\n}"
        yield ("\n    " if n == 0 else ",\n    ") + body.replace("\n", "\n    ")
    yield "\n  ]," if entries else "],"
    tail: dict[str, object] = {
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


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
