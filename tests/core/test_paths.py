"""``core._paths.resolver``: what :meth:`Path.resolve` says, each folder resolved once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wzeval.core._paths import resolver


def _tree(tmp_path: Path) -> Path:
    """A folder with a file, a link to a file, a link to a folder and a dangling link."""
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.json").write_text("{}", "utf-8")
    (real / "sub" / "b.json").write_text("{}", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.json").write_text("{}", "utf-8")
    (real / "to-c.json").symlink_to(tmp_path / "elsewhere" / "c.json")
    (real / "to-elsewhere").symlink_to(tmp_path / "elsewhere")
    (real / "dangling.json").symlink_to(tmp_path / "nothing.json")
    return real


_NAMES = [
    "a.json",
    "sub/b.json",
    "to-c.json",
    "to-elsewhere/c.json",
    "to-elsewhere/../a.json",  # ".." after a link: where the link leads, not lexically
    "sub/../a.json",
    "dangling.json",
    "missing.json",
    "sub/missing/x.json",
    ".",
    "sub/..",
]


@pytest.mark.parametrize("name", _NAMES)
def test_resolver_agrees_with_resolve(tmp_path: Path, name: str) -> None:
    real = _tree(tmp_path)
    resolve = resolver()
    for path in (real / name, Path(os.path.relpath(real / name))):
        assert resolve(path) == path.resolve()
        assert resolve(path) == path.resolve()  # and again, from its kept folder


def test_relative_paths_follow_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative path is resolved against the folder of the moment, not the first."""
    real = _tree(tmp_path)
    resolve = resolver()
    monkeypatch.chdir(real)
    first = resolve(Path("a.json"))
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert first == real / "a.json"
    assert resolve(Path("a.json")) == (tmp_path / "elsewhere" / "a.json")


def test_each_resolver_keeps_its_own_folders(tmp_path: Path) -> None:
    """A folder that becomes a link is seen by a new resolver (a new walk)."""
    real = _tree(tmp_path)
    old = resolver()
    assert old(real / "sub" / "b.json") == real / "sub" / "b.json"
    (real / "sub" / "b.json").unlink()
    (real / "sub").rmdir()
    (real / "sub").symlink_to(tmp_path / "elsewhere")
    assert resolver()(real / "sub" / "b.json") == tmp_path / "elsewhere" / "b.json"


def _shown_by_pathlib(text: str, cwd: str) -> str:
    """What a report shows for an absolute path outside the package, said with
    pathlib alone: relative to the working directory as typed or as resolved, else
    the file name."""
    p = Path(text)
    for base in (Path(cwd), Path(cwd).resolve()):
        if p.is_relative_to(base):
            return p.relative_to(base).as_posix()
    return p.name


@pytest.mark.parametrize("where", ["real", "real/sub", "link", "link/sub", "root", "/"])
def test_shown_file_names_a_path_as_pathlib_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """``shown_file`` compares parts it keeps per working directory instead of asking
    pathlib for each file; the names it gives are pathlib's, in a folder reached by a
    link too, and for paths written with ``//`` and ``.``."""
    from wzeval.core import _paths

    real = _tree(tmp_path)
    (tmp_path / "link").symlink_to(real)
    cwd = "/" if where == "/" else str(tmp_path if where == "root" else tmp_path / where)
    monkeypatch.chdir(cwd)
    cwd = os.getcwd()  # a link's target: the working directory is resolved by the system
    _paths._shown_absolute.cache_clear()
    texts = [str(real / n) for n in ("a.json", "sub/b.json", "to-c.json", "sub")]
    texts += [str(tmp_path / "link" / "sub" / "b.json"), str(real), str(tmp_path / "realx.json")]
    texts += [f"{tmp_path}//real/./a.json", str(tmp_path / "elsewhere" / "c.json")]
    for text in texts:
        assert _paths.shown_file(text) == _shown_by_pathlib(text, cwd), (text, cwd)
    # worked by hand: in the folder a link leads to, a path through the link is not
    # under the working directory, a path in it is
    if where in ("link", "real"):
        assert _paths.shown_file(str(tmp_path / "link" / "sub" / "b.json")) == "b.json"
        assert _paths.shown_file(str(real / "sub" / "b.json")) == "sub/b.json"
        assert _paths.shown_file(f"{tmp_path}//real/./a.json") == "a.json"
