"""The command line, run in-process: output, exit codes, and bad input without tracebacks."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import wz
from support.paths import ROOT
from support.ruletests import RULE_TESTS_HEADER

import wzeval
from wzeval.cli import _validate, run
from wzeval.cli._common import PROGRESS_MIN_FILES
from wzeval.core._exitcodes import exit_code
from wzeval.core._i18n import speaking
from wzeval.core._issues import Issue, Position, Severity, github_annotation
from wzeval.core._paths import shown
from wzeval.model._report import ScoreReport, display

# These tests assert the English wording of messages (the default is Chinese: test_i18n.py).
pytestmark = pytest.mark.usefixtures("english")

EXAMPLES_FINDINGS = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
FINDINGS = ROOT / "tests" / "findings" / "kinds-a.yaml"
BUNDLED = wzeval.bundled_rulebook_path()
needs_bundled = pytest.mark.skipif(not BUNDLED.exists(), reason="bundled 2023 rulebook missing")


@pytest.fixture
def chinese(english: None) -> Iterator[None]:
    """The users' language, Chinese, for the tests that read a score sheet's Chinese
    labels (this module otherwise runs in English); after ``english``, so it wins."""
    with speaking("zh"):
        yield


def findings_text(old: str, new: str) -> str:
    """kinds-a.yaml with one fragment replaced (which must be there)."""
    text = FINDINGS.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def variants(tmp_path: Path) -> Iterator[Path]:
    """A folder of three findings: 甲局 79.60, 乙局 77.18 (not assessed on 'listed'), 甲局 74.60."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(FINDINGS, folder / "a.yaml")
    text = FINDINGS.read_text(encoding="utf-8")
    write(folder / "b.yaml", text.replace("department: 甲局", "department: 乙局"))
    write(folder / "sub" / "c.yaml", text.replace("{a: true, b: false", "{a: false, b: false"))
    yield folder


# --------------------------------------------------------------------------- global


def test_version() -> None:
    """--version prints the package version and exits 0."""
    r = wz("--version")
    assert r.code == 0
    assert r.out.strip() == f"wzeval {wzeval.__version__}"


def test_help_lists_commands_and_exit_codes() -> None:
    """--help names every command and documents the exit codes."""
    r = wz("--help")
    assert r.code == 0
    for command in ("validate", "score", "explain", "template", "schema"):
        assert command in r.out
    assert "exit codes:" in r.out
    assert "3  internal error" in r.out


@pytest.mark.parametrize("command", ["validate", "score", "explain", "template", "schema"])
def test_command_help_has_examples(command: str) -> None:
    """Each command's --help ends with examples and the exit codes."""
    r = wz(command, "--help")
    assert r.code == 0
    assert "examples:" in r.out
    assert f"wzeval {command}" in r.out.split("examples:")[1]


def test_no_command_is_a_usage_error() -> None:
    """No command: usage on stderr, exit 2."""
    r = wz()
    assert r.code == 2
    assert "usage: wzeval" in r.err


def test_unknown_option_is_a_usage_error() -> None:
    """An unknown option exits 2 and names it."""
    r = wz("score", FINDINGS, "--colour")
    assert r.code == 2
    assert "--colour" in r.err


