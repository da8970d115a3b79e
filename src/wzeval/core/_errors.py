"""Exceptions wzeval raises.  Every one derives from :class:`WzevalError`.

::

    WzevalError
     ├── ValidationFailed (ValueError)      a document has issues; .issues lists them all
     ├── ExpressionError (ValueError)       an expression is unsafe, ill-typed or failed
     ├── CalendarError (ValueError)         a date lies outside the working-day calendar
     ├── LimitExceeded (ValueError)         an input is too big, too deep or too costly
     ├── OutputExists (FileExistsError)     refusing to overwrite without ``force``
     ├── OutputRefused (OSError)            an output that is an input, not a regular
     │                                      file, or could not be written
     └── MissingDependency (ImportError)    a library a feature needs is not installed
          ├── XlsxUnavailable               openpyxl (.xlsx files), WZ920
          └── HypothesisUnavailable         Hypothesis (``wzeval verify``), WZ921

Each subclass also subclasses the builtin it refines, so ``except ValueError``
keeps working for callers who do not know wzeval.
"""

from __future__ import annotations

from collections.abc import Sequence

from wzeval.core._codes import WZ000, WZ100, WZ310, WZ901, WZ920, WZ921
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue

__all__ = [
    "CalendarError",
    "ExpressionError",
    "HypothesisUnavailable",
    "LimitExceeded",
    "MissingDependency",
    "OutputExists",
    "OutputRefused",
    "ValidationFailed",
    "WzevalError",
    "XlsxUnavailable",
]


class WzevalError(Exception):
    """Root of every exception wzeval raises on purpose.  A class-level ``hint`` is an
    English msgid (``N_``); show it with :func:`wzeval.core._i18n._`."""

    code = WZ000
    hint: str | None = None


class ValidationFailed(WzevalError, ValueError):
    """A rulebook or findings document has issues; ``issues`` holds every one."""

    code = WZ100

    def __init__(self, issues: Sequence[Issue], what: str = "document") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        first = self.issues[0].format() if self.issues else _("no details")
        more = _(" (and {n} more)").format(n=len(self.issues) - 1) if len(self.issues) > 1 else ""
        super().__init__(
            _("{what} is not valid: {first}{more}").format(what=what, first=first, more=more)
        )


class ExpressionError(WzevalError, ValueError):
    """An expression was rejected (unsafe, unknown name, wrong type) or failed to evaluate."""

    def __init__(
        self, code: str, message: str, *, offset: int = 0, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset
        self.hint = hint


class CalendarError(WzevalError, ValueError):
    """A working-day question about a date the PRC calendar data does not cover."""

    code = WZ310
    hint = N_("use dates inside the years the installed chinesecalendar covers")


class LimitExceeded(WzevalError, ValueError):
    """An input passed one of wzeval's named safety limits."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


class OutputExists(WzevalError, FileExistsError):
    """An output file exists and ``force`` was not given; nothing was written."""

    code = WZ901
    hint = N_("choose another path or pass --force")


class OutputRefused(WzevalError, OSError):
    """An output path that is never written, even with ``force`` (an input of the run,
    something other than a regular file), or a write that failed (full disk, read-only
    folder); the message names the path the caller gave."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


class MissingDependency(WzevalError, ImportError):
    """A library a feature needs is not installed.  The message says which (in Chinese
    and English), the hint what to install; the CLI exits 2, as for any environment
    problem that is not the content's fault."""


class XlsxUnavailable(MissingDependency):
    """openpyxl is missing from the environment (it is a base dependency of wzeval)."""

    code = WZ920
    hint = N_(
        "reinstall wzeval to get openpyxl: pip install wzeval (in the repository: pip install .)"
    )


class HypothesisUnavailable(MissingDependency):
    """Hypothesis, which ``wzeval verify`` generates findings with, is not installed."""

    code = WZ921
    hint = N_(
        "install the verify extra to get Hypothesis: pip install 'wzeval[verify]'"
        " (or: pip install hypothesis)"
    )
