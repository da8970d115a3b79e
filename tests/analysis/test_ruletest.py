"""Rule tests: cases shipped with a rulebook, compared exactly, with coverage of its rules."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from support.paths import TESTS
from support.ruletests import RULE_TESTS_HEADER

from wzeval.analysis._ruletest import TestRun, format_test_run, run_tests
from wzeval.core._i18n import speaking

HERE = TESTS
ROOT = HERE.parent
CORPUS = HERE / "corpus"
CHECK = CORPUS / "check.yaml"

_HEADER = RULE_TESTS_HEADER


def _run(tmp_path: Path, cases: str, rulebook: Path | str = CHECK) -> TestRun:
    doc = tmp_path / "check.tests.yaml"
    doc.write_text(_HEADER.format(rulebook=rulebook) + cases, encoding="utf-8")
    return run_tests(doc)


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


# ----------------------------------------------------------------------------- shipped tests


def test_2023_rule_tests_pass_with_full_coverage() -> None:
    """rulebooks/2023.tests.yaml passes, with hand-worked figures, and covers every target."""
    run = run_tests(ROOT / "rulebooks" / "2023.tests.yaml")
    assert run.issues == ()
    assert run.passed, format_test_run(run)
    assert run.coverage is not None
    assert run.coverage.uncovered == [], format_test_run(run)
    assert run.coverage.percent == 100
    assert len(run.coverage.targets) > 300
    assert run.ok(min_coverage=100)


@pytest.mark.parametrize(
    "tests", sorted((CORPUS / "ruletests").glob("*.tests.yaml")), ids=lambda p: p.name
)
def test_corpus_rule_tests_pass_with_full_coverage(tests: Path) -> None:
    """Each corpus rulebook's rule tests pass and reach every reachable target."""
    run = run_tests(tests)
    assert run.passed, format_test_run(run)
    assert run.coverage is not None and run.coverage.uncovered == [], format_test_run(run)


def test_every_corpus_rulebook_has_rule_tests() -> None:
    """There is a tests/corpus/ruletests/<kind>.tests.yaml for every corpus rulebook."""
    kinds = {p.stem for p in CORPUS.glob("*.yaml")}
    tested = {p.name.removesuffix(".tests.yaml") for p in (CORPUS / "ruletests").glob("*.yaml")}
    assert kinds == tested


# ----------------------------------------------------------------------------- coverage


def test_untested_item_is_reported_uncovered_at_its_line(tmp_path: Path) -> None:
    """A case set that never fails 'noise_free' reports exactly its 'not earned' target."""
    cases = """  - name: all good
    findings: {}
    expect: {subject: 10}
  - name: standard fails, fake fires, filler fails
    findings: {indicators: {subject: {standard: false, fake: true}, filler: {ok: false}}}
    expect: {subject: 0, total: 0}
"""
    run = _run(tmp_path, cases)
    assert run.passed
    assert run.coverage is not None
    assert [t.id for t in run.coverage.uncovered] == ["subject.noise_free:not-earned"]
    (target,) = run.coverage.uncovered
    assert target.where == f"{CHECK}:{_line(CHECK, '{id: noise_free, share: 50%')}"
    assert run.coverage.percent == Fraction(700, 8)
    assert run.ok(min_coverage=87.5) and not run.ok(min_coverage=90)
    text = format_test_run(run)
    assert f"    未覆盖：{target.where}：机构职能 subject.noise_free：未得分\n" in text
    with speaking("en"):  # a description is made in the language of the run
        text = format_test_run(_run(tmp_path, cases))
    assert f"    not covered: {target.where}: 机构职能 subject.noise_free: not-earned\n" in text


