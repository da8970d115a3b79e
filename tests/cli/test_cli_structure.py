"""The command line stays thin: argument parsing and printing, the library doing the work.

Read from the source with :mod:`ast` (nothing is imported): every module of
``src/wzeval/cli/`` is small, no function is long, and the only classes are argparse
helpers, the exceptions that end a command, and the progress counter.  A class or a
long function in the CLI is where library behaviour used to hide (batch scoring,
folder expansion, pairing findings with their rulebook: issue 16); a new one belongs
in a library module, where a platform builder can call it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.paths import ROOT

CLI = ROOT / "src" / "wzeval" / "cli"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
#: Classes the CLI may define besides argparse's subclasses and exceptions: printing helpers.
PRINTING_CLASSES = {"Progress"}
#: Every command of ``wzeval --help`` has its own module.
COMMANDS = {
    "validate": "_validate",
    "score": "_score",
    "merge": "_merge",
    "appeal": "_appeal",
    "compare": "_compare",
    "explain": "_explain",
    "template": "_template",
    "schema": "_schema",
    "table": "_table",
    "diff": "_diff",
    "lint": "_lint",
    "test": "_ruletests",
    "verify": "_verify",
}
MODULES = sorted(CLI.glob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _base_name(base: ast.expr) -> str:
    return ast.unparse(base)


def _allowed(node: ast.ClassDef) -> bool:
    bases = [_base_name(b) for b in node.bases]
    if node.name in PRINTING_CLASSES and not bases:
        return True
    return bool(bases) and all(
        b.startswith("argparse.") or b in ("Exception", "KeyboardInterrupt") for b in bases
    )


def test_the_cli_is_a_package_of_small_modules() -> None:
    assert not (CLI.parent / "cli.py").exists()
    assert len(MODULES) >= len(COMMANDS) + 2
    for path in MODULES:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines"


def test_every_command_has_its_own_module() -> None:
    names = {p.stem for p in MODULES}
    assert set(COMMANDS.values()) <= names
    for command, module in COMMANDS.items():
        tree = _tree(CLI / f"{module}.py")
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert {"add_parser", "command"} <= defined, module
        registers = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and n.value == command and isinstance(n.value, str)
        ]
        assert registers, f"{module} does not register {command!r}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_long_functions_and_no_classes_but_helpers(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{path.name}:{node.lineno} {node.name}"
        elif isinstance(node, ast.ClassDef):
            assert _allowed(node), f"{path.name}:{node.lineno} class {node.name}"


def test_the_guard_can_fail() -> None:
    """The checks reject what they are meant to reject (a model or a worker pool class)."""
    bad = ast.parse("class Batch:\n    pass\nclass Scores(dict):\n    pass\n")
    classes = [n for n in bad.body if isinstance(n, ast.ClassDef)]
    assert not any(_allowed(c) for c in classes)
    good = ast.parse("class F(argparse.HelpFormatter):\n    pass\nclass U(Exception):\n    pass\n")
    assert all(_allowed(c) for c in good.body if isinstance(c, ast.ClassDef))
