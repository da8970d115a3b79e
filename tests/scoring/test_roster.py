"""A batch against the roster: a department scored twice, and units with no findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.cli import wz
from support.paths import ROOT

from wzeval.scoring._api import load_rulebook

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


# ----------------------------------------------------------------------------- the office's roster

OFFICE = ROOT / "examples" / "roster" / "2023-office.yaml"
TRANSPORT = ROOT / "examples" / "findings" / "jiaotong-deductions.yaml"


def _as(department: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(TRANSPORT.read_text(encoding="utf-8"))
    data["department"] = department
    return data


def test_an_office_roster_adds_units_without_copying_the_table() -> None:
    """examples/roster/2023-office.yaml extends the bundled table with 市统计局 and 市审计局.
    市统计局 is in no appendix: 重大建设项目, 公益事业建设 and 公共资源配置 (3 points each)
    do not apply, so the base is out of 100 − 3 × 3 = 91; every other indicator is
    assessed. The findings still name the table's own rulebook id, xianning-2023."""
    import wzeval

    rb = wzeval.load_rulebook(OFFICE)
    assert {d.name for d in rb.departments} >= {"市统计局", "市审计局", "市交通运输局"}
    assert rb.based_on == ["xianning-2023"]
    report = wzeval.evaluate(rb, wzeval.load_findings(_as("市统计局"), rb))
    off = {i.id for i in report.indicators if not i.applicable}
    assert off == {"zhongda_jianshe_xiangmu", "gongyi_shiye_jianshe", "gonggong_ziyuan_peizhi"}
    assert report.base_possible == 91 and report.department_id == "statistics"


def test_a_name_off_the_roster_stays_an_error_with_a_suggestion() -> None:
    """市统计厅 is on no roster: WZ403-like unknown department, suggesting 市统计局."""
    import wzeval

    rb = wzeval.load_rulebook(OFFICE)
    findings, issues = wzeval.read_findings(_as("市统计厅"), rb)
    assert findings is None
    (issue,) = [i for i in issues if "市统计厅" in i.message]
    assert issue.hint is not None and "市统计局" in issue.hint


def test_a_roster_name_clash_is_refused(tmp_path: Path) -> None:
    """Adding a unit under a name the table already has is WZ202 at the added name."""
    import wzeval

    text = OFFICE.read_text(encoding="utf-8").replace("name: 市审计局", "name: 市交通运输局")
    f = tmp_path / "office.yaml"
    f.write_text(text, "utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    (issue,) = [i for i in issues if i.code == "WZ202"]
    assert "市交通运输局" in issue.message and issue.position is not None
    assert issue.position.file == str(f)
