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

The names of every command (merge, appeal, compare, lint, test, verify, diff,
template, table, schema) are here too: docs/api.md lists them all.

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
        score_document,
    )
    from wzeval.appeals import (
        AppealOutcome,
        appeal_report,
        apply_appeals,
        read_appeals,
        render_appeal_json,
        render_appeal_markdown,
        render_appeal_text,
        revised_text,
    )
    from wzeval.batch import BatchResult, score_files, score_folder
    from wzeval.compact import (
        compact_chunks,
        render_compact,
    )
    from wzeval.compact import (
        department_json as compact_department_json,
    )
    from wzeval.compact import (
        department_part as compact_department,
    )
    from wzeval.compact import (
        expand as expand_compact,
    )
    from wzeval.compact import (
        expand_data as expand_compact_data,
    )
    from wzeval.compact import (
        expand_report as expand_compact_report,
    )
    from wzeval.compact import (
        read_reports as read_compact_reports,
    )
    from wzeval.compact import (
        sheet as compact_sheet,
    )
    from wzeval.compare import (
        Comparison,
        Round,
        compare_rounds,
        read_round,
        render_compare_html,
        render_compare_json,
        render_compare_markdown,
        render_compare_text,
    )
    from wzeval.diff import (
        RulebookDiff,
        diff_files,
        diff_json,
        diff_markdown,
        diff_text,
        score_movements,
    )
    from wzeval.diff import (
        diff as diff_rulebooks,
    )
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
    from wzeval.lint import (
        LintConfig,
        find_lint_config,
        lint_file,
        load_lint_config,
        to_sarif,
    )
    from wzeval.lint import (
        lint as lint_rulebook,
    )
    from wzeval.merge import (
        MergeResult,
        Provenance,
        merge_findings,
    )
    from wzeval.models import Indicator, Rulebook
    from wzeval.renderers import rank, render_ranking, render_report, render_xlsx
    from wzeval.report import IndicatorResult, ItemResult, RankingEntry, ScoreReport, display
    from wzeval.roster import (
        duplicates,
        unassessed,
    )
    from wzeval.ruletest import (
        TestRun,
        format_test_run,
        run_tests,
    )
    from wzeval.schema import (
        appeal_schema,
        findings_schema,
        report_schema,
        rulebook_schema,
    )
    from wzeval.tabledoc import (
        render_rulebook_markdown,
    )
    from wzeval.template import (
        findings_template,
    )
    from wzeval.validation import Validation, validate_paths
    from wzeval.verify import (
        VerifyResult,
        format_verify_result,
    )
    from wzeval.verify import (
        verify as verify_rulebook,
    )

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
    "ScoreReport": "wzeval.report",
    "display": "wzeval.report",
    "BatchResult": "wzeval.batch",
    "score_files": "wzeval.batch",
    "score_folder": "wzeval.batch",
    "collect_files": "wzeval.folders",
    "Validation": "wzeval.validation",
    "validate_paths": "wzeval.validation",
    "RankingEntry": "wzeval.report",
    "expand_compact": "wzeval.compact:expand",
    "expand_compact_report": "wzeval.compact:expand_report",
    "expand_compact_data": "wzeval.compact:expand_data",
    "read_compact_reports": "wzeval.compact:read_reports",
    "compact_sheet": "wzeval.compact:sheet",
    "compact_department": "wzeval.compact:department_part",
    "compact_department_json": "wzeval.compact:department_json",
    "compact_chunks": "wzeval.compact",
    "render_compact": "wzeval.compact",
    "score_document": "wzeval.api",
    "LintConfig": "wzeval.lint",
    "find_lint_config": "wzeval.lint",
    "lint_rulebook": "wzeval.lint:lint",
    "lint_file": "wzeval.lint",
    "load_lint_config": "wzeval.lint",
    "to_sarif": "wzeval.lint",
    "TestRun": "wzeval.ruletest",
    "format_test_run": "wzeval.ruletest",
    "run_tests": "wzeval.ruletest",
    "VerifyResult": "wzeval.verify",
    "format_verify_result": "wzeval.verify",
    "verify_rulebook": "wzeval.verify:verify",
    "RulebookDiff": "wzeval.diff",
    "diff_rulebooks": "wzeval.diff:diff",
    "diff_files": "wzeval.diff",
    "diff_json": "wzeval.diff",
    "diff_markdown": "wzeval.diff",
    "diff_text": "wzeval.diff",
    "score_movements": "wzeval.diff",
    "findings_template": "wzeval.template",
    "render_rulebook_markdown": "wzeval.tabledoc",
    "appeal_schema": "wzeval.schema",
    "findings_schema": "wzeval.schema",
    "report_schema": "wzeval.schema",
    "rulebook_schema": "wzeval.schema",
    "MergeResult": "wzeval.merge",
    "Provenance": "wzeval.merge",
    "merge_findings": "wzeval.merge",
    "duplicates": "wzeval.roster",
    "unassessed": "wzeval.roster",
    "AppealOutcome": "wzeval.appeals",
    "appeal_report": "wzeval.appeals",
    "apply_appeals": "wzeval.appeals",
    "read_appeals": "wzeval.appeals",
    "render_appeal_json": "wzeval.appeals",
    "render_appeal_markdown": "wzeval.appeals",
    "render_appeal_text": "wzeval.appeals",
    "revised_text": "wzeval.appeals",
    "Comparison": "wzeval.compare",
    "Round": "wzeval.compare",
    "compare_rounds": "wzeval.compare",
    "read_round": "wzeval.compare",
    "render_compare_html": "wzeval.compare",
    "render_compare_json": "wzeval.compare",
    "render_compare_markdown": "wzeval.compare",
    "render_compare_text": "wzeval.compare",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it (PEP 562)."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'wzeval' has no attribute {name!r}")
    import importlib

    # "module:attribute" where the public name differs from the module's own
    module, _sep, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AppealOutcome",
    "BatchResult",
    "CalendarError",
    "Comparison",
    "ExpressionError",
    "Findings",
    "HypothesisUnavailable",
    "Indicator",
    "IndicatorResult",
    "Issue",
    "ItemResult",
    "LimitExceeded",
    "LintConfig",
    "MergeResult",
    "MissingDependency",
    "OutputExists",
    "OutputRefused",
    "Position",
    "Provenance",
    "RankingEntry",
    "Round",
    "Rulebook",
    "RulebookDiff",
    "ScoreReport",
    "Severity",
    "TestRun",
    "Validation",
    "ValidationFailed",
    "VerifyResult",
    "WzevalError",
    "XlsxUnavailable",
    "__version__",
    "appeal_report",
    "appeal_schema",
    "apply_appeals",
    "bundled_rulebook_path",
    "collect_files",
    "compact_chunks",
    "compact_department",
    "compact_department_json",
    "compact_sheet",
    "compare_rounds",
    "diff_files",
    "diff_json",
    "diff_markdown",
    "diff_rulebooks",
    "diff_text",
    "display",
    "duplicates",
    "evaluate",
    "expand_compact",
    "expand_compact_data",
    "expand_compact_report",
    "find_lint_config",
    "findings_schema",
    "findings_template",
    "format_test_run",
    "format_verify_result",
    "lint_file",
    "lint_rulebook",
    "load_findings",
    "load_lint_config",
    "load_rulebook",
    "merge_findings",
    "rank",
    "read_appeals",
    "read_compact_reports",
    "read_findings",
    "read_round",
    "read_rulebook",
    "render_appeal_json",
    "render_appeal_markdown",
    "render_appeal_text",
    "render_compact",
    "render_compare_html",
    "render_compare_json",
    "render_compare_markdown",
    "render_compare_text",
    "render_ranking",
    "render_report",
    "render_rulebook_markdown",
    "render_xlsx",
    "report_schema",
    "revised_text",
    "rulebook_schema",
    "run_tests",
    "score",
    "score_document",
    "score_files",
    "score_folder",
    "score_movements",
    "to_sarif",
    "unassessed",
    "validate_paths",
    "verify_rulebook",
]
