"""The score workbook shows what it showed before it was streamed (issue 15).

The golden file ``xlsx_golden.json.gz`` beside this module is the dump (:func:`dump`) of
the workbooks the normal-mode builder of ``main`` wrote for the scenarios below, taken
before the write-only writer replaced it: every sheet's title in order, every cell's value,
number format, font, fill, border, alignment and hyperlink, the merged ranges, column
widths, row heights, freeze panes (the views), auto filter, print titles, page setup
and which sheet opens first.  The test dumps today's workbooks the same way and compares.
After a deliberate change to the workbook, regenerate it with
``python tests/output/test_xlsx_stream.py`` and review the diff of the dumps.
"""

from __future__ import annotations

import copy
import functools
import gzip
import io
import json
import pickle
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":  # regenerating: the tests' helpers and the source tree
    sys.path[:0] = [str(Path(__file__).parents[1]), str(Path(__file__).parents[2] / "src")]

from support.paths import ROOT, TESTS

from wzeval.core._errors import OutputExists
from wzeval.core._i18n import speaking
from wzeval.model._models import Rulebook
from wzeval.model._report import RankingEntry, ScoreReport
from wzeval.reading._loader import load_document
from wzeval.scoring._api import evaluate, load_findings, load_rulebook

openpyxl = pytest.importorskip("openpyxl")

GOLDEN = Path(__file__).with_name("xlsx_golden.json.gz")
KINDS = TESTS / "rulebooks" / "kinds.yaml"
FINDINGS = TESTS / "findings" / "kinds-a.yaml"
EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
NATIONAL = sorted((ROOT / "examples" / "national-2019").glob("*.yaml"))


# ----------------------------------------------------------------------------- scenarios


@functools.cache
def _rulebook(path: Path | None) -> Rulebook:
    return load_rulebook(path) if path is not None else load_rulebook()


def _score(rb: Rulebook, data: dict[str, Any], *, partial: bool = False) -> ScoreReport:
    return evaluate(rb, load_findings(data, rb, partial=partial), partial=partial)


def _kinds_batch() -> list[ScoreReport]:
    """甲局, a vetoed 乙局 with an indicator not applicable, and a second, partial 甲局
    (two sheets of one name), as in test_xlsx.batch."""
    rb = _rulebook(KINDS)
    data = load_document(FINDINGS).data
    a, b, c = copy.deepcopy(data), copy.deepcopy(data), copy.deepcopy(data)
    b["department"] = "乙局"
    b["indicators"]["checks"] = {"a": True, "b": True, "fake": True}
    b["indicators"]["listed"] = {}
    c["indicators"]["prop"] = {"passed": 0, "checked": 0}
    c["indicators"]["deduct"] = {"late": 1, "severe": 1, "bad": 1}
    return [_score(rb, a), _score(rb, b), _score(rb, c, partial=True)]


def _examples() -> list[ScoreReport]:
    """The bundled examples (one partial) against the bundled 2023 rulebook."""
    rb = _rulebook(None)
    return [_score(rb, load_document(p).data, partial=True) for p in EXAMPLES]


def _national() -> list[ScoreReport]:
    """The national-2019 examples, each against its rulebook (websites and new media)."""
    out = []
    for path in NATIONAL:
        data = load_document(path).data
        rb = _rulebook(ROOT / "rulebooks" / f"{data['rulebook']}.yaml")
        out.append(_score(rb, data, partial=True))
    return out


def _clashing() -> list[ScoreReport]:
    """Names that clash, are too long or hold characters a sheet name cannot."""
    base = _kinds_batch()[0]
    names = ["排名", "history", "'甲局'", "ABC", "abc", "", "甲局", "甲局", "x" * 40, "x" * 40]
    names += [f"咸宁市第{i}号部门/局[分]:*?\\办公室很长很长的名字" for i in range(3)]
    return [
        base.model_copy(update={"department": n, "department_id": f"d{i}"})
        for i, n in enumerate(names)
    ]


def _bytes_of(reports: list[ScoreReport], unassessed: tuple[str, ...] = ()) -> bytes:
    from wzeval.output._xlsx import xlsx_bytes

    return xlsx_bytes(reports, unassessed)


def _in_english(make: Callable[[], bytes]) -> bytes:
    with speaking("en"):
        return make()


#: name → the workbook's bytes, made by today's code
SCENARIOS: dict[str, Callable[[], bytes]] = {
    "kinds-with-roster": lambda: _bytes_of(_kinds_batch(), ("丙局", "丁局")),
    "examples-with-roster": lambda: _bytes_of(_examples(), ("市统计局", "市审计局")),
    "national-2019": lambda: _bytes_of(_national()),
    "clashing-names": lambda: _bytes_of(_clashing()),
    "empty": lambda: _bytes_of([]),
    "empty-with-roster": lambda: _bytes_of([], ("丙局",)),
    "kinds-in-english": lambda: _in_english(lambda: _bytes_of(_kinds_batch(), ("丙局",))),
}