def test_internal_error_is_one_line_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception prints one 'internal error … report' line and exits 3."""

    def boom(*_: object) -> int:
        raise RuntimeError("kaput\nsecond line")

    monkeypatch.setattr(_validate, "command", boom)
    r = wz("validate", FINDINGS)
    assert r.code == 3
    lines = r.err.splitlines()
    assert len(lines) == 1
    assert "internal error: RuntimeError: kaput second line" in lines[0]
    assert "please report" in lines[0]


def test_exit_code_of_issues() -> None:
    """Unreadable input → 2, other errors → 1, warnings only fail when strict."""
    warn = Issue("WZ111", "w", severity=Severity.WARNING)
    assert exit_code([]) == 0
    assert exit_code([warn]) == 0
    assert exit_code([warn], fail_on="warning") == 1
    assert exit_code([Issue("WZ405", "e"), warn]) == 1
    assert exit_code([Issue("WZ405", "e"), Issue("WZ110", "gone")]) == 2
    assert exit_code([Issue("WZ101", "syntax")]) == 1  # a YAML syntax error is content


def test_github_annotation_escapes() -> None:
    """GitHub annotations carry file/line/col/title and escape %, newlines, ':' and ','."""
    issue = Issue("WZ405", "50% wrong\nvalue", position=Position("a,b:c.yaml", 3, 7), hint="fix")
    assert github_annotation(issue) == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=7,title=WZ405::50%25 wrong%0Avalue (hint: fix)"
    )
    warn = Issue("WZ111", "w", position=Position("f.yaml"), severity=Severity.WARNING)
    assert github_annotation(warn) == "::warning file=f.yaml,title=WZ111::w"


# --------------------------------------------------------------------------- validate


def test_validate_clean_rulebook_and_findings() -> None:
    """A good rulebook and findings validate with exit 0 and a summary line."""
    r = wz("validate", KINDS, FINDINGS)
    assert r.code == 0, r.out
    assert r.out.strip() == "2 files, 0 errors, 0 warnings"


def test_validate_uses_the_rulebook_given_alongside(tmp_path: Path) -> None:
    """Findings naming a rulebook id given on the command line are checked against it."""
    other = write(
        tmp_path / "rb.yaml", KINDS.read_text(encoding="utf-8").replace("id: kinds", "id: other", 1)
    )
    r = wz("validate", KINDS, FINDINGS, "--rulebook", other)
    assert r.code == 0, r.out


def test_validate_broken_yaml(tmp_path: Path) -> None:
    """Broken YAML is one line with file:line:col and exit 1."""
    bad = write(tmp_path / "bad.yaml", "wzeval: findings/1\nindicators:\n  checks: {a: true\n")
    r = wz("validate", bad, "--rulebook", KINDS)
    assert r.code == 1
    issue_lines = [line for line in r.out.splitlines() if " error " in line]
    assert len(issue_lines) == 1
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: error WZ101 ", issue_lines[0])
    assert r.out.splitlines()[-1] == "1 file, 1 error, 0 warnings"


def test_validate_unknown_department_has_a_hint(tmp_path: Path) -> None:
    """An unknown department is reported at its value with a did-you-mean hint."""
    f = write(tmp_path / "f.yaml", findings_text("department: 甲局", "department: 甲居"))
    r = wz("validate", f, "--rulebook", KINDS)
    assert r.code == 1
    assert f"{f}:3:13: error WZ407 unknown department '甲居' (hint: did you mean '甲局'?)" in r.out


def test_validate_wrong_type(tmp_path: Path) -> None:
    """A value of the wrong type is reported at its line and column."""
    f = write(tmp_path / "f.yaml", findings_text("bands: {n: 3}", "bands: {n: three}"))
    r = wz("validate", f, "--rulebook", KINDS)
    assert r.code == 1
    assert f"{f}:13:14: error WZ405 bands.n must be a whole number" in r.out


def test_validate_missing_file_exits_2() -> None:
    """A missing file is unreadable input: WZ110, exit 2."""
    r = wz("validate", "no/such/file.yaml")
    assert r.code == 2
    assert "no/such/file.yaml: error WZ110 cannot read file" in r.out


def test_validate_not_utf8_exits_2(tmp_path: Path) -> None:
    """A file that is not UTF-8 text is unreadable: exit 2 with its position."""
    f = tmp_path / "gbk.yaml"
    f.write_bytes("department: 甲局\n".encode("gb18030"))
    r = wz("validate", f)
    assert r.code == 2
    assert f"{f}:1:13: error WZ103" in r.out


def test_validate_folder_recursively_skips_other_yaml(tmp_path: Path) -> None:
    """Folders are walked recursively; YAML there that is not wzeval's is skipped, not failed."""
    shutil.copy(KINDS, tmp_path / "kinds.yaml")
    write(tmp_path / "deep" / "er" / "a.yaml", FINDINGS.read_text(encoding="utf-8"))
    write(tmp_path / "ci.yml", "on: push\njobs: {}\n")
    r = wz("validate", tmp_path)
    assert r.code == 0, r.out
    assert r.out.strip() == "2 files, 0 errors, 0 warnings (1 skipped: not wzeval documents)"


# a rule-test document of tests/corpus/check.yaml, up to its cases
_CHECK_TESTS_HEADER = RULE_TESTS_HEADER.format(rulebook=ROOT / "tests" / "corpus" / "check.yaml")


def test_validate_reads_rule_test_documents(tmp_path: Path) -> None:
    """A rule-test document in a folder is validated, not skipped: its shape and the
    findings of its cases, each problem at file:line:col."""
    doc = write(
        tmp_path / "check.tests.yaml",
        _CHECK_TESTS_HEADER
        + "  - name: fine\n    findings: {}\n    expect: {subject: 10}\n"
        + "  - name: a typo in a fact\n"
        + "    findings: {indicators: {subject: {standrad: true}}}\n"
        + "    expect: {subject: 10}\n"
        + "colour: red\n",
    )
    r = wz("validate", tmp_path)
    assert r.code == 1, r.out
    assert f"{doc}:16:1: error WZ201 unknown key 'colour'" in r.out  # the key, not its value
    assert f"{doc}:14:39: error WZ403 unknown fact 'standrad'" in r.out
    assert r.out.strip().endswith("1 file, 2 errors, 0 warnings")