def test_tier_rows_are_covered_by_the_row_that_matched(tmp_path: Path) -> None:
    """A case answered on day 4 covers tier row 2 only; row 1 stays uncovered."""
    doc = tmp_path / "tiers.tests.yaml"
    doc.write_text(
        f"""wzeval: ruletests/1
rulebook: {CORPUS / "tiers.yaml"}
cases:
  - name: tier 2
    findings:
      department: 甲局
      monitoring_date: 2023-11-30
      indicators:
        subject: {{asked: 2023-11-13, answered: 2023-11-17, accurate: true}}
        filler: {{ok: true}}
    expect: {{subject: 7}}
""",
        encoding="utf-8",
    )
    run = run_tests(doc)
    assert run.passed and run.coverage is not None
    uncovered = {t.id for t in run.coverage.uncovered}
    assert "subject.reply:tier1" in uncovered
    assert "subject.reply:tier2" not in uncovered


def test_unreachable_targets_are_listed_apart(tmp_path: Path) -> None:
    """A check that is literally true can never fail: listed as unreachable, not uncovered."""
    run = run_tests(CORPUS / "ruletests" / "tiers.tests.yaml")
    assert run.coverage is not None
    assert [t.id for t in run.coverage.unreachable] == ["subject.rest:not-earned"]
    assert "subject.rest:not-earned" not in {t.id for t in run.coverage.targets}
    assert "    不可达（见 wzeval lint）：" in format_test_run(run)
    with speaking("en"):
        text = format_test_run(run_tests(CORPUS / "ruletests" / "tiers.tests.yaml"))
    assert "    unreachable (see wzeval lint): " in text


# ----------------------------------------------------------------------------- failures


_WRONG = """  - name: wrong on purpose
    findings: {indicators: {subject: {noise_free: false}}}
    expect: {subject: "7.5", total: 95, vetoed: [subject]}
"""


def test_failing_case_shows_expected_actual_and_the_trace(tmp_path: Path) -> None:
    """A wrong figure fails with expected vs actual and the indicator's items and vetoes:
    the whole report, in Chinese by default.  subject earns 5 of 10 (standard's 50%, not
    noise_free's), so 7.5 is wrong; the total 5 + 90 = 95 is right; no veto fired.  The one
    case reaches 4 of the 8 targets (standard earned, noise_free not earned, fake not fired,
    ok earned)."""
    run = _run(tmp_path, _WRONG)
    (case,) = run.cases
    assert not case.passed and not run.passed
    doc = tmp_path / "check.tests.yaml"

    def at(needle: str) -> str:
        return f"{CHECK}:{_line(CHECK, needle)}"

    assert format_test_run(run).splitlines() == [
        f"{doc}（规则集 {CHECK}）",
        f"  未通过 wrong on purpose [{doc}:10:5]",
        "       subject：期望 7.5，实际 5",
        "       vetoed：期望 [subject]，实际 []",
        "         机构职能（subject）：得 5，满分 10",
        "           评分项 standard（check，份额 50%）：符合，得 50% → 5",
        "           评分项 noise_free（check，份额 50%）：不符合，得 0 → 0",
        "           否决项 fake：未触发",
        "           事实：standard=true, noise_free=false, fake=false",
        "  共 1 个用例：0 个通过，1 个未通过",
        "  覆盖率：50.0%（4/8 个目标）",
        f"    未覆盖：{at('{id: standard, share')}：机构职能 subject.standard：未得分",
        f"    未覆盖：{at('{id: noise_free, share')}：机构职能 subject.noise_free：得分",
        f"    未覆盖：{at('{id: fake, when')}：机构职能 subject.fake：已触发",
        f"    未覆盖：{at('{id: ok, share')}：其他 filler.ok：未得分",
    ]


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_failing_case_in_english(tmp_path: Path) -> None:
    """The same report with English asked for: labels, counts and the trace's own words."""
    run = _run(tmp_path, _WRONG)
    (case,) = run.cases
    assert [m.format() for m in case.mismatches] == [
        "subject: expected 7.5, got 5",
        "vetoed: expected [subject], got []",
    ]
    trace = case.traces["subject"].splitlines()
    assert trace[0] == "机构职能 (subject): 5 of 10"
    assert trace[2].startswith("  item noise_free (check, share 50%): ")
    assert trace[3] == "  veto fake: not fired"
    assert trace[4] == "  facts: standard=true, noise_free=false, fake=false"
    text = format_test_run(run)
    assert "\n  FAIL wrong on purpose [" in text
    assert "\n  1 case: 0 passed, 1 failed\n  coverage: 50.0% (4/8 targets)\n" in text


