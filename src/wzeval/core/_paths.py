"""How reports name files: never a path of the machine they were made on.

Positions (``file:line[:col]``, or ``file:sheet!cell`` for a spreadsheet) carry the
path a file was loaded from, which for the bundled rulebook is its install path
(``…/site-packages/wzeval/data/2023.yaml``) and for anything the user named with
an absolute path is that path.  A shared report must carry neither, so every
renderer passes each path or position through :func:`shown`:

- the bundled rulebook is named by its own file name (``2023.yaml:490``);
- a file under the working directory by its path relative to it;
- any other absolute path by its file name;
- a relative path the user typed is kept as typed.

JSON keeps the paths as loaded (it is for programs, not for people).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePath

_DATA = Path(__file__).resolve().parent.parent / "data"

#: a path, then optionally ``:line[:col]`` or ``:sheet!cell`` (the sheet may hold ``:``)
_POSITION = re.compile(r"^(?P<path>.*?\.(?:ya?ml|json|xlsx|csv))(?P<rest>:.*)?$", re.I)


def resolver(size: int = 256) -> Callable[[Path], Path]:
    """A :meth:`Path.resolve` (not strict) that resolves each folder once.

    Resolving a path is a system call per component; a batch resolves every file of
    a folder two or three times (confinement, de-duplication, the name a report
    shows): 0.05 s of serial start-up at 1,000 files, before any is scored.  A file
    that is not a link resolves to its resolved folder and its name, one ``lstat``.
    The folders are kept by the resolver (at most ``size``): make one per walk, or
    where a stale folder only changes a name shown, one per process — never where a
    folder that became a link must be seen (confinement makes its own per call)."""

    @functools.lru_cache(maxsize=size)
    def folder(text: str) -> Path:
        return Path(text).resolve()

    def resolve(path: Path) -> Path:
        name = path.name
        if name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        # joined, not normalised: ``link/..`` is resolved as the link leads
        parent = path.parent
        return (
            folder(str(parent) if parent.is_absolute() else os.path.join(os.getcwd(), parent))
            / name
        )

    return resolve


_resolve_shown = resolver()


def shown_file(path: str | PurePath) -> str:
    """``path`` as a report shows it (see the module docstring).

    Asked once for every position a report shows (a department's HTML sheet names a
    few hundred, nearly all in the same two files), and resolving a path is a system
    call per component: the answer is kept per path and working directory.  Resolving
    took 38% of a batch's HTML time before (cProfile, 100 generated findings)."""
    text = str(path)
    if not os.path.isabs(text):
        return text
    return _shown_absolute(text, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _shown_absolute(text: str, cwd: str) -> str:
    p = Path(text)
    try:
        resolved = _resolve_shown(p)
    except OSError:  # pragma: no cover - an unreadable link: fall back to the name
        return p.name
    if resolved.parent == _DATA or p.parent == _DATA:
        return p.name
    parts = p.parts
    key = _case_folded(parts)
    for base in _bases(cwd):
        n = len(base)
        if key[:n] == base:
            return PurePath(*parts[n:]).as_posix()
    return p.name


def _case_folded(parts: tuple[str, ...]) -> tuple[str, ...]:
    # pathlib compares paths as the system does: case-insensitively on Windows
    return tuple(os.path.normcase(part) for part in parts)


@functools.lru_cache(maxsize=8)
def _bases(cwd: str) -> tuple[tuple[str, ...], ...]:
    """The working directory as typed and resolved, as parts to compare: kept, since a
    batch asks for every file it names (``Path.is_relative_to`` parsed the base
    anew each time: a tenth of a millisecond a file, at the end of a batch)."""
    here = Path(cwd)
    return (_case_folded(here.parts), _case_folded(here.resolve().parts))


def shown(position: str | None) -> str:
    """A ``file[:line[:col]]`` string (or ``file:sheet!cell``) with its path shown."""
    if not position:
        return ""
    m = _POSITION.match(position)
    if m is None:
        return shown_file(position) if os.path.isabs(position) else position
    return shown_file(m["path"]) + (m["rest"] or "")
