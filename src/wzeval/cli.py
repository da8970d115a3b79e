"""The ``wzeval`` command line: a thin shell over the library.

::

    wzeval validate PATH…               check rulebooks and findings (folders recursively)
    wzeval score FINDINGS…              one department's score sheet, or a ranking of many
    wzeval explain FINDINGS INDICATOR   why one indicator earned what it earned
    wzeval template --department NAME   a findings skeleton to fill in
    wzeval schema rulebook|findings|report   JSON Schemas (draft 2020-12)
    wzeval diff OLD NEW                 what changed between rulebooks, how scores move
    wzeval lint RULEBOOK…               soundness checks with stable WL codes
    wzeval test RULEBOOK_TESTS…         a rulebook's own test cases, with coverage
    wzeval verify RULEBOOK              property checks on generated findings

Exit codes, the same for every command (:data:`EXIT_CODES`; the rule is
:func:`wzeval.exitcodes.exit_code`):

- 0 fine (warnings allowed, unless ``--strict``);
- 1 the content has issues: an invalid rulebook or findings (a YAML syntax error
  included), a lint error, a failing rule test, a batch file that failed;
- 2 usage error or unreadable input: bad arguments, a missing, unreadable, non-UTF-8
  or oversized file, not a regular file, an empty folder, an unknown department or
  indicator named on the command line, or an output file that exists (without
  ``--force``; nothing is written);
- 3 internal error: a bug in wzeval.  One line, no traceback (``WZEVAL_TRACEBACK=1``
  prints it).

Issue codes the CLI adds (registered in :mod:`wzeval.codes`): WZ910 a file named on
the command line is not a rulebook, findings or rule tests, WZ911 findings could not be
checked because their rulebook did not load, WZ912 a folder holds no
``.yaml``/``.yml``/``.json`` file (an error for ``score``, a warning for ``validate``).

``main()`` is ``sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))``; tests call
:func:`run` with :class:`io.StringIO`.  Heavy modules (pydantic models, ruamel,
rendering) are imported inside the command functions, so parsing arguments and
``--help`` cost nothing beyond the package import itself.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeVar

from wzeval import __version__
from wzeval.exitcodes import (
    EXIT_CODES,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_ISSUES,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    UNREADABLE_CODES,
    error_exit_code,
    exit_code,
    failure_code,
)
from wzeval.i18n import LANGUAGES, N_, _, ngettext, speaking

if TYPE_CHECKING:
    from wzeval.issues import Issue
    from wzeval.loader import Document
    from wzeval.models import Department, Indicator, Rulebook
    from wzeval.report import Ranked, RankingEntry, ScoreReport

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_ISSUES",
    "EXIT_OK",
    "EXIT_USAGE",
    "UNREADABLE_CODES",
    "build_parser",
    "exit_code",
    "main",
    "run",
]

#: A batch of at least this many files shows a progress counter (on a terminal).
PROGRESS_MIN_FILES = 10
#: ``score --jobs auto`` uses worker processes for a batch of at least this many files:
#: fewer are scored faster in one process, since the workers start and every report
#: travels back to this process (measured on 2 cores, generated 2023 findings: 40
#: files 0.57 s in one process and 0.61 s with two; 64 files even; 100 files 1.20 s
#: and 0.95 s).
PARALLEL_MIN_FILES = 100
#: ... and at most this many workers.
MAX_AUTO_JOBS = 4
#: The cyclic collector's generation-0 threshold while a batch is scored (Python's
#: default is 700): scoring a file allocates many objects and few garbage cycles, and
#: with 10,000 a file took 0.91-0.93x the CPU time in two runs of
#: ``benchmarks/bench_cheap.py`` (docs/performance.md).  Restored when the batch ends.
BATCH_GC_THRESHOLD = 10_000


class _Usage(Exception):
    """A usage error found after parsing (unknown indicator, conflicting options)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so it unwinds like Ctrl-C: every
    ``finally`` runs and no temporary file is left."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _redeliver_interrupts(unraisable: Any) -> None:
    """``sys.unraisablehook``: an interruption raised where Python cannot propagate it
    (a weakref callback of the import lock, a ``__del__``) would print "Exception
    ignored … KeyboardInterrupt" and be lost; send the signal again instead, so it
    lands at the next line of the command and takes the ordinary interrupted path."""
    import os
    import signal
    import threading

    exc = unraisable.exc_value
    if isinstance(exc, KeyboardInterrupt):
        # not from here: a handler run inside this hook would be lost the same way
        sig = signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT
        later = threading.Timer(0.01, os.kill, (os.getpid(), sig))
        later.daemon = True
        later.start()
        return
    sys.__unraisablehook__(unraisable)


