"""First contact: every ``wzeval`` command of the README's tour runs clean on the shipped examples.

The commands are read from the README itself (the ``bash`` blocks of the Chinese
"快速上手" section, whose English twin must list the same commands), run in a copy
of the repository's examples and rulebooks, and must exit 0 and print Chinese.
They run in-process (:func:`wzeval.cli.run`, in that copy as the working
directory): what is tested is what each command says and writes, not the process
around it (the real entry point has its own tests: tests/cli/test_startup_signals.py,
the child runs of tests/cli/test_fuzz_cli.py and tests/cli/test_issue14_items.py).
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from support.paths import ROOT

from wzeval.cli import run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start : end if end != -1 else None]


def _commands(section: str) -> list[str]:
    out = []
    for block in re.findall(r"```bash\n(.*?)```", section, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("wzeval "):
                out.append(line)
    return out


TOUR = _commands(_section("## 快速上手"))
#: the evaluator's part of the tour (the first block); the authors' commands follow it
EVALUATOR = _commands(re.findall(r"```bash\n.*?```", _section("## 快速上手"), re.S)[0])


def test_the_english_tour_lists_the_same_commands() -> None:
    assert TOUR and _commands(_section("### A short tour")) == TOUR


def test_the_readme_is_chinese_first() -> None:
    english = README.index("## English")
    assert README.index("## 两条命令") < english and README.index("## 快速上手") < english
    assert "wzeval[xlsx]" not in README and ".[xlsx]" not in README


@pytest.mark.parametrize("command", TOUR)
def test_tour_command_runs_clean(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    # rulebooks/2023.yaml is a relative symlink into the package's data folder
    shutil.copytree(ROOT / "rulebooks", tmp_path / "rulebooks", symlinks=True)
    shutil.copytree(ROOT / "src" / "wzeval" / "data", tmp_path / "src" / "wzeval" / "data")
    argv = shlex.split(command)
    stdout = None
    if ">" in argv:  # `wzeval schema findings > findings.schema.json`
        i = argv.index(">")
        argv, stdout = argv[:i], tmp_path / argv[i + 1]
    monkeypatch.chdir(tmp_path)
    # the README's reader gets the default language, whatever an earlier test chose
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    monkeypatch.setattr("wzeval.core._i18n._chosen", None)
    out, err = io.StringIO(), io.StringIO()
    code = run(argv[1:], out, err)
    assert code == 0, out.getvalue() + err.getvalue()
    if stdout is not None:
        stdout.write_text(out.getvalue(), encoding="utf-8")
        assert out.getvalue().strip()
        return
    shown = out.getvalue() + err.getvalue()
    written = [a for a in argv if "." in a and (tmp_path / a).is_file() and a.endswith(".md")]
    if written:
        shown += (tmp_path / written[0]).read_text(encoding="utf-8")
    # validate's summary line is translated with the message catalogue (issue 13, item 1)
    if command in EVALUATOR and not command.startswith("wzeval validate") and shown.strip():
        assert re.search(r"[\u4e00-\u9fff]", shown), shown[:500]
