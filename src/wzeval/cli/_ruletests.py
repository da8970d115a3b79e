"""``wzeval test``: a rulebook's own test cases (see :mod:`wzeval.analysis._ruletest`); its
arguments and the results printed with coverage."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._options import command as new_command
from wzeval.core._exitcodes import EXIT_OK, failure_code
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
examples:
  wzeval test rulebooks/2023.tests.yaml
  wzeval test rulebooks/2023.tests.yaml --min-coverage 100
  wzeval test rulebooks/2024.tests.yaml --rulebook rulebooks/2024.yaml --verbose

A rule-test document lists findings and the points they must earn; failures show
expected vs actual with the indicator's trace; coverage lists every item, tier,
level, band, veto and deduction no case exercised (docs/rule-tests.md).
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "test", _("run a rulebook's own test cases and report coverage"), EPILOG)
    p.add_argument("tests", nargs="+", metavar="RULEBOOK_TESTS", help=_("rule-test documents"))
    p.add_argument(
        "--rulebook", metavar="PATH", help=_("test this rulebook instead of the one named")
    )
    p.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="N",
        help=_("fail (exit 1) below N%% coverage"),
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--verbose", action="store_true", help=_("show passing cases too"))
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.analysis._ruletest import format_test_run, run_tests

    code = EXIT_OK
    results = []
    for path in args.tests:
        test_run = run_tests(path, rulebook=args.rulebook)
        results.append(test_run)
        if args.format == "text":
            out.write(format_test_run(test_run, verbose=args.verbose))
        if test_run.readable:
            code = max(code, test_run.exit_code(args.min_coverage))
        else:  # the one rule: a test file with a YAML syntax error is content (1)
            code = max(code, failure_code(test_run.issues))
    if args.format == "json":
        from wzeval.reading._loader import dumps_json

        out.write(dumps_json([r.to_dict() for r in results]))
    return code
