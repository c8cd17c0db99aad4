"""`report --all`: every quarter's report, on every core.

See `render_all`. Helper processes are `actionplan.report.worker`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..errors import ActionPlanError, ReportError
from ..quarters import Quarter
from ..store import Store
from ..vocab import AUDIENCES
from .index import write_index
from .kernel import started_kernel
from .paths import make_folder
from .pdf import find_chromium
from .render import render_report


def render_all(
    store: Store,
    out_dir: str | Path = "reports",
    audience: str = "internal",
    progress: bool = True,
    workers: int | None = None,
    pdf: bool = False,
    km: Any = None,
) -> list[Path]:
    """Render every quarter that has data, then `index.html`; return every path.

    This process and `workers - 1` helper processes (`actionplan.report.worker`,
    one per further core by default) take the quarters one at a time, oldest
    first, each as soon as it is free, so a helper that starts late takes
    fewer. Each process starts one kernel and reuses it for its quarters (every
    notebook run re-imports and re-reads what it uses, so runs do not leak into
    each other): a kernel start per process, not per quarter, and the cells and
    HTML exports of different quarters run on different cores. Helpers are
    started first so that their imports and kernels overlap with ours.

    Args:
        store: the plan.
        out_dir: folder holding one sub-folder per quarter and `index.html`.
        audience: `internal` or `public`.
        progress: show a progress bar on the terminal.
        workers: processes to use, this one included; None for `default_workers`.
        pdf: also print each quarter's page to PDF beside it (needs Chromium).
        km: a started kernel for this process (`kernel.started_kernel`), left
            running; by default one is started here.

    Raises:
        ReportError: a quarter failed; the message is the failure of the earliest
            quarter that failed. Every other quarter's previous report is
            untouched, and no helper or kernel is left running.
    """
    from rich.progress import Progress

    if pdf:
        find_chromium()
    quarters = store.data_quarters()
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    if audience not in AUDIENCES:
        raise ReportError(f"audience {audience!r} is not {' or '.join(AUDIENCES)}")
    count = default_workers(len(quarters)) if workers is None else workers
    count = max(1, min(count, len(quarters)))
    out = Path(out_dir)
    make_folder(out)
    work = _Work(quarters)
    helpers: list[_Helper] = []
    try:
        helpers.extend(_Helper(store, out, audience, work, pdf) for _ in range(count - 1))
        with Progress(disable=not progress, transient=True) as bar:
            task = bar.add_task("Rendering reports", total=len(quarters))
            work.on_done = lambda: bar.advance(task)
            for helper in helpers:
                helper.listen()
            with contextlib.ExitStack() as kernel:
                if km is None:
                    km = kernel.enter_context(started_kernel(store.url))
                while (label := work.take()) is not None:
                    try:
                        path = render_report(
                            store, label, out, audience, km=km, refresh_index=False, pdf=pdf
                        )
                    except ReportError as error:
                        work.finished(label, error=str(error))
                        break
                    work.finished(label, path=path)
            while not work.failed.is_set() and any(helper.running() for helper in helpers):
                work.failed.wait(0.1)
    finally:
        work.close()
        for helper in helpers:
            helper.stop()
    if work.failures:
        first = min(work.failures, key=work.labels.index)
        raise ReportError(work.failures[first])
    missing = [label for label in work.labels if label not in work.done]
    if missing:
        raise ReportError(f"reports for {', '.join(missing)} were not written")
    written = [work.done[label] for label in work.labels]
    written.append(write_index(store, out, audience))
    return written


def default_workers(quarters: int) -> int:
    """How many processes `render_all` uses: one per core, at most 4 and one per quarter.

    See docs/performance.md ("report --all in parallel") for the measurements.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS, quarters))


#: `render_all` uses at most this many processes, however many cores there are.
MAX_WORKERS = 4
#: Seconds a helper has to stop (shutting its kernel down) before it is killed.
STOP_SECONDS = 10


class _Work:
    """The quarters `render_all` has left to hand out, and what came back."""

    def __init__(self, quarters: list[Quarter]) -> None:
        self.labels = [quarter.label for quarter in quarters]
        self.pending = list(reversed(self.labels))
        self.done: dict[str, Path] = {}
        self.failures: dict[str, str] = {}
        self.failed = threading.Event()
        self.on_done: Any = None
        self._lock = threading.Lock()

    def take(self) -> str | None:
        """The next quarter to render, or None when none is left or one failed."""
        with self._lock:
            if self.failed.is_set() or not self.pending:
                return None
            return self.pending.pop()

    def close(self) -> None:
        """Hand out nothing more (render_all is finishing, or was interrupted)."""
        with self._lock:
            self.pending.clear()

    def finished(self, label: str, path: Path | None = None, error: str | None = None) -> None:
        """Record one quarter's report, or its failure (which stops the handing out)."""
        with self._lock:
            if error is not None:
                self.failures[label] = error
                self.failed.set()
                return
            self.done[label] = Path(path or "")
        if self.on_done is not None:
            self.on_done()


class _Helper:
    """One `actionplan.report.worker` process, and the thread that feeds it quarters."""

    def __init__(self, store: Store, out: Path, audience: str, work: _Work, pdf: bool) -> None:
        self.work = work
        # Closed in stop(), which render_all always calls.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.stopping = False
        self.reader: threading.Thread | None = None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "actionplan.report.worker",
                str(out.resolve()),
                audience,
                *(["--pdf"] if pdf else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "ACTIONPLAN_DB": store.url},
            text=True,
        )

    def listen(self) -> None:
        """Start the thread that hands the helper quarters and reads its answers."""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _give(self) -> str | None:
        label = self.work.take()
        try:
            assert self.process.stdin is not None
            if label is None:
                self.process.stdin.close()
            else:
                self.process.stdin.write(label + "\n")
                self.process.stdin.flush()
        except (OSError, ValueError):  # it stopped; _read notices
            pass
        return label

    def _read(self) -> None:
        holding: str | None = None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if "error" in message:
                if holding is not None:  # before its first quarter, we carry on without it
                    self.work.finished(holding, error=message["error"])
                holding = None
                break
            if "path" in message:
                self.work.finished(message["quarter"], path=Path(message["path"]))
            holding = self._give()
        status = self.process.wait()
        if holding is not None and not self.stopping:
            self.errors.seek(0)
            said = self.errors.read().decode("utf-8", "replace").splitlines()
            last = next((line.strip() for line in reversed(said) if line.strip()), "")
            self.work.finished(
                holding,
                error=f"report for {holding} failed: its helper process stopped "
                f"(exit status {status})" + (f": {last}" if last else ""),
            )

    def running(self) -> bool:
        """True while the helper may still render a quarter."""
        return self.reader is not None and self.reader.is_alive()

    def stop(self) -> None:
        """Make sure the helper has exited: ask (stdin closed, SIGTERM), then kill."""
        self.stopping = True
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        if self.process.poll() is None:  # render_all was interrupted or a quarter failed
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.reader is not None:
            self.reader.join(STOP_SECONDS)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()
