"""wzeval: score government-website findings against a declarative YAML rulebook.

The public API is this module; everything else is implementation::

    import wzeval
    rulebook = wzeval.load_rulebook()                 # the bundled 2023 rulebook
    findings = wzeval.load_findings("dept.yaml", rulebook)
    report = wzeval.evaluate(rulebook, findings)
    print(report.total, report.indicator("在线咨询").points)
    print(report.to_json())
    page = wzeval.render_report(report, "html")       # or text, markdown, json, csv
    table = wzeval.render_ranking(reports, "csv", rulebook=rulebook)
    book = wzeval.render_xlsx(reports)                # .xlsx bytes
    batch = wzeval.score_folder("findings/", rulebook, jobs="auto")   # as wzeval score DIR
    checked = wzeval.validate_paths(["findings/"])    # as wzeval validate

Exceptions (all derive from :class:`WzevalError`)::

    WzevalError
     ├── ValidationFailed (ValueError)   .issues: every problem, each with file:line:col
     ├── ExpressionError (ValueError)
     ├── CalendarError (ValueError)
     ├── LimitExceeded (ValueError)
     ├── OutputExists (FileExistsError)
     ├── OutputRefused (OSError)          -o an input, a non-regular file, a failed write
     └── MissingDependency (ImportError)  a library a feature needs is not installed
          ├── XlsxUnavailable             openpyxl (.xlsx), WZ920
          └── HypothesisUnavailable       Hypothesis (verify), WZ921
"""

from wzeval._version import __version__  # its own module: readable from below the façade

# Not typing.TYPE_CHECKING: importing typing is most of the time ``import wzeval`` takes,
# and ``wzeval.__main__`` cannot handle a signal before this module has run (mypy
# reads any name TYPE_CHECKING as true).
TYPE_CHECKING = False
if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
    from wzeval.api import (
        bundled_rulebook_path,
        evaluate,
        load_findings,
        load_rulebook,
        read_findings,
        read_rulebook,
        score,
    )
    from wzeval.batch import BatchResult, score_files, score_folder
    from wzeval.errors import (
        CalendarError,
        ExpressionError,
        HypothesisUnavailable,
        LimitExceeded,
        MissingDependency,
        OutputExists,
        OutputRefused,
        ValidationFailed,
        WzevalError,
        XlsxUnavailable,
    )
    from wzeval.findings import Findings
    from wzeval.folders import collect_files
    from wzeval.issues import Issue, Position, Severity
    from wzeval.models import Indicator, Rulebook
    from wzeval.renderers import rank, render_ranking, render_report, render_xlsx
    from wzeval.report import IndicatorResult, ItemResult, RankingEntry, ScoreReport, display
    from wzeval.validation import Validation, validate_paths

del TYPE_CHECKING

# Where each public name lives.  ``import wzeval`` imports none of them: pydantic,
# ruamel.yaml and the models load when a name is first used, so ``wzeval --help``
# and ``wzeval --version`` start without them (docs/performance.md).
_LAZY = {
    "bundled_rulebook_path": "wzeval.api",
    "evaluate": "wzeval.api",
    "load_findings": "wzeval.api",
    "load_rulebook": "wzeval.api",
    "read_findings": "wzeval.api",
    "read_rulebook": "wzeval.api",
    "score": "wzeval.api",
    "BatchResult": "wzeval.batch",
    "score_files": "wzeval.batch",
    "score_folder": "wzeval.batch",
    "CalendarError": "wzeval.errors",
    "ExpressionError": "wzeval.errors",
    "HypothesisUnavailable": "wzeval.errors",
    "LimitExceeded": "wzeval.errors",
    "MissingDependency": "wzeval.errors",
    "OutputExists": "wzeval.errors",
    "OutputRefused": "wzeval.errors",
    "ValidationFailed": "wzeval.errors",
    "WzevalError": "wzeval.errors",
    "XlsxUnavailable": "wzeval.errors",
    "Findings": "wzeval.findings",
    "collect_files": "wzeval.folders",
    "Issue": "wzeval.issues",
    "Position": "wzeval.issues",
    "Severity": "wzeval.issues",
    "Indicator": "wzeval.models",
    "Rulebook": "wzeval.models",
    "rank": "wzeval.renderers",
    "render_ranking": "wzeval.renderers",
    "render_report": "wzeval.renderers",
    "render_xlsx": "wzeval.renderers",
    "IndicatorResult": "wzeval.report",
    "ItemResult": "wzeval.report",
    "RankingEntry": "wzeval.report",
    "ScoreReport": "wzeval.report",
    "display": "wzeval.report",
    "Validation": "wzeval.validation",
    "validate_paths": "wzeval.validation",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wzeval' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "BatchResult",
    "CalendarError",
    "ExpressionError",
    "Findings",
    "HypothesisUnavailable",
    "Indicator",
    "IndicatorResult",
    "Issue",
    "ItemResult",
    "LimitExceeded",
    "MissingDependency",
    "OutputExists",
    "OutputRefused",
    "Position",
    "RankingEntry",
    "Rulebook",
    "ScoreReport",
    "Severity",
    "Validation",
    "ValidationFailed",
    "WzevalError",
    "XlsxUnavailable",
    "__version__",
    "bundled_rulebook_path",
    "collect_files",
    "display",
    "evaluate",
    "load_findings",
    "load_rulebook",
    "rank",
    "read_findings",
    "read_rulebook",
    "render_ranking",
    "render_report",
    "render_xlsx",
    "score",
    "score_files",
    "score_folder",
    "validate_paths",
]
