"""Appeals and their review (wzeval.analysis._appeals, wzeval appeal)."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from support.cli import wz
from support.paths import ROOT

from wzeval.analysis._appeals import appeal_report, read_appeals
from wzeval.scoring._api import load_rulebook, score

WEAK = ROOT / "examples" / "findings" / "zhujianju-weak.yaml"
APPEAL = ROOT / "examples" / "appeals" / "zhujianju-appeal.yaml"
BUNDLED = ROOT / "rulebooks" / "2023.yaml"

pytestmark = pytest.mark.skipif(not BUNDLED.exists(), reason="bundled rulebook missing")


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """The shipped appeal and its findings in a folder of their own."""
    (tmp_path / "findings").mkdir()
    (tmp_path / "appeals").mkdir()
    shutil.copy(WEAK, tmp_path / "findings" / WEAK.name)
    shutil.copy(APPEAL, tmp_path / "appeals" / APPEAL.name)
    return tmp_path / "appeals" / APPEAL.name


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_upheld_appeal_changes_exactly_the_indicator_that_reads_it(case: Path) -> None:
    findings = case.parent.parent / "findings" / WEAK.name
    before = findings.read_bytes()
    rulebook = load_rulebook()
    read, issues = read_appeals([case], rulebook)
    assert not issues
    [outcome] = [appeal_report(r, rulebook) for r in read]
    moved = {
        i.id: (i.points, outcome.final.indicator(i.id).points)
        for i in outcome.preliminary.indicators
        if i.points != outcome.final.indicator(i.id).points
    }
    # A1 upheld: copies_policy_text false lifts the veto on 解读形式多样, 10% of the
    # weight 8 of 政策解读: 6.00 → 6.80.  A2 (rejected) changes nothing.
    assert moved == {"zhengce_jiedu": (Fraction(6), Fraction(68, 10))}
    # the base is rescaled to 100 over the applicable weight 97 (公益事业建设, 3, does
    # not apply), so the total moves by 0.80 × 100/97
    assert outcome.final.total - outcome.preliminary.total == Fraction(8, 10) * Fraction(100, 97)
    [change] = outcome.changes
    assert len(change.reasons) == 2 and "A1" in change.reasons[0] and "成立" in change.reasons[0]
    assert findings.read_bytes() == before


def test_rejected_appeal_changes_nothing(case: Path) -> None:
    edit(case, "result: upheld", "result: rejected")
    rulebook = load_rulebook()
    read, _ = read_appeals([case], rulebook)
    outcome = appeal_report(read[0], rulebook)
    assert outcome.final.total == outcome.preliminary.total
    assert all(c.final == c.preliminary for c in outcome.changes)


def test_cli_report_and_revised_findings(case: Path, tmp_path: Path) -> None:
    findings = case.parent.parent / "findings" / WEAK.name
    before = findings.read_bytes()
    revised = tmp_path / "final.yaml"
    r = wz("appeal", case, "--revised", revised, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    [dept] = data["departments"]
    assert [i["id"] for i in dept["indicators"]] == ["zhengce_jiedu"]
    assert dept["indicators"][0]["change"] == "0.8"
    assert findings.read_bytes() == before
    assert score(revised).total == score(findings).total + Fraction(80, 97)
    assert "申诉 A1 成立" in revised.read_text(encoding="utf-8")
    # the revision never goes over the preliminary findings
    r = wz("appeal", case, "--revised", findings, "--force")
    assert r.code == 2 and findings.read_bytes() == before
    assert "WZ914" in r.err


def test_text_report_shows_preliminary_and_final(case: Path) -> None:
    r = wz("appeal", case)
    assert r.code == 0, r.err
    assert "初评" in r.out and "终评" in r.out and "+0.80" in r.out


@pytest.mark.parametrize(
    ("old", "new", "code", "where"),
    [
        ("fact: copies_policy_text", "fact: copies_policy_txt", "WZ429", ":10:11"),
        ("indicator: zhengce_jiedu", "indicator: zhengce", "WZ429", ":9:16"),
        ("department: 市住建局", "department: 市住建", "WZ427", ":6:13"),
        ("department: 市住建局", "department: 市教育局", "WZ427", ":6:13"),
        ("../findings/zhujianju-weak.yaml", "../findings/nope.yaml", "WZ426", ":5:11"),
        ("wzeval: appeal/1", "wzeval: findings/1", "WZ425", ":4:9"),
        ("      result: upheld", "      result: maybe", "WZ428", ":18:15"),
    ],
)
def test_bad_input_is_placed(case: Path, old: str, new: str, code: str, where: str) -> None:
    edit(case, old, new)
    r = wz("appeal", case)
    assert r.code == 1
    line = next(line for line in r.err.splitlines() if code in line)
    assert line.startswith(f"{case}{where}: error {code} "), line
    assert any("\u4e00" <= ch <= "\u9fff" for ch in line.split(code)[1])  # in Chinese


def test_decided_twice(case: Path) -> None:
    edit(case, "fact: sampled_policies_interpreted", "fact: copies_policy_text")
    r = wz("appeal", case)
    assert r.code == 1
    [line] = [line for line in r.err.splitlines() if "WZ430" in line]
    assert line.startswith(f"{case}:31:7:") and f"{case}:18:7" in line


def test_decided_twice_across_documents(case: Path) -> None:
    second = case.with_name("again.yaml")
    shutil.copy(case, second)
    r = wz("appeal", case, second)
    assert r.code == 1 and r.err.count("WZ430") == 2


def test_pending_appeal_is_a_warning_and_counts_nothing(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    head, _, _ = text.partition("    decision:\n      result: upheld")
    rest = text.split("  - id: A2", 1)[1]
    case.write_text(head + "  - id: A2" + rest, encoding="utf-8")
    r = wz("appeal", case, "--format", "json")
    assert r.code == 0, r.err
    assert "WZ431" in r.err
    assert json.loads(r.out)["departments"][0]["pending"] == ["A1"]


def test_validate_checks_appeal_documents(case: Path) -> None:
    r = wz("validate", case)
    assert r.code == 0, r.out
    edit(case, "fact: copies_policy_text", "fact: copies_policy_txt")
    r = wz("validate", case)
    assert r.code == 1 and f"{case}:10:11: error WZ429" in r.out
