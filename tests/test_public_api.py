"""The public API is declared once, in ``wzeval.__all__`` (and ``wzeval.kinds`` for
rule-kind plugins), and documented in docs/api.md; the docs never send a user to an
implementation module.

Everything a platform builder may import is a name of the façade, so a module can be
split or moved without breaking anyone.  These tests keep the three in step: a name
added to the façade without documentation, a documented name the façade lacks, or a
doc page that imports ``wzeval.<module>`` fails here.
"""

from __future__ import annotations

import builtins
import importlib
import re
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
import wzeval.kinds

API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
#: pages for people (design.md describes the implementation itself, so it may name it)
USER_DOCS = sorted(
    p for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")] if p.name != "design.md"
)


def test_every_public_name_resolves_to_what_it_names() -> None:
    """Each name of ``__all__`` imports, and is not shadowed by a submodule of that name."""
    for name in wzeval.__all__:
        value = getattr(wzeval, name)
        assert not isinstance(value, type(wzeval)), f"wzeval.{name} is a module"
    # importing every implementation module must not shadow a public function
    for module in sorted({v.partition(":")[0] for v in wzeval._LAZY.values()}):
        importlib.import_module(module)
    for name in wzeval.__all__:
        assert not isinstance(getattr(wzeval, name), type(wzeval)), f"wzeval.{name}"


def test_the_lazy_table_and_all_agree() -> None:
    lazy = set(wzeval._LAZY)
    public = set(wzeval.__all__) - {"__version__"}
    assert lazy == public, (sorted(lazy - public), sorted(public - lazy))
    assert wzeval.__all__ == sorted(wzeval.__all__)


#: the code of docs/api.md: fenced blocks and inline spans, where names are written
API_CODE = "\n".join(
    re.findall(r"```.*?```", API_DOC, flags=re.S) + re.findall(r"`[^`\n]+`", API_DOC)
)


@pytest.mark.parametrize("name", sorted(set(wzeval.__all__) - {"__version__"}))
def test_every_public_name_is_documented(name: str) -> None:
    """docs/api.md names it as code (a span or a block), written out in full."""
    assert re.search(rf"(?<![\w.]){re.escape(name)}\b", API_CODE), f"{name} not in docs/api.md"


def test_every_documented_call_is_public() -> None:
    """A function docs/api.md shows as ``name(…)`` at the start of a table row or of
    a code span is a public name (a method such as ``.format()`` is not meant)."""
    called = set(re.findall(r"(?<![.\w])`([a-z_][a-z0-9_]*)\(", API_DOC))
    known = set(wzeval.__all__) | set(wzeval.kinds.__all__) | set(dir(builtins))
    assert sorted(called - known) == []


def test_kinds_declares_its_plugin_api() -> None:
    for name in wzeval.kinds.__all__:
        assert hasattr(wzeval.kinds, name), name
    assert "RuleKind" in wzeval.kinds.__all__


_INTERNAL_IMPORT = re.compile(r"\b(?:from|import)\s+wzeval\.(?!kinds\b)[\w.]+")


@pytest.mark.parametrize("page", USER_DOCS, ids=lambda p: p.name)
def test_user_docs_import_only_the_public_api(page: Path) -> None:
    """``from wzeval import …`` (or ``wzeval.kinds`` for plugins), never a module path."""
    hits = [
        f"{page.name}:{n}: {line.strip()}"
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if _INTERNAL_IMPORT.search(line)
    ]
    assert hits == []
