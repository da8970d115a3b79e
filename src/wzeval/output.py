"""Writing output files: atomically, and never over something the user wrote without ``force``.

A report, a template or a schema is written to a temporary file in the target's
own folder and then moved into place, so a reader never sees half a file and an
interrupted run leaves the old file as it was.  Without ``force`` the move is a
hard link, which the operating system refuses when the target already exists, so
even a file that appears while wzeval is working is not overwritten.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from wzeval.errors import OutputExists

__all__ = ["check_writable", "write_atomic"]


def check_writable(path: str | Path, *, force: bool = False) -> None:
    """Raise :class:`OutputExists` now if ``path`` exists and ``force`` is off.

    Commands call this before doing their work, so a refusal comes first and fast;
    :func:`write_atomic` checks again when it writes.
    """
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path} already exists; nothing was written")


def _new_file_mode() -> int:
    """The mode an ordinary new file gets (0666 less the umask), not mkstemp's 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(
    path: str | Path, content: str | bytes, *, force: bool = False, encoding: str = "utf-8"
) -> Path:
    """Write ``content`` (text, encoded with ``encoding``, or bytes as they are) to
    ``path`` atomically and return the path.

    Raises :class:`OutputExists` (nothing written) when ``path`` exists and ``force``
    is off, and :class:`OSError` when the folder is missing or not writable.  With
    ``force`` an existing file is replaced and keeps its permissions.
    """
    target = Path(path)
    check_writable(target, force=force)
    data = content if isinstance(content, bytes) else content.encode(encoding)
    mode = stat.S_IMODE(target.stat().st_mode) if force and target.is_file() else None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else _new_file_mode())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target exists: never clobbers
            except FileExistsError:
                raise OutputExists(f"{target} already exists; nothing was written") from None
            except OSError:  # no hard links on this file system: check, then move
                check_writable(target)
                os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target