class _Exit(Exception):
    """Stop the command with an exit code; whatever needed saying has been said."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- small helpers


def _in_file_order(issues: Iterable[Issue]) -> list[Issue]:
    from wzeval.issues import in_file_order  # imported on use: --help stays cheap

    return in_file_order(issues)


def _write_issues(issues: Iterable[Issue], stream: TextIO) -> None:
    for issue in issues:
        stream.write(issue.format() + "\n")


class _Progress:
    """A ``\\r`` counter on stderr, only on a terminal and only for a batch worth waiting for."""

    def __init__(self, stream: TextIO, total: int, label: str) -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self.shown = False
        self.on = total >= PROGRESS_MIN_FILES and stream.isatty()

    def step(self, n: int) -> None:
        if self.on:
            self.stream.write(f"\r{self.label} {n}/{self.total}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.on and self.shown:
            width = len(self.label) * 2 + 2 * len(str(self.total)) + 3
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False


def _files(
    paths: Sequence[str], *, empty_is_error: bool
) -> tuple[list[tuple[Path, bool]], list[Issue]]:
    """Expand folders (recursively); each file comes with whether it was named explicitly.

    A file met twice is kept once.  An empty folder is an issue (WZ912): an error
    where files are needed (``score``), a warning where it only means nothing to check.
    """
    from wzeval.issues import Issue, Position, Severity
    from wzeval.loader import iter_files

    out: dict[Path, tuple[Path, bool]] = {}
    issues: list[Issue] = []
    for raw in paths:
        if Path(raw).is_dir():
            outside: list[Path] = []
            found = list(iter_files([raw], outside=outside))
            for link in outside:
                issues.append(
                    Issue(
                        "WZ113",
                        _(
                            "{link} links outside the folder {raw} and the working "
                            "directory; not read"
                        ).format(link=link, raw=raw),
                        position=Position(str(link)),
                        severity=Severity.WARNING,
                        hint=_("name the file itself to read it, or copy it into the folder"),
                    )
                )
            if not found:
                issues.append(
                    Issue(
                        "WZ912",
                        _("no .yaml, .yml or .json file in this folder"),
                        position=Position(raw),
                        severity=Severity.ERROR if empty_is_error else Severity.WARNING,
                        hint=_("check the path"),
                    )
                )
            for f in found:
                out.setdefault(f.resolve(), (f, False))
        else:
            p = Path(raw)
            out.setdefault(p.resolve(), (p, True))
    return list(out.values()), issues


def _load_rulebook(path: str | None, err: TextIO) -> Rulebook:
    """The rulebook to score against (the bundled one by default); its issues go to stderr
    and stop the command when it cannot be used."""
    from wzeval.api import bundled_rulebook_path, read_rulebook

    rb, issues = read_rulebook(path)
    if rb is None:
        _write_issues(issues, err)
        if path is None and not bundled_rulebook_path().exists():
            err.write(
                "wzeval: error: "
                + _("the bundled rulebook is missing; pass --rulebook PATH")
                + "\n"
            )
        raise _Exit(failure_code(issues))
    return rb


def _score_document(
    doc: Document, rulebook: Rulebook, partial: bool, explained: bool = True
) -> tuple[ScoreReport | None, list[Issue]]:
    """:func:`wzeval.api.score_document`: every issue placed, in file order
    (``explained=False``: only the figures will be read, docs/performance.md)."""
    from wzeval.api import score_document

    return score_document(doc, rulebook, partial=partial, explained=explained)


def _load(path: Path) -> Document:
    """Load a document of any supported format (:func:`wzeval.documents.read_document`)."""
    from wzeval.documents import read_document

    return read_document(path)


def _score_file(
    path: Path, rulebook: Rulebook, partial: bool, explained: bool = True
) -> tuple[ScoreReport | None, list[Issue]]:
    """:func:`_score_document` for a file."""
    return _score_document(_load(path), rulebook, partial, explained)


# A worker process's rulebook: inherited from the parent where processes fork, else loaded
# once by _init_worker.
_WORKER: dict[str, object] = {}


def _init_worker(rulebook_path: str | None, partial: bool, keep: str) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it and ends the
    # workers with SIGTERM, which for them just ends the process (no traceback).  The
    # signals were held back while the pool forked; they are let through from here on.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if "rulebook" not in _WORKER:
        from wzeval.api import load_rulebook

        _WORKER["rulebook"] = load_rulebook(rulebook_path)
    _WORKER["partial"] = partial
    _WORKER["keep"] = keep
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])


@dataclass(frozen=True)
class _Brief:
    """What a batch keeps of a report it renders as a ranking (``text``, ``markdown``,
    ``csv``, ``json``): its :class:`RankingEntry`, and for ``json`` the report's JSON
    as the ranking nests it.  Workers send this back, not the report: pickling a
    report cost 4 ms, its JSON text 0.1 ms, and keeping every report made a batch's
    memory grow by 0.5-1.7 MB a file (docs/performance.md)."""

    entry: RankingEntry
    json: str | None


_R = TypeVar("_R", bound="Ranked")
#: What a batch keeps of each report: "report" (HTML, the workbook, one file), "entry"
#: (text, Markdown, CSV rankings), "json" (the entry and the report's JSON).
_KEEP_BRIEF = {"text": "entry", "markdown": "entry", "csv": "entry", "json": "json"}


def _brief(report: ScoreReport, keep: str) -> ScoreReport | _Brief:
    """What a batch keeping ``keep`` keeps of ``report``."""
    if keep == "report":
        return report
    import json

    from wzeval.report import RankingEntry

    text = None
    if keep == "json":  # as render.ranking_data nests it, before indenting
        text = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return _Brief(RankingEntry.of(report), text)


def _score_kept(
    path: Path, rulebook: Rulebook, partial: bool, keep: str
) -> tuple[ScoreReport | _Brief | None, list[Issue]]:
    """:func:`_score_file`, keeping what ``keep`` says of the report."""
    # a ranking's entry reads the figures alone: the explanation is never built
    report, issues = _score_file(path, rulebook, partial, keep != "entry")
    return (None if report is None else _brief(report, keep)), issues


def _score_in_worker(path: Path) -> tuple[ScoreReport | _Brief | None, list[Issue]]:
    from wzeval.models import Rulebook

    rulebook = _WORKER["rulebook"]
    assert isinstance(rulebook, Rulebook)
    return _score_kept(path, rulebook, bool(_WORKER["partial"]), str(_WORKER["keep"]))


def _jobs(value: str, files: int) -> int:
    """How many worker processes: ``auto`` is one per core (at most MAX_AUTO_JOBS) for a
    batch of PARALLEL_MIN_FILES files or more, else 1."""
    if value == "auto":
        if files < PARALLEL_MIN_FILES:
            return 1
        return max(1, min(os.cpu_count() or 1, MAX_AUTO_JOBS))
    return max(1, min(int(value), files or 1))


def _scored(
    files: list[tuple[Path, bool]], rulebook: Rulebook, args: argparse.Namespace, keep: str
) -> Iterable[tuple[ScoreReport | _Brief | None, list[Issue]]]:
    """Each file's report (or what ``keep`` keeps of it: :func:`_brief`) and issues, in
    the order of ``files``; with ``--jobs`` above 1 they are scored by worker processes
    (the output is the same, byte for byte)."""
    jobs = _jobs(args.jobs, len(files))
    paths = [path for path, _ in files]
    if jobs <= 1:
        for path in paths:
            yield _score_kept(path, rulebook, args.partial, keep)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    if ctx.get_start_method() == "fork":
        _WORKER["rulebook"] = rulebook  # the workers inherit it
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    blocking = hasattr(signal, "pthread_sigmask")
    try:
        if blocking:  # the pool's threads and workers start with the signals held
            signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            pool = ctx.Pool(
                jobs, initializer=_init_worker, initargs=(args.rulebook, args.partial, keep)
            )
        finally:
            if blocking:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        with pool:
            chunk = max(1, min(16, len(paths) // (jobs * 4)))
            yield from pool.imap(_score_in_worker, paths, chunksize=chunk)
    finally:
        _WORKER.clear()


def _emit(
    text: str | Iterator[str], output: str | None, force: bool, out: TextIO, err: TextIO
) -> None:
    """Write a command's result (text, or pieces of it written one after the other) to
    ``output`` (atomically, not over a file without ``force``) or to stdout."""
    if output is None:
        for piece in [text] if isinstance(text, str) else text:
            out.write(piece)
        return
    from wzeval.output import write_atomic

    write_atomic(output, text, force=force)
    err.write("wzeval: " + _("wrote {path}").format(path=output) + "\n")


def _with_rulebook(inputs: Iterable[str | Path], rulebook: str | None) -> list[str | Path]:
    """A command's inputs with the rulebook it reads, when one was named."""
    return [*inputs, *([rulebook] if rulebook is not None else [])]


