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
    VetoResult,
    display,
    exact_text,
    share_text,
)
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
    "rank",
    "ranking_data",
    "ranking_json_chunks",
    "ranking_note",
    "render_csv",
    "render_explain",
    "render_json",
    "render_markdown",
    "render_ranking_csv",
    "render_ranking_json",
    "render_ranking_markdown",
    "render_ranking_text",
    "render_text",
    "share_text",
    "verdict_lines",
]

#: Chinese names of the credit rules, as the score sheet shows them (from the rule kinds).
RULE_NAMES: Mapping[str, str] = {key: kind.label for key, kind in rule_kinds().items()}
#: Chinese names of the category kinds.
KIND_NAMES: Mapping[str, str] = {k: v.removesuffix("指标") for k, v in CATEGORY_KIND_NAMES.items()}
_WEIGHT_SOURCES = {"stated": "原表列明", "derived": "由总分推算", "assumed": "原表未列明，假定"}

#: The columns of the per-indicator CSV (one row per indicator, then a total row).
CSV_HEADER = ("一级指标", "二级指标", "三级指标", "权重", "得分", "状态", "扣分原因")
#: The columns of the ranking CSV.
RANKING_CSV_HEADER = ("名次", "部门", "基础分", "加分", "扣分", "总分", "备注", "记录文件")


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
        return "未评分"
    if not result.applicable:
        return "不适用"
    if result.vetoed:
        return "否决"
    if not result.assessed:
        return "部分未评估" if any(i.assessed for i in result.items) else "未评估"
    return ""


def verdict_lines(report: ScoreReport) -> list[str]:
    """What the rulebook concluded above the points, in every renderer's words: the grade
    with the reason for it, and the site-wide vetoes that stopped scoring."""
    out = []
    if report.grade is not None:
        rule = report.grade_rule
        why = rule.label if rule is not None and rule.label else None
        out.append(f"等级：{report.grade}" + (f"（{why}）" if why else ""))
    if report.site_vetoes:
        names = "、".join(v.label or f"{v.name}：{v.id}" for v in report.site_vetoes)
        out.append(f"单项否决：{names}；其他指标不再评分，不得分")
    for part in report.parts:
        line = (
            f"{part.name}：{display(part.base, report.places)}"
            f"（占基础分 {share_text(part.weight, report.places)}）"
        )
        if part.vetoes:
            names = "、".join(v.label or f"{v.name}：{v.id}" for v in part.vetoes)
            line += f"；单项否决：{names}，本部分不得分"
        out.append(line)
    return out


def ranking_note(report: Ranked) -> str:
    """The ranking's 备注 for one report: its grade, a site-wide veto, an incomplete sheet."""
    notes = []
    if report.grade is not None:
        notes.append(report.grade)
    if report.vetoed:
        notes.append("单项否决")
    if not report.complete:
        notes.append("部分未评估")
    return "；".join(notes)


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
    empty: str = "无"


def cap_text(d: DeductionResult, places: int = 2) -> str:
    """A deduction's cap as tables show it: ``无``, ``20%``, or ``20%（已封顶）`` once reached."""
    cap = "无" if d.cap is None else share_text(d.cap, places)
    return cap + "（已封顶）" if d.capped else cap


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


