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
        return version, [Issue("WZ114", problem, position=Position(name, number, col), hint=hint)]
    return version, []


def _scan(text: str, name: str, events: list[Any] | None = None) -> list[Issue]:
    """Walk the event stream once, enforcing depth, alias and tag limits before building.

    With ``events`` given, every event read is appended to it, so that the document
    can be built from them (:class:`_Replay`) without reading the text a second time.
    """
    version, issues = _directives(text, name)
    if issues:
        return issues
    depth = 0
    aliases = 0
    total = 0
    nodes = 0
    limit = limits.MAX_NODES  # raised to MAX_RULEBOOK_NODES once past it, if a rulebook
    last: Any = None  # the last event read (its position is the place of a crash)
    anchors: dict[str, int] = {}
    # per open collection: [node count so far, anchor name or None, is mapping, children]
    stack: list[list[Any]] = []

    def add(n: int) -> None:
        nonlocal total
        total += n
        if stack:
            stack[-1][0] += n
            stack[-1][3] += 1

    def is_key() -> bool:
        return bool(stack) and stack[-1][2] and stack[-1][3] % 2 == 0

    def pos(ev: Any) -> Position:
        m = ev.start_mark
        return Position(name, m.line + 1, m.column + 1)

    try:
        for ev in _pure_events(text):
            last = ev
            if events is not None:
                events.append(ev)
            if isinstance(ev, NodeEvent) and not isinstance(ev, AliasEvent):
                nodes += 1
                if nodes > limit:
                    if limit == limits.MAX_NODES and declares_rulebook(text):
                        limit = limits.MAX_RULEBOOK_NODES
                    else:
                        issues.append(_node_limit_issue(pos(ev), limit != limits.MAX_NODES))
                        return issues
                tag = getattr(ev, "tag", None)
                if tag is not None and str(tag) not in _STANDARD_TAGS:
                    issues.append(
                        Issue(
                            "WZ106",
                            _("unsupported YAML tag {tag!s}").format(tag=tag),
                            position=pos(ev),
                            hint=_("remove the tag; wzeval documents hold plain data only"),
                        )
                    )
                    return issues
            if isinstance(ev, CollectionStartEvent):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    issues.append(
                        Issue(
                            "WZ108",
                            _("nesting deeper than {max_depth} levels").format(
                                max_depth=limits.MAX_DEPTH
                            ),
                            position=pos(ev),
                            hint=_("flatten the document; limit MAX_DEPTH in docs/security.md"),
                        )
                    )
                    return issues
                stack.append([1, ev.anchor, type(ev).__name__ == "MappingStartEvent", 0])
            elif isinstance(ev, CollectionEndEvent):
                depth -= 1
                count, anchor, _mapping, _items = stack.pop()
                if anchor:
                    anchors[anchor] = count
                add(count)
            elif isinstance(ev, ScalarEvent):
                if ev.anchor:
                    anchors[ev.anchor] = 1
                key = is_key()
                add(1)
                # ruamel marks the folds of a folded (>) scalar with U+0007 in the event
                value = ev.value.replace("\a", "") if ev.style == ">" else ev.value
                bad = character_issue(value, pos(ev))
                if bad is not None:
                    issues.append(bad)
                    return issues
                if ev.tag is None and ev.style is None and version == "1.1":
                    word = ev.value
                    if word in _YAML11_TRUE or word in _YAML11_FALSE:
                        truth = "true" if word in _YAML11_TRUE else "false"
                        what = (
                            _("the key {word!r} is read as {truth} here (%YAML 1.1)")
                            if key
                            else _("{word!r} is read as {truth} here (%YAML 1.1)")
                        )
                        issues.append(
                            Issue(
                                "WZ111",
                                what.format(word=word, truth=truth),
                                position=pos(ev),
                                severity=Severity.WARNING,
                                hint=_("write true/false for a yes/no answer, or quote the text"),
                            )
                        )
                elif (
                    not key
                    and ev.tag is None
                    and ev.style is None
                    and isinstance(ev.value, str)
                    and ev.value.lower() in _YAML11_BOOLS
                ):
                    issues.append(
                        Issue(
                            "WZ111",
                            _(
                                "{ev_value!r} is read as a string here, but as a boolean "
                                "by YAML 1.1 tools"
                            ).format(ev_value=ev.value),
                            position=pos(ev),
                            severity=Severity.WARNING,
                            hint=_("write true/false for a yes/no answer, or quote the text"),
                        )
                    )
            elif isinstance(ev, AliasEvent):
                aliases += 1
                if aliases > limits.MAX_ALIASES:
                    issues.append(
                        Issue(
                            "WZ107",
                            _("more than {max_aliases} aliases").format(
                                max_aliases=limits.MAX_ALIASES
                            ),
                            position=pos(ev),
                            hint=_("write the values out; limit MAX_ALIASES in docs/security.md"),
                        )
                    )
                    return issues
                add(anchors.get(str(ev.anchor), 1))
            if total > limits.MAX_EXPANDED_NODES:
                issues.append(
                    Issue(
                        "WZ107",
                        _("aliases expand the document past {max_expanded_nodes} nodes").format(
                            max_expanded_nodes=limits.MAX_EXPANDED_NODES
                        ),
                        position=pos(ev),
                        hint=_("this looks like an alias bomb; write the values out"),
                    )
                )
                return issues
    except MarkedYAMLError as exc:
        issues.append(_yaml_issue(exc, name))
    except ReaderError as exc:  # a character YAML does not allow (control, surrogate)
        issues.append(_reader_issue(exc, text, name))
    except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for syntax
        issues.append(
            Issue("WZ101", _("YAML error: {exc}").format(exc=exc), position=Position(name))
        )
    except AssertionError as exc:  # ruamel asserts on some directives (a later %YAML 1.3)
        issues.append(
            Issue(
                "WZ114",
                _("YAML directive not supported: {exc}").format(exc=_one_line(exc)),
                position=pos(last) if last is not None else Position(name, 1, 1),
                hint=_("write %YAML 1.2 (or 1.1), or remove the line; YAML 1.2 is the default"),
            )
        )
    except (ValueError, OverflowError, IndexError, KeyError, TypeError) as exc:
        # ruamel's scanner has a few unguarded conversions (e.g. the escape
        # "\U00110000" raises ValueError); none may escape as a crash.
        issues.append(
            Issue(
                "WZ101",
                _("cannot read the YAML after this place: {exc}").format(exc=_one_line(exc)),
                position=pos(last) if last is not None else Position(name, 1, 1),
                hint=_("check escapes (\\x, \\u, \\U) and special characters near here"),
            )
        )
    return issues


def _yes_warning(value: str, name: str, line: int, column: int) -> Issue:
    """The fast path's WZ111 for a plain ``yes``/``no``/``on``/``off`` value (0-based
    mark): word for word what :func:`_scan` reports (YAML 1.2 documents only)."""
    return Issue(
        "WZ111",
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
