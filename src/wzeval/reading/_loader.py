"""Reading YAML safely, keeping where every value came from.

Rulebooks arrive in pull requests and findings are typed by hand, so the
loader is the first line of defence.  Before anything is built it scans the
event stream and enforces named limits:

* :data:`MAX_FILE_BYTES` -- the size of the file (WZ109);
* :data:`MAX_NODES` -- the nodes written in the document, aliases not expanded
  (WZ109): the pure-Python YAML reader costs about 60 µs a node, so this bounds
  the time of a wide-but-shallow document well inside the byte limit;
* :data:`MAX_RULEBOOK_NODES` -- the larger node limit of a document whose first
  key is ``wzeval: rulebook/…`` (a provincial table may be larger than the 2023
  one; a rulebook is checked once per change, not typed by the hundred);
* :data:`MAX_DEPTH` -- nesting (WZ108);
* :data:`MAX_ALIASES` and :data:`MAX_EXPANDED_NODES` -- alias references and the
  nodes they would expand to (a 466-byte "billion laughs" document expands to
  10^9 nodes; here it is refused with one issue, WZ107);
* :data:`MAX_NUMBER_LENGTH` and :data:`MAX_DECIMAL_EXPONENT` -- the size of a
  number (WZ112): exact arithmetic would turn ``1e999999999`` into a
  billion-digit integer, and Python refuses to read ints of over 4300 digits.

Unknown tags such as ``!!python/object`` are refused rather than constructed
(WZ106).  Characters that are not Unicode characters (a ``"\\udc00"`` escape,
a lone surrogate) are refused with their position (WZ101); so are values that
do not fit an explicit tag (``!!int abc``).  A date-shaped value that is not a
real date (``2023-02-30``) is kept as the text written, so whoever reads it
reports it at its position (findings: WZ405).

Every problem becomes an :class:`~wzeval.core._issues.Issue` with ``file:line:col``.
The parsed document keeps ruamel's position data so that later checks
(pydantic's error locations, expression checks, findings checks) can point at
the exact YAML node that caused them via :meth:`Document.position`.

Scalars become plain Python values: ``str``, ``int``, ``bool``, ``None``,
:class:`decimal.Decimal` for YAML floats (taken from the literal text, never
through a binary float), :class:`datetime.date` / :class:`datetime.datetime`.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import stat
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.tag import Tag

from wzeval.core._i18n import _

try:  # libyaml's C parser (ruamel.yaml.clib): the fast path, positions included
    from ruamel.yaml.main import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - ruamel.yaml without its C extension
    _CParser = None

from wzeval.core._issues import Issue, PathPart, Position, Severity
from wzeval.core._perf import gc_paused
from wzeval.core._slips import fullwidth_colon

__all__ = [
    "MAX_ALIASES",
    "MAX_DECIMAL_EXPONENT",
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_NUMBER_LENGTH",
    "MAX_RULEBOOK_NODES",
    "Document",
    "declares_rulebook",
    "load_document",
    "read_bytes_bounded",
    "read_source",
]

#: Largest input file read, in bytes.  The 2023 rulebook is about 160 KB; the pure
#: reader costs about 1 µs a byte of blank lines, so together with MAX_NODES this keeps
#: the slowest document within the limits under 2 CPU s (docs/security.md).
MAX_FILE_BYTES = 512 * 1024
#: Deepest nesting of mappings and sequences accepted.
MAX_DEPTH = 64
#: Most alias references (``*name``) in one document.
MAX_ALIASES = 200
#: Most nodes a document may have once every alias is expanded.
MAX_EXPANDED_NODES = 500_000
#: Most nodes (scalars, mappings, sequences) written in one document, aliases not
#: expanded, in any document but a declared rulebook (:data:`MAX_RULEBOOK_NODES`).
#: The pure reader costs about 60 µs a node (scan and build from one reading).
MAX_NODES = 10_000
#: Most nodes written in a rulebook: a document whose first key is ``wzeval`` with a
#: value starting ``rulebook`` (:func:`declares_rulebook`); 2.5 times the 2023
#: rulebook's 6 030.  Not more: the slowest rulebook within this and MAX_FILE_BYTES
#: (the pure reader, every node and byte) takes about 1.7 CPU s to validate through
#: the CLI on a loaded 2-core machine (docs/security.md), and the pure reader is
#: linear, so only a lower limit would buy time.
MAX_RULEBOOK_NODES = 15_000
#: Most characters of one number (int or decimal, sign, digits and underscores).
MAX_NUMBER_LENGTH = 100
#: Largest decimal exponent, either way: ``1e100`` and ``1e-100`` are read,
#: ``1e101`` is refused (its exact value would be a 101-digit integer, and
#: ``1e999999999`` a billion-digit one).
MAX_DECIMAL_EXPONENT = 100

_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off"})
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Half of a surrogate pair with no other half: "\ud83d\ude00" (JSON's way of writing
#: 😀, what json.dumps writes for any character past U+FFFF) is one character.
_LONE_SURROGATE = re.compile(
    "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"
)
#: Characters YAML does not allow in a file (ruamel's own table; surrogates included).
_NON_PRINTABLE = Reader.NON_PRINTABLE
_NOWHERE = Position("")
_INT_TEXT = re.compile(r"[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)")
_FLOAT_SPECIALS = {
    ".inf": "Infinity",
    "+.inf": "Infinity",
    "-.inf": "-Infinity",
    ".nan": "NaN",
}


def character_issue(text: str, position: Position, path: tuple[PathPart, ...] = ()) -> Issue | None:
    """WZ101 for the first character of ``text`` that no document may hold, else ``None``.

    One rule for every value and key, however it arrived: a character YAML does not
    allow in a file (a control character, U+FFFE) is refused also when written as an
    escape (``"\\0"``, JSON's ``"\\u0001"``) or handed over in memory, and so is half
    of a UTF-16 surrogate pair; both halves of a pair are read as their character.
    """
    for found in _NON_PRINTABLE.finditer(text):
        index = found.start()
        char = text[index]
        if "\ud800" <= char <= "\udfff":
            if _LONE_SURROGATE.match(text, index) is None:
                continue  # half of a pair (JSON's way of writing a character past U+FFFF)
            return Issue(
                "WZ101",
                _("\\u{char:04x} is half of a UTF-16 surrogate pair, not a character").format(
                    char=ord(char)
                ),
                path=path,
                position=position,
                hint=_("write the character itself, or \\U and its 8-digit code"),
            )
        return Issue(
            "WZ101",
            _("character U+{char:04X} is not allowed in a document, not even as an escape").format(
                char=ord(char)
            ),
            path=path,
            position=position,
            hint=_("remove the control character; tabs and line breaks are allowed"),
        )
    return None


def number_limit(text: str, value: Decimal | None = None) -> str | None:
    """Why the number written as ``text`` is past the number limits (WZ112), else ``None``."""
    if len(text) > MAX_NUMBER_LENGTH:
        return _("the number {text!r} is longer than {limit} characters").format(
            text=text[:40], limit=MAX_NUMBER_LENGTH
        )
    if (
        value is not None
        and value.is_finite()
        and value
        and abs(value.adjusted()) > MAX_DECIMAL_EXPONENT
    ):
        limit = MAX_DECIMAL_EXPONENT
        return _("the number {text!r} is not between 1e-{limit} and 1e{limit}").format(
            text=text[:40], limit=limit
        )
    return None


#: What a WZ112 issue suggests, wherever the number came from (in English; translated
#: where it is used, by :func:`number_hint`).
NUMBER_HINT = (
    f"numbers have at most {MAX_NUMBER_LENGTH} characters and lie between "
    f"1e-{MAX_DECIMAL_EXPONENT} and 1e{MAX_DECIMAL_EXPONENT} (limits: docs/security.md)"
)


def number_hint() -> str:
    """:data:`NUMBER_HINT` in the current language."""
    return _(
        "numbers have at most {length} characters and lie between 1e-{exponent} and "
        "1e{exponent} (limits: docs/security.md)"
    ).format(length=MAX_NUMBER_LENGTH, exponent=MAX_DECIMAL_EXPONENT)


class _TooLarge(ConstructorError):
    """A number past MAX_NUMBER_LENGTH or MAX_DECIMAL_EXPONENT (reported as WZ112)."""


def _not_a(node: Any, what: str) -> ConstructorError:
    return ConstructorError(
        None,
        None,
        _("{value!r} is not {what}").format(value=node.value, what=what),
        node.start_mark,
    )


def _too_large(node: Any, why: str) -> _TooLarge:
    return _TooLarge(None, None, why, node.start_mark)


def _construct_int(constructor: RoundTripConstructor, node: Any) -> int:
    """YAML ints become plain ints; bounded in length, and never a crash on odd text."""
    raw = str(constructor.construct_scalar(node))
    if why := number_limit(raw):
        raise _too_large(node, why)
    text = raw.replace("_", "").strip()
    if not _INT_TEXT.fullmatch(text):
        raise _not_a(node, _("an integer"))
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    bases = {"0b": 2, "0o": 8, "0x": 16}
    base = bases.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


def _construct_decimal(constructor: RoundTripConstructor, node: Any) -> Decimal:
    """YAML floats become exact decimals from their literal text (no binary floats)."""
    raw = str(constructor.construct_scalar(node))
    if why := number_limit(raw):
        raise _too_large(node, why)
    key = raw.replace("_", "").strip().lower()
    special = _FLOAT_SPECIALS.get(key)
    if special is None and key.lstrip("+-") in ("infinity", "inf", "nan", "snan"):
        raise _not_a(node, _("a number"))  # only YAML's own spellings (.inf, .nan) are numbers
    try:
        value = Decimal(special or key)
    except InvalidOperation:
        raise _not_a(node, _("a number")) from None
    if why := number_limit(raw, value):
        raise _too_large(node, why)
    return value


def _construct_bool(constructor: RoundTripConstructor, node: Any) -> bool:
    """Booleans as ruamel reads them; a ``!!bool`` on other text is an error, not a crash."""
    text = str(constructor.construct_scalar(node)).strip().lower()
    value = constructor.bool_values.get(text)
    if not isinstance(value, bool):
        raise _not_a(node, _("true or false"))
    return value


def _construct_timestamp(constructor: RoundTripConstructor, node: Any) -> Any:
    """Dates and datetimes; one that cannot exist (``2023-02-30``) stays the text written,
    so the reader that expects a date reports it at its position."""
    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except (ValueError, OverflowError):
        return str(node.value)


class _Constructor(RoundTripConstructor):
    """Round-trip constructor (positions kept) with exact decimals and checked scalars."""


_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Constructor.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Constructor.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.Constructor = _Constructor
    y.allow_duplicate_keys = False
    y.preserve_quotes = True  # so positions inside quoted expressions can be computed
    return y


@dataclass
class Document:
    """A parsed YAML or JSON document: plain data plus the node tree with positions."""

    file: str
    data: Any
    root: Any = None
    issues: list[Issue] = field(default_factory=list)
    text: str = ""
    #: Paths the source shows as left blank though ``data`` has nothing there (a
    #: workbook's empty value cell): "not recorded yet", placed by :meth:`position`.
    blanks: set[tuple[PathPart, ...]] = field(default_factory=set, compare=False)

    # The walks already made from the root, by path: (node, line, col, stopped).  Many
    # positions share a prefix (every fact of an indicator), so each is one step.
    _walks: dict[tuple[PathPart, ...], tuple[Any, int, int, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _walked: Any = field(default=None, init=False, repr=False, compare=False)
    _lines: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """The ``file:line:col`` of the node at ``path`` (or its nearest existing parent).

        With ``key=True`` the position of the mapping key itself is returned, which
        is where an "unknown key" belongs.
        """
        parts = tuple(path)
        if key and parts:
            node, line, col, stopped = self._walk(parts[:-1])
            part = parts[-1]
            if (
                not stopped
                and isinstance(node, CommentedMap)
                and isinstance(part, str)
                and part in node
            ):
                try:
                    kl, kc = node.lc.key(part)
                    node.lc.value(part)
                except (KeyError, TypeError):  # pragma: no cover - ruamel always records both
                    return Position(self.file, line, col)
                return Position(self.file, kl + 1, kc + 1)
        _node, line, col, _key = self._walk(parts)
        return Position(self.file, line, col)

    def empty_value(self, path: Sequence[PathPart]) -> bool:
        """Whether the mapping value at ``path`` was left empty in the text (``key:`` with
        nothing after it), as opposed to written ``null`` or ``~``.

        Both read as ``None``; the difference matters where ``null`` is an answer (a
        nullable fact: "never answered") and an empty value means "not recorded yet".
        ``False`` for anything else, and for documents without text (in-memory data).
        """
        parts = tuple(path)
        if not parts or not self.text:
            return False
        node, _, _, stopped = self._walk(parts[:-1])
        part = parts[-1]
        if stopped or not isinstance(node, CommentedMap) or part not in node:
            return False
        if node[part] is not None:
            return False
        try:
            vl, vc = node.lc.value(part)
        except (KeyError, TypeError):  # pragma: no cover - ruamel always records both
            return False
        if self._lines is None:
            self._lines = self.text.splitlines()
        line = self._lines[vl] if 0 <= vl < len(self._lines) else ""
        return _WRITTEN_NULL.match(line, min(vc, len(line))) is None

    def _walk(self, parts: tuple[PathPart, ...]) -> tuple[Any, int, int, bool]:
        """Where the walk from the root along ``parts`` ends: the node, its line and
        column (1-based), and whether it stopped early (a part that does not exist)."""
        if self._walked is not self.root:  # a new root: forget the old walks
            self._walks.clear()
            self._walked = self.root
        state = self._walks.get(parts)
        if state is not None:
            return state
        if not parts:
            node = self.root
            line, col = 0, 0
            if isinstance(node, CommentedMap | CommentedSeq):
                line, col = node.lc.line + 1, node.lc.col + 1
            elif self.text:  # a top-level scalar (``3``, ``foo``) keeps no mark of its own
                line, col = _first_content(self.text)
            state = (node, line, col, False)
        else:
            node, line, col, stopped = self._walk(parts[:-1])
            part = parts[-1]
            state = (node, line, col, True)
            if stopped:
                pass
            elif isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
                try:
                    node.lc.key(part)
                    vl, vc = node.lc.value(part)
                except (KeyError, TypeError):  # pragma: no cover - ruamel always records both
                    pass
                else:
                    line, col = vl + 1, vc + 1
                    node = node[part]
                    if isinstance(node, CommentedMap | CommentedSeq) and not (
                        node.fa.flow_style() if hasattr(node, "fa") else False
                    ):
                        line, col = node.lc.line + 1, node.lc.col + 1
                    state = (node, line, col, False)
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                try:
                    line, col = (x + 1 for x in node.lc.item(part))
                except (KeyError, TypeError):  # pragma: no cover
                    pass
                else:
                    state = (node[part], line, col, False)
        self._walks[parts] = state
        return state


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    return _("not a regular file")  # pragma: no cover - every other kind is listed


def _not_regular(name: str, mode: int) -> Issue:
    return Issue(
        "WZ113",
        _("{name} is {mode}, not a regular file").format(name=name, mode=_kind(mode)),
        position=Position(name),
        hint=_("name a regular .yaml/.json file; devices, pipes and folders are not read"),
    )


def _too_big(name: str, size: int | None) -> Issue:
    message = (
        _("file is larger than the limit of {limit} bytes")
        if size is None
        else _("file is {size} bytes, more than the limit of {limit} bytes")
    )
    return Issue(
        "WZ109",
        message.format(size=size, limit=MAX_FILE_BYTES),
        position=Position(name),
        hint=_("split the document; limits are in docs/security.md (MAX_FILE_BYTES)"),
    )


def declares_rulebook(text: str) -> bool:
    """Whether the document's first key is ``wzeval`` with a value starting ``rulebook``.

    That is what earns the rulebook node limit (:data:`MAX_RULEBOOK_NODES`).  It is
    decided from the head of the text alone — the first three nodes of the event
    stream, read lazily — so that it costs the same for any size, and it is asked only
    once a document passes :data:`MAX_NODES`.  A findings file that
    claims to be a rulebook gains nothing: it is then read, checked and refused as
    a rulebook, within the same measured bounds.
    """
    wanted = (MappingStartEvent, ScalarEvent, ScalarEvent)
    seen: list[Any] = []
    try:
        for ev in _pure_events(text):
            if isinstance(ev, NodeEvent):
                if not isinstance(ev, wanted[len(seen)]):
                    return False
                seen.append(ev)
                if len(seen) == len(wanted):
                    break
    except Exception:  # any trouble in the head: not declared; the scan reports it
        return False
    return (
        len(seen) == 3
        and seen[1].value == "wzeval"
        and isinstance(seen[2].value, str)
        and seen[2].value.startswith("rulebook")
    )


def _node_limit_issue(position: Position, rulebook: bool) -> Issue:
    if rulebook:
        return Issue(
            "WZ109",
            _("the rulebook has more than {max_nodes} values").format(max_nodes=MAX_RULEBOOK_NODES),
            position=position,
            hint=_(
                "split the rulebook with extends:; limit MAX_RULEBOOK_NODES in docs/security.md"
            ),
        )
    return Issue(
        "WZ109",
        _("the document has more than {max_nodes} values").format(max_nodes=MAX_NODES),
        position=position,
        hint=_(
            "split the document; limit MAX_NODES in docs/security.md (a rulebook whose"
            " first line is 'wzeval: rulebook/1' may have {rulebook_nodes})"
        ).format(rulebook_nodes=MAX_RULEBOOK_NODES),
    )


def _first_content(text: str) -> tuple[int, int]:
    """Line and column (1-based) of the first character of a document's content:
    blank lines, comments, directives and the ``---`` marker skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("%"):
            continue  # a directive
        body = line
        if line.startswith("---") and (len(line) == 3 or line[3] in " \t"):
            body = "   " + line[3:]
        stripped = body.lstrip(" \t")
        if stripped and not stripped.startswith("#"):
            return number, len(body) - len(stripped) + 1
    return 1, 1


def read_bytes_bounded(
    path: str | Path, limit: int | None = None
) -> tuple[bytes | None, list[Issue]]:
    """The bytes of a regular file of at most ``limit`` bytes (default MAX_FILE_BYTES).

    The only way wzeval reads a user's file.  The path is resolved (symlinks
    followed) and checked with :func:`os.stat` before opening, and opened with
    ``O_NONBLOCK`` so that a FIFO put in its place meanwhile never blocks; the
    open file is checked again with :func:`os.fstat`.  The size is bounded while
    reading (at most ``limit + 1`` bytes are read), never taken from ``st_size``,
    which is 0 for ``/dev/zero`` and for files that grow while read.
    """
    name = str(path)
    cap = MAX_FILE_BYTES if limit is None else limit
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None, [_not_regular(name, st.st_mode)]
        if st.st_size > cap:
            return None, [_too_big(name, st.st_size)]
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
                return None, [_not_regular(name, st.st_mode)]
            chunks: list[bytes] = []
            left = cap + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, [
            Issue(
                "WZ110",
                _("cannot read file: {value}").format(value=exc.strerror or exc),
                position=Position(name),
                hint=_("check the path and its permissions"),
            )
        ]
    if left <= 0:
        return None, [_too_big(name, None)]
    return b"".join(chunks), []


def read_source(path: str | Path) -> tuple[str | None, list[Issue]]:
    """Read a regular file as UTF-8 text within the size limit; problems become issues."""
    raw, issues = read_bytes_bounded(path)
    if raw is None:
        return None, issues
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8, reporting the exact line and column of an invalid byte."""
    issues: list[Issue] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        issues.append(
            Issue(
                "WZ104",
                _("file starts with a byte-order mark (BOM)"),
                position=Position(name, 1, 1),
                severity=Severity.WARNING,
                hint=_("save the file as UTF-8 without BOM"),
            )
        )
    try:
        return raw.decode("utf-8"), issues
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        issues.append(
            Issue(
                "WZ103",
                _("invalid UTF-8 byte 0x{raw:02x}").format(raw=raw[exc.start]),
                position=Position(name, line, col),
                hint=_("save the file as UTF-8 (GBK/GB18030 files must be converted)"),
            )
        )
        return None, issues


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
    limit = MAX_NODES  # raised to MAX_RULEBOOK_NODES once past it, if a rulebook
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
                    if limit == MAX_NODES and declares_rulebook(text):
                        limit = MAX_RULEBOOK_NODES
                    else:
                        issues.append(_node_limit_issue(pos(ev), limit != MAX_NODES))
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
                if depth > MAX_DEPTH:
                    issues.append(
                        Issue(
                            "WZ108",
                            _("nesting deeper than {max_depth} levels").format(max_depth=MAX_DEPTH),
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
                if aliases > MAX_ALIASES:
                    issues.append(
                        Issue(
                            "WZ107",
                            _("more than {max_aliases} aliases").format(max_aliases=MAX_ALIASES),
                            position=pos(ev),
                            hint=_("write the values out; limit MAX_ALIASES in docs/security.md"),
                        )
                    )
                    return issues
                add(anchors.get(str(ev.anchor), 1))
            if total > MAX_EXPANDED_NODES:
                issues.append(
                    Issue(
                        "WZ107",
                        _("aliases expand the document past {max_expanded_nodes} nodes").format(
                            max_expanded_nodes=MAX_EXPANDED_NODES
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


def _pure_events(text: str) -> Iterator[Any]:
    return iter(_yaml().parse(io.StringIO(text)))


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
# WZEVAL_REFERENCE=1 turns the fast path off.  tests/test_fast_paths.py checks that
# both paths give the same data, tree, positions and issues on every YAML and JSON
# file in the repository and on generated documents.

_STR = "tag:yaml.org,2002:str"


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
        limit = MAX_NODES  # as in the scan: MAX_RULEBOOK_NODES for a declared rulebook
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
                    if len(stack) >= MAX_DEPTH:
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
                    if limit == MAX_NODES and declares_rulebook(text):
                        limit = MAX_RULEBOOK_NODES
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
        found = self.by_first.get(first)
        if found is None:
            table = self.table
            found = self.by_first[first] = table.get(first, []) + table.get(None, [])
        return found

    def scalar(self, ev: Any) -> None:
        value = ev.value
        style = ev.style
        if ev.tag is not None:  # explicit tags: ruamel reads some (!!str) its own way
            raise _NotFast
        tag = _STR
        if style is None:  # plain: ruamel's implicit resolution, YAML 1.2
            if not value:  # an empty value: libyaml places it elsewhere than ruamel
                raise _NotFast
            for t, regexp in self.resolvers(value[0]):
                if regexp.match(value):
                    tag = t
                    break
        if tag == _STR and style is None:
            node = plain = value
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
            scalar.start_mark, scalar.end_mark = ev.start_mark, ev.end_mark
            scalar.comment = scalar.anchor = None
            node = self.constructors[tag](self.constructor, scalar)
            plain = _plain(node)
        self.add(node, plain, ev.start_mark, collection=False)

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


def fast_path_enabled() -> bool:
    """Whether documents are read with libyaml first (C extension installed and
    ``WZEVAL_REFERENCE`` not set to 1)."""
    return _CParser is not None and os.environ.get("WZEVAL_REFERENCE", "") != "1"


def _load_fast(text: str, file: str, issues: list[Issue]) -> Document | None:
    """The document read by the C parser, or ``None`` to read it with the reference path."""
    if not fast_path_enabled() or "%" in text[:1] or "\n%" in text:
        return None  # directives (%YAML 1.1, %TAG) are the reference path's business
    builder = _Builder()
    try:
        with gc_paused():  # else a 9 MB document takes 1.8x longer per node than 0.1 MB
            builder.read(text)
    except Exception:  # any trouble at all: the reference path decides what to report
        return None
    if builder.stack:  # pragma: no cover - a complete stream closes every collection
        return None
    found = list(issues)
    found.extend(_yes_warning(value, file, mark.line, mark.column) for value, mark in builder.yes)
    return Document(file, builder.data, root=builder.root, issues=found, text=text)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _reader_issue(exc: ReaderError, text: str, name: str) -> Issue:
    """Where a forbidden character is: ruamel gives an index into the text."""
    index = exc.position if isinstance(exc.position, int) else 0
    index = min(max(index, 0), len(text))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    char = exc.character
    what = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    return Issue(
        "WZ101",
        _("character {what} is not allowed in YAML ({reason})").format(
            what=what, reason=exc.reason
        ),
        position=Position(name, line, col),
        hint=_("remove the control character; tabs and line breaks are allowed"),
    )


def _yaml_issue(exc: MarkedYAMLError, name: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    position = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name)
    problem = exc.problem or exc.context or _("invalid YAML")
    code, hint = "WZ101", _("check the indentation and quoting near this place")
    if "\\t" in problem or "'\\t'" in repr(problem) or "\t" in problem:
        code, hint = "WZ105", _("YAML does not allow tabs for indentation; use spaces")
    if type(exc).__name__ == "DuplicateKeyError":
        code, hint = "WZ102", _("remove or rename one of the keys")
        problem = problem.split(" with value")[0]
    if isinstance(exc, _TooLarge):
        code, hint = "WZ112", number_hint()
    return Issue(code, problem, position=position, hint=hint)


#: How many lines above a syntax error a full-width colon is looked for: ruamel notices
#: the slip on the line after it (or, at the end of a mapping, at the next key).
_SLIP_REACH = 3


def _fullwidth_slip(issue: Issue, text: str) -> Issue:
    """A syntax error caused by a full-width colon after a key (``org_info_published： true``,
    the usual input-method slip), reported at that colon with the line fixed (WZ117).

    ruamel reports such a line where it notices the mapping is broken, a line or two
    later; any other issue is returned unchanged.
    """
    if issue.code != "WZ101" or issue.position is None or issue.position.line <= 0:
        return issue
    lines = text.splitlines()
    last = min(issue.position.line, len(lines))
    for n in range(last, max(last - _SLIP_REACH, 0), -1):
        found = fullwidth_colon(lines[n - 1])
        if found is None:
            continue
        col, fixed = found
        return Issue(
            "WZ117",
            _(
                "a full-width colon '：' follows the key, and YAML only "
                "knows the half-width ':'; write: {strip}"
            ).format(strip=fixed.strip()),
            position=Position(issue.position.file, n, col),
            hint=_(
                "replace the full-width colon '：' with a half-width ':' "
                "followed by a space (switch to the English input method)"
            ),
        )
    return issue


def _joined(text: str) -> str:
    """Escaped surrogate pairs (``"\\ud83d\\ude00"``) as the characters they encode.

    The scan has refused lone halves, so every surrogate here has its partner.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _plain(node: Any) -> Any:
    """Turn ruamel's round-trip objects into plain Python values (depth already bounded)."""
    if isinstance(node, dict):
        return {_joined(str(k)): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, str):
        return _joined(str(node))
    if isinstance(node, datetime):
        return datetime(
            node.year, node.month, node.day, node.hour, node.minute, node.second, node.microsecond
        )
    if isinstance(node, date):
        return date(node.year, node.month, node.day)
    return node


#: ``null`` written out (YAML 1.2's null words), at the place ruamel marks a value.
_WRITTEN_NULL = re.compile(r"[ \t]*(null|Null|NULL|~)(?=[ \t]|$|[,}\]#])")
_MARK_TEXT = re.compile(r"line (\d+), column (\d+)")


def _warning_issues(caught: Sequence[warnings.WarningMessage], name: str) -> list[Issue]:
    """What the YAML library warned about (a reused anchor, ...), as WZ116 warnings
    placed at the last ``line N, column M`` the warning names."""
    issues: list[Issue] = []
    for w in caught:
        text = str(w.message)
        marks = _MARK_TEXT.findall(text)
        position = (
            Position(name, int(marks[-1][0]), int(marks[-1][1])) if marks else Position(name, 1, 1)
        )
        first = next(
            (ln.strip() for ln in text.splitlines() if ln.strip()), type(w.message).__name__
        )
        issues.append(
            Issue(
                "WZ116",
                _("YAML reader warning: {first}").format(first=first[:160]),
                position=position,
                severity=Severity.WARNING,
                hint=_("give each anchor (&name) its own name; see the message for details"),
            )
        )
    return issues


def load_document(
    source: str | Path | None = None, *, text: str | None = None, name: str | None = None
) -> Document:
    """Load a YAML (or JSON) document from a path or from text.

    Never raises for bad input: the returned :class:`Document` carries the
    issues, and ``data`` is ``None`` when nothing usable could be built.
    """
    file = name or (str(source) if source is not None else "<string>")
    if text is None:
        if source is None:
            raise TypeError("load_document needs a path or text")
        text, issues = read_source(source)
        if text is None:
            return Document(file, None, issues=issues)
    else:
        issues = []
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            return Document(
                file,
                None,
                issues=[
                    Issue(
                        "WZ109",
                        _("document is larger than the limit of {max_file_bytes} bytes").format(
                            max_file_bytes=MAX_FILE_BYTES
                        ),
                        position=Position(file),
                        hint=_("split the document"),
                    )
                ],
            )
        if text.startswith("\ufeff"):
            text = text[1:]
    fast = _load_fast(text, file, issues)
    if fast is not None:
        return fast
    events: list[Any] = []
    scan = [_fullwidth_slip(i, text) for i in _scan(text, file, events)]
    issues.extend(scan)
    if any(i.severity is Severity.ERROR for i in scan):
        return Document(file, None, issues=issues, text=text)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            root = _build(events, _directives(text, file)[0])
        issues.extend(_warning_issues(caught, file))
    except MarkedYAMLError as exc:
        issues.append(_fullwidth_slip(_yaml_issue(exc, file), text))
        return Document(file, None, issues=issues, text=text)
    except (
        YAMLError,
        RecursionError,
        ValueError,
        OverflowError,
        IndexError,
        KeyError,
        TypeError,
    ) as exc:  # pragma: no cover - the scan and the checked constructors catch these first
        issues.append(
            Issue(
                "WZ101",
                _("cannot build the document: {exc}").format(exc=_one_line(exc)),
                position=Position(file),
            )
        )
        return Document(file, None, issues=issues, text=text)
    return Document(file, _plain(root), root=root, issues=issues, text=text)


#: Files a folder argument expands to (``.xlsx`` holds spreadsheet findings).
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def iter_files(paths: Sequence[str | Path], *, outside: list[Path] | None = None) -> Iterator[Path]:
    """Expand folders into their ``.yaml``/``.yml``/``.json``/``.xlsx`` files, sorted,
    recursively (Excel's ``~$`` lock files are skipped).

    A file found in a folder that is a symlink (or lies under one) leading out of both
    the folder given and the working directory is not read: it is skipped, and added
    to ``outside`` when a list is passed, so the caller can say so.  That is the
    confinement ``extends:`` uses, so a project may link a file of its own into a
    folder (a repository's ``rulebooks/`` linking the packaged rulebook), while a link
    to ``/etc/passwd`` or a home folder is never read.  A path named directly is
    always kept."""
    cwd = Path.cwd().resolve()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            root = p.resolve()
            for child in sorted(p.rglob("*")):
                if (
                    child.suffix.lower() in DOCUMENT_SUFFIXES
                    and child.is_file()
                    and not child.name.startswith("~$")
                ):
                    target = child.resolve()
                    if not (target.is_relative_to(root) or target.is_relative_to(cwd)):
                        if outside is not None:
                            outside.append(child)
                        continue
                    yield child
        else:
            yield p


def dumps_json(data: Any) -> str:
    """Deterministic JSON: sorted keys off (order is meaningful), UTF-8 kept, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
