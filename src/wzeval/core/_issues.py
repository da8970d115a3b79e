"""One shape for every problem wzeval finds: an :class:`Issue` is data, not an exception.

Loading a rulebook or a findings document never stops at the first problem.
Every check yields issues; the walker that found the offending YAML node adds
*where* (file, line, column, path), the check itself only says *what*.  The
caller decides what to do with them: the CLI prints them all, the library
raises :class:`wzeval.core._errors.ValidationFailed` carrying the whole list.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from wzeval.core._i18n import _

__all__ = [
    "Issue",
    "Position",
    "Severity",
    "did_you_mean",
    "format_path",
    "github_annotation",
    "in_file_order",
]


class Severity(StrEnum):
    """How bad an issue is; only errors make a document unusable."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file: 1-based line and column, as editors show them."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


PathPart = str | int
#: Where a value sits in a document: its keys and indexes from the root (not a file path).
DocPath = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """Render a document path as ``$.categories[0].indicators[2].id``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}"
    return out


@dataclass(frozen=True)
class Issue:
    """A problem in a rulebook or findings document.

    ``code`` is short and stable (``WZ201``); documentation and tests rely on it.
    ``path`` is the location inside the document, ``position`` the location in
    the file, ``hint`` what the user can do about it.
    """

    code: str
    message: str
    path: tuple[PathPart, ...] = ()
    position: Position | None = None
    severity: Severity = Severity.ERROR
    hint: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def where(self) -> str:
        """``file:line:col`` when known, else the document path."""
        if self.position is not None:
            return str(self.position)
        return format_path(self.path)

    def at(self, position: Position | None) -> Issue:
        """Return a copy placed at ``position`` (the walker adds *where*)."""
        return replace(self, position=position)

    def under(self, *prefix: PathPart) -> Issue:
        """Return a copy whose path is prefixed (used when checks run on a sub-tree)."""
        return replace(self, path=(*prefix, *self.path))

    def format(self) -> str:
        """One line for people: ``file:line:col: error WZ201 message (hint: …)``."""
        text = f"{self.where}: {self.severity.value} {self.code} {self.message}"
        if self.hint:
            text += _(" (hint: {hint})").format(hint=self.hint)
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping, the shape of ``--format json``."""
        pos = self.position
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": format_path(self.path),
            "file": pos.file if pos else None,
            "line": pos.line if pos else None,
            "col": pos.col if pos else None,
            "hint": self.hint,
        }


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or ``None`` when nothing is close."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return _("did you mean {name!r}?").format(name=close[0]) if close else None


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(issue: Issue, *, title: str | None = None) -> str:
    """One GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=WZ405::msg``.

    The one annotation writer (``validate``, ``lint`` and every ``--format github``).
    Errors are ``::error``, warnings ``::warning``, anything else ``::notice``; the
    title is the code unless ``title`` is given (lint adds its rule's name).
    """
    level = {"error": "error", "warning": "warning"}.get(issue.severity.value, "notice")
    props = []
    pos = issue.position
    if pos is not None:
        props.append(f"file={_escape_property(pos.file)}")
        if pos.line > 0:
            props.append(f"line={pos.line}")
            if pos.col > 0:
                props.append(f"col={pos.col}")
    props.append(f"title={_escape_property(title or issue.code)}")
    message = issue.message + (_(" (hint: {hint})").format(hint=issue.hint) if issue.hint else "")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def in_file_order(issues: Iterable[Issue]) -> list[Issue]:
    """Issues sorted by line and column (stable), as a reader walks the file; issues
    without a line keep their place at the end."""
    return sorted(
        issues,
        key=lambda i: (
            (0, i.position.line, i.position.col)
            if i.position is not None and i.position.line > 0
            else (1, 0, 0)
        ),
    )
