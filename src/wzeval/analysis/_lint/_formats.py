"""Lint's issue formats: the shared ones (:mod:`wzeval.output._issueformats`) with lint's registry.

Bound here so a lint issue is titled and described by its check (``WL002
unreachable-row``) while :mod:`wzeval.output._issueformats`, in the output layer, knows no
check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import wzeval.output._issueformats as issueformats
from wzeval.analysis._lint._registry import RULES, LintRule
from wzeval.core._issues import Issue
from wzeval.output._issueformats import SARIF_SCHEMA, format_text

__all__ = ["SARIF_SCHEMA", "format_github", "format_json", "format_text", "to_sarif"]


def format_json(issues: Sequence[Issue]) -> str:
    """A JSON array of issues (the shape of :meth:`Issue.to_dict`, plus the rule name)."""
    return issueformats.format_json(issues, RULES)


def format_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands (:func:`wzeval.core._issues.github_annotation`), each
    titled with the code and the lint rule's name: ``title=WL002 unreachable-row``."""
    return issueformats.format_github(issues, RULES)


def to_sarif(
    issues: Sequence[Issue],
    rules: Mapping[str, LintRule] | None = None,
    *,
    base: str | Path | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the issues, each lint code described in ``tool.driver.rules``
    (see :func:`wzeval.output._issueformats.to_sarif`); ``rules`` defaults to every lint check."""
    return issueformats.to_sarif(issues, RULES if rules is None else rules, base=base)