def _sections(report: ScoreReport) -> list[_Section]:
    places = report.places

    def fig(value: Fraction) -> str:
        return display(value, places)

    head = _Section(f"{report.department} 评分表")
    rb = report.rulebook
    head.lines.append(
        f"规则：{rb.title}（{rb.id}，{rb.year}）" + (f" {shown(rb.file)}" if rb.file else "")
    )
    head.lines.append(f"监测时间点：{report.monitoring_date.isoformat()}")
    head.lines.append("评估人：" + ("、".join(report.assessors) or "—"))
    if report.findings_file:
        head.lines.append(f"评估记录：{shown(report.findings_file)}")
    head.lines.append(
        f"总分：{fig(report.total)}（基础分 {fig(report.base)} + 加分 {fig(report.bonus)}"
        f" + 扣分 {fig(report.penalty)}）"
    )
    head.lines.extend(verdict_lines(report))
    if not report.complete:
        head.lines.append("注意：部分指标未评估，见“未评估”；本表不是完整评分。")

    cats = _Section(
        "一级指标",
        header=("一级指标", "类型", "权重", "适用权重", "得分"),
        right=frozenset({2, 3, 4}),
    )
    cats.rows = [
        [c.name, KIND_NAMES[c.kind], fig(c.weight), fig(c.applicable_weight), fig(c.points)]
        for c in report.categories
    ]

    inds = _Section(
        "三级指标",
        header=("一级指标", "二级指标", "三级指标", "权重", "得分", "状态"),
        right=frozenset({3, 4}),
    )
    inds.rows = [
        [r.category, r.group or "", r.name, fig(r.weight), fig(r.points), indicator_status(r)]
        for r in report.indicators
    ]

    items = _Section(
        "得分细则",
        header=("三级指标", "细则", "占比", "规则", "得分比例", "得分", "说明"),
        right=frozenset({2, 4, 5}),
    )
    vetoes = _Section("否决", header=("三级指标", "细则", "否决项", "原文"))
    deds = _Section(
        "扣分",
        header=("三级指标", "细则", "扣分项", "次数", "每次", "上限", "扣除", "扣分"),
        right=frozenset({3, 4, 6, 7}),
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
                    RULE_NAMES.get(it.rule, it.rule),
                    share_text(it.credit, places) if it.assessed else "—",
                    fig(it.points),
                    it.reason,
                ]
            )
            vetoes.rows += _veto_rows(r.name, label, it.vetoes)
            deds.rows += _deduction_rows(r.name, label, it.deductions, places)

    missing = _Section("未评估", header=("三级指标", "细则", "缺少", "原因"))
    missing.rows = [
        [n.name, item_title(report, n), "、".join(n.missing), n.reason] for n in report.not_assessed
    ]

    totals = _Section("合计", header=("项目", "分数"), right=frozenset({1}))
    totals.rows = [
        ["基础分（原始）", fig(report.base_raw)],
        ["适用指标权重", fig(report.base_possible)],
        ["基础分（折算为百分制）", fig(report.base)],
        ["加分", fig(report.bonus)],
        ["扣分", fig(report.penalty)],
        ["总分", fig(report.total)],
    ]
    return [head, cats, inds, items, vetoes, deds, missing, totals]


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
                else sec.empty + "\n"
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
                _md_table(sec.header, sec.rows, right=sec.right) if sec.rows else sec.empty + "\n"
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
    rows: list[Sequence[str]] = [CSV_HEADER]
    for r in report.indicators:
        rows.append(
            [
                r.category,
                r.group or "",
                r.name,
                display(r.weight, places),
                display(r.points, places),
                indicator_status(r),
                "；".join(r.reasons),
            ]
        )
    rows.append(
        [
            "总分",
            "",
            "",
            "",
            display(report.total, places),
            "" if report.complete else "部分未评估",
            f"基础分 {display(report.base, places)}（原始 {display(report.base_raw, places)}"
            f"/{display(report.base_possible, places)}） + 加分 {display(report.bonus, places)}"
            f" + 扣分 {display(report.penalty, places)}",
        ]
    )
    return _csv(rows, bom)


def render_json(report: ScoreReport) -> str:
    """The exact report as JSON (``report/1``, see ``schemas/report.schema.json``)."""
    return report.to_json()


# --------------------------------------------------------------------------- explain


