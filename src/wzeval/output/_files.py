"""Writing output files: atomically, and never over something the user wrote without ``force``.

A report, a template or a schema is written to a temporary file in the target's
own folder and then moved into place, so a reader never sees half a file and an
interrupted run leaves the old file as it was.  Without ``force`` the move is a
hard link, which the operating system refuses when the target already exists, so
even a file that appears while wzeval is working is not overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from wzeval.core._codes import WZ913, WZ914, WZ915
from wzeval.core._errors import OutputExists, OutputRefused
from wzeval.core._i18n import _

__all__ = ["check_not_input", "check_writable", "write_atomic"]

#: Signals held back while a temporary file exists without its cleanup armed, and
#: while it is being removed: they are delivered once the file system is tidy.
_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM for the block (main thread, POSIX), then deliver them."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def check_writable(path: str | Path, *, force: bool = False) -> None:
    """Raise :class:`OutputExists` now if ``path`` exists and ``force`` is off.

    Commands call this before doing their work, so a refusal comes first and fast;
    :func:`write_atomic` checks again when it writes.
    """
    if not force and os.path.lexists(path):
        raise OutputExists(_("{path} already exists; nothing was written").format(path=path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_not_input(path: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Raise :class:`OutputRefused` if ``path`` is, after symlinks, one of ``inputs``
    or exists as something other than a regular file; ``--force`` never overrides this.
    """
    target = Path(path)
    try:
        st = target.stat()
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputRefused(
            WZ913,
            _(
                "{path} is not a regular file (a folder, device or pipe); nothing was written"
            ).format(path=target),
            _("give -o the path of a report file"),
        )
    if st is None:
        return
    for source in inputs:
        if _same_file(target, Path(source)):
            also = "" if str(source) == str(target) else _(" ({source})").format(source=source)
            raise OutputRefused(
                WZ914,
                _("{path} is an input of this run{also}; it was not overwritten").format(
                    path=target, also=also
                ),
                _("--force replaces an old report, never an input: choose another -o path"),
            )


def _write_failed(target: Path, exc: OSError) -> OutputRefused:
    """The error for a write that failed: it names the target asked for, not the
    hidden temporary file."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = _("free some space on that disk or write elsewhere; the old file is unchanged")
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = _("the folder is not writable: choose another -o path")
    else:
        hint = _("check the folder of the output; the old file is unchanged")
    return OutputRefused(
        WZ915,
        _("cannot write {path}: {reason}; nothing was written").format(path=target, reason=reason),
        hint,
    )


def _new_file_mode() -> int:
    """The mode an ordinary new file gets (0666 less the umask), not mkstemp's 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(
    path: str | Path,
    content: str | bytes | Iterable[str] | Iterable[bytes],
    *,
    force: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write ``content`` (text, encoded with ``encoding``, or bytes as they are, or
    pieces of either written one after the other) to ``path`` atomically and return the
    path.

    Raises :class:`OutputExists` (nothing written) when ``path`` exists and ``force``
    is off, and :class:`OSError` when the folder is missing or not writable.  With
    ``force`` an existing file is replaced and keeps its permissions.
    """
    target = Path(path)
    check_writable(target, force=force)
    check_not_input(target)
    pieces: Iterable[bytes | str]
    if isinstance(content, str | bytes):
        pieces = [content if isinstance(content, bytes) else content.encode(encoding)]
    else:
        pieces = content
    mode = stat.S_IMODE(target.stat().st_mode) if force and target.is_file() else None
    tmp: str | None = None
    try:
        # mkstemp and arming the cleanup happen with SIGINT/SIGTERM held back, so an
        # interruption can never find a temporary file that nothing will remove.
        with _signals_held():
            try:
                fd, tmp = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
            except OSError as exc:
                if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                    raise
                raise _write_failed(target, exc) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                for piece in pieces:
                    fh.write(piece if isinstance(piece, bytes) else piece.encode(encoding))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode if mode is not None else _new_file_mode())
        except OSError as exc:
            raise _write_failed(target, exc) from None
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target exists: never clobbers
            except FileExistsError:
                raise OutputExists(
                    _("{path} already exists; nothing was written").format(path=target)
                ) from None
            except OSError:  # no hard links on this file system: check, then move
                check_writable(target)
                os.replace(tmp, target)
    finally:  # on any exception, KeyboardInterrupt and SystemExit included
        if tmp is not None:
            with _signals_held(), contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return target
