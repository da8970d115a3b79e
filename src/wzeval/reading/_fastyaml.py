"""The fast path: libyaml's C parser, read in one loop that refuses whatever the scan
would report, building the same tree and data (see the comment below)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.tag import Tag

try:  # libyaml's C parser (ruamel.yaml.clib): the fast path, positions included
    from ruamel.yaml.main import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - ruamel.yaml without its C extension
    _CParser = None

from wzeval.core._issues import Issue
from wzeval.core._perf import gc_paused
from wzeval.reading import _yamlcore as limits
from wzeval.reading._marked import YamlDocument
from wzeval.reading._scan import _yes_warning
from wzeval.reading._yamlcore import (
    _NON_PRINTABLE,
    _NOWHERE,
    _YAML11_BOOLS,
    Document,
    _Constructor,
    _plain,
    character_issue,
    declares_rulebook,
)

# ------------------------------------------------------------------ the fast path
#
# ruamel's pure-Python reader is the reference: it defines every issue wzeval reports.
# When libyaml's C parser is installed, a document is first read with it, in one
# loop over its events (_Builder.read) that refuses whatever the safety scan (_scan)
# would report and builds, from the same events, the same CommentedMap tree (same line/column marks,
# flow styles, quoted-string types) that ruamel's composer and wzeval's round-trip
# constructor build, and the same plain data (_plain).  Scalars are resolved with
# ruamel's own YAML 1.2 resolver table and constructed by _Constructor's own
# functions (exact decimals, checked ints and booleans, dates); only a plain string
# is taken as it is.  A document is taken from the fast path only if it passes
# cleanly (no issue but WZ111 warnings, which the fast path reports itself at the
# same marks, so that one `yes` in a large file does not cost the pure reader's
# two readings) and holds nothing the builder
# leaves to ruamel (empty values, explicit tags, anchors, aliases, merge keys,
# complex keys, duplicate keys, several documents, directives); anything else is
# read again by the reference path, so every other issue is the reference path's own.
# WZEVAL_REFERENCE=1 turns the fast path off.  tests/scoring/test_fast_paths.py checks that
# both paths give the same data, tree, positions and issues on every YAML and JSON
# file in the repository and on generated documents.

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"


class _NotFast(Exception):
    """The document is left to the reference path."""


@functools.cache
def _resolvers() -> tuple[dict[Any, Any], _Constructor]:
    """ruamel's YAML 1.2 implicit resolver table, and a constructor for scalars."""
    resolver = VersionedResolver(version=(1, 2))
    table = resolver.versioned_resolver
    return table, _Constructor(preserve_quotes=True)