def _check_output(output: str | None, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an existing output before any work is done (the write checks again), and,
    even with ``force``, an output that is one of ``inputs`` or not a regular file."""
    if output is not None:
        from wzeval.output import check_not_input, check_writable

        check_writable(output, force=force)
        check_not_input(output, inputs)


# --------------------------------------------------------------------------- validate


@dataclass
class _Checked:
    """One input of ``validate`` and its issues (in file order).  ``counted`` is off for
    entries that are not files (an empty folder)."""

    file: str
    kind: str | None
    issues: list[Issue] = field(default_factory=list)
    counted: bool = True

    def __post_init__(self) -> None:
        self.issues = _in_file_order(self.issues)


def _kind(data: object) -> str | None:
    """The document's kind by content (:func:`wzeval.documents.document_kind`)."""
    from wzeval.documents import document_kind

    return document_kind(data)


def _ruletest_issues(path: Path) -> list[Issue]:
    """What is wrong with a rule-test document as a document: its shape, its rulebook,
    the findings of its cases.  Whether the cases' expectations hold is
    ``wzeval test``'s question, not ``validate``'s."""
    from wzeval.ruletest import run_tests

    run = run_tests(path)
    return [*run.issues, *(i for case in run.cases for i in case.issues)]


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.api import bundled_rulebook_path, read_rulebook, rulebook_from_document
    from wzeval.issues import Issue, Position

    files, problems = _files(args.paths, empty_is_error=False)
    results = [_Checked(str(i.where), None, [i], counted=False) for i in problems]
    docs: list[tuple[Path, bool, Document]] = [(f, x, _load(f)) for f, x in files]

    by_path: dict[Path, tuple[Rulebook | None, list[Issue]]] = {}
    by_id: dict[str, Rulebook] = {}
    for f, _named, doc in docs:
        if _kind(doc.data) == "rulebook":
            rb, issues = rulebook_from_document(doc)
            by_path[f.resolve()] = (rb, issues)
            if rb is not None:
                by_id.setdefault(rb.id, rb)

    default_path = Path(args.rulebook) if args.rulebook else bundled_rulebook_path()

    def default_rulebook() -> Rulebook | None:
        key = default_path.resolve()
        if key not in by_path:
            by_path[key] = read_rulebook(default_path)
            if by_path[key][0] is None:  # say why once, as a file of its own
                results.append(_Checked(str(default_path), "rulebook", by_path[key][1]))
        return by_path[key][0]

    skipped: list[str] = []
    for f, explicit, doc in docs:
        kind = _kind(doc.data)
        if doc.data is None:
            issues = list(doc.issues)
            if not any(i.severity == "error" for i in issues):  # empty or only comments
                issues.append(
                    Issue(
                        "WZ115",
                        _("the document is empty: not a rulebook, findings or rule tests"),
                        position=Position(str(f), 1, 1),
                        hint=_(
                            "start a rulebook with 'wzeval: rulebook/1', findings "
                            "with 'wzeval: findings/1', rule tests with 'wzeval: "
                            "ruletests/1'"
                        ),
                    )
                )
            results.append(_Checked(str(f), None, issues))
        elif kind == "rulebook":
            results.append(_Checked(str(f), kind, by_path[f.resolve()][1]))
        elif kind == "findings":
            rid = doc.data.get("rulebook")
            rb = by_id.get(rid) if isinstance(rid, str) else None
            rb = rb or default_rulebook()
            if rb is None:
                issue = Issue(
                    "WZ911",
                    _(
                        "cannot check these findings: the rulebook {default_path} did not load"
                    ).format(default_path=default_path),
                    position=Position(str(f)),
                    hint=_("fix the rulebook, or pass --rulebook PATH"),
                )
                results.append(_Checked(str(f), kind, [*doc.issues, issue]))
                continue
            _report, issues = _score_document(doc, rb, args.partial, explained=False)
            results.append(_Checked(str(f), kind, issues))
        elif kind == "ruletests":
            results.append(_Checked(str(f), kind, _ruletest_issues(f)))
        elif kind == "appeal":
            rb = default_rulebook()
            if rb is not None:
                from wzeval.appeals import read_appeals

                results.append(_Checked(str(f), kind, read_appeals([f], rb)[1]))
        elif explicit:
            issue = Issue(
                "WZ910",
                _("not a wzeval document: not a rulebook, findings or rule tests"),
                position=doc.position(()),
                hint=_(
                    "start a rulebook with 'wzeval: rulebook/1', findings "
                    "with 'wzeval: findings/1', rule tests with 'wzeval: "
                    "ruletests/1'"
                ),
            )
            results.append(_Checked(str(f), None, [*doc.issues, issue]))
        else:
            skipped.append(str(f))

    every = [i for r in results for i in r.issues]
    code = exit_code(every, fail_on="warning" if args.strict else "error")
    errors = sum(1 for i in every if i.severity == "error")
    warnings = sum(1 for i in every if i.severity == "warning")
    if args.format == "json":
        from wzeval.loader import dumps_json

        data = {
            "wzeval": "validation/1",
            "valid": code == EXIT_OK,
            "errors": errors,
            "warnings": warnings,
            "files": [
                {
                    "file": r.file,
                    "kind": r.kind,
                    "valid": not any(i.severity == "error" for i in r.issues),
                    "issues": [i.to_dict() for i in r.issues],
                }
                for r in results
            ],
            "skipped": skipped,
        }
        out.write(dumps_json(data))
    elif args.format == "github":
        from wzeval.issues import github_annotation

        for issue in every:
            out.write(github_annotation(issue) + "\n")
    else:
        _write_issues(every, out)
        counted = sum(r.counted for r in results)
        summary = _("{files}, {errors}, {warnings}").format(
            files=ngettext("{n} file", "{n} files", counted).format(n=counted),
            errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        )
        if skipped:
            summary += _(" ({n} skipped: not wzeval documents)").format(n=len(skipped))
        out.write(summary + "\n")
    return code


# --------------------------------------------------------------------------- score


def _import_quietly(*modules: str) -> None:
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


def _cmd_score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.format == "xlsx" and args.output is None:
        raise _Usage(_("--format xlsx writes a workbook: give -o PATH.xlsx"))
    _check_output(args.output, args.force)
    # Listed first, so an -o naming an input is refused before any costly work.
    files, problems = _files(args.findings, empty_is_error=True)
    inputs: list[str | Path] = [path for path, _ in files]
    if args.rulebook is not None:
        inputs.append(args.rulebook)
    _check_output(args.output, args.force, [*inputs, *args.findings])
    _import_quietly(
        "wzeval.api",
        "wzeval.render",
        "wzeval.html",
        "wzeval.output",
        "wzeval.renderers",
        "wzeval.roster",
    )
    rulebook = _load_rulebook(args.rulebook, err)
    batch = len(args.findings) > 1 or any(Path(p).is_dir() for p in args.findings)
    failed: dict[str, list[Issue]] = {i.where: [i] for i in problems}
    _write_issues(problems, err)
    # A program that froze objects itself (run() called in-process) keeps its freeze:
    # then the reports are not frozen either, since unfreezing would undo its own.
    freeze = gc.get_freeze_count() == 0
    try:
        return _score_batch(args, rulebook, files, batch, failed, freeze, out, err)
    finally:
        if freeze:
            gc.unfreeze()


def _score_batch(
    args: argparse.Namespace,
    rulebook: Rulebook,
    files: list[tuple[Path, bool]],
    batch: bool,
    failed: dict[str, list[Issue]],
    freeze: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """Score ``files`` and render the reports (``_cmd_score`` after its checks)."""
    import tempfile

    keep = _KEEP_BRIEF.get(args.format, "report") if batch else "report"
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], BATCH_GC_THRESHOLD), *threshold[1:])
    try:
        with tempfile.TemporaryFile() as spool:
            return _score_kept_batch(
                args, rulebook, files, batch, failed, freeze, keep, spool, out, err
            )
    finally:
        gc.set_threshold(*threshold)


