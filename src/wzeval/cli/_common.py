"""What every command shares: its usage errors, and printing (issues, progress, results).

Everything here is about the terminal and the files a command writes; what the
commands compute is the library's.  Heavy modules are imported inside the functions,
so ``--help`` costs nothing beyond the package import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.core._exitcodes import failure_code
from wzeval.core._i18n import _

if TYPE_CHECKING:
    from wzeval.core._issues import Issue
    from wzeval.model._models import Rulebook

#: A batch of at least this many files shows a progress counter (on a terminal).
PROGRESS_MIN_FILES = 10


class Usage(Exception):
    """A usage error found after parsing (unknown indicator, conflicting options)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Exit(Exception):
    """Stop the command with an exit code; whatever needed saying has been said."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def in_file_order(issues: Iterable[Issue]) -> list[Issue]:
    from wzeval.core._issues import in_file_order as ordered  # imported on use: --help stays cheap

    return ordered(issues)


def write_issues(issues: Iterable[Issue], stream: TextIO) -> None:
    """One line per issue, written at once: stderr is line-buffered, so a write a line
    was a system call a line (a batch's warnings, thousands, in the parent process
    while the workers score)."""
    text = "".join(issue.format() + "\n" for issue in issues)
    if text:
        stream.write(text)


def wrote(path: str | Path, err: TextIO) -> None:
    """Say on stderr that ``path`` was written."""
    err.write("wzeval: " + _("wrote {path}").format(path=path) + "\n")


class Progress:
    """A ``\\r`` counter on stderr, only on a terminal and only for a batch worth waiting for."""

    def __init__(self, stream: TextIO, total: int, label: str) -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self.shown = False
        self.on = total >= PROGRESS_MIN_FILES and stream.isatty()

    def step(self, n: int) -> None:
        if self.on:
            self.stream.write(f"\r{self.label} {n}/{self.total}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.on and self.shown:
            width = len(self.label) * 2 + 2 * len(str(self.total)) + 3
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False


def load_rulebook(path: str | None, err: TextIO) -> Rulebook:
    """The rulebook to score against (the bundled one by default); its issues go to stderr
    and stop the command when it cannot be used."""
    from wzeval.scoring._api import bundled_rulebook_path, read_rulebook

    rb, issues = read_rulebook(path)
    if rb is None:
        write_issues(issues, err)
        if path is None and not bundled_rulebook_path().exists():
            err.write(
                "wzeval: error: "
                + _("the bundled rulebook is missing; pass --rulebook PATH")
                + "\n"
            )
        raise Exit(failure_code(issues))
    return rb


def emit(
    text: str | Iterator[str], output: str | None, force: bool, out: TextIO, err: TextIO
) -> None:
    """Write a command's result (text, or pieces of it written one after the other) to
    ``output`` (atomically, not over a file without ``force``) or to stdout."""
    if output is None:
        for piece in [text] if isinstance(text, str) else text:
            out.write(piece)
        return
    from wzeval.output._files import write_atomic

    write_atomic(output, text, force=force)
    wrote(output, err)


def with_rulebook(inputs: Iterable[str | Path], rulebook: str | None) -> list[str | Path]:
    """A command's inputs with the rulebook it reads, when one was named."""
    return [*inputs, *([rulebook] if rulebook is not None else [])]


def check_output(output: str | None, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an existing output before any work is done (the write checks again), and,
    even with ``force``, an output that is one of ``inputs`` or not a regular file."""
    if output is not None:
        from wzeval.output._files import check_not_input, check_writable

        check_writable(output, force=force)
        check_not_input(output, inputs)


def usage_from(exc: Exception) -> Usage:
    """A :class:`~wzeval.core._errors.ValidationFailed` about something named on the command
    line (an unknown department) as a usage error: its first issue's words."""
    from wzeval.core._errors import ValidationFailed

    assert isinstance(exc, ValidationFailed)
    first = exc.issues[0]
    return Usage(first.message, first.hint)
