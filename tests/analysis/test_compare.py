"""Rounds of findings compared (wzeval.analysis._compare, wzeval compare)."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from support.cli import wz
from support.paths import ROOT

EXAMPLES = ROOT / "examples" / "findings"
BUNDLED = ROOT / "rulebooks" / "2023.yaml"

pytestmark = pytest.mark.skipif(not BUNDLED.exists(), reason="bundled rulebook missing")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def rounds(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Q3: the shipped examples; Q4: two facts edited; Q5: as Q3 again."""
    folders = tuple(tmp_path / q for q in ("Q3", "Q4", "Q5"))
    for folder in folders:
        shutil.copytree(EXAMPLES, folder)
    q4 = folders[1]
    # 市生态环境局: 机构职能 (weight 2) loses its 50% item 内容与栏目一致: -1.00
    edit(
        q4 / "shengtaihuanjing-strong.yaml",
        "    content_matches_column: true",
        "    content_matches_column: false",
    )
    # 市住建局: 政策解读 (weight 8) no longer copies the text: its veto on the 10% item
    # 解读形式多样 lifts, +0.80
    edit(
        q4 / "zhujianju-weak.yaml",
        "    copies_policy_text:\n      value: true",
        "    copies_policy_text:\n      value: false",
    )
    return folders


def test_two_rounds_report_exactly_the_edited_facts(rounds: tuple[Path, Path, Path]) -> None:
    q3, q4, _ = rounds
    r = wz("compare", q3, q4, "--partial", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    [step] = data["steps"]
    moved = {d["department"]: d for d in step["departments"] if d["change"] != "0"}
    assert set(moved) == {"市生态环境局", "市住建局"}
    sthj = moved["市生态环境局"]
    [ind] = sthj["indicators"]
    assert (ind["id"], ind["change"]) == ("jigou_zhineng", "-1")
    assert [(f["id"], f["old"], f["new"]) for f in ind["facts"]] == [
        ("content_matches_column", True, False)
    ]
    # 市生态环境局's base has every weight applicable (100), so the total moves by -1 too
    assert Fraction(sthj["change"]) == -1
    zjj = moved["市住建局"]
    [ind] = zjj["indicators"]
    assert (ind["id"], ind["change"]) == ("zhengce_jiedu", "0.8")
    assert [f["id"] for f in ind["facts"]] == ["copies_policy_text"]
    assert ind["facts"][0]["at"].endswith("zhujianju-weak.yaml:193:14")
    # 市住建局's base is rescaled by 100/97 (公益事业建设, weight 3, does not apply)
    assert Fraction(zjj["change"]) == Fraction(8, 10) * Fraction(100, 97)
    # nothing else moved
    assert all(not d["indicators"] for d in step["departments"] if d["change"] == "0")


def test_text_and_markdown(rounds: tuple[Path, Path, Path]) -> None:
    q3, q4, _ = rounds
    text = wz("compare", q3, q4, "--partial").out
    assert "机构职能（jigou_zhineng）：2.00 → 1.00（-1.00）" in text
    assert "content_matches_column：true → false" in text
    assert "政策解读（zhengce_jiedu）：6.00 → 6.80（+0.80）" in text
    assert "趋势" not in text  # two rounds: no trend table
    md = wz("compare", q3, q4, "--partial", "--format", "markdown").out
    assert md.startswith("# 轮次比较") and "- 市生态环境局：99.75 → 98.75（-1.00）" in md


def test_three_rounds_give_a_trend_table(rounds: tuple[Path, Path, Path]) -> None:
    r = wz("compare", *rounds, "--partial")
    assert r.code == 0, r.err
    trend = r.out.split("趋势（总分）")[1]
    row = next(line for line in trend.splitlines() if line.startswith("市生态环境局"))
    assert row.split()[1:] == ["99.75", "98.75", "99.75"]


def test_html_has_a_chart(rounds: tuple[Path, Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "compare.html"
    r = wz("compare", *rounds, "--partial", "--format", "html", "-o", out)
    assert r.code == 0, r.err
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and page.count("<polyline") == 6 and "市住建局" in page
    assert wz("compare", *rounds, "--partial", "--format", "html", "-o", out).code == 2


def test_duplicate_in_a_round_and_bad_use(rounds: tuple[Path, Path, Path]) -> None:
    q3, q4, _ = rounds
    shutil.copy(q4 / "zhujianju-weak.yaml", q4 / "again.yaml")
    r = wz("compare", q3, q4, "--partial")
    assert r.code == 1
    [line] = [line for line in r.err.splitlines() if "WZ432" in line]
    assert "zhujianju-weak.yaml:11:13: error WZ432 部门 市住建局" in line and "again.yaml" in line
    assert wz("compare", q3).code == 2
    assert wz("compare", q3, q3.parent / "nope").code == 2


def test_a_round_scores_each_file_as_score_does(tmp_path: Path) -> None:
    """read_round checks each file with wzeval.scoring._api.score_document, as ``wzeval score``
    does: an empty file in a round is WZ401 (it was skipped silently), an engine issue
    is placed in its file, and the other files are still compared."""
    from wzeval.analysis._compare import read_round
    from wzeval.scoring._api import load_rulebook

    rb = load_rulebook(ROOT / "tests" / "rulebooks" / "kinds.yaml")
    shutil.copy(ROOT / "tests" / "findings" / "kinds-a.yaml", tmp_path / "a.yaml")
    (tmp_path / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    rnd, issues = read_round([tmp_path], rb)
    assert [i.code for i in issues] == ["WZ401"]
    assert issues[0].position is not None and issues[0].position.file.endswith("empty.yaml")
    assert len(rnd.reports) == 1