def test_validate_leaves_rule_test_expectations_to_wzeval_test(tmp_path: Path) -> None:
    """A wrong expected figure is ``wzeval test``'s failure; the document itself is valid."""
    doc = write(
        tmp_path / "check.tests.yaml",
        _CHECK_TESTS_HEADER
        + "  - name: wrong figure\n    findings: {}\n    expect: {subject: 9}\n",
    )
    r = wz("validate", doc)
    assert r.code == 0, r.out
    assert r.out.strip() == "1 file, 0 errors, 0 warnings"
    assert wz("test", doc).code == 1


def test_validate_named_file_must_be_wzeval(tmp_path: Path) -> None:
    """A file named on the command line that is neither rulebook nor findings is WZ910."""
    other = write(tmp_path / "ci.yml", "on: push\n")
    r = wz("validate", other)
    assert r.code == 1
    assert f"{other}:1:1: error WZ910 not a wzeval document" in r.out


def test_validate_empty_folder_warns(tmp_path: Path) -> None:
    """An empty folder is a warning for validate (exit 0), an error under --strict."""
    r = wz("validate", tmp_path)
    assert r.code == 0
    assert r.out.splitlines()[-1] == "0 files, 0 errors, 1 warning"
    r = wz("validate", tmp_path, "--strict")
    assert r.code == 1
    assert "warning WZ912" in r.out


def test_validate_broken_rulebook_for_findings(tmp_path: Path) -> None:
    """Findings whose rulebook does not load get WZ911, and the rulebook's issues are shown."""
    rb = write(tmp_path / "rb.yaml", "wzeval: rulebook/1\nid: kinds\n")
    r = wz("validate", FINDINGS, "--rulebook", rb)
    assert r.code == 1
    assert "error WZ911 cannot check these findings" in r.out
    assert f"{rb}:" in r.out and "WZ201" in r.out


def test_validate_warnings_and_strict(tmp_path: Path) -> None:
    """Warnings keep exit 0 unless --strict."""
    f = write(tmp_path / "f.yaml", FINDINGS.read_text(encoding="utf-8") + "notes: yes\n")
    r = wz("validate", f, "--rulebook", KINDS)
    assert r.code == 0
    assert "warning WZ111" in r.out
    assert r.out.splitlines()[-1] == "1 file, 0 errors, 1 warning"
    assert wz("validate", f, "--rulebook", KINDS, "--strict").code == 1


def test_validate_json(tmp_path: Path) -> None:
    """--format json is one parseable document with per-file issues and counts."""
    bad = write(tmp_path / "f.yaml", findings_text("bands: {n: 3}", "bands: {n: -1}"))
    r = wz("validate", KINDS, bad, "--format", "json")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["wzeval"] == "validation/1"
    assert data["valid"] is False
    assert data["errors"] == 1
    files = {Path(f["file"]).name: f for f in data["files"]}
    assert files["kinds.yaml"]["valid"] is True
    assert files["kinds.yaml"]["kind"] == "rulebook"
    [issue] = files["f.yaml"]["issues"]
    assert (issue["code"], issue["line"], issue["col"]) == ("WZ406", 13, 14)


def test_validate_github(tmp_path: Path) -> None:
    """--format github prints workflow annotations, errors and warnings."""
    f = write(
        tmp_path / "f.yaml",
        findings_text("bands: {n: 3}", "bands: {n: -1}") + "notes: no\n",
    )
    r = wz("validate", f, "--rulebook", KINDS, "--format", "github")
    assert r.code == 1
    lines = r.out.splitlines()
    assert f"::error file={f},line=13,col=14,title=WZ406::bands.n is -1" in lines[0]
    assert any(line.startswith(f"::warning file={f},line=21,col=8,title=WZ111::") for line in lines)


def test_validate_catches_evaluation_errors(tmp_path: Path) -> None:
    """Problems only evaluation finds (more checks passed than made) fail validation too."""
    f = write(tmp_path / "f.yaml", findings_text("passed: 3", "passed: 5"))
    r = wz("validate", f, "--rulebook", KINDS)
    assert r.code == 1
    assert re.search(rf"{re.escape(str(f))}:14:\d+: error WZ502 ", r.out)


