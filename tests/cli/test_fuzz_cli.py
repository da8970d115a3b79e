"""Fuzzing the CLI: ``score``, ``validate``, ``lint``, ``explain`` and ``diff`` on hostile files.

What is fed in, as the findings file or as the rulebook of each command:

* arbitrary bytes;
* mutations of real files (``rulebooks/2023.yaml``, ``rulebooks/examples/*``,
  ``examples/findings/*``, ``tests/findings/*``): byte flips, line deletions and
  duplications, truncation, splicing two files, and YAML-significant tokens
  (``&a``, ``*a``, ``!!``, ``%YAML``, ``: ``, tabs, deep brackets, huge numbers,
  ``yes``/``no``) inserted anywhere.

The oracle for every run: exit code 0, 1 or 2 (never 3, the internal error); no
traceback; every issue line starts with the file it is about (``file:line:col:`` or
``file:``); within :mod:`bounds` (tests/support/bounds.py: CPU time, memory); and the
input files byte-identical afterwards.  Most runs are in-process (:func:`wzeval.cli.run`), a
small share through a real ``python -m wzeval`` child (:func:`bounds.run_cli`).

Runs:

* default: every input in ``tests/corpus/cli/`` replayed, plus a small
  deterministic Hypothesis budget (the ``ci`` profile);
* ``pytest -m slow tests/cli/test_fuzz_cli.py``: the larger CI budget (a few minutes);
* ``scripts/fuzz.sh``: long and random, with the example database.  A failing input
  is written to ``tests/corpus/cli/`` (``<command>-<role>-<sha256 prefix>.bin``), so
  it is replayed by every later default run.  Commit it.

Corpus cases of bugs that are known and being fixed are listed in :data:`KNOWN`
as ``xfail(strict=True)``: remove the entry when the fix lands.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.bounds import measure, run_cli
from support.paths import ROOT

CORPUS_DIR = ROOT / "tests" / "corpus" / "cli"
RULEBOOK_2023 = ROOT / "rulebooks" / "2023.yaml"
FINDINGS_2023 = ROOT / "examples" / "findings" / "zhujianju-weak.yaml"
INDICATOR = "在线咨询"
SEEDS = sorted(
    [
        RULEBOOK_2023,
        *(ROOT / "rulebooks" / "examples").glob("*.yaml"),
        *(ROOT / "examples" / "findings").glob("*.yaml"),
        *(ROOT / "tests" / "findings").glob("*.yaml"),
    ]
)
TOKENS = [
    b"&a ",
    b"*a",
    b"!!",
    b"!!python/object:os.system ",
    b"%YAML 1.1\n---\n",
    b"%YAML 1.3\n---\n",
    b"%TAG ! tag:x,2000:\n---\n",
    b": ",
    b"\t",
    b"[" * 200,
    b"{" * 200,
    b"9" * 5000,
    b"1e999",
    b"yes",
    b"no",
    b"~",
    b"<<: *a\n",
    b"---\n",
    b"...\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff",
    b"'",
    b'"',
    b"#",
    b"- ",
    b"? ",
    b"|\n",
    b">-\n",
]

#: The commands run on a file in each role; ``{f}`` is the fuzzed file.
COMMANDS: dict[str, dict[str, list[str]]] = {
    "findings": {
        "validate": ["validate", "{f}"],
        "validate-strict": ["validate", "--strict", "{f}"],
        "score": ["score", "{f}"],
        "score-json": ["score", "--format", "json", "--partial", "{f}"],
        "explain": ["explain", "{f}", INDICATOR],
        "diff": ["diff", "--findings", "{f}", str(RULEBOOK_2023), str(RULEBOOK_2023)],
    },
    "rulebook": {
        "validate": ["validate", "{f}"],
        "lint": ["lint", "{f}"],
        "score": ["score", "--rulebook", "{f}", str(FINDINGS_2023)],
        "explain": ["explain", "--rulebook", "{f}", str(FINDINGS_2023), INDICATOR],
        "diff": ["diff", "{f}", str(RULEBOOK_2023)],
    },
}
CASES = [(role, name) for role, cmds in COMMANDS.items() for name in cmds]

#: Known bugs of issue 14, fixed on other branches: corpus file name -> reason.
#: Flip (delete the entry) once the fix is merged; strict, so a fix is noticed.
KNOWN: dict[str, str] = {}

ISSUE_LINE = re.compile(r"\b(error|warning|info) (WZ|WL)\d{3}\b")
_saved: dict[str, Path] = {}
_warm: set[tuple[str, str]] = set()


def _save(role: str, command: str, data: bytes) -> Path:
    """Keep a failing input in the corpus; while Hypothesis shrinks, keep only the smallest."""
    key = f"{role}-{command}"
    name = f"{command}-{role}-{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path = CORPUS_DIR / name
    previous = _saved.get(key)
    if previous is not None and previous != path and previous.exists():
        if previous.stat().st_size <= len(data):
            return previous
        previous.unlink()
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _saved[key] = path
    return path


def _check_output(code: int, text: str, files: list[str]) -> None:
    assert code in (0, 1, 2), f"exit {code}\n{text}"
    assert "Traceback (most recent call last)" not in text, text
    assert "internal error" not in text, text
    for line in text.splitlines():
        if ISSUE_LINE.search(line) and not line.startswith(("{", "[", " ", '"')):
            assert any(line.startswith(f + ":") for f in files), f"issue without a position: {line}"


def check_cli(role: str, command: str, data: bytes, *, child: bool = False) -> None:
    """Run one command on ``data`` and apply the oracle."""
    from wzeval import cli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(data)
        argv = [a.format(f=path) for a in COMMANDS[role][command]]
        inputs = [Path(a) for a in argv if a.endswith(".yaml")]
        before = {p: p.read_bytes() for p in inputs}
        try:
            if child:
                done = run_cli(argv, cwd=tmp, timeout=30)
                code, text, used = done.returncode, done.stdout + done.stderr, done.used
            else:
                if (role, command) not in _warm:  # imports and the bundled rulebook: once
                    _warm.add((role, command))
                    cli.run(argv, io.StringIO(), io.StringIO())
                out, err = io.StringIO(), io.StringIO()
                code, used = measure(lambda: cli.run(argv, out, err))
                text = out.getvalue() + err.getvalue()
            _check_output(code, text, [str(p) for p in inputs])
            if child:
                used.assert_within(peak_bytes=used.peak_bytes)  # RSS includes the interpreter
                assert used.peak_bytes <= 100 * 1024 * 1024 + 60 * 1024 * 1024
            else:
                used.assert_within()
            for p, content in before.items():
                assert p.read_bytes() == content, f"{p} was modified"
        except AssertionError:
            if os.environ.get("WZEVAL_FUZZ_SAVE", "1") != "0":
                _save(role, command, data)
            raise


# --- the corpus: every input that ever failed, replayed ---------------------------


def _corpus_params() -> list[object]:
    params: list[object] = []
    for path in sorted(CORPUS_DIR.glob("*.bin")):
        command, role, _ = path.stem.rsplit("-", 2)
        marks = []
        if path.name in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[path.name]))
        params.append(pytest.param(path, role, command, id=path.name, marks=marks))
    return params


@pytest.mark.parametrize(("path", "role", "command"), _corpus_params())
def test_corpus_replay(path: Path, role: str, command: str) -> None:
    os.environ.setdefault("WZEVAL_FUZZ_SAVE", "1")
    check_cli(role, command, path.read_bytes())


def test_corpus_names_are_parsable() -> None:
    for path in CORPUS_DIR.glob("*.bin"):
        command, role, digest = path.stem.rsplit("-", 2)
        assert role in COMMANDS and command in COMMANDS[role], path.name
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest()[:16], path.name
    assert set(KNOWN) <= {p.name for p in CORPUS_DIR.glob("*.bin")}


# --- the generators ---------------------------------------------------------------

_SEED_BYTES = {p: p.read_bytes() for p in SEEDS}


@st.composite
def mutant(draw: st.DrawFn) -> bytes:
    data = bytearray(_SEED_BYTES[draw(st.sampled_from(SEEDS))])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["flip", "delete-line", "dup-line", "truncate", "splice", "token"])
        )
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "token" and draw(st.booleans()):
            data[0:0] = draw(st.sampled_from(TOKENS))  # directives only matter at the start
            continue
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind in ("delete-line", "dup-line"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "delete-line":
                del lines[i]
            else:
                lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif kind == "truncate":
            del data[at:]
        elif kind == "splice":
            other = _SEED_BYTES[draw(st.sampled_from(SEEDS))]
            cut = draw(st.integers(0, len(other)))
            data = data[:at] + bytearray(other[cut:])
        else:
            data[at:at] = draw(st.sampled_from(TOKENS))
    return bytes(data)


inputs = st.one_of(st.binary(max_size=2000), mutant())
cases = st.sampled_from(CASES)


def _budget(default: int) -> int:
    return int(os.environ.get("WZEVAL_FUZZ_EXAMPLES", default))


_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


@settings(max_examples=_budget(25), suppress_health_check=_SUPPRESS)
@given(cases, inputs)
def test_cli_fuzz(case: tuple[str, str], data: bytes) -> None:
    """The default, deterministic budget: in-process."""
    check_cli(*case, data)


@pytest.mark.slow
@settings(max_examples=_budget(250), suppress_health_check=_SUPPRESS)
@given(cases, inputs)
def test_cli_fuzz_long(case: tuple[str, str], data: bytes) -> None:
    """The larger budget for CI's slow run and scripts/fuzz.sh: in-process."""
    check_cli(*case, data)


@pytest.mark.slow
@settings(max_examples=max(5, _budget(250) // 25), suppress_health_check=_SUPPRESS)
@given(cases, inputs)
def test_cli_fuzz_child(case: tuple[str, str], data: bytes) -> None:
    """A small share through a real ``python -m wzeval`` child (the real entry point)."""
    check_cli(*case, data, child=True)


def test_cli_child_smoke() -> None:
    check_cli("findings", "validate", _SEED_BYTES[FINDINGS_2023], child=True)