# ----------------------------------------------------------------------------- the dump


def _xml(obj: Any) -> str | None:
    """A style object as its XML (every attribute), or None for the default."""
    from openpyxl.xml.functions import tostring

    tree = obj.to_tree()
    return None if tree is None else tostring(tree).decode()


def _cell(c: Any, styles: dict[str, int]) -> list[Any] | None:
    """What a cell shows: value, type, format, style (an index into ``styles``, which
    grows), link; None for an empty default cell."""
    link = c.hyperlink
    if c.value is None and link is None and not c.has_style:
        return None
    look = json.dumps(
        [_xml(x) for x in (c.font, c.fill, c.border, c.alignment, c.protection)],
        ensure_ascii=False,
    )
    shown = None if link is None else [link.ref, link.location, link.display, link.target]
    return [c.value, c.data_type, c.number_format, styles.setdefault(look, len(styles)), shown]


def _sheet(ws: Any, styles: dict[str, int]) -> dict[str, Any]:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            shown = _cell(c, styles)
            if shown is not None:
                cells[c.coordinate] = shown
    heights = {str(r): d.height for r, d in ws.row_dimensions.items() if d.height is not None}
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
    setup = ws.page_setup
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": widths,
        "heights": heights,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": ws.auto_filter.ref,
        "print_title_rows": ws.print_title_rows,
        "print_title_cols": ws.print_title_cols,
        "page_setup": [setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight],
        "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage,
        "grid_lines": ws.print_options.gridLines,
        "margins": _xml(ws.page_margins),
        "views": _xml(ws.views),
    }


def dump(data: bytes) -> dict[str, Any]:
    """Everything a reader sees in a workbook, as JSON data: its sheets in order, and
    the distinct cell styles (font, fill, border, alignment, protection as XML) the
    cells name by their index."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    styles: dict[str, int] = {}
    sheets = [[ws.title, _sheet(ws, styles)] for ws in wb.worksheets]
    return {
        "sheets": sheets,
        "styles": [json.loads(k) for k in styles],
        "active": wb.active.title,
    }


def _normal(value: Any) -> Any:
    """JSON data as it reads back from the golden file (tuples become lists)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


@functools.cache
def golden() -> dict[str, Any]:
    """The dumps of main's workbooks, by scenario."""
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_workbook_shows_what_it_showed(scenario: str) -> None:
    """Sheet by sheet, cell by cell, today's workbook is main's (see the module doc)."""
    want = golden()[scenario]
    got = _normal(dump(SCENARIOS[scenario]()))
    assert [t for t, _ in got["sheets"]] == [t for t, _ in want["sheets"]]
    assert got["active"] == want["active"]
    for (title, sheet), (_, expected) in zip(got["sheets"], want["sheets"], strict=True):
        for key in expected:
            if key != "cells":
                assert sheet[key] == expected[key], (title, key)
        assert sorted(sheet["cells"]) == sorted(expected["cells"]), title
        for coordinate, cell in expected["cells"].items():
            mine = sheet["cells"][coordinate]
            assert mine[:3] + mine[4:] == cell[:3] + cell[4:], (title, coordinate)
            assert got["styles"][mine[3]] == want["styles"][cell[3]], (title, coordinate)


def test_the_scenarios_cover_what_the_workbook_can_hold() -> None:
    """The golden data holds a not-assessed block, clashing names, roster rows, an empty
    batch, English labels: the comparison above is over all of them."""
    data = golden()
    assert sorted(data) == sorted(SCENARIOS)
    kinds = dict(data["kinds-with-roster"]["sheets"])
    assert "甲局(2)" in kinds and "未评估" in {c[0] for c in kinds["甲局(2)"]["cells"].values()}
    ranking = kinds["排名"]["cells"]
    assert {ranking[f"B{r}"][0] for r in (5, 6)} == {"丙局", "丁局"}
    assert ranking["B2"][4][1].startswith("'")  # the links to the department sheets
    assert [t for t, _ in data["empty"]["sheets"]] == ["排名"]
    assert data["kinds-in-english"]["sheets"][0][0] == "Ranking"
    assert len(data["clashing-names"]["sheets"]) == 1 + 2 * 13


def test_the_workbook_bytes_are_deterministic() -> None:
    """The same reports give the same bytes, run after run."""
    for scenario in ("kinds-with-roster", "empty-with-roster"):
        assert SCENARIOS[scenario]() == SCENARIOS[scenario]()


def _spooled(reports: list[ScoreReport]) -> tuple[list[RankingEntry], list[bytes]]:
    """What a batch keeps of ``reports``: their ranking entries, and each department's
    sheets pickled (as a worker sends them), in ranking order."""
    from wzeval.output._render import rank
    from wzeval.output._xlsx import department_sheets

    ranked = [r for _place, r in rank(reports)]
    return [RankingEntry.of(r) for r in reports], [
        pickle.dumps(department_sheets(r)) for r in ranked
    ]


