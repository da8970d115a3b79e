"""``wzeval score``: its arguments, the progress counter, the issues and the result written.

Scoring a batch (worker processes, what is kept of each report, the collector's
settings) is :mod:`wzeval.output._batch`; each department once and the ranking written from
what was kept is :mod:`wzeval.analysis._ranking`; the renderers are :mod:`wzeval.output._renderers`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.cli._common import (
    Progress,
    Usage,
    check_output,
    emit,
    load_rulebook,
    write_issues,
    wrote,
)
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import EXIT_OK, failure_code
from wzeval.core._i18n import N_, _
from wzeval.output._batch import MAX_AUTO_JOBS, PARALLEL_MIN_FILES

if TYPE_CHECKING:
    from wzeval.core._issues import Issue
    from wzeval.model._models import Department, Rulebook
    from wzeval.model._report import RankingEntry, ScoreReport
    from wzeval.output._batch import BatchScores

EPILOG = N_("""\
examples:
  wzeval score dept.yaml                        the score sheet (bundled 2023 rulebook)
  wzeval score dept.yaml --format markdown -o dept.md
  wzeval score dept.yaml --format csv --bom -o dept.csv     CSV that Excel opens
  wzeval score findings/                        a ranking of every department
  wzeval score a.yaml b.yaml --format json      ranking/1 JSON with each full report
  wzeval score dept.yaml --partial              score what was assessed, list the rest

One file gives a score sheet; several files or a folder give a ranking (by total,
then department name).  A file that fails is reported on stderr and the rest are
still ranked; the exit code is then 1 (2 if a file could not be read).
""")


def _jobs_arg(value: str) -> str:
    if value == "auto" or (value.isdigit() and int(value) >= 1):
        return value
    raise argparse.ArgumentTypeError(
        _("expected a number >= 1 or 'auto', got {value!r}").format(value=value)
    )


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "score", _("a department's score sheet, or a ranking of several"), EPILOG)
    p.add_argument("findings", nargs="+", metavar="FINDINGS", help=_("findings files or folders"))
    rulebook_option(p)
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "csv", "html", "xlsx", "json-compact"),
        default="text",
        help=_(
            "html: one self-contained page; xlsx: a workbook (needs -o); json-compact: "
            "ranking/2, the rulebook's text once per batch"
        ),
    )
    output_options(p)
    p.add_argument(
        "--partial", action="store_true", help=_("score what was assessed and list what was not")
    )
    p.add_argument(
        "--bom", action="store_true", help=_("CSV: start with a UTF-8 byte-order mark (for Excel)")
    )
    p.add_argument(
        "-j",
        "--jobs",
        default="auto",
        metavar="N",
        type=_jobs_arg,
        help=_(
            "worker processes for a batch (default auto: one per "
            "core, up to {max_auto_jobs}, for {parallel_min_files} "
            "files or more); the output is the same"
        ).format(max_auto_jobs=MAX_AUTO_JOBS, parallel_min_files=PARALLEL_MIN_FILES),
    )
    p.add_argument(
        "--merge-duplicates",
        action="store_true",
        help=_("merge the files of a department found twice (as wzeval merge) instead of failing"),
    )
    p.add_argument(
        "--allow-duplicates",
        action="store_true",
        help=_(
            "rank every file on its own even when a department has "
            "several (variants of one department, load tests)"
        ),
    )
    p.set_defaults(handler=command)


def import_quietly(*modules: str) -> None:
    """Import ``modules`` with SIGINT/SIGTERM held back until they are loaded.

    An interruption in the middle of an import can leave an extension module half
    initialised (pydantic-core then fails with its own traceback instead of the clean
    exit); delivered afterwards, it takes the ordinary interrupted path.
    """
    import importlib
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        for name in modules:
            importlib.import_module(name)
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        for name in modules:
            importlib.import_module(name)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from wzeval.reading._folders import collect_files

    if args.format == "xlsx" and args.output is None:
        raise Usage(_("--format xlsx writes a workbook: give -o PATH.xlsx"))
    check_output(args.output, args.force)
    # Listed first, so an -o naming an input is refused before any costly work.
    files, problems = collect_files(args.findings, empty_is_error=True)
    inputs: list[str | Path] = [path for path, _named in files]
    if args.rulebook is not None:
        inputs.append(args.rulebook)
    check_output(args.output, args.force, [*inputs, *args.findings])
    import_quietly(
        "wzeval.scoring._api",
        "wzeval.output._render",
        "wzeval.output._html",
        "wzeval.output._files",
        "wzeval.output._renderers",
        "wzeval.scoring._roster",
        "wzeval.output._batch",
        "wzeval.analysis._ranking",
    )
    from wzeval.output._batch import KEEP_BRIEF, BatchScores, batch_memory

    rulebook = load_rulebook(args.rulebook, err)
    batch = len(args.findings) > 1 or any(Path(p).is_dir() for p in args.findings)
    failed: dict[str, list[Issue]] = {i.where: [i] for i in problems}
    write_issues(problems, err)
    keep = KEEP_BRIEF.get(args.format, "report") if batch else "report"
    with batch_memory(), tempfile.TemporaryFile() as spool:
        scores = BatchScores(keep, spool, failed)
        _score_files(args, rulebook, [path for path, _named in files], scores, err)
        if keep != "report":
            return _write_ranking(args, rulebook, scores, out, err)
        return _write_report(args, rulebook, files[0][0] if files else None, scores, out, err)


def _score_files(
    args: argparse.Namespace,
    rulebook: Rulebook,
    paths: list[Path],
    scores: BatchScores,
    err: TextIO,
) -> None:
    """Score ``paths`` into ``scores``, each file's issues printed as it is scored."""
    from wzeval.output._batch import scored

    progress = Progress(err, len(paths), _("scoring"))
    progress.step(0)
    stream = scored(
        paths,
        rulebook,
        partial=args.partial,
        keep=scores.keep,
        jobs=args.jobs,
        source=args.rulebook,
    )
    for n, (path, (kept, issues)) in enumerate(zip(paths, stream, strict=True), 1):
        progress.step(n)
        if issues:
            progress.clear()
            write_issues(issues, err)
        scores.add(path, kept, issues)
    progress.clear()


