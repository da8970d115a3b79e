"""Lint configuration: which checks run and how severe their findings are.

Read from ``[tool.wzeval.lint]`` in the nearest ``pyproject.toml``::

    [tool.wzeval.lint]
    disable = ["WL013"]                  # codes or names
    severity = { WL001 = "info" }        # error | warning | info
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wzeval.analysis._lint._registry import RULES
from wzeval.core._i18n import _
from wzeval.core._issues import Severity, did_you_mean


@dataclass(frozen=True)
class LintConfig:
    """Which checks run and how severe their findings are.

    ``severity`` maps a code (or rule name) to ``error``/``warning``/``info``;
    ``disabled`` lists codes (or names) not to run.  Unknown codes are an error
    (:class:`ValueError` with a suggestion), so a typo never silently disables
    nothing.
    """

    severity: Mapping[str, Severity | str] = field(default_factory=dict)
    disabled: frozenset[str] | set[str] | Sequence[str] = frozenset()

    def __post_init__(self) -> None:
        for key in [*self.severity, *self.disabled]:
            _code_of(key)
        for key, value in self.severity.items():
            try:
                Severity(value)
            except ValueError:
                raise ValueError(
                    _("severity of {key} must be error, warning or info (got {value!r})").format(
                        key=key, value=value
                    )
                ) from None

    def enabled(self, code: str) -> bool:
        """Whether the check with this code runs."""
        return code not in {_code_of(k) for k in self.disabled}

    def severity_of(self, code: str) -> Severity:
        """The configured severity of a code (its default when not configured)."""
        for key, value in self.severity.items():
            if _code_of(key) == code:
                return Severity(value)
        return RULES[code].severity


def _code_of(key: str) -> str:
    """A code from a code or a rule name; ValueError with a suggestion otherwise."""
    if key in RULES:
        return key
    for r in RULES.values():
        if r.name == key:
            return r.code
    known = [*RULES, *(r.name for r in RULES.values())]
    hint = did_you_mean(key, known)
    raise ValueError(_("unknown lint code {key!r}").format(key=key) + (f"; {hint}" if hint else ""))


def load_lint_config(pyproject: str | Path) -> LintConfig:
    """Read ``[tool.wzeval.lint]`` from a ``pyproject.toml`` (an empty config when absent).

    Keys: ``disable`` (a list of codes or names) and ``severity`` (a table of
    code or name → ``"error"``/``"warning"``/``"info"``).  Unknown keys and
    codes raise :class:`ValueError`.
    """
    with open(pyproject, "rb") as fh:
        data = tomllib.load(fh)
    table = data.get("tool", {}).get("wzeval", {}).get("lint", {})
    if not isinstance(table, dict):
        raise ValueError(_("[tool.wzeval.lint] must be a table"))
    unknown = set(table) - {"disable", "severity"}
    if unknown:
        raise ValueError(
            _("unknown key(s) in [tool.wzeval.lint]: {keys} (known: disable, severity)").format(
                keys=", ".join(sorted(unknown))
            )
        )
    disable = table.get("disable", [])
    severity = table.get("severity", {})
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise ValueError(_("[tool.wzeval.lint] disable must be a list of codes"))
    if not isinstance(severity, dict):
        raise ValueError(_("[tool.wzeval.lint] severity must be a table of code = severity"))
    return LintConfig(severity=severity, disabled=frozenset(disable))


def find_lint_config(start: str | Path) -> LintConfig:
    """The config of the nearest ``pyproject.toml`` at or above ``start`` that has
    a ``[tool.wzeval.lint]`` table; an empty config when there is none."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            with open(candidate, "rb") as fh:
                data = tomllib.load(fh)
            if "lint" in data.get("tool", {}).get("wzeval", {}):
                return load_lint_config(candidate)
    return LintConfig()
