"""Issue 14's numbered items through ``wzeval`` itself, each asserting the exit code,
the issue code and its position, and the child's CPU time and memory (tests/support/bounds.py).

Items 3 and 4 (signals during the write and the batch) are here too, with the
child's CPU time (its own and its reaped workers', from :func:`os.wait4`) and its
peak resident size (``VmHWM``, polled until it exits: an interrupted run ends with
``os._exit``, so no exit handler can report it); tests/cli/test_cli_jobs.py sweeps the
moments more finely, tests/output/test_output.py interrupts the write in-process, and
tests/cli/test_startup_signals.py covers the window at startup.  Tested elsewhere with
the same assertions: 6 (the in-memory path) in tests/reading/test_in_memory.py; 8 (small but
slow files) in tests/reading/test_worst_case.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from support.bounds import MAX_BYTES, MAX_SECONDS, CliRun, run_cli
from support.paths import TESTS

from wzeval.core._exitcodes import EXIT_INTERRUPTED, EXIT_TERMINATED

ROOT = TESTS


def _run(args: list[str | Path], cwd: Path) -> CliRun:
    # the messages asserted below are the English ones (Chinese is the default)
    run = run_cli(args, cwd=cwd, env={**os.environ, "WZEVAL_LANG": "en"})
    run.used.assert_within()
    assert "Traceback" not in run.stdout + run.stderr
    return run


@pytest.mark.parametrize("version", ["1.0", "1.3", "1.10"])
def test_item1_an_unknown_yaml_version_is_wz114_at_the_directive(
    tmp_path: Path, version: str
) -> None:
    """``%YAML 1.3`` was an AssertionError and exit 3: now WZ114 at its version, col 7."""
    (tmp_path / "y.yaml").write_text(f"%YAML {version}\n---\na: 1\n")
    run = _run(["validate", "y.yaml"], tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith(f"y.yaml:1:7: error WZ114 YAML version {version} is not")


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_item2_a_special_file_is_wz113_naming_it(tmp_path: Path, special: str) -> None:
    """A device grew to 1.8 GB and a FIFO blocked forever: now WZ113, exit 2, small."""
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    run = _run(["validate", path], tmp_path)
    assert run.returncode == 2
    assert f"{path}: error WZ113 {path} is " in run.stdout


_OLD = "old report, kept\n"
EXAMPLES = sorted((ROOT.parent / "examples" / "findings").glob("*.yaml"))


def _running(pid: int) -> bool:
    """Whether the child is still running, without reaping it (``WNOWAIT``): ``os.wait4``
    reaps it afterwards and gives its CPU time (``Popen.poll`` would reap it first)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None


def _catches_sigterm(pid: int) -> bool:
    """Whether the child catches SIGTERM (``SigCgt``): from ``wzeval.__main__``'s first
    line, so a delay of 0 lands in its early window, later ones in the command."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


def _peak_rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    return next((int(x.split()[1]) * 1024 for x in status.splitlines() if x.startswith("VmHWM")), 0)


def _interrupt(tmp_path: Path, sig: int, delay: float, jobs: str) -> tuple[int, str]:
    """Score a batch of the examples three times over into an HTML report over an old
    one, send ``sig`` ``delay`` s after wzeval's handlers are up (to the group for SIGINT,
    as Ctrl-C does), and check the bounds and what is left behind."""
    folder = tmp_path / "batch"
    if not folder.exists():
        folder.mkdir()
        for i, path in enumerate(EXAMPLES * 3):
            shutil.copy(path, folder / f"{i:03d}-{path.name}")
    output = tmp_path / "out.html"
    output.write_text(_OLD, encoding="utf-8")
    args = ["score", "batch", "--partial", "--allow-duplicates", "--format", "html"]
    args += ["-o", "out.html", "--force", "--jobs", jobs]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wzeval", *args],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "WZEVAL_LANG": "en"},
            start_new_session=True,
        )
        peak = 0
        deadline = time.monotonic() + 60
        while not _catches_sigterm(proc.pid) and _running(proc.pid):
            assert time.monotonic() < deadline
            time.sleep(0.002)
        end = time.monotonic() + delay
        while time.monotonic() < end:
            peak = max(peak, _peak_rss(proc.pid))
            time.sleep(0.005)
        if _running(proc.pid):
            os.killpg(proc.pid, sig) if sig == signal.SIGINT else os.kill(proc.pid, sig)
        while True:
            peak = max(peak, _peak_rss(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            assert time.monotonic() < deadline + 60
            time.sleep(0.005)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    seconds = usage.ru_utime + usage.ru_stime
    assert seconds <= MAX_SECONDS, f"took {seconds:.2f} s CPU"
    assert peak <= MAX_BYTES, f"peak {peak / 2**20:.1f} MB"
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    text = output.read_text(encoding="utf-8")
    if code == 0:  # finished before the signal: the new report, complete
        assert text.rstrip().endswith("</html>"), text[-200:]
    else:
        assert code == (EXIT_INTERRUPTED if sig == signal.SIGINT else EXIT_TERMINATED), stderr
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert stderr.startswith("wzeval: "), stderr
        assert text == _OLD or text.rstrip().endswith("</html>")
    return code, stderr


@pytest.mark.parametrize(
    ("sig", "delay"),
    [
        (signal.SIGTERM, 0.3),
        pytest.param(signal.SIGTERM, 0.0, marks=pytest.mark.slow),
        pytest.param(signal.SIGTERM, 0.8, marks=pytest.mark.slow),
        pytest.param(signal.SIGINT, 0.3, marks=pytest.mark.slow),
    ],
    ids=["SIGTERM-0.3", "SIGTERM-0", "SIGTERM-0.8", "SIGINT-0.3"],
)
def test_item3_a_signal_during_the_write_leaves_old_or_new_and_no_temp(
    tmp_path: Path, sig: int, delay: float
) -> None:
    """SIGTERM during the write left a 2–12 MB ``.out.html.XXXX.tmp``: now exit 143 (or
    0 if it finished), one line, no temporary file, the old report or the new one.
    (0.3 s is well inside the run: about 1 CPU s alone, and 1.5 s on a loaded machine.)"""
    code, _ = _interrupt(tmp_path, sig, delay, "1")
    if delay == 0.3:
        assert code == (EXIT_INTERRUPTED if sig == signal.SIGINT else EXIT_TERMINATED)


@pytest.mark.parametrize(
    ("sig", "delay"),
    [
        (signal.SIGINT, 0.3),
        pytest.param(signal.SIGTERM, 0.3, marks=pytest.mark.slow),
        pytest.param(signal.SIGINT, 0.0, marks=pytest.mark.slow),
    ],
    ids=["SIGINT-0.3", "SIGTERM-0.3", "SIGINT-0"],
)
def test_item4_a_signal_during_a_batch_prints_no_worker_traceback(
    tmp_path: Path, sig: int, delay: float
) -> None:
    """Ctrl-C or SIGTERM during a batch printed ``KeyboardInterrupt`` and
    ``BrokenPipeError`` tracebacks from the workers: now one line (exit 130 / 143)."""
    _interrupt(tmp_path, sig, delay, "2")


def test_item5_force_never_overwrites_an_input(tmp_path: Path) -> None:
    """``-o`` naming the findings file with ``--force`` replaced it with the report: now
    WZ914, exit 2, the file byte for byte as it was."""
    findings = sorted((ROOT.parent / "examples" / "findings").glob("*.yaml"))[0]
    copy = tmp_path / "f.yaml"
    copy.write_bytes(findings.read_bytes())
    run = _run(["score", "f.yaml", "-o", "f.yaml", "--force"], tmp_path)
    assert run.returncode == 2
    assert "WZ914" in run.stderr
    assert copy.read_bytes() == findings.read_bytes()


def test_item5_force_never_replaces_a_fifo(tmp_path: Path) -> None:
    """A FIFO (as a device node) given as ``-o`` with ``--force`` is WZ913 and stays one."""
    findings = sorted((ROOT.parent / "examples" / "findings").glob("*.yaml"))[0]
    os.mkfifo(tmp_path / "out.txt")
    run = _run(["score", findings, "-o", "out.txt", "--force"], tmp_path)
    assert run.returncode == 2
    assert "WZ913" in run.stderr
    assert (tmp_path / "out.txt").is_fifo()


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"], ids=["empty", "comment"])
def test_item7_an_empty_file_fails_validate_strict(tmp_path: Path, text: str) -> None:
    """``validate --strict`` passed an empty file ("0 errors", exit 0): now WZ115 at 1:1."""
    (tmp_path / "e.yaml").write_text(text)
    run = _run(["validate", "--strict", "e.yaml"], tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("e.yaml:1:1: error WZ115 the document is empty")


def test_item9_yaml_11_says_yes_is_true(tmp_path: Path) -> None:
    """Under ``%YAML 1.1`` the warning said ``'yes' is read as a string``; it is true."""
    (tmp_path / "y.yaml").write_text("%YAML 1.1\n---\nwzeval: findings/1\nnotes: yes\n")
    run = _run(["validate", "y.yaml"], tmp_path)
    assert run.returncode == 1
    assert "y.yaml:4:8: warning WZ111 'yes' is read as true here (%YAML 1.1)" in run.stdout


def test_item9_a_reused_anchor_is_wz116_not_raw_text(tmp_path: Path) -> None:
    """ruamel's ReusedAnchorWarning went raw to stderr: now WZ116 at the second anchor."""
    (tmp_path / "a.yaml").write_text("a: &x 1\nb: &x 2\n")
    run = _run(["validate", "a.yaml"], tmp_path)
    assert run.returncode == 1
    assert "a.yaml:2:4: warning WZ116 YAML reader warning: found duplicate anchor" in run.stdout
    assert run.stderr == ""


def test_item9_a_top_level_scalar_is_positioned(tmp_path: Path) -> None:
    """A top-level scalar's issue had no line:col: now at the scalar (line 2, col 3)."""
    (tmp_path / "s.yaml").write_text("\n  3\n")
    run = _run(["validate", "s.yaml"], tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("s.yaml:2:3: error WZ910")


def test_item9_a_compatibility_character_in_an_expression_is_refused(tmp_path: Path) -> None:
    """NFKC folded ``ｃount`` into ``count``: now WZ330 at the character (line 102, the
    expression's first character after ``when: "``, column 33)."""
    text = (ROOT / "rulebooks" / "kinds.yaml").read_text(encoding="utf-8")
    assert text.count('when: "count(f) >= 1"') == 1
    (tmp_path / "rb.yaml").write_text(
        text.replace('when: "count(f) >= 1"', 'when: "\uff43ount(f) >= 1"'), encoding="utf-8"
    )
    run = _run(["validate", "rb.yaml"], tmp_path)
    assert run.returncode == 1
    assert "rb.yaml:102:33: error WZ330" in run.stdout
    assert "FULLWIDTH LATIN SMALL LETTER C" in run.stdout
