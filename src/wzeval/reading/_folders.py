"""The input files a command is given: folders expanded into the documents they hold.

Every command that takes "files or folders" (``validate``, ``score``, ``compare``,
``diff --findings``, ``lint``) and :func:`wzeval.score_folder` expand them here, so
they agree on what a folder holds: its ``.yaml``/``.yml``/``.json``/``.xlsx`` files,
recursively and sorted (:func:`wzeval.reading._loader.iter_files`), never a file that a
symlink leads to outside both the folder and the working directory (issue 14: a
link to ``/etc/passwd`` dropped into a findings folder is not read, and a warning
says so).  It lives in the library, not the command line, because what a folder
means is part of what a batch scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wzeval.core._codes import WZ113, WZ912
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, Position, Severity
from wzeval.core._paths import resolver

__all__ = ["collect_files"]


def _outside_issue(link: Path, raw: str) -> Issue:
    return Issue(
        WZ113,
        _("{link} links outside the folder {raw} and the working directory; not read").format(
            link=link, raw=raw
        ),
        position=Position(str(link)),
        severity=Severity.WARNING,
        hint=_("name the file itself to read it, or copy it into the folder"),
    )


def collect_files(
    paths: Sequence[str | Path], *, empty_is_error: bool
) -> tuple[list[tuple[Path, bool]], list[Issue]]:
    """Expand folders (recursively); each file comes with whether it was named explicitly.

    A file met twice is kept once (the first time, by its resolved path).  A link out
    of a folder is a warning (WZ113) and is not read.  An empty folder is an issue
    (WZ912): an error where files are needed (``score``), a warning where it only
    means there is nothing to check (``validate``).  A path that is not a folder is
    kept as named, existing or not: reading it says what is wrong with it.
    """
    out: dict[Path, tuple[Path, bool]] = {}
    issues: list[Issue] = []
    resolve = resolver()
    for raw in paths:
        if not Path(raw).is_dir():
            p = Path(raw)
            out.setdefault(p.resolve(), (p, True))
            continue
        outside: list[Path] = []
        from wzeval.reading._loader import iter_files  # not before: a cache hit never loads ruamel

        found = list(iter_files([raw], outside=outside))
        issues.extend(_outside_issue(link, str(raw)) for link in outside)
        if not found:
            issues.append(
                Issue(
                    WZ912,
                    _("no .yaml, .yml or .json file in this folder"),
                    position=Position(str(raw)),
                    severity=Severity.ERROR if empty_is_error else Severity.WARNING,
                    hint=_("check the path"),
                )
            )
        for f in found:
            out.setdefault(resolve(f), (f, False))
    return list(out.values()), issues
