"""``wzeval compare``: rounds of findings compared (see :mod:`wzeval.analysis._compare`); its
arguments, the issues printed and the comparison written."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.cli._common import (
    Usage,
    check_output,
    emit,
    load_rulebook,
    with_rulebook,
    write_issues,
)
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import EXIT_OK, exit_code
from wzeval.core._i18n import N_, _

if TYPE_CHECKING:
    from wzeval.core._issues import Issue

EPILOG = N_("""\
Each ROUND is a folder (or a file) of findings, one per department.  Between
consecutive rounds: per department and indicator, the change in points and the
recorded facts whose values differ.  Three or more rounds add a trend table.

examples:
  wzeval compare 2023Q3/ 2023Q4/
  wzeval compare 初评/ 终评/ --format html -o 比较.html
  wzeval compare Q1/ Q2/ Q3/ --format markdown
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "compare", _("rounds of findings compared: what moved and why"), EPILOG)
    p.add_argument(
        "rounds", nargs="+", metavar="ROUND", help=_("two or more rounds: folders or files")
    )
    rulebook_option(p)
    p.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    output_options(p)
    p.add_argument(
        "--partial", action="store_true", help=_("findings may leave indicators unassessed")
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare rounds of findings (see :mod:`wzeval.analysis._compare`)."""
    import wzeval.analysis._compare as compare
    from wzeval.reading._folders import collect_files

    if len(args.rounds) < 2:
        raise Usage(_("compare needs two or more rounds"), _("wzeval compare OLD/ NEW/"))
    listed = [f for f, _named in collect_files(args.rounds, empty_is_error=False)[0]]
    check_output(args.output, args.force, with_rulebook([*args.rounds, *listed], args.rulebook))
    rulebook = load_rulebook(args.rulebook, err)
    rounds = []
    issues: list[Issue] = []
    for raw in args.rounds:
        if not Path(raw).exists():
            raise Usage(_("{raw}: no such file or folder").format(raw=raw))
        rnd, found = compare.read_round([raw], rulebook, partial=args.partial)
        rounds.append(rnd)
        issues.extend(found)
    write_issues(issues, err)
    code = exit_code(issues)
    if code:
        return code
    renderers = {
        "text": compare.render_compare_text,
        "markdown": compare.render_compare_markdown,
        "json": compare.render_compare_json,
        "html": compare.render_compare_html,
    }
    emit(renderers[args.format](compare.compare_rounds(rounds)), args.output, args.force, out, err)
    return EXIT_OK
