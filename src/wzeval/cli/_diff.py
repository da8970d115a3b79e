"""``wzeval diff``: what changed between two rulebooks and how scores move (see
:mod:`wzeval.analysis._diff`); its arguments, the issues printed and the diff written."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import check_output, emit, in_file_order, write_issues
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options
from wzeval.core._exitcodes import EXIT_ISSUES, EXIT_OK, failure_code
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
examples:
  wzeval diff rulebooks/2023.yaml rulebooks/examples/2024-draft.yaml
  wzeval diff OLD NEW --format markdown -o diff.md      a pull-request comment
  wzeval diff OLD NEW --findings examples/findings/     how each department's total moves
  wzeval diff OLD NEW --fail-on-score-change            exit 1 if scores can move

Each change is marked as one that can move scores (weights, shares, credits,
conditions, caps) or not (wording, sources, rulings).
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub, "diff", _("what changed between two rulebooks, and how scores move"), EPILOG
    )
    p.add_argument("old", metavar="OLD", help=_("the old rulebook"))
    p.add_argument("new", metavar="NEW", help=_("the new rulebook"))
    p.add_argument(
        "--findings", nargs="+", metavar="PATH", help=_("findings files or folders to re-score")
    )
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    output_options(p)
    p.add_argument(
        "--fail-on-score-change",
        action="store_true",
        help=_("exit 1 when a change can move scores"),
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.analysis._diff import diff_files
    from wzeval.reading._folders import collect_files

    check_output(args.output, args.force)
    files, problems = collect_files(args.findings or [], empty_is_error=True)
    findings = [f for f, _named in files]
    # -o naming an input of the run (a rulebook, a findings file) is refused, --force or not
    check_output(args.output, args.force, [args.old, args.new, *findings])
    text, moved, issues = diff_files(args.old, args.new, findings=findings, fmt=args.format)
    issues = [*problems, *issues]
    write_issues(in_file_order(issues), err)
    if text is None:
        return failure_code(issues)
    emit(text, args.output, args.force, out, err)
    return EXIT_ISSUES if args.fail_on_score_change and moved else EXIT_OK
