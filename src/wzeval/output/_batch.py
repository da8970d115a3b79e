"""Many findings files scored against one rulebook: in order, in worker processes if asked,
keeping of each report only what the batch will render.

``wzeval score FOLDER`` is this module plus printing; a platform builder calls
:func:`score_folder` (or :func:`score_files`, one file at a time as they are scored)
and renders the reports with :func:`wzeval.render_ranking`.  What lives here, and
why it is library and not command line:

- **Worker processes** (``--jobs``, :func:`jobs_for`): a pool that forks where it can
  (the workers inherit the loaded rulebook) and loads it once per worker elsewhere.
  The output is the same, byte for byte, as in one process: results come back in
  the order of the files.  Workers ignore SIGINT and die quietly on SIGTERM; the
  parent alone handles Ctrl-C and ends them, so an interrupted batch prints one line,
  not a traceback per worker.  The signals are held back while the pool starts, so
  none arrives in a half-made worker.
- **What a batch keeps** (:data:`KEEP_BRIEF`, :class:`Brief`): a ranking in text,
  Markdown or CSV needs only each report's :class:`~wzeval.model._report.RankingEntry`; JSON
  needs the report's JSON text too, the HTML page the department's section (made in
  the worker: :func:`wzeval.output._htmlbatch.batch_section`) and the workbook its two
  sheets as data (:func:`wzeval.output._xlsx.department_sheets`), which
  :class:`BatchScores` spools to a file.  Keeping every report made a batch's memory
  grow by 0.5-1.7 MB a file.
- **The collector's settings** (:func:`batch_memory`): a higher generation-0
  threshold while the batch runs (docs/performance.md).  Nothing is frozen
  (``gc.freeze``): no format keeps the reports any more, and freezing what is kept
  would also keep the scoring's garbage cycles from the collector.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import multiprocessing.pool

    from wzeval.core._issues import Issue
    from wzeval.model._models import Department, Rulebook
    from wzeval.model._report import Ranked, RankingEntry, RulebookRef, ScoreReport
    from wzeval.output._htmlbatch import SectionFacts
    from wzeval.output._xlsx import DepartmentSheets

__all__ = [
    "BATCH_GC_THRESHOLD",
    "IN_FLIGHT",
    "KEEP_BRIEF",
    "MAX_AUTO_JOBS",
    "PARALLEL_MIN_FILES",
    "BatchResult",
    "BatchScores",
    "Brief",
    "Keep",
    "batch_memory",
    "jobs_for",
    "score_files",
    "score_folder",
    "scored",
]

#: ``jobs="auto"`` uses worker processes for a batch of at least this many files:
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
#: Messages a worker may have been given and not yet had taken back (:func:`scored`):
#: enough that none waits while the parent takes a result, few enough that results
#: do not pile up in the parent.
IN_FLIGHT = 2

#: What a batch keeps of each report: "report" (one file scored), "entry" (text,
#: Markdown, CSV rankings), "json" (the entry and the report's JSON), "compact" (the
#: entry and the department's ranking/2 part), "html" (the entry and the department's
#: share of the batch page), "xlsx" (the entry and the department's sheets).
Keep = Literal["report", "entry", "json", "compact", "html", "xlsx"]
#: What a batch in each format keeps (one file scored keeps its report, "report").
KEEP_BRIEF: dict[str, Keep] = {
    "text": "entry",
    "markdown": "entry",
    "csv": "entry",
    "json": "json",
    "json-compact": "compact",
    "html": "html",
    "xlsx": "xlsx",
}


@dataclass(frozen=True)
class Brief:
    """What a batch keeps of a report it renders as a ranking (``text``, ``markdown``,
    ``csv``, ``json``, ``json-compact``, ``html``, ``xlsx``): its :class:`RankingEntry`, for
    ``json`` the report's JSON as the ranking nests it (for ``json-compact`` its
    ranking/2 part), for ``html`` its section of the page and the figures the page's top
    adds up, for ``xlsx`` its two sheets as data.  Workers send this back, not the
    report: pickling a report cost 4 ms, its JSON text 0.1 ms (docs/performance.md)."""

    entry: RankingEntry
    json: str | None
    html: tuple[tuple[str, ...], SectionFacts] | None = None
    sheets: DepartmentSheets | None = None


#: What scoring one file gives: what was kept of its report (``None``: it failed), and
#: its issues in file order.
Scored = tuple["ScoreReport | Brief | None", list["Issue"]]


def brief(report: ScoreReport, keep: Keep, rulebook: Rulebook) -> ScoreReport | Brief:
    """What a batch keeping ``keep`` keeps of ``report``."""
    if keep == "report":
        return report
    from wzeval.model._report import RankingEntry

    if keep in ("html", "xlsx"):  # read by people: missing facts by their questions
        from wzeval.output._questions import fact_questions, with_questions

        shown = with_questions(report, fact_questions(rulebook))
        if keep == "xlsx":
            from wzeval.output._xlsx import department_sheets

            return Brief(RankingEntry.of(report), None, sheets=department_sheets(shown))
        from wzeval.output._htmlbatch import batch_facts, batch_section

        return Brief(RankingEntry.of(report), None, (batch_section(shown), batch_facts(shown)))
    text = None
    if keep == "json":  # as render.ranking_data nests it, before indenting
        # pydantic's JSON writer gives the bytes of json.dumps(report.model_dump(
        # mode="json"), ensure_ascii=False, indent=2) (tests/model/test_report.py) in a
        # fifth of the time: json.dumps falls back to its pure-Python encoder to indent
        text = report.model_dump_json(indent=2)
    if keep == "compact":
        from wzeval.output._compact import department_json

        text = department_json(report, rulebook)
    return Brief(RankingEntry.of(report), text)


def score_kept(path: Path, rulebook: Rulebook, partial: bool, keep: Keep) -> Scored:
    """One file scored (:func:`wzeval.scoring._api.score_document`: every issue placed, in file
    order), keeping what ``keep`` says of the report."""
    from wzeval.reading._documents import read_document
    from wzeval.scoring._api import score_document

    # a ranking's entry reads the figures alone: the explanation is never built
    doc = read_document(path)
    report, issues = score_document(doc, rulebook, partial=partial, explained=keep != "entry")
    return (None if report is None else brief(report, keep, rulebook)), issues


# A worker process's rulebook: inherited from the parent where processes fork, else loaded
# once by _init_worker.
_WORKER: dict[str, object] = {}


def _init_worker(source: str | Rulebook | None, partial: bool, keep: Keep) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it and ends the
    # workers with SIGTERM, which for them just ends the process (no traceback).  The
    # signals were held back while the pool forked; they are let through from here on.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if "rulebook" not in _WORKER:
        from wzeval.model._models import Rulebook
        from wzeval.scoring._api import load_rulebook

        _WORKER["rulebook"] = source if isinstance(source, Rulebook) else load_rulebook(source)
    _WORKER["partial"] = partial
    _WORKER["keep"] = keep
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])


def _score_in_worker(paths: Sequence[Path]) -> list[Scored]:
    """One message's files, scored in a worker, in order."""
    from wzeval.model._models import Rulebook

    rulebook = _WORKER["rulebook"]
    assert isinstance(rulebook, Rulebook)
    keep = _WORKER["keep"]
    assert keep in ("report", "entry", "json", "compact", "html", "xlsx")
    partial = bool(_WORKER["partial"])
    return [score_kept(path, rulebook, partial, keep) for path in paths]


