"""Where things are, so that a test reads the same files from whichever folder it is in."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "TESTS"]

#: The tests folder: corpus/, findings/, lint/, plugins/, rulebooks/, verify/ live here.
TESTS = Path(__file__).resolve().parent.parent
#: The repository: rulebooks/, examples/, docs/, src/.
ROOT = TESTS.parent