def _value(value: object) -> str:
    """A recorded value as the evaluator wrote it (``true``, ``2023-10-07``, ``[0.8, 0.6]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _explain_vetoes(vetoes: Sequence[VetoResult], indent: str) -> list[str]:
    lines = []
    for v in vetoes:
        state = "已触发" if v.fired else "未触发"
        lines.append(
            f"{indent}{_label(v.id, v.label)}：{state}" + (f"（{shown(v.at)}）" if v.at else "")
        )
        if v.source:
            lines.append(f"{indent}  原文：{v.source}")
        if v.ruling:
            lines.append(f"{indent}  裁定：{v.ruling}")
    return lines


def _explain_deductions(deds: Sequence[DeductionResult], indent: str, places: int) -> list[str]:
    lines = []
    for d in deds:
        cap = "无上限" if d.cap is None else f"上限 {share_text(d.cap, places)}"
        if d.capped:
            cap += "，已封顶"
        lines.append(
            f"{indent}{_label(d.id, d.label)}：{d.count} 次 × {share_text(d.each, places)}"
            f"（{cap}）= {share_text(d.amount, places)}，扣 {display(d.points, places)} 分"
            + (f"（{shown(d.at)}）" if d.at else "")
        )
        if d.source:
            lines.append(f"{indent}  原文：{d.source}")
        if d.ruling:
            lines.append(f"{indent}  裁定：{d.ruling}")
    return lines


def _explain_items(r: IndicatorResult, places: int) -> list[str]:
    """:func:`render_explain`'s items: share, rule, credit, reason, source, ruling, place."""

    def fig(value: Fraction) -> str:
        return display(value, places)

    out: list[str] = []
    for n, it in enumerate(r.items, 1):
        rule = f"{it.rule}（{RULE_NAMES.get(it.rule, it.rule)}）"
        out.append(
            f"  {n}. {_label(it.id, it.title)}：占 {share_text(it.share, places)}，规则 {rule}"
        )
        credit = share_text(it.credit, places) if it.assessed else "未评估"
        out.append(f"     得分比例 {credit}，得 {fig(it.points)} / {fig(it.max_points)} 分")
        out.append(f"     说明：{it.reason}")
        if it.source:
            out.append(f"     原文：{it.source}")
        if it.ruling:
            out.append(f"     裁定：{it.ruling}")
        if it.at:
            out.append(f"     位置：{shown(it.at)}")
        if it.vetoes:
            out.append("     本项否决：")
            out += _explain_vetoes(it.vetoes, "       ")
        if it.deductions:
            out.append("     本项扣分：")
            out += _explain_deductions(it.deductions, "       ", places)
    return out


def _explain_facts(r: IndicatorResult, asks: Mapping[str, str]) -> list[str]:
    """:func:`render_explain`'s facts: those recorded (value, question, evidence, note,
    ``file:line:col``), then those derived by the rules."""
    out: list[str] = []
    recorded = [f for f in r.facts if not f.derived]
    derived = [f for f in r.facts if f.derived]
    if recorded:
        out += ["", "读取的事实（评估记录）："]
        for fact in recorded:
            ask = asks.get(fact.id)
            out.append(
                f"  {fact.id} = {_value(fact.value)}"
                + (f" — {ask}" if ask else "")
                + (f"（{shown(fact.at)}）" if fact.at else "")
            )
            if fact.evidence:
                out.append("    证据：" + "；".join(fact.evidence))
            if fact.note:
                out.append(f"    备注：{fact.note}")
    if derived:
        out += ["", "派生事实（由规则计算）："]
        for fact in derived:
            ask = asks.get(fact.id)
            out.append(f"  {fact.id} = {_value(fact.value)}" + (f" — {ask}" if ask else ""))
    return out


