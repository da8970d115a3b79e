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

import json
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from wzeval.core._codes import WZ101, WZ109, WZ116, WZ117
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, Position, Severity
from wzeval.core._paths import resolver
from wzeval.core._slips import fullwidth_colon

__all__ = ["DOCUMENT_SUFFIXES", "dumps_json", "iter_files", "load_document", "load_yaml"]
from wzeval.reading import _yamlcore as limits
from wzeval.reading._fastjson import load_json_fast
from wzeval.reading._fastyaml import _load_fast
from wzeval.reading._scan import _build, _directives, _scan
from wzeval.reading._source import read_source
from wzeval.reading._yamlcore import (
    Document,
    _one_line,
    _plain,
    _yaml_issue,
)

#: How many lines above a syntax error a full-width colon is looked for: ruamel notices
#: the slip on the line after it (or, at the end of a mapping, at the next key).
_SLIP_REACH = 3


def _fullwidth_slip(issue: Issue, text: str) -> Issue:
    """A syntax error caused by a full-width colon after a key (``org_info_published： true``,
    the usual input-method slip), reported at that colon with the line fixed (WZ117).

    ruamel reports such a line where it notices the mapping is broken, a line or two
    later; any other issue is returned unchanged.
    """
    if issue.code != WZ101 or issue.position is None or issue.position.line <= 0:
        return issue
    lines = text.splitlines()
    last = min(issue.position.line, len(lines))
    for n in range(last, max(last - _SLIP_REACH, 0), -1):
        found = fullwidth_colon(lines[n - 1])
        if found is None:
            continue
        col, fixed = found
        return Issue(
            WZ117,
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
                WZ116,
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
        if len(text.encode("utf-8", "surrogatepass")) > limits.MAX_FILE_BYTES:
            return Document(
                file,
                None,
                issues=[
                    Issue(
                        WZ109,
                        _("document is larger than the limit of {max_file_bytes} bytes").format(
                            max_file_bytes=limits.MAX_FILE_BYTES
                        ),
                        position=Position(file),
                        hint=_("split the document"),
                    )
                ],
            )
        if text.startswith("\ufeff"):
            text = text[1:]
    fast = load_json_fast(text, file, issues, _tree)
    if fast is not None:
        return fast
    return load_yaml(text, file, issues)


def _tree(text: str, file: str) -> Any:
    """The round-trip tree of ``text`` as the YAML readers build it (a marked
    document's, when it is first read)."""
    return load_yaml(text, file, tree=True).root


def load_yaml(
    text: str, file: str, issues: list[Issue] | None = None, *, tree: bool = False
) -> Document:
    """``text`` read as YAML (the libyaml fast path, else the reference path): the
    document of :func:`load_document` but for the JSON fast path.  ``tree``: with its
    round-trip tree built at once (what a marked document builds its tree with)."""
    issues = [] if issues is None else issues
    fast = _load_fast(text, file, issues, tree=tree, build=_tree)
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
                WZ101,
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
    resolve = resolver()  # this walk's own: a folder made a link since is seen
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
                    target = resolve(child)
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
