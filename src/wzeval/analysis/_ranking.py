"""A batch's ranking: each department once, and the ranking written from what the batch kept.

:mod:`wzeval.output._batch` scores the files and keeps of each report what the ranking needs;
this module does what comes after, above scoring because it merges findings
(:mod:`wzeval.analysis._merge`) and renders (:mod:`wzeval.output._render`):

- :func:`deduplicated`: a department scored from several files is an error (WZ420,
  the files fail), or with ``merge`` the files are merged and the merged findings
  scored; with ``allow`` every file is ranked on its own.
- :func:`render_kept`: the ranking from the batch's entries, byte for byte what
  :func:`wzeval.output._renderers.render_ranking` writes from the reports
  (tests/cli/test_cli_jobs.py), JSON streamed piece by piece from the spool.

The command line prints what these return; nothing here writes to a stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from wzeval.core._i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from wzeval.core._issues import Issue
    from wzeval.model._models import Department, Rulebook
    from wzeval.model._report import Ranked, RankingEntry, ScoreReport
    from wzeval.output._batch import BatchScores

__all__ = ["Deduplicated", "deduplicated", "render_kept", "write_kept_xlsx"]

_R = TypeVar("_R", bound="Ranked")


@dataclass
class Deduplicated:
    """:func:`deduplicated`'s answer besides what to rank: the departments whose files were
    duplicates (they have findings, so they are not 未评估), the issues to show in the
    order met, and the files that failed (keyed as the ranking lists them)."""

    claimed: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    failed: dict[str, list[Issue]] = field(default_factory=dict)


def deduplicated(
    reports: list[_R],
    rulebook: Rulebook,
    *,
    kept: Callable[[ScoreReport], _R],
    merge: bool = False,
    allow: bool = False,
    partial: bool = False,
) -> tuple[list[_R], Deduplicated]:
    """A batch's reports (or entries) with each department once.  ``kept`` turns a
    merged department's report into what the batch keeps.  Gives the list to rank
    and the rest of the answer (:class:`Deduplicated`)."""
    from wzeval.analysis._merge import merge_findings
    from wzeval.reading._loader import load_document
    from wzeval.scoring._api import score_document
    from wzeval.scoring._roster import duplicate_issue, duplicates

    groups = duplicates(reports)
    answer = Deduplicated()
    if not groups or allow:
        return reports, answer
    answer.claimed = list(groups)
    dropped = {id(r) for group in groups.values() for r in group}
    ranked = [r for r in reports if id(r) not in dropped]
    for group in groups.values():
        files = [r.findings_file or "" for r in group]
        if not merge:
            issue = duplicate_issue(group)
            answer.issues.append(issue)
            answer.failed[_(", ").join(files)] = [issue]
            continue
        merged = merge_findings(files, rulebook)
        answer.issues.extend(merged.issues)
        if merged.text is None:
            answer.failed[_(", ").join(files)] = merged.issues or [duplicate_issue(group)]
            continue
        name = "+".join(files)
        doc = load_document(text=merged.text, name=name)
        report, issues = score_document(doc, rulebook, partial=partial, explained=True)
        answer.issues.extend(issues)
        if report is None:
            answer.failed[name] = issues
        else:
            ranked.append(kept(report))
    return ranked, answer


def render_kept(
    fmt: str,
    scores: BatchScores,
    entries: list[RankingEntry],
    missing: list[Department],
    *,
    bom: bool = False,
    rulebook: Rulebook | None = None,
) -> str | Iterator[str]:
    """The ranking in ``fmt`` (``text``, ``markdown``, ``csv``, ``json``, ``json-compact``,
    which needs the ``rulebook`` the batch was scored with, ``html``) from a batch's
    ``entries``, with the failures of ``scores`` and the roster's ``missing`` units; JSON
    and HTML as pieces of text, each report's part read back from the spool one at a
    time."""
    import wzeval.output._render as render
    from wzeval.scoring._roster import unassessed_html, with_unassessed

    if fmt == "html":
        from wzeval.output._htmlbatch import html_batch_chunks

        return html_batch_chunks(
            entries,
            scores.html_section,
            scores.html_facts,
            scores.failed,
            unassessed=unassessed_html(missing),
        )

    if fmt == "json":
        return render.ranking_json_chunks(entries, scores.report_json, scores.failed, missing)
    if fmt == "json-compact":
        from wzeval.output._compact import compact_chunks

        assert rulebook is not None, "json-compact needs the rulebook"
        return compact_chunks(rulebook, entries, scores.report_json, scores.failed, missing)
    if fmt == "text":
        text = render.render_ranking_text(entries, scores.failed)
    elif fmt == "markdown":
        text = render.render_ranking_markdown(entries, scores.failed)
    else:
        text = render.render_ranking_csv(entries, bom=bom)
    return with_unassessed(text, fmt, missing)


def write_kept_xlsx(
    path: str | Path,
    scores: BatchScores,
    entries: list[RankingEntry],
    missing: list[Department],
    *,
    force: bool = False,
) -> None:
    """The score workbook of a batch's ``entries`` written to ``path`` (atomically; not
    over a file without ``force``), each department's sheets read back from the spool
    one at a time in ranking order, the roster's ``missing`` units as 未评估 rows:
    what :func:`wzeval.output._xlsx.write_xlsx` writes from the reports."""
    from wzeval.output._render import rank
    from wzeval.output._xlsx import workbook_date, write_score_workbook_file

    when = workbook_date(entries)
    sheets = (scores.xlsx_sheets(e) for _place, e in rank(entries))
    names = [d.name for d in missing]
    write_score_workbook_file(path, entries, sheets, when=when, unassessed=names, force=force)