def _read_back(spool: list[bytes], taken: list[int]) -> Iterator[Any]:
    """The spooled sheets, unpickled one at a time; ``taken`` counts them as they go."""
    for data in spool:
        taken.append(len(taken))
        yield pickle.loads(data)


def test_entries_and_spooled_sheets_give_the_bytes_of_the_reports() -> None:
    """The parent's path (ranking entries, sheets pickled by workers and read back
    lazily) writes exactly the workbook xlsx_bytes writes from the reports."""
    from wzeval.output._xlsx import write_score_workbook, xlsx_bytes

    reports = _kinds_batch()
    entries, spool = _spooled(reports)
    out, taken = io.BytesIO(), []
    when = max(r.monitoring_date for r in reports)
    write_score_workbook(out, entries, _read_back(spool, taken), when=when, unassessed=["丙局"])
    assert taken == [0, 1, 2]
    assert out.getvalue() == xlsx_bytes(reports, ["丙局"])


def test_department_sheets_are_a_fraction_of_the_report() -> None:
    """What a worker sends for a department is far smaller than its report: the point
    of sending it instead (the bundled examples' reports are 0.1-0.3 MB as JSON)."""
    from wzeval.output._xlsx import department_sheets

    for report in _examples():
        sheets = department_sheets(report)
        assert sheets.department == report.department
        assert len(pickle.dumps(sheets)) * 2 < len(report.to_json().encode())


def test_department_sheets_need_no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker makes a department's sheets without importing openpyxl: only the
    parent, writing, needs it."""
    from wzeval.output._xlsx import department_sheets

    report = _kinds_batch()[2]
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    sheets = department_sheets(report)
    assert sheets.detail.rows and sheets.score.merged == ("A1:F1", "A2:F2")


def test_sheets_out_of_ranking_order_are_refused() -> None:
    """A sheet for another department than the ranking's next, or one sheet too few or
    too many, is an error, not a workbook with sheets under the wrong names."""
    from wzeval.output._xlsx import write_score_workbook

    reports = _kinds_batch()
    entries, spool = _spooled(reports)
    when = reports[0].monitoring_date
    names = [pickle.loads(d).department for d in spool]
    rotated = spool[1:] + spool[:1]
    assert [pickle.loads(d).department for d in rotated] != names
    for wrong in (rotated, spool[:2], [*spool, spool[0]]):
        with pytest.raises(ValueError, match="部门工作表"):  # in Chinese, the default
            write_score_workbook(io.BytesIO(), entries, _read_back(wrong, []), when=when)


def test_a_workbook_file_is_refused_before_any_sheet_is_taken(tmp_path: Path) -> None:
    """An existing -o path without force is refused before the first sheet is read back
    from the spool; with force it is replaced by the workbook, atomically."""
    from wzeval.output._xlsx import write_score_workbook_file, xlsx_bytes

    reports = _kinds_batch()
    entries, spool = _spooled(reports)
    when = max(r.monitoring_date for r in reports)
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"mine")
    taken: list[int] = []
    with pytest.raises(OutputExists):
        write_score_workbook_file(path, entries, _read_back(spool, taken), when=when)
    assert taken == [] and path.read_bytes() == b"mine"
    write_score_workbook_file(path, entries, _read_back(spool, taken), when=when, force=True)
    assert path.read_bytes() == xlsx_bytes(reports)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_written_sheet_keeps_only_what_the_save_reads() -> None:
    """A closed sheet keeps no row heights, widths, views or page setup (the workbook
    holds every closed sheet until it is saved, and those would grow with the batch),
    and the workbook still saves with the sheet's filter, print titles and merges."""
    from wzeval.output._xlsx import department_sheets
    from wzeval.output._xlsxsheet import Styles, write_sheet

    report = _examples()[0]
    wb = openpyxl.Workbook(write_only=True)
    sheet = department_sheets(report).score
    assert any(row.height is not None for row in sheet.rows)
    write_sheet(wb, "x", sheet, Styles(openpyxl))
    (ws,) = wb.worksheets
    assert ws.closed
    for part in ("row_dimensions", "column_dimensions", "views", "page_setup"):
        assert not hasattr(ws, part), part
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(out)["x"]
    assert back.auto_filter.ref == sheet.auto_filter and back.print_title_rows == "$3:$3"
    assert sorted(str(r) for r in back.merged_cells.ranges) == sorted(sheet.merged)
    assert back.freeze_panes == "A4" and back.column_dimensions["F"].width == 60


if __name__ == "__main__":
    dumps = {name: dump(make()) for name, make in sorted(SCENARIOS.items())}
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as fh:
        fh.write(json.dumps(dumps, ensure_ascii=False, indent=0, sort_keys=True).encode())
    print(f"wrote {GOLDEN}")
