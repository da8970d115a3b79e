"""Issues written out for people and for machines: text, JSON, GitHub annotations, SARIF.

One home for the formats every command that reports issues offers (``validate`` and
``lint`` alike), beside the one exit-code rule (:mod:`wzeval.core._exitcodes`) that
decides, from the same issues, how the command exits.  Nothing here knows which
checks exist: a command that has a registry of documented checks (lint's ``RULES``)
passes it in as ``rules``, any mapping of code to an object with the fields of
:class:`RuleDoc`; without it an issue is titled and described by its code alone.
Each annotation is one :func:`wzeval.core._issues.github_annotation`, the one writer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from wzeval._version import __version__
from wzeval.core._i18n import _, ngettext
from wzeval.core._issues import Issue, PathPart, Severity, format_path, github_annotation

__all__ = [
    "SARIF_SCHEMA",
    "RuleDoc",
    "format_github",
    "format_issue_lines",
    "format_json",
    "format_text",
    "to_sarif",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class RuleDoc(Protocol):
    """What the formats read of a documented check (lint's
    :class:`~wzeval.analysis._lint.LintRule`)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def severity(self) -> Severity: ...

    @property
    def summary(self) -> str: ...

    @property
    def help(self) -> str: ...


def _rule_name(issue: Issue, rules: Mapping[str, RuleDoc]) -> str | None:
    """The name of the check that found the issue: as the issue says, else the registry's."""
    return issue.extra.get("rule") or (rules[issue.code].name if issue.code in rules else None)


def format_issue_lines(issues: Iterable[Issue]) -> str:
    """One line per issue: ``file:line:col: warning WL001 … (hint: …)``."""
    return "".join(i.format() + "\n" for i in issues)


def format_text(issues: Sequence[Issue]) -> str:
    """One line per issue and a summary line (``found 2 warnings``, or ``no issues``)."""
    lines = [i.format() for i in issues]
    counts = {s: sum(1 for i in issues if i.severity is s) for s in Severity}
    words = {
        Severity.ERROR: lambda n: ngettext("{n} error", "{n} errors", n),
        Severity.WARNING: lambda n: ngettext("{n} warning", "{n} warnings", n),
        Severity.INFO: lambda n: ngettext("{n} info", "{n} infos", n),
    }
    summary = _(", ").join(words[s](n).format(n=n) for s, n in counts.items() if n)
    lines.append(_("found {summary}").format(summary=summary) if summary else _("no issues"))
    return "\n".join(lines) + "\n"


def format_json(issues: Sequence[Issue], rules: Mapping[str, RuleDoc]) -> str:
    """A JSON array of issues (the shape of :meth:`Issue.to_dict`, plus the check's name)."""
    out = []
    for i in issues:
        d = i.to_dict()
        d["rule"] = _rule_name(i, rules)
        out.append(d)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def format_github(issues: Sequence[Issue], rules: Mapping[str, RuleDoc] | None = None) -> str:
    """GitHub Actions workflow commands, one per issue, each titled with the code and the
    check's name when it has one: ``title=WL002 unreachable-row``, else ``title=WZ405``."""
    registry = rules or {}
    lines = [
        github_annotation(i, title=f"{i.code} {_rule_name(i, registry) or ''}".strip())
        for i in issues
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _jsonpath(path: Sequence[PathPart]) -> str:
    return format_path(path)


def _uri(file: str, root: Path) -> str:
    p = Path(file)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix()


def _driver_rule(code: str, r: RuleDoc | None) -> dict[str, Any]:
    """The ``tool.driver.rules`` entry of one code (a minimal one for a validator code)."""
    if r is None:
        return {
            "id": code,
            "shortDescription": {"text": f"wzeval validator check {code}"},
            "defaultConfiguration": {"level": "error"},
        }
    return {
        "id": r.code,
        "name": _pascal(r.name),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.summary},
        "help": {"text": r.help, "markdown": r.help},
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        "properties": {"tags": ["wzeval", "rulebook"]},
    }


def _result(i: Issue, index: Mapping[str, int], root: Path) -> dict[str, Any]:
    """One SARIF result: the issue's level, message and (physical, logical) location."""
    result: dict[str, Any] = {
        "ruleId": i.code,
        "ruleIndex": index[i.code],
        "level": _SARIF_LEVEL[i.severity],
        "message": {
            "text": i.message + (_(" (hint: {hint})").format(hint=i.hint) if i.hint else "")
        },
    }
    pos = i.position
    if pos is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(pos.file, root)}}
        if pos.line > 0:
            physical["region"] = {"startLine": pos.line, "startColumn": max(pos.col, 1)}
        result["locations"] = [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"fullyQualifiedName": _jsonpath(i.path)}],
            }
        ]
    elif i.path:
        result["locations"] = [{"logicalLocations": [{"fullyQualifiedName": _jsonpath(i.path)}]}]
    return result


def to_sarif(
    issues: Sequence[Issue],
    rules: Mapping[str, RuleDoc],
    *,
    base: str | Path | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the issues, with each documented code described in
    ``tool.driver.rules`` (name, short description, help text).

    Codes without a documented check (the validator's ``WZ…``) that appear among
    the issues get a minimal rule entry too, so every result has a ``ruleIndex``.
    File paths are made relative to ``base`` (default: the current directory)
    where possible.
    """
    registry = dict(rules)
    codes = list(registry)
    for i in issues:
        if i.code not in registry and i.code not in codes:
            codes.append(i.code)
    index = {code: n for n, code in enumerate(codes)}
    root = Path(base) if base is not None else Path.cwd()
    driver = {
        "name": "wzeval-lint",
        "version": __version__,
        "rules": [_driver_rule(code, registry.get(code)) for code in codes],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(i, index, root) for i in issues],
            }
        ],
    }
