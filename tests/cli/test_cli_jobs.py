"""``wzeval score --jobs``: worker processes change nothing but the time taken."""

from __future__ import annotations

import gc
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from support.paths import ROOT

from wzeval.cli import run
from wzeval.core._exitcodes import EXIT_INTERRUPTED, EXIT_TERMINATED
from wzeval.output._batch import PARALLEL_MIN_FILES, jobs_for

EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))


def _score(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["json", "text", "csv"])
def test_jobs_give_the_same_output(tmp_path: Path, fmt: str) -> None:
    """A batch with a broken file: same ranking, same issues in the same order, same code."""
    for i, path in enumerate(EXAMPLES * 4):
        shutil.copy(path, tmp_path / f"{i:02d}-{path.name}")
    (tmp_path / "99-broken.yaml").write_text(
        "wzeval: findings/1\ndepartment: 市教育局\nmonitoring_date: 2023-02-30\n",
        encoding="utf-8",
    )
    # copies of the examples: each file ranked on its own, as the jobs must agree on it
    same = [str(tmp_path), "--partial", "--allow-duplicates", "--format", fmt]
    one = _score([*same, "--jobs", "1"])
    two = _score([*same, "--jobs", "2"])
    assert one[0] == 1  # the broken file fails the batch
    assert two == one


def test_auto_jobs() -> None:
    """auto: one process for a small batch, at least one for a large one."""
    assert jobs_for("auto", PARALLEL_MIN_FILES - 1) == 1
    assert jobs_for("auto", PARALLEL_MIN_FILES) >= 1
    assert jobs_for("3", 2) == 2  # never more workers than files
    assert jobs_for("2", 100) == 2


def test_jobs_must_be_positive() -> None:
    code, _, err = _score([str(EXAMPLES[0]), "--jobs", "0"])
    assert code == 2
    assert "--jobs" in err


@pytest.mark.parametrize(
    ("jobs", "fmt"), [("1", "xlsx"), ("2", "xlsx"), ("1", "text"), ("1", "html"), ("2", "json")]
)
def test_a_batch_freezes_nothing_and_restores_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, fmt: str
) -> None:
    """No format keeps the reports (only ranking entries and what it writes of each
    report, in a temporary file), so nothing is frozen out of the cyclic collector:
    freezing would keep the scoring's garbage cycles alive.  The collector's threshold,
    raised for the batch, is restored when the command ends, also when it fails."""
    for i, path in enumerate(EXAMPLES):
        shutil.copy(path, tmp_path / f"{i:02d}-{path.name}")
    (tmp_path / "99-broken.yaml").write_text("wzeval: findings/1\n", encoding="utf-8")
    freezes: list[int] = []
    real_freeze = gc.freeze

    def counting_freeze() -> None:
        freezes.append(1)
        real_freeze()

    monkeypatch.setattr(gc, "freeze", counting_freeze)
    threshold = gc.get_threshold()
    book = tmp_path / "out" / "book.xlsx"
    book.parent.mkdir()
    written = ["-o", str(book)] if fmt == "xlsx" else []
    code, out, _ = _score([str(tmp_path), "--partial", "--jobs", jobs, "--format", fmt, *written])
    assert code == 1  # the broken file
    assert freezes == []
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == threshold  # raised for the batch only
    assert book.exists() if fmt == "xlsx" else "市生态环境局" in out


def test_batch_leaves_a_callers_own_freeze_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run() in a program that froze objects itself (a pre-forking server does) neither
    freezes more nor unfreezes the program's objects."""
    shutil.copy(EXAMPLES[0], tmp_path / "a.yaml")
    shutil.copy(EXAMPLES[1], tmp_path / "b.yaml")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        freezes: list[int] = []
        monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
        code, _, _ = _score([str(tmp_path), "--partial"])
        assert code == 0
        assert freezes == []
        # still frozen (objects freed meanwhile leave the count, so not equal to before)
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------- interrupts

_OLD = "old report, kept\n"


def _handler_installed(pid: int) -> bool:
    """True once the child's main() catches SIGTERM (read from /proc, no test hook)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


def _interrupt_batch(tmp_path: Path, sig: int, delay: float, jobs: str) -> None:
    """Score a batch, send ``sig`` ``delay`` s after the CLI is up (to the whole process
    group for SIGINT, as Ctrl-C does), and check what is left behind."""
    folder = tmp_path / "batch"
    if not folder.exists():
        folder.mkdir()
        for i, path in enumerate(EXAMPLES * 12):
            shutil.copy(path, folder / f"{i:03d}-{path.name}")
    output = tmp_path / "out.html"
    output.write_text(_OLD, encoding="utf-8")
    args = ["score", str(folder), "--partial", "--allow-duplicates", "--format", "html"]
    args += ["-o", str(output)]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wzeval", *args, "--force", "--jobs", jobs],
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not _handler_installed(proc.pid) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(delay)
        if proc.poll() is None:
            if sig == signal.SIGINT:
                os.killpg(proc.pid, sig)
            else:
                os.kill(proc.pid, sig)
        code = proc.wait(timeout=30)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    text = output.read_text(encoding="utf-8")
    if code == 0:  # finished before the signal: the new report, complete
        assert text.rstrip().endswith("</html>"), text[-200:]
    else:
        expected = EXIT_INTERRUPTED if sig == signal.SIGINT else EXIT_TERMINATED
        assert code == expected, stderr
        assert stderr.strip().splitlines()[-1].startswith("wzeval: "), stderr
        assert text == _OLD or text.rstrip().endswith("</html>")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupt_leaves_old_or_new_output_and_no_traceback(
    tmp_path: Path, sig: int, jobs: str
) -> None:
    """A few representative moments: early in the batch and among the workers."""
    for delay in (0.0, 0.3):
        _interrupt_batch(tmp_path, sig, delay, jobs)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupt_sweep(tmp_path: Path, sig: int, jobs: str) -> None:
    """Every 70 ms from start-up to past the end of the batch, the final write included."""
    for step in range(0, 45):
        _interrupt_batch(tmp_path, sig, step * 0.07, jobs)


def test_an_interrupt_python_cannot_raise_is_sent_again() -> None:
    """An interruption raised inside a callback Python only reports ("Exception ignored
    in …"), such as the import lock's, is not lost or printed: the CLI's unraisable hook
    sends the same signal again, so the command still ends on the interrupted path."""
    code = (
        "import signal, sys, weakref\n"
        "from wzeval.cli import _run as cli\n"
        "signal.signal(signal.SIGTERM, cli.on_sigterm)\n"
        "sys.unraisablehook = cli.redeliver_interrupts\n"
        "class T: pass\n"
        "def cb(_):\n"
        "    raise cli.Terminated\n"
        "t = T(); r = weakref.ref(t, cb)\n"
        "try:\n"
        "    del t\n"
        "    import time\n"
        "    time.sleep(5)\n"
        "    print('lost')\n"
        "except KeyboardInterrupt as exc:\n"
        "    print('redelivered', type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "redelivered Terminated", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr
