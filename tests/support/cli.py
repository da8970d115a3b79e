"""The CLI run in-process, as the tests call it: what it printed and returned."""

from __future__ import annotations

import io
from pathlib import Path

from wzeval.cli import run

__all__ = ["Result", "wz"]


class Result:
    """What one CLI run printed and returned."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err


def wz(*args: str | Path) -> Result:
    """Run the CLI in-process; no run may ever print a traceback."""
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], out, err)
    result = Result(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.err
    assert "Traceback" not in result.out
    return result