def test_exact_figures_in_any_written_form(tmp_path: Path) -> None:
    """Expected points may be written 5, 5.0, "5", "10/2"; all compare exactly."""
    run = _run(
        tmp_path,
        """  - name: forms
    findings: {indicators: {subject: {noise_free: false}}}
    expect: {subject: "10/2", total: 95.0, base: "95", filler: 90}
""",
    )
    assert run.passed, format_test_run(run)


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_bad_findings_are_reported_inside_the_tests_file(tmp_path: Path) -> None:
    """A misspelt fact in a case is an error placed at the case's line, with a suggestion."""
    run = _run(
        tmp_path,
        """  - name: typo
    findings: {indicators: {subject: {noise_fre: false}}}
    expect: {subject: 5}
""",
    )
    (case,) = run.cases
    (issue,) = case.errors
    assert issue.code == "WZ403" and "did you mean 'noise_free'" in (issue.hint or "")
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == (11, 39)  # the misspelt key
    assert not run.passed


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_expect_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    """An expectation naming no indicator fails the case instead of being ignored."""
    run = _run(
        tmp_path,
        """  - name: typo in expect
    findings: {}
    expect: {subjec: 10}
""",
    )
    (case,) = run.cases
    assert not case.passed
    assert "did you mean 'subject'" in (case.errors[0].hint or "")


def test_fired_names_exactly_the_vetoes_that_fired(tmp_path: Path) -> None:
    """``fired`` holds when exactly the named vetoes fired, and fails naming the ones that did."""
    run = _run(
        tmp_path,
        "  - {name: fake, findings: {indicators: {subject: {fake: true}}},"
        " expect: {subject: 0, fired: [subject.fake]}}\n"
        "  - {name: none, findings: {}, expect: {subject: 10, fired: [subject.fake]}}\n"
        "  - {name: clean, findings: {}, expect: {subject: 10, fired: []}}\n",
    )
    fake, none, clean = run.cases
    assert fake.passed and clean.passed
    assert [m.format() for m in none.mismatches] == ["fired：期望 [subject.fake]，实际 []"]


def test_fired_refuses_an_unknown_veto_with_a_suggestion(tmp_path: Path) -> None:
    """A misspelt veto is an error in the tests file (WZ201), with the declared name offered."""
    run = _run(tmp_path, "  - {name: x, findings: {}, expect: {fired: [subject.fak]}}\n")
    (case,) = run.cases
    assert not case.passed
    (err,) = case.errors
    assert err.code == "WZ201" and "subject.fak" in err.message
    assert "subject.fake" in (err.hint or "")
    assert err.position is not None and (err.position.line, err.position.col) == (10, 45)


def test_base_possible_is_an_expected_figure(tmp_path: Path) -> None:
    """``base_possible`` (the weights that applied) is compared like the other figures."""
    run = _run(
        tmp_path,
        "  - {name: right, findings: {}, expect: {base_possible: 100}}\n"
        "  - {name: wrong, findings: {}, expect: {base_possible: 90}}\n",
    )
    right, wrong = run.cases
    assert right.passed
    assert [m.format() for m in wrong.mismatches] == ["base_possible：期望 90，实际 100"]


def test_rulebook_may_be_named_by_its_bundled_id(tmp_path: Path) -> None:
    """rulebook: xianning-2023 resolves to the bundled 2023 rulebook."""
    doc = tmp_path / "t.tests.yaml"
    text = (ROOT / "rulebooks" / "2023.tests.yaml").read_text(encoding="utf-8")
    # the whole-table cases are enough to show the rulebook was found and used
    head, whole_table, _rest = text.split("  # ====", 2)
    text = head + "  # ====" + whole_table
    doc.write_text(text.replace("rulebook: 2023.yaml", "rulebook: xianning-2023"), encoding="utf-8")
    run = run_tests(doc)
    assert run.rulebook is not None and run.rulebook.endswith("2023.yaml")
    assert run.passed


