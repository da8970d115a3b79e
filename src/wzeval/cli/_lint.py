"""``wzeval lint``: soundness checks of rulebooks (see :mod:`wzeval.analysis._lint`); its arguments
and the findings printed as text, JSON, GitHub annotations or SARIF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.cli._common import in_file_order
from wzeval.cli._options import command as new_command
from wzeval.core._exitcodes import exit_code
from wzeval.core._i18n import N_, _

if TYPE_CHECKING:
    from wzeval.core._issues import Issue

EPILOG = N_("""\
examples:
  wzeval lint rulebooks/2023.yaml
  wzeval lint rulebooks/ --format github        annotations on a pull request
  wzeval lint rulebooks/ --format sarif > lint.sarif
  wzeval lint rulebooks/2024.yaml --strict      warnings fail too

Codes (WL001…) are documented in docs/lint-codes.md.  Severities are configured in
pyproject.toml under [tool.wzeval.lint] (keys: disable, severity).
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "lint", _("soundness checks of rulebooks, with stable WL codes"), EPILOG)
    p.add_argument("rulebooks", nargs="+", metavar="RULEBOOK", help=_("rulebook files or folders"))
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    p.add_argument("--strict", action="store_true", help=_("warnings fail too (exit 1)"))
    p.add_argument(
        "--config", metavar="PYPROJECT", help=_("read [tool.wzeval.lint] from this pyproject.toml")
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import wzeval.analysis._lint as lint
    from wzeval.reading._folders import collect_files

    files, problems = collect_files(args.rulebooks, empty_is_error=True)
    paths = [f for f, _named in files]
    if args.config:
        config = lint.load_lint_config(args.config)
    else:
        config = lint.find_lint_config(paths[0] if paths else Path.cwd())
    issues: list[Issue] = list(problems)
    for path in paths:
        issues.extend(in_file_order(lint.lint_file(path, config=config)))
    if args.format == "json":
        out.write(lint.format_json(issues))
    elif args.format == "github":
        out.write(lint.format_github(issues))
    elif args.format == "sarif":
        from wzeval.reading._loader import dumps_json

        out.write(dumps_json(lint.to_sarif(issues)))
    else:
        out.write(lint.format_text(issues))
    return exit_code(issues, fail_on="warning" if args.strict else "error")