def _each_once(
    args: argparse.Namespace, rulebook: Rulebook, scores: BatchScores, err: TextIO
) -> tuple[list[RankingEntry], list[Department]]:
    """A batch's entries with each department once (its issues printed; a merged
    department scored and kept as the batch keeps the others), and the roster's units
    that have no findings."""
    from wzeval.analysis._ranking import deduplicated
    from wzeval.output._batch import roster_missing

    def kept(report: ScoreReport) -> RankingEntry:
        return scores.entry(report, rulebook)

    ranked, answer = deduplicated(
        list(scores.entries),
        rulebook,
        kept=kept,
        merge=args.merge_duplicates,
        allow=args.allow_duplicates,
        partial=args.partial,
    )
    write_issues(answer.issues, err)
    scores.failed.update(answer.failed)
    return ranked, roster_missing(rulebook, ranked, answer.claimed)


def _write_ranking(
    args: argparse.Namespace, rulebook: Rulebook, scores: BatchScores, out: TextIO, err: TextIO
) -> int:
    """A batch's ranking from its entries (text, Markdown, CSV, JSON, HTML, the workbook)."""
    from wzeval.analysis._ranking import render_kept, write_kept_xlsx

    entries, missing = _each_once(args, rulebook, scores, err)
    code = max((failure_code(i) for i in scores.failed.values()), default=EXIT_OK)
    if args.format == "xlsx":
        if entries:  # nothing scored: no workbook (the failures are on stderr)
            write_kept_xlsx(args.output, scores, entries, missing, force=args.force)
            wrote(args.output, err)
        return code
    emit(
        render_kept(args.format, scores, entries, missing, bom=args.bom, rulebook=rulebook),
        args.output,
        args.force,
        out,
        err,
    )
    return code


def _write_report(
    args: argparse.Namespace,
    rulebook: Rulebook,
    first: Path | None,
    scores: BatchScores,
    out: TextIO,
    err: TextIO,
) -> int:
    """One file's score sheet, or its workbook (a batch keeps only what its ranking
    reads: :data:`~wzeval.output._batch.KEEP_BRIEF`)."""
    from wzeval.output._renderers import render_report

    reports = scores.reports
    code = max((failure_code(i) for i in scores.failed.values()), default=EXIT_OK)
    if args.format in ("xlsx", "html"):  # read by people: missing facts by their questions
        from wzeval.output._questions import fact_questions, with_questions

        questions = fact_questions(rulebook)
        reports = [with_questions(r, questions) for r in reports]
    if not reports:
        return code
    if args.format == "xlsx":
        from wzeval.output._xlsx import write_xlsx

        write_xlsx(reports, args.output, force=args.force)
        wrote(args.output, err)
        return code
    text = render_report(reports[0], args.format, bom=args.bom, rulebook=rulebook)
    if args.format == "html" and first is not None:
        from wzeval.analysis._merge import html_with_file_provenance

        text = html_with_file_provenance(text, first)
    emit(text, args.output, args.force, out, err)
    return code
