"""Where a node is in the source as given: character offsets, not UTF-8 columns.

Every check and the evaluator report errors at an offset; this module turns
Python's (line, byte column) positions into 0-based character indexes.
"""

from __future__ import annotations

import ast
import io
from typing import NoReturn

from wzeval.core._errors import ExpressionError


class SourceMap:
    """Turns Python's (line, UTF-8 byte column) positions into offsets in ``source``.

    Offsets are 0-based character indexes into the source as given (leading
    whitespace included), so a caller can put a caret under the offending node
    even when the expression holds Chinese text or spans lines.
    """

    def __init__(self, source: str, lead: int) -> None:
        self.lead = lead
        self.text = source[lead:]  # what ast.parse saw
        # Python's own line breaks only (str.splitlines also breaks at U+2028 &c.).
        self.lines = io.StringIO(self.text, newline="").readlines() or [""]
        starts = [lead]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        self.starts = starts

    def at(self, lineno: int, byte_col: int) -> int:
        i = min(max(lineno, 1), len(self.lines)) - 1
        line = self.lines[i].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")
        return self.starts[i] + len(line)

    def at_char(self, lineno: int, char_col: int) -> int:
        i = min(max(lineno, 1), len(self.lines)) - 1
        return min(self.starts[i] + char_col, self.starts[-1])

    def of(self, node: ast.AST) -> int:
        return self.at(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))


def fail(
    code: str, message: str, where: SourceMap, node: ast.AST, hint: str | None = None
) -> NoReturn:
    raise ExpressionError(code, message, offset=where.of(node), hint=hint)


def position(node: ast.Name) -> tuple[int, int]:
    """Where a name is: no two names of one expression share it."""
    return node.lineno, node.col_offset
