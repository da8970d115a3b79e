"""Lint a valid rulebook: rules that load fine but are probably not what the author meant.

The validator (:mod:`wzeval.checking._checks`, codes ``WZ…``) refuses rulebooks that
cannot be scored.  Lint (codes ``WL…``) looks at rulebooks that *can* be scored
and points at what a reviewer would ask about: weights the seed does not state,
tier rows nothing can reach, count bands with holes, items that can never earn
or never lose, vetoes that can never fire, caps that never bind, facts nothing
reads, rules quoting the same sentence twice.

Every check is registered with :func:`rule` under a short stable code, a name
and a default severity; its docstring *is* its documentation (what it finds,
why it matters, an example, the fix), and ``docs/lint-codes.md`` is generated
from the registry by ``tools/gendocs.py``.  A check yields :class:`Hit` values
(a document path and a message); the walker adds the code and severity,
:func:`lint_file` adds ``file:line:col``.  The row checks (WL002–WL006) read no
rule kind's rows: each kind finds its own (:meth:`wzeval.kinds.RuleKind.lint_rows`).

Configuration lives in ``pyproject.toml``::

    [tool.wzeval.lint]
    disable = ["WL013"]                  # codes or names
    severity = { WL001 = "info" }        # error | warning | info

Output: :func:`format_text`, :func:`format_json`, :func:`format_github`
(GitHub Actions annotations) and :func:`to_sarif` (SARIF 2.1.0), the formats of
:mod:`wzeval.output._issueformats` with lint's registry; :func:`exit_code` is the
CLI's one rule (:mod:`wzeval.core._exitcodes`).

The package has one private module per concept: the registry (``_registry``),
the configuration (``_config``), what checks read (``_context``), the checks by
what they look at (``_table``: weights and rows; ``_outcomes``: what rules can
give; ``_declarations``: facts and quotes), running them (``_run``) and the
formats (``_formats``).  Other modules import only the names below.
"""

from __future__ import annotations

from wzeval.analysis._lint._config import LintConfig, find_lint_config, load_lint_config
from wzeval.analysis._lint._context import LintContext
from wzeval.analysis._lint._formats import (
    SARIF_SCHEMA,
    format_github,
    format_json,
    format_text,
    to_sarif,
)
from wzeval.analysis._lint._registry import RULES, Hit, LintRule, rule
from wzeval.analysis._lint._run import lint, lint_file
from wzeval.core._exitcodes import exit_code  # the CLI's one rule, re-exported for lint callers

__all__ = [
    "RULES",
    "SARIF_SCHEMA",
    "Hit",
    "LintConfig",
    "LintContext",
    "LintRule",
    "exit_code",
    "find_lint_config",
    "format_github",
    "format_json",
    "format_text",
    "lint",
    "lint_file",
    "load_lint_config",
    "rule",
    "to_sarif",
]
