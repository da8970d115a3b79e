"""wzeval: score government-website findings against a declarative YAML rulebook.

The public API is this module; everything else is implementation::

    import wzeval
    rulebook = wzeval.load_rulebook()                 # the bundled 2023 rulebook
    findings = wzeval.load_findings("dept.yaml", rulebook)
    report = wzeval.evaluate(rulebook, findings)
    print(report.total, report.indicator("在线咨询").points)
    print(report.to_json())

Exceptions (all derive from :class:`WzevalError`)::

    WzevalError
     ├── ValidationFailed (ValueError)   .issues: every problem, each with file:line:col
     ├── ExpressionError (ValueError)
     ├── CalendarError (ValueError)
     ├── LimitExceeded (ValueError)
     └── OutputExists (FileExistsError)
"""

from wzeval.api import (
    bundled_rulebook_path,
    evaluate,
    load_findings,
    load_rulebook,
    read_findings,
    read_rulebook,
    score,
)
from wzeval.errors import (
    CalendarError,
    ExpressionError,
    LimitExceeded,
    OutputExists,
    ValidationFailed,
    WzevalError,
)
from wzeval.findings import Findings
from wzeval.issues import Issue, Position, Severity
from wzeval.models import Indicator, Rulebook
from wzeval.report import IndicatorResult, ItemResult, ScoreReport, display

__version__ = "0.1.0"

__all__ = [
    "CalendarError",
    "ExpressionError",
    "Findings",
    "Indicator",
    "IndicatorResult",
    "Issue",
    "ItemResult",
    "LimitExceeded",
    "OutputExists",
    "Position",
    "Rulebook",
    "ScoreReport",
    "Severity",
    "ValidationFailed",
    "WzevalError",
    "__version__",
    "bundled_rulebook_path",
    "display",
    "evaluate",
    "load_findings",
    "load_rulebook",
    "read_findings",
    "read_rulebook",
    "score",
]
