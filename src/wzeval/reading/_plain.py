"""Data handed to the library in memory, held to the limits a file is held to.

:func:`plain_document` walks a caller's value iteratively (no recursion), in
document order, and stops at the first limit passed: the loader's node count
(WZ109), nesting depth (WZ108), number limits (WZ112) and character rule
(WZ101), and the size of the text it holds (WZ109, ``MAX_FILE_BYTES``); a
rulebook (``<rulebook>``, as :func:`wzeval.scoring._api.read_rulebook` names one) has the
rulebook node limit, ``MAX_RULEBOOK_NODES``, as a file declaring
``wzeval: rulebook/1`` has.  Only
plain data is taken: mappings with text keys, lists and tuples, text, booleans,
ints, :class:`~decimal.Decimal`, floats (read as the literal they print as),
dates and ``None``; anything else is WZ412, and a mapping or sequence that
raises while being read is WZ413.  No ``__repr__``, ``__eq__`` or ``__hash__``
of a caller's object is called.  The result is a plain copy, as the loader
builds from a file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from wzeval.core._codes import WZ108, WZ109, WZ112, WZ412, WZ413
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, PathPart, Position
from wzeval.reading._yamlcore import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER_LENGTH,
    MAX_RULEBOOK_NODES,
    Document,
    _joined,
    _plain,
    character_issue,
    number_hint,
    number_limit,
)

__all__ = ["plain_document"]


class _Refused(Exception):
    def __init__(self, issue: Issue) -> None:
        self.issue = issue


def _kind(value: object) -> str:
    try:
        name = type(value).__name__
    except Exception:  # a hostile metaclass
        name = "object"
    return name[:40] if type(name) is str else "object"


class _Walk:
    def __init__(self, file: str, rulebook: bool = False) -> None:
        self.file = file
        self.where = Position(file)
        self.nodes = 0
        self.size = 0
        self.max_nodes = MAX_RULEBOOK_NODES if rulebook else MAX_NODES
        self.node_limit = "MAX_RULEBOOK_NODES" if rulebook else "MAX_NODES"

    def refuse(self, code: str, message: str, path: tuple[PathPart, ...], hint: str) -> _Refused:
        return _Refused(Issue(code, message, path=path, position=self.where, hint=hint))

    def count(self, path: tuple[PathPart, ...]) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.refuse(
                WZ109,
                _("the document has more than {max_nodes} values").format(max_nodes=self.max_nodes),
                path,
                _("split the document; limit {limit} in docs/security.md").format(
                    limit=self.node_limit
                ),
            )

    def text(self, value: str, path: tuple[PathPart, ...]) -> str:
        plain = str.__str__(value)
        self.size += len(plain) if plain.isascii() else len(plain.encode("utf-8", "surrogatepass"))
        if self.size > MAX_FILE_BYTES:
            raise self.refuse(
                WZ109,
                _("the document holds more than {max_bytes} bytes of text").format(
                    max_bytes=MAX_FILE_BYTES
                ),
                path,
                _("split the document; limit {limit} in docs/security.md").format(
                    limit="MAX_FILE_BYTES"
                ),
            )
        bad = character_issue(plain, self.where, path)
        if bad is not None:
            raise _Refused(bad)
        return _joined(plain)

    def number(self, text: str, value: Decimal | None, path: tuple[PathPart, ...]) -> None:
        why = number_limit(text, value)
        if why:
            raise self.refuse(WZ112, why, path, number_hint())

    def scalar(self, value: object, path: tuple[PathPart, ...]) -> Any:
        """A plain copy of a scalar, or a refusal."""
        if value is None or value is True or value is False:
            return value
        if isinstance(value, str):
            return self.text(value, path)
        if isinstance(value, bool):
            return bool.__bool__(value)
        if isinstance(value, int):
            n = int.__int__(value)
            if n.bit_length() > 4 * MAX_NUMBER_LENGTH:  # str() of it may not even exist
                digits = int(n.bit_length() * 0.30103)
                raise self.refuse(
                    WZ112,
                    _(
                        "the number of about {digits} digits is longer than {limit} characters"
                    ).format(digits=digits, limit=MAX_NUMBER_LENGTH),
                    path,
                    number_hint(),
                )
            self.number(str(n), None, path)
            return n
        if isinstance(value, float | Decimal):
            try:
                d = Decimal(float.__repr__(value)) if isinstance(value, float) else Decimal(value)
                text = str(d) if d.is_finite() and len(d.as_tuple().digits) <= 400 else ""
            except Exception:
                raise self.unreadable(value, path) from None
            if text == "" and d.is_finite():
                text = "9" * (MAX_NUMBER_LENGTH + 1)
            if d.is_finite():
                self.number(text, d, path)
            return d
        if isinstance(value, date):
            try:
                return _plain(value)
            except Exception:
                raise self.unreadable(value, path) from None
        raise self.refuse(
            WZ412,
            _("a value of type {type} is not plain data").format(type=_kind(value)),
            path,
            _("pass mappings, lists, text, numbers, booleans, dates or None"),
        )

    def unreadable(self, value: object, path: tuple[PathPart, ...]) -> _Refused:
        return self.refuse(
            WZ413,
            _("the {type} could not be read: reading it raised an error").format(type=_kind(value)),
            path,
            _("pass plain dicts and lists"),
        )

    def items(self, value: object, path: tuple[PathPart, ...]) -> Iterator[Any] | None:
        try:
            if type(value) is dict:
                return iter(dict.items(value))
            if type(value) is list or type(value) is tuple:
                return iter(value)
            if isinstance(value, Mapping):
                return iter(value.items())
            if isinstance(value, list | tuple):
                return iter(
                    list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
                )
        except Exception:
            raise self.unreadable(value, path) from None
        return None

    def key(self, key: object, path: tuple[PathPart, ...]) -> str:
        if isinstance(key, str | int | Decimal | float | date) or key is None:
            return str(self.scalar(key, path))  # as the loader turns `1:` into '1'
        raise self.refuse(
            WZ412,
            _("a key of type {type} is not text").format(type=_kind(key)),
            path,
            _("mapping keys are text"),
        )

    def run(self, value: object) -> Any:
        self.count(())
        it = self.items(value, ())
        if it is None:
            return self.scalar(value, ())
        root: Any = {} if isinstance(value, Mapping) else []
        # open collections: (the caller's collection, its iterator, copy, path, is mapping)
        stack: list[tuple[object, Iterator[Any], Any, tuple[PathPart, ...], bool]] = [
            (value, it, root, (), isinstance(value, Mapping))
        ]
        while stack:
            source, it, out, path, is_map = stack[-1]
            entry: Any
            try:
                entry = next(it, _END)
            except Exception:  # the refusal names the collection being read, not the root
                raise self.unreadable(source, path) from None
            if entry is _END:
                stack.pop()
                continue
            if is_map:
                raw_key: Any
                try:
                    raw_key, item = entry
                except Exception:
                    raise self.unreadable(source, path) from None
                self.count(path)
                key = self.key(raw_key, path)
                here: tuple[PathPart, ...] = (*path, key)
            else:
                item = entry
                here = (*path, len(out))
            self.count(here)
            sub = self.items(item, here)
            if sub is None:
                copy = self.scalar(item, here)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise self.refuse(
                        WZ108,
                        _("nesting deeper than {max_depth} levels").format(max_depth=MAX_DEPTH),
                        here,
                        _("flatten the document; limit MAX_DEPTH in docs/security.md"),
                    )
                copy = {} if isinstance(item, Mapping) else []
                stack.append((item, sub, copy, here, isinstance(item, Mapping)))
            if is_map:
                out[key] = copy
            else:
                out.append(copy)
        return root


_END = object()


def plain_document(value: object, file: str, *, rulebook: bool | None = None) -> Document:
    """A :class:`Document` of a caller's in-memory value, checked as a file's would be.

    ``rulebook`` (by default: ``file`` is ``<rulebook>``) gives it the rulebook node limit.
    """
    if rulebook is None:
        rulebook = file == "<rulebook>"
    try:
        data = _Walk(file, rulebook).run(value)
    except _Refused as refused:
        return Document(file, None, issues=[refused.issue])
    return Document(file, data)