# --------------------------------------------------------------------------- score


@pytest.mark.usefixtures("chinese")
def test_score_sheet_text() -> None:
    """One file gives the department's score sheet with figures rounded for display."""
    r = wz("score", FINDINGS, "--rulebook", KINDS)
    assert r.code == 0, r.err
    assert r.out.startswith("甲局 评分表\n")
    assert "总分：79.60（基础分 78.20 + 加分 2.00 + 扣分 -0.60）" in r.out
    for section in ("一级指标", "三级指标", "得分细则", "否决", "扣分", "未评估", "合计"):
        assert f"\n{section}\n" in r.out


def test_score_json_is_the_report() -> None:
    """--format json is the exact report, equal to the library's."""
    r = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "json")
    assert r.code == 0
    report = ScoreReport.from_json(r.out)
    assert report == wzeval.score(FINDINGS, KINDS)
    assert str(report.total) == "398/5"


@pytest.mark.usefixtures("chinese")
def test_score_markdown_and_csv_match_json() -> None:
    """Markdown and CSV show display(points) of every indicator in the JSON report."""
    report = ScoreReport.from_json(
        wz("score", FINDINGS, "--rulebook", KINDS, "--format", "json").out
    )
    md = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "markdown").out
    rows = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "csv").out.splitlines()
    assert rows[0] == "一级指标,二级指标,三级指标,权重,得分,状态,扣分原因"
    for ind, row in zip(report.indicators, rows[1:], strict=False):
        cells = row.split(",")
        assert cells[2] == ind.name
        assert cells[4] == display(ind.points)
        assert f"| {ind.name} | {display(ind.weight)} | {display(ind.points)} |" in md
    assert rows[-1].startswith(f"总分,,,,{display(report.total)},")


@pytest.mark.usefixtures("chinese")
def test_score_csv_bom() -> None:
    """--bom starts the CSV with a byte-order mark for Excel."""
    r = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "csv", "--bom")
    assert r.out.startswith("\ufeff一级指标,")


def test_score_output_file(tmp_path: Path) -> None:
    """-o writes the file (nothing on stdout) and says so on stderr."""
    target = tmp_path / "report.md"
    r = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "markdown", "-o", target)
    assert r.code == 0
    assert r.out == ""
    assert target.read_text(encoding="utf-8").startswith("# 甲局 score sheet")
    assert f"wrote {target}" in r.err


def test_score_refuses_to_overwrite(tmp_path: Path) -> None:
    """-o onto an existing file without --force exits 2, says nothing was written, keeps it."""
    target = write(tmp_path / "mine.txt", "my notes\n")
    r = wz("score", FINDINGS, "--rulebook", KINDS, "-o", target)
    assert r.code == 2
    assert "nothing was written" in r.err
    assert "--force" in r.err
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]  # no temp file left


def test_score_force_replaces(tmp_path: Path) -> None:
    """With --force an existing output is replaced."""
    target = write(tmp_path / "out.json", "old\n")
    r = wz("score", FINDINGS, "--rulebook", KINDS, "--format", "json", "-o", target, "--force")
    assert r.code == 0
    assert ScoreReport.from_json(target.read_text(encoding="utf-8")).department == "甲局"


def test_score_output_in_missing_folder(tmp_path: Path) -> None:
    """Writing into a folder that does not exist is exit 2 with one error line."""
    r = wz("score", FINDINGS, "--rulebook", KINDS, "-o", tmp_path / "no" / "r.txt")
    assert r.code == 2
    assert r.err.startswith("wzeval: error: cannot access")


def test_score_missing_file_exits_2() -> None:
    """A missing findings file exits 2."""
    r = wz("score", "missing.yaml", "--rulebook", KINDS)
    assert r.code == 2
    assert "missing.yaml: error WZ110" in r.err


def test_score_missing_rulebook_exits_2() -> None:
    """A missing --rulebook exits 2 before anything is scored."""
    r = wz("score", FINDINGS, "--rulebook", "nope.yaml")
    assert r.code == 2
    assert "nope.yaml: error WZ110" in r.err


def test_score_invalid_findings_exit_1(tmp_path: Path) -> None:
    """Invalid findings: every issue on stderr, nothing on stdout, exit 1."""
    f = write(tmp_path / "f.yaml", findings_text("bands: {n: 3}", "bandz: {n: 3}"))
    r = wz("score", f, "--rulebook", KINDS)
    assert r.code == 1
    assert r.out == ""
    assert "error WZ402 unknown indicator 'bandz' (hint: did you mean 'bands'?)" in r.err
    assert "error WZ404 missing fact bands.n" in r.err


