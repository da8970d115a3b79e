"""A batch keeps the few figures a ranking needs, not its reports (issue 15, goal 1).

Not timed: what is measured is memory (``tracemalloc``'s peak), which does not depend
on the machine's load.  Scoring ten times the files must not take ten times the memory.
"""

from __future__ import annotations

import io
import shutil
import tracemalloc
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval.output._render as render
from wzeval.cli import run
from wzeval.model._report import RankingEntry
from wzeval.output._batch import Brief, brief
from wzeval.output._renderers import render_ranking
from wzeval.scoring._api import load_rulebook, score

RULEBOOK = ROOT / "tests" / "rulebooks" / "kinds.yaml"
FINDINGS = ROOT / "tests" / "findings" / "kinds-a.yaml"
EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))


def _peak(folder: Path, n: int, fmt: str, tmp: Path) -> int:
    folder.mkdir()
    for i in range(n):
        shutil.copy(FINDINGS, folder / f"{i:04d}.yaml")
    target = tmp / f"{folder.name}.{fmt}"
    args = ["score", str(folder), "--rulebook", str(RULEBOOK), "--allow-duplicates"]
    args += ["--format", fmt, "--jobs", "1", "-o", str(target)]
    tracemalloc.start()
    try:
        code = run(args, io.StringIO(), io.StringIO())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 0
    assert target.stat().st_size > 0
    return peak


@pytest.mark.slow  # ~30 s each under tracemalloc on 2 shared cores
@pytest.mark.parametrize(
    ("fmt", "per_file", "times"),
    [
        ("json", 8_000, 3),
        ("csv", 8_000, 3),
        ("json-compact", 8_000, 3),
        ("html", 8_000, 3),
        ("xlsx", 20_000, 5),
    ],
)
def test_a_batch_does_not_keep_its_reports(
    tmp_path: Path, fmt: str, per_file: int, times: int
) -> None:
    """From 50 to 500 files the peak grows by a few kilobytes a file: what is kept of a
    report is its ranking entry (and for JSON its text, for json-compact its ranking/2
    line, for HTML its section of the page, for the workbook its sheets as data, in a
    temporary file).  Keeping the reports, as before, grew it by 90 KB (CSV) to 370 KB
    (JSON) a file, 8-10 times the peak of 50 files, with this small rulebook (reports
    of ~22 KB as JSON).  The workbook grows by about 17 KB a department: openpyxl keeps
    each written sheet's object until it saves the workbook (docs/performance.md)."""
    _peak(tmp_path / "warm", 5, fmt, tmp_path)  # imports, the rulebook's caches
    small = _peak(tmp_path / "small", 50, fmt, tmp_path)
    large = _peak(tmp_path / "large", 500, fmt, tmp_path)
    assert (large - small) / 450 < per_file, (small, large)
    assert large < times * small, (small, large)


@pytest.mark.parametrize("count", [0, 1, 6])
def test_the_streamed_json_ranking_is_the_rendered_one(count: int) -> None:
    """render.ranking_json_chunks, from entries and each report's JSON, writes what
    render_ranking(reports, "json") writes: with failures and unassessed units, and
    with no department at all."""
    from wzeval.core._issues import Issue, Position
    from wzeval.scoring._roster import unassessed

    rb = load_rulebook()
    reports = [score(p, rb, partial=True) for p in EXAMPLES][:count]
    failed = {"bad.yaml": [Issue("WZ001", "坏了", (), Position("bad.yaml", 1, 1))]}
    missing = unassessed(rb, reports)
    assert missing
    entries = [RankingEntry.of(r) for r in reports]
    texts = {}  # what a batch keeps of each report (brief), against the reference renderer
    for e, r in zip(entries, reports, strict=True):
        kept = brief(r, "json", rb)
        assert isinstance(kept, Brief) and kept.json is not None
        texts[id(e)] = kept.json
    for fail in ({}, failed):
        for gone in ([], missing):
            want = render_ranking(reports, "json", failed=fail, unassessed=gone)
            chunks = render.ranking_json_chunks(entries, lambda e: texts[id(e)], fail, gone)
            assert "".join(chunks) == want


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
def test_entries_rank_as_their_reports(fmt: str) -> None:
    rb = load_rulebook()
    reports = [score(p, rb, partial=True) for p in EXAMPLES]
    entries = [RankingEntry.of(r) for r in reports]
    by_entries = {
        "text": render.render_ranking_text,
        "markdown": render.render_ranking_markdown,
    }.get(fmt)
    want = render_ranking(reports, fmt)  # type: ignore[arg-type]
    got = by_entries(entries) if by_entries else render.render_ranking_csv(entries)
    assert got == want


@pytest.mark.parametrize("count", [0, 1, 6])
def test_the_streamed_html_page_is_the_rendered_one(count: int) -> None:
    """The batch page written from each department's share, kept in the spool (its
    section with the anchor and place left as slots, the figures the top adds up), is
    byte for byte the page render_ranking writes from the reports: with a department
    twice (its second anchor is dept-ID-2), failures, unassessed units, and none."""
    import tempfile

    from wzeval.analysis._ranking import render_kept
    from wzeval.core._issues import Issue, Position
    from wzeval.output._batch import BatchScores, Brief, brief
    from wzeval.scoring._roster import unassessed

    rb = load_rulebook()
    reports = [score(p, rb, partial=True) for p in EXAMPLES][:count]
    reports += reports[:1]  # the same department again
    failed = {"bad.yaml": [Issue("WZ001", "坏了", (), Position("bad.yaml", 1, 1))]}
    missing = unassessed(rb, reports)
    assert missing
    for fail in ({}, failed):
        for gone in ([], missing):
            want = render_ranking(reports, "html", failed=fail, unassessed=gone, rulebook=rb)
            with tempfile.TemporaryFile() as spool:
                scores = BatchScores("html", spool, failed=dict(fail))
                for r in reports:
                    kept = brief(r, "html", rb)
                    assert isinstance(kept, Brief) and kept.html is not None
                    scores.add(Path(r.findings_file or ""), kept, [])
                chunks = render_kept("html", scores, scores.entries, gone, rulebook=rb)
                got = "".join(chunks)
            assert got == want
            if count > 1:
                assert 'id="dept-' + reports[0].department_id + '-2"' in got
