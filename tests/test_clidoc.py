"""The CLI reference page is generated from the parser and kept fresh."""

from __future__ import annotations

from pathlib import Path

from wzeval.clidoc import render_cli_reference

ROOT = Path(__file__).parent.parent


def test_cli_reference_is_fresh() -> None:
    """docs/cli.md equals a fresh render (run `python -m wzeval.clidoc docs/cli.md`)."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render_cli_reference()


def test_cli_reference_covers_every_command() -> None:
    """Each command has its own section with its usage line."""
    text = render_cli_reference()
    for command in (
        "validate",
        "score",
        "explain",
        "template",
        "schema",
        "diff",
        "lint",
        "test",
        "verify",
    ):
        assert f"## wzeval {command}" in text
        assert f"usage: wzeval {command}" in text
