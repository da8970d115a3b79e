"""The layers of wzeval, lowest first: a module imports only from its own layer or below.

This is the data flow of docs/design.md written down as data.  Input is read
(``reading``), a rulebook becomes typed models (``model``, on top of the expression
language), it is checked and compiled and findings are checked against it
(``checking``), the engine scores them (``scoring``), reports are rendered
(``output``); what works on several rulebooks, findings or reports sits above that
(``analysis``), then the façade and the command line.

``tests/test_import_graph.py`` reads every module of the package with :mod:`ast`
(module-level and function-level imports alike, leaving out only those under
``if TYPE_CHECKING:``) and checks that every module is in exactly one layer, that no
module imports one in a higher layer, and that the import graph has no cycle.
A package stands for its modules: ``kinds`` is ``wzeval.kinds`` and every
``wzeval.kinds.*``, so a new rule kind needs no edit here.  ``wzeval`` is the
façade (``__init__``).  Nothing imports this module; it is data for that test and
for the docs.
"""

from __future__ import annotations

__all__ = ["LAYERS", "Layer"]

#: (name, what it holds, its modules), lowest first.
Layer = tuple[str, str, tuple[str, ...]]

LAYERS: tuple[Layer, ...] = (
    (
        "base",
        "issues, exceptions, the exit-code rule, dates, the calendar, report paths, slips,"
        " the message catalogue, the validation cache",
        ("_version", "core"),
    ),
    (
        "reading",
        "documents of every format, by suffix (YAML, JSON, XLSX), and data given in memory",
        ("reading",),
    ),
    (
        "expressions",
        "the expression language: limits, types, functions, sandbox, checker, evaluator, codegen",
        ("expressions",),
    ),
    (
        "model",
        "the rulebook and report models, the rule kinds, extends:, condition analysis, the"
        " change model of a rulebook diff",
        ("model", "kinds"),
    ),
    (
        "checking",
        "whole-rulebook checks and compilation, the order of scoring, findings checked",
        ("checking",),
    ),
    (
        "scoring",
        "the engine (its plan, the fast evaluation), the library's functions (load, read,"
        " compile, score), explain, the roster",
        ("scoring",),
    ),
    (
        "output",
        "issue formats and the issue-code registry, text, Markdown, CSV, JSON (ranking/1 and the"
        " compact ranking/2), HTML, XLSX, templates, the rulebook's table page, the rulebook"
        " diff, batches of files scored keeping what their output needs, atomic files",
        ("output",),
    ),
    (
        "analysis",
        "lint, rule tests, findings generated from a rulebook's declarations, verify, diff,"
        " rounds compared, findings merged, appeals, schemas, a batch's ranking, validation of"
        " files and folders",
        ("analysis",),
    ),
    (
        "facade",
        "the public API (wzeval/__init__.py)",
        ("wzeval",),
    ),
    (
        "cli",
        "the command line and its reference page",
        ("__main__", "cli"),
    ),
)
