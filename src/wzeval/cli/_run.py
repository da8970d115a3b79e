"""Running one command: arguments parsed, the handler called, every way it can end turned
into an exit code and at most one line (never a traceback for bad input); and
:func:`main`, the process around it with its signals."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from typing import Any, TextIO

from wzeval.cli._common import Exit, Usage, write_issues
from wzeval.cli._parser import build_parser
from wzeval.core._exitcodes import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_ISSUES,
    EXIT_TERMINATED,
    EXIT_USAGE,
    error_exit_code,
    failure_code,
)
from wzeval.core._i18n import _, language, speaking
from wzeval.core._langarg import lang_of


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so it unwinds like Ctrl-C: every
    ``finally`` runs and no temporary file is left."""


def on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def redeliver_interrupts(unraisable: Any) -> None:
    """``sys.unraisablehook``: an interruption raised where Python cannot propagate it
    (a weakref callback of the import lock, a ``__del__``) would print "Exception
    ignored … KeyboardInterrupt" and be lost; send the signal again instead, so it
    lands at the next line of the command and takes the ordinary interrupted path."""
    import signal
    import threading

    exc = unraisable.exc_value
    if isinstance(exc, KeyboardInterrupt):
        # not from here: a handler run inside this hook would be lost the same way
        sig = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        later = threading.Timer(0.01, os.kill, (os.getpid(), sig))
        later.daemon = True
        later.start()
        return
    sys.__unraisablehook__(unraisable)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run one wzeval command and return its exit code (see :data:`EXIT_CODES`).

    Never raises and never prints a traceback for bad input: problems are printed to
    ``stderr`` as issues or one ``wzeval: error: …`` line.  ``--lang`` chooses the
    language for the run only; without it the language in force stays (else
    ``WZEVAL_LANG``, else Chinese), read once for the run: a batch translates a
    hundred thousand texts, and reading the environment for each was a tenth of its
    HTML's time.
    """
    with speaking(lang_of(argv) or language()):
        return _run(argv, stdout, stderr)


def _run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build_parser()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse: --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    from wzeval.core._errors import MissingDependency, OutputRefused, ValidationFailed, WzevalError

    try:
        code: int = args.handler(args, stdout, stderr)
        return code
    except Exit as exc:
        return exc.code
    except Usage as exc:
        hint = _(" (hint: {hint})").format(hint=exc.hint) if exc.hint else ""
        stderr.write(f"wzeval: error: {exc.message}{hint}\n")
        return EXIT_USAGE
    except ValidationFailed as exc:
        write_issues(exc.issues, stderr)
        return failure_code(exc.issues)
    except WzevalError as exc:
        hint = _(" (hint: {hint})").format(hint=_(exc.hint)) if exc.hint else ""
        coded = isinstance(exc, OutputRefused | MissingDependency)
        code_ = f"{exc.code} " if coded else ""
        stderr.write(f"wzeval: error: {code_}{_one_line(exc)}{hint}\n")
        return error_exit_code(exc)
    except BrokenPipeError:  # the reader went away (wzeval … | head): nothing to say
        return EXIT_ISSUES
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        stderr.write(
            "wzeval: error: "
            + _("cannot access{where}: {reason}").format(where=where, reason=exc.strerror or exc)
            + "\n"
        )
        return EXIT_USAGE
    except Terminated:
        stderr.write("wzeval: " + _("terminated (SIGTERM); nothing half-written was left") + "\n")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        stderr.write("wzeval: " + _("interrupted; nothing half-written was left") + "\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line, not with a traceback
        if os.environ.get("WZEVAL_TRACEBACK"):
            traceback.print_exc(file=stderr)
        stderr.write(
            "wzeval: "
            + _(
                "internal error: {type}: {error} — this is a bug in wzeval, please "
                "report it with the command you ran (WZEVAL_TRACEBACK=1 shows the traceback)"
            ).format(type=type(exc).__name__, error=_one_line(exc))
            + "\n"
        )
        return EXIT_INTERNAL


def _install_signals() -> None:
    """From here a signal unwinds as KeyboardInterrupt into :func:`run`'s handlers; until
    here wzeval.__main__'s early handlers ended the process at once."""
    import signal

    signal.signal(signal.SIGTERM, on_sigterm)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.unraisablehook = redeliver_interrupts
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a console that cannot show a character must not crash
            reconfigure(errors="backslashreplace")


def main() -> None:
    """The command line (``wzeval.__main__.main`` calls it once it has handled the
    signals that could arrive while this module was imported)."""
    import signal

    try:
        _install_signals()
        try:
            code = run(sys.argv[1:], sys.stdout, sys.stderr)
        finally:  # a signal after the command's end must not interrupt the exit
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.stdout.flush()
    except KeyboardInterrupt as exc:  # arrived before run() could catch it
        code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
        line = (
            _("terminated (SIGTERM) before the command started; nothing was written")
            if isinstance(exc, Terminated)
            else _("interrupted before the command started; nothing was written")
        )
        sys.stderr.write("wzeval: " + line + "\n")
    except BrokenPipeError:
        # Python's recipe: point stdout at devnull so the interpreter's final flush is quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_ISSUES
    if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        # Everything was cleaned up on the way out; the interpreter's own teardown
        # (atexit, a signal left pending) must not turn the exit into a kill.
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
