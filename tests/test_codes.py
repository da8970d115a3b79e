"""The issue-code registry: complete, and its reference page fresh."""

from __future__ import annotations

import re
from pathlib import Path

from wzeval.output._issuecodes import CODES

ROOT = Path(__file__).parent.parent


def test_every_emitted_code_is_documented() -> None:
    """Every WZ code in the source is in the registry (so docs/issue-codes.md explains it)."""
    used: set[str] = set()
    for f in (ROOT / "src" / "wzeval").rglob("*.py"):
        used |= set(re.findall(r"\bWZ\d{3}\b", f.read_text(encoding="utf-8")))
    missing = sorted(used - set(CODES))
    assert missing == []
