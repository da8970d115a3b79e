"""Many departments' score sheets on one self-contained HTML page, the batch page.

The page shows every department's sheet (:mod:`wzeval.output._html` makes one), so it
is as large as all the reports together; a batch of a whole province cannot hold it,
nor the reports.  So each department's share is made from its report alone (in the
worker that scored it) — its section, with the two things only the whole batch knows
left as slots, and the figures the page's summary adds up — and the page is written
piece by piece from those shares (:func:`html_batch_chunks`), read back one at a time
from where the batch spooled them.  :func:`render_html_batch` is the same path with
the shares made on the spot: there is one way to make the page.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from wzeval.core._i18n import _
from wzeval.core._issues import Issue
from wzeval.model._report import Ranked, ScoreReport, display
from wzeval.output._html import (
    FailedFiles,
    _department,
    _normalize_failed,
    _table,
    _table_pieces,
    points_lost,
)
from wzeval.output._htmlpage import Bar as _Bar
from wzeval.output._htmlpage import bar_chart_pieces as _bar_chart_pieces
from wzeval.output._htmlpage import escape as _e
from wzeval.output._htmlpage import page_frame as _page_frame
from wzeval.output._render import rank, ranking_note

__all__ = [
    "LostFigure",
    "SectionFacts",
    "batch_facts",
    "batch_section",
    "fill_section",
    "html_batch_chunks",
    "render_html_batch",
]

_R = TypeVar("_R", bound=Ranked)


def _anchors(ranked: Sequence[tuple[int, Ranked]]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for _place, r in ranked:
        base = f"dept-{r.department_id or 'x'}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


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


def _ranking_rows(
    ranked: Sequence[tuple[int, Ranked]], anchors: Sequence[str]
) -> Iterator[list[str]]:
    """The ranking's rows: place, department (a link to its sheet, with its note),
    figures; made as they are written."""
    for (place, r), anchor in zip(ranked, anchors, strict=True):
        p = r.places
        name = f'<a href="#{_e(anchor)}">{_e(r.department)}</a>'
        note = ranking_note(r)
        if note:
            name += f'<span class="warn tag">{_e(note)}</span>'
        yield [
            _e(str(place)),
            name,
            _e(display(r.base, p)),
            _e(display(r.bonus, p)),
            _e(display(r.penalty, p)),
            f"<strong>{_e(display(r.total, p))}</strong>",
        ]


def _ranking_pieces(ranked: Sequence[tuple[int, Ranked]], anchors: Sequence[str]) -> Iterator[str]:
    """The ranking table and the chart of the totals, a row and a bar at a time: both
    have a line a department, and made in one piece they were most of a large batch's
    memory at its end (docs/performance.md)."""
    head = (_("Rank"), _("Department"), _("Base (rescaled)"), _("Bonus"), _("Penalty"))
    yield from _table_pieces(
        (*head, _("Total")),
        _ranking_rows(ranked, anchors),
        num=(0, 2, 3, 4, 5),
        cls="mid",
        raw=True,
    )
    total = _("Total")  # the catalogue's extractor does not read inside f-strings
    yield f"<h3>{total}</h3>"
    if not ranked:
        return
    bars = (
        _Bar(
            f"{place}. {r.department}",
            r.total,
            Fraction(0),
            display(r.total, r.places),
            "#1d4ed8",
            anchor,
        )
        for (place, r), anchor in zip(ranked, anchors, strict=True)
    )
    scale = max([Fraction(100), *(r.total for _place, r in ranked)])
    yield from _bar_chart_pieces(_("Totals by department"), bars, len(ranked), scale, compact=True)


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
    ranking, most = _("Ranking"), _("Indicators where most points were lost")
    yield f'\n<section class="block" id="ranking"><h2>{ranking}</h2>'
    yield from _ranking_pieces(ranked, anchors)
    yield f"<h3>{most}</h3>{summary}</section>"
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
