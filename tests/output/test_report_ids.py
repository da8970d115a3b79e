"""No report a person reads names a rule item or a fact by its English id, or carries a
machine path.

Every example (``examples/findings`` against the 2023 rulebook and
``examples/national-2019`` against the national ones), every format a person reads —
text, Markdown, CSV, HTML and XLSX, for one department and for the ranking — and the
readable part of each: an HTML page's text (not its anchors and classes), a
workbook's cells and sheet names.  The ids looked for are those of the items,
vetoes and deductions that have a Chinese title or label, and of the facts that have a
question (a missing fact is named by it; JSON keeps ids, and is not read by people).
Scored in-process from another working directory with absolute paths, so a path that
leaked could not pass for a relative one.
(``tests/output/test_report_paths.py`` runs the CLI over the 2023 examples.)
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport

FORMATS = ("text", "markdown", "csv", "html", "xlsx")
DATA = Path(wzeval.__file__).resolve().parent / "data"
GROUPS = {
    "xianning-2023": (ROOT / "rulebooks" / "2023.yaml", ROOT / "examples" / "findings"),
    "national-2019": (
        ROOT / "rulebooks" / "national-2019.yaml",
        ROOT / "examples" / "national-2019",
    ),
    "national-2019-media": (
        ROOT / "rulebooks" / "national-2019-media.yaml",
        ROOT / "examples" / "national-2019",
    ),
}


class _Text(HTMLParser):
    """The text of a page as a reader sees it: text nodes and the page title, not the
    stylesheet, the script or any attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _readable(reports: list[ScoreReport], fmt: str, ranking: bool, rb: Rulebook) -> str:
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(wzeval.render_xlsx(reports, rulebook=rb)))
        cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
        return "\n".join([*wb.sheetnames, *cells])
    text = (
        wzeval.render_ranking(reports, fmt, rulebook=rb)  # type: ignore[arg-type]
        if ranking
        else wzeval.render_report(reports[0], fmt, rulebook=rb)  # type: ignore[arg-type]
    )
    if fmt == "html":
        parser = _Text()
        parser.feed(text)
        return "\n".join(parser.parts)
    return text


def _ids(rb: Rulebook) -> set[str]:
    """The English ids of every item, veto and deduction that has a Chinese name (the
    rule kinds give an item its vetoes or deductions, if any)."""
    out: set[str] = set()
    for ind in rb.indicators:
        parts: list[object] = [ind, *ind.items]
        out |= {it.id for it in ind.items if it.title}
        for part in parts:
            for rule in [*getattr(part, "vetoes", []), *getattr(part, "deductions", [])]:
                if getattr(rule, "label", None):
                    out.add(rule.id)
    return out


def _fact_ids(rb: Rulebook) -> set[str]:
    """The ids of the facts that have a question (derived facts: a description), and
    that cannot be mistaken for a word of a report: snake_case, or longer than a word."""
    out: set[str] = set()
    for ind in rb.indicators:
        out |= {f.id for f in ind.facts if f.ask}
        out |= {d.id for d in ind.derived if d.description}
    return {i for i in out if "_" in i or len(i) > 12}


def _reports(group: str) -> tuple[Rulebook, list[ScoreReport]]:
    path, folder = GROUPS[group]
    rb = wzeval.load_rulebook(path)
    files = [
        f
        for f in sorted(folder.glob("*.yaml"))
        if f"rulebook: {group}\n" in f.read_text(encoding="utf-8")
    ]
    assert files, group
    return rb, [wzeval.score(f, rb, partial=True) for f in files]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_english_item_id_nor_machine_path_in_any_report(
    group: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(tmp_path)  # the examples are then outside the working directory
    rb, reports = _reports(group)
    ids = _ids(rb)
    assert ids, group  # the rulebook names its items, so there is something to look for
    ids |= _fact_ids(rb)  # and asks its facts: a missing fact is shown by its question
    word = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(ids))) + r")(?![\w-])")
    machine = re.compile(r"(?<![\w.:/])/(?:work|home|tmp|usr|root|opt|var)/[^\s\"'<>]*")
    for fmt in FORMATS:
        cases = [(f"{r.department}.{fmt}", [r], False) for r in reports]
        if fmt != "xlsx":  # a workbook holds the ranking and every department at once
            cases.append((f"ranking.{fmt}", reports, True))
        for name, rs, ranking in cases:
            text = _readable(rs, fmt, ranking, rb)
            assert sorted(set(word.findall(text))) == [], (group, name)
            leaks = [m for m in (str(ROOT), str(DATA), str(tmp_path), "site-packages") if m in text]
            assert leaks + machine.findall(text) == [], (group, name)
