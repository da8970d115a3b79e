"""The YAML reader's building blocks: its limits, the checks of characters and numbers,
the round-trip constructor, the document with its positions, and the issues of the
YAML library's errors.

Every other module of the reader (:mod:`._source`, :mod:`._scan`, :mod:`._fastyaml`,
:mod:`._loader`) builds on these.  The limits are module globals read at call time
(``limits.MAX_NODES`` elsewhere), so a test or a benchmark may lower or raise them
here for one run.  docs/security.md gives the figures behind each."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.reader import ReaderError

from wzeval.core._codes import WZ101, WZ102, WZ105, WZ109, WZ112
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, PathPart, Position

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
#: Characters YAML does not allow in a file: the complement of ruamel's table of what
#: it allows (``Reader.NON_PRINTABLE``, surrogates included), written as the few
#: ranges it leaves out.  Not ruamel's own: that is a lazy proxy, reached through a
#: Python-level ``__getattribute__`` on every use (the fast paths search every scalar
#: with it), and its class of everything allowed takes 7 ms to compile, this 0.7 ms, a
#: start-up cost of every command (tests/reading/test_loader.py checks every code point).
_NON_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
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
                WZ101,
                _("\\u{char:04x} is half of a UTF-16 surrogate pair, not a character").format(
                    char=ord(char)
                ),
                path=path,
                position=position,
                hint=_("write the character itself, or \\U and its 8-digit code"),
            )
        return Issue(
            WZ101,
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
            WZ109,
            _("the rulebook has more than {max_nodes} values").format(max_nodes=MAX_RULEBOOK_NODES),
            position=position,
            hint=_(
                "split the rulebook with extends:; limit MAX_RULEBOOK_NODES in docs/security.md"
            ),
        )
    return Issue(
        WZ109,
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


def _pure_events(text: str) -> Iterator[Any]:
    return iter(_yaml().parse(io.StringIO(text)))


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
        WZ101,
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
    code, hint = WZ101, _("check the indentation and quoting near this place")
    if "\\t" in problem or "'\\t'" in repr(problem) or "\t" in problem:
        code, hint = WZ105, _("YAML does not allow tabs for indentation; use spaces")
    if type(exc).__name__ == "DuplicateKeyError":
        code, hint = WZ102, _("remove or rename one of the keys")
        problem = problem.split(" with value")[0]
    if isinstance(exc, _TooLarge):
        code, hint = WZ112, number_hint()
    return Issue(code, problem, position=position, hint=hint)


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
