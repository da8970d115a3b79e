"""The tests mirror the package: each test folder is a folder of src/wzeval, and no
test imports another test (what tests share lives in tests/support/)."""

from __future__ import annotations

import ast

from support.paths import ROOT, TESTS

#: Folders of tests/ that are not a layer of the package: shared helpers and test data.
_NOT_LAYERS = {"support", "corpus", "findings", "lint", "plugins", "rulebooks", "verify"}


def _package_folders() -> set[str]:
    src = ROOT / "src" / "wzeval"
    return {p.name for p in src.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def test_every_test_folder_is_a_folder_of_the_package() -> None:
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert folders - _NOT_LAYERS <= _package_folders(), sorted(folders - _NOT_LAYERS)
    assert "scoring" in folders and "cli" in folders  # the mirror is there at all


def test_no_test_imports_another_test() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.split(".")[-1].startswith("test_") or name in ("conftest",):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert offenders == []