def test_unreadable_documents_are_not_readable(tmp_path: Path) -> None:
    """A missing rulebook or a document of another kind yields issues and readable=False."""
    run = _run(tmp_path, "  - {name: x, findings: {}, expect: {total: 1}}\n", "missing.yaml")
    assert not run.readable and not run.passed
    assert run.issues[0].code == "WZ110"
    other = tmp_path / "other.yaml"
    other.write_text("wzeval: findings/1\n", encoding="utf-8")
    run = run_tests(other)
    assert not run.readable and "ruletests/1" in (run.issues[0].hint or "")
    missing = run_tests(tmp_path / "nope.tests.yaml")
    assert not missing.readable and missing.issues[0].code == "WZ110"


def test_cases_need_an_expectation(tmp_path: Path) -> None:
    """A case without expect is an error: a case that checks nothing would always pass."""
    run = _run(tmp_path, "  - {name: nothing, findings: {}}\n")
    (case,) = run.cases
    assert not case.passed and "expect" in case.errors[0].message


def test_exit_codes_and_json_summary(tmp_path: Path) -> None:
    """exit_code: 0 passed and covered, 1 failed or under min_coverage, 2 unreadable."""
    good = run_tests(CORPUS / "ruletests" / "check.tests.yaml")
    assert good.exit_code() == 0 and good.exit_code(min_coverage=100) == 0
    partial = _run(tmp_path, "  - {name: one, findings: {}, expect: {subject: 10}}\n")
    assert partial.exit_code() == 0 and partial.exit_code(min_coverage=100) == 1
    assert _run(tmp_path, "  - {name: x, findings: {}, expect: {subject: 1}}\n").exit_code() == 1
    assert run_tests(tmp_path / "missing.tests.yaml").exit_code() == 2
    summary = json.loads(json.dumps(partial.to_dict()))
    assert summary["passed"] is True
    assert summary["coverage"]["targets"] == 8 and summary["coverage"]["covered"] == 4
    assert {u["id"] for u in summary["coverage"]["uncovered"]} == {
        "subject.standard:not-earned",
        "subject.noise_free:not-earned",
        "subject.fake:fired",
        "filler.ok:not-earned",
    }


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_keys_point_at_the_key(tmp_path: Path) -> None:
    """A misspelt key, at the top or in a case, is reported where the key is written."""
    run = _run(
        tmp_path,
        "  - name: typo\n    findings: {}\n    expected: {subject: 10}\n    expect: {subject: 10}\n"
        "extra: 1\n",
    )
    doc = tmp_path / "check.tests.yaml"
    by_message = {i.message: i for i in [*run.issues, *run.cases[0].issues]}
    top = by_message["unknown key 'extra'"]
    assert (top.position.line, top.position.col) == (_line(doc, "extra: 1"), 1)
    case = by_message["unknown key 'expected' in a case"]
    assert (case.position.line, case.position.col) == (_line(doc, "expected:"), 5)
    assert case.hint is not None and "expect" in case.hint


def test_trace_values_read_as_yaml() -> None:
    """A trace shows each fact as the YAML it was recorded in: true, null, an exact
    decimal, flow lists and maps — never Python's True, None or Fraction(1, 2)."""
    from fractions import Fraction

    from wzeval.analysis._ruletest import _flow

    assert _flow(True) == "true" and _flow(False) == "false" and _flow(None) == "null"
    assert _flow(Fraction(1, 2)) == "0.5" and _flow(Fraction(1, 3)) == "1/3"
    assert _flow([True, "a", Fraction(3, 2)]) == "[true, a, 1.5]"
    assert _flow({"ok": False, "n": 3}) == "{ok: false, n: 3}"
