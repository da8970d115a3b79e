"""CLI wiring of the HTML/XLSX formats, spreadsheet findings, and the diff command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from support.paths import ROOT

from wzeval.cli import run
from wzeval.core._issues import Issue
from wzeval.model._report import ScoreReport

EXAMPLES = ROOT / "examples" / "findings"
STRONG = EXAMPLES / "shengtaihuanjing-strong.yaml"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_score_html_for_a_folder(tmp_path: Path) -> None:
    """A folder scored as HTML gives one self-contained page with every department."""
    target = tmp_path / "r.html"
    code, _, err = call("score", EXAMPLES, "--partial", "--format", "html", "-o", target)
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    for name in ("市生态环境局", "市住建局", "市卫健委"):
        assert name in page
    assert "<script src=" not in page and "<link " not in page


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_as_html_is_the_library_page(tmp_path: Path, jobs: str) -> None:
    """The batch page the command writes piece by piece (each department's section made
    where it was scored, kept in a temporary file) is the page render_ranking makes
    from the reports, byte for byte: with a department scored twice, a file that
    failed and the roster's unassessed units."""
    from wzeval.output._renderers import render_ranking
    from wzeval.scoring._api import load_rulebook

    target, reports, failed = _scored_batch(tmp_path, "html", jobs)
    want = render_ranking(reports, "html", failed=failed, rulebook=load_rulebook())
    assert target.read_text(encoding="utf-8") == want
    assert "未评估" in want or "Not assessed" in want


def _batch_folder(tmp_path: Path) -> Path:
    """The examples, one of them a second time, and a file that fails."""
    import shutil

    folder = tmp_path / "batch"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    shutil.copy(STRONG, folder / "zz-again.yaml")
    (folder / "zz-broken.yaml").write_text("wzeval: findings/1\nbad: [\n", encoding="utf-8")
    return folder


def _scored_batch(
    tmp_path: Path, fmt: str, jobs: str
) -> tuple[Path, list[ScoreReport], dict[str, list[Issue]]]:
    """The batch of _batch_folder scored by the command in ``fmt`` with ``jobs``: what
    it wrote, and the reports and failures a library caller gets from the same files."""
    folder = _batch_folder(tmp_path)
    target = tmp_path / f"r.{fmt}"
    args = ["score", folder, "--partial", "--allow-duplicates", "--format", fmt]
    code, _, err = call(*args, "--jobs", jobs, "-o", target)
    assert code == 1, err  # the broken file
    return target, *_library_reports(folder)


def _library_reports(folder: Path) -> tuple[list[ScoreReport], dict[str, list[Issue]]]:
    """The folder's reports and failures, as a library caller scores them one by one."""
    from wzeval.reading._loader import load_document
    from wzeval.scoring._api import load_rulebook, score_document

    rb = load_rulebook()
    reports, failed = [], {}
    for path in sorted(folder.glob("*.yaml")):
        report, issues = score_document(load_document(path), rb, partial=True)
        if report is None:
            failed[str(path)] = issues
        else:
            reports.append(report)
    assert len(failed) == 1 and len(reports) == len(list(EXAMPLES.glob("*.yaml"))) + 1
    return reports, failed


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_as_a_workbook_is_the_library_workbook(tmp_path: Path, jobs: str) -> None:
    """The workbook the command writes from each department's sheets (made as data
    where it was scored, kept in a temporary file, written in ranking order) is the
    workbook render_xlsx makes from the reports, byte for byte: with a department
    scored twice, a file that failed and the roster's unassessed units."""
    from wzeval.output._renderers import render_xlsx
    from wzeval.scoring._api import load_rulebook

    target, reports, _failed = _scored_batch(tmp_path, "xlsx", jobs)
    assert target.read_bytes() == render_xlsx(reports, rulebook=load_rulebook())


def test_score_xlsx_needs_an_output() -> None:
    """XLSX is a binary workbook: without -o it is a usage error (exit 2)."""
    code, out, err = call("score", STRONG, "--format", "xlsx")
    assert code == 2 and out == "" and "-o" in err


def test_score_xlsx_writes_a_workbook(tmp_path: Path) -> None:
    """--format xlsx -o writes a workbook whose ranking sheet names the department."""
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "r.xlsx"
    code, _, err = call("score", STRONG, "--format", "xlsx", "-o", target)
    assert code == 0, err
    wb = openpyxl.load_workbook(target)
    values = [c.value for row in wb.worksheets[0].iter_rows() for c in row]
    assert "市生态环境局" in values


