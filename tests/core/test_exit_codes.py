"""One exit-code rule (wzeval.core._exitcodes): every command exits the same way on the same
unreadable or unparsable input — 2 when the text could not be had, 1 when it was read
but is wrong (a YAML syntax error is content)."""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.cli import run
from wzeval.core._errors import HypothesisUnavailable, MissingDependency, XlsxUnavailable
from wzeval.core._exitcodes import (
    EXIT_CODES,
    UNREADABLE_CODES,
    error_exit_code,
    exit_code,
    failure_code,
)
from wzeval.core._i18n import _ as i18n_
from wzeval.core._issues import Issue, Severity
from wzeval.reading._yamlcore import MAX_FILE_BYTES

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"


def _missing(tmp: Path) -> Path:
    return tmp / "missing.yaml"


def _not_utf8(tmp: Path) -> Path:
    path = tmp / "gbk.yaml"
    path.write_bytes("wzeval: rulebook/1\nname: 规则\n".encode("gb18030"))
    return path


def _too_large(tmp: Path) -> Path:
    path = tmp / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 1) + b"\n")
    return path


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.yaml"
    os.mkfifo(path)
    return path


def _syntax_error(tmp: Path) -> Path:
    path = tmp / "syntax.yaml"
    path.write_text("wzeval: rulebook/1\nid: [unclosed\n", encoding="utf-8")
    return path


INPUTS: dict[str, tuple[Callable[[Path], Path], int]] = {
    "missing file": (_missing, 2),
    "not UTF-8": (_not_utf8, 2),
    "too large": (_too_large, 2),
    "a pipe, not a regular file": (_fifo, 2),
    "YAML syntax error": (_syntax_error, 1),
}

COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "lint": lambda p: ["lint", str(p)],
    "validate": lambda p: ["validate", str(p)],
    "score": lambda p: ["score", "--rulebook", str(KINDS), str(p)],
    "test": lambda p: ["test", str(p)],
    "diff": lambda p: ["diff", str(p), str(KINDS)],
    "verify": lambda p: ["verify", str(p)],
    "table": lambda p: ["table", str(p)],
}


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    assert "Traceback" not in err.getvalue() + out.getvalue()
    return code, out.getvalue() + err.getvalue()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.parametrize("what", list(INPUTS))
def test_every_command_exits_the_same_on_the_same_bad_input(tmp_path: Path, what: str) -> None:
    """lint, validate, score, test, diff, verify and table agree on each kind of bad input."""
    make, expected = INPUTS[what]
    path = make(tmp_path)
    codes = {name: _run(argv(path))[0] for name, argv in COMMANDS.items()}
    assert codes == dict.fromkeys(COMMANDS, expected)


@pytest.mark.parametrize("command", ["lint", "score", "test", "diff"])
def test_a_folder_where_files_are_needed_is_unreadable(tmp_path: Path, command: str) -> None:
    """An empty folder (or a folder named as a file) exits 2; ``validate`` only warns."""
    folder = tmp_path / "empty"
    folder.mkdir()
    assert _run(COMMANDS[command](folder))[0] == 2
    assert _run(COMMANDS["validate"](folder))[0] == 0


def test_the_rule() -> None:
    """Unreadable errors → 2 whatever else; errors → 1; warnings fail only when asked."""
    warn = Issue("WZ111", "w", severity=Severity.WARNING)
    assert exit_code([]) == 0 and exit_code([warn]) == 0
    assert exit_code([warn], fail_on="warning") == 1
    assert exit_code([Issue("WZ101", "syntax")]) == 1
    for code in sorted(UNREADABLE_CODES):
        assert exit_code([Issue("WZ405", "e"), Issue(code, "gone")]) == 2
        assert exit_code([Issue(code, "only a warning", severity=Severity.WARNING)]) == 0
    assert failure_code([warn]) == 1 and failure_code([Issue("WZ110", "gone")]) == 2
    assert set(EXIT_CODES) == {0, 1, 2, 3, 130, 143}


def test_unreadable_codes_are_registered() -> None:
    """Every code the rule names has an entry in the issue-code table."""
    from wzeval.core._codes import CODES

    assert set(CODES) >= UNREADABLE_CODES


def test_the_library_and_the_command_agree(tmp_path: Path) -> None:
    """The library's issues for a bad file give the exit code the command returned."""
    for what, (make, expected) in INPUTS.items():
        folder = tmp_path / what.replace(" ", "-").replace(",", "")
        folder.mkdir()
        path = make(folder)
        rb, issues = wzeval.read_rulebook(path)
        assert rb is None
        assert exit_code(issues) == expected, what


def _without(monkeypatch: pytest.MonkeyPatch, library: str, *reimport: str) -> None:
    """Make ``library`` unimportable, and ``reimport`` modules load again on next use."""
    monkeypatch.setitem(sys.modules, library, None)
    for name in reimport:
        monkeypatch.delitem(sys.modules, name, raising=False)


def test_verify_without_hypothesis_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No bare ImportError: HypothesisUnavailable (WZ921), a hint in Chinese and English
    saying what to install, and exit 2 from the command."""
    _without(monkeypatch, "hypothesis", "wzeval.analysis._verify")
    with pytest.raises(HypothesisUnavailable) as info:
        importlib.import_module("wzeval.analysis._verify")
    exc = info.value
    assert isinstance(exc, MissingDependency) and isinstance(exc, ImportError)
    assert exc.code == "WZ921" and "Hypothesis" in str(exc)
    assert exc.hint is not None and "pip install 'wzeval[verify]'" in exc.hint
    # the class's hint is an English msgid (N_), shown through the catalogue
    assert "install the verify extra" in exc.hint
    assert "安装" in i18n_(exc.hint) and "install the verify extra" in i18n_(exc.hint)
    code, text = _run(["verify", str(KINDS)])
    assert code == 2
    assert "WZ921" in text and "pip install 'wzeval[verify]'" in text


def test_xlsx_without_openpyxl_is_a_coded_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XlsxUnavailable has its own code (WZ920, not WZ902's 'usage error') and exits 2."""
    _without(monkeypatch, "openpyxl")
    path = tmp_path / "dept.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(XlsxUnavailable) as info:
        wzeval.read_findings(path, wzeval.load_rulebook(KINDS))
    assert info.value.code == "WZ920" and isinstance(info.value, MissingDependency)
    assert info.value.hint is not None and "reinstall wzeval" in info.value.hint
    code, text = _run(["validate", "--rulebook", str(KINDS), str(path)])
    assert code == 2 and "WZ920" in text
    assert error_exit_code(info.value) == 2
