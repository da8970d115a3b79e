"""The usual slips, each caught with its fix: tests/corpus/slips/slips.yaml, case by case.

Each case changes one line of a complete example and expects one issue, with its
code, a fragment of its Chinese message, its line:col and the suggested fix named
in the message (or, for a blank, in the hint) — and no other error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wzeval
from wzeval.api import compiled
from wzeval.findings import check_findings
from wzeval.issues import Issue, Severity
from wzeval.loader import load_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = load_document(ROOT / "tests" / "corpus" / "slips" / "slips.yaml").data
BASE = (ROOT / CORPUS["base"]).read_text(encoding="utf-8").splitlines()
CASES: list[dict[str, Any]] = CORPUS["cases"]


@pytest.fixture(scope="module")
def crb() -> Any:
    return compiled(wzeval.load_rulebook(ROOT / "rulebooks" / "2023.yaml"))


def test_the_corpus_is_large_and_distinct() -> None:
    """At least 30 slips, each id once, each changing the line it names."""
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert BASE[case["line"] - 1] != case["new"], case["id"]


def test_the_base_is_clean(crb: Any) -> None:
    findings, issues = check_findings(load_document(text="\n".join(BASE) + "\n"), crb)
    assert findings is not None and issues == []


def _check(case: dict[str, Any], crb: Any) -> list[Issue]:
    lines = list(BASE)
    lines[case["line"] - 1] = case["new"]
    doc = load_document(text="\n".join(lines) + "\n", name="f.yaml")
    _, issues = check_findings(doc, crb)
    return issues


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_slip_is_caught_with_its_fix(case: dict[str, Any], crb: Any) -> None:
    issues = _check(case, crb)
    shown = [i.format() for i in issues]
    found = [i for i in issues if i.code == case["code"]]
    assert len(found) == 1, shown
    (issue,) = found
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == tuple(case["at"]), shown
    assert case["message"] in issue.message, shown
    if case["fix"] is not None:
        assert case["fix"] in issue.message + " " + (issue.hint or ""), shown
    if case["code"] in ("WZ405", "WZ406", "WZ117"):  # a slip names the fix in the message
        assert case["fix"] is None or case["fix"] in issue.message, shown
    assert "Invalid isoformat" not in issue.message
    others = [i for i in issues if i is not issue and i.severity is Severity.ERROR]
    assert others == [], shown
    if issue.severity is Severity.WARNING:
        assert case["code"] == "WZ414"


def test_unknown_department_hides_nothing(crb: Any) -> None:
    """An unknown department is reported with the other slips, in one round."""
    lines = list(BASE)
    lines[9] = "department: 市交通局"
    lines[25] = "    content_matches_column: 是"
    lines[108] = "    last_updated: 2023/10/24"
    del lines[26]  # column_stale of jigou_zhineng: missing
    _, issues = check_findings(load_document(text="\n".join(lines) + "\n", name="f.yaml"), crb)
    codes = sorted(i.code for i in issues if i.severity is Severity.ERROR)
    assert codes == ["WZ404", "WZ405", "WZ405", "WZ407"], [i.format() for i in issues]
