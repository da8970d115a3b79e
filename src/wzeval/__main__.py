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

#: What a signal means before the command starts: (exit code, message).
_EARLY: dict[int, tuple[int, bytes]] = {
    signal.SIGINT: (130, b"wzeval: interrupted before the command started; nothing was written\n"),
    signal.SIGTERM: (
        143,
        b"wzeval: terminated (SIGTERM) before the command started; nothing was written\n",
    ),
}


def _early_exit(signum: int, frame: object) -> None:
    code, message = _EARLY.get(signum, (130, b""))
    try:
        os.write(2, message)
    finally:
        os._exit(code)


def _install_early_handlers() -> None:
    """Handle SIGINT and SIGTERM until the CLI takes over; a signal the parent set to be
    ignored (``nohup``, a background job) stays ignored, and one it left blocked is let
    through (so a signal already pending is handled here, now)."""
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
