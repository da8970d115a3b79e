"""``python -m wzeval`` and the ``wzeval`` console script: the command line.

SIGINT and SIGTERM are handled from the first line wzeval runs, before the command
line module (and everything it imports) is loaded: until :func:`wzeval.cli.main`
installs its own handlers, a signal ends the process at once with 130 or 143 and
one line, since nothing has been read or written yet — never a ``KeyboardInterrupt``
traceback from the middle of an import.  What comes before this module (the
interpreter's own start, ``site``, the package's ``__init__``) is out of wzeval's
reach: there SIGTERM kills the process (status 143 in a shell) and SIGINT is
Python's.
"""

import os
import signal
import sys


def N_(message: str) -> str:
    """Marks a message for the catalogue (``scripts/catalogue.py`` extracts ``N_``)
    without importing :mod:`wzeval.core._i18n`: gettext and the catalogue load with the CLI,
    after the moment these messages are for."""
    return message


#: What a signal means before the command starts: the exit code and the message, in
#: English (the msgid) and in Chinese (the catalogue's msgstr, kept equal to it by
#: ``tests/cli/test_startup_signals.py``).  A table, not gettext: nothing is loaded yet.
_EARLY: dict[int, tuple[int, str, str]] = {
    signal.SIGINT: (
        130,
        N_("interrupted before the command started; nothing was written"),
        "命令开始前被中断；没有写出任何内容",
    ),
    signal.SIGTERM: (
        143,
        N_("terminated (SIGTERM) before the command started; nothing was written"),
        "命令开始前被终止（SIGTERM）；没有写出任何内容",
    ),
}

#: The line each signal prints, in the language chosen when the handlers are installed.
_LINES: dict[int, bytes] = {}


def _language(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> str:
    """``zh`` or ``en`` as :mod:`wzeval.core._langarg` chooses it (the last valid
    ``--lang`` before ``--``, else ``WZEVAL_LANG``, else Chinese), written out here
    because nothing may be imported before the handlers are installed: a signal during
    that import would be a traceback.  ``tests/cli/test_startup_signals.py`` keeps the two
    in agreement."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in ("zh", "en"):
            lang = value
    if lang is not None:
        return lang
    key = environ.get("WZEVAL_LANG", "").strip().lower().replace("-", "_").split(".")[0]
    return "en" if key == "en" or key.startswith("en_") else "zh"


def _early_exit(signum: int, frame: object) -> None:
    code = _EARLY[signum][0] if signum in _EARLY else 130
    try:
        os.write(2, _LINES.get(signum, b""))
    finally:
        os._exit(code)


def _install_early_handlers() -> None:
    """Handle SIGINT and SIGTERM until the CLI takes over; a signal the parent set to be
    ignored (``nohup``, a background job) stays ignored, and one it left blocked is let
    through (so a signal already pending is handled here, now)."""
    english = _language(sys.argv[1:], os.environ) == "en"
    for sig, (_code, message, chinese) in _EARLY.items():
        _LINES[sig] = ("wzeval: " + (message if english else chinese) + "\n").encode("utf-8")
    handled: set[int] = set()
    for sig in _EARLY:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, _early_exit)
            handled.add(sig)
    if handled and hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, handled)


def main() -> None:
    """The ``wzeval`` console script."""
    _install_early_handlers()
    from wzeval.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
