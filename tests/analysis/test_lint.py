"""Lint: the registry, one fixture per code, configuration, output formats, generated docs.

Each fixture ``tests/lint/WLnnn.yaml`` marks the lines that must get an issue
of that code with a ``# expect: WLnnn`` comment; the issues of that code must be
exactly those lines.  ``tests/lint/WLnnn.txt`` is the snapshot of their text
(set ``WZEVAL_UPDATE_SNAPSHOTS=1`` to rewrite snapshots after a deliberate change).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import TESTS

import wzeval
from wzeval.analysis._lint import (
    RULES,
    LintConfig,
    exit_code,
    find_lint_config,
    format_github,
    format_json,
    format_text,
    lint,
    lint_file,
    load_lint_config,
    to_sarif,
)
from wzeval.core._issues import Issue, Position, Severity

# The fixtures' snapshots and these tests are in English (the default is Chinese:
# test_i18n.py runs lint in both).
pytestmark = pytest.mark.usefixtures("english")

HERE = TESTS
FIXTURES = HERE / "lint"
ROOT = HERE.parent
RULEBOOK_2023 = ROOT / "rulebooks" / "2023.yaml"
_EXPECT = re.compile(r"#\s*expect:\s*(WL\d{3})")


def _expected_lines(path: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for code in _EXPECT.findall(line):
            out.setdefault(code, set()).add(n)
    return out


def _relative(text: str) -> str:
    return text.replace(str(FIXTURES), "tests/lint")


# ----------------------------------------------------------------------------- registry


def test_codes_are_stable_and_documented() -> None:
    """Every check has a WLnnn code, a kebab-case name and docs with why, example and fix."""
    assert list(RULES) == sorted(RULES)
    assert len({r.name for r in RULES.values()}) == len(RULES)
    for code, r in RULES.items():
        assert re.fullmatch(r"WL\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name)
        assert r.summary.endswith(".")
        for section in ("**Why it matters.**", "**Example.**", "**Fix.**"):
            assert section in r.doc, (code, section)


def test_registering_a_code_twice_fails() -> None:
    """The registry refuses a duplicate code, so codes stay unique."""
    from wzeval.analysis._lint import rule

    with pytest.raises(ValueError, match="WL001"):
        rule("WL001", "another-name", Severity.INFO)(lambda ctx: [])


@pytest.mark.parametrize("code", list(RULES))
def test_fixture_gets_exactly_the_expected_issues(code: str) -> None:
    """Each code's fixture gets issues of that code on exactly its '# expect' lines."""
    fixture = FIXTURES / f"{code}.yaml"
    expected = _expected_lines(fixture)
    assert set(expected) == {code}, "a fixture marks only its own code"
    issues = [i for i in lint_file(fixture) if i.code == code]
    assert {i.position.line for i in issues if i.position} == expected[code]
    assert len(issues) == len(expected[code])
    assert all(i.severity is RULES[code].severity for i in issues)


