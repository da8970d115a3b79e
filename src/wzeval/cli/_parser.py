"""The program's argument parser: the top level, then each command's own, in the order
``wzeval --help`` lists them.  Each command module adds its parser and names its
handler (``handler``); :func:`wzeval.cli.run` calls it."""

from __future__ import annotations

import argparse

from wzeval import __version__
from wzeval.cli import (
    _appeal,
    _compare,
    _diff,
    _explain,
    _lint,
    _merge,
    _ruletests,
    _schema,
    _score,
    _table,
    _template,
    _validate,
    _verify,
)
from wzeval.cli._options import Formatter, exit_codes_epilog, in_language, lang_option
from wzeval.core._i18n import _

#: The commands, in the order of ``wzeval --help`` (and docs/cli.md).
COMMANDS = (
    _validate,
    _score,
    _merge,
    _appeal,
    _compare,
    _explain,
    _template,
    _schema,
    _table,
    _diff,
    _lint,
    _ruletests,
    _verify,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (also what ``--help`` shows)."""
    parser = argparse.ArgumentParser(
        prog="wzeval",
        description=_(
            "Score government-website findings against a YAML rulebook, exactly and explainably."
        ),
        epilog=exit_codes_epilog()
        + "\n\n"
        + _("Run 'wzeval COMMAND --help' for a command's options and examples."),
        formatter_class=Formatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"wzeval {__version__}")
    lang_option(parser)
    in_language(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser
