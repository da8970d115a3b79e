"""The public façade: complete, sorted, typed exceptions."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
import wzeval.core._errors as errors


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and names every public (non-module) attribute of the package."""
    assert list(wzeval.__all__) == sorted(wzeval.__all__)
    for name in wzeval.__all__:  # the façade imports its names on first use
        getattr(wzeval, name)
    public = {
        name
        for name, value in vars(wzeval).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public | {"__version__"} == set(wzeval.__all__)


def test_all_names_resolve() -> None:
    """Every name in __all__ exists."""
    for name in wzeval.__all__:
        assert hasattr(wzeval, name), name


def test_exceptions_refine_builtins() -> None:
    """Each wzeval exception derives from WzevalError and the builtin it refines."""
    assert issubclass(errors.ValidationFailed, ValueError)
    assert issubclass(errors.ExpressionError, ValueError)
    assert issubclass(errors.CalendarError, ValueError)
    assert issubclass(errors.LimitExceeded, ValueError)
    assert issubclass(errors.OutputExists, FileExistsError)
    for exc in (
        errors.ValidationFailed,
        errors.ExpressionError,
        errors.CalendarError,
        errors.LimitExceeded,
        errors.OutputExists,
    ):
        assert issubclass(exc, wzeval.WzevalError)


def test_validation_failed_carries_every_issue() -> None:
    """ValidationFailed keeps all issues and names the first in its message."""
    try:
        wzeval.load_rulebook("/nonexistent/rulebook.yaml")
    except wzeval.ValidationFailed as exc:
        assert exc.issues[0].code == "WZ110"
        assert "WZ110" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ValidationFailed")


def test_import_is_lazy() -> None:
    """``import wzeval`` loads none of the heavy modules; a name loads on first use."""
    import subprocess
    import sys

    code = (
        "import sys, wzeval; "
        "print(sorted(m for m in ('pydantic', 'ruamel.yaml', 'simpleeval', 'wzeval.model._models') "
        "if m in sys.modules)); "
        "wzeval.ScoreReport; print('wzeval.model._report' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"


def test_bundled_rulebook_is_read_once_while_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``score(findings)`` in a loop does not read and compile the bundled rulebook each
    time; an edit to its file (an editable install) is seen on the next call."""
    import wzeval.scoring._api as api

    copy = tmp_path / "2023.yaml"
    copy.write_text(api.bundled_rulebook_path().read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(api, "bundled_rulebook_path", lambda: copy)
    first = wzeval.load_rulebook()
    assert wzeval.load_rulebook() is first
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace(f"title: {first.title}", "title: 改过的标题", 1), encoding="utf-8")
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    edited = wzeval.load_rulebook()
    assert edited is not first
    assert edited.title == "改过的标题"
    # a path is read again every time: it is the caller's file
    assert wzeval.load_rulebook(copy) is not wzeval.load_rulebook(copy)


_ROOT = ROOT
_EXAMPLES = sorted(str(p) for p in (_ROOT / "examples" / "findings").glob("*.yaml"))
_needs_bundled = pytest.mark.skipif(
    not wzeval.bundled_rulebook_path().exists(), reason="bundled 2023 rulebook missing"
)


def _cli(*argv: str) -> str:
    import io

    from wzeval.cli import run

    out, err = io.StringIO(), io.StringIO()
    assert run(list(argv), out, err) == 0, err.getvalue()
    return out.getvalue()


@_needs_bundled
@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_renderers_are_the_library_and_give_the_cli_bytes(fmt: str) -> None:
    """render_report and render_ranking, called from the façade, give what ``wzeval
    score --format FMT`` prints for one file and for a batch (roster units included)."""
    rb = wzeval.load_rulebook()
    one = wzeval.score(_EXAMPLES[0], rb, partial=True)
    single = _cli("score", "--partial", _EXAMPLES[0], "--format", fmt)
    assert wzeval.render_report(one, fmt) == single
    reports = [wzeval.score(f, rb, partial=True) for f in _EXAMPLES]
    batch = _cli("score", "--partial", *_EXAMPLES, "--format", fmt)
    assert wzeval.render_ranking(reports, fmt, rulebook=rb) == batch
    assert "未评估" in batch  # the bundled roster has units the examples do not cover
    if fmt == "csv":
        assert wzeval.render_report(one, "csv", bom=True).startswith("\ufeff")
    with pytest.raises(ValueError, match=r"^未知的格式 'pdf'；可选 "):  # Chinese by default
        wzeval.render_report(one, "pdf")  # type: ignore[arg-type]


@_needs_bundled
def test_render_xlsx_and_rank_from_the_facade(tmp_path: Path) -> None:
    """render_xlsx gives the bytes of ``wzeval score --format xlsx -o``; rank gives
    competition ranks in the order every ranking shows."""
    pytest.importorskip("openpyxl")
    rb = wzeval.load_rulebook()
    reports = [wzeval.score(f, rb, partial=True) for f in _EXAMPLES]
    out = tmp_path / "ranking.xlsx"
    _cli("score", "--partial", *_EXAMPLES, "--format", "xlsx", "-o", str(out))
    assert wzeval.render_xlsx(reports, rulebook=rb) == out.read_bytes()
    ranked = wzeval.rank(reports)
    assert [r.total for _, r in ranked] == sorted((r.total for r in reports), reverse=True)
    assert ranked[0][0] == 1


@_needs_bundled
def test_a_platform_streams_the_batch_page_and_workbook_from_the_facade() -> None:
    """The façade's streaming renderers, used as a platform holding no reports would:
    each department's share made once (as a worker would) and kept as data, then the
    page and the workbook written from the ranking entries.  The same bytes as the
    renderers that hold every report."""
    import io
    import pickle

    rb = wzeval.load_rulebook()
    reports = [wzeval.score(f, rb, partial=True) for f in _EXAMPLES]
    # what a worker sends back: small, picklable data, the reports let go
    shares = {
        r.findings_file: pickle.dumps(
            (
                wzeval.RankingEntry.of(r),
                wzeval.html_batch_section(r),
                wzeval.html_batch_facts(r),
                wzeval.department_sheets(r),  # plain data: no openpyxl needed
            )
        )
        for r in reports
    }
    kept = {file: pickle.loads(data) for file, data in shares.items()}
    entries = [share[0] for share in kept.values()]
    assert all(isinstance(share[2], wzeval.HtmlSectionFacts) for share in kept.values())
    page = "".join(
        wzeval.html_batch_chunks(
            entries,
            lambda e: kept[e.findings_file][1],
            lambda e: kept[e.findings_file][2],
        )
    )
    assert page == wzeval.render_ranking(reports, "html", unassessed=[])
    assert page.count('<section class="dept block paged"') == len(reports)
    pytest.importorskip("openpyxl")  # to write the workbook
    out = io.BytesIO()
    ranked = [kept[e.findings_file][3] for _place, e in wzeval.rank(entries)]
    assert all(isinstance(s, wzeval.DepartmentSheets) for s in ranked)
    wzeval.write_score_workbook(out, entries, ranked, when=wzeval.workbook_date(entries))
    assert out.getvalue() == wzeval.render_xlsx(reports, unassessed=[])
    with pytest.raises(ValueError, match="排名"):  # the sheets must follow the ranking
        wzeval.write_score_workbook(
            io.BytesIO(), entries, ranked[::-1], when=wzeval.workbook_date(entries)
        )
