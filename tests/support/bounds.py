"""Time and memory bounds for hostile-input tests: one definition for every test file.

A refusal of bad input must come fast and small (docs/security.md): at most
:data:`MAX_SECONDS` of CPU time and :data:`MAX_BYTES` of memory.  CPU time, not
wall time, is measured, so a loaded CI machine (2 cores, other jobs) does not make
a test flaky while an input that really is slow still fails it.

- :func:`measure` runs a function in this process: CPU seconds from
  :func:`time.process_time` (untraced), peak Python allocation from :mod:`tracemalloc`.
- :func:`run_cli` runs ``python -m wzeval …`` in a child and reads that child's
  own CPU time from :func:`os.wait4` and its peak resident size from the kernel
  (``VmHWM``); the child also runs under an address-space limit, so a runaway read
  fails with an error instead of filling the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: CPU seconds a refusal (or any input within the documented limits) may take.
MAX_SECONDS = 2.0
#: Peak memory: Python allocations in-process; resident set size of a CLI child
#: (an interpreter with wzeval imported is about 60 MB of that, so the budget for
#: the input itself is what is left).
MAX_BYTES = 100 * 1024 * 1024
#: Address-space ceiling for a CLI child: a runaway read stops here.
CHILD_ADDRESS_SPACE = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Measured:
    """What a bounded run used."""

    seconds: float
    peak_bytes: int

    def assert_within(self, seconds: float = MAX_SECONDS, peak_bytes: int = MAX_BYTES) -> None:
        assert self.seconds <= seconds, f"took {self.seconds:.2f} s CPU (bound {seconds} s)"
        assert self.peak_bytes <= peak_bytes, (
            f"peak {self.peak_bytes / 2**20:.1f} MB (bound {peak_bytes / 2**20:.0f} MB)"
        )


def measure(fn: Callable[[], T]) -> tuple[T, Measured]:
    """Run ``fn()`` twice and return its (first) result with what it used: the peak
    allocation from a run under :mod:`tracemalloc`, the CPU time from a run without it.

    Timing under the tracer would charge its own cost to the input: it slows
    allocation-heavy work such as YAML parsing three- to five-fold (a 160 KB
    document: 0.8 s alone, 4.2 s traced).  ``fn`` must therefore be repeatable.
    """
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    start = time.process_time()
    fn()
    seconds = time.process_time() - start
    return result, Measured(seconds, peak)


@dataclass(frozen=True)
class CliRun:
    """A finished ``wzeval`` child: exit code, output, and what it used."""

    returncode: int
    stdout: str
    stderr: str
    used: Measured


#: Runs in the child instead of ``python -m wzeval``: sets the address-space limit, and
#: at exit writes the peak resident size of the child's own image (``VmHWM``, which an
#: exec resets) to the file named first.  ``ru_maxrss`` cannot serve: Linux carries it
#: across exec, so it would count the pages of the (large) test process forked from.
_CHILD = """
import atexit, resource, runpy, sys
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
report = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as fh:
        kb = next(line.split()[1] for line in fh if line.startswith("VmHWM"))
    with open(report, "w") as fh:
        fh.write(kb)
atexit.register(_peak)
sys.argv[0] = "wzeval"
runpy.run_module("wzeval", run_name="__main__", alter_sys=True)
"""


def run_cli(
    args: Sequence[str | Path],
    *,
    cwd: str | Path | None = None,
    stdin: bytes | None = None,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
) -> CliRun:
    """Run ``python -m wzeval *args`` and measure the child itself (not this process).

    Output goes to temporary files and the child is reaped with :func:`os.wait4`,
    which returns that one child's CPU time and peak resident size.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        peak_file = Path(scratch) / "peak"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(CHILD_ADDRESS_SPACE),
                str(peak_file),
                *map(str, args),
            ],
            cwd=cwd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise subprocess.TimeoutExpired(proc.args, timeout)
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        try:
            peak = int(peak_file.read_text()) * 1024
        except (OSError, ValueError):  # killed before its exit handlers ran
            peak = usage.ru_maxrss * 1024
        return CliRun(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            Measured(usage.ru_utime + usage.ru_stime, peak),
        )