def render_explain(
    report: ScoreReport, indicator: str, *, asks: Mapping[str, str] | None = None
) -> str:
    """Why one indicator (id or Chinese name) earned what it earned, rule by rule.

    Applicability, each item (share, rule, credit, reason, source wording, ruling and
    rulebook ``file:line``), vetoes, deductions, the facts read with their evidence and
    ``file:line:col``, derived facts, and the final points.  ``asks`` maps fact ids to
    the rulebook's questions so each fact is shown with what was asked; the report
    itself does not carry them.  Raises :class:`KeyError` for an unknown indicator.
    """
    r = report.indicator(indicator)
    places = report.places
    asks = asks or {}

    def fig(value: Fraction) -> str:
        return display(value, places)

    where = " / ".join(p for p in (r.category, r.group) if p)
    out = [
        f"{r.name}（{r.id}）— {where}",
        f"部门：{report.department}  监测时间点：{report.monitoring_date.isoformat()}",
        f"权重：{fig(r.weight)}（{_WEIGHT_SOURCES.get(r.weight_source, r.weight_source)}）"
        + (f"  规则位置：{shown(r.at)}" if r.at else ""),
        "",
        "适用性：" + ("适用" if r.applicable else "不适用（不计入基础分，基础分按比例折算）"),
    ]
    if r.applies_note:
        out.append(f"  说明：{r.applies_note}")
    if r.items:
        out += ["", "细则（得分 = 权重 × 得分比例）："]
        out += _explain_items(r, places)
    if r.vetoes:
        out += ["", "否决（指标层）："]
        out += _explain_vetoes(r.vetoes, "  ")
    if r.deductions:
        out += ["", "扣分（指标层）："]
        out += _explain_deductions(r.deductions, "  ", places)
    out += _explain_facts(r, asks)
    if r.missing:
        out += ["", "未记录的事实：" + "、".join(r.missing)]
    status = indicator_status(r)
    out += [
        "",
        f"结果：{fig(r.points)} / {fig(r.max_points)} 分" + (f"（{status}）" if status else ""),
    ]
    if r.reasons:
        out.append("失分原因：")
        out += [f"  - {reason}" for reason in r.reasons]
    others = sorted({n.name for n in report.not_assessed if n.indicator != r.id})
    if others:  # a file filled over days: say why the sheet is not complete yet
        out += [
            "",
            f"注：本文件另有 {len(others)} 个指标尚未记录完整（未评估：{'、'.join(others)}），"
            "不影响本指标的解释。",
        ]
    return "\n".join(out) + "\n"


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
    return RANKING_CSV_HEADER[:keep], [row[:keep] for row in rows]


def _failed_lines(failed: Mapping[str, Sequence[Issue]]) -> list[str]:
    lines = []
    for file, issues in failed.items():
        errors = sum(1 for i in issues if i.severity == "error")
        lines.append(
            f"{file}：{errors} 个错误" + (f"，首个：{issues[0].message}" if issues else "")
        )
    return lines


def _ranking_title(reports: Sequence[Ranked]) -> str:
    if not reports:
        return "排名"
    rb = reports[0].rulebook
    return f"排名：{rb.title}（{rb.id}），{len(reports)} 个部门"


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
        text += f"\n未能评分（{len(failed)}）\n" + "\n".join(_failed_lines(failed)) + "\n"
    return text


def render_ranking_markdown(
    reports: Sequence[Ranked], failed: Mapping[str, Sequence[Issue]] | None = None
) -> str:
    """The ranking as a Markdown table, then the files that could not be scored."""
    header, rows = _ranking_table(reports)
    text = f"# {_md_cell(_ranking_title(reports))}\n\n"
    text += _md_table(header, rows, right={0, 2, 3, 4, 5})
    if failed:
        text += f"\n## 未能评分（{len(failed)}）\n\n"
        text += "\n".join(f"- {_md_cell(line)}" for line in _failed_lines(failed)) + "\n"
    return text


def render_ranking_csv(reports: Sequence[Ranked], *, bom: bool = False) -> str:
    """The ranking as CSV (名次,部门,基础分,加分,扣分,总分,备注,记录文件)."""
    return _csv([RANKING_CSV_HEADER, *_ranking_rows(reports)], bom)


def ranking_data(
    reports: Sequence[ScoreReport], failed: Mapping[str, Sequence[Issue]] | None = None
) -> dict[str, object]:
    """The ranking as JSON-ready data (``ranking/1``): each department with its rank, its
    exact figures and its full report, then every failed file with its issues."""
    departments = [
        {
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
            "report": r.model_dump(mode="json"),
        }
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
    ``json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)``.

    The same text, byte for byte, without all the reports in memory at once: a batch
    keeps each report's JSON text (in a file) and its :class:`~wzeval.model._report.RankingEntry`.
    JSON strings hold no raw newline, so indenting a nested value is inserting spaces
    after each newline."""
    yield '{\n  "wzeval": "ranking/1",\n  "departments": ['
    for n, (place, r) in enumerate(rank(entries)):
        head = _dumps(
            {
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
        )
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