@pytest.mark.parametrize("code", list(RULES))
def test_fixture_messages_match_snapshot(code: str) -> None:
    """The text of each code's issues matches its snapshot tests/lint/WLnnn.txt."""
    fixture = FIXTURES / f"{code}.yaml"
    text = _relative(format_text([i for i in lint_file(fixture) if i.code == code]))
    snapshot = FIXTURES / f"{code}.txt"
    if os.environ.get("WZEVAL_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def test_clean_fixture_has_no_issues() -> None:
    """A realistic rulebook (fallthrough tiers, open bands, shared veto sentences) is clean."""
    assert lint_file(FIXTURES / "clean.yaml") == []


def test_2023_rulebook_lists_exactly_the_non_stated_weights_of_r1() -> None:
    """On the 2023 rulebook lint reports only WL001, once per derived/assumed weight of R1."""
    issues = lint_file(RULEBOOK_2023)
    assert {i.code for i in issues} == {"WL001"}
    named = {re.search(r"\((\w+)\) is (\w+)", i.message).groups() for i in issues}  # type: ignore[union-attr]
    assert named == {
        ("zhengce_wenjian", "assumed"),
        ("zhongda_jianshe_xiangmu", "assumed"),
        ("gonggong_ziyuan_peizhi", "assumed"),
        ("zhuanti_zhuanlan", "assumed"),
        ("zhengce_jiedu", "assumed"),
        ("guifan_sheji", "assumed"),
        ("jiyuehua_pingtai", "assumed"),
        ("chaxun_fuwu", "derived"),
        ("minyi_zhengji", "derived"),
        ("guifanxing_wenjian", "derived"),
        ("xmt_xinxi_fabu", "derived"),
    }
    # The engine's own words name no ruling of any table; the 2023 rulebook's ruling
    # (R1, in its own text) reaches the reader through the hint.
    assert not any(re.search(r"\bR\d+\b", i.message) for i in issues)
    assert all("the rulebook's ruling: R1" in (i.hint or "") for i in issues)


def test_lint_file_reports_validator_errors_for_an_invalid_rulebook(tmp_path: Path) -> None:
    """A rulebook that does not pass the validator yields its WZ errors, not lint issues."""
    bad = tmp_path / "bad.yaml"
    text = (FIXTURES / "clean.yaml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace(
            'share: 50%\n            source: "1.1', 'share: 40%\n            source: "1.1'
        ),
        encoding="utf-8",
    )
    issues = lint_file(bad)
    assert issues and all(i.code.startswith("WZ") for i in issues)
    assert any(i.severity is Severity.ERROR for i in issues)


def test_lint_accepts_an_in_memory_rulebook() -> None:
    """lint() compiles a rulebook built in memory and reports document paths."""
    data = wzeval.load_rulebook(FIXTURES / "WL009.yaml").model_dump(mode="json")
    rb = wzeval.Rulebook.model_validate(data)
    issues = [i for i in lint(rb) if i.code == "WL009"]
    assert len(issues) == 5
    assert issues[0].position is None
    assert issues[0].path[:2] == ("categories", 0)


# ----------------------------------------------------------------------------- rows, from the kinds


def test_row_checks_report_what_the_kinds_find(monkeypatch: pytest.MonkeyPatch) -> None:
    """WL002–WL006 report what each kind's ``lint_rows`` yields, with lint's severity and
    rule name: lint reads no rows itself, so a kind brings its own row rules."""
    from wzeval.kinds import RowIssue
    from wzeval.kinds.tiers import KIND as TIERS

    def lint_rows(
        self: object, rule: object, path: tuple[str | int, ...], item: str, t: object
    ) -> Iterator[RowIssue]:
        yield RowIssue("WL004", (*path, 0), f"{item}: found by the kind", "a hint")

    monkeypatch.setattr(type(TIERS), "lint_rows", lint_rows)
    rb = wzeval.load_rulebook(FIXTURES / "WL002.yaml")
    tiered = [
        it
        for cat in rb.categories
        for ind in cat.indicators
        for it in ind.items
        if it.rule_kind == "tiers"
    ]
    issues = lint(rb, config=LintConfig(severity={"WL004": "error"}))
    found = [i for i in issues if i.message.endswith("found by the kind")]
    assert tiered and len(found) == len(tiered)
    assert all(i.code == "WL004" and i.severity is Severity.ERROR for i in found)
    assert all(i.extra["rule"] == "band-gap" and i.path[-2:] == ("tiers", 0) for i in found)
    assert not [i for i in issues if i.code == "WL002" and "tiers" in i.path]


