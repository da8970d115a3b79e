"""Which renderer makes which format: one department's score sheet, a ranking of many,
and the score workbook — the choice ``wzeval score --format`` makes, as library calls.

A platform builder gets from ``wzeval`` what the command writes, byte for byte::

    report = wzeval.score("dept.yaml")
    page = wzeval.render_report(report, "html")                # one department
    table = wzeval.render_ranking(reports, "csv", rulebook=rb)  # many, with 未评估 units
    book = wzeval.render_xlsx(reports, rulebook=rb)             # .xlsx bytes
    for place, r in wzeval.rank(reports): ...

Formats: ``text``, ``markdown``, ``json``, ``csv``, ``html``, ``json-compact`` (all
text); the workbook is :func:`render_xlsx` (bytes).  ``json-compact`` is the
``ranking/2`` document of :mod:`wzeval.output._compact` — the rulebook's part once, each
department's part alone, a fifth of ``json``'s size — and needs ``rulebook=``.
Every output is deterministic: the same reports give the same text.  Nothing here
reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from wzeval.core._i18n import _
from wzeval.output._render import rank

if TYPE_CHECKING:
    from wzeval.core._issues import Issue
    from wzeval.model._models import Department, Rulebook
    from wzeval.model._report import ScoreReport

__all__ = ["FORMATS", "Format", "rank", "render_ranking", "render_report", "render_xlsx"]

Format = Literal["text", "markdown", "json", "csv", "html", "json-compact"]
#: The text formats of :func:`render_report` and :func:`render_ranking`.
FORMATS: tuple[Format, ...] = ("text", "markdown", "json", "csv", "html", "json-compact")

Failed = Mapping[str, Sequence["Issue"]]


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(
            _("unknown format {format!r}; one of {formats}").format(
                format=fmt, formats=", ".join(FORMATS)
            )
        )


def _compact_rulebook(rulebook: Rulebook | None) -> Rulebook:
    """The rulebook ``json-compact`` writes once: a department's part is its difference
    from that rulebook's part, so the rulebook is needed (reports name theirs only)."""
    if rulebook is None:
        raise ValueError(_("format 'json-compact' needs the reports' rulebook: pass rulebook="))
    return rulebook


def render_report(
    report: ScoreReport,
    fmt: Format = "text",
    *,
    bom: bool = False,
    rulebook: Rulebook | None = None,
) -> str:
    """One department's score sheet in ``fmt`` (``bom``: a UTF-8 byte-order mark before
    CSV, for Excel; ``json-compact``: the ``ranking/2`` document of this one department,
    for which ``rulebook`` must be the report's).  With ``rulebook``, the formats people
    read name each missing fact by its question, not its id (JSON keeps ids).  Raises
    :class:`ValueError` for an unknown format."""
    _check(fmt)
    import wzeval.output._render as render

    if rulebook is not None and fmt in _READ:
        report = _readable(report, rulebook)

    if fmt == "json-compact":
        from wzeval.output._compact import render_compact

        return render_compact([report], _compact_rulebook(rulebook))

    if fmt == "html":
        from wzeval.output._html import render_html

        return render_html(report)
    single: dict[str, Callable[[ScoreReport], str]] = {
        "text": render.render_text,
        "markdown": render.render_markdown,
        "json": render.render_json,
        "csv": lambda r: render.render_csv(r, bom=bom),
    }
    return single[fmt](report)


#: The formats a person reads: missing facts are named by their questions there.
_READ = ("text", "markdown", "csv", "html")


def _readable(report: ScoreReport, rulebook: Rulebook) -> ScoreReport:
    from wzeval.output._questions import fact_questions, with_questions

    return with_questions(report, fact_questions(rulebook))


def _missing(
    reports: Sequence[ScoreReport],
    rulebook: Rulebook | None,
    unassessed: Sequence[Department] | None,
) -> Sequence[Department]:
    if unassessed is not None:
        return unassessed
    if rulebook is None:
        return ()
    from wzeval.scoring._roster import unassessed as roster_unassessed

    return roster_unassessed(rulebook, reports)


def render_ranking(
    reports: Sequence[ScoreReport],
    fmt: Format = "text",
    *,
    failed: Failed | None = None,
    rulebook: Rulebook | None = None,
    unassessed: Sequence[Department] | None = None,
    bom: bool = False,
) -> str:
    """A ranking of ``reports`` in ``fmt`` (competition ranks, as :func:`rank`).

    ``failed`` maps the files that could not be scored to their issues (listed after
    the ranking; CSV has no place for them).  With ``rulebook``, the units of its
    roster (``departments:``) that no report covers are listed as 未评估, and the HTML
    names each missing fact by its question; pass
    ``unassessed`` to name them yourself.  ``json-compact`` needs ``rulebook`` (the one
    the reports were scored with).  Raises :class:`ValueError` for an unknown format.
    """
    _check(fmt)
    import wzeval.output._render as render
    from wzeval.scoring._roster import with_unassessed

    text: str
    if fmt == "json-compact":
        from wzeval.output._compact import render_compact

        book = _compact_rulebook(rulebook)
        return render_compact(reports, book, failed, _missing(reports, book, unassessed))
    if fmt == "html":
        from wzeval.output._htmlbatch import render_html_batch

        shown = [_readable(r, rulebook) for r in reports] if rulebook is not None else reports
        text = render_html_batch(shown, failed or {})
    elif fmt == "text":
        text = render.render_ranking_text(reports, failed)
    elif fmt == "markdown":
        text = render.render_ranking_markdown(reports, failed)
    elif fmt == "json":
        text = render.render_ranking_json(reports, failed)
    else:
        text = render.render_ranking_csv(reports, bom=bom)
    return with_unassessed(text, fmt, _missing(reports, rulebook, unassessed))


def render_xlsx(
    reports: Sequence[ScoreReport],
    *,
    rulebook: Rulebook | None = None,
    unassessed: Sequence[Department] | None = None,
) -> bytes:
    """The score workbook (排名 and one sheet per department) as ``.xlsx`` bytes, with
    the roster's unscored units as 未评估 rows (``rulebook`` / ``unassessed`` as for
    :func:`render_ranking`).  Raises :class:`~wzeval.core._errors.XlsxUnavailable` without
    openpyxl."""
    from wzeval.output._xlsx import xlsx_bytes

    missing = _missing(reports, rulebook, unassessed)
    shown = [_readable(r, rulebook) for r in reports] if rulebook is not None else reports
    return xlsx_bytes(shown, unassessed=[d.name for d in missing])