@pytest.mark.usefixtures("chinese")
def test_score_partial(tmp_path: Path) -> None:
    """A missing fact fails without --partial and is listed as not assessed with it."""
    f = write(tmp_path / "f.yaml", findings_text("  bands: {n: 3}\n", ""))
    r = wz("score", f, "--rulebook", KINDS)
    assert r.code == 1
    assert "--partial" in r.err
    r = wz("score", f, "--rulebook", KINDS, "--partial")
    assert r.code == 0
    assert "注意：部分指标未评估" in r.out
    assert re.search(r"区间\s+10\.00\s+0\.00\s+未评估", r.out)


def test_score_engine_issue_has_a_position(tmp_path: Path) -> None:
    """Evaluation errors are placed at the findings node they concern (file:line:col)."""
    f = write(tmp_path / "f.yaml", findings_text("passed: 3", "passed: 5"))
    r = wz("score", f, "--rulebook", KINDS)
    assert r.code == 1
    assert re.search(rf"^{re.escape(str(f))}:14:\d+: error WZ502 ", r.err, re.M)


@pytest.mark.usefixtures("chinese")
def test_ranking_order(variants: Path) -> None:
    """A folder gives a ranking by total, descending, then department name."""
    r = wz("score", variants, "--rulebook", KINDS, "--format", "csv", "--allow-duplicates")
    assert r.code == 0, r.err
    rows = [line.split(",") for line in r.out.splitlines()]
    assert rows[0][:6] == ["名次", "部门", "基础分", "加分", "扣分", "总分"]
    ranked = [(row[0], row[1], row[5], Path(row[7]).name) for row in rows[1:]]
    # 乙局 is not assessed on 'listed': its base 68.2 of 90 is rescaled to 75.78
    assert ranked == [
        ("1", "甲局", "79.60", "a.yaml"),
        ("2", "乙局", "77.18", "b.yaml"),
        ("3", "甲局", "74.60", "c.yaml"),
    ]


def test_ranking_ties_share_a_rank(tmp_path: Path) -> None:
    """Equal totals share a rank and are ordered by department name."""
    text = FINDINGS.read_text(encoding="utf-8").replace("department: 甲局", "department: 乙局")
    write(tmp_path / "1.yaml", text.replace("  listed: {ok: true}\n", ""))
    write(tmp_path / "2.yaml", text)  # facts of an indicator that does not apply change nothing
    shutil.copy(FINDINGS, tmp_path / "3.yaml")
    r = wz("score", tmp_path, "--rulebook", KINDS, "--format", "json", "--allow-duplicates")
    data = json.loads(r.out)
    ranks = [(d["rank"], d["department"], d["total"]) for d in data["departments"]]
    assert ranks == [(1, "甲局", "79.6"), (2, "乙局", "3473/45"), (2, "乙局", "3473/45")]


@pytest.mark.usefixtures("chinese")
def test_batch_with_a_broken_file(variants: Path) -> None:
    """A broken file in a batch is reported; the rest are still ranked; exit 1."""
    write(variants / "broken.yaml", "wzeval: findings/1\ndepartment: [\n")
    r = wz("score", variants, "--rulebook", KINDS, "--allow-duplicates")
    assert r.code == 1
    assert re.search(r"broken\.yaml:\d+:\d+: error WZ101", r.err)
    assert "排名" in r.out
    assert r.out.count("甲局") == 2 and "乙局" in r.out
    assert "未能评分（1）" in r.out


def test_batch_json(variants: Path) -> None:
    """Batch JSON is ranking/1 with each full report and the failed files with issues."""
    write(variants / "zz.yaml", "wzeval: findings/1\ndepartment: 丙局\n")
    r = wz("score", variants, "--rulebook", KINDS, "--format", "json", "--allow-duplicates")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["wzeval"] == "ranking/1"
    assert [d["rank"] for d in data["departments"]] == [1, 2, 3]
    first = data["departments"][0]
    assert ScoreReport.model_validate(first["report"]).department == first["department"]
    assert first["total"] == first["report"]["total"] == "79.6"
    [failed] = data["failed"]
    assert failed["file"].endswith("zz.yaml")
    assert any(i["code"] == "WZ407" for i in failed["issues"])


@pytest.mark.usefixtures("chinese")
def test_batch_of_files_named(variants: Path) -> None:
    """Several files named on the command line give a ranking too."""
    r = wz("score", variants / "a.yaml", variants / "b.yaml", "--rulebook", KINDS)
    assert r.code == 0
    assert "名次" in r.out and "乙局" in r.out


