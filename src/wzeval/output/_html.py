"""Score reports as one self-contained HTML page: opens offline, prints, reads on a phone.

Pure functions from :class:`~wzeval.model._report.ScoreReport` to ``str``.  The page
carries everything it needs: CSS and a few lines of JavaScript inline, charts
as inline SVG drawn here in Python, fonts from the reader's own system (a CJK
stack: PingFang SC, Noto Sans CJK SC, Microsoft YaHei, WenQuanYi Micro Hei).
It references nothing outside itself — no web fonts, scripts, images or
stylesheets — and its Content-Security-Policy (``default-src 'none'``, the
inline style and script allowed by their SHA-256 hashes) makes the browser
refuse any fetch even if one slipped in.  The only addresses in it are the
evaluators' evidence URLs, shown as links (``rel="noopener noreferrer"``).

Every text from a report is escaped with :func:`html.escape`; every figure is
shown through :func:`wzeval.model._report.display` (rounded once, half up).  The
output is deterministic: the same reports give the same bytes (no timestamp
unless the caller passes ``generated``).

Without JavaScript the page is complete: each indicator's explanation is a
``<details>`` element.  The script only adds "展开全部/收起全部" buttons and
opens every ``<details>`` before printing (the print CSS does the same in
browsers that support ``::details-content``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue
from wzeval.core._paths import shown
from wzeval.model._report import (
    CategoryResult,
    DeductionResult,
    IndicatorResult,
    Ranked,
    ScoreReport,
    VetoResult,
    display,
)
from wzeval.output._htmlpage import FONT_STACK
from wzeval.output._htmlpage import Bar as _Bar
from wzeval.output._htmlpage import bar_chart as _bar_chart
from wzeval.output._htmlpage import clip as _clip
from wzeval.output._htmlpage import escape as _e
from wzeval.output._htmlpage import page as _page
from wzeval.output._htmlpage import page_frame as _page_frame
from wzeval.output._questions import fact_list
from wzeval.output._render import (
    cap_text,
    indicator_status,
    item_title,
    rank,
    ranking_note,
    share_text,
    verdict_lines,
)

__all__ = [
    "FONT_STACK",
    "FailedFiles",
    "LostFigure",
    "SectionFacts",
    "batch_facts",
    "batch_section",
    "fill_section",
    "html_batch_chunks",
    "points_lost",
    "render_html",
    "render_html_batch",
]

_R = TypeVar("_R", bound=Ranked)

#: Files that could not be scored: ``{file: issues}`` or ``[(file, issues), …]``.
FailedFiles = Mapping[str, Sequence[Issue]] | Sequence[tuple[str, Sequence[Issue]]]

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
#: The tag of a level-1 indicator's bar by its kind (msgids; none for a base one).
_KIND_TAG = {
    "base": "",
    "bonus": N_("bonus items"),
    "penalty": N_("penalty items"),
    "veto": N_("one-vote veto"),
}

# --------------------------------------------------------------------------- small pieces


def points_lost(result: IndicatorResult) -> Fraction:
    """Points an indicator lost: ``max_points − points``; for a penalty indicator, the
    points it took (``−points``); 0 when it did not apply or was not assessed."""
    if not result.applicable or not result.assessed:
        return Fraction(0)
    if result.kind == "penalty":
        return -result.points
    return result.max_points - result.points


def _status(result: IndicatorResult, places: int) -> tuple[str, str]:
    """(text, css class) for the 状态 column."""
    special = indicator_status(result)
    if special == _("not applicable"):
        return special, "st-na"
    if special == _("vetoed"):
        return special, "st-veto"
    if special:
        return special, "st-none"
    lost = points_lost(result)
    if result.kind == "penalty":
        if lost == 0:
            return _("no deduction"), "st-full"
        return _("{points} points off").format(points=display(lost, places)), "st-lost"
    if lost == 0:
        return _("full points"), "st-full"
    return _("{points} points lost").format(points=display(lost, places)), "st-lost"


def _value(value: object, top: bool = True) -> str:
    """A recorded value as people read it: 是/否 for a yes/no answer, a list as ``a、b``,
    a record as its values joined by `` · `` (no field ids: they are the rulebook's)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return _("(empty)")
    if isinstance(value, list):
        if top and value and all(isinstance(v, dict) for v in value):
            return "\n".join(f"{n}. {_value(v, False)}" for n, v in enumerate(value, 1))
        return _(", ").join(_value(v, False) for v in value) if value else _("(none)")
    if isinstance(value, dict):
        return " · ".join(_value(v, False) for v in value.values())
    return str(value)


def _evidence(evidence: Iterable[str]) -> str:
    """Evidence as HTML: an http(s) address becomes a link, anything else stays text."""
    parts = []
    for ev in evidence:
        text = ev.strip()
        if _URL.fullmatch(text):
            parts.append(
                f'<a href="{_e(text)}" rel="noopener noreferrer" target="_blank">{_e(text)}</a>'
            )
        else:
            parts.append(_e(ev))
    return "<br>".join(parts)


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    num: Iterable[int] = (),
    cls: str = "",
    raw: bool = False,
) -> str:
    """A table in a horizontally scrolling wrapper; cells are escaped unless ``raw``.

    A cell ``None`` is taken into the cell before it (which spans both columns)."""
    nums = set(num)

    def cell(tag: str, i: int, text: str, span: int = 1) -> str:
        c = ' class="num"' if i in nums else ""
        if span > 1:
            c += f' colspan="{span}"'
        return f"<{tag}{c}>{text if raw else _e(text)}</{tag}>"

    def tr(row: Sequence[str | None]) -> str:
        cells: list[tuple[int, str, int]] = []
        for i, c in enumerate(row):
            if c is None and cells:
                first, text, span = cells[-1]
                cells[-1] = (first, text, span + 1)
            else:
                cells.append((i, c or "", 1))
        return "<tr>" + "".join(cell("td", i, c, span) for i, c, span in cells) + "</tr>"

    head = "".join(cell("th", i, _e(h) if raw else h) for i, h in enumerate(header))
    body = "".join(tr(row) for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<div class="table-wrap"><table{klass}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _normalize_failed(failed: FailedFiles) -> list[tuple[str, Sequence[Issue]]]:
    if isinstance(failed, Mapping):
        return [(str(k), v) for k, v in failed.items()]
    return [(str(k), v) for k, v in failed]


# --------------------------------------------------------------------------- charts


def _category_chart(report: ScoreReport) -> str:
    places = report.places
    bars = []
    for c in report.categories:
        bars.append(_category_bar(c, places))
    scale = max((abs(c.applicable_weight) for c in report.categories), default=Fraction(0))
    title = _("{department}: points and possible points of each level-1 indicator")
    return _bar_chart(title.format(department=report.department), bars, scale, compact=False)


def _category_bar(c: CategoryResult, places: int) -> _Bar:
    tag = _KIND_TAG.get(c.kind, "")
    tag = _(tag) if tag else ""
    label = _("{name} ({tag})").format(name=c.name, tag=tag) if tag else c.name
    if c.applicable_weight == 0:
        return _Bar(label, Fraction(0), Fraction(0), _("not applicable"), "#1d4ed8")
    text = f"{display(c.points, places)} / {display(c.applicable_weight, places)}"
    color = {"base": "#1d4ed8", "bonus": "#15803d", "penalty": "#b91c1c"}[c.kind]
    return _Bar(label, c.points, c.applicable_weight, text, color)


# --------------------------------------------------------------------------- one department


def _deduction_rows(where: str, deds: Sequence[DeductionResult], places: int) -> list[list[str]]:
    rows = []
    for d in deds:
        if not d.count:
            continue
        cap = cap_text(d, places)
        name = d.label or d.id
        src = f'<span class="src">{_e(d.source)}</span>' if d.source else ""
        rows.append(
            [
                _e(name) + src,
                _e(where),
                _e(str(d.count)),
                _e(share_text(d.each, places)),
                _e(cap),
                _e(display(-abs(d.points), places)),
            ]
        )
    return rows


def _veto_items(where: str, vetoes: Sequence[VetoResult]) -> list[str]:
    out = []
    for v in vetoes:
        if not v.fired:
            continue
        text = _("{name} ({where})").format(name=_e(v.label or v.id), where=_e(where))
        if v.source:
            text += _(": {text}").format(text=_e(v.source))
        if v.ruling:
            ruling = _("Ruling: {text}").format(text=_e(v.ruling))
            text += f' <span class="muted">{ruling}</span>'
        out.append(f"<li>{text}</li>")
    return out


def _position(at: str) -> str:
    """A fact's ``file:line:col``; on paper only ``line:col`` (the header names the file)."""
    file, sep, rest = at.partition(".yaml:") if ".yaml:" in at else at.partition(".xlsx:")
    if not sep:
        return f'<span class="at">{_e(at)}</span>'
    return (
        f'<span class="at"><span class="at-f">{_e(file + sep)}</span>'
        f'<span class="at-l">{_e(rest)}</span></span>'
    )


def _explain(r: IndicatorResult, places: int) -> str:
    """The body of an indicator's ``<details>``: items, vetoes, deductions, facts, reasons."""
    parts: list[str] = []
    if not r.applicable:
        not_applicable = _(
            "Not applicable: left out of the base, which is rescaled to 100 over the "
            "applicable weights."
        )
        parts.append(f"<p>{not_applicable}</p>")
    if r.applies_note:
        parts.append("<p>" + _("Applicability: {note}").format(note=_e(r.applies_note)) + "</p>")
    if r.items:
        rows = []
        for it in r.items:
            extra = ""
            if it.source:
                source = _("Source: {text}").format(text=_e(it.source))
                extra += f'<span class="src orig">{source}</span>'
            if it.ruling:
                ruling = _("Ruling: {text}").format(text=_e(it.ruling))
                extra += f'<span class="src">{ruling}</span>'
            rows.append(
                [
                    _e(it.title or it.id),
                    _e(share_text(it.share, places)),
                    _e(share_text(it.credit, places) if it.assessed else _("not assessed")),
                    _e(f"{display(it.points, places)} / {display(it.max_points, places)}"),
                    _e(it.reason) + extra,
                ]
            )
        parts.append('<h4 class="screen">' + _("Items") + "</h4>")
        parts.append(
            _table(
                (_("Item"), _("Share"), _("Credit"), _("Points"), _("Reason")),
                rows,
                num=(1, 2, 3),
                cls="mid items",
                raw=True,
            )
        )
    vetoes = _veto_items(_("indicator"), r.vetoes)
    deds = _deduction_rows(_("indicator"), r.deductions, places)
    for it in r.items:
        where = _("item {title}").format(title=it.title or it.id)
        vetoes += _veto_items(where, it.vetoes)
        deds += _deduction_rows(where, it.deductions, places)
    if vetoes:
        parts.append("<h4>" + _("Vetoes") + "</h4><ul>" + "".join(vetoes) + "</ul>")
    if deds:
        parts.append("<h4>" + _("Deductions") + "</h4>")
        parts.append(
            _table(
                (_("Deduction"), _("Where"), _("Times"), _("Each"), _("Cap"), _("Points off")),
                deds,
                num=(2, 3, 5),
                cls="mid",
                raw=True,
            )
        )
    if r.facts:
        parts += _facts_table(r)
    if r.missing:
        missing = _("Facts not recorded: {facts}").format(facts=_e(fact_list(r.missing)))
        parts.append(f"<p>{missing}</p>")
    if r.reasons:
        parts.append(
            '<div class="reasons"><h4>'
            + _("Why points were lost")
            + "</h4><ul>"
            + "".join(f"<li>{_e(x)}</li>" for x in r.reasons)
            + "</ul></div>"
        )
    if r.at:
        at = _("Rule at: {place}").format(place=_e(shown(r.at)))
        parts.append(f'<p class="at screen">{at}</p>')
    return '<div class="explain">' + "".join(parts) + "</div>"


def _facts_table(r: IndicatorResult) -> list[str]:
    """The facts an indicator read, as their questions, values, evidence and places."""
    fact_rows: list[list[str | None]] = []
    for fact in r.facts:
        name = _e(fact.ask or fact.id) + (
            '<span class="src">' + _("derived by the rules") + "</span>" if fact.derived else ""
        )
        note = _e(fact.note or "")
        if fact.at:
            note += _position(shown(fact.at))
        value = _e(fact.value_label or _value(fact.value))
        if "\n" in value and not fact.evidence:  # records: one per line, two columns wide
            fact_rows.append([name, value.replace("\n", "<br>"), None, note])
        else:
            fact_rows.append([name, value.replace("\n", "<br>"), _evidence(fact.evidence), note])
    header = (_("Fact"), _("Value"), _("Evidence"), _("Note / place"))
    return [
        '<h4 class="screen">' + _("Facts read") + "</h4>",
        _table(header, fact_rows, cls="mid facts", raw=True),
    ]


def _summary(r: IndicatorResult) -> str:
    lost = points_lost(r)
    if not r.applicable or not r.reasons or lost == 0:
        return _("Scoring details")
    first = _clip(_("; ").join(r.reasons), 34)
    return _("Scoring details") + f' <span class="lost">· {_e(first)}</span>'


def _indicator_table(report: ScoreReport, anchor: str) -> str:
    """The indicator table, one ``<tbody>`` per category.

    Each indicator takes two rows: its figures, then its ``<details>``; the 一级指标 and
    二级指标 cells span them.  On a narrow screen those two columns are hidden and a
    heading row per category (hidden on wide screens) and a group tag take their place.
    """
    places = report.places
    inds = report.indicators
    cats = {c.id: c for c in report.categories}
    bodies: list[str] = []
    i = 0
    while i < len(inds):
        cat_end = i
        while cat_end < len(inds) and inds[cat_end].category_id == inds[i].category_id:
            cat_end += 1
        cat = cats.get(inds[i].category_id)
        figures = (
            _("points {points} / {possible}").format(
                points=display(cat.points, places),
                possible=display(cat.applicable_weight, places),
            )
            if cat is not None
            else ""
        )
        rows = [
            f'<tr class="cat-row"><th colspan="6">{_e(inds[i].category)} '
            f'<span class="muted">{_e(figures)}</span></th></tr>'
        ]
        j = i
        while j < cat_end:
            grp_end = j + 1
            if inds[j].group:
                while grp_end < cat_end and inds[grp_end].group == inds[j].group:
                    grp_end += 1
            for k in range(j, grp_end):
                r = inds[k]
                cells = []
                if k == i:
                    cells.append(
                        f'<td class="cat" rowspan="{2 * (cat_end - i)}">{_e(r.category)}</td>'
                    )
                if k == j:
                    cells.append(
                        f'<td class="grp" rowspan="{2 * (grp_end - j)}">{_e(r.group or "")}</td>'
                    )
                text, cls = _status(r, places)
                points = display(r.points, places) if r.applicable and r.assessed else "—"
                tag = f'<span class="grp-tag">{_e(r.group)}</span>' if r.group else ""
                cells += [
                    f"<td>{tag}{_e(r.name)}</td>",
                    f'<td class="num">{_e(display(r.weight, places))}</td>',
                    f'<td class="num">{_e(points)}</td>',
                    f'<td class="st {cls}">{_e(text)}</td>',
                ]
                rows.append(f'<tr class="ind" id="{_e(anchor)}-{_e(r.id)}">{"".join(cells)}</tr>')
                rows.append(
                    '<tr class="detail"><td colspan="4"><details>'
                    f"<summary>{_summary(r)}</summary>{_explain(r, places)}"
                    "</details></td></tr>"
                )
            j = grp_end
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
        i = cat_end
    columns = (
        ("c-cat", _("Level-1 indicator")),
        ("c-grp", _("Level-2 indicator")),
        ("", _("Level-3 indicator")),
        ("num", _("Weight")),
        ("num", _("Points")),
        ("", _("Status")),
    )
    head = "".join(
        f'<th class="{cls}">{_e(text)}</th>' if cls else f"<th>{_e(text)}</th>"
        for cls, text in columns
    )
    return (
        f'<div class="table-wrap"><table class="wide indicators"><thead><tr>{head}</tr></thead>'
        f"{''.join(bodies)}</table></div>"
    )


def _not_assessed(report: ScoreReport) -> str:
    if not report.not_assessed:
        none = _("None: every applicable indicator is assessed.")
        return f'<p class="muted">{none}</p>'
    rows = [
        [n.name, item_title(report, n), fact_list(n.missing), n.reason] for n in report.not_assessed
    ]
    header = (_("Level-3 indicator"), _("Item"), _("Missing facts"), _("Why"))
    return _table(header, rows, cls="mid")


def _cards(report: ScoreReport, place: str | None) -> str:
    p = report.places

    def card(key: str, value: str, sub: str = "", cls: str = "") -> str:
        klass = f"card {cls}".strip()
        s = f'<div class="s">{_e(sub)}</div>' if sub else ""
        return (
            f'<div class="{klass}"><div class="k">{_e(key)}</div>'
            f'<div class="v">{_e(value)}</div>{s}</div>'
        )

    out = [card(_("Total"), display(report.total, p), _("base + bonus + penalty"), "total")]
    if place is not None:
        out.append(card(_("Rank"), place, _("ranked by total")))
    out += [
        card(
            _("Base (raw)"),
            display(report.base_raw, p),
            _("applicable weights {weights}").format(weights=display(report.base_possible, p)),
        ),
        card(_("Base (rescaled)"), display(report.base, p), _("rescaled to 100")),
        card(_("Bonus"), display(report.bonus, p)),
        card(_("Penalty"), display(report.penalty, p)),
    ]
    return '<div class="cards">' + "".join(out) + "</div>"


def _department(
    report: ScoreReport,
    *,
    heading: str,
    anchor: str,
    place: str | None,
    paged: bool,
    back: bool,
) -> str:
    rb = report.rulebook
    meta = [
        (_("Monitoring date"), report.monitoring_date.isoformat()),
        (_("Rulebook"), _("{title} ({id}, {year})").format(title=rb.title, id=rb.id, year=rb.year)),
        (_("Assessors"), _(", ").join(report.assessors) or "—"),
    ]
    if report.findings_file:
        meta.append((_("Findings"), shown(report.findings_file)))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    warn = "".join(f'<p class="verdict">{_e(line)}</p>' for line in verdict_lines(report))
    if not report.complete:
        incomplete = _(
            "Some indicators are not assessed (see Not assessed): this is not a complete "
            "score sheet."
        )
        warn += f'<p class="warn">{incomplete}</p>'

    cls = "dept block paged" if paged else "dept block"
    back_text = _("↑ Back to the ranking")
    by_category, by_indicator = _("Points by level-1 indicator"), _("Points by indicator")
    expand, collapse, not_assessed = _("Expand all"), _("Collapse all"), _("Not assessed")
    back_link = f'<p class="back"><a href="#ranking">{back_text}</a></p>' if back else ""
    return (
        f'<section class="{cls}" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-h">'
        f'<{heading} id="{_e(anchor)}-h">{_e(report.department)}</{heading}>'
        f'<dl class="meta">{dl}</dl>{warn}'
        f"{_cards(report, place)}"
        # on paper the table's category rows carry the same figures
        f'<div class="screen"><h3>{by_category}</h3>{_category_chart(report)}</div>'
        f"<h3>{by_indicator}</h3>"
        f'<div class="tools" hidden><button type="button" data-open>{expand}</button>'
        f'<button type="button" data-close>{collapse}</button></div>'
        f"{_indicator_table(report, anchor)}"
        f"<h3>{not_assessed}</h3>{_not_assessed(report)}"
        f"{back_link}</section>"
    )


def render_html(report: ScoreReport, *, generated: str | None = None) -> str:
    """The score sheet of one department as a self-contained HTML page.

    ``generated`` (e.g. a timestamp) is shown in the footer when given; without it
    the same report always gives the same text.
    """
    title = _("{department} · {rulebook} score sheet").format(
        department=report.department, rulebook=report.rulebook.title
    )
    body = _department(
        report,
        heading="h1",
        anchor=f"dept-{report.department_id}",
        place=None,
        paged=False,
        back=False,
    )
    return _page(title, body, generated)


def _anchors(ranked: Sequence[tuple[int, Ranked]]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for _place, r in ranked:
        base = f"dept-{r.department_id or 'x'}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


# ------------------------------------------------------------------ a batch, piece by piece
#
# A batch page shows every department's sheet, so it is as large as all the reports
# together; a batch of a whole province cannot hold it, nor the reports.  So each
# department's share is made from its report alone (in the worker that scored it) —
# its section, with the two things only the whole batch knows left as slots, and the
# figures the page's summary adds up — and the page is written piece by piece from
# those shares (html_batch_chunks), read back one at a time.  render_html_batch is
# the same path with the shares made on the spot.

#: One indicator's share of the summary of the points lost: its id, its place among
#: the report's indicators, its name, its level-1 indicator, its weight, the points lost.
LostFigure = tuple[str, int, str, str, Fraction, Fraction]

# The slots of a section: words no report can hold, since they are drawn at random
# when this module is loaded (and letters and digits only, so escaping keeps them).
_NONCE = secrets.token_hex(16)
_ANCHOR_SLOT, _PLACE_SLOT = f"wzslot{_NONCE}a", f"wzslot{_NONCE}p"
_SLOTS = re.compile(f"({_ANCHOR_SLOT}|{_PLACE_SLOT})")


@dataclass(frozen=True)
class SectionFacts:
    """What the top of a batch page reads of one department beyond its ranking entry:
    for each indicator that is not a bonus one, what it lost."""

    lost: tuple[LostFigure, ...]


def batch_section(report: ScoreReport) -> tuple[str, ...]:
    """``report``'s section of a batch page, its anchor and its place left as slots: the
    text between them at even indexes, at odd ones ``"a"`` (the anchor) or ``"p"`` (the
    place).  :func:`fill_section` fills them."""
    text = _department(
        report, heading="h2", anchor=_ANCHOR_SLOT, place=_PLACE_SLOT, paged=True, back=True
    )
    pieces = _SLOTS.split(text)
    return tuple(
        piece if n % 2 == 0 else ("a" if piece == _ANCHOR_SLOT else "p")
        for n, piece in enumerate(pieces)
    )


def fill_section(section: Sequence[str], anchor: str, place: str) -> str:
    """A section made by :func:`batch_section`, with its anchor and place."""
    slot = {"a": _e(anchor), "p": _e(place)}
    return "".join(piece if n % 2 == 0 else slot[piece] for n, piece in enumerate(section))


def batch_facts(report: ScoreReport) -> SectionFacts:
    """What the top of a batch page reads of ``report``."""
    lost = tuple(
        (ind.id, n, ind.name, ind.category, ind.weight, points_lost(ind))
        for n, ind in enumerate(report.indicators)
        if ind.kind != "bonus"
    )
    return SectionFacts(lost)


def _most_lost(facts: Iterable[SectionFacts], count: int, places: int, top: int = 10) -> str:
    """The ``top`` indicators by points lost over ``count`` departments; an indicator's
    name, level-1 indicator, weight and order are the first department's that has it."""
    lost: dict[str, Fraction] = {}
    depts: dict[str, int] = {}
    info: dict[str, tuple[str, str, Fraction]] = {}
    order: dict[str, int] = {}
    for f in facts:
        for key, n, name, category, weight, x in f.lost:
            if key not in info:
                info[key] = (name, category, weight)
                order[key] = n
            if x > 0:
                lost[key] = lost.get(key, Fraction(0)) + x
                depts[key] = depts.get(key, 0) + 1
    ranked = sorted(lost, key=lambda k: (-lost[k], order[k], k))[:top]
    if not ranked:
        return '<p class="muted">' + _("No points lost.") + "</p>"
    rows = [
        [
            str(n),
            info[k][0],
            info[k][1],
            display(info[k][2], places),
            display(lost[k], places),
            f"{depts[k]} / {count}",
        ]
        for n, k in enumerate(ranked, 1)
    ]
    note = _(
        "Points lost = the sum over departments of (weight − points), a penalty "
        "indicator counted by the points it took; indicators not applicable or not "
        "assessed and bonus indicators are left out."
    )
    return f'<p class="muted">{note}</p>' + _table(
        (
            _("No."),
            _("Level-3 indicator"),
            _("Level-1 indicator"),
            _("Weight"),
            _("Points lost"),
            _("Departments losing points"),
        ),
        rows,
        num=(0, 3, 4, 5),
        cls="mid",
    )


def _failed(failed: Sequence[tuple[str, Sequence[Issue]]]) -> str:
    if not failed:
        return ""
    heading = _("Files that could not be scored ({n})").format(n=len(failed))
    parts = [f'<section class="block failed" id="failed"><h2>{heading}</h2>']
    for file, issues in failed:
        errors = sum(1 for i in issues if i.severity == "error")
        count = _("{errors} errors, {issues} issues in all").format(
            errors=errors, issues=len(issues)
        )
        parts.append(f'<h3>{_e(file)}</h3><p class="muted">{count}</p>')
        parts.append(
            '<ul class="issues">'
            + "".join(f"<li><code>{_e(i.format())}</code></li>" for i in issues)
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def _ranking_table(ranked: Sequence[tuple[int, Ranked]], anchors: Sequence[str]) -> str:
    """The ranking: place, department (a link to its sheet, with its note), figures."""
    rows = []
    for (place, r), anchor in zip(ranked, anchors, strict=True):
        p = r.places
        name = f'<a href="#{_e(anchor)}">{_e(r.department)}</a>'
        note = ranking_note(r)
        if note:
            name += f'<span class="warn tag">{_e(note)}</span>'
        rows.append(
            [
                _e(str(place)),
                name,
                _e(display(r.base, p)),
                _e(display(r.bonus, p)),
                _e(display(r.penalty, p)),
                f"<strong>{_e(display(r.total, p))}</strong>",
            ]
        )
    return _table(
        (_("Rank"), _("Department"), _("Base (rescaled)"), _("Bonus"), _("Penalty"), _("Total")),
        rows,
        num=(0, 2, 3, 4, 5),
        cls="mid",
        raw=True,
    )


def html_batch_chunks(
    entries: Sequence[_R],
    section: Callable[[_R], Sequence[str]],
    facts: Callable[[_R], SectionFacts],
    failed: FailedFiles = (),
    *,
    unassessed: str = "",
    title: str | None = None,
    generated: str | None = None,
) -> Iterator[str]:
    """The batch page of :func:`render_html_batch`, piece by piece, from each department's
    share: ``section(entry)`` (:func:`batch_section` of its report) and ``facts(entry)``
    (:func:`batch_facts`), each asked for once, in the order they are written, so they
    may be read back from a file one at a time; ``entries`` are the reports or their
    :class:`~wzeval.model._report.RankingEntry`.  ``unassessed``: an HTML section put
    before the footer (:func:`wzeval.scoring._roster.unassessed_html`)."""
    failures = _normalize_failed(failed)
    ranked = rank(entries)
    anchors = _anchors(ranked)
    titles = sorted(
        {_("{title} ({id})").format(title=r.rulebook.title, id=r.rulebook.id) for r in entries}
    )
    summary = _most_lost(map(facts, entries), len(entries), entries[0].places) if entries else ""
    dates = sorted({r.monitoring_date.isoformat() for r in entries})
    results = _("{rulebooks} results").format(rulebooks=_(", ").join(titles))
    heading = title or (results if titles else _("Results"))
    failures_note = _(" ({n} more files could not be scored)").format(n=len(failures))
    meta = [(_("Departments"), f"{len(entries)}" + (failures_note if failures else ""))]
    if dates:
        span = _("{first} to {last}").format(first=dates[0], last=dates[-1])
        meta.append((_("Monitoring date"), dates[0] if len(dates) == 1 else span))
    if titles:
        meta.append((_("Rulebook"), _(", ").join(titles)))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    head, foot = _page_frame(heading, generated)
    yield head
    yield f'<header class="page-head"><h1>{_e(heading)}</h1><dl class="meta">{dl}</dl></header>'

    total = len(ranked)
    ranking = _ranking_table(ranked, anchors)
    bars = [
        _Bar(
            f"{place}. {r.department}",
            r.total,
            Fraction(0),
            display(r.total, r.places),
            "#1d4ed8",
            anchor,
        )
        for (place, r), anchor in zip(ranked, anchors, strict=True)
    ]
    scale = max([Fraction(100), *(r.total for r in entries)])
    chart = _bar_chart(_("Totals by department"), bars, scale, compact=True) if bars else ""
    heads = (_("Ranking"), _("Total"), _("Indicators where most points were lost"))
    yield (
        f'\n<section class="block" id="ranking"><h2>{heads[0]}</h2>{ranking}'
        f"<h3>{heads[1]}</h3>{chart}"
        f"<h3>{heads[2]}</h3>{summary}</section>"
    )
    for (place, r), anchor in zip(ranked, anchors, strict=True):
        yield "\n" + fill_section(section(r), anchor, f"{place} / {total}")
    if failures:
        yield "\n" + _failed(failures)
    yield "\n" + unassessed
    yield foot


def render_html_batch(
    reports: Sequence[ScoreReport],
    failed: FailedFiles = (),
    *,
    title: str | None = None,
    generated: str | None = None,
) -> str:
    """Many departments on one self-contained page.

    A ranking (total descending, then name; equal exact totals share a rank, as in
    :func:`wzeval.output._render.rank`) with links to each department, a chart of the
    totals, the ten indicators where most points were lost across all departments,
    then each department's score sheet (a new printed page each), then the files
    that could not be scored with their issues (``failed``: ``{file: issues}`` or
    ``[(file, issues), …]``).  A batch too large to hold writes the same page with
    :func:`html_batch_chunks`.
    """
    chunks = html_batch_chunks(
        reports, batch_section, batch_facts, failed, title=title, generated=generated
    )
    return "".join(chunks)
