"""The JSON fast path: a JSON object read by the C ``json`` module, its positions found by
one regular-expression pass over the text when first asked for, the round-trip tree
built only if asked for.

JSON is YAML 1.2 and is read as YAML (``_loader``): the libyaml fast path
(``_fastyaml``) builds a ruamel round-trip tree with a mark on every node, of which a
findings file needs only the positions — and building it was most of a JSON file's
cost in a batch (docs/performance.md, issue 15 goal 2).  Here the data comes from
``json.loads`` and the positions from :func:`_marks`, which records the offset of every
key and value; :class:`JsonDocument` answers :meth:`~Document.position` from them and
builds the tree (exactly as the YAML reader would) the first time ``root`` is read.
A clean file asks for no position at all (an issue does), and the scan was two
thirds of reading one, so it runs the first time a position is asked for.

The rule is the YAML fast path's: a document is taken here only if the YAML reader
would read it cleanly and give the same data and positions, and anything else is left
to it.  So only a text that is an object (``{`` first), with no tab, carriage return,
non-printable character or ``\\u``/``\\b``/``\\f`` escape, no key longer than
:data:`_MAX_KEY` or apart from its colon by a line break or more than 8 spaces
(YAML's simple keys), no duplicate key, within :data:`MAX_NODES` and
:data:`MAX_DEPTH`, and whose numbers the YAML fast path resolves and constructs
without trouble (:meth:`_Builder.resolve`: the same exact decimals, checked ints,
limits); numbers are resolved by that very code.  These are decided as the text is
read (:func:`load_json_fast`), never by the later scan; should the scan still find
something it leaves to the YAML reader, positions come from the tree the YAML reader
builds.  ``WZEVAL_REFERENCE=1`` turns this path off with the other fast paths;
tests/scoring/test_fast_paths.py proves the data, positions, tree and issues the same as the
reference path's on every JSON file of the repository and on generated documents.
"""

from __future__ import annotations

import functools
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
#: The longest key (as read) taken without the scan: its text, quotes and escapes of
#: two characters each included, is then at most _MAX_KEY characters.
_MAX_READ_KEY = (_MAX_KEY - 2) // 2
#: A key apart from its colon: by a line break (one outside a string, as every line
#: break of valid JSON is, before a colon: only a key's colon can follow), or by
#: more than the 8 spaces the scan allows (an escaped quote in a string followed by
#: them only sends that file to the YAML reader).  Two patterns, the second looked
#: for only after a substring search finds its start: the alternation of the two
#: took 75 µs on a 10 KB file, the first alone 12.
_KEY_BELOW = re.compile(r"\n[ \n]*:")
_KEY_SPACED = re.compile(r'" {9,}:')
_SPACED = '"' + " " * 9
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


def _marks(text: str, start: int) -> Marks:
    """Every key's and value's offset in ``text`` (valid JSON, an object at ``start``,
    taken by :func:`load_json_fast`); raises :class:`_NotFast` for what the YAML reader
    might read otherwise.  The limits (depth, nodes) are not looked at again: they
    were decided when the text was read, and a caller may have changed them since (a
    large rulebook read under raised limits has its positions looked up after)."""
    root: dict[str, list[Any]] = {}
    stack: list[Any] = [root]
    top: Any = root
    is_map = True
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
            top[key] = [m.start(1), at, child]
        else:
            top.append([at, child])
        if child is not None:
            stack.append(child)
            top, is_map = child, first == "{"
    if stack or text[end:].strip(" \n"):
        raise _NotFast  # anything after the object
    return root


def _plain_text(text: str) -> bool:
    """Whether ``text`` has none of the characters where YAML and JSON part (:data:`_ODD`)
    and none YAML refuses (:data:`_NON_PRINTABLE`).  Every one of those is a character
    Python calls unprintable (a control, format, surrogate, separator or unassigned
    one), so a text that is printable but for its line breaks has none, and the two
    searches (60 µs each on a 10 KB file with some Chinese) are made only for a text
    that is not (the check: 35 µs)."""
    if text.replace("\n", "").isprintable():
        return True
    return not (_ODD.search(text) or _NON_PRINTABLE.search(text))


class JsonDocument(MarkedDocument):
    """A document read by the JSON fast path: its marks are offsets in the text, found
    by :func:`_marks` the first time a position is asked for."""

    _newlines: list[int] | None = None
    _scanned = False

    def _table(self) -> Any:
        if not self._scanned:
            self._scanned = True
            try:
                self._marks = _marks(self.text, self._root_mark)
            except _NotFast:  # pragma: no cover - load_json_fast decides all of these
                self._marks = None  # the tree's positions: the YAML reader's own
        return self._marks

    def _at(self, offset: int) -> Position:
        newlines = self._newlines
        if newlines is None:
            newlines = self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        line = bisect_right(newlines, offset)
        return Position(self.file, line + 1, offset - newlines[line - 1] if line else offset + 1)

    def empty_value(self, path: Sequence[PathPart]) -> bool:
        """JSON has no empty values: a ``null`` is always written out (so this needs no
        marks)."""
        if self.blanks:
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
    if not _plain_text(text):
        return None
    if "\\" in text and "\\" in _ESCAPES.sub("", text):
        return None
    if _KEY_BELOW.search(text) or (_SPACED in text and _KEY_SPACED.search(text)):
        return None
    try:
        data = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_number,
            parse_float=_number,
            parse_constant=_refuse,
        )
        _within_limits(data)
    except (ValueError, RecursionError, _NotFast):
        return None
    except Exception:  # any trouble in a number's constructor: the YAML reader decides
        return None
    return JsonDocument(file, data, issues=list(issues), text=text, at=start, build=build)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; raises :class:`_NotFast` for a duplicate key (the YAML
    reader reports it) or a key too long to be a simple key."""
    found = dict(pairs)
    if len(found) != len(pairs) or (found and max(map(len, found)) > _MAX_READ_KEY):
        raise _NotFast
    return found


def _within_limits(data: Any) -> None:
    """Raises :class:`_NotFast` for data deeper than MAX_DEPTH (WZ108) or of more than
    MAX_NODES nodes (WZ109), counted as the scan and the YAML reader count them: a
    mapping entry is two nodes, a sequence item one."""
    nodes = 1
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if type(node) is dict:
            nodes += 2 * len(node)
            values: Any = node.values()
        else:
            nodes += len(node)
            values = node
        for value in values:
            if type(value) is dict or type(value) is list:
                if depth >= limits.MAX_DEPTH:
                    raise _NotFast
                stack.append((value, depth + 1))
    if nodes > limits.MAX_NODES:
        raise _NotFast


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> Any:
    """A JSON number as the YAML fast path resolves and constructs it (exact decimals,
    checked ints), by its text: the values are immutable, so one is shared by every
    file a process reads (a batch's files write the same few numbers)."""
    return _builder().resolve(text, None, None, None)[1]


@functools.cache
def _builder() -> _Builder:
    """The YAML fast path's builder, for its number resolution (made when first needed)."""
    return _Builder()


def _refuse(value: str) -> Any:
    raise _NotFast  # NaN, Infinity: not JSON, and YAML reads them otherwise