def test_score_empty_folder_exits_2(tmp_path: Path) -> None:
    """Scoring an empty folder is a usage error."""
    r = wz("score", tmp_path, "--rulebook", KINDS)
    assert r.code == 2
    assert "WZ912" in r.err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    """Many files on a terminal show a \\r counter on stderr; not on a pipe."""
    for n in range(PROGRESS_MIN_FILES):
        shutil.copy(FINDINGS, tmp_path / f"{n:02}.yaml")
    out, err = io.StringIO(), _Tty()
    argv = ["score", "--lang", "zh", str(tmp_path), "--rulebook", str(KINDS), "--allow-duplicates"]
    assert run(argv, out, err) == 0
    assert f"\r评分 {PROGRESS_MIN_FILES}/{PROGRESS_MIN_FILES}" in err.getvalue()
    assert "\r" not in wz("score", tmp_path, "--rulebook", KINDS).err


# --------------------------------------------------------------------------- explain


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("ident", ["checks", "检查"])
def test_explain(ident: str) -> None:
    """explain shows items, sources, rulebook lines, facts with positions and the result."""
    r = wz("explain", FINDINGS, ident, "--rulebook", KINDS)
    assert r.code == 0, r.err
    assert r.out.startswith("检查（checks）— 基础 / 一组\n")
    assert "原文：1.甲，50%" in r.out
    assert f"位置：{shown(f'{KINDS}:33')}" in r.out
    assert f"a = true — 甲？（{shown(f'{FINDINGS}:7:15')}）" in r.out
    assert "v：未触发" in r.out
    assert "结果：5.00 / 10.00 分" in r.out
    assert "i2：不符合，得 0" in r.out


@pytest.mark.usefixtures("chinese")
def test_explain_derived_and_evidence() -> None:
    """explain lists derived facts and the evidence recorded for a fact."""
    r = wz("explain", FINDINGS, "tiers", "--rulebook", KINDS)
    assert "证据：https://example.gov.cn/msg/1" in r.out
    assert "派生事实" in r.out and "in1 = true" in r.out


def test_explain_unknown_indicator() -> None:
    """An unknown indicator exits 2 with a did-you-mean hint."""
    r = wz("explain", FINDINGS, "检察", "--rulebook", KINDS)
    assert r.code == 2
    assert r.err == "wzeval: error: unknown indicator '检察' (hint: did you mean '检查'?)\n"


def test_explain_json() -> None:
    """explain --format json is the indicator's result."""
    r = wz("explain", FINDINGS, "prop", "--rulebook", KINDS, "--format", "json")
    data = json.loads(r.out)
    assert (data["id"], data["points"]) == ("prop", "7.5")


def test_explain_invalid_findings(tmp_path: Path) -> None:
    """explain on invalid findings prints the issues and exits 1."""
    f = write(tmp_path / "f.yaml", findings_text("bands: {n: 3}", "bands: {n: x}"))
    r = wz("explain", f, "bands", "--rulebook", KINDS)
    assert r.code == 1
    assert "WZ405" in r.err


# --------------------------------------------------------------------------- template


def test_template_to_stdout_loads_back() -> None:
    """The template goes to stdout and is valid YAML naming the department."""
    from wzeval.reading._loader import load_document

    r = wz("template", "--department", "甲市甲局", "--rulebook", KINDS)
    assert r.code == 0
    assert r.out.startswith("# yaml-language-server: $schema=schemas/findings.kinds.schema.json\n")
    doc = load_document(text=r.out)
    assert doc.issues == []
    assert doc.data["department"] == "甲局"


def test_template_unknown_department() -> None:
    """An unknown department exits 2 with a did-you-mean hint."""
    r = wz("template", "--department", "乙", "--rulebook", KINDS)
    assert r.code == 2
    assert r.err == "wzeval: error: unknown department '乙' (hint: did you mean '乙局'?)\n"


def test_template_output_and_force(tmp_path: Path) -> None:
    """-o writes, refuses to overwrite without --force, and replaces with it."""
    target = tmp_path / "f" / "甲.yaml"
    target.parent.mkdir()
    assert wz("template", "--department", "a", "--rulebook", KINDS, "-o", target).code == 0
    first = target.read_text(encoding="utf-8")
    # the modeline is relative to where the template is written
    assert first.startswith("# yaml-language-server: $schema=")
    target.write_text("filled in\n", encoding="utf-8")
    r = wz("template", "--department", "a", "--rulebook", KINDS, "-o", target)
    assert r.code == 2
    assert target.read_text(encoding="utf-8") == "filled in\n"
    assert (
        wz("template", "--department", "a", "--rulebook", KINDS, "-o", target, "--force").code == 0
    )
    assert target.read_text(encoding="utf-8") == first