def test_lint_imports_no_rule_kind_module() -> None:
    """The lint package reaches kinds only through wzeval.kinds (the hooks), never a kind's
    own module and its models."""
    import ast

    package = ROOT / "src" / "wzeval" / "analysis" / "_lint"
    imported = {
        node.module
        for path in sorted(package.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "wzeval.kinds" in imported
    assert not {m for m in imported if m.startswith("wzeval.kinds.")}


# ----------------------------------------------------------------------------- configuration


def test_config_changes_severity_and_disables_codes() -> None:
    """Severity overrides apply by code or name; disabled codes do not run."""
    rb = wzeval.load_rulebook(FIXTURES / "WL007.yaml")
    cfg = LintConfig(severity={"never-earns": "error"}, disabled={"WL013", "WL008"})
    issues = lint(rb, config=cfg)
    assert {i.code for i in issues} == {"WL007"}
    assert all(i.severity is Severity.ERROR for i in issues)


def test_config_refuses_unknown_codes_with_a_suggestion() -> None:
    """A mistyped code is an error naming the closest code, never silently ignored."""
    with pytest.raises(ValueError, match="did you mean 'never-earns'"):
        LintConfig(disabled={"never-earn"})
    with pytest.raises(ValueError, match="severity of WL001"):
        LintConfig(severity={"WL001": "fatal"})


def test_config_loads_from_pyproject_and_is_found_upwards(tmp_path: Path) -> None:
    """[tool.wzeval.lint] is read from the nearest pyproject.toml above the rulebook."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.wzeval.lint]\ndisable = ["WL013"]\nseverity = { WL001 = "info" }\n',
        encoding="utf-8",
    )
    nested = tmp_path / "rulebooks" / "2024"
    nested.mkdir(parents=True)
    cfg = find_lint_config(nested)
    assert not cfg.enabled("WL013") and cfg.enabled("WL001")
    assert cfg.severity_of("WL001") is Severity.INFO
    assert cfg.severity_of("WL002") is Severity.WARNING
    assert load_lint_config(tmp_path / "pyproject.toml") == cfg


def test_config_refuses_unknown_keys(tmp_path: Path) -> None:
    """An unknown key in [tool.wzeval.lint] is an error."""
    p = tmp_path / "pyproject.toml"
    p.write_text('[tool.wzeval.lint]\nignore = ["WL013"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="ignore"):
        load_lint_config(p)


def test_no_config_found_means_defaults(tmp_path: Path) -> None:
    """Without a [tool.wzeval.lint] table every check runs at its default severity."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    cfg = find_lint_config(tmp_path)
    assert all(cfg.enabled(c) and cfg.severity_of(c) is r.severity for c, r in RULES.items())


# ----------------------------------------------------------------------------- output


def _sample() -> list[Issue]:
    return [i for i in lint_file(FIXTURES / "WL002.yaml") if i.code == "WL002"][:2]


def test_text_output_ends_with_a_summary() -> None:
    """Text output has one file:line:col line per issue and a count summary."""
    text = format_text(_sample())
    lines = text.splitlines()
    assert re.match(r".*WL002\.yaml:\d+:\d+: warning WL002 ", lines[0])
    assert lines[-1] == "found 2 warnings"
    assert format_text([]) == "no issues\n"


def test_json_output_round_trips() -> None:
    """JSON output is a list of issues with code, rule name, severity and position."""
    data = json.loads(format_json(_sample()))
    assert [d["code"] for d in data] == ["WL002", "WL002"]
    assert data[0]["rule"] == "unreachable-row"
    assert data[0]["line"] == 27 and data[0]["severity"] == "warning"


def test_github_annotations_escape_their_properties() -> None:
    """GitHub annotations carry file/line/col/title and escape ',', ':', '%' and newlines."""
    issue = Issue(
        "WL001",
        "50% off,\nreally",
        position=Position("a,b:c.yaml", 3, 7),
        severity=Severity.WARNING,
        extra={"rule": "non-stated-weight"},
    )
    line = format_github([issue]).strip()
    assert line == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,col=7,title=WL001 non-stated-weight::"
        "50%25 off,%0Areally"
    )
    info = Issue("WL013", "m", severity=Severity.INFO)
    assert format_github([info]).startswith("::notice title=WL013 missing-source::")


def test_issue_formats_without_a_registry_title_by_code() -> None:
    """The shared formats (wzeval.output._issueformats) serve validate too: without a registry an
    annotation is titled by its code alone, exactly the one annotation writer's line."""
    import wzeval.output._issueformats as issueformats
    from wzeval.core._issues import github_annotation

    issues = [
        Issue("WZ204", "shares", position=Position("x.yaml", 2, 3)),
        Issue("WL002", "row", severity=Severity.WARNING),
    ]
    assert issueformats.format_github(issues) == "".join(
        github_annotation(i) + "\n" for i in issues
    )
    assert "title=WL002 unreachable-row" in format_github(issues)  # lint's: with the name
    assert issueformats.format_github([]) == ""
    assert issueformats.format_issue_lines(issues) == "".join(i.format() + "\n" for i in issues)


def test_sarif_describes_every_rule_and_locates_results() -> None:
    """SARIF 2.1.0: driver rules carry name, descriptions and help; results have regions."""
    issues = _sample()
    log = to_sarif(issues, RULES, base=ROOT)
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    first = rules[0]
    assert first["name"] == "NonStatedWeight"
    assert first["shortDescription"]["text"] == RULES["WL001"].summary
    assert "**Fix.**" in first["help"]["markdown"]
    result = run["results"][0]
    assert result["ruleId"] == "WL002" and result["level"] == "warning"
    assert rules[result["ruleIndex"]]["id"] == "WL002"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "tests/lint/WL002.yaml"
    assert physical["region"] == {"startLine": 27, "startColumn": 24}
    json.dumps(log)  # serialisable as is


def test_sarif_gives_validator_codes_a_rule_entry() -> None:
    """A WZ issue in a SARIF log still has a rule entry, so its ruleIndex resolves."""
    log = to_sarif([Issue("WZ204", "shares", position=Position("x.yaml", 1, 1))])
    run = log["runs"][0]
    index = run["results"][0]["ruleIndex"]
    assert run["tool"]["driver"]["rules"][index]["id"] == "WZ204"
    assert run["results"][0]["level"] == "error"


# ----------------------------------------------------------------------------- docs


def test_lint_codes_reference_lists_every_rule() -> None:
    """docs/lint-codes.md (kept fresh by tests/test_generated.py) has a section per rule."""
    doc = (ROOT / "docs" / "lint-codes.md").read_text(encoding="utf-8")
    for code in RULES:
        assert f"## {code}" in doc


def test_exit_codes_follow_the_cli_contract(tmp_path: Path) -> None:
    """0 clean or warnings only, 1 errors (or warnings with fail_on) and YAML syntax errors,
    2 unreadable input (missing, not UTF-8, too large)."""
    warnings = lint_file(FIXTURES / "WL005.yaml")
    assert exit_code([]) == 0
    assert exit_code(warnings) == 0
    assert exit_code(warnings, fail_on="warning") == 1
    rb_errors = lint(
        wzeval.load_rulebook(FIXTURES / "WL005.yaml"),
        config=LintConfig(severity={"WL005": "error"}),
    )
    assert exit_code(rb_errors) == 1
    infos = [i for i in lint_file(FIXTURES / "WL013.yaml") if i.code == "WL013"]
    assert exit_code(infos, fail_on="warning") == 0 and exit_code(infos, fail_on="info") == 1
    invalid = tmp_path / "invalid.yaml"
    text = (FIXTURES / "clean.yaml").read_text(encoding="utf-8")
    invalid.write_text(text.replace("weight: 40", "weight: 41", 1), encoding="utf-8")
    assert exit_code(lint_file(invalid)) == 1  # the validator's WZ203: content is wrong
    broken = tmp_path / "broken.yaml"
    broken.write_text("wzeval: rulebook/1\ncategories: [\n", encoding="utf-8")
    assert exit_code(lint_file(broken)) == 1  # a YAML syntax error is content (exitcodes)
    assert exit_code(lint_file(tmp_path / "missing.yaml")) == 2
