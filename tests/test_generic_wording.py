"""The generic engine speaks of rulebooks, never of one table's rulings or authority.

A table's rulings (the 2023 rulebook's R1–R10) live in that rulebook and reach the
reader through its own ``ruling:`` texts; the engine's source, its messages and
its schema must not name them, or another authority's rulebook would be explained
in the words of the 2023 table.  Ruling ids are a syntax the engine recognises
(``tabledoc`` turns a leading ``R4:`` into a badge), so only that module may show
one, as an example of the syntax.
"""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest
from support.paths import ROOT

SRC = ROOT / "src" / "wzeval"
#: A ruling id of the 2023 table, or the table's authority, by name.
TABLE_WORDS = re.compile(r"\bR(?:10|[1-9])\b|咸宁|xianning", re.IGNORECASE)
#: The one module whose job is to parse ruling ids out of a rulebook's texts.
SYNTAX_MODULES = {"tabledoc.py"}


@pytest.mark.parametrize("path", sorted(SRC.glob("*.py")), ids=lambda p: p.name)
def test_no_table_wording_in_engine_source(path: Path) -> None:
    """No string, docstring or comment of an engine module names a ruling or the city."""
    if path.name in SYNTAX_MODULES:
        pytest.skip("parses ruling ids; its examples show the syntax")
    found = []
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT) and TABLE_WORDS.search(tok.string):
                found.append(f"{path.name}:{tok.start[0]}: {tok.string.strip()[:80]}")
    assert found == []


def test_generated_schemas_and_code_docs_name_no_ruling() -> None:
    """The rulebook and report schemas and the issue-code reference are generic too.

    (schemas/findings.schema.json is generated from the 2023 rulebook and names it.)
    """
    root = SRC.parent.parent
    for rel in (
        "schemas/rulebook.schema.json",
        "schemas/report.schema.json",
        "docs/issue-codes.md",
    ):
        text = (root / rel).read_text(encoding="utf-8")
        assert not TABLE_WORDS.search(text), rel
