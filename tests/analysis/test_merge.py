"""Merging evaluators' partial findings of one department (wzeval.analysis._merge, wzeval merge)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from support.cli import wz
from support.paths import ROOT

from wzeval.analysis._merge import merge_findings
from wzeval.scoring._api import load_rulebook
from wzeval.scoring._api import score as score_file

STRONG = ROOT / "examples" / "findings" / "shengtaihuanjing-strong.yaml"
BUNDLED = ROOT / "rulebooks" / "2023.yaml"

pytestmark = pytest.mark.skipif(not BUNDLED.exists(), reason="bundled rulebook missing")


def split(text: str) -> tuple[str, str]:
    """Two evaluators' halves of one findings file: alternate indicators each, and the
    second evaluator under their own name."""
    head, _, body = text.partition("\nindicators:\n")
    blocks = re.split(r"(?m)^(?=  [a-z_]+:)", body)
    first = [b for n, b in enumerate(blocks) if n % 2 == 0]
    second = [b for n, b in enumerate(blocks) if n % 2 == 1]
    other_head = re.sub(r"(?m)^assessors: .*$", "assessors: [王芳]", head)
    return (
        head + "\nindicators:\n" + "".join(first),
        other_head + "\nindicators:\n" + "".join(second),
    )


def test_disjoint_halves_merge_to_the_complete_score(tmp_path: Path) -> None:
    a_text, b_text = split(STRONG.read_text(encoding="utf-8"))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    out = tmp_path / "merged.yaml"
    result = wz("merge", a, b, "-o", out)
    assert result.code == 0, result.err
    merged = score_file(out)
    # The complete file scores 35911/360 (99.75 shown); the merge must not change it by
    # the smallest fraction of a point.
    assert merged.total == Fraction(35911, 360)
    assert merged.total == score_file(STRONG).total
    text = out.read_text(encoding="utf-8")
    assert "来自 " + str(a) in text and "来自 " + str(b) in text
    assert "王芳" in text  # the second evaluator is kept as an assessor
    assert wz("validate", out).code == 0


def test_provenance_names_file_and_assessor(tmp_path: Path) -> None:
    a_text, b_text = split(STRONG.read_text(encoding="utf-8"))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    result = merge_findings([a, b], load_rulebook())
    assert result.ok
    sources = {p.file for ps in result.provenance.values() for p in ps}
    assert sources == {str(a), str(b)}
    # every fact of the second half came from b with its assessor 王芳
    from_b = [ps[0] for ps in result.provenance.values() if ps[0].file == str(b)]
    assert from_b and all(p.assessors == ("王芳",) for p in from_b)
    assert all(p.position is not None and p.position.line > 0 for p in from_b)


def _conflicting(tmp_path: Path) -> tuple[Path, Path]:
    text = STRONG.read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text, encoding="utf-8")
    # two facts changed: jigou_zhineng.content_matches_column (line 25) and
    # lingdao_xinxi.content_matches_column (the next occurrence)
    changed = text.replace("content_matches_column: true", "content_matches_column: false", 2)
    b.write_text(changed, encoding="utf-8")
    return a, b


def test_conflicts_are_all_listed_and_nothing_is_written(tmp_path: Path) -> None:
    a, b = _conflicting(tmp_path)
    out = tmp_path / "merged.yaml"
    result = wz("merge", a, b, "-o", out)
    assert result.code == 1
    assert not out.exists()
    lines = [line for line in result.err.splitlines() if "WZ422" in line]
    assert len(lines) == 2
    assert "jigou_zhineng.content_matches_column" in lines[0]
    assert "lingdao_xinxi.content_matches_column" in lines[1]
    # both places and both values
    assert lines[0].startswith(f"{b}:25:")
    assert f"{a}:25:" in lines[0] and "true" in lines[0] and "false" in lines[0]
    assert "在两个文件中取值不同" in lines[0]


def test_prefer_resolves_and_says_so(tmp_path: Path) -> None:
    a, b = _conflicting(tmp_path)
    out = tmp_path / "merged.yaml"
    result = wz("merge", a, b, "--prefer", b, "-o", out)
    assert result.code == 0, result.err
    assert result.err.count("WZ423") == 2
    # b's values: both on_topic items lost, each 50% of a weight-2 indicator:
    # 35911/360 - 1 - 1
    assert score_file(out).total == Fraction(35911, 360) - 2


def test_prefer_must_name_an_input(tmp_path: Path) -> None:
    a, b = _conflicting(tmp_path)
    result = wz("merge", a, b, "--prefer", tmp_path / "c.yaml")
    assert result.code == 1 and "WZ424" in result.err


def test_other_department_and_wrong_kind(tmp_path: Path) -> None:
    text = STRONG.read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("department: 市生态环境局", "department: 市住建局"), "utf-8")
    result = wz("merge", a, b)
    assert result.code == 1
    assert f"{b}:9:" in result.err and "WZ421" in result.err and "部门" in result.err
    c = tmp_path / "c.yaml"
    c.write_text("wzeval: rulebook/1\nid: x\n", encoding="utf-8")
    result = wz("merge", a, c)
    assert result.code == 1 and f"{c}:1:1" in result.err and "WZ421" in result.err


def test_unknown_fact_is_reported_at_its_place(tmp_path: Path) -> None:
    text = STRONG.read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("    column_stale: false", "    colum_stale: false", 1), "utf-8")
    result = wz("merge", a, b)
    assert result.code == 1 and "WZ403" in result.err and f"{b}:" in result.err


def test_output_must_not_be_an_input(tmp_path: Path) -> None:
    a, b = _conflicting(tmp_path)
    before = a.read_bytes()
    result = wz("merge", a, b, "-o", a, "--force")
    assert result.code == 2
    assert "WZ914" in result.err and str(a) in result.err
    assert a.read_bytes() == before


def test_explain_shows_where_each_fact_came_from(tmp_path: Path) -> None:
    a_text, b_text = split(STRONG.read_text(encoding="utf-8"))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    out = tmp_path / "merged.yaml"
    assert wz("merge", a, b, "-o", out).code == 0
    text = out.read_text(encoding="utf-8")
    # the indicator's block says which file it came from; explain says the same
    block = text.split("  jigou_zhineng:\n")[1].split("\n  ")[0]
    source = str(a) if f"来自 {a}" in block else str(b)
    r = wz("explain", out, "jigou_zhineng")
    assert r.code == 0, r.err
    section = r.out.split("事实来源（合并记录）：")[1]
    assert f"org_info_published：来自 {source}" in section
    assert "falsified_content" in section
    # an ordinary findings file has no such section
    assert "事实来源" not in wz("explain", STRONG, "jigou_zhineng").out


def test_html_report_shows_provenance(tmp_path: Path) -> None:
    a_text, b_text = split(STRONG.read_text(encoding="utf-8"))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    out = tmp_path / "merged.yaml"
    assert wz("merge", a, b, "-o", out).code == 0
    page = wz("score", out, "--format", "html").out
    assert '<section class="provenance">' in page
    assert f"来自 {b}（王芳）" in page
    assert "provenance" not in wz("score", STRONG, "--format", "html").out