def jobs_for(value: str | int, files: int) -> int:
    """How many worker processes: ``auto`` is one per core (at most MAX_AUTO_JOBS) for a
    batch of PARALLEL_MIN_FILES files or more, else 1; a number is at most one per file."""
    if value == "auto":
        if files < PARALLEL_MIN_FILES:
            return 1
        return max(1, min(os.cpu_count() or 1, MAX_AUTO_JOBS))
    return max(1, min(int(value), files or 1))


def scored(
    paths: Sequence[Path],
    rulebook: Rulebook,
    *,
    partial: bool = False,
    keep: Keep = "report",
    jobs: str | int = 1,
    source: str | Rulebook | None = None,
) -> Iterator[Scored]:
    """Each file's report (or what ``keep`` keeps of it: :func:`brief`) and issues, in
    the order of ``paths``; with ``jobs`` above 1 they are scored by worker processes
    (the output is the same, byte for byte).  ``source`` is what a worker that cannot
    inherit ``rulebook`` loads it from (its path; ``None``: the bundled rulebook)."""
    workers = jobs_for(jobs, len(paths))
    if workers <= 1:
        for path in paths:
            yield score_kept(path, rulebook, partial, keep)
        return
    import multiprocessing
    import signal

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    if ctx.get_start_method() == "fork":
        _WORKER["rulebook"] = rulebook  # the workers inherit it
    held = {signal.SIGINT, signal.SIGTERM}
    blocking = hasattr(signal, "pthread_sigmask")
    try:
        if blocking:  # the pool's threads and workers start with the signals held
            signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            pool = ctx.Pool(workers, initializer=_init_worker, initargs=(source, partial, keep))
        finally:
            if blocking:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        with pool:
            # A message costs the pool about 0.45 ms (its queues, pipes and threads; a
            # file ranked as CSV is 1.3 ms): 16 files a message where a batch allows
            # four messages a worker, and for rankings of entries alone up to 64 in a
            # large batch (10,000 files: 4-7% less CPU), the last message of a worker
            # still a small share of its work.  A report's JSON or HTML share is too
            # large to hold 64 of in the parent, and its file costs 5-8 ms anyway.
            n = len(paths)
            chunk = max(1, min(16, n // (workers * 4)))
            if keep == "entry":
                chunk = max(chunk, min(64, n // (workers * 32)))
            yield from _in_window(pool, paths, chunk, IN_FLIGHT * workers)
    finally:
        _WORKER.clear()


def _in_window(
    pool: multiprocessing.pool.Pool, paths: Sequence[Path], chunk: int, window: int
) -> Iterator[Scored]:
    """The results of ``paths`` scored ``chunk`` files a message, in order, with at
    most ``window`` messages given out and not yet taken back: a pool's ``imap`` gives
    out every message at once and keeps each result until it is read, so a parent
    slower than its workers (a JSON report is 220 KB to spool) held a growing heap of
    them (3,000 files as JSON with --jobs 2: 103 MB, 1,000 files: 65 MB)."""
    chunks = (paths[i : i + chunk] for i in range(0, len(paths), chunk))
    given: deque[multiprocessing.pool.AsyncResult[list[Scored]]] = deque()
    for part in chunks:
        given.append(pool.apply_async(_score_in_worker, (part,)))
        if len(given) >= window:
            yield from given.popleft().get()
    while given:
        yield from given.popleft().get()


@contextmanager
def batch_memory() -> Iterator[None]:
    """The collector's settings while a batch runs: generation 0 at
    :data:`BATCH_GC_THRESHOLD`, restored afterwards."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], BATCH_GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@dataclass
class BatchScores:
    """What a batch has kept so far: the reports (``keep="report"``) or their ranking
    entries, each report's JSON text (``keep="json"``, ``"compact"``), HTML share
    (``"html"``) or sheets (``"xlsx"``) in ``spool``, and the files that failed with
    their issues."""

    keep: Keep
    spool: IO[bytes]
    failed: dict[str, list[Issue]] = field(default_factory=dict)
    reports: list[ScoreReport] = field(default_factory=list)
    entries: list[RankingEntry] = field(default_factory=list)
    #: each entry's report JSON (or HTML section, or sheets) in the spool: (offset,
    #: length in bytes), by id(entry)
    spooled: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: each entry's :class:`~wzeval.output._htmlbatch.SectionFacts` in the spool, by id(entry)
    spooled_facts: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: one reference to each rulebook the entries name, shared by all of them
    _refs: dict[tuple[object, ...], RulebookRef] = field(default_factory=dict)

    def _put(self, data: bytes) -> tuple[int, int]:
        self.spool.seek(0, os.SEEK_END)
        at = self.spool.tell()
        self.spool.write(data)
        return at, len(data)

    def _get(self, span: tuple[int, int]) -> bytes:
        self.spool.seek(span[0])
        return self.spool.read(span[1])

    def _shared(self, entry: RankingEntry) -> RankingEntry:
        # Every entry of a batch names the same rulebook, and each came with its own
        # copy of the reference (unpickled from a worker, or the report's): half of an
        # entry's 2 KB, kept for every file of the batch.
        ref = entry.rulebook
        shared = self._refs.setdefault((ref.id, ref.title, ref.year, ref.file), ref)
        return entry if shared is ref else replace(entry, rulebook=shared)

    def entry_of(self, kept: Brief) -> RankingEntry:
        """``kept``'s entry, its JSON or HTML share (if any) written to the spool."""
        kept = replace(kept, entry=self._shared(kept.entry))
        if kept.json is not None:
            self.spooled[id(kept.entry)] = self._put(kept.json.encode("utf-8"))
        if kept.html is not None:
            # this process's own temporary file, read back by this process alone
            section, facts = kept.html
            self.spooled[id(kept.entry)] = self._put(pickle.dumps(section, protocol=5))
            self.spooled_facts[id(kept.entry)] = self._put(pickle.dumps(facts, protocol=5))
        if kept.sheets is not None:
            self.spooled[id(kept.entry)] = self._put(pickle.dumps(kept.sheets, protocol=5))
        return kept.entry

    def entry(self, report: ScoreReport, rulebook: Rulebook) -> RankingEntry:
        """What this batch keeps of a report scored later (a merged department)."""
        kept = brief(report, self.keep, rulebook)
        assert isinstance(kept, Brief)
        return self.entry_of(kept)

    def add(self, path: Path, kept: ScoreReport | Brief | None, issues: list[Issue]) -> None:
        """Keep one file's result."""
        if kept is None:
            self.failed[str(path)] = issues
        elif isinstance(kept, Brief):
            # Not frozen: freezing would also keep any garbage cycle of the scoring out
            # of the collector's reach until the end (a 500-file batch then grew by 20 KB
            # a file; tests/scoring/test_batch_memory.py).
            self.entries.append(self.entry_of(kept))
        else:  # one file scored: its report
            self.reports.append(kept)

    def report_json(self, entry: RankingEntry) -> str:
        """The JSON text of ``entry``'s report, read back from the spool."""
        return self._get(self.spooled[id(entry)]).decode("utf-8")

    def html_section(self, entry: RankingEntry) -> tuple[str, ...]:
        """``entry``'s section of the batch page (its slots unfilled), from the spool."""
        section: tuple[str, ...] = pickle.loads(self._get(self.spooled[id(entry)]))
        return section

    def html_facts(self, entry: RankingEntry) -> SectionFacts:
        """What the top of the batch page reads of ``entry``'s report, from the spool."""
        facts: SectionFacts = pickle.loads(self._get(self.spooled_facts[id(entry)]))
        return facts

    def xlsx_sheets(self, entry: RankingEntry) -> DepartmentSheets:
        """``entry``'s two sheets of the workbook, as data, from the spool."""
        sheets: DepartmentSheets = pickle.loads(self._get(self.spooled[id(entry)]))
        return sheets


def roster_missing(
    rulebook: Rulebook, reports: Sequence[Ranked], claimed: Iterable[str] = ()
) -> list[Department]:
    """The roster units with no findings; ``claimed`` (department ids) have findings
    even though they have no report: their files failed as duplicates."""
    from wzeval.scoring._roster import unassessed

    taken = set(claimed)
    return [d for d in unassessed(rulebook, reports) if d.id not in taken]


def _rulebook(rulebook: Rulebook | str | Path | None) -> tuple[Rulebook, str | None]:
    from wzeval.model._models import Rulebook
    from wzeval.scoring._api import load_rulebook

    if isinstance(rulebook, Rulebook):
        return rulebook, None
    return load_rulebook(rulebook), None if rulebook is None else str(rulebook)


def score_files(
    paths: Sequence[str | Path],
    rulebook: Rulebook | str | Path | None = None,
    *,
    partial: bool = False,
    jobs: str | int = 1,
) -> Iterator[tuple[Path, ScoreReport | None, list[Issue]]]:
    """Score findings files one after the other: each file with its report (``None``
    when it failed) and its issues in file order, in the order of ``paths``, as each is
    scored.  ``jobs``: worker processes (``"auto"`` as ``wzeval score``: see
    :func:`jobs_for`); the results are the same.  ``rulebook``: a loaded rulebook, a
    path, or ``None`` for the bundled one (raises
    :class:`~wzeval.core._errors.ValidationFailed` if it does not load)."""
    rb, source = _rulebook(rulebook)
    files = [Path(p) for p in paths]
    for path, (kept, issues) in zip(
        files, scored(files, rb, partial=partial, jobs=jobs, source=source), strict=True
    ):
        assert not isinstance(kept, Brief)
        yield path, kept, issues


@dataclass
class BatchResult:
    """A folder scored: the reports (in the order of the files), the files that failed
    with their issues (what :func:`wzeval.render_ranking` lists as failures), and every
    issue met, in order (the folders' own, then each file's)."""

    reports: list[ScoreReport]
    failed: dict[str, list[Issue]]
    issues: list[Issue]


def score_folder(
    paths: str | Path | Sequence[str | Path],
    rulebook: Rulebook | str | Path | None = None,
    *,
    partial: bool = False,
    jobs: str | int = "auto",
) -> BatchResult:
    """Score every findings file of folders (recursively, as ``wzeval score FOLDER``
    finds them: :func:`wzeval.reading._folders.collect_files`) or of files named.  A file that
    fails is in ``failed`` and the rest are still scored; an empty folder is an error
    (WZ912) in ``issues`` and ``failed``.  Render the ranking with
    ``wzeval.render_ranking(result.reports, fmt, failed=result.failed, rulebook=rb)``."""
    from wzeval.reading._folders import collect_files

    named = [paths] if isinstance(paths, str | Path) else list(paths)
    files, problems = collect_files(named, empty_is_error=True)
    result = BatchResult([], {i.where: [i] for i in problems}, list(problems))
    with batch_memory():
        for path, report, issues in score_files(
            [f for f, _ in files], rulebook, partial=partial, jobs=jobs
        ):
            result.issues.extend(issues)
            if report is None:
                result.failed[str(path)] = issues
            else:
                result.reports.append(report)
    return result
