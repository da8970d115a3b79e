"""The pre-commit hook definitions and the YAML in the new-year and CI-gating pages are sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.paths import ROOT

from wzeval.reading._loader import load_document

PAGES = [ROOT / "docs" / "new-year.md", ROOT / "docs" / "ci-gating.md"]


def yaml_blocks(page: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)


def test_pre_commit_hooks_define_validate_and_lint() -> None:
    """.pre-commit-hooks.yaml defines wzeval-validate and wzeval-lint as python hooks."""
    doc = load_document(ROOT / ".pre-commit-hooks.yaml")
    assert doc.issues == [] and isinstance(doc.data, list)
    hooks = {h["id"]: h for h in doc.data}
    assert set(hooks) == {"wzeval-validate", "wzeval-lint"}
    assert {h["language"] for h in hooks.values()} == {"python"}
    assert hooks["wzeval-validate"]["entry"] == "wzeval validate"
    assert hooks["wzeval-validate"]["pass_filenames"] is False  # bases of extends: too
    assert hooks["wzeval-lint"]["entry"] == "wzeval lint"
    assert all(re.match(h["files"], "rulebooks/2024.yaml") for h in hooks.values())
    assert re.search(hooks["wzeval-lint"]["exclude"], "rulebooks/2024.tests.yaml")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_yaml_examples_in_the_pages_parse(page: Path) -> None:
    """Every ```yaml block of the page is well-formed YAML."""
    blocks = yaml_blocks(page)
    assert blocks
    for block in blocks:
        doc = load_document(text=block, name=page.name)
        assert doc.data is not None, [i.format() for i in doc.issues]


def test_the_workflow_runs_every_gate() -> None:
    """The GitHub Actions example validates and lints with annotations and posts the diff."""
    workflow = next(b for b in yaml_blocks(ROOT / "docs" / "ci-gating.md") if "jobs:" in b)
    doc = load_document(text=workflow)
    assert isinstance(doc.data, dict)
    runs = " ".join(str(s.get("run", "")) for s in doc.data["jobs"]["check"]["steps"])
    for command in (
        "wzeval validate rulebooks/ --format github",
        "wzeval lint rulebooks/*.yaml --format github",
        "wzeval test ",
        "wzeval diff ",
        "--format markdown",
        "gh pr comment",
    ):
        assert command in runs
    assert doc.data["permissions"]["pull-requests"] == "write"
