"""Reading YAML safely, keeping where every value came from.

Rulebooks arrive in pull requests and findings are typed by hand, so the
loader is the first line of defence.  Before anything is built it scans the
event stream and enforces named limits: file size, nesting depth, and the
number of nodes aliases would expand to (a 466-byte "billion laughs" document
expands to 10^9 nodes; here it is refused with one issue).  Unknown tags such
as ``!!python/object`` are refused rather than constructed.

Every problem becomes an :class:`~wzeval.issues.Issue` with ``file:line:col``.
The parsed document keeps ruamel's position data so that later checks
(pydantic's error locations, expression checks, findings checks) can point at
the exact YAML node that caused them via :meth:`Document.position`.

Scalars become plain Python values: ``str``, ``int``, ``bool``, ``None``,
:class:`decimal.Decimal` for YAML floats (taken from the literal text, never
through a binary float), :class:`datetime.date` / :class:`datetime.datetime`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from wzeval.issues import Issue, PathPart, Position, Severity

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "MAX_FILE_BYTES",
    "Document",
    "load_document",
    "read_source",
]

#: Largest input file read, in bytes.  The 2023 rulebook is about 0.2 MB.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Deepest nesting of mappings and sequences accepted.
MAX_DEPTH = 64
#: Most alias references (``*name``) in one document.
MAX_ALIASES = 200
#: Most nodes a document may have once every alias is expanded.
MAX_EXPANDED_NODES = 500_000

_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off"})


def _construct_decimal(constructor: RoundTripConstructor, node: Any) -> Decimal:
    """YAML floats become exact decimals from their literal text (R9: no binary floats)."""
    text = str(constructor.construct_scalar(node)).replace("_", "").strip().lower()
    specials = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    try:
        return Decimal(specials.get(text, text))
    except InvalidOperation:  # pragma: no cover - the resolver only sends float-shaped text
        return Decimal("NaN")


class _Constructor(RoundTripConstructor):
    """Round-trip constructor (positions kept) with exact decimals."""


_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


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

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """The ``file:line:col`` of the node at ``path`` (or its nearest existing parent).

        With ``key=True`` the position of the mapping key itself is returned, which
        is where an "unknown key" belongs.
        """
        node = self.root
        line, col = 0, 0
        if isinstance(node, CommentedMap | CommentedSeq):
            line, col = node.lc.line + 1, node.lc.col + 1
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
                try:
                    kl, kc = node.lc.key(part)
                    vl, vc = node.lc.value(part)
                except (KeyError, TypeError):  # pragma: no cover - ruamel always records both
                    break
                if last and key:
                    return Position(self.file, kl + 1, kc + 1)
                line, col = vl + 1, vc + 1
                node = node[part]
                if isinstance(node, CommentedMap | CommentedSeq) and not (
                    node.fa.flow_style() if hasattr(node, "fa") else False
                ):
                    line, col = node.lc.line + 1, node.lc.col + 1
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                try:
                    line, col = (x + 1 for x in node.lc.item(part))
                except (KeyError, TypeError):  # pragma: no cover
                    break
                node = node[part]
            else:
                break
        return Position(self.file, line, col)


def read_source(path: str | Path) -> tuple[str | None, list[Issue]]:
    """Read a file as UTF-8 text within the size limit; problems become issues."""
    name = str(path)
    try:
        p = Path(path)
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Issue(
                    "WZ109",
                    f"file is {size} bytes, more than the limit of {MAX_FILE_BYTES}",
                    position=Position(name),
                    hint="split the document; limits are in wzeval.loader (MAX_FILE_BYTES)",
                )
            ]
        raw = p.read_bytes()
    except OSError as exc:
        return None, [
            Issue(
                "WZ110",
                f"cannot read file: {exc.strerror or exc}",
                position=Position(name),
                hint="check the path and its permissions",
            )
        ]
    return decode(raw, name)


def decode(raw: bytes, name: str) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8, reporting the exact line and column of an invalid byte."""
    issues: list[Issue] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        issues.append(
            Issue(
                "WZ104",
                "file starts with a byte-order mark (BOM)",
                position=Position(name, 1, 1),
                severity=Severity.WARNING,
                hint="save the file as UTF-8 without BOM",
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
                f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                position=Position(name, line, col),
                hint="save the file as UTF-8 (GBK/GB18030 files must be converted)",
            )
        )
        return None, issues


