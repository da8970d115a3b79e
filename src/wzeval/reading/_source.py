"""A file read as text: regular files only, bounded while reading (never trusting
``st_size``: ``/dev/zero`` says 0), decoded as UTF-8 with the position of a bad byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wzeval.core._codes import WZ103, WZ104, WZ109, WZ110, WZ113
from wzeval.core._fileio import read_at_most
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, Position, Severity
from wzeval.reading import _yamlcore as limits


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    return _("not a regular file")  # pragma: no cover - every other kind is listed


def _not_regular(name: str, mode: int) -> Issue:
    return Issue(
        WZ113,
        _("{name} is {mode}, not a regular file").format(name=name, mode=_kind(mode)),
        position=Position(name),
        hint=_("name a regular .yaml/.json file; devices, pipes and folders are not read"),
    )


def _too_big(name: str, size: int | None) -> Issue:
    message = (
        _("file is larger than the limit of {limit} bytes")
        if size is None
        else _("file is {size} bytes, more than the limit of {limit} bytes")
    )
    return Issue(
        WZ109,
        message.format(size=size, limit=limits.MAX_FILE_BYTES),
        position=Position(name),
        hint=_("split the document; limits are in docs/security.md (MAX_FILE_BYTES)"),
    )


def read_bytes_bounded(
    path: str | Path, limit: int | None = None
) -> tuple[bytes | None, list[Issue]]:
    """The bytes of a regular file of at most ``limit`` bytes (default MAX_FILE_BYTES).

    The only way wzeval reads a user's file.  The path is resolved (symlinks
    followed) and checked with :func:`os.stat` before opening, and opened with
    ``O_NONBLOCK`` so that a FIFO put in its place meanwhile never blocks; the
    open file is checked again with :func:`os.fstat`.  The size is bounded while
    reading (at most ``limit + 1`` bytes are read), never taken from ``st_size``,
    which is 0 for ``/dev/zero`` and for files that grow while read.
    """
    name = str(path)
    cap = limits.MAX_FILE_BYTES if limit is None else limit
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None, [_not_regular(name, st.st_mode)]
        if st.st_size > cap:
            return None, [_too_big(name, st.st_size)]
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
                return None, [_not_regular(name, st.st_mode)]
            raw = read_at_most(fd, cap)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, [
            Issue(
                WZ110,
                _("cannot read file: {value}").format(value=exc.strerror or exc),
                position=Position(name),
                hint=_("check the path and its permissions"),
            )
        ]
    if len(raw) > cap:
        return None, [_too_big(name, None)]
    return raw, []


def read_source(path: str | Path) -> tuple[str | None, list[Issue]]:
    """Read a regular file as UTF-8 text within the size limit; problems become issues."""
    raw, issues = read_bytes_bounded(path)
    if raw is None:
        return None, issues
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8, reporting the exact line and column of an invalid byte."""
    issues: list[Issue] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        issues.append(
            Issue(
                WZ104,
                _("file starts with a byte-order mark (BOM)"),
                position=Position(name, 1, 1),
                severity=Severity.WARNING,
                hint=_("save the file as UTF-8 without BOM"),
            )
        )
    try:
        return raw.decode("utf-8"), issues
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        issues.append(
            Issue(
                WZ103,
                _("invalid UTF-8 byte 0x{raw:02x}").format(raw=raw[exc.start]),
                position=Position(name, line, col),
                hint=_("save the file as UTF-8 (GBK/GB18030 files must be converted)"),
            )
        )
        return None, issues
