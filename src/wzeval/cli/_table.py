"""``wzeval table``: a rulebook's whole table as one Markdown page (see
:mod:`wzeval.output._tabledoc`); its arguments and the page written."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import check_output, emit, load_rulebook, with_rulebook
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options
from wzeval.core._exitcodes import EXIT_OK
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
examples:
  wzeval table                                   the bundled 2023 rulebook, to stdout
  wzeval table rulebooks/2023.yaml -o docs/rulebook-2023.md --force
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub,
        "table",
        _("a rulebook's whole table as one Markdown page, to read beside its source"),
        EPILOG,
    )
    p.add_argument(
        "rulebook_path",
        metavar="RULEBOOK",
        nargs="?",
        help=_("a rulebook file (default: the bundled 2023 rulebook)"),
    )
    output_options(p)
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.output._tabledoc import render_rulebook_markdown

    check_output(args.output, args.force, with_rulebook((), args.rulebook_path))
    rulebook = load_rulebook(args.rulebook_path, err)
    emit(render_rulebook_markdown(rulebook), args.output, args.force, out, err)
    return EXIT_OK
