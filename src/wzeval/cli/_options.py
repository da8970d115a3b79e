"""The argparse pieces every command's parser is made of: the help layout and its words
in the chosen language, ``--lang``, ``--rulebook``, ``-o``/``--force``, the exit-code
epilog.  One definition each, so every command's ``--help`` reads the same."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from wzeval.core._exitcodes import EXIT_CODES
from wzeval.core._i18n import LANGUAGES, _


def exit_codes_epilog() -> str:
    return _("exit codes:") + "\n" + "\n".join(f"  {k}  {_(v)}" for k, v in EXIT_CODES.items())


class Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout, with its own words ("usage:") in the chosen language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def in_language(p: argparse.ArgumentParser) -> None:
    """The section titles and the help of -h/--version that argparse writes itself."""
    p._positionals.title = _("positional arguments")
    p._optionals.title = _("options")
    for action in p._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("show this help message and exit")
        elif isinstance(action, argparse._VersionAction):
            action.help = _("show program's version number and exit")


def lang_option(p: argparse.ArgumentParser) -> None:
    """``--lang`` on the program and on every command (read before parsing too, by
    :func:`lang_of`, so that ``--help`` is in that language)."""
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of messages and reports: zh (default) or en; else $WZEVAL_LANG"),
    )


def command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """A command's parser: its summary, its (translated) epilog and the exit codes."""
    p = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=_(epilog) + "\n" + exit_codes_epilog(),
        formatter_class=Formatter,
        allow_abbrev=False,
    )
    lang_option(p)
    in_language(p)
    return p


def rulebook_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rulebook",
        metavar="PATH",
        help=_("the rulebook (default: the bundled 2023 rulebook)"),
    )


def output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="PATH", help=_("write here instead of stdout"))
    p.add_argument(
        "--force",
        action="store_true",
        help=_(
            "replace PATH if it is an old report (never an input of "
            "the run, a folder or a device: WZ913/WZ914)"
        ),
    )