def _scan(text: str, name: str) -> list[Issue]:
    """Walk the event stream once, enforcing depth, alias and tag limits before building."""
    issues: list[Issue] = []
    depth = 0
    aliases = 0
    total = 0
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
        for ev in _yaml().parse(io.StringIO(text)):
            if isinstance(ev, NodeEvent) and not isinstance(ev, AliasEvent):
                tag = getattr(ev, "tag", None)
                if tag is not None and str(tag) not in _STANDARD_TAGS:
                    issues.append(
                        Issue(
                            "WZ106",
                            f"unsupported YAML tag {tag!s}",
                            position=pos(ev),
                            hint="remove the tag; wzeval documents hold plain data only",
                        )
                    )
                    return issues
            if isinstance(ev, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    issues.append(
                        Issue(
                            "WZ108",
                            f"nesting deeper than {MAX_DEPTH} levels",
                            position=pos(ev),
                            hint="flatten the document; limit MAX_DEPTH in wzeval.loader",
                        )
                    )
                    return issues
                stack.append([1, ev.anchor, type(ev).__name__ == "MappingStartEvent", 0])
            elif isinstance(ev, CollectionEndEvent):
                depth -= 1
                count, anchor, _, _ = stack.pop()
                if anchor:
                    anchors[anchor] = count
                add(count)
            elif isinstance(ev, ScalarEvent):
                if ev.anchor:
                    anchors[ev.anchor] = 1
                key = is_key()
                add(1)
                if (
                    not key
                    and ev.tag is None
                    and ev.style is None
                    and isinstance(ev.value, str)
                    and ev.value.lower() in _YAML11_BOOLS
                ):
                    issues.append(
                        Issue(
                            "WZ111",
                            f"{ev.value!r} is read as a string here, but as a boolean by "
                            "YAML 1.1 tools",
                            position=pos(ev),
                            severity=Severity.WARNING,
                            hint="write true/false for a yes/no answer, or quote the text",
                        )
                    )
            elif isinstance(ev, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    issues.append(
                        Issue(
                            "WZ107",
                            f"more than {MAX_ALIASES} aliases",
                            position=pos(ev),
                            hint="write the values out; limit MAX_ALIASES in wzeval.loader",
                        )
                    )
                    return issues
                add(anchors.get(str(ev.anchor), 1))
            if total > MAX_EXPANDED_NODES:
                issues.append(
                    Issue(
                        "WZ107",
                        f"aliases expand the document past {MAX_EXPANDED_NODES} nodes",
                        position=pos(ev),
                        hint="this looks like an alias bomb; write the values out",
                    )
                )
                return issues
    except MarkedYAMLError as exc:
        issues.append(_yaml_issue(exc, name))
    except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for syntax
        issues.append(Issue("WZ101", f"YAML error: {exc}", position=Position(name)))
    return issues


def _yaml_issue(exc: MarkedYAMLError, name: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    position = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name)
    problem = exc.problem or exc.context or "invalid YAML"
    code, hint = "WZ101", "check the indentation and quoting near this place"
    if "\\t" in problem or "'\\t'" in repr(problem) or "\t" in problem:
        code, hint = "WZ105", "YAML does not allow tabs for indentation; use spaces"
    if type(exc).__name__ == "DuplicateKeyError":
        code, hint = "WZ102", "remove or rename one of the keys"
        problem = problem.split(" with value")[0]
    return Issue(code, problem, position=position, hint=hint)


def _plain(node: Any) -> Any:
    """Turn ruamel's round-trip objects into plain Python values (depth already bounded)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, datetime):
        return datetime(
            node.year, node.month, node.day, node.hour, node.minute, node.second, node.microsecond
        )
    if isinstance(node, date):
        return date(node.year, node.month, node.day)
    return node


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
                        f"document is larger than the limit of {MAX_FILE_BYTES} bytes",
                        position=Position(file),
                        hint="split the document",
                    )
                ],
            )
        if text.startswith("\ufeff"):
            text = text[1:]
    scan = _scan(text, file)
    issues.extend(scan)
    if any(i.severity is Severity.ERROR for i in scan):
        return Document(file, None, issues=issues, text=text)
    try:
        root = _yaml().load(text)
    except MarkedYAMLError as exc:
        issues.append(_yaml_issue(exc, file))
        return Document(file, None, issues=issues, text=text)
    except (YAMLError, RecursionError) as exc:  # pragma: no cover - scan catches these first
        issues.append(Issue("WZ101", f"YAML error: {exc}", position=Position(file)))
        return Document(file, None, issues=issues, text=text)
    return Document(file, _plain(root), root=root, issues=issues, text=text)


def iter_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Expand folders into their ``.yaml``/``.yml``/``.json`` files, sorted, recursively."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.suffix.lower() in (".yaml", ".yml", ".json") and child.is_file():
                    yield child
        else:
            yield p


def dumps_json(data: Any) -> str:
    """Deterministic JSON: sorted keys off (order is meaningful), UTF-8 kept, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
