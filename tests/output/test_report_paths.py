"""No report a person reads carries a path of the machine it was made on.

Every example, every human format (text, Markdown, CSV, HTML, XLSX; one department
and the ranking), scored both with absolute paths from another working directory
and with relative paths from the repository: no absolute path, no install path of
the bundled rulebook.  The rulebook is named by its id and its own file name.

The CLI runs in-process (:func:`wzeval.cli.run`, in the working directory of each
case): what is tested is the paths a report shows, which a child process would show
the same, at a fiftieth of the cost (a child per example took 44 s of the run).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.cli import run
from wzeval.core._paths import shown, shown_file

EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
FORMATS = ("text", "markdown", "csv", "html", "xlsx")
DATA = Path(wzeval.__file__).resolve().parent / "data"


def _text(path: Path, fmt: str) -> str:
    if fmt != "xlsx":
        return path.read_text(encoding="utf-8-sig")
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    return "\n".join(cells)


def _leaks(text: str, *roots: Path) -> list[str]:
    found = [m for m in ("site-packages", str(DATA)) if m in text]
    for root in roots:
        found += re.findall(re.escape(str(root)) + r"[^\s\"'<>）]*", text)
    found += re.findall(r"(?<![\w.:/])/(?:work|home|tmp|usr|root|opt)/[^\s\"'<>]*", text)
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_machine_path_in_any_report(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = [
        # absolute paths, run from elsewhere: every file is shown by its name
        (tmp_path, [str(p) for p in EXAMPLES], str(ROOT / "examples" / "findings")),
        # relative paths from the repository: shown as typed
        (ROOT, [os.path.relpath(p, ROOT) for p in EXAMPLES], "examples/findings"),
    ]
    for cwd, files, folder in runs:
        monkeypatch.chdir(cwd)
        for i, target in enumerate([*files, folder]):
            out = tmp_path / f"out{i}.{fmt}"
            args = ["score", "--partial", target, "--format", fmt, "-o", str(out), "--force"]
            stdout, stderr = io.StringIO(), io.StringIO()
            assert run(args, stdout, stderr) == 0, stderr.getvalue()
            text = _text(out, fmt)
            assert not _leaks(text, ROOT, tmp_path), (target, fmt, _leaks(text, ROOT)[:5])


def test_bundled_rulebook_is_named_by_its_file_name() -> None:
    assert shown(f"{DATA / '2023.yaml'}:490") == "2023.yaml:490"
    assert shown(f"{DATA / '2023.yaml'}:490:7") == "2023.yaml:490:7"
    assert shown_file(DATA / "2023.yaml") == "2023.yaml"


def test_paths_under_the_working_directory_are_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "甲").mkdir()
    assert shown(f"{tmp_path / '甲' / 'x.yaml'}:3:5") == "甲/x.yaml:3:5"
    assert shown(f"{tmp_path / 'f.xlsx'}:事实!B7") == "f.xlsx:事实!B7"
    assert shown("/elsewhere/dir/y.yaml:1") == "y.yaml:1"
    assert shown("../rel/y.yaml:1") == "../rel/y.yaml:1"
    assert shown("") == "" and shown(None) == ""


def test_a_path_is_shown_from_the_working_directory_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """shown_file keeps its answers (a report asks hundreds of times for the same two
    files), but per working directory: after a chdir the same path is shown anew."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    target = tmp_path / "a" / "b" / "x.yaml"
    monkeypatch.chdir(tmp_path)
    assert shown_file(target) == "a/b/x.yaml"
    assert shown_file(target) == "a/b/x.yaml"
    monkeypatch.chdir(tmp_path / "a")
    assert shown_file(target) == "b/x.yaml"
    monkeypatch.chdir(tmp_path.parent.parent)
    assert shown_file(target) == target.relative_to(tmp_path.parent.parent).as_posix()