def test_xlsx_template_then_score(tmp_path: Path) -> None:
    """template --format xlsx writes a workbook that score/validate read back, issues at a cell."""
    pytest.importorskip("openpyxl")
    target = tmp_path / "edu.xlsx"
    assert call("template", "--department", "市教育局", "--format", "xlsx", "-o", target)[0] == 0
    code, out, _ = call("validate", target)
    assert code == 1
    assert "WZ404" in out and "edu.xlsx" in out  # the blank monitoring date, placed in the sheet
    again = call("template", "--department", "市教育局", "--format", "xlsx", "-o", target)
    assert again[0] == 2  # never overwritten without --force


def test_diff_command_reports_changes_and_movements(tmp_path: Path) -> None:
    """diff OLD NEW --findings DIR lists score-affecting changes and each department's move."""
    code, out, err = call(
        "diff",
        ROOT / "rulebooks" / "2023.yaml",
        ROOT / "rulebooks" / "examples" / "2024-draft.yaml",
        "--findings",
        EXAMPLES,
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["changes"]
    assert any(m["department"] == "市生态环境局" for m in data["movements"])


def test_diff_same_rulebook_is_empty_and_gate_passes() -> None:
    """diff A A has no changes, so --fail-on-score-change exits 0."""
    rb = ROOT / "rulebooks" / "2023.yaml"
    code, out, _ = call("diff", rb, rb, "--format", "json", "--fail-on-score-change")
    assert code == 0
    assert json.loads(out)["changes"] == []


def test_diff_gate_fails_on_score_change() -> None:
    """--fail-on-score-change exits 1 for the 2024 draft, which moves weights."""
    code, _, _ = call(
        "diff",
        ROOT / "rulebooks" / "2023.yaml",
        ROOT / "rulebooks" / "examples" / "2024-draft.yaml",
        "--fail-on-score-change",
    )
    assert code == 1


def test_diff_missing_file_exits_2() -> None:
    """An unreadable rulebook is exit 2 with its file named, never a traceback."""
    code, _, err = call("diff", "/nonexistent/a.yaml", ROOT / "rulebooks" / "2023.yaml")
    assert code == 2 and "WZ110" in err and "Traceback" not in err


def test_lint_command_2023_has_only_weight_warnings() -> None:
    """lint on the 2023 rulebook exits 0 with exactly the 11 WL001 warnings (R1)."""
    code, out, _ = call("lint", ROOT / "rulebooks" / "2023.yaml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    issues = data["issues"] if isinstance(data, dict) else data
    assert [i["code"] for i in issues] == ["WL001"] * 11


def test_lint_strict_fails_on_warnings() -> None:
    """--strict turns the warnings into a failing exit code."""
    assert call("lint", ROOT / "rulebooks" / "2023.yaml", "--strict")[0] == 1


def test_lint_sarif_is_valid_shape() -> None:
    """SARIF output names its rules and places results at a line."""
    code, out, _ = call("lint", ROOT / "rulebooks" / "2023.yaml", "--format", "sarif")
    sarif = json.loads(out)
    assert code == 0 and sarif["version"] == "2.1.0"
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "WL001"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 0


def test_test_command_full_coverage() -> None:
    """The 2023 rule tests pass at --min-coverage 100."""
    code, out, _ = call("test", ROOT / "rulebooks" / "2023.tests.yaml", "--min-coverage", "100")
    assert code == 0 and "100.0%" in out


def test_test_command_fails_below_coverage(tmp_path: Path) -> None:
    """One case leaves targets uncovered: --min-coverage 100 exits 1 and names what is missing."""
    tests = tmp_path / "one.tests.yaml"
    tests.write_text(
        "wzeval: ruletests/1\n"
        f"rulebook: {ROOT / 'tests' / 'corpus' / 'check.yaml'}\n"
        "defaults:\n  department: 甲局\n  monitoring_date: 2023-11-15\n"
        "cases:\n  - name: all good\n    findings:\n      indicators:\n"
        "        subject: {standard: true, noise_free: true, fake: false}\n"
        "        filler: {ok: true}\n    expect: {subject: 10, total: 100}\n",
        encoding="utf-8",
    )
    code, out, _ = call("test", tests, "--min-coverage", "100")
    assert code == 1
    assert "fake" in out  # the veto that never fired is listed as uncovered
    assert call("test", tests)[0] == 0  # without a threshold the passing case is enough


def test_verify_command_on_a_broken_rulebook() -> None:
    """verify exits 1 on a rulebook whose credits fall as levels rise, printing a case."""
    code, out, _ = call("verify", ROOT / "tests" / "verify" / "broken.yaml", "--max-examples", "50")
    assert code == 1
    assert "findings" in out


def test_verify_command_unreadable_rulebook() -> None:
    """verify on a missing file exits 2 with WZ110."""
    code, _, err = call("verify", "/nonexistent/rb.yaml")
    assert code == 2 and "WZ110" in err