def test_template_schema_option() -> None:
    """--schema sets what the modeline points to."""
    r = wz("template", "--department", "a", "--rulebook", KINDS, "--schema", "https://x/f.json")
    assert r.out.splitlines()[0] == "# yaml-language-server: $schema=https://x/f.json"


def test_unfilled_template_fails_validation(tmp_path: Path) -> None:
    """An unfilled template is rejected: every blank is an error, none passes silently."""
    f = tmp_path / "t.yaml"
    assert wz("template", "--department", "甲局", "--rulebook", KINDS, "-o", f).code == 0
    r = wz("validate", "--lang", "zh", f, "--rulebook", KINDS)  # what an evaluator sees
    assert r.code == 1
    assert "error WZ404 监测时间点（monitoring_date）尚未填写" in r.out
    # 待填写 (where null is an answer) and null alike: "not filled in yet", with the way out
    assert "error WZ404 tiers.answered 尚未填写" in r.out
    assert "error WZ404 checks.a 尚未填写" in r.out
    assert "must be a real date" not in r.out
    assert "--partial" in r.out


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("kind", ["rulebook", "report"])
def test_schema_model_kinds(kind: str) -> None:
    """schema rulebook|report prints a draft 2020-12 JSON Schema ending with a newline."""
    r = wz("schema", kind)
    assert r.code == 0
    assert r.out.endswith("}\n")
    assert json.loads(r.out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_findings_for_a_rulebook() -> None:
    """schema findings --rulebook generates the schema of that rulebook's findings."""
    data = json.loads(wz("schema", "findings", "--rulebook", KINDS).out)
    assert data["properties"]["rulebook"] == {
        "const": "kinds",
        "description": "the rulebook these findings are for",
    }
    assert "checks" in data["properties"]["indicators"]["properties"]


def test_schema_write(tmp_path: Path) -> None:
    """schema --write writes the five files, the ranking/2 one as the repository has it."""
    r = wz("schema", "--write", tmp_path / "s", "--rulebook", KINDS)
    assert r.code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == [
        "appeal.schema.json",
        "findings.schema.json",
        "ranking2.schema.json",
        "report.schema.json",
        "rulebook.schema.json",
    ]
    written = (tmp_path / "s" / "ranking2.schema.json").read_bytes()
    assert written == (ROOT / "schemas" / "ranking2.schema.json").read_bytes()
    assert b'"const": "ranking/2"' in written


def test_schema_usage_errors(tmp_path: Path) -> None:
    """schema needs a kind, and --write takes no kind."""
    assert wz("schema").code == 2
    r = wz("schema", "report", "--write", tmp_path)
    assert r.code == 2
    assert "--write" in r.err


# --------------------------------------------------------------------------- bundled rulebook


@needs_bundled
def test_bundled_rulebook_validates() -> None:
    """The bundled rulebook validates clean."""
    r = wz("validate", ROOT / "rulebooks")
    assert r.code == 0, r.out


@needs_bundled
def test_bundled_is_the_default(tmp_path: Path) -> None:
    """Without --rulebook findings are checked against the bundled rulebook."""
    r = wz("score", FINDINGS)
    assert r.code == 1
    assert "WZ408 findings are for rulebook 'kinds'" in r.err


@needs_bundled
@pytest.mark.usefixtures("chinese")
def test_bundled_template_fills_and_scores(tmp_path: Path) -> None:
    """A bundled-rulebook template, filled, validates and scores; explain works by name."""
    from support.filling import fill

    rb = wzeval.load_rulebook()
    target = tmp_path / "edu.yaml"
    assert wz("template", "--department", "市教育局", "-o", target).code == 0
    fill(target, rb)
    assert wz("validate", target).code == 0
    r = wz("score", target)
    assert r.code == 0, r.err
    assert r.out.startswith("市教育局 评分表")
    name = rb.indicators[0].name
    assert wz("explain", target, name).out.startswith(f"{name}（{rb.indicators[0].id}）")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n  # and another\n"])
@pytest.mark.parametrize("strict", [True, False])
def test_validate_refuses_an_empty_file(tmp_path: Path, text: str, strict: bool) -> None:
    """An empty or comment-only file is WZ115 at 1:1 for validate, strict or not
    (lint and score refuse it too); it used to pass as '1 file, 0 errors'."""
    from support.bounds import run_cli

    f = tmp_path / "empty.yaml"
    f.write_text(text, encoding="utf-8")
    run = run_cli(["validate", *(["--strict"] if strict else []), f])
    run.used.assert_within()
    assert run.returncode == 1, run.stderr
    assert f"{f}:1:1: error WZ115" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_cli_refuses_special_files_by_name(tmp_path: Path, special: str) -> None:
    """validate on /dev/zero or a FIFO: WZ113 naming it, exit 2, fast and small
    (it used to fill memory, or block for ever)."""
    import os

    from support.bounds import run_cli

    target = Path(special)
    if special == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
    run = run_cli(["validate", target], timeout=20)
    run.used.assert_within()
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"{target}: error WZ113 {target} is " in run.stdout + run.stderr


def test_validate_folder_warns_about_links_out_of_it(tmp_path: Path) -> None:
    """validate DIR does not read a symlink leading out of DIR: a WZ113 warning at it."""
    from support.bounds import run_cli

    inside = tmp_path / "in"
    inside.mkdir()
    (tmp_path / "secret.yaml").write_text("wzeval: findings/1\n", encoding="utf-8")
    (inside / "out.yaml").symlink_to(tmp_path / "secret.yaml")
    run = run_cli(["validate", inside])
    run.used.assert_within()
    assert f"{inside / 'out.yaml'}: warning WZ113" in run.stdout + run.stderr
    assert run.returncode == 0


@pytest.mark.parametrize("which", ["file", "in-folder", "symlink", "rulebook", "device"])
def test_force_never_writes_over_an_input_or_a_device(tmp_path: Path, which: str) -> None:
    """-o naming an input of the run (after symlinks) or a device is refused even with
    --force: exit 2, WZ914/WZ913 naming the file, and the input unchanged."""
    from support.bounds import run_cli

    folder = tmp_path / "batch"
    folder.mkdir()
    for path in EXAMPLES_FINDINGS[:2]:
        shutil.copy(path, folder / path.name)
    first = sorted(folder.iterdir())[0]
    kept = first.read_bytes()
    rulebook = tmp_path / "rulebook.yaml"
    shutil.copy(ROOT / "rulebooks" / "2023.yaml", rulebook)
    args: list[str | Path] = ["score", "--partial", "--force", "--rulebook", rulebook]
    output: Path
    if which == "file":
        args, output = [*args, first, "-o", first], first
    elif which == "in-folder":
        args, output = [*args, folder, "-o", first], first
    elif which == "symlink":
        output = tmp_path / "report.txt"
        output.symlink_to(first)
        args = [*args, folder, "-o", output]
    elif which == "rulebook":
        args, output = [*args, folder, "-o", rulebook], rulebook
    else:
        args, output = [*args, folder, "-o", os.devnull], Path(os.devnull)
    kept_rulebook = rulebook.read_bytes()
    result = run_cli(args)
    assert result.returncode == 2, result.stderr
    code = "WZ913" if which == "device" else "WZ914"
    assert f"wzeval: error: {code} {output}" in result.stderr
    assert "Traceback" not in result.stderr
    assert first.read_bytes() == kept
    assert rulebook.read_bytes() == kept_rulebook
    result.used.assert_within()


@pytest.mark.parametrize("command", ["template", "diff", "schema", "compare"])
def test_other_outputs_never_write_over_an_input(tmp_path: Path, command: str) -> None:
    """template, diff, schema and compare refuse an -o that names the rulebook they read
    (or a findings file of the comparison), --force or not: exit 2, WZ914, nothing
    changed."""
    rulebook = tmp_path / "rulebook.yaml"
    shutil.copy(ROOT / "rulebooks" / "2023.yaml", rulebook)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(EXAMPLES_FINDINGS[0], a / "x.yaml")
    shutil.copy(EXAMPLES_FINDINGS[0], b / "x.yaml")
    kept = rulebook.read_bytes()
    target: Path = rulebook
    args: list[str | Path]
    if command == "template":
        args = ["template", "--rulebook", rulebook, "--department", "市交通运输局"]
    elif command == "diff":
        args = ["diff", rulebook, rulebook]
    elif command == "schema":
        args = ["schema", "findings", "--rulebook", rulebook]
    else:
        target = b / "x.yaml"
        kept = target.read_bytes()
        args = ["compare", "--rulebook", rulebook, a, b]
    result = wz(*map(str, args), "-o", str(target), "--force")
    assert result.code == 2 and "WZ914" in result.err, result.err
    assert target.read_bytes() == kept
