"""``wzeval explain``: why one indicator earned what it earned; its arguments and the
explanation printed (:func:`wzeval.output._explaintext.render_explain`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.cli._common import Usage, load_rulebook, write_issues
from wzeval.cli._options import command as new_command
from wzeval.cli._options import rulebook_option
from wzeval.core._exitcodes import EXIT_OK, failure_code
from wzeval.core._i18n import N_, _

if TYPE_CHECKING:
    from wzeval.model._models import Indicator, Rulebook

EPILOG = N_("""\
examples:
  wzeval explain dept.yaml 在线咨询
  wzeval explain dept.yaml online_consult --format json
  wzeval explain dept.yaml 政策解读 --partial
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub, "explain", _("why one indicator earned what it earned, rule by rule"), EPILOG
    )
    p.add_argument("findings", metavar="FINDINGS", help=_("a findings file"))
    p.add_argument("indicator", metavar="INDICATOR", help=_("an indicator id or Chinese name"))
    rulebook_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--partial",
        action="store_true",
        help=_("explain it even if not fully recorded (as not assessed)"),
    )
    p.set_defaults(handler=command)


def _find_indicator(rulebook: Rulebook, ident: str) -> Indicator:
    """The indicator named on the command line, or a usage error that suggests one."""
    from wzeval.core._issues import did_you_mean

    try:
        return rulebook.indicator(ident.strip())
    except KeyError:
        names = [i.id for i in rulebook.indicators] + [i.name for i in rulebook.indicators]
        raise Usage(
            _("unknown indicator {ident!r}").format(ident=ident),
            did_you_mean(ident, names) or _("give an indicator id or its exact Chinese name"),
        ) from None


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.analysis._merge import explain_file_provenance
    from wzeval.output._explaintext import render_explain
    from wzeval.reading._documents import read_document
    from wzeval.scoring._explain import explain_document

    rulebook = load_rulebook(args.rulebook, err)
    indicator = _find_indicator(rulebook, args.indicator)
    doc = read_document(Path(args.findings))
    report, issues = explain_document(doc, rulebook, indicator.id, partial=args.partial)
    write_issues(issues, err)
    if report is None:
        return failure_code(issues)
    if args.format == "json":
        out.write(report.indicator(indicator.id).model_dump_json(indent=2) + "\n")
        return EXIT_OK
    asks = {f.id: f.ask for f in indicator.facts}
    asks.update({d.id: d.description for d in indicator.derived if d.description})
    out.write(render_explain(report, indicator.id, asks=asks))
    out.write(explain_file_provenance(args.findings, [indicator.id, indicator.name]))
    return EXIT_OK
