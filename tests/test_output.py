"""Output files: atomic, never over an existing file without force, text or bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from wzeval.errors import OutputExists
from wzeval.output import check_writable, write_atomic


def test_writes_text_and_bytes(tmp_path: Path) -> None:
    """Text is encoded (UTF-8 by default); bytes are written as they are."""
    write_atomic(tmp_path / "a.txt", "甲局\n")
    assert (tmp_path / "a.txt").read_bytes() == "甲局\n".encode()
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    write_atomic(tmp_path / "c.csv", "\ufeffx", encoding="utf-8")
    assert (tmp_path / "c.csv").read_bytes() == b"\xef\xbb\xbfx"


def test_refuses_existing_file(tmp_path: Path) -> None:
    """Without force an existing file is kept and OutputExists says nothing was written."""
    target = tmp_path / "mine.txt"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExists, match="nothing was written"):
        write_atomic(target, "theirs")
    with pytest.raises(OutputExists):
        check_writable(target)
    assert target.read_text(encoding="utf-8") == "mine"
    assert os.listdir(tmp_path) == ["mine.txt"]


def test_force_replaces_and_keeps_mode(tmp_path: Path) -> None:
    """With force the file is replaced and keeps its permissions."""
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    """A new file gets the usual mode (0666 less the umask), not a temp file's 0600."""
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "n.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o644


def test_missing_folder_is_an_oserror(tmp_path: Path) -> None:
    """A folder that does not exist raises OSError and leaves nothing behind."""
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "no" / "x.txt", "x")
    assert os.listdir(tmp_path) == []
