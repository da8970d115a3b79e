"""``wzeval schema``: the JSON Schemas (see :mod:`wzeval.analysis._schema`); its arguments and the
schemas written."""

from __future__ import annotations

import argparse
from typing import TextIO

from wzeval.cli._common import Usage, check_output, emit, load_rulebook, with_rulebook, wrote
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import EXIT_OK
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
examples:
  wzeval schema rulebook > rulebook.schema.json
  wzeval schema findings --rulebook my.yaml -o schemas/findings.my.schema.json
  wzeval schema --write schemas/                all of them, for the bundled rulebook
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub,
        "schema",
        _("JSON Schemas (draft 2020-12) of rulebooks, findings, reports, appeals"),
        EPILOG,
    )
    p.add_argument("kind", nargs="?", choices=("rulebook", "findings", "report", "appeal"))
    rulebook_option(p)
    output_options(p)
    p.add_argument(
        "--write",
        metavar="FOLDER",
        help=_("write rulebook, findings and report schemas into FOLDER"),
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import wzeval.analysis._schema as schema

    if args.write is not None:
        if args.kind or args.output:
            raise Usage(_("--write writes all the schemas; give neither KIND nor -o with it"))
        rulebook = load_rulebook(args.rulebook, err)
        for path in schema.write_schemas(args.write, rulebook):
            wrote(path, err)
        return EXIT_OK
    if args.kind is None:
        raise Usage(_("say which schema: rulebook, findings, report or appeal (or --write FOLDER)"))
    check_output(args.output, args.force, with_rulebook((), args.rulebook))
    if args.kind == "rulebook":
        data = schema.rulebook_schema()
    elif args.kind == "report":
        data = schema.report_schema()
    elif args.kind == "appeal":
        data = schema.appeal_schema()
    else:
        data = schema.findings_schema(load_rulebook(args.rulebook, err))
    emit(schema.schema_text(data), args.output, args.force, out, err)
    return EXIT_OK
