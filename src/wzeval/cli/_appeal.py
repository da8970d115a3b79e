"""``wzeval appeal``: decided appeals applied (see :mod:`wzeval.analysis._appeals`); its arguments,
the preliminary and final points written, and the revised findings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from wzeval.cli._common import Usage, check_output, emit, load_rulebook, write_issues, wrote
from wzeval.cli._options import command as new_command
from wzeval.cli._options import output_options, rulebook_option
from wzeval.core._exitcodes import EXIT_ISSUES, EXIT_OK, exit_code
from wzeval.core._i18n import N_, _

EPILOG = N_("""\
An appeal document names a findings file (relative to itself), the department and
the contested facts with the value claimed; a decided appeal has decision: {result:
upheld|rejected, reviewer, date, reason}.  Upheld values replace the evaluator's in
the revised findings; the findings file itself is never changed.

examples:
  wzeval appeal 申诉/住建局.yaml
  wzeval appeal 申诉/住建局.yaml --revised 终评/住建局.yaml --format markdown
""")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = new_command(sub, "appeal", _("apply decided appeals: preliminary and final points"), EPILOG)
    p.add_argument("appeals", nargs="+", metavar="APPEAL", help=_("appeal documents (appeal/1)"))
    rulebook_option(p)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    output_options(p)
    p.add_argument(
        "--revised", metavar="PATH", help=_("also write the revised findings here (a new file)")
    )
    p.add_argument(
        "--partial", action="store_true", help=_("findings may leave indicators unassessed")
    )
    p.set_defaults(handler=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Apply decided appeals: preliminary vs final points, and the revised findings."""
    import wzeval.analysis._appeals as appeals

    check_output(args.output, args.force, args.appeals)
    if args.revised is not None:
        check_output(args.revised, args.force, args.appeals)
    rulebook = load_rulebook(args.rulebook, err)
    read, issues = appeals.read_appeals(args.appeals, rulebook)
    write_issues(issues, err)
    code = exit_code(issues)
    if code or not read:
        return code or EXIT_ISSUES
    if args.revised is not None:
        if len({str(Path(r.findings.file).resolve()) for r in read}) != 1:
            raise Usage(_("--revised needs appeals against one findings file"))
        # the revision never goes over the preliminary findings, even with --force
        check_output(args.revised, args.force, [read[0].findings.file])
    outcomes = [appeals.appeal_report(r, rulebook, partial=args.partial) for r in read]
    renderers = {
        "text": appeals.render_appeal_text,
        "markdown": appeals.render_appeal_markdown,
        "json": appeals.render_appeal_json,
    }
    if args.revised is not None:
        from wzeval.output._files import write_atomic

        decided = [a for r in read for a in r.model.appeals]
        data, comments = appeals.apply_appeals(read[0].findings.data, decided, rulebook)
        write_atomic(args.revised, appeals.revised_text(data, comments), force=args.force)
        wrote(args.revised, err)
    emit(renderers[args.format](outcomes), args.output, args.force, out, err)
    return EXIT_OK
