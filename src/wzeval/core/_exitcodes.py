"""The exit-code rule, one for every command (docs/ci-gating.md).

- 0 fine: no error (warnings allowed unless ``--strict``);
- 1 the content is wrong: a rulebook, findings or rule-test document that was read
  but has errors — including a YAML syntax error, a duplicate key, a tab, an alias
  bomb: the file's *text* is wrong, and the fix is an edit;
- 2 usage error or **unreadable input**: the file's text could not be had at all — it
  is missing or unreadable (WZ110), not UTF-8 (WZ103), too large (WZ109), not a
  regular file (WZ113), a folder with nothing to read (WZ912); the fix is a
  different path or file, not an edit;
- 3 internal error; 130 and 143 interrupted.

A :class:`~wzeval.core._errors.WzevalError` that stops a command exits by
:func:`error_exit_code`: 2 for an output refused or existing, a safety limit passed or
a missing library (WZ920 openpyxl, WZ921 Hypothesis: the environment, not the
content), the issues' code for :class:`~wzeval.core._errors.ValidationFailed`, else 1.

Every command — ``validate``, ``score``, ``lint``, ``test``, ``diff``, ``verify``,
``merge``, ``appeal``, ``compare``, the rulebook page — decides with
:func:`exit_code` over the issues it reported, so the same input exits the same way
whichever command read it.  Nothing here imports the models: the CLI loads it for
``--help``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from wzeval.core._codes import WZ103, WZ109, WZ110, WZ113, WZ912
from wzeval.core._i18n import N_

if TYPE_CHECKING:
    from wzeval.core._errors import WzevalError
    from wzeval.core._issues import Issue, Severity

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_ISSUES",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "UNREADABLE_CODES",
    "error_exit_code",
    "exit_code",
    "failure_code",
    "is_unreadable",
]

EXIT_OK = 0
EXIT_ISSUES = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
#: Interrupted by SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number, as shells do.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: What each exit code means (``wzeval --help`` and docs/cli.md print this table).
EXIT_CODES: Mapping[int, str] = {  # in English; the CLI's help shows them with i18n._()
    EXIT_OK: N_("fine (warnings allowed unless --strict)"),
    EXIT_ISSUES: N_(
        "the content has issues: an invalid rulebook or findings (a YAML syntax "
        "error too), a lint error, a failing rule test, a batch file that failed"
    ),
    EXIT_USAGE: N_(
        "usage error or unreadable input: a missing/unreadable/non-UTF-8/too large "
        "file, not a regular file, an empty folder, a missing library (openpyxl, Hypothesis), "
        "unknown department or indicator, output exists without --force, -o naming an input "
        "or a non-regular file"
    ),
    EXIT_INTERNAL: N_(
        "internal error, a bug in wzeval: please report it (WZEVAL_TRACEBACK=1 shows the traceback)"
    ),
    EXIT_INTERRUPTED: N_("interrupted (Ctrl-C, SIGINT): old output kept or new one complete"),
    EXIT_TERMINATED: N_("terminated (SIGTERM): old output kept or new one complete"),
}

#: Issue codes meaning an input could not be read at all: as errors they exit 2, not 1.
#: Every other reading code (WZ101 syntax, WZ102 duplicate key, …) is content: exit 1.
UNREADABLE_CODES = frozenset({WZ103, WZ109, WZ110, WZ113, WZ912})

_RANK = {"info": 0, "warning": 1, "error": 2}


def is_unreadable(issue: Issue) -> bool:
    """True for an error saying an input could not be read at all (exit 2)."""
    return issue.severity == "error" and issue.code in UNREADABLE_CODES


def exit_code(issues: Iterable[Issue], *, fail_on: Severity | str = "error") -> int:
    """The exit code a list of issues deserves: 2 if any input was unreadable, 1 if any
    issue is at least as severe as ``fail_on`` (``"error"`` by default; ``--strict``
    passes ``"warning"``), else 0."""
    threshold = _RANK[str(fail_on)]
    code = EXIT_OK
    for issue in issues:
        if is_unreadable(issue):
            return EXIT_USAGE
        if _RANK[str(issue.severity)] >= threshold:
            code = EXIT_ISSUES
    return code


def failure_code(issues: Iterable[Issue]) -> int:
    """The exit code of a command that could not produce its result: :func:`exit_code`,
    but never 0 (a failure with only warnings is still a failure: 1)."""
    return exit_code(issues) or EXIT_ISSUES


def error_exit_code(exc: WzevalError) -> int:
    """The exit code of a command stopped by ``exc``: :func:`failure_code` of a
    :class:`ValidationFailed`'s issues; 2 for an existing or refused output, a passed
    safety limit or a missing library; 1 for any other wzeval error."""
    from wzeval.core._errors import (
        LimitExceeded,
        MissingDependency,
        OutputExists,
        OutputRefused,
        ValidationFailed,
    )

    if isinstance(exc, ValidationFailed):
        return failure_code(exc.issues)
    usage = OutputExists | OutputRefused | LimitExceeded | MissingDependency
    return EXIT_USAGE if isinstance(exc, usage) else EXIT_ISSUES
