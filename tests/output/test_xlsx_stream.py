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
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":  # regenerating: the tests' helpers and the source tree
    sys.path[:0] = [str(Path(__file__).parents[1]), str(Path(__file__).parents[2] / "src")]

from support.paths import ROOT, TESTS

from wzeval.core._i18n import speaking
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport
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


if __name__ == "__main__":
    dumps = {name: dump(make()) for name, make in sorted(SCENARIOS.items())}
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as fh:
        fh.write(json.dumps(dumps, ensure_ascii=False, indent=0, sort_keys=True).encode())
    print(f"wrote {GOLDEN}")
