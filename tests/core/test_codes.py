"""The issue-code registry: complete, and its reference page fresh."""

from __future__ import annotations

import re

from support.paths import ROOT

from wzeval.core._codes import CODES


def test_every_emitted_code_is_documented() -> None:
    """Every WZ code in the source is in the registry (so docs/issue-codes.md explains it)."""
    used: set[str] = set()
    for f in (ROOT / "src" / "wzeval").rglob("*.py"):
        used |= set(re.findall(r"\bWZ\d{3}\b", f.read_text(encoding="utf-8")))
    missing = sorted(used - set(CODES))
    assert missing == []


def test_codes_are_registry_constants() -> None:
    """No module but the registry writes a WZ code as a string literal: every code is
    the registry's constant (``from wzeval.core._codes import WZ404``), so a code cannot
    be emitted without being registered, documented and translated.  Docstrings may
    name codes in prose."""
    import ast

    literal = re.compile(r"^WZ\d{3}$")
    found = []
    for f in sorted((ROOT / "src" / "wzeval").rglob("*.py")):
        if f.as_posix().endswith("core/_codes.py"):
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{f.relative_to(ROOT)}:{node.lineno}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and literal.match(node.value)
            and id(node) not in docstrings
        ]
    assert found == []


def test_every_constant_is_registered_and_named_for_itself() -> None:
    import wzeval.core._codes as registry

    constants = {n: v for n, v in vars(registry).items() if literal_name(n)}
    assert constants and all(n == v for n, v in constants.items())
    assert set(constants) == set(CODES)
    assert all(c.title and c.fix for c in CODES.values())


def literal_name(name: str) -> bool:
    return re.fullmatch(r"WZ\d{3}", name) is not None
