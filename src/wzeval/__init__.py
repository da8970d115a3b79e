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
    from wzeval.analysis._appeals import (
        AppealOutcome,
        appeal_report,
        apply_appeals,
        read_appeals,
        render_appeal_json,
        render_appeal_markdown,
        render_appeal_text,
        revised_text,
    )
    from wzeval.analysis._compare import (
        Comparison,
        Round,
        compare_rounds,
        read_round,
        render_compare_html,
        render_compare_json,
        render_compare_markdown,
        render_compare_text,
    )
    from wzeval.analysis._diff import (
        RulebookDiff,
        diff_files,
        diff_json,
        diff_markdown,
        diff_text,
        score_movements,
    )
    from wzeval.analysis._diff import (
        diff as diff_rulebooks,
    )
    from wzeval.analysis._lint import (
        LintConfig,
        find_lint_config,
        lint_file,
        load_lint_config,
        to_sarif,
    )
    from wzeval.analysis._lint import (
        lint as lint_rulebook,
    )
    from wzeval.analysis._merge import (
        MergeResult,
        Provenance,
        merge_findings,
    )
    from wzeval.analysis._ruletest import (
        TestRun,
        format_test_run,
        run_tests,
    )
    from wzeval.analysis._schema import (
        appeal_schema,
        findings_schema,
        report_schema,
        rulebook_schema,
    )
    from wzeval.analysis._validation import Validation, validate_paths
    from wzeval.analysis._verify import (
        VerifyResult,
        format_verify_result,
    )
    from wzeval.analysis._verify import (
        verify as verify_rulebook,
    )
    from wzeval.checking._findings import Findings
    from wzeval.core._errors import (
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
    from wzeval.core._issues import Issue, Position, Severity
    from wzeval.model._models import Indicator, Rulebook
    from wzeval.model._report import IndicatorResult, ItemResult, RankingEntry, ScoreReport, display
    from wzeval.output._batch import BatchResult, score_files, score_folder
    from wzeval.output._compact import (
        compact_chunks,
        render_compact,
    )
    from wzeval.output._compact import (
        department_json as compact_department_json,
    )
    from wzeval.output._compact import (
        department_part as compact_department,
    )
    from wzeval.output._compact import (
        expand as expand_compact,
    )
    from wzeval.output._compact import (
        expand_data as expand_compact_data,
    )
    from wzeval.output._compact import (
        expand_report as expand_compact_report,
    )
    from wzeval.output._compact import (
        read_reports as read_compact_reports,
    )
    from wzeval.output._compact import (
        sheet as compact_sheet,
    )
    from wzeval.output._htmlbatch import SectionFacts as HtmlSectionFacts
    from wzeval.output._htmlbatch import batch_facts as html_batch_facts
    from wzeval.output._htmlbatch import batch_section as html_batch_section
    from wzeval.output._htmlbatch import html_batch_chunks
    from wzeval.output._renderers import rank, render_ranking, render_report, render_xlsx
    from wzeval.output._tabledoc import (
        render_rulebook_markdown,
    )
    from wzeval.output._template import (
        findings_template,
    )
    from wzeval.output._xlsx import (
        DepartmentSheets,
        department_sheets,
        workbook_date,
        write_score_workbook,
    )
    from wzeval.reading._folders import collect_files
    from wzeval.scoring._api import (
        bundled_rulebook_path,
        evaluate,
        load_findings,
        load_rulebook,
        read_findings,
        read_rulebook,
        score,
        score_document,
    )
    from wzeval.scoring._roster import (
        duplicates,
        unassessed,
    )

del TYPE_CHECKING

# Where each public name lives.  ``import wzeval`` imports none of them: pydantic,
# ruamel.yaml and the models load when a name is first used, so ``wzeval --help``
# and ``wzeval --version`` start without them (docs/performance.md).
_LAZY = {
    "bundled_rulebook_path": "wzeval.scoring._api",
    "evaluate": "wzeval.scoring._api",
    "load_findings": "wzeval.scoring._api",
    "load_rulebook": "wzeval.scoring._api",
    "read_findings": "wzeval.scoring._api",
    "read_rulebook": "wzeval.scoring._api",
    "score": "wzeval.scoring._api",
    "CalendarError": "wzeval.core._errors",
    "ExpressionError": "wzeval.core._errors",
    "HypothesisUnavailable": "wzeval.core._errors",
    "LimitExceeded": "wzeval.core._errors",
    "MissingDependency": "wzeval.core._errors",
    "OutputExists": "wzeval.core._errors",
    "OutputRefused": "wzeval.core._errors",
    "ValidationFailed": "wzeval.core._errors",
    "WzevalError": "wzeval.core._errors",
    "XlsxUnavailable": "wzeval.core._errors",
    "Findings": "wzeval.checking._findings",
    "Issue": "wzeval.core._issues",
    "Position": "wzeval.core._issues",
    "Severity": "wzeval.core._issues",
    "Indicator": "wzeval.model._models",
    "Rulebook": "wzeval.model._models",
    "rank": "wzeval.output._renderers",
    "render_ranking": "wzeval.output._renderers",
    "render_report": "wzeval.output._renderers",
    "render_xlsx": "wzeval.output._renderers",
    "HtmlSectionFacts": "wzeval.output._htmlbatch:SectionFacts",
    "html_batch_facts": "wzeval.output._htmlbatch:batch_facts",
    "html_batch_section": "wzeval.output._htmlbatch:batch_section",
    "html_batch_chunks": "wzeval.output._htmlbatch",
    "DepartmentSheets": "wzeval.output._xlsx",
    "department_sheets": "wzeval.output._xlsx",
    "workbook_date": "wzeval.output._xlsx",
    "write_score_workbook": "wzeval.output._xlsx",
    "IndicatorResult": "wzeval.model._report",
    "ItemResult": "wzeval.model._report",
    "ScoreReport": "wzeval.model._report",
    "display": "wzeval.model._report",
    "BatchResult": "wzeval.output._batch",
    "score_files": "wzeval.output._batch",
    "score_folder": "wzeval.output._batch",
    "collect_files": "wzeval.reading._folders",
    "Validation": "wzeval.analysis._validation",
    "validate_paths": "wzeval.analysis._validation",
    "RankingEntry": "wzeval.model._report",
    "expand_compact": "wzeval.output._compact:expand",
    "expand_compact_report": "wzeval.output._compact:expand_report",
    "expand_compact_data": "wzeval.output._compact:expand_data",
    "read_compact_reports": "wzeval.output._compact:read_reports",
    "compact_sheet": "wzeval.output._compact:sheet",
    "compact_department": "wzeval.output._compact:department_part",
    "compact_department_json": "wzeval.output._compact:department_json",
    "compact_chunks": "wzeval.output._compact",
    "render_compact": "wzeval.output._compact",
    "score_document": "wzeval.scoring._api",
    "LintConfig": "wzeval.analysis._lint",
    "find_lint_config": "wzeval.analysis._lint",
    "lint_rulebook": "wzeval.analysis._lint:lint",
    "lint_file": "wzeval.analysis._lint",
    "load_lint_config": "wzeval.analysis._lint",
    "to_sarif": "wzeval.analysis._lint",
    "TestRun": "wzeval.analysis._ruletest",
    "format_test_run": "wzeval.analysis._ruletest",
    "run_tests": "wzeval.analysis._ruletest",
    "VerifyResult": "wzeval.analysis._verify",
    "format_verify_result": "wzeval.analysis._verify",
    "verify_rulebook": "wzeval.analysis._verify:verify",
    "RulebookDiff": "wzeval.analysis._diff",
    "diff_rulebooks": "wzeval.analysis._diff:diff",
    "diff_files": "wzeval.analysis._diff",
    "diff_json": "wzeval.analysis._diff",
    "diff_markdown": "wzeval.analysis._diff",
    "diff_text": "wzeval.analysis._diff",
    "score_movements": "wzeval.analysis._diff",
    "findings_template": "wzeval.output._template",
    "render_rulebook_markdown": "wzeval.output._tabledoc",
    "appeal_schema": "wzeval.analysis._schema",
    "findings_schema": "wzeval.analysis._schema",
    "report_schema": "wzeval.analysis._schema",
    "rulebook_schema": "wzeval.analysis._schema",
    "MergeResult": "wzeval.analysis._merge",
    "Provenance": "wzeval.analysis._merge",
    "merge_findings": "wzeval.analysis._merge",
    "duplicates": "wzeval.scoring._roster",
    "unassessed": "wzeval.scoring._roster",
    "AppealOutcome": "wzeval.analysis._appeals",
    "appeal_report": "wzeval.analysis._appeals",
    "apply_appeals": "wzeval.analysis._appeals",
    "read_appeals": "wzeval.analysis._appeals",
    "render_appeal_json": "wzeval.analysis._appeals",
    "render_appeal_markdown": "wzeval.analysis._appeals",
    "render_appeal_text": "wzeval.analysis._appeals",
    "revised_text": "wzeval.analysis._appeals",
    "Comparison": "wzeval.analysis._compare",
    "Round": "wzeval.analysis._compare",
    "compare_rounds": "wzeval.analysis._compare",
    "read_round": "wzeval.analysis._compare",
    "render_compare_html": "wzeval.analysis._compare",
    "render_compare_json": "wzeval.analysis._compare",
    "render_compare_markdown": "wzeval.analysis._compare",
    "render_compare_text": "wzeval.analysis._compare",
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
    "DepartmentSheets",
    "ExpressionError",
    "Findings",
    "HtmlSectionFacts",
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
    "department_sheets",
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
    "html_batch_chunks",
    "html_batch_facts",
    "html_batch_section",
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
    "workbook_date",
    "write_score_workbook",
]
