"""The JSON fast path: a JSON object read by the C ``json`` module, its positions found by
one regular-expression pass over the text, the round-trip tree built only if asked for.

JSON is YAML 1.2 and is read as YAML (``_loader``): the libyaml fast path
(``_fastyaml``) builds a ruamel round-trip tree with a mark on every node, of which a
findings file needs only the positions — and building it was most of a JSON file's
cost in a batch (docs/performance.md, issue 15 goal 2).  Here the data comes from
``json.loads`` and the positions from :func:`_marks`, which records the offset of every
key and value; :class:`JsonDocument` answers :meth:`~Document.position` from them and
builds the tree (exactly as the YAML reader would) the first time ``root`` is read.

The rule is the YAML fast path's: a document is taken here only if the YAML reader
would read it cleanly and give the same data and positions, and anything else is left
to it.  So only a text that is an object (``{`` first), with no tab, carriage return,
non-printable character or ``\\u``/``\\b``/``\\f`` escape, no key longer than
:data:`_MAX_KEY` or apart from its colon by a line break (YAML's simple keys), no
duplicate key, within :data:`MAX_NODES` and :data:`MAX_DEPTH`, and whose numbers the
YAML fast path resolves and constructs without trouble (:meth:`_Builder.resolve`: the
same exact decimals, checked ints, limits); numbers are resolved by that very code.
``WZEVAL_REFERENCE=1`` turns this path off with the other fast paths;
tests/scoring/test_fast_paths.py proves the data, positions, tree and issues the same as the
reference path's on every JSON file of the repository and on generated documents.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from wzeval.core._issues import Issue, PathPart, Position
from wzeval.reading import _yamlcore as limits
from wzeval.reading._fastyaml import _Builder, _NotFast, fast_path_enabled, fast_tree
from wzeval.reading._marked import MarkedDocument
from wzeval.reading._yamlcore import _NON_PRINTABLE

__all__ = ["JsonDocument", "load_json_fast"]

#: A key longer than this is left to the YAML reader: libyaml stops treating a key
#: as a simple key 1,024 characters on.
_MAX_KEY = 1000
#: One step of the scan: spaces, newlines and commas, then an optional key and its
#: colon (on the key's line), then a value's first token or a closing bracket.
_STEP = re.compile(
    r'[ \n,]*(?:("[^"\\\n]*(?:\\.[^"\\\n]*)*") {0,8}:[ \n]*)?'
    r'([{\[}\]]|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[^ \n,}\]]+)'
)
#: Characters where YAML and JSON part: tabs and carriage returns (YAML's own rules for
#: them), what libyaml counts as a line break and JSON does not, a byte-order mark.
_NEWLINE = re.compile("\n")
_ODD = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
#: The escapes YAML's double-quoted strings read as JSON does, and that give printable
#: text: a text with any other backslash is left to the YAML reader.
_ESCAPES = re.compile(r'\\[\\"/nrt]')

# A container's marks: a mapping's are {key: [key offset, value offset, child marks]},
# a sequence's [[item offset, child marks], ...]; a scalar's child marks are None.
Marks = dict[str, list[Any]] | list[list[Any]]


def _marks(text: str, start: int) -> tuple[Marks, int]:
    """Every key's and value's offset in ``text`` (valid JSON, an object at ``start``),
    and how many nodes it holds; raises :class:`_NotFast` for what the YAML reader
    might read otherwise."""
    root: dict[str, list[Any]] = {}
    stack: list[Any] = [root]
    top: Any = root
    is_map = True
    nodes = 1
    end = start + 1
    for m in _STEP.finditer(text, start + 1):
        at = m.start(2)
        first = text[at]
        if first == "}" or first == "]":
            stack.pop()
            if not stack:
                end = at + 1
                break
            top = stack[-1]
            is_map = type(top) is dict
            continue
        child: Any = None
        if first == "{":
            child = {}
        elif first == "[":
            child = []
        if is_map:
            raw = m.group(1)
            if raw is None or len(raw) > _MAX_KEY:
                raise _NotFast  # a key apart from its colon, or a long one
            key = json.loads(raw) if "\\" in raw else raw[1:-1]
            if key in top:
                raise _NotFast  # a duplicate key: the YAML reader reports it
            nodes += 2
            top[key] = [m.start(1), at, child]
        else:
            nodes += 1
            top.append([at, child])
        if child is not None:
            if len(stack) >= limits.MAX_DEPTH:
                raise _NotFast  # WZ108
            stack.append(child)
            top, is_map = child, first == "{"
    if stack or nodes > limits.MAX_NODES or text[end:].strip(" \n"):
        raise _NotFast  # WZ109, or anything after the object
    return root, nodes


class JsonDocument(MarkedDocument):
    """A document read by the JSON fast path: its marks are offsets in the text."""

    _newlines: list[int] | None = None

    def _at(self, offset: int) -> Position:
        newlines = self._newlines
        if newlines is None:
            newlines = self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        line = bisect_right(newlines, offset)
        return Position(self.file, line + 1, offset - newlines[line - 1] if line else offset + 1)

    def empty_value(self, path: Sequence[PathPart]) -> bool:
        """JSON has no empty values: a ``null`` is always written out."""
        if self._marks is None or self.blanks:
            return super().empty_value(path)
        return False


def load_json_fast(
    text: str, file: str, issues: list[Issue], build: Callable[[str, str], Any] = fast_tree
) -> JsonDocument | None:
    """``text`` read as a JSON object, or ``None`` to read it as YAML; ``build`` makes
    its round-trip tree when it is read (:func:`wzeval.reading._loader.load_yaml`'s, by
    :func:`~wzeval.reading._loader.load_document`)."""
    start = len(text) - len(text.lstrip(" \n"))
    if text[start : start + 1] != "{" or not fast_path_enabled():
        return None
    if _ODD.search(text) or _NON_PRINTABLE.search(text):
        return None
    if "\\" in text and "\\" in _ESCAPES.sub("", text):
        return None
    builder = _Builder()
    cache: dict[str, Any] = {}

    def number(value: str) -> Any:
        found = cache.get(value)
        if found is None:
            found = cache[value] = builder.resolve(value, None, None, None)[1]
        return found

    try:
        data = json.loads(text, parse_int=number, parse_float=number, parse_constant=_refuse)
        marks = _marks(text, start)[0]
    except (ValueError, RecursionError, _NotFast):
        return None
    except Exception:  # any trouble in a number's constructor: the YAML reader decides
        return None
    return JsonDocument(
        file, data, issues=list(issues), text=text, marks=marks, at=start, build=build
    )


def _refuse(value: str) -> Any:
    raise _NotFast  # NaN, Infinity: not JSON, and YAML reads them otherwise
