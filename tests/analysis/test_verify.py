"""verify(): property checks of any rulebook, with shrunk counterexamples as rule-test cases.

Small ``max_examples`` keep these fast; the searches are deterministic (seeded,
no example database).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from support.paths import TESTS

import wzeval
from wzeval.analysis._ruletest import run_tests
from wzeval.analysis._verify import PROPERTIES, Counterexample, format_verify_result, verify
from wzeval.core._i18n import speaking

HERE = TESTS
BROKEN = HERE / "verify" / "broken.yaml"
MONOTONE = (
    "more-deductions-never-help",
    "higher-level-never-hurts",
    "larger-count-never-hurts",
    "passing-check-never-hurts",
)


def _cases(example: Counterexample) -> list[dict[str, Any]]:
    cases = YAML(typ="safe", pure=True).load(example.to_yaml())
    assert isinstance(cases, list)
    return cases


def _points(rb: wzeval.Rulebook, case: dict[str, Any], indicator: str) -> Fraction:
    findings = wzeval.load_findings(case["findings"], rb, partial=case["partial"])
    return wzeval.evaluate(rb, findings, partial=True).indicator(indicator).points


@pytest.fixture(scope="module")
def broken() -> tuple[wzeval.Rulebook, dict[str, Counterexample]]:
    rb = wzeval.load_rulebook(BROKEN)
    result = verify(rb, max_examples=60, seed=0)
    return rb, {f.property: f for f in result.failures}


def test_broken_rulebook_fails_every_monotonicity_property(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]],
) -> None:
    """Each monotonicity promise the broken rulebook breaks is reported, and nothing else."""
    _, failures = broken
    assert set(failures) == set(MONOTONE)


@pytest.mark.parametrize("prop", MONOTONE)
def test_printed_counterexample_really_breaks_the_property(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]], prop: str
) -> None:
    """The printed YAML, evaluated again, gives the two figures and they break the promise."""
    rb, failures = broken
    example = failures[prop]
    before_case, after_case = _cases(example)
    assert example.indicator is not None
    assert before_case["partial"] is True
    assert list(before_case["findings"]["indicators"]) == [example.indicator]
    before = _points(rb, before_case, example.indicator)
    after = _points(rb, after_case, example.indicator)
    assert before == Fraction(before_case["expect"][example.indicator])
    assert after == Fraction(after_case["expect"][example.indicator])
    if prop == "more-deductions-never-help":
        assert after > before  # one more occurrence raised the indicator
    elif before <= after:
        # the indicator held, so the item's own credit must have gone down
        findings = wzeval.load_findings(before_case["findings"], rb, partial=True)
        moved = wzeval.load_findings(after_case["findings"], rb, partial=True)
        item = example.message.split("item ", 1)[1].split(" ", 1)[0]
        credit = [
            next(
                i.credit
                for i in wzeval.evaluate(rb, f, partial=True).indicator(example.indicator).items
                if i.id == item
            )
            for f in (findings, moved)
        ]
        assert credit[1] < credit[0]
    else:
        assert after < before


def test_counterexamples_are_shrunk(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]],
) -> None:
    """Shrinking finds the smallest breaking values: 本级名单 → 高级查询, and posts 2 → 3."""
    _, failures = broken
    assert failures["higher-level-never-hurts"].change == "levels.form: 本级名单 → 高级查询"
    assert failures["more-deductions-never-help"].change == "deduct.posts: 2 → 3"
    assert failures["passing-check-never-hurts"].change == "check.published: false → true"


def test_printed_cases_pass_as_rule_tests(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]], tmp_path: Path
) -> None:
    """Pasted under cases: in a rule-test document, the printed cases run and pass as is."""
    _, failures = broken
    body = "".join(
        "\n".join("  " + line for line in f.to_yaml().splitlines()) + "\n"
        for f in failures.values()
    )
    tests = tmp_path / "broken.tests.yaml"
    tests.write_text(f"wzeval: ruletests/1\nrulebook: {BROKEN}\ncases:\n{body}", encoding="utf-8")
    run = run_tests(tests)
    assert run.issues == ()
    assert len(run.cases) == 2 * len(MONOTONE)
    assert run.passed, [m.format() for c in run.cases for m in c.mismatches]


def test_missing_fact_bounds_are_caught_as_evaluation_errors(tmp_path: Path) -> None:
    """A given score read from a fact without max fails to evaluate; verify finds it."""
    text = BROKEN.read_text(encoding="utf-8").replace(
        "          - {id: ok, type: bool, ask: 其他合格？}\n"
        "        items:\n"
        "          - {id: ok, share: 100%, check: ok}",
        "          - {id: score, type: decimal, min: 0, ask: 编辑部给分}\n"
        "        items:\n"
        "          - {id: score, share: 100%, given: {value: score, out_of: 3}}",
    )
    path = tmp_path / "unbounded.yaml"
    path.write_text(text, encoding="utf-8")
    rb = wzeval.load_rulebook(path)
    result = verify(rb, max_examples=40, properties=["evaluates"])
    (failure,) = result.failures
    assert failure.property == "evaluates" and "WZ503" in failure.message
    findings = wzeval.load_findings(failure.findings, rb, partial=True)
    with pytest.raises(wzeval.ValidationFailed):
        wzeval.evaluate(rb, findings, partial=True)
    # shrunk to the smallest score above out_of that the generator can draw
    assert failure.findings["indicators"]["filler"]["score"] > 3


def test_sound_rulebooks_pass_every_property() -> None:
    """The kinds example and the bundled 2023 rulebook keep every promise."""
    for path, n in ((HERE / "rulebooks" / "kinds.yaml", 30), (None, 8)):
        result = verify(wzeval.load_rulebook(path), max_examples=n)
        assert result.ok, format_verify_result(result)
        assert result.examples >= n
        assert result.properties == tuple(PROPERTIES)


def test_same_seed_same_counterexample() -> None:
    """verify is deterministic for a seed: the same counterexample every run."""
    rb = wzeval.load_rulebook(BROKEN)
    a = verify(rb, max_examples=30, seed=7, properties=["higher-level-never-hurts"])
    b = verify(rb, max_examples=30, seed=7, properties=["higher-level-never-hurts"])
    assert a.failures == b.failures and len(a.failures) == 1


def test_unknown_property_is_refused() -> None:
    """Asking for a property that does not exist is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="veto-zeroes"):
        verify(wzeval.load_rulebook(BROKEN), properties=["monotone"])


