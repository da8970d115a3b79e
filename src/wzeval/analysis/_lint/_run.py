"""Running lint: every enabled check over a rulebook, issues placed in its file."""

from __future__ import annotations

from pathlib import Path

from wzeval.analysis._lint import _declarations, _outcomes, _table  # noqa: F401  (they register checks)
from wzeval.analysis._lint._config import LintConfig
from wzeval.analysis._lint._context import LintContext
from wzeval.analysis._lint._registry import RULES
from wzeval.core._issues import Issue, Severity
from wzeval.model._extends import resolve_extends
from wzeval.model._models import Rulebook
from wzeval.reading._loader import load_document
from wzeval.scoring._api import compiled, rulebook_from_document


def lint(rulebook: Rulebook, *, config: LintConfig | None = None) -> list[Issue]:
    """Run every enabled check over a valid rulebook; issues carry document paths.

    The rulebook is compiled first if it was built in memory (an invalid one
    raises :class:`~wzeval.core._errors.ValidationFailed`).  Issues come in code
    order, then document order; place them with :func:`lint_file` or
    :meth:`wzeval.reading._yamlcore.Document.position`.
    """
    cfg = config or LintConfig()
    ctx = LintContext(rulebook, compiled(rulebook))
    issues: list[Issue] = []
    for code, r in RULES.items():
        if not cfg.enabled(code):
            continue
        severity = cfg.severity_of(code)
        for hit in r.check(ctx):
            issues.append(
                Issue(
                    code,
                    hit.message,
                    path=hit.path,
                    severity=severity,
                    hint=hit.hint,
                    extra={"rule": r.name, "key": "1"} if hit.key else {"rule": r.name},
                )
            )
    return issues


def lint_file(path: str | Path, *, config: LintConfig | None = None) -> list[Issue]:
    """Load a rulebook file and lint it; every issue placed at ``file:line:col``.

    A rulebook that does not load or does not pass the validator yields the
    validator's issues (``WZ…``, errors) instead: lint only judges rulebooks
    that can be scored.  Issues are sorted by position.
    """
    doc = resolve_extends(load_document(path))  # positions point into the file of each value
    rb, issues = rulebook_from_document(doc)
    if rb is None:
        return issues
    placed = [i for i in issues if i.severity is not Severity.ERROR]
    for issue in lint(rb, config=config):
        placed.append(issue.at(doc.position(issue.path, key=issue.extra.get("key") == "1")))
    return sorted(placed, key=_order)


def _order(issue: Issue) -> tuple[str, int, int, str]:
    pos = issue.position
    return (pos.file, pos.line, pos.col, issue.code) if pos else ("", 0, 0, issue.code)
