"""``wzeval merge``: evaluators' partial findings of one department joined (see
:mod:`wzeval.analysis._merge`); its arguments, the conflicts printed, the merged file written."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import check_output, emit, load_rulebook, write_issues
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import exit_code, failure_code
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
Each fact keeps the file and assessors it came from (a comment in the merged
file).  The same fact with different values is a conflict (WZ422): it names both
places and values, and nothing is written unless --prefer says whose value wins.

examples:
  wzeval merge 张晓燕/生态环境局.yaml 李文博/生态环境局.yaml -o 生态环境局.yaml
  wzeval merge a.yaml b.yaml --prefer b.yaml -o merged.yaml
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "merge", _("join evaluators' partial findings of one department"), EPILOG)
    p.add_argument("findings", nargs="+", metavar="FINDINGS", help=_("findings files to merge"))
    rulebook_option(p)
    output_options(p)
    p.add_argument(
        "--prefer",
        nargs="+",
        metavar="FILE",
        help=_("on a conflict take the value of these files (the first listed first)"),
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Merge evaluators' partial findings of one department (see :mod:`wzeval.analysis._merge`)."""
    from wzeval.analysis._merge import merge_findings

    check_output(args.output, args.force, args.findings)
    rulebook = load_rulebook(args.rulebook, err)
    result = merge_findings(args.findings, rulebook, prefer=args.prefer or ())
    write_issues(result.issues, err)
    if result.text is None:
        return failure_code(result.issues)
    emit(result.text, args.output, args.force, out, err)
    return exit_code(result.issues)
