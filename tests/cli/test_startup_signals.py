"""A signal at startup, before the CLI's handlers are installed, ends wzeval with 130
(SIGINT) or 143 (SIGTERM) and one line, never a traceback (issue 14, item 4).

``wzeval.__main__`` handles both signals from its first line; ``wzeval.cli.main``
takes over before the command runs.  What runs before ``wzeval.__main__`` (the
interpreter's start, ``runpy`` finding the package, ``wzeval/__init__``, 3 ms) is
out of reach; the tests send their signals from the moment wzeval's own code runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.paths import ROOT

FINDINGS = ROOT / "examples" / "findings"
EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}
#: What the CLI prints when a signal ends a command, early or late.
LINES = (
    b"wzeval: interrupted before the command started; nothing was written\n",
    b"wzeval: terminated (SIGTERM) before the command started; nothing was written\n",
    b"wzeval: interrupted; nothing half-written was left\n",
    b"wzeval: terminated (SIGTERM); nothing half-written was left\n",
)
#: The lines above are the English ones (Chinese is the default once the catalogue loads).
ENGLISH = {**os.environ, "WZEVAL_LANG": "en"}
ENTRIES = {
    "python -m wzeval": ["-m", "wzeval"],
    "console script": [
        "-c",
        "import sys; sys.argv[0] = 'wzeval'; from wzeval.__main__ import main; main()",
    ],
}


def _findings() -> Path:
    return sorted(FINDINGS.glob("*.yaml"))[0]


def _block_signals() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


#: The early lines in Chinese, the default language.
CHINESE = (
    "wzeval: 命令开始前被中断；没有写出任何内容\n".encode(),
    "wzeval: 命令开始前被终止（SIGTERM）；没有写出任何内容\n".encode(),
)
#: How the language of the early line is chosen: (WZEVAL_LANG or None, options
#: before the command, the lines expected).  ``--lang`` wins over the variable.
LANGUAGE_CASES = {
    "default Chinese": (None, [], CHINESE),
    "WZEVAL_LANG=en": ("en", [], LINES[:2]),
    "WZEVAL_LANG=en_US.UTF-8": ("en_US.UTF-8", [], LINES[:2]),
    "WZEVAL_LANG unknown": ("fr", [], CHINESE),
    "--lang en over WZEVAL_LANG=zh": ("zh", ["--lang", "en"], LINES[:2]),
    "--lang=zh over WZEVAL_LANG=en": ("en", ["--lang=zh"], CHINESE),
}


def _env(lang: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "WZEVAL_LANG"}
    if lang is not None:
        env["WZEVAL_LANG"] = lang
    return env


def _pending_at_startup(
    sig: signal.Signals, entry: str, env: dict[str, str], options: list[str]
) -> tuple[int, bytes, bytes]:
    proc = subprocess.Popen(
        [sys.executable, *ENTRIES[entry], *options, "validate", str(_findings())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_block_signals,
        env=env,
    )
    proc.send_signal(sig)  # the child has exec'd (Popen waits for that): pending there
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_pending_at_startup_ends_wzeval_quietly(sig: signal.Signals, entry: str) -> None:
    """The signal is sent before wzeval runs a line (the child starts with it blocked,
    so it waits, pending): it is handled at the first line of ``wzeval.__main__``,
    deterministically: the exit code, the one line, nothing on stdout."""
    code, out, err = _pending_at_startup(sig, entry, ENGLISH, [])
    assert code == EXIT[sig], err
    assert err == LINES[0 if sig == signal.SIGINT else 1]
    assert out == b""


@pytest.mark.parametrize("case", sorted(LANGUAGE_CASES))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_early_line_speaks_the_chosen_language(sig: signal.Signals, case: str) -> None:
    """Chinese by default, as every other message; ``WZEVAL_LANG`` and ``--lang`` choose
    as they do once the catalogue has loaded (issue 14: the early line was English)."""
    lang, options, lines = LANGUAGE_CASES[case]
    code, out, err = _pending_at_startup(sig, "python -m wzeval", _env(lang), options)
    assert (code, out) == (EXIT[sig], b""), err
    assert err == lines[0 if sig == signal.SIGINT else 1]


def test_the_early_table_is_the_catalogue() -> None:
    """The Chinese of ``wzeval.__main__``'s table is the catalogue's msgstr of its
    English msgid, and its language choice is :func:`wzeval.core._i18n.language`'s."""
    from wzeval import __main__ as early
    from wzeval.core._i18n import _, language, set_language, speaking

    assert set(early._EARLY) == {signal.SIGINT, signal.SIGTERM}
    for _code, english, chinese in early._EARLY.values():
        with speaking("zh"):
            assert _(english) == chinese
        with speaking("en"):
            assert _(english) == english
    for value in ("", "en", "EN", "en_US.UTF-8", "en-GB", "zh", "zh_CN.UTF-8", "fr", "e"):
        old = os.environ.get("WZEVAL_LANG")
        os.environ["WZEVAL_LANG"] = value
        try:
            set_language(None)
            assert early._language([], os.environ) == language(), value
        finally:
            if old is None:
                del os.environ["WZEVAL_LANG"]
            else:
                os.environ["WZEVAL_LANG"] = old
    assert early._language(["--lang", "en", "--lang", "zh"], {}) == "zh"
    assert early._language(["--", "--lang", "en"], {}) == "zh"
    assert early._language(["--lang", "xx"], {"WZEVAL_LANG": "en"}) == "en"
    # the CLI's own reading of the arguments (core/_langarg) agrees with the copy here
    from wzeval.core._langarg import env_language, lang_of

    argvs = [[], ["--lang", "en"], ["--lang=en"], ["--lang", "zh", "--lang=en"], ["--lang"]]
    argvs += [["--", "--lang", "en"], ["score", "--lang", "xx"], ["--lang=zh", "x", "--lang", "en"]]
    for argv in argvs:
        for env in ({}, {"WZEVAL_LANG": "en_US"}, {"WZEVAL_LANG": "zh-CN"}, {"WZEVAL_LANG": "fr"}):
            assert early._language(argv, env) == (lang_of(argv) or env_language(env)), (argv, env)


