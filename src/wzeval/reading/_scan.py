"""The reference reader: the ``%YAML`` directives, then ruamel's pure-Python event
stream scanned for every limit and every refused construct before anything is built,
and the tree built from the same events.  It defines every issue the reader reports;
the fast path (:mod:`._fastyaml`) must agree with it."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.reader import ReaderError

from wzeval.core._codes import WZ101, WZ106, WZ107, WZ108, WZ111, WZ114
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, Position, Severity
from wzeval.reading import _yamlcore as limits
from wzeval.reading._yamlcore import (
    _STANDARD_TAGS,
    _YAML11_BOOLS,
    _node_limit_issue,
    _one_line,
    _pure_events,
    _reader_issue,
    _yaml,
    _yaml_issue,
    character_issue,
    declares_rulebook,
)

#: The YAML versions a ``%YAML`` directive may name; 1.2 is the default.
YAML_VERSIONS = ("1.1", "1.2")
_DIRECTIVE = re.compile(r"%(\S*)(?:[ \t]+([^ \t#]*))?[^#]*?(?:[ \t]#.*)?")
#: YAML 1.1 booleans as ruamel reads them under %YAML 1.1 (exact spellings).
_YAML11_TRUE = frozenset(w for v in ("yes", "on", "y") for w in (v, v.capitalize(), v.upper()))
_YAML11_FALSE = frozenset(w for v in ("no", "off", "n") for w in (v, v.capitalize(), v.upper()))


def _directives(text: str, name: str) -> tuple[str, list[Issue]]:
    """The YAML version in force and an issue (WZ114) for any directive not read.

    Only ``%YAML 1.1`` and ``%YAML 1.2``, once, are accepted; any other version
    (ruamel asserts on ``1.0``, ``1.3``, ``1.10``), a repeated ``%YAML``, ``%TAG``
    (wzeval documents carry no tags) and unknown directives are refused, at the
    directive's line.  Directives stand before the first ``---``; a ``%`` line
    later starts a second document, which is refused anyway.
    """
    version = "1.2"
    seen: int | None = None
    for number, line in enumerate(text.split("\n", 200), start=1):
        if number > 200:
            break
        stripped = line.strip()
        if not line.startswith("%"):
            if stripped == "" or stripped.startswith("#"):
                continue
            break
        m = _DIRECTIVE.match(line.rstrip("\r"))
        word, arg = (m.group(1), m.group(2) or "") if m else ("", "")
        problem = hint = ""
        col = 1
        if word != "YAML":
            problem = _("the YAML directive %{word} is not supported").format(word=word[:40])
            if word == "TAG":
                hint = _("remove it; wzeval documents hold plain data without tags")
            else:
                hint = _("remove the line; only %YAML 1.2 (or 1.1) is read")
        elif seen is not None:
            problem = _("a second %YAML directive (the first is on line {line})").format(line=seen)
            hint = _("keep one %YAML line")
        elif arg not in YAML_VERSIONS:
            col = line.find(arg) + 1 if arg else len(line.rstrip()) + 1
            problem = _("YAML version {version} is not supported").format(
                version=arg[:40] or _("(none)")
            )
            hint = _("write %YAML 1.2 (or 1.1), or remove the line; YAML 1.2 is the default")
        else:
            seen, version = number, arg
            continue
        return version, [Issue(WZ114, problem, position=Position(name, number, col), hint=hint)]
    return version, []


def _tag_issue(tag: Any, position: Position) -> Issue:
    return Issue(
        WZ106,
        _("unsupported YAML tag {tag!s}").format(tag=tag),
        position=position,
        hint=_("remove the tag; wzeval documents hold plain data only"),
    )


def _depth_issue(position: Position) -> Issue:
    return Issue(
        WZ108,
        _("nesting deeper than {max_depth} levels").format(max_depth=limits.MAX_DEPTH),
        position=position,
        hint=_("flatten the document; limit MAX_DEPTH in docs/security.md"),
    )


def _aliases_issue(position: Position) -> Issue:
    return Issue(
        WZ107,
        _("more than {max_aliases} aliases").format(max_aliases=limits.MAX_ALIASES),
        position=position,
        hint=_("write the values out; limit MAX_ALIASES in docs/security.md"),
    )


def _expanded_issue(position: Position) -> Issue:
    return Issue(
        WZ107,
        _("aliases expand the document past {max_expanded_nodes} nodes").format(
            max_expanded_nodes=limits.MAX_EXPANDED_NODES
        ),
        position=position,
        hint=_("this looks like an alias bomb; write the values out"),
    )


def _boolean_warning(ev: Any, key: bool, version: str, position: Position) -> Issue | None:
    """WZ111 for a plain scalar that YAML 1.1 and 1.2 read differently: under
    ``%YAML 1.1`` a yes/no word is a boolean here; under 1.2 it is text here but a
    boolean to YAML 1.1 tools (a value only: a key is text to both)."""
    if ev.tag is not None or ev.style is not None:
        return None
    hint = _("write true/false for a yes/no answer, or quote the text")
    if version == "1.1":
        word = ev.value
        if word not in _YAML11_TRUE and word not in _YAML11_FALSE:
            return None
        truth = "true" if word in _YAML11_TRUE else "false"
        what = (
            _("the key {word!r} is read as {truth} here (%YAML 1.1)")
            if key
            else _("{word!r} is read as {truth} here (%YAML 1.1)")
        )
        return Issue(
            WZ111,
            what.format(word=word, truth=truth),
            position=position,
            severity=Severity.WARNING,
            hint=hint,
        )
    if key or not isinstance(ev.value, str) or ev.value.lower() not in _YAML11_BOOLS:
        return None
    return Issue(
        WZ111,
        _("{ev_value!r} is read as a string here, but as a boolean by YAML 1.1 tools").format(
            ev_value=ev.value
        ),
        position=position,
        severity=Severity.WARNING,
        hint=hint,
    )


def _crash_issue(exc: Exception, text: str, name: str, at: Position) -> Issue:
    """What an error of the YAML library while scanning becomes (never a crash)."""
    if isinstance(exc, MarkedYAMLError):
        return _yaml_issue(exc, name)
    if isinstance(exc, ReaderError):  # a character YAML does not allow (control, surrogate)
        return _reader_issue(exc, text, name)
    if isinstance(exc, AssertionError):  # ruamel asserts on some directives (a later %YAML 1.3)
        return Issue(
            WZ114,
            _("YAML directive not supported: {exc}").format(exc=_one_line(exc)),
            position=at,
            hint=_("write %YAML 1.2 (or 1.1), or remove the line; YAML 1.2 is the default"),
        )
    if isinstance(exc, YAMLError):  # pragma: no cover - ruamel raises marked errors for syntax
        return Issue(WZ101, _("YAML error: {exc}").format(exc=exc), position=Position(name))
    # ruamel's scanner has a few unguarded conversions (e.g. the escape "\U00110000"
    # raises ValueError); none may escape as a crash.
    return Issue(
        WZ101,
        _("cannot read the YAML after this place: {exc}").format(exc=_one_line(exc)),
        position=at,
        hint=_("check escapes (\\x, \\u, \\U) and special characters near here"),
    )


class _Scanner:
    """The state of one scan: depth, aliases, nodes written and expanded, the anchors'
    sizes and the open collections.  Each event's method returns the issue that stops
    the scan, or ``None``; warnings are added to :attr:`issues` on the way."""

    def __init__(self, text: str, name: str, version: str, issues: list[Issue]) -> None:
        self.text, self.name, self.version, self.issues = text, name, version, issues
        self.depth = self.aliases = self.total = self.nodes = 0
        self.limit = limits.MAX_NODES  # raised to MAX_RULEBOOK_NODES past it, for a rulebook
        self.anchors: dict[str, int] = {}
        # per open collection: [node count so far, anchor name or None, is mapping, children]
        self.stack: list[list[Any]] = []

    def pos(self, ev: Any) -> Position:
        m = ev.start_mark
        return Position(self.name, m.line + 1, m.column + 1)

    def add(self, n: int) -> None:
        self.total += n
        if self.stack:
            self.stack[-1][0] += n
            self.stack[-1][3] += 1

    def is_key(self) -> bool:
        return bool(self.stack) and self.stack[-1][2] and self.stack[-1][3] % 2 == 0

    def node(self, ev: Any) -> Issue | None:
        self.nodes += 1
        if self.nodes > self.limit:
            if self.limit == limits.MAX_NODES and declares_rulebook(self.text):
                self.limit = limits.MAX_RULEBOOK_NODES
            else:
                return _node_limit_issue(self.pos(ev), self.limit != limits.MAX_NODES)
        tag = getattr(ev, "tag", None)
        if tag is not None and str(tag) not in _STANDARD_TAGS:
            return _tag_issue(tag, self.pos(ev))
        return None

    def start(self, ev: Any) -> Issue | None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            return _depth_issue(self.pos(ev))
        self.stack.append([1, ev.anchor, type(ev).__name__ == "MappingStartEvent", 0])
        return None

    def end(self) -> None:
        self.depth -= 1
        count, anchor, _mapping, _items = self.stack.pop()
        if anchor:
            self.anchors[anchor] = count
        self.add(count)

    def scalar(self, ev: Any) -> Issue | None:
        if ev.anchor:
            self.anchors[ev.anchor] = 1
        key = self.is_key()
        self.add(1)
        # ruamel marks the folds of a folded (>) scalar with U+0007 in the event
        value = ev.value.replace("\a", "") if ev.style == ">" else ev.value
        bad = character_issue(value, self.pos(ev))
        if bad is not None:
            return bad
        warning = _boolean_warning(ev, key, self.version, self.pos(ev))
        if warning is not None:
            self.issues.append(warning)
        return None

    def alias(self, ev: Any) -> Issue | None:
        self.aliases += 1
        if self.aliases > limits.MAX_ALIASES:
            return _aliases_issue(self.pos(ev))
        self.add(self.anchors.get(str(ev.anchor), 1))
        return None

    def event(self, ev: Any) -> Issue | None:
        """Read one event; the issue that stops the scan, if any."""
        stop = None
        if isinstance(ev, NodeEvent) and not isinstance(ev, AliasEvent):
            stop = self.node(ev)
        if stop is None and isinstance(ev, CollectionStartEvent):
            stop = self.start(ev)
        elif stop is None and isinstance(ev, CollectionEndEvent):
            self.end()
        elif stop is None and isinstance(ev, ScalarEvent):
            stop = self.scalar(ev)
        elif stop is None and isinstance(ev, AliasEvent):
            stop = self.alias(ev)
        if stop is None and self.total > limits.MAX_EXPANDED_NODES:
            stop = _expanded_issue(self.pos(ev))
        return stop


def _scan(text: str, name: str, events: list[Any] | None = None) -> list[Issue]:
    """Walk the event stream once, enforcing depth, alias and tag limits before building.

    With ``events`` given, every event read is appended to it, so that the document
    can be built from them (:class:`_Replay`) without reading the text a second time.
    """
    version, issues = _directives(text, name)
    if issues:
        return issues
    scanner = _Scanner(text, name, version, issues)
    last: Any = None  # the last event read (its position is the place of a crash)
    try:
        for ev in _pure_events(text):
            last = ev
            if events is not None:
                events.append(ev)
            stop = scanner.event(ev)
            if stop is not None:
                issues.append(stop)
                return issues
    except (
        YAMLError,
        AssertionError,
        ValueError,
        OverflowError,
        IndexError,
        KeyError,
        TypeError,
    ) as exc:
        at = scanner.pos(last) if last is not None else Position(name, 1, 1)
        issues.append(_crash_issue(exc, text, name, at))
    return issues


def _yes_warning(value: str, name: str, line: int, column: int) -> Issue:
    """The fast path's WZ111 for a plain ``yes``/``no``/``on``/``off`` value (0-based
    mark): word for word what :func:`_scan` reports (YAML 1.2 documents only)."""
    return Issue(
        WZ111,
        _("{value!r} is read as a string here, but as a boolean by YAML 1.1 tools").format(
            value=value
        ),
        position=Position(name, line + 1, column + 1),
        severity=Severity.WARNING,
        hint=_("write true/false for a yes/no answer, or quote the text"),
    )


class _Replay:
    """The parser interface ruamel's composer reads (``check_event``, ``peek_event``,
    ``get_event``), over the events the scan has already read: the pure reader reads
    a document once, not once to scan and again to build."""

    def __init__(self, events: list[Any]) -> None:
        self.events = events
        self.index = 0

    def check_event(self, *choices: Any) -> bool:
        if self.index >= len(self.events):
            return False
        return not choices or isinstance(self.events[self.index], choices)

    def peek_event(self) -> Any:
        return self.events[self.index] if self.index < len(self.events) else None

    def get_event(self) -> Any:
        ev = self.peek_event()
        self.index += 1
        return ev

    def dispose(self) -> None:
        self.events = []


def _build(events: list[Any], version: str) -> Any:
    """The round-trip tree of a scanned document, composed and constructed from its
    events (the scan has read them all, without an issue)."""
    y = _yaml()
    y.version = (1, 1) if version == "1.1" else None  # what %YAML in the text said
    replay = _Replay(events)
    # the composer reads the loader's parser from this attribute (ruamel's lazy property)
    setattr(y, "_parser", replay)  # noqa: B010 - not an attribute mypy knows of YAML
    try:
        return y.constructor.get_single_data()
    finally:
        replay.dispose()
