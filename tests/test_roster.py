"""A batch against the roster: a department scored twice, and units with no findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import wz

from wzeval.api import load_rulebook

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "findings"
BUNDLED = ROOT / "rulebooks" / "2023.yaml"

pytestmark = pytest.mark.skipif(not BUNDLED.exists(), reason="bundled rulebook missing")


@pytest.fixture
def dup(tmp_path: Path) -> Path:
    folder = tmp_path / "dup"
    folder.mkdir()
    for name in ("shengtaihuanjing-strong.yaml", "zhujianju-weak.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(EXAMPLES / "shengtaihuanjing-strong.yaml", folder / "second.yaml")
    return folder


def test_duplicate_department_fails_naming_both_files(dup: Path) -> None:
    result = wz("score", dup)
    assert result.code == 1
    err = [line for line in result.err.splitlines() if "WZ420" in line]
    assert len(err) == 1
    assert str(dup / "second.yaml") in err[0]
    assert str(dup / "shengtaihuanjing-strong.yaml") in err[0]
    assert ":9:13:" in err[0]  # at the department: of one of them
    # the department is not ranked at all (not twice, not once by chance)
    assert "市生态环境局" not in result.out.split("未能评分")[0]
    assert "1 个部门" in result.out


def test_merge_duplicates_ranks_it_once(dup: Path) -> None:
    result = wz("score", dup, "--merge-duplicates", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    names = [d["department"] for d in data["departments"]]
    assert names == ["市生态环境局", "市住建局"]
    # identical files merge to the same findings: 35911/360 (99.75), as the file alone
    assert data["departments"][0]["total"] == "35911/360"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_missing_roster_units_in_every_format(fmt: str) -> None:
    result = wz("score", EXAMPLES, "--partial", "--format", fmt)
    assert result.code == 0, result.err
    roster = load_rulebook().departments
    scored = {"市发改委", "市交通运输局", "市人社局", "市生态环境局", "市卫健委", "市住建局"}
    missing = [d.name for d in roster if d.name not in scored]
    assert len(missing) == len(roster) - 6
    for name in missing:
        assert name in result.out
    assert "未评估" in result.out
    if fmt == "json":
        data = json.loads(result.out)
        assert [d["department"] for d in data["unassessed"]] == missing
    if fmt == "csv":
        rows = [r for r in result.out.splitlines() if r.endswith(",未评估,")]
        assert len(rows) == len(missing)


def test_single_file_has_no_roster_section() -> None:
    result = wz("score", EXAMPLES / "shengtaihuanjing-strong.yaml")
    assert result.code == 0 and "名单内" not in result.out


def test_missing_roster_units_in_the_xlsx_ranking(tmp_path: Path) -> None:
    """The workbook's 排名 sheet lists the roster units with no findings after the
    ranked ones: no place, no figures, 备注 未评估 — the 18 units of the 24-unit roster
    that the six shipped examples do not cover, in roster order."""
    from openpyxl import load_workbook

    out = tmp_path / "ranking.xlsx"
    result = wz("score", EXAMPLES, "--partial", "--format", "xlsx", "-o", out)
    assert result.code == 0, result.err
    ws = load_workbook(out)["排名"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=7)]
    ranked = [r for r in rows if r[0] is not None]
    rest = [r for r in rows if r[0] is None and r[1]]
    assert len(ranked) == 6
    scored = {r[1] for r in ranked}
    assert [r[1] for r in rest] == [
        d.name for d in load_rulebook().departments if d.name not in scored
    ]
    assert len(rest) == 24 - 6
    assert all(r[2:6] == [None] * 4 and r[6].startswith("未评估") for r in rest)