#: The imports ``-X importtime`` reports, in order, before wzeval.__main__ has its
#: handlers: the package, then ``signal`` (the first thing ``wzeval.__main__`` imports).
_BEFORE_HANDLERS = (b"| wzeval", b"| signal")


def _signal_after_handlers(sig: signal.Signals, delay: float) -> tuple[int, bytes]:
    """Start ``python -m wzeval score``; wait until the first import of ``wzeval.cli``
    has finished (``-X importtime`` reports each import as it ends: after the package
    and ``signal``, the next line is one, and those are imported only once
    wzeval.__main__'s handlers are installed); wait ``delay`` more; send ``sig``."""
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "wzeval", "score", str(_findings())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENGLISH,
    )
    assert proc.stderr is not None
    seen: list[bytes] = []
    stage = 0
    while line := proc.stderr.readline():
        seen.append(line)
        if stage == len(_BEFORE_HANDLERS):
            break
        if line.rstrip().endswith(_BEFORE_HANDLERS[stage]):
            stage += 1
    time.sleep(delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, b"".join(seen) + err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_moment_of_startup_ends_wzeval_quietly(sig: signal.Signals) -> None:
    """Signals at 12 moments from the CLI's import to the command's work: each run
    ends with the signal's code and one line (or finished first: 0 or 1), never a
    traceback; most runs are interrupted, or the test would test nothing."""
    codes = []
    for delay in (0, 0.001, 0.002, 0.004, 0.007, 0.01, 0.015, 0.02, 0.03, 0.05, 0.08, 0.12):
        code, err = _signal_after_handlers(sig, delay)
        codes.append(code)
        assert b"Traceback" not in err, err.decode(errors="replace")[-2000:]
        assert code in (EXIT[sig], 0, 1), err.decode(errors="replace")[-2000:]
        if code == EXIT[sig]:
            assert err.splitlines(keepends=True)[-1] in LINES
    assert codes.count(EXIT[sig]) >= 9, codes


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        ("Terminated()", 143, "wzeval: terminated (SIGTERM) before the command started"),
        ("KeyboardInterrupt()", 130, "wzeval: interrupted before the command started"),
    ],
)
def test_the_cli_says_which_signal_came_before_the_command(exc: str, code: int, line: str) -> None:
    """A signal between the CLI's handlers and the command (``run`` raising at once) is
    named as what it was: SIGTERM is not reported as an interruption from the keyboard."""
    script = (
        "import sys; import wzeval.cli._run as r\n"
        f"def run(*a): raise {'r.' if exc.startswith('T') else ''}{exc}\n"
        "r.run = run; sys.argv = ['wzeval', 'validate']; r.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=ENGLISH, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == code
    assert done.stderr.startswith(line), done.stderr
    assert "Traceback" not in done.stderr
