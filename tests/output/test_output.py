"""Output files: atomic, never over an existing file without force, text or bytes."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from wzeval.core._errors import OutputExists, OutputRefused
from wzeval.output._files import check_not_input, check_writable, write_atomic


def test_writes_text_and_bytes(tmp_path: Path) -> None:
    """Text is encoded (UTF-8 by default); bytes are written as they are."""
    write_atomic(tmp_path / "a.txt", "甲局\n")
    assert (tmp_path / "a.txt").read_bytes() == "甲局\n".encode()
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    write_atomic(tmp_path / "c.csv", "\ufeffx", encoding="utf-8")
    assert (tmp_path / "c.csv").read_bytes() == b"\xef\xbb\xbfx"


@pytest.mark.usefixtures("english")
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


def _no_temp_left(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_interrupted_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]
) -> None:
    """Ctrl-C (or SIGTERM, which the CLI raises like it) in the middle of the write: the
    old file is as it was and the temporary file is gone."""
    target = tmp_path / "out.html"
    target.write_text("old report", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise stop

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(stop):
        write_atomic(target, "new report" * 100_000, force=True)
    assert target.read_text(encoding="utf-8") == "old report"
    _no_temp_left(tmp_path)


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
@pytest.mark.usefixtures("english")
def test_refuses_what_is_not_a_regular_file_even_with_force(tmp_path: Path, kind: str) -> None:
    """--force replaces an old report, not a folder, a pipe or a device node (WZ913)."""
    if kind == "folder":
        target = tmp_path / "reports"
        target.mkdir()
    elif kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    else:
        target = Path(os.devnull)
    with pytest.raises(OutputRefused, match="not a regular file") as info:
        write_atomic(target, "report", force=True)
    assert info.value.code == "WZ913"
    assert str(target) in str(info.value)
    assert not stat.S_ISREG(target.stat().st_mode)


@pytest.mark.usefixtures("english")
def test_refuses_an_input_even_through_a_symlink(tmp_path: Path) -> None:
    """An output that is, after symlinks, an input of the run is refused (WZ914)."""
    findings = tmp_path / "findings.yaml"
    findings.write_text("wzeval: findings/1\n", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(findings)
    with pytest.raises(OutputRefused, match="input of this run") as info:
        check_not_input(link, [findings])
    assert info.value.code == "WZ914"
    assert str(link) in str(info.value)
    assert findings.read_text(encoding="utf-8") == "wzeval: findings/1\n"


@pytest.mark.parametrize(
    ("err", "hint"), [(errno.ENOSPC, "free some space"), (errno.EACCES, "not writable")]
)
@pytest.mark.usefixtures("english")
def test_failed_write_names_the_target_not_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, hint: str
) -> None:
    """A full disk or a read-only folder: WZ915 names the file asked for, with a hint."""
    target = tmp_path / "out.html"
    target.write_text("old report", encoding="utf-8")
    real_mkstemp = tempfile.mkstemp

    def failing_fsync(fd: int) -> None:
        raise OSError(err, os.strerror(err))

    def failing_mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(err, os.strerror(err), str(tmp_path / ".out.html.x.tmp"))

    if err == errno.ENOSPC:
        monkeypatch.setattr(os, "fsync", failing_fsync)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", failing_mkstemp)
    with pytest.raises(OutputRefused) as info:
        write_atomic(target, "new report", force=True)
    monkeypatch.setattr(tempfile, "mkstemp", real_mkstemp)
    assert info.value.code == "WZ915"
    assert f"cannot write {target}:" in str(info.value)
    assert ".tmp" not in str(info.value)
    assert info.value.hint is not None and hint in info.value.hint
    assert target.read_text(encoding="utf-8") == "old report"
    _no_temp_left(tmp_path)