class _Builder:
    """Builds the round-trip tree and the plain data from the C parser's events.

    :meth:`read` is one loop over the events that both builds and enforces, for
    this path, what the safety scan (:func:`_scan`) enforces: anything the scan
    would report — except the WZ111 warning, which is collected in :attr:`yes` and
    reported word for word as the scan would — or anything the builder leaves to
    ruamel raises :class:`_NotFast`, and the document is read again by the
    reference path, which reports it.  (One loop rather than the scan's generator chained to
    the builder's: the per-event overhead of the chain was a third of the time.)
    """

    def __init__(self) -> None:
        self.table, self.constructor = _resolvers()
        self.constructors = type(self.constructor).yaml_constructors
        self.tags: dict[str, Tag] = {}
        # implicit resolvers by a plain scalar's first character (ruamel's table
        # lists them by first character, plus those for any character)
        self.by_first: dict[str, list[Any]] = {}
        # open collections: [tree node, plain value, is mapping, pending key, key mark,
        #                    key's plain value, flow style, start mark]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.data: Any = None
        # plain YAML 1.1 booleans read as values (WZ111 warnings): text and start mark
        self.yes: list[tuple[str, Any]] = []

    def read(self, text: str) -> None:
        """Build from ``text``; raises :class:`_NotFast` (or any parser error) to give
        the document to the reference path."""
        assert _CParser is not None
        parser = _CParser(text)
        stack = self.stack
        scalar, start, end = self.scalar, self.start, self.end
        nodes = 0
        limit = limits.MAX_NODES  # as in the scan: MAX_RULEBOOK_NODES for a declared rulebook
        documents = 0
        try:
            get_event = parser.get_event
            while True:
                ev = get_event()
                if ev is None:
                    return
                kind = type(ev)
                if kind is ScalarEvent:
                    nodes += 1
                    if ev.anchor is not None:
                        raise _NotFast  # anchors and aliases: the reference path's business
                    value = ev.value
                    if _NON_PRINTABLE.search(value) and character_issue(value, _NOWHERE):
                        raise _NotFast  # WZ101
                    if ev.style == "":
                        ev.style = None  # a plain scalar, in the pure parser's shape
                    if ev.style is None and value.lower() in _YAML11_BOOLS:
                        top = stack[-1] if stack else None
                        if top is None or not top[2] or top[3] is not _NO_KEY:
                            # WZ111 (a warning) for a value: the scan's own warning, at
                            # the same mark, so one ``yes`` costs no second reading
                            self.yes.append((value, ev.start_mark))
                    scalar(ev)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    nodes += 1
                    if ev.anchor is not None:
                        raise _NotFast
                    if len(stack) >= limits.MAX_DEPTH:
                        raise _NotFast  # WZ108
                    start(ev, kind is MappingStartEvent)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    end()
                elif kind is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _NotFast  # several documents: ruamel reports it
                elif kind is StreamEndEvent:
                    return
                elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
                    raise _NotFast  # an alias, or anything unexpected
                if nodes > limit:
                    if limit == limits.MAX_NODES and declares_rulebook(text):
                        limit = limits.MAX_RULEBOOK_NODES
                    else:
                        raise _NotFast  # WZ109
        finally:
            parser.dispose()

    def start(self, ev: Any, is_map: bool) -> None:
        if ev.tag is not None:
            raise _NotFast  # explicit tags are the reference path's business
        node = CommentedMap() if is_map else CommentedSeq()
        mark = ev.start_mark
        node._yaml_set_line_col(mark.line, mark.column)
        self.stack.append(
            [node, {} if is_map else [], is_map, _NO_KEY, None, None, ev.flow_style, mark]
        )

    def end(self) -> None:
        node, plain, _, pending, _, _, flow, mark = self.stack.pop()
        if pending is not _NO_KEY:  # pragma: no cover - the parser pairs keys
            raise _NotFast
        if len(node) and flow is True:
            node.fa.set_flow_style()
        elif len(node) and flow is False:
            node.fa.set_block_style()
        self.add(node, plain, mark, collection=True)

    def resolvers(self, first: str) -> list[Any]:
        """The implicit resolvers of a plain scalar starting with ``first``: each tag
        with its pattern's ``match``, taken once — ruamel's patterns are lazy proxies,
        and reaching through one on every scalar was 6% of reading a findings file."""
        found = self.by_first.get(first)
        if found is None:
            table = self.table
            found = self.by_first[first] = [
                (tag, regexp.match) for tag, regexp in table.get(first, []) + table.get(None, [])
            ]
        return found

    def scalar(self, ev: Any) -> None:
        if ev.tag is not None:  # explicit tags: ruamel reads some (!!str) its own way
            raise _NotFast
        node, plain = self.resolve(ev.value, ev.style, ev.start_mark, ev.end_mark)
        self.add(node, plain, ev.start_mark, collection=False)

    def resolve(self, value: str, style: str | None, start: Any, end: Any) -> tuple[Any, Any]:
        """An untagged scalar's tree node and plain value (raises :class:`_NotFast`)."""
        tag = _STR
        node: Any
        plain: Any
        if style is None:  # plain: ruamel's implicit resolution, YAML 1.2
            if not value:  # an empty value: libyaml places it elsewhere than ruamel
                raise _NotFast
            for t, match in self.resolvers(value[0]):
                if match(value):
                    tag = t
                    break
        if tag == _STR and style is None:
            node = plain = value
        elif tag == _BOOL and (value == "true" or value == "false"):
            node = plain = value == "true"  # what _construct_bool gives, without a node
        elif tag == _STR and style == '"':  # as RoundTripConstructor.construct_scalar
            node, plain = DoubleQuotedScalarString(value), value
        elif tag == _STR and style == "'":
            node, plain = SingleQuotedScalarString(value), value
        else:
            if tag == "tag:yaml.org,2002:merge" or tag not in self.constructors:
                raise _NotFast
            # a ScalarNode as the composer makes one, without its per-node costs
            scalar = ScalarNode.__new__(ScalarNode)
            ctag = self.tags.get(tag)
            if ctag is None:
                ctag = self.tags[tag] = Tag(suffix=tag)
            scalar.ctag, scalar.value, scalar.style = ctag, value, style
            scalar.start_mark, scalar.end_mark = start, end
            scalar.comment = scalar.anchor = None
            node = self.constructors[tag](self.constructor, scalar)
            plain = _plain(node)
        return node, plain

    def add(self, node: Any, plain: Any, mark: Any, *, collection: bool) -> None:
        if not self.stack:
            self.root, self.data = node, plain
            return
        top = self.stack[-1]
        if not top[2]:  # a sequence item
            seq = top[0]
            seq._yaml_set_idx_line_col(len(seq), [mark.line, mark.column])
            seq.append(node)
            top[1].append(plain)
            return
        if top[3] is _NO_KEY:  # a mapping key
            if collection:
                raise _NotFast  # complex keys: ruamel's business
            top[3], top[4] = node, mark
            top[5] = node if isinstance(node, str) else str(node)
            return
        mapping, key, key_mark = top[0], top[3], top[4]
        if key in mapping:
            raise _NotFast  # a duplicate key: ruamel reports it
        mapping._yaml_set_kv_line_col(key, [key_mark.line, key_mark.column, mark.line, mark.column])
        mapping[key] = node
        top[1][top[5]] = plain
        top[3] = _NO_KEY


