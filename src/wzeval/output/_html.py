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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction

from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue
from wzeval.core._paths import shown
from wzeval.model._report import (
    CategoryResult,
    DeductionResult,
    IndicatorResult,
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
from wzeval.output._questions import fact_list
from wzeval.output._render import (
    cap_text,
    indicator_status,
    item_title,
    share_text,
    verdict_lines,
)

__all__ = ["FONT_STACK", "FailedFiles", "points_lost", "render_html"]

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
    return "".join(_table_pieces(header, rows, num=num, cls=cls, raw=raw))


def _table_pieces(
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    num: Iterable[int] = (),
    cls: str = "",
    raw: bool = False,
) -> Iterator[str]:
    """:func:`_table` piece by piece: its head, each row as it is taken from ``rows``,
    its end (a batch page's ranking has a row a department)."""
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
    klass = f' class="{cls}"' if cls else ""
    yield f'<div class="table-wrap"><table{klass}><thead><tr>{head}</tr></thead><tbody>'
    for row in rows:
        yield tr(row)
    yield "</tbody></table></div>"


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
