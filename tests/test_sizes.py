"""No module of src/wzeval over 800 lines, no function over 80 (issue 16).

A module that long holds several concepts, a function that long several steps; both
are read by the engineer who must change them, so they are kept short enough to read
whole.  Sizes are read from the source with :mod:`ast`: a module's lines are its
file's lines, a function's run from its ``def`` (decorators not counted) to its last
line, docstring included; a nested function or a method counts on its own, and is
named by its qualified name (``_Scoring.report``, ``outer.inner``).

The exceptions are listed below, each with its size today as a cap (it may shrink,
never grow) and the reason it stands.  An entry that no longer exists or is back
under the limit fails :func:`test_the_allow_lists_name_only_what_is_still_too_long`:
take it off the list, so that the list only ever shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from support.paths import ROOT

PACKAGE = ROOT / "src" / "wzeval"

MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80

#: Modules over the limit: path under src/wzeval → (lines today, why).  None today: an
#: entry needs its reason, and its size is a cap that may only shrink.
MODULE_CAPS: dict[str, tuple[int, str]] = {}

#: Functions over the limit: "module path::qualified name" → (lines today, why).
FUNCTION_CAPS: dict[str, tuple[int, str]] = {}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Every function and method, at any depth: qualified name and lines."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            assert node.end_lineno is not None
            yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def _module_sizes() -> dict[str, int]:
    return {rel: len(path.read_text(encoding="utf-8").splitlines()) for rel, path in _modules()}


def _function_sizes() -> dict[str, int]:
    sizes: dict[str, int] = {}
    for rel, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, lines in _functions(tree):
            key = f"{rel}::{name}"
            sizes[key] = max(lines, sizes.get(key, 0))  # a redefinition: the longer
    return sizes


def test_no_module_is_over_800_lines() -> None:
    too_long = {
        rel: lines
        for rel, lines in _module_sizes().items()
        if lines > MODULE_CAPS.get(rel, (MAX_MODULE_LINES, ""))[0]
    }
    assert not too_long, (
        f"modules over {MAX_MODULE_LINES} lines (or over their cap): {too_long}; "
        "split them by concept"
    )


def test_no_function_is_over_80_lines() -> None:
    too_long = {
        name: lines
        for name, lines in _function_sizes().items()
        if lines > FUNCTION_CAPS.get(name, (MAX_FUNCTION_LINES, ""))[0]
    }
    assert not too_long, (
        f"functions over {MAX_FUNCTION_LINES} lines (or over their cap): {too_long}; "
        "extract well-named steps"
    )


def test_the_allow_lists_name_only_what_is_still_too_long() -> None:
    modules = _module_sizes()
    functions = _function_sizes()
    stale = [rel for rel in MODULE_CAPS if modules.get(rel, 0) <= MAX_MODULE_LINES]
    stale += [name for name in FUNCTION_CAPS if functions.get(name, 0) <= MAX_FUNCTION_LINES]
    assert not stale, f"take these off the allow-lists of tests/test_sizes.py: {stale}"


def test_every_exception_says_why() -> None:
    for entry, (cap, why) in {**MODULE_CAPS, **FUNCTION_CAPS}.items():
        assert why.strip(), f"{entry}: say why it may be longer"
        assert cap > 0, entry


def test_the_walk_counts_methods_and_nested_functions() -> None:
    """The measure itself: a method and a nested function are named and counted alone."""
    source = (
        "class A:\n    def m(self):\n        def inner():\n            pass\n        return 1\n"
    )
    assert dict(_functions(ast.parse(source))) == {"A.m": 4, "A.m.inner": 2}