_NO_KEY = object()


class _NeedTree(Exception):
    """The document holds what only the tree shows (a key that is not a string, a
    scalar at the root): it is read again by :class:`_Builder`."""


class _MarksBuilder(_Builder):
    """Builds the plain data and, instead of the round-trip tree, its marks (see
    :mod:`wzeval.reading._marked`): the same events, the same checks, the marks the tree
    would record — a collection's value mark is its start mark, as in the tree."""

    root_mark: tuple[int, int] | None = None

    def start(self, ev: Any, is_map: bool) -> None:
        if ev.tag is not None:
            raise _NotFast
        self.stack.append(
            [
                {} if is_map else [],
                {} if is_map else [],
                is_map,
                _NO_KEY,
                None,
                None,
                None,
                ev.start_mark,
            ]
        )

    def end(self) -> None:
        marks, plain, _, pending, _, _, _, mark = self.stack.pop()
        if pending is not _NO_KEY:  # pragma: no cover - the parser pairs keys
            raise _NotFast
        self.add(marks, plain, mark, collection=True)

    def add(self, node: Any, plain: Any, mark: Any, *, collection: bool) -> None:
        if not self.stack:
            if not collection:
                raise _NeedTree  # a scalar root keeps no mark of its own in the tree
            self.root, self.data = node, plain
            self.root_mark = (mark.line, mark.column)
            return
        top = self.stack[-1]
        child = node if collection else None
        if not top[2]:  # a sequence item
            top[0].append([(mark.line, mark.column), child])
            top[1].append(plain)
            return
        if top[3] is _NO_KEY:  # a mapping key
            if collection:
                raise _NotFast  # complex keys: ruamel's business
            if not isinstance(node, str):
                raise _NeedTree  # the tree's key (1, true, a date) is not the data's
            top[3], top[4], top[5] = node, mark, node
            return
        marks, key, key_mark = top[0], top[3], top[4]
        if key in marks:
            raise _NotFast  # a duplicate key: ruamel reports it
        marks[key] = [
            (key_mark.line, key_mark.column),
            (mark.line, mark.column),
            child,
            plain is None,
        ]
        top[1][top[5]] = plain
        top[3] = _NO_KEY


def fast_path_enabled() -> bool:
    """Whether documents are read with libyaml first (C extension installed and
    ``WZEVAL_REFERENCE`` not set to 1)."""
    return _CParser is not None and os.environ.get("WZEVAL_REFERENCE", "") != "1"


def fast_tree(text: str, file: str) -> Any:
    """The round-trip tree of a text this path reads (a marked document's ``build``)."""
    doc = _load_fast(text, file, [], tree=True)
    return None if doc is None else doc.root


def _load_fast(
    text: str,
    file: str,
    issues: list[Issue],
    *,
    tree: bool = False,
    build: Callable[[str, str], Any] = fast_tree,
) -> Document | None:
    """The document read by the C parser, or ``None`` to read it with the reference path.
    Its positions come from marks (:class:`YamlDocument`, the tree built when read), or,
    with ``tree`` or for a document only the tree describes, from the round-trip tree."""
    if not fast_path_enabled() or "%" in text[:1] or "\n%" in text:
        return None  # directives (%YAML 1.1, %TAG) are the reference path's business
    builder: _Builder = _Builder() if tree else _MarksBuilder()
    try:
        with gc_paused():  # else a 9 MB document takes 1.8x longer per node than 0.1 MB
            try:
                builder.read(text)
            except _NeedTree:
                builder = _Builder()
                builder.read(text)
    except Exception:  # any trouble at all: the reference path decides what to report
        return None
    if builder.stack:  # pragma: no cover - a complete stream closes every collection
        return None
    found = list(issues)
    found.extend(_yes_warning(value, file, mark.line, mark.column) for value, mark in builder.yes)
    if isinstance(builder, _MarksBuilder):
        if builder.root is None:  # an empty document: the tree's own answers
            return Document(file, None, issues=found, text=text)
        return YamlDocument(
            file,
            builder.data,
            issues=found,
            text=text,
            marks=builder.root,
            at=builder.root_mark,
            build=build,
        )
    return Document(file, builder.data, root=builder.root, issues=found, text=text)
