"""The import graph of src/wzeval, read from the source: no cycle, and no import upwards.

Every module is parsed with :mod:`ast`; every import counts, at module level or inside
a function (a function-level import is a cycle that merely waits to be called), except
those under ``if TYPE_CHECKING:``, which never run.  The layers are
:data:`wzeval.core._layers.LAYERS` (drawn in docs/design.md).
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from support.paths import ROOT

from wzeval.core._layers import LAYERS

SRC = ROOT / "src"
PACKAGE = "wzeval"


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` at ``line`` of ``source``'s file."""

    source: str
    target: str
    line: int


def modules(src: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name; a package is named by its ``__init__``."""
    found: dict[str, Path] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, at any depth, leaving out the bodies of ``if TYPE_CHECKING:``."""
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.orelse)
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                for child in children:
                    if isinstance(child, ast.stmt):
                        yield from _statements([child])
                    elif isinstance(child, ast.excepthandler | ast.match_case):
                        yield from _statements(child.body)


def _strings(node: ast.AST) -> Iterator[tuple[str, int]]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value, sub.lineno


def imports(name: str, path: Path, known: Mapping[str, Path]) -> list[Edge]:
    """What module ``name`` imports of the package (each module once per line).

    ``from P import x`` is an edge to ``P.x`` when that is a module, else to ``P``;
    ``import P.x`` to ``P.x``; relative imports are resolved against the package.
    A module-level ``_LAZY = {...}`` table (the façade's names imported on first use)
    and ``importlib.import_module("P.x")`` with a literal name count too.
    """

    def module_of(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    edges: list[Edge] = []

    def add(dotted: str, line: int) -> None:
        target = module_of(dotted)
        if target is not None and target != name:
            edges.append(Edge(name, target, line))

    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = here.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                modname = f"{base}.{node.module}" if node.module else base
            else:
                modname = node.module or ""
            for alias in node.names:
                sub = f"{modname}.{alias.name}"
                add(sub if sub in known else modname, node.lineno)
        elif (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            for value in node.value.values:
                for text, line in _strings(value):
                    add(text.partition(":")[0], line)  # "module:attribute"
        for child in ast.iter_child_nodes(node):  # the statement's own expressions
            if isinstance(child, ast.stmt):
                continue  # nested statements come from _statements, TYPE_CHECKING left out
            for sub in ast.walk(child):
                if (
                    isinstance(sub, ast.Call)
                    and isinstance(sub.func, ast.Attribute | ast.Name)
                    and (sub.func.attr if isinstance(sub.func, ast.Attribute) else sub.func.id)
                    == "import_module"
                    and sub.args
                    and isinstance(sub.args[0], ast.Constant)
                    and isinstance(sub.args[0].value, str)
                ):
                    add(sub.args[0].value, sub.lineno)
    unique = {(e.target, e.line): e for e in edges}
    return sorted(unique.values(), key=lambda e: (e.line, e.target))


def graph(src: Path = SRC, package: str = PACKAGE) -> dict[str, list[Edge]]:
    known = modules(src, package)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(g: Mapping[str, list[Edge]]) -> list[list[Edge]]:
    """One shortest cycle through each module that is on a cycle (without rotations)."""
    found: list[list[Edge]] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for start in sorted(g):
        # breadth first from start's imports back to start: the shortest way round
        back: dict[str, Edge] = {}
        queue = deque([start])
        reached = False
        while queue and not reached:
            here = queue.popleft()
            for edge in g[here]:
                if edge.target == start:
                    back[start] = edge
                    reached = True
                    break
                if edge.target not in back and edge.target != start:
                    back[edge.target] = edge
                    queue.append(edge.target)
        if not reached:
            continue
        chain = [back[start]]
        while chain[-1].source != start:
            chain.append(back[chain[-1].source])
        chain.reverse()
        key = frozenset((e.source, e.target) for e in chain)
        if key not in seen:
            seen.add(key)
            found.append(chain)
    return found


def shown(chain: list[Edge]) -> str:
    """``a:12 → b:40 → a``: each module with the line of its import of the next."""
    return " → ".join(f"{e.source}:{e.line}" for e in chain) + f" → {chain[-1].target}"


def layer_of() -> dict[str, int]:
    """The layer (0 lowest) of every module: a package's layer holds its modules."""
    known = modules(SRC)
    rank: dict[str, int] = {}
    for n, (_, _, members) in enumerate(LAYERS):
        for member in members:
            full = PACKAGE if member == PACKAGE else f"{PACKAGE}.{member}"
            for name in known:
                if name == full or (name.startswith(f"{full}.") and full != PACKAGE):
                    rank[name] = n
    return rank


# ----------------------------------------------------------------------------- the rules


def test_every_module_is_in_one_layer() -> None:
    """A new module must be placed in a layer; a layer names only modules that exist."""
    known = modules(SRC)
    named = [m for _, _, members in LAYERS for m in members]
    assert len(named) == len(set(named)), "a module is named in two layers"
    full = {PACKAGE if m == PACKAGE else f"{PACKAGE}.{m}" for m in named}
    stale = sorted(m for m in full if m not in known)
    assert not stale, f"LAYERS names modules that do not exist: {stale}"
    unplaced = sorted(set(known) - set(layer_of()))
    assert not unplaced, f"place these modules in wzeval/core/_layers.py LAYERS: {unplaced}"


def test_no_import_cycle() -> None:
    """No cycle, not even through a function-level import."""
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(f"  {shown(c)}" for c in found)


def test_no_module_imports_a_higher_layer() -> None:
    """A module imports only from its own layer or below (the drawn data flow)."""
    rank = layer_of()
    names = [name for name, _, _ in LAYERS]
    upward = [
        f"  {e.source} ({names[rank[e.source]]}) line {e.line} imports "
        f"{e.target} ({names[rank[e.target]]})"
        for edges in graph().values()
        for e in edges
        if rank[e.target] > rank[e.source]
    ]
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


# ----------------------------------------------------------------------------- the reader


def _package(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_reader_sees_every_form_of_import(tmp_path: Path) -> None:
    """Module and function level, absolute and relative, ``from P import module``,
    ``import P.x``, the package itself, ``_LAZY`` and ``import_module``; not
    ``TYPE_CHECKING``."""
    src = _package(
        tmp_path,
        {
            "__init__.py": '_LAZY = {"thing": "pkg.f"}\n',
            "a.py": (
                "from typing import TYPE_CHECKING\n"
                "import pkg.b\n"
                "from pkg import c\n"
                "if TYPE_CHECKING:\n"
                "    from pkg import t\n"
                "else:\n"
                "    from pkg.e import x\n"
                "def f():\n"
                "    from . import sub\n"
                "    from .sub.leaf import y\n"
                "    import pkg\n"
                "    try:\n"
                "        from pkg.d import z\n"
                "    except ImportError:\n"
                "        pass\n"
                "importlib.import_module('pkg.g')\n"
            ),
            **{f"{m}.py": "" for m in "bcdefgt"},
            "sub/__init__.py": "from ..b import q\n",
            "sub/leaf.py": "from .. import c\n",
        },
    )
    g = graph(src, "pkg")
    assert {e.target for e in g["pkg.a"]} == {
        "pkg",
        "pkg.b",
        "pkg.c",
        "pkg.d",
        "pkg.e",
        "pkg.g",
        "pkg.sub",
        "pkg.sub.leaf",
    }
    assert [e.target for e in g["pkg"]] == ["pkg.f"]
    assert [e.target for e in g["pkg.sub"]] == ["pkg.b"]
    assert [e.target for e in g["pkg.sub.leaf"]] == ["pkg.c"]


def test_a_cycle_is_shown_as_a_chain(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg import b\n",
            "b.py": "\n\ndef f():\n    from pkg.c import x\n",
            "c.py": "import pkg.a\n",
        },
    )
    found = cycles(graph(src, "pkg"))
    assert [shown(c) for c in found] == ["pkg.a:1 → pkg.b:4 → pkg.c:1 → pkg.a"]
