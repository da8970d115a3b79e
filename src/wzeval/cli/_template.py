"""``wzeval template``: a findings skeleton for one department (see
:mod:`wzeval.output._template`, and :mod:`wzeval.output._xlsx` for the workbook); its arguments and
the skeleton written."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wzeval.cli._common import (
    Usage,
    check_output,
    emit,
    load_rulebook,
    usage_from,
    with_rulebook,
    wrote,
)
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import EXIT_OK
from wzeval.core._i18n import N_, _

if TYPE_CHECKING:
    from wzeval.model._models import Rulebook

EPILOG = N_("""\
examples:
  wzeval template --department 市教育局 -o findings/edu.yaml
  wzeval template --department edu --rulebook my.yaml --schema ../my.findings.schema.json
  wzeval template --department 市教育局 --lang en --format xlsx -o edu-en.xlsx

Every blank is a placeholder that validation rejects until it is filled.  The first
line points editors (yaml-language-server) at the findings schema: for a rulebook
other than the bundled one, make it with
  wzeval schema findings --rulebook my.yaml -o schemas/findings.<id>.schema.json
With --lang en the template's texts are English; its ids, null and 待填写 are not,
and a filled template reads back the same in either language.
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(
        sub, "template", _("a findings skeleton for one department, to fill in"), EPILOG
    )
    p.add_argument(
        "--department", required=True, metavar="NAME", help=_("the department (name, alias or id)")
    )
    rulebook_option(p)
    output_options(p)
    p.add_argument(
        "--format",
        choices=("yaml", "xlsx"),
        default="yaml",
        help=_("xlsx: a findings workbook with typed cells (needs -o)"),
    )
    p.add_argument(
        "--schema",
        metavar="REF",
        help=_(
            "what the modeline points to (default: "
            "schemas/findings.schema.json, relative to the output)"
        ),
    )
    p.set_defaults(handler=command)


def _schema_ref(rulebook: Rulebook, rulebook_arg: str | None, output: str | None) -> str:
    """Where the template's modeline points: ``schemas/findings.schema.json`` for the
    bundled rulebook (``findings.<id>.schema.json`` for another), relative to the output
    (a path the command line's own arguments and working directory decide)."""
    from wzeval.analysis._schema import SCHEMA_FILES
    from wzeval.scoring._api import bundled_rulebook_path

    bundled = rulebook_arg is None or (
        Path(rulebook_arg).resolve() == bundled_rulebook_path().resolve()
    )
    name = SCHEMA_FILES["findings"] if bundled else f"findings.{rulebook.id}.schema.json"
    target = Path.cwd() / "schemas" / name
    base = Path(output).resolve().parent if output else Path.cwd()
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return target.as_uri()


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from wzeval.core._errors import ValidationFailed
    from wzeval.output._template import findings_template

    if args.format == "xlsx" and args.output is None:
        raise Usage(_("--format xlsx writes a workbook: give -o PATH.xlsx"))
    check_output(args.output, args.force, with_rulebook((), args.rulebook))
    rulebook = load_rulebook(args.rulebook, err)
    if args.format == "xlsx":
        from wzeval.output._xlsx import write_findings_template_xlsx

        try:
            write_findings_template_xlsx(rulebook, args.department, args.output, force=args.force)
        except ValidationFailed as exc:  # an unknown department, named on the command line
            raise usage_from(exc) from None
        wrote(args.output, err)
        return EXIT_OK
    ref = args.schema or _schema_ref(rulebook, args.rulebook, args.output)
    try:
        text = findings_template(rulebook, args.department, schema_ref=ref)
    except ValidationFailed as exc:  # an unknown department, named on the command line
        raise usage_from(exc) from None
    emit(text, args.output, args.force, out, err)
    return EXIT_OK
