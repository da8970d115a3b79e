"""Every generated file of the repository equals a fresh render (tools/gendocs.py).

Issue and lint code pages, the CLI reference, the JSON Schemas and the rulebook
pages are rendered by public functions of the library; a page that differs from
a fresh render fails here, naming the command that regenerates it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from support.paths import ROOT


def _gendocs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gendocs", ROOT / "tools" / "gendocs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gendocs"] = module
    spec.loader.exec_module(module)
    return module


gendocs = _gendocs()
FILES = gendocs.generated()


@pytest.mark.parametrize("name", list(FILES))
def test_generated_file_is_fresh(name: str) -> None:
    """The checked-in file is exactly what its renderer gives today."""
    assert (ROOT / name).read_text(encoding="utf-8") == FILES[name](), (
        f"{name} is stale: regenerate it with `python tools/gendocs.py {name}`"
    )


def test_every_generated_file_says_how_it_is_made() -> None:
    """Each generated page names the command that makes it (JSON Schemas cannot hold comments)."""
    for name, render in FILES.items():
        if name.endswith(".md"):
            head = render().splitlines()[:4]
            assert any("gendocs.py" in line or "wzeval table" in line for line in head), name


def test_cli_reference_covers_every_command() -> None:
    """Each command has its own section with its usage line."""
    text = FILES["docs/cli.md"]()
    for command in (
        "validate",
        "score",
        "explain",
        "template",
        "schema",
        "table",
        "diff",
        "lint",
        "test",
        "verify",
    ):
        assert f"## wzeval {command}" in text
        assert f"usage: wzeval {command}" in text


def test_check_lists_stale_files_and_a_run_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check exits 1 naming stale files and writes nothing; a run writes them; then fresh."""
    monkeypatch.setattr(gendocs, "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cli.md").write_text("old\n", encoding="utf-8")
    assert gendocs.main(["--check", "docs/cli.md", "docs/issue-codes.md"]) == 1
    assert capsys.readouterr().out == "stale: docs/cli.md\nstale: docs/issue-codes.md\n"
    assert (tmp_path / "docs" / "cli.md").read_text(encoding="utf-8") == "old\n"
    assert gendocs.main(["docs/cli.md", "docs/issue-codes.md"]) == 0
    assert capsys.readouterr().out == "wrote docs/cli.md\nwrote docs/issue-codes.md\n"
    assert gendocs.main(["--check", "docs/cli.md", "docs/issue-codes.md"]) == 0
    assert (tmp_path / "docs" / "cli.md").read_text(encoding="utf-8") == FILES["docs/cli.md"]()


def test_an_unknown_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        gendocs.main(["docs/nothing.md"])
    assert exc.value.code == 2
    assert "not a generated file: docs/nothing.md" in capsys.readouterr().err