def test_report_marks_failed_properties_and_prints_cases(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]],
) -> None:
    """The text report, in Chinese by default, lists each property as holding (成立) or not
    (不成立) and prints each counterexample.  The smallest break of higher-level-never-hurts
    in broken.yaml: 本级名单 earns 100% of 20 = 20, the next level 高级查询 60% of 20 = 12."""
    rb, _ = broken
    result = verify(rb, max_examples=30, properties=["veto-zeroes", "higher-level-never-hurts"])
    lines = format_verify_result(result).splitlines()
    assert lines[:7] == [
        f"verify {rb.file}：{result.examples} 份评估记录（max_examples=30，seed=0）",
        "  成立  veto-zeroes：否决项触发的指标得 0 分",
        "  不成立 higher-level-never-hurts："
        "枚举事实的等级升高，不会降低按等级计分的评分项或其指标的得分",
        "",
        "性质 higher-level-never-hurts 不成立："
        "levels.form: 本级名单 → 高级查询 — 查询服务（levels）从 20 变为 12",
        "# wzeval verify: 性质 'higher-level-never-hurts' 不成立："
        "levels.form: 本级名单 → 高级查询 — 查询服务（levels）从 20 变为 12",
        "# expect: 记的是规则集目前给出的分数；请先修正规则集，再写入评估表本意的分数。",
    ]
    assert "- name: 'verify higher-level-never-hurts：levels.form: 本级名单 → 高级查询" in lines[7]


def test_report_in_english(broken: tuple[wzeval.Rulebook, dict[str, Counterexample]]) -> None:
    """With English asked for, the same report in English (made in English: the messages of
    a counterexample are written when it is found)."""
    rb, _ = broken
    with speaking("en"):
        result = verify(rb, max_examples=30, properties=["veto-zeroes", "higher-level-never-hurts"])
        text = format_verify_result(result)
    assert (
        f"verify {rb.file}: {result.examples} findings documents (max_examples=30, seed=0)\n"
        in text
    )
    assert "  ok   veto-zeroes: an indicator whose veto fired earns 0\n" in text
    assert "  FAIL higher-level-never-hurts: a higher enum level never lowers" in text
    assert (
        "property higher-level-never-hurts fails: "
        "levels.form: 本级名单 → 高级查询 — 查询服务 (levels) goes from 20 to 12\n"
    ) in text
    assert "- name: 'verify higher-level-never-hurts: levels.form: 本级名单 → 高级查询" in text


def test_exit_code_and_json_summary(
    broken: tuple[wzeval.Rulebook, dict[str, Counterexample]],
) -> None:
    """A failed property gives exit code 1 and a JSON summary carrying its cases as YAML."""
    rb, _ = broken
    result = verify(rb, max_examples=30, properties=["veto-zeroes", "higher-level-never-hurts"])
    assert result.exit_code == 1
    summary = json.loads(json.dumps(result.to_dict()))
    by_name = {p["name"]: p for p in summary["properties"]}
    assert by_name["veto-zeroes"]["ok"] is True
    assert by_name["higher-level-never-hurts"]["ok"] is False
    assert (
        "- name: 'verify higher-level-never-hurts"
        in by_name["higher-level-never-hurts"]["cases_yaml"]
    )


def test_vetoes_and_gates_are_judged_by_the_whole_report() -> None:
    """A rulebook with a 单项否决 category, a gated bonus and grades keeps every promise:
    an indicator a veto or gate stopped is not compared with itself scored alone (it
    would seem to 'gain' points from one more deduction)."""
    for path in (
        HERE / "corpus" / "overall.yaml",
        HERE.parent / "rulebooks" / "national-2019.yaml",
    ):
        result = verify(wzeval.load_rulebook(path), max_examples=40, seed=0)
        assert result.ok, format_verify_result(result)
