"""The registry of lint checks: each under a stable code, a name and a default severity.

A check is registered with :func:`rule`; its docstring *is* its documentation (what it
finds, why it matters, an example, the fix), from which docs/lint-codes.md is
generated (tools/gendocs.py).  A check yields :class:`Hit` values; the runner adds
the code and severity.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from wzeval.core._issues import PathPart, Severity

if TYPE_CHECKING:
    from wzeval.analysis._lint._context import LintContext

Path_ = tuple[PathPart, ...]


class Hit(NamedTuple):
    """What a check found: where in the document, what, and what to do about it."""

    path: Path_
    message: str
    hint: str | None = None
    #: place the issue at the key of ``path`` (``rows:``) rather than at its value
    key: bool = False


CheckFn = Callable[["LintContext"], Iterable[Hit]]


@dataclass(frozen=True)
class LintRule:
    """A registered check: stable code, name, default severity and documentation."""

    code: str
    name: str
    severity: Severity
    doc: str
    check: CheckFn = field(repr=False, compare=False)

    @property
    def summary(self) -> str:
        """The first line of the documentation: what the check finds."""
        return self.doc.split("\n", 1)[0].strip()

    @property
    def help(self) -> str:
        """The documentation after the summary (why, example, fix)."""
        parts = self.doc.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""


#: Every lint check by code, in code order.
RULES: dict[str, LintRule] = {}


def rule(code: str, name: str, severity: Severity) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code; its docstring is its documentation."""

    def register(fn: CheckFn) -> CheckFn:
        if code in RULES:
            raise ValueError(f"lint code {code} is registered twice")
        if any(r.name == name for r in RULES.values()):
            raise ValueError(f"lint rule name {name!r} is registered twice")
        doc = inspect.cleandoc(fn.__doc__ or "")
        if not doc:
            raise ValueError(f"lint check {code} needs a docstring (it is its documentation)")
        RULES[code] = LintRule(code, name, severity, doc, fn)
        # Code order, whichever module registers first: the checks live in several.
        for known in sorted(RULES):
            RULES[known] = RULES.pop(known)
        return fn

    return register