def _score_kept_batch(
    args: argparse.Namespace,
    rulebook: Rulebook,
    files: list[tuple[Path, bool]],
    batch: bool,
    failed: dict[str, list[Issue]],
    freeze: bool,
    keep: str,
    spool: IO[bytes],
    out: TextIO,
    err: TextIO,
) -> int:
    """:func:`_score_batch` keeping ``keep`` of each report: the reports themselves, or
    their ranking entries (and for JSON their text, in ``spool``)."""
    reports: list[ScoreReport] = []
    entries: list[RankingEntry] = []
    # each entry's report JSON in the spool: (offset, length in bytes), by id(entry)
    spooled: dict[int, tuple[int, int]] = {}

    def entry_of(brief: _Brief) -> RankingEntry:
        if brief.json is not None:
            data = brief.json.encode("utf-8")
            spooled[id(brief.entry)] = (spool.tell(), len(data))
            spool.write(data)
        return brief.entry

    progress = _Progress(err, len(files), _("scoring"))
    progress.step(0)
    for n, ((path, _named), (report, issues)) in enumerate(
        zip(files, _scored(files, rulebook, args, keep), strict=True), 1
    ):
        progress.step(n)
        if issues:
            progress.clear()
            _write_issues(issues, err)
        if report is None:
            failed[str(path)] = issues
            continue
        if isinstance(report, _Brief):
            # Not frozen: an entry is a few objects, and freezing would also keep any
            # garbage cycle of the scoring out of the collector's reach until the end
            # (a 500-file batch then grew by 20 KB a file; tests/test_batch_memory.py).
            entries.append(entry_of(report))
            continue
        reports.append(report)
        # The kept reports are kept until the batch is rendered, and hold no garbage
        # cycles; left in the collector's generations, every collection passed over
        # all of them again (600 files: 7.4 s, 4.2 s with this; see
        # docs/performance.md).  _cmd_score unfreezes them when it is done.
        if freeze:
            gc.freeze()
    progress.clear()

    def brief(report: ScoreReport) -> RankingEntry:
        kept = _brief(report, keep)
        assert isinstance(kept, _Brief)
        return entry_of(kept)

    if keep != "report":
        if batch:
            entries = _checked_against_roster(args, rulebook, entries, failed, err, brief)
        return _render_entries(args, rulebook, entries, failed, spool, spooled, out, err)
    if batch:
        reports = _checked_against_roster(args, rulebook, reports, failed, err, lambda r: r)
    code = max((failure_code(i) for i in failed.values()), default=EXIT_OK)

    from wzeval.renderers import render_ranking, render_report

    missing = _roster_missing(rulebook, reports, args) if batch else []
    if args.format == "xlsx":
        from wzeval.xlsx import write_xlsx

        if reports:
            write_xlsx(reports, args.output, force=args.force, unassessed=[d.name for d in missing])
            err.write("wzeval: " + _("wrote {path}").format(path=args.output) + "\n")
        return code
    if batch:
        text = render_ranking(reports, args.format, failed=failed, unassessed=missing, bom=args.bom)
    elif not reports:
        return code
    else:
        text = render_report(reports[0], args.format, bom=args.bom)
        if args.format == "html":
            text = _html_provenance(text, files[0][0])
    _emit(text, args.output, args.force, out, err)
    return code


def _render_entries(
    args: argparse.Namespace,
    rulebook: Rulebook,
    entries: list[RankingEntry],
    failed: dict[str, list[Issue]],
    spool: IO[bytes],
    spooled: dict[int, tuple[int, int]],
    out: TextIO,
    err: TextIO,
) -> int:
    """A batch's ranking from its entries: what :func:`wzeval.renderers.render_ranking`
    writes from the reports, byte for byte (tests/test_cli_jobs.py), the reports' JSON
    read back from ``spool`` one at a time."""
    from wzeval import render
    from wzeval.roster import with_unassessed

    code = max((failure_code(i) for i in failed.values()), default=EXIT_OK)
    missing = _roster_missing(rulebook, entries, args)
    if args.format == "json":

        def report_json(entry: RankingEntry) -> str:
            at, size = spooled[id(entry)]
            spool.seek(at)
            return spool.read(size).decode("utf-8")

        chunks = render.ranking_json_chunks(entries, report_json, failed, missing)
        _emit(chunks, args.output, args.force, out, err)
        return code
    if args.format == "text":
        text = render.render_ranking_text(entries, failed)
    elif args.format == "markdown":
        text = render.render_ranking_markdown(entries, failed)
    else:
        text = render.render_ranking_csv(entries, bom=args.bom)
    _emit(with_unassessed(text, args.format, missing), args.output, args.force, out, err)
    return code


def _checked_against_roster(
    args: argparse.Namespace,
    rulebook: Rulebook,
    reports: list[_R],
    failed: dict[str, list[Issue]],
    err: TextIO,
    kept: Callable[[ScoreReport], _R],
) -> list[_R]:
    """A batch's reports with each department once: a department scored from several
    files is an error (WZ420, the files go to ``failed``), or with ``--merge-duplicates``
    the files are merged (:mod:`wzeval.merge`) and the merged findings scored (``kept``
    turns the merged report into what the batch keeps); with ``--allow-duplicates``
    every file is ranked on its own, as asked."""
    from wzeval.loader import load_document
    from wzeval.merge import merge_findings
    from wzeval.roster import duplicate_issue, duplicates

    groups = duplicates(reports)
    if not groups or args.allow_duplicates:
        return reports
    args.duplicate_departments = list(groups)
    dropped = {id(r) for group in groups.values() for r in group}
    kept_reports = [r for r in reports if id(r) not in dropped]
    for group in groups.values():
        files = [r.findings_file or "" for r in group]
        if not args.merge_duplicates:
            issue = duplicate_issue(group)
            _write_issues([issue], err)
            failed["、".join(files)] = [issue]
            continue
        merged = merge_findings(files, rulebook)
        _write_issues(merged.issues, err)
        if merged.text is None:
            failed["、".join(files)] = merged.issues or [duplicate_issue(group)]
            continue
        name = "+".join(files)
        report, issues = _score_document(
            load_document(text=merged.text, name=name), rulebook, args.partial
        )
        _write_issues(issues, err)
        if report is None:
            failed[name] = issues
        else:
            kept_reports.append(kept(report))
    return kept_reports


def _roster_missing(
    rulebook: Rulebook, reports: Sequence[Ranked], args: argparse.Namespace
) -> list[Department]:
    """The roster units with no findings (a unit whose files failed as duplicates has
    findings: it is listed among the failures, not here)."""
    from wzeval.roster import unassessed

    claimed = set(getattr(args, "duplicate_departments", ()))
    return [d for d in unassessed(rulebook, reports) if d.id not in claimed]


# --------------------------------------------------------------------------- merge


def _cmd_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Merge evaluators' partial findings of one department (see :mod:`wzeval.merge`)."""
    from wzeval.merge import merge_findings

    _check_output(args.output, args.force, args.findings)
    rulebook = _load_rulebook(args.rulebook, err)
    result = merge_findings(args.findings, rulebook, prefer=args.prefer or ())
    _write_issues(result.issues, err)
    if result.text is None:
        return failure_code(result.issues)
    _emit(result.text, args.output, args.force, out, err)
    return exit_code(result.issues)


# --------------------------------------------------------------------------- appeal


