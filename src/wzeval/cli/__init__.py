"""The ``wzeval`` command line: a thin shell over the library.

::

    wzeval validate PATH…               check rulebooks and findings (folders recursively)
    wzeval score FINDINGS…              one department's score sheet, or a ranking of many
    wzeval explain FINDINGS INDICATOR   why one indicator earned what it earned
    wzeval template --department NAME   a findings skeleton to fill in
    wzeval schema rulebook|findings|report   JSON Schemas (draft 2020-12)
    wzeval diff OLD NEW                 what changed between rulebooks, how scores move
    wzeval lint RULEBOOK…               soundness checks with stable WL codes
    wzeval test RULEBOOK_TESTS…         a rulebook's own test cases, with coverage
    wzeval verify RULEBOOK              property checks on generated findings

Exit codes, the same for every command (:data:`EXIT_CODES`; the rule is
:func:`wzeval.core._exitcodes.exit_code`):

- 0 fine (warnings allowed, unless ``--strict``);
- 1 the content has issues: an invalid rulebook or findings (a YAML syntax error
  included), a lint error, a failing rule test, a batch file that failed;
- 2 usage error or unreadable input: bad arguments, a missing, unreadable, non-UTF-8
  or oversized file, not a regular file, an empty folder, an unknown department or
  indicator named on the command line, or an output file that exists (without
  ``--force``; nothing is written);
- 3 internal error: a bug in wzeval.  One line, no traceback (``WZEVAL_TRACEBACK=1``
  prints it).

Issue codes the CLI adds (registered in :mod:`wzeval.output._issuecodes`): WZ910 a file named on
the command line is not a rulebook, findings or rule tests, WZ911 findings could not be
checked because their rulebook did not load, WZ912 a folder holds no
``.yaml``/``.yml``/``.json`` file (an error for ``score``, a warning for ``validate``).

``main()`` is ``sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))``; tests call
:func:`run` with :class:`io.StringIO`.  Heavy modules (pydantic models, ruamel,
rendering) are imported inside the command functions, so parsing arguments and
``--help`` cost nothing beyond the package import itself.

The package is one thin module per command (``_score``, ``_validate`` …: its parser
and its handler, argument checks and printing only; what it computes is the
library's, e.g. :mod:`wzeval.output._batch`, :mod:`wzeval.analysis._validation`),
the shared argparse
pieces (``_options``), the shared printing (``_common``), the parser (``_parser``)
and running a command in a process (``_run``).  ``tests/cli/test_cli_structure.py`` keeps
it so: no class but argparse helpers, exceptions and the progress counter, no
function over 80 lines, no module over 400.
"""

from __future__ import annotations

from wzeval.cli._parser import build_parser
from wzeval.cli._run import main, run
from wzeval.core._exitcodes import (
    EXIT_CODES,
    EXIT_INTERNAL,
    EXIT_ISSUES,
    EXIT_OK,
    EXIT_USAGE,
    UNREADABLE_CODES,
    exit_code,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_ISSUES",
    "EXIT_OK",
    "EXIT_USAGE",
    "UNREADABLE_CODES",
    "build_parser",
    "exit_code",
    "main",
    "run",
]
