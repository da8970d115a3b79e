"""A document read by a fast path that keeps marks, not ruamel's round-trip tree.

Building the tree (a ``CommentedMap`` per mapping, a line/column record per key and
item) was most of the cost of reading a findings file, and a findings file needs only
its positions.  The fast readers (:mod:`wzeval.reading._fastjson` for JSON,
:class:`wzeval.reading._fastyaml._MarksBuilder` for YAML) record instead, for every
mapping, ``{key: [key mark, value mark, child marks, value is null]}`` and for every
sequence ``[[item mark, child marks], ...]`` (``child marks`` ``None`` for a scalar) —
the very marks the tree would hold, taken from the same parser events.
:class:`MarkedDocument` answers :meth:`~Document.position` and
:meth:`~Document.empty_value` from them exactly as the tree walk does, and builds the
tree itself (by the YAML reader, as before: ``build``) the first time ``root`` is read.
tests/scoring/test_fast_paths.py and tests/reading/test_fast_json.py prove positions, tree and data
the same as the reference path's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wzeval.core._issues import Issue, PathPart, Position
from wzeval.reading._yamlcore import _WRITTEN_NULL, Document

__all__ = ["MarkedDocument", "YamlDocument"]


class MarkedDocument(Document):
    """Positions from marks; the round-trip tree built when first read.  A subclass says
    what a mark is (:meth:`_at`)."""

    def __init__(
        self,
        file: str,
        data: Any,
        root: Any = None,
        issues: list[Issue] | None = None,
        text: str = "",
        blanks: set[tuple[PathPart, ...]] | None = None,
        *,
        marks: Any = None,
        at: Any = None,
        build: Callable[[str, str], Any] | None = None,
    ) -> None:
        self._tree = root
        self._build = build
        super().__init__(file, data, root, [] if issues is None else issues, text, set())
        if blanks:
            self.blanks = blanks
        self._marks = marks
        self._root_mark = at

    @property
    def root(self) -> Any:
        """The round-trip tree, built by ``build`` (the YAML reader, given by the reader
        that made this document: a module-level function, so documents still pickle)."""
        if self._tree is None and self._build is not None:
            self._tree = self._build(self.text, self.file)
        return self._tree

    @root.setter
    def root(self, value: Any) -> None:
        self._tree = value

    def _at(self, mark: Any) -> Position:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _table(self) -> Any:
        """The marks (``None``: positions come from the tree); a subclass may find them
        only when first asked."""
        return self._marks

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """As :meth:`Document.position`, from the marks."""
        marks: Any = self._table()
        if marks is None or self.blanks:
            return super().position(path, key=key)
        mark = self._root_mark
        last = len(path) - 1
        for i, part in enumerate(path):
            if type(marks) is dict:
                entry = marks.get(part) if isinstance(part, str) else None
                if entry is None:
                    break
                if key and i == last:
                    return self._at(entry[0])
                mark, marks = entry[1], entry[2]
            elif type(marks) is list:
                if not (isinstance(part, int) and 0 <= part < len(marks)):
                    break
                mark, marks = marks[part]
            else:
                break
        return self._at(mark)

    def _entry(self, path: Sequence[PathPart]) -> list[Any] | None:
        """The mapping entry at ``path`` (its parent reached, a mapping holding it)."""
        if not path:
            return None
        marks: Any = self._table()
        for part in path[:-1]:
            if type(marks) is dict:
                entry = marks.get(part) if isinstance(part, str) else None
                if entry is None:
                    return None
                marks = entry[2]
            elif type(marks) is list:
                if not (isinstance(part, int) and 0 <= part < len(marks)):
                    return None
                marks = marks[part][1]
            else:
                return None
        part = path[-1]
        if type(marks) is not dict or not isinstance(part, str):
            return None
        found: list[Any] | None = marks.get(part)
        return found

    def empty_value(self, path: Sequence[PathPart]) -> bool:
        """As :meth:`Document.empty_value`, from the marks."""
        if self._table() is None or self.blanks:
            return super().empty_value(path)
        entry = self._entry(path)
        if entry is None or not entry[3] or not self.text:
            return False
        return self._left_empty(entry[1])

    def _left_empty(self, mark: Any) -> bool:
        """Whether the null value at ``mark`` was written as nothing at all."""
        vl, vc = mark
        if self._lines is None:
            self._lines = self.text.splitlines()
        line = self._lines[vl] if 0 <= vl < len(self._lines) else ""
        return _WRITTEN_NULL.match(line, min(vc, len(line))) is None


class YamlDocument(MarkedDocument):
    """A YAML document read by the libyaml fast path: marks are 0-based (line, column)."""

    def _at(self, mark: tuple[int, int]) -> Position:
        return Position(self.file, mark[0] + 1, mark[1] + 1)