def _cmd_appeal(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Apply decided appeals: preliminary vs final points, and the revised findings."""
    from wzeval import appeals

    _check_output(args.output, args.force, args.appeals)
    if args.revised is not None:
        _check_output(args.revised, args.force, args.appeals)
    rulebook = _load_rulebook(args.rulebook, err)
    read, issues = appeals.read_appeals(args.appeals, rulebook)
    _write_issues(issues, err)
    code = exit_code(issues)
    if code or not read:
        return code or EXIT_ISSUES
    if args.revised is not None:
        if len({str(Path(r.findings.file).resolve()) for r in read}) != 1:
            raise _Usage(_("--revised needs appeals against one findings file"))
        # the revision never goes over the preliminary findings, even with --force
        _check_output(args.revised, args.force, [read[0].findings.file])
    outcomes = [appeals.appeal_report(r, rulebook, partial=args.partial) for r in read]
    renderers = {
        "text": appeals.render_appeal_text,
        "markdown": appeals.render_appeal_markdown,
        "json": appeals.render_appeal_json,
    }
    if args.revised is not None:
        from wzeval.output import write_atomic

        decided = [a for r in read for a in r.model.appeals]
        data, comments = appeals.apply_appeals(read[0].findings.data, decided, rulebook)
        write_atomic(args.revised, appeals.revised_text(data, comments), force=args.force)
        err.write("wzeval: " + _("wrote {path}").format(path=args.revised) + "\n")
    _emit(renderers[args.format](outcomes), args.output, args.force, out, err)
    return EXIT_OK


# --------------------------------------------------------------------------- compare


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare rounds of findings (see :mod:`wzeval.compare`)."""
    from wzeval import compare

    if len(args.rounds) < 2:
        raise _Usage(_("compare needs two or more rounds"), _("wzeval compare OLD/ NEW/"))
    listed = [f for f, _ in _files(args.rounds, empty_is_error=False)[0]]  # the rounds' files
    _check_output(args.output, args.force, _with_rulebook([*args.rounds, *listed], args.rulebook))
    rulebook = _load_rulebook(args.rulebook, err)
    rounds = []
    issues: list[Issue] = []
    for raw in args.rounds:
        if not Path(raw).exists():
            raise _Usage(_("{raw}: no such file or folder").format(raw=raw))
        rnd, found = compare.read_round([raw], rulebook, partial=args.partial)
        rounds.append(rnd)
        issues.extend(found)
    _write_issues(issues, err)
    code = exit_code(issues)
    if code:
        return code
    renderers = {
        "text": compare.render_compare_text,
        "markdown": compare.render_compare_markdown,
        "json": compare.render_compare_json,
        "html": compare.render_compare_html,
    }
    _emit(renderers[args.format](compare.compare_rounds(rounds)), args.output, args.force, out, err)
    return EXIT_OK


# --------------------------------------------------------------------------- explain


def _find_indicator(rulebook: Rulebook, ident: str) -> Indicator:
    from wzeval.issues import did_you_mean

    try:
        return rulebook.indicator(ident.strip())
    except KeyError:
        names = [i.id for i in rulebook.indicators] + [i.name for i in rulebook.indicators]
        raise _Usage(
            _("unknown indicator {ident!r}").format(ident=ident),
            did_you_mean(ident, names) or _("give an indicator id or its exact Chinese name"),
        ) from None


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval import render

    rulebook = _load_rulebook(args.rulebook, err)
    indicator = _find_indicator(rulebook, args.indicator)
    from wzeval.explain import explain_document

    report, issues = explain_document(
        _load(Path(args.findings)), rulebook, indicator.id, partial=args.partial
    )
    _write_issues(issues, err)
    if report is None:
        return failure_code(issues)
    if args.format == "json":
        out.write(report.indicator(indicator.id).model_dump_json(indent=2) + "\n")
        return EXIT_OK
    asks = {f.id: f.ask for f in indicator.facts}
    asks.update({d.id: d.description for d in indicator.derived if d.description})
    out.write(render.render_explain(report, indicator.id, asks=asks))
    out.write(_merged_provenance(Path(args.findings), indicator))
    return EXIT_OK


def _html_provenance(page: str, path: Path) -> str:
    """A single report's HTML page with, for a merged findings file, each fact's source."""
    from wzeval.merge import html_with_provenance

    if path.suffix.lower() not in (".yaml", ".yml"):
        return page
    try:
        return html_with_provenance(page, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return page


def _merged_provenance(path: Path, indicator: Indicator) -> str:
    """For a merged findings file, where each fact of ``indicator`` came from."""
    from wzeval.merge import explain_provenance

    if path.suffix.lower() not in (".yaml", ".yml"):
        return ""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return explain_provenance(text, [indicator.id, indicator.name])


# --------------------------------------------------------------------------- template


def _schema_ref(rulebook: Rulebook, rulebook_arg: str | None, output: str | None) -> str:
    """Where the template's modeline points: ``schemas/findings.schema.json`` for the
    bundled rulebook (``findings.<id>.schema.json`` for another), relative to the output."""
    from wzeval.api import bundled_rulebook_path
    from wzeval.schema import SCHEMA_FILES

    bundled = rulebook_arg is None or (
        Path(rulebook_arg).resolve() == bundled_rulebook_path().resolve()
    )
    name = SCHEMA_FILES["findings"] if bundled else f"findings.{rulebook.id}.schema.json"
    target = Path.cwd() / "schemas" / name
    base = Path(output).resolve().parent if output else Path.cwd()
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return target.as_uri()


def _cmd_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.errors import ValidationFailed
    from wzeval.template import findings_template

    if args.format == "xlsx" and args.output is None:
        raise _Usage(_("--format xlsx writes a workbook: give -o PATH.xlsx"))
    _check_output(args.output, args.force, _with_rulebook((), args.rulebook))
    rulebook = _load_rulebook(args.rulebook, err)
    if args.format == "xlsx":
        from wzeval.xlsx import write_findings_template_xlsx

        try:
            write_findings_template_xlsx(rulebook, args.department, args.output, force=args.force)
        except ValidationFailed as exc:  # an unknown department, named on the command line
            first = exc.issues[0]
            raise _Usage(first.message, first.hint) from None
        err.write("wzeval: " + _("wrote {path}").format(path=args.output) + "\n")
        return EXIT_OK
    ref = args.schema or _schema_ref(rulebook, args.rulebook, args.output)
    try:
        text = findings_template(rulebook, args.department, schema_ref=ref)
    except ValidationFailed as exc:  # an unknown department, named on the command line
        first = exc.issues[0]
        raise _Usage(first.message, first.hint) from None
    _emit(text, args.output, args.force, out, err)
    return EXIT_OK


# --------------------------------------------------------------------------- schema


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval import schema

    if args.write is not None:
        if args.kind or args.output:
            raise _Usage(_("--write writes all the schemas; give neither KIND nor -o with it"))
        rulebook = _load_rulebook(args.rulebook, err)
        for path in schema.write_schemas(args.write, rulebook):
            err.write("wzeval: " + _("wrote {path}").format(path=path) + "\n")
        return EXIT_OK
    if args.kind is None:
        raise _Usage(
            _("say which schema: rulebook, findings, report or appeal (or --write FOLDER)")
        )
    _check_output(args.output, args.force, _with_rulebook((), args.rulebook))
    if args.kind == "rulebook":
        data = schema.rulebook_schema()
    elif args.kind == "report":
        data = schema.report_schema()
    elif args.kind == "appeal":
        data = schema.appeal_schema()
    else:
        data = schema.findings_schema(_load_rulebook(args.rulebook, err))
    _emit(schema.schema_text(data), args.output, args.force, out, err)
    return EXIT_OK


# --------------------------------------------------------------------------- table


def _cmd_table(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.tabledoc import render_rulebook_markdown

    _check_output(args.output, args.force, _with_rulebook((), args.rulebook_path))
    rulebook = _load_rulebook(args.rulebook_path, err)
    _emit(render_rulebook_markdown(rulebook), args.output, args.force, out, err)
    return EXIT_OK


# --------------------------------------------------------------------------- diff


def _cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.diff import diff_files

    _check_output(args.output, args.force)
    files, problems = _files(args.findings or [], empty_is_error=True)
    # -o naming an input of the run (a rulebook, a findings file) is refused, --force or not
    _check_output(args.output, args.force, [args.old, args.new, *(f for f, _ in files)])
    text, moved, issues = diff_files(
        args.old, args.new, findings=[f for f, _ in files], fmt=args.format
    )
    issues = [*problems, *issues]
    _write_issues(_in_file_order(issues), err)
    if text is None:
        return failure_code(issues)
    _emit(text, args.output, args.force, out, err)
    return EXIT_ISSUES if args.fail_on_score_change and moved else EXIT_OK


# --------------------------------------------------------------------------- lint, test, verify


def _cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval import lint

    files, problems = _files(args.rulebooks, empty_is_error=True)
    paths = [f for f, _ in files]
    if args.config:
        config = lint.load_lint_config(args.config)
    else:
        config = lint.find_lint_config(paths[0] if paths else Path.cwd())
    issues: list[Issue] = list(problems)
    for path in paths:
        issues.extend(_in_file_order(lint.lint_file(path, config=config)))
    if args.format == "json":
        out.write(lint.format_json(issues))
    elif args.format == "github":
        out.write(lint.format_github(issues))
    elif args.format == "sarif":
        from wzeval.loader import dumps_json

        out.write(dumps_json(lint.to_sarif(issues)))
    else:
        out.write(lint.format_text(issues))
    return exit_code(issues, fail_on="warning" if args.strict else "error")


def _cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.ruletest import format_test_run, run_tests

    code = EXIT_OK
    results = []
    for path in args.tests:
        test_run = run_tests(path, rulebook=args.rulebook)
        results.append(test_run)
        if args.format == "text":
            out.write(format_test_run(test_run, verbose=args.verbose))
        if test_run.readable:
            code = max(code, test_run.exit_code(args.min_coverage))
        else:  # the one rule: a test file with a YAML syntax error is content (1)
            code = max(code, failure_code(test_run.issues))
    if args.format == "json":
        from wzeval.loader import dumps_json

        out.write(dumps_json([r.to_dict() for r in results]))
    return code


def _cmd_verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.api import read_rulebook

    rulebook, issues = read_rulebook(args.rulebook_path)
    if rulebook is None:
        _write_issues(_in_file_order(issues), err)
        return failure_code(issues)
    from wzeval.verify import format_verify_result, verify  # HypothesisUnavailable: exit 2

    try:
        result = verify(
            rulebook,
            max_examples=args.max_examples,
            seed=args.seed,
            properties=args.property,
        )
    except ValueError as exc:  # an unknown --property
        raise _Usage(str(exc)) from None
    if args.format == "json":
        from wzeval.loader import dumps_json

        out.write(dumps_json(result.to_dict()))
    else:
        out.write(format_verify_result(result))
    return result.exit_code


# --------------------------------------------------------------------------- the parser


def _exit_codes_epilog() -> str:
    return _("exit codes:") + "\n" + "\n".join(f"  {k}  {_(v)}" for k, v in EXIT_CODES.items())


_VALIDATE_EPILOG = N_("""\
examples:
  wzeval validate rulebooks/2023.yaml
  wzeval validate findings/                     every .yaml/.yml/.json below, recursively
  wzeval validate rulebooks/ findings/ --strict
  wzeval validate --format github findings/     GitHub Actions annotations
  wzeval validate --rulebook my.yaml dept.yaml

Rulebooks, findings and rule tests are told apart by content ('wzeval: rulebook/1',
'wzeval: findings/1', 'wzeval: ruletests/1').  Findings are checked against the
rulebook file given on the command line whose id they name, else against --rulebook,
else the bundled one.  A rule-test document is checked as a document (its shape, its
rulebook, the findings of its cases); whether its expectations hold is 'wzeval test'.
Files found in folders that are none of these are skipped; a file named explicitly
must be one.
""")

_SCORE_EPILOG = N_("""\
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

_MERGE_EPILOG = N_("""\
Each fact keeps the file and assessors it came from (a comment in the merged
file).  The same fact with different values is a conflict (WZ422): it names both
places and values, and nothing is written unless --prefer says whose value wins.

examples:
  wzeval merge 张晓燕/生态环境局.yaml 李文博/生态环境局.yaml -o 生态环境局.yaml
  wzeval merge a.yaml b.yaml --prefer b.yaml -o merged.yaml
""")

_APPEAL_EPILOG = N_("""\
An appeal document names a findings file (relative to itself), the department and
the contested facts with the value claimed; a decided appeal has decision: {result:
upheld|rejected, reviewer, date, reason}.  Upheld values replace the evaluator's in
the revised findings; the findings file itself is never changed.

examples:
  wzeval appeal 申诉/住建局.yaml
  wzeval appeal 申诉/住建局.yaml --revised 终评/住建局.yaml --format markdown
""")

_COMPARE_EPILOG = N_("""\
Each ROUND is a folder (or a file) of findings, one per department.  Between
consecutive rounds: per department and indicator, the change in points and the
recorded facts whose values differ.  Three or more rounds add a trend table.

examples:
  wzeval compare 2023Q3/ 2023Q4/
  wzeval compare 初评/ 终评/ --format html -o 比较.html
  wzeval compare Q1/ Q2/ Q3/ --format markdown
""")

_EXPLAIN_EPILOG = N_("""\
examples:
  wzeval explain dept.yaml 在线咨询
  wzeval explain dept.yaml online_consult --format json
  wzeval explain dept.yaml 政策解读 --partial
""")

_TEMPLATE_EPILOG = N_("""\
examples:
  wzeval template --department 市教育局 -o findings/edu.yaml
  wzeval template --department edu --rulebook my.yaml --schema ../my.findings.schema.json

Every blank is a placeholder that validation rejects until it is filled.  The first
line points editors (yaml-language-server) at the findings schema: for a rulebook
other than the bundled one, make it with
  wzeval schema findings --rulebook my.yaml -o schemas/findings.<id>.schema.json
""")

_DIFF_EPILOG = N_("""\
examples:
  wzeval diff rulebooks/2023.yaml rulebooks/examples/2024-draft.yaml
  wzeval diff OLD NEW --format markdown -o diff.md      a pull-request comment
  wzeval diff OLD NEW --findings examples/findings/     how each department's total moves
  wzeval diff OLD NEW --fail-on-score-change            exit 1 if scores can move

Each change is marked as one that can move scores (weights, shares, credits,
conditions, caps) or not (wording, sources, rulings).
""")

_LINT_EPILOG = N_("""\
examples:
  wzeval lint rulebooks/2023.yaml
  wzeval lint rulebooks/ --format github        annotations on a pull request
  wzeval lint rulebooks/ --format sarif > lint.sarif
  wzeval lint rulebooks/2024.yaml --strict      warnings fail too

Codes (WL001…) are documented in docs/lint-codes.md.  Severities are configured in
pyproject.toml under [tool.wzeval.lint] (keys: disable, severity).
""")

_TEST_EPILOG = N_("""\
examples:
  wzeval test rulebooks/2023.tests.yaml
  wzeval test rulebooks/2023.tests.yaml --min-coverage 100
  wzeval test rulebooks/2024.tests.yaml --rulebook rulebooks/2024.yaml --verbose

A rule-test document lists findings and the points they must earn; failures show
expected vs actual with the indicator's trace; coverage lists every item, tier,
level, band, veto and deduction no case exercised (docs/rule-tests.md).
""")

_VERIFY_EPILOG = N_("""\
examples:
  wzeval verify rulebooks/2023.yaml
  wzeval verify rulebooks/2024.yaml --max-examples 1000 --seed 7

Checks bounds of every indicator and of the total, vetoes giving 0, and the
monotonicity of each rule kind on generated findings.  A failure prints the smallest
findings document that breaks the property, ready to save as a rule-test case.
Needs Hypothesis (pip install 'wzeval[verify]').
""")

_SCHEMA_EPILOG = N_("""\
examples:
  wzeval schema rulebook > rulebook.schema.json
  wzeval schema findings --rulebook my.yaml -o schemas/findings.my.schema.json
  wzeval schema --write schemas/                all of them, for the bundled rulebook
""")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout, with its own words ("usage:") in the chosen language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _in_language(p: argparse.ArgumentParser) -> None:
    """The section titles and the help of -h/--version that argparse writes itself."""
    p._positionals.title = _("positional arguments")
    p._optionals.title = _("options")
    for action in p._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("show this help message and exit")
        elif isinstance(action, argparse._VersionAction):
            action.help = _("show program's version number and exit")


def _lang_option(p: argparse.ArgumentParser) -> None:
    """``--lang`` on the program and on every command (read before parsing too, by
    :func:`_lang_of`, so that ``--help`` is in that language)."""
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of messages and reports: zh (default) or en; else $WZEVAL_LANG"),
    )


def _lang_of(argv: Sequence[str]) -> str | None:
    """The language ``--lang`` names in ``argv`` (the last one), if a valid one."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            lang = value
    return lang


_TABLE_EPILOG = N_("""\
examples:
  wzeval table                                   the bundled 2023 rulebook, to stdout
  wzeval table rulebooks/2023.yaml -o docs/rulebook-2023.md --force
""")


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    epilog: str,
) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=_(epilog) + "\n" + _exit_codes_epilog(),
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    _lang_option(p)
    _in_language(p)
    return p


def _rulebook_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rulebook",
        metavar="PATH",
        help=_("the rulebook (default: the bundled 2023 rulebook)"),
    )


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="PATH", help=_("write here instead of stdout"))
    p.add_argument(
        "--force",
        action="store_true",
        help=_(
            "replace PATH if it is an old report (never an input of "
            "the run, a folder or a device: WZ913/WZ914)"
        ),
    )


def _jobs_arg(value: str) -> str:
    if value == "auto" or (value.isdigit() and int(value) >= 1):
        return value
    raise argparse.ArgumentTypeError(
        _("expected a number >= 1 or 'auto', got {value!r}").format(value=value)
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (also what ``--help`` shows)."""
    parser = argparse.ArgumentParser(
        prog="wzeval",
        description=_(
            "Score government-website findings against a YAML rulebook, exactly and explainably."
        ),
        epilog=_exit_codes_epilog()
        + "\n\n"
        + _("Run 'wzeval COMMAND --help' for a command's options and examples."),
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"wzeval {__version__}")
    _lang_option(parser)
    _in_language(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _command(
        sub,
        "validate",
        _("check rulebooks and findings; every issue as file:line:col"),
        _VALIDATE_EPILOG,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("files or folders"))
    _rulebook_option(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text")
    p.add_argument("--strict", action="store_true", help=_("warnings fail too (exit 1)"))
    p.add_argument(
        "--partial", action="store_true", help=_("accept findings that leave indicators unassessed")
    )
    p.set_defaults(handler=_cmd_validate)

    p = _command(
        sub, "score", _("a department's score sheet, or a ranking of several"), _SCORE_EPILOG
    )
    p.add_argument("findings", nargs="+", metavar="FINDINGS", help=_("findings files or folders"))
    _rulebook_option(p)
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "csv", "html", "xlsx"),
        default="text",
        help=_("html: one self-contained page; xlsx: a workbook (needs -o)"),
    )
    _output_options(p)
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
    p.set_defaults(handler=_cmd_score)

    p = _command(
        sub, "merge", _("join evaluators' partial findings of one department"), _MERGE_EPILOG
    )
    p.add_argument("findings", nargs="+", metavar="FINDINGS", help=_("findings files to merge"))
    _rulebook_option(p)
    _output_options(p)
    p.add_argument(
        "--prefer",
        nargs="+",
        metavar="FILE",
        help=_("on a conflict take the value of these files (the first listed first)"),
    )
    p.set_defaults(handler=_cmd_merge)

    p = _command(
        sub, "appeal", _("apply decided appeals: preliminary and final points"), _APPEAL_EPILOG
    )
    p.add_argument("appeals", nargs="+", metavar="APPEAL", help=_("appeal documents (appeal/1)"))
    _rulebook_option(p)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    _output_options(p)
    p.add_argument(
        "--revised", metavar="PATH", help=_("also write the revised findings here (a new file)")
    )
    p.add_argument(
        "--partial", action="store_true", help=_("findings may leave indicators unassessed")
    )
    p.set_defaults(handler=_cmd_appeal)

    p = _command(
        sub, "compare", _("rounds of findings compared: what moved and why"), _COMPARE_EPILOG
    )
    p.add_argument(
        "rounds", nargs="+", metavar="ROUND", help=_("two or more rounds: folders or files")
    )
    _rulebook_option(p)
    p.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    _output_options(p)
    p.add_argument(
        "--partial", action="store_true", help=_("findings may leave indicators unassessed")
    )
    p.set_defaults(handler=_cmd_compare)

    p = _command(
        sub, "explain", _("why one indicator earned what it earned, rule by rule"), _EXPLAIN_EPILOG
    )
    p.add_argument("findings", metavar="FINDINGS", help=_("a findings file"))
    p.add_argument("indicator", metavar="INDICATOR", help=_("an indicator id or Chinese name"))
    _rulebook_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--partial",
        action="store_true",
        help=_("explain it even if not fully recorded (as not assessed)"),
    )
    p.set_defaults(handler=_cmd_explain)

    p = _command(
        sub, "template", _("a findings skeleton for one department, to fill in"), _TEMPLATE_EPILOG
    )
    p.add_argument(
        "--department", required=True, metavar="NAME", help=_("the department (name, alias or id)")
    )
    _rulebook_option(p)
    _output_options(p)
    p.add_argument(
        "--format",
        choices=("yaml", "xlsx"),
        default="yaml",
        help=_("xlsx: a findings workbook with typed cells (needs -o)"),
    )
    p.add_argument(
        "--schema",
        metavar="REF",
        help=_(
            "what the modeline points to (default: "
            "schemas/findings.schema.json, relative to the output)"
        ),
    )
    p.set_defaults(handler=_cmd_template)

    p = _command(
        sub,
        "schema",
        _("JSON Schemas (draft 2020-12) of rulebooks, findings, reports, appeals"),
        _SCHEMA_EPILOG,
    )
    p.add_argument("kind", nargs="?", choices=("rulebook", "findings", "report", "appeal"))
    _rulebook_option(p)
    _output_options(p)
    p.add_argument(
        "--write",
        metavar="FOLDER",
        help=_("write rulebook, findings and report schemas into FOLDER"),
    )
    p.set_defaults(handler=_cmd_schema)

    p = _command(
        sub,
        "table",
        _("a rulebook's whole table as one Markdown page, to read beside its source"),
        _TABLE_EPILOG,
    )
    p.add_argument(
        "rulebook_path",
        metavar="RULEBOOK",
        nargs="?",
        help=_("a rulebook file (default: the bundled 2023 rulebook)"),
    )
    _output_options(p)
    p.set_defaults(handler=_cmd_table)

    p = _command(
        sub, "diff", _("what changed between two rulebooks, and how scores move"), _DIFF_EPILOG
    )
    p.add_argument("old", metavar="OLD", help=_("the old rulebook"))
    p.add_argument("new", metavar="NEW", help=_("the new rulebook"))
    p.add_argument(
        "--findings", nargs="+", metavar="PATH", help=_("findings files or folders to re-score")
    )
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    _output_options(p)
    p.add_argument(
        "--fail-on-score-change",
        action="store_true",
        help=_("exit 1 when a change can move scores"),
    )
    p.set_defaults(handler=_cmd_diff)

    p = _command(
        sub, "lint", _("soundness checks of rulebooks, with stable WL codes"), _LINT_EPILOG
    )
    p.add_argument("rulebooks", nargs="+", metavar="RULEBOOK", help=_("rulebook files or folders"))
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    p.add_argument("--strict", action="store_true", help=_("warnings fail too (exit 1)"))
    p.add_argument(
        "--config", metavar="PYPROJECT", help=_("read [tool.wzeval.lint] from this pyproject.toml")
    )
    p.set_defaults(handler=_cmd_lint)

    p = _command(
        sub, "test", _("run a rulebook's own test cases and report coverage"), _TEST_EPILOG
    )
    p.add_argument("tests", nargs="+", metavar="RULEBOOK_TESTS", help=_("rule-test documents"))
    p.add_argument(
        "--rulebook", metavar="PATH", help=_("test this rulebook instead of the one named")
    )
    p.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="N",
        help=_("fail (exit 1) below N%% coverage"),
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--verbose", action="store_true", help=_("show passing cases too"))
    p.set_defaults(handler=_cmd_test)

    p = _command(
        sub, "verify", _("property checks of any rulebook on generated findings"), _VERIFY_EPILOG
    )
    p.add_argument("rulebook_path", metavar="RULEBOOK", help=_("a rulebook file"))
    p.add_argument("--max-examples", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--property", nargs="+", metavar="NAME", help=_("check only these properties"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_cmd_verify)
    return parser


# --------------------------------------------------------------------------- entry points


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run one wzeval command and return its exit code (see :data:`EXIT_CODES`).

    Never raises and never prints a traceback for bad input: problems are printed to
    ``stderr`` as issues or one ``wzeval: error: …`` line.  ``--lang`` chooses the
    language for the run only; without it the language in force stays (else
    ``WZEVAL_LANG``, else Chinese).
    """
    with speaking(_lang_of(argv)):
        return _run(argv, stdout, stderr)


def _run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build_parser()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse: --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    from wzeval.errors import MissingDependency, OutputRefused, ValidationFailed, WzevalError

    try:
        code: int = args.handler(args, stdout, stderr)
        return code
    except _Exit as exc:
        return exc.code
    except _Usage as exc:
        hint = _(" (hint: {hint})").format(hint=exc.hint) if exc.hint else ""
        stderr.write(f"wzeval: error: {exc.message}{hint}\n")
        return EXIT_USAGE
    except ValidationFailed as exc:
        _write_issues(exc.issues, stderr)
        return failure_code(exc.issues)
    except WzevalError as exc:
        hint = _(" (hint: {hint})").format(hint=_(exc.hint)) if exc.hint else ""
        coded = isinstance(exc, OutputRefused | MissingDependency)
        code_ = f"{exc.code} " if coded else ""
        stderr.write(f"wzeval: error: {code_}{_one_line(exc)}{hint}\n")
        return error_exit_code(exc)
    except BrokenPipeError:  # the reader went away (wzeval … | head): nothing to say
        return EXIT_ISSUES
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        stderr.write(
            "wzeval: error: "
            + _("cannot access{where}: {reason}").format(where=where, reason=exc.strerror or exc)
            + "\n"
        )
        return EXIT_USAGE
    except _Terminated:
        stderr.write("wzeval: " + _("terminated (SIGTERM); nothing half-written was left") + "\n")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        stderr.write("wzeval: " + _("interrupted; nothing half-written was left") + "\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line, not with a traceback
        if os.environ.get("WZEVAL_TRACEBACK"):
            traceback.print_exc(file=stderr)
        stderr.write(
            "wzeval: "
            + _(
                "internal error: {type}: {error} — this is a bug in wzeval, please "
                "report it with the command you ran (WZEVAL_TRACEBACK=1 shows the traceback)"
            ).format(type=type(exc).__name__, error=_one_line(exc))
            + "\n"
        )
        return EXIT_INTERNAL


def main() -> None:
    """The command line (``wzeval.__main__.main`` calls it once it has handled the
    signals that could arrive while this module was imported)."""
    import signal

    try:
        # From here a signal unwinds as KeyboardInterrupt into the handler below; until
        # here wzeval.__main__'s early handlers ended the process at once.
        signal.signal(signal.SIGTERM, _on_sigterm)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = _redeliver_interrupts
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:  # a console that cannot show a character must not crash
                reconfigure(errors="backslashreplace")
        try:
            code = run(sys.argv[1:], sys.stdout, sys.stderr)
        finally:  # a signal after the command's end must not interrupt the exit
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.stdout.flush()
    except KeyboardInterrupt as exc:  # arrived before run() could catch it
        code = EXIT_TERMINATED if isinstance(exc, _Terminated) else EXIT_INTERRUPTED
        sys.stderr.write(
            "wzeval: " + _("interrupted before the command started; nothing was written") + "\n"
        )
    except BrokenPipeError:
        # Python's recipe: point stdout at devnull so the interpreter's final flush is quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_ISSUES
    if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        # Everything was cleaned up on the way out; the interpreter's own teardown
        # (atexit, a signal left pending) must not turn the exit into a kill.
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
