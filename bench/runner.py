"""Running one measured command in its own process, and summarising samples.

Every measurement runs in a fresh subprocess so its peak memory is its own: the
`ru_maxrss` that `os.wait4` returns for a child is the larger of the child's own
peak and that of any descendant it waited for (a report's Jupyter kernel), so it
is the peak of the biggest process in the command's tree, not their sum.

Linux counts a forked child's peak from its parent's size at the fork, so the
command is started by a tiny launcher (`python -S`, about 10 MB) rather than
by this process (100 MB once pandas is imported): the launcher times the
command and reads its rusage, and the numbers are the command's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """A measured command failed; the message carries its stderr tail."""


@dataclass
class Sample:
    """One run of a command: wall seconds, peak RSS in MB, and what it printed."""

    seconds: float
    peak_mb: float
    stdout: str

    def payload(self) -> dict[str, Any]:
        """The JSON object a probe prints as its last line."""
        return json.loads(self.stdout.strip().splitlines()[-1])


#: Runs argv[2:], then writes "seconds peak_kb" of it to argv[1] and exits with its code.
LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(
    command: Sequence[str | Path],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 1800,
) -> Sample:
    """Run `command` to completion, timing it and reading its peak memory.

    Raises:
        BenchError: the command exited non-zero.
    """
    full_env = {**os.environ, **(env or {})}
    with (
        open(os.devnull, "rb") as stdin,
        _tempfile() as out,
        _tempfile() as err,
        _tempname() as measured,
    ):
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER, measured, *(str(part) for part in command)],
            stdin=stdin,
            stdout=out,
            stderr=err,
            env=full_env,
            cwd=str(cwd or ROOT),
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        report = Path(measured).read_text().split() if Path(measured).exists() else []
    if process.returncode != 0 or len(report) != 2:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        shown = " ".join(str(part) for part in command)
        raise BenchError(f"`{shown}` exited {process.returncode}:\n{tail}")
    return Sample(seconds=float(report[0]), peak_mb=int(report[1]) / 1024, stdout=stdout)


@contextlib.contextmanager
def _tempname() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        yield str(Path(folder) / "rusage")


def _tempfile() -> Any:
    return tempfile.TemporaryFile()


def python(*args: str | Path) -> list[str | Path]:
    """A command line running this interpreter (the project's venv)."""
    return [sys.executable, *args]


def tool(name: str) -> Path:
    """A console script installed beside this interpreter (papermill, jupyter...)."""
    return BIN / name


@dataclass
class Stats:
    """Median, min and max of several samples, with the largest peak memory."""

    median: float
    low: float
    high: float
    runs: int
    peak_mb: float | None = None
    values: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, values: Sequence[float], peaks: Sequence[float] = ()) -> Stats:
        """Summarise `values` (at least one)."""
        return cls(
            median=statistics.median(values),
            low=min(values),
            high=max(values),
            runs=len(values),
            peak_mb=max(peaks) if peaks else None,
            values=[round(v, 6) for v in values],
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` percentile by linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
