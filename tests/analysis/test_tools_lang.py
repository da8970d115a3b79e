"""The rulebook authors' tools speak the user's language: ``wzeval test``, ``verify`` and
``diff`` print Chinese by default and English with ``--lang en`` or ``WZEVAL_LANG=en``,
while ids, codes, change kinds, ``file:line`` and figures stay as they are, and ``diff``'s
JSON is the same in both languages."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest
from support.paths import ROOT

from wzeval.cli import run

CHECK_TESTS = Path("tests") / "corpus" / "ruletests" / "check.tests.yaml"
CHECK = Path("tests") / "corpus" / "check.yaml"
KINDS = Path("tests") / "rulebooks" / "kinds.yaml"
KINDS_2024 = Path("tests") / "corpus" / "extends" / "kinds-2024.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the paths printed are the ones given, relative to here


def _cli(*args: str | Path, code: int = 0) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run([str(a) for a in args], out, err) == code, err.getvalue()
    return out.getvalue()


# ----------------------------------------------------------------------------- wzeval test


def test_rule_tests_report_in_chinese_by_default() -> None:
    """check.tests.yaml: three cases, all passing, reaching the 8 targets of check.yaml
    (two checks earned and not, the veto fired and not, filler's check earned and not)."""
    assert _cli("test", CHECK_TESTS) == (
        f"{CHECK_TESTS}（规则集 {CHECK}）\n"
        "  共 3 个用例：3 个通过，0 个未通过\n"
        "  覆盖率：100.0%（8/8 个目标）\n"
    )


@pytest.mark.parametrize("how", ["--lang", "WZEVAL_LANG"])
def test_rule_tests_report_in_english_when_asked(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same report in English, by the option or by the environment."""
    if how == "--lang":
        text = _cli("--lang", "en", "test", CHECK_TESTS)
    else:
        monkeypatch.setenv("WZEVAL_LANG", "en")
        text = _cli("test", CHECK_TESTS)
    assert text == (
        f"{CHECK_TESTS} (rulebook {CHECK})\n"
        "  3 cases: 3 passed, 0 failed\n"
        "  coverage: 100.0% (8/8 targets)\n"
    )


def test_uncovered_targets_and_failures_in_chinese(tmp_path: Path) -> None:
    """A case that gets subject wrong: the failure, the figures and the uncovered targets in
    Chinese; subject's two 50% checks both hold, so it earns 10, not 5, and the one case
    reaches 4 of the 8 targets."""
    doc = tmp_path / "one.tests.yaml"
    doc.write_text(
        f"wzeval: ruletests/1\nrulebook: {ROOT / CHECK}\n"
        "cases:\n"
        "  - name: 全部符合\n"
        "    findings:\n"
        "      department: 甲局\n"
        "      monitoring_date: 2023-11-15\n"
        "      indicators:\n"
        "        subject: {standard: true, noise_free: true, fake: false}\n"
        "        filler: {ok: true}\n"
        "    expect: {subject: 5}\n",
        encoding="utf-8",
    )
    lines = _cli("test", doc, "--min-coverage", "100", code=1).splitlines()
    assert lines[1] == f"  未通过 全部符合 [{doc}:4:5]"
    assert lines[2] == "       subject：期望 5，实际 10"
    assert lines[3] == "         机构职能（subject）：得 10，满分 10"
    assert "  共 1 个用例：0 个通过，1 个未通过" in lines
    assert "  覆盖率：50.0%（4/8 个目标）" in lines
    assert any(line.endswith("：机构职能 subject.fake：已触发") for line in lines)


# ----------------------------------------------------------------------------- wzeval verify


_PROMISES_ZH = [
    "evaluates：通过全部检查的评估记录，计分时不出运行错误",
    "indicator-bounds：每个指标的得分在 [0, 权重] 之内（扣分指标在 [权重, 0] 之内）",
    "total-bounds：基础分在 [0, 100] 之内，加分和扣分不超出各自权重，总分 = 基础分 + 加分 + 扣分",
    "veto-zeroes：否决项触发的指标得 0 分",
    "more-deductions-never-help：扣分次数多计一次，不会提高指标得分",
    "higher-level-never-hurts：枚举事实的等级升高，不会降低按等级计分的评分项或其指标的得分",
    "larger-count-never-hurts：按区间计分的计数增大，不会降低该评分项或其指标的得分",
    "passing-check-never-hurts：检查所读的事实由假变真，不会降低该评分项或其指标的得分",
]


def test_verify_report_in_chinese_by_default() -> None:
    """check.yaml keeps every promise: each property listed as 成立 with its promise."""
    lines = _cli("verify", CHECK, "--max-examples", "20").splitlines()
    assert lines[0].startswith(f"verify {CHECK}：")
    assert lines[0].endswith(" 份评估记录（max_examples=20，seed=0）")
    assert lines[1:] == [f"  成立  {p}" for p in _PROMISES_ZH]


def test_verify_report_in_english_when_asked() -> None:
    lines = _cli("--lang", "en", "verify", CHECK, "--max-examples", "20").splitlines()
    assert lines[0].endswith(" findings documents (max_examples=20, seed=0)")
    assert lines[1] == (
        "  ok   evaluates: findings that pass every check evaluate without a runtime error"
    )
    assert lines[4] == "  ok   veto-zeroes: an indicator whose veto fired earns 0"


# ----------------------------------------------------------------------------- wzeval diff


def test_diff_in_chinese_by_default() -> None:
    """kinds → kinds-2024 (19 changes, 12 can move scores): the summary, a section heading
    and a changed weight, in the text and the Markdown.  The rulebook's own section is
    规则集, the diff's word for it (its heading and its lines say so), not a report's 评估规则."""
    text = _cli("diff", KINDS, KINDS_2024).splitlines()
    assert text[:3] == ["kinds → kinds-2024：共 19 处改动，其中 12 处影响得分", "", "规则集："]
    assert "  ~ 检查（checks）  indicator.weight：10 → 8  [影响得分]" in text
    md = _cli("diff", KINDS, KINDS_2024, "--format", "markdown").splitlines()
    assert md[0] == "## 规则集对比：`kinds` → `kinds-2024`"
    assert "| 检查（checks） | `indicator.weight` | 10 | 8 | 是 |" in md
    assert _cli("diff", KINDS, KINDS, "--format", "markdown") == (
        "## 规则集对比：`kinds` → `kinds`\n\n没有改动。\n"
    )


def test_diff_in_english_when_asked_and_json_the_same() -> None:
    text = _cli("--lang", "en", "diff", KINDS, KINDS_2024).splitlines()
    assert text[0] == "kinds → kinds-2024: 19 change(s), 12 affect scores"
    assert "  ~ 检查 (checks)  indicator.weight: 10 → 8  [score]" in text
    assert _cli("--lang", "en", "diff", KINDS, KINDS, "--format", "markdown") == (
        "## Rulebook diff: `kinds` → `kinds`\n\nNo changes.\n"
    )
    chinese = _cli("diff", KINDS, KINDS_2024, "--format", "json")
    assert _cli("--lang", "en", "diff", KINDS, KINDS_2024, "--format", "json") == chinese
    assert json.loads(chinese)["summary"]["changes"] == 19


def test_the_ci_workflow_recognises_an_unchanged_rulebook() -> None:
    """docs/ci-gating.md's workflow leaves out of the comment a rulebook whose diff says it
    has no changes: its grep pattern matches what ``wzeval diff --format markdown`` prints
    for an unchanged rulebook (in the default language, which the step uses), and not what
    it prints for a changed one."""
    page = (ROOT / "docs" / "ci-gating.md").read_text(encoding="utf-8")
    (pattern,) = re.findall(r'grep -q "(\^[^"]*\$)" <<<"\$out"', page)
    unchanged = _cli("diff", KINDS, KINDS, "--format", "markdown")
    changed = _cli("diff", KINDS, KINDS_2024, "--format", "markdown")
    assert re.search(pattern, unchanged, flags=re.M)
    assert not re.search(pattern, changed, flags=re.M)


# ----------------------------------------------------------------------------- the docs

DOCS = ("new-year.md", "ci-gating.md", "another-authority.md", "rule-tests.md")
_TOOLS = ("test", "verify", "diff", "validate", "lint")


def _shown_runs() -> list[tuple[str, str, list[str]]]:
    """Every ``$ wzeval test|verify|diff|validate|lint …`` of the authors' pages with the
    output shown under it (lines up to the next ``$``; a line ``…`` stands for lines left out)."""
    out = []
    for name in DOCS:
        page = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", page, flags=re.S):
            for run_text in re.split(r"^(?=\$ )", block, flags=re.M):
                command, _nl, shown = run_text.partition("\n")
                words = shlex.split(command.removeprefix("$ "))
                tool = [w for w in words[1:] if not w.startswith("-") and w != "en"][:1]
                if words[:1] == ["wzeval"] and tool and tool[0] in _TOOLS:
                    out.append((name, command, shown.splitlines()))
    return out


_RUNS = _shown_runs()


@pytest.mark.parametrize(
    ("name", "command", "shown"), _RUNS, ids=[f"{n}-{i}" for i, (n, _c, _s) in enumerate(_RUNS)]
)
def test_the_pages_show_what_the_commands_print(name: str, command: str, shown: list[str]) -> None:
    """The output shown under each run of test, verify, diff, validate and lint on the
    authors' pages is what the command prints now (in its language, default Chinese),
    line for line, in order; ``…`` skips lines."""
    words = shlex.split(command.removeprefix("$ "))[1:]
    out, err = io.StringIO(), io.StringIO()
    run(words, out, err)
    printed = out.getvalue().splitlines()
    at = 0
    for line in shown:
        if line == "…":
            continue
        assert line in printed[at:], f"{name}: {command!r} no longer prints {line!r}"
        at = printed.index(line, at) + 1


def test_the_pages_show_runs_of_each_tool() -> None:
    """The check above has something to check: the pages show all three tools' output."""
    tools = {
        next(w for w in shlex.split(c.removeprefix("$ "))[1:] if w in _TOOLS) for _n, c, _s in _RUNS
    }
    assert tools == set(_TOOLS)
