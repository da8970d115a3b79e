"""``wzeval validate``: its arguments, and the issues printed (text, JSON, GitHub).

What is checked, and against which rulebook, is :func:`wzeval.analysis._validation.validate_paths`.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import write_issues
from wzeval.cli._options import command as new_command
from wzeval.cli._options import rulebook_option
from wzeval.core._exitcodes import EXIT_OK, exit_code
from wzeval.core._i18n import N_, _, ngettext

EPILOG = N_("""\
examples:
  wzeval validate rulebooks/2023.yaml
  wzeval validate findings/                     every .yaml/.yml/.json below, recursively
  wzeval validate rulebooks/ findings/ --strict
  wzeval validate --format github findings/     GitHub Actions annotations
  wzeval validate --rulebook my.yaml dept.yaml

Rulebooks, findings and rule tests are told apart by content ('wzeval: rulebook/1',
'wzeval: findings/1', 'wzeval: ruletests/1').  Findings are checked against the
rulebook file given on the command line whose id they name, else against --rulebook,
else the bundled one.  A rule-test document is checked as a document (its shape, its
rulebook, the findings of its cases); whether its expectations hold is 'wzeval test'.
Files found in folders that are none of these are skipped; a file named explicitly
must be one.
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub,
        "validate",
        _("check rulebooks and findings; every issue as file:line:col"),
        EPILOG,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("files or folders"))
    rulebook_option(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text")
    p.add_argument("--strict", action="store_true", help=_("warnings fail too (exit 1)"))
    p.add_argument(
        "--partial", action="store_true", help=_("accept findings that leave indicators unassessed")
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help=_(
            "neither read nor write the validation cache (as WZEVAL_NO_CACHE=1); it is kept in"
            " $WZEVAL_CACHE_DIR, else $XDG_CACHE_HOME/wzeval, else ~/.cache/wzeval"
        ),
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.analysis._validation import validate_paths

    checked = validate_paths(
        args.paths, rulebook=args.rulebook, partial=args.partial, cache=not args.no_cache
    )
    every = checked.issues
    code = exit_code(every, fail_on="warning" if args.strict else "error")
    if args.format == "json":
        from wzeval.reading._loader import dumps_json

        out.write(dumps_json(checked.to_dict(code == EXIT_OK)))
    elif args.format == "github":
        from wzeval.core._issues import github_annotation

        for issue in every:
            out.write(github_annotation(issue) + "\n")
    else:
        write_issues(every, out)
        counted = sum(r.counted for r in checked.results)
        errors = sum(1 for i in every if i.severity == "error")
        warnings = sum(1 for i in every if i.severity == "warning")
        summary = _("{files}, {errors}, {warnings}").format(
            files=ngettext("{n} file", "{n} files", counted).format(n=counted),
            errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        )
        if checked.skipped:
            summary += _(" ({n} skipped: not wzeval documents)").format(n=len(checked.skipped))
        out.write(summary + "\n")
    return code
