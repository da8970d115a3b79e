"""``wzeval verify``: property checks of a rulebook on generated findings (see
:mod:`wzeval.analysis._verify`); its arguments and the result printed."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import Usage, in_file_order, write_issues
from wzeval.cli._options import command as new_command
from wzeval.core._exitcodes import failure_code
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
examples:
  wzeval verify rulebooks/2023.yaml
  wzeval verify rulebooks/2024.yaml --max-examples 1000 --seed 7

Checks bounds of every indicator and of the total, vetoes giving 0, and the
monotonicity of each rule kind on generated findings.  A failure prints the smallest
findings document that breaks the property, ready to save as a rule-test case.
Needs Hypothesis (pip install 'wzeval[verify]').
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub, "verify", _("property checks of any rulebook on generated findings"), EPILOG
    )
    p.add_argument("rulebook_path", metavar="RULEBOOK", help=_("a rulebook file"))
    p.add_argument(
        "--max-examples",
        type=int,
        default=200,
        metavar="N",
        help=_("findings documents to try for each search (default 200)"),
    )
    p.add_argument(
        "--seed", type=int, default=0, help=_("the same seed gives the same run (default 0)")
    )
    p.add_argument("--property", nargs="+", metavar="NAME", help=_("check only these properties"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.scoring._api import read_rulebook

    rulebook, issues = read_rulebook(args.rulebook_path)
    if rulebook is None:
        write_issues(in_file_order(issues), err)
        return failure_code(issues)
    from wzeval.analysis._verify import (  # HypothesisUnavailable: exit 2
        format_verify_result,
        verify,
    )

    try:
        result = verify(
            rulebook,
            max_examples=args.max_examples,
            seed=args.seed,
            properties=args.property,
        )
    except ValueError as exc:  # an unknown --property
        raise Usage(str(exc)) from None
    if args.format == "json":
        from wzeval.reading._loader import dumps_json

        out.write(dumps_json(result.to_dict()))
    else:
        out.write(format_verify_result(result))
    return result.exit_code
