"""Rendering the quarterly report: papermill, then nbconvert, written atomically.

`render_report` runs `notebooks/quarterly_report.ipynb` with papermill in this
process, exports the executed notebook with our own nbconvert template (no
code, no prompts, no scripts, nothing fetched from another host), and renames
the HTML and the executed notebook into `reports/<quarter>/`. Scheduled runs
rely on three promises:

- a failed or killed run leaves the previous report exactly as it was (every
  file is written to a temporary name in the same folder, then `os.replace`d);
- two runs never write the same report at once (a lock file per quarter; a lock
  left by a killed run is noticed and taken over);
- a failure is one line naming the report section and the error, with the
  failed notebook kept as `actionplan-<quarter>.failed.ipynb` for a person.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from .errors import ActionPlanError, ReportError
from .quarters import Quarter
from .report_content import SECTION_HEADINGS
from .report_html import Markup, Table, day, percent, text
from .store import Store
from .summary import PlanData, latest_quarter, quarter_summary

#: Set this to render a council's own copy of the report notebook.
NOTEBOOK_ENV = "ACTIONPLAN_REPORT_NOTEBOOK"
DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quarterly_report.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "actionplan_report"
#: Cells that never reach the HTML: the notebook's own notes and its parameters.
REMOVED_TAGS = frozenset({"parameters", "injected-parameters", "notebook-only"})
#: A lock from another machine older than this is taken to be abandoned.
FOREIGN_LOCK_SECONDS = 3600

_LABEL = re.compile(r"^\d{4}-\d{2}-Q[1-4]$")

# nbformat imports jsonschema, which imports rfc3987_syntax when it is
# installed (jupyter-events pulls it in) and builds some forty lark parsers at
# import time, for IRI format checks nbformat never makes: 1 s of every report
# on a quiet machine, several on a busy one. Marking it absent makes jsonschema
# skip those two checks. See docs/performance.md.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportPaths:
    """Where one quarter's report and its companions live."""

    folder: Path
    label: str

    @property
    def html(self) -> Path:
        """The report managers read."""
        return self.folder / f"actionplan-{self.label}.html"

    @property
    def notebook(self) -> Path:
        """The executed notebook, kept for audit."""
        return self.folder / f"actionplan-{self.label}.ipynb"

    @property
    def failed(self) -> Path:
        """The notebook of the last failed run, for a person to open."""
        return self.folder / f"actionplan-{self.label}.failed.ipynb"

    @property
    def lock(self) -> Path:
        """Held while a run writes this quarter's report."""
        return self.folder / f".actionplan-{self.label}.lock"

    def running(self) -> Path:
        """The notebook papermill writes while this run is in progress."""
        return self.folder / f".actionplan-{self.label}.running-{os.getpid()}.ipynb"


def report_notebook() -> Path:
    """The notebook to render: `ACTIONPLAN_REPORT_NOTEBOOK`, else the shipped one."""
    chosen = Path(os.environ.get(NOTEBOOK_ENV) or DEFAULT_NOTEBOOK)
    if not chosen.is_file():
        raise ReportError(f"report notebook {chosen} does not exist; set {NOTEBOOK_ENV}")
    return chosen


# -- files ---------------------------------------------------------------------


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see the old one or the new one, never half of it."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_is_stale(path: Path) -> bool:
    try:
        holder = json.loads(path.read_text())
    except (OSError, ValueError):
        return True
    if holder.get("host") != socket.gethostname():
        return time.time() - path.stat().st_mtime > FOREIGN_LOCK_SECONDS
    return not _pid_alive(int(holder.get("pid", 0)))


@contextlib.contextmanager
def report_lock(path: Path) -> Iterator[None]:
    """Hold the lock of one quarter's report; take over one left by a killed run.

    Raises:
        ReportError: another live run holds the lock.
    """
    holder = json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now(UTC).isoformat()}
    )
    for _attempt in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if not _lock_is_stale(path):
                raise ReportError(
                    f"another run is writing this report (lock {path}); "
                    "wait for it to finish, or delete the lock if no run is going"
                ) from None
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(holder)
        break
    else:
        raise ReportError(f"could not take the lock {path}")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


# -- running the notebook ------------------------------------------------------------


def _db_parameter(store: Store) -> tuple[str, dict[str, str]]:
    """The `db` parameter for the notebook, and environment to set while it runs.

    A password never goes into the parameters (they are saved in the audit
    notebook): such a URL reaches the kernel through `ACTIONPLAN_DB` instead.
    """
    if store.path is not None:
        return str(store.path.resolve()), {}
    if make_url(store.url).password:
        return "", {"ACTIONPLAN_DB": store.url}
    return store.url, {}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _failed_section(notebook: Any) -> str:
    """The report section of the cell that raised, from its `section-*` tag.

    Found by its error output rather than papermill's cell index, which the
    error-marker cells papermill inserts make unreliable.
    """
    if notebook is None:
        return "unknown"
    for index, cell in enumerate(notebook.cells):
        if not any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            continue
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag == "section-setup":
                return "loading the plan"
            if tag.startswith("section-"):
                key = tag.removeprefix("section-")
                return SECTION_HEADINGS.get(key, key)
        return f"cell {index}"
    return "unknown"


def _first_line(text: Any) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def execute(
    paths: ReportPaths,
    parameters: dict[str, Any],
    environment: dict[str, str],
    km: Any = None,
) -> Any:
    """Run the report notebook with papermill; on failure keep it and raise one line.

    Args:
        paths: where the running and failed notebooks go.
        parameters: `quarter`, `db` and `audience`.
        environment: variables the kernel needs (set only while it starts).
        km: a started kernel manager to reuse (render_all), or None for a new kernel.

    Raises:
        ReportError: naming the section that failed and the error.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    running = paths.running()
    try:
        with _environment(environment), _kernel(km) as manager:
            executed = papermill.execute_notebook(
                str(report_notebook()),
                str(running),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(Path.cwd()),
                km=manager,
                shutdown_kernel="immediate",
            )
    except PapermillExecutionError as error:
        kept = _keep_failed(running, paths)
        notebook = nbformat.read(kept, as_version=4) if kept else None
        section = _failed_section(notebook)
        raise ReportError(
            f'report section "{section}" failed: {error.ename}: {_first_line(error.evalue)} '
            f"(failed notebook kept at {kept or running})"
        ) from None
    except ReportError:
        raise
    except Exception as error:  # the kernel died, would not start, or timed out
        kept = _keep_failed(running, paths)
        reason = _first_line(error) or type(error).__name__
        raise ReportError(
            f"report for {paths.label} failed while running the notebook: "
            f"{type(error).__name__}: {reason}"
            + (f" (failed notebook kept at {kept})" if kept else "")
        ) from None
    return executed


@contextlib.contextmanager
def _kernel(km: Any = None) -> Iterator[Any]:
    """A kernel manager for one run: the one given, or a new one shut down afterwards."""
    if km is not None:
        yield km
        return
    with tempfile.TemporaryDirectory(prefix="actionplan-kernel-") as folder:
        manager = new_kernel_manager(Path(folder))
        try:
            yield manager
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)


def new_kernel_manager(folder: Path) -> Any:
    """A python3 kernel talking over IPC sockets in `folder`.

    IPC keeps the kernel's traffic off the network and spares scheduled runs
    ipykernel's warning about unencrypted TCP on every run.
    """
    from jupyter_client.manager import KernelManager

    return KernelManager(kernel_name="python3", transport="ipc", ip=str(folder / "kernel"))


def _keep_failed(running: Path, paths: ReportPaths) -> Path | None:
    if not running.exists():
        return None
    os.replace(running, paths.failed)
    return paths.failed


def export_html(notebook: Any) -> str:
    """The executed notebook as the report page (our template, code and tags removed)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS), enabled=True), enabled=True
    )
    body, _resources = exporter.from_notebook_node(notebook)
    return body


def _resolve(store: Store, quarter: str | Quarter) -> Quarter:
    if isinstance(quarter, Quarter):
        return quarter
    if str(quarter).strip().lower() == "latest":
        return latest_quarter(store)
    from .quarters import parse_quarter

    return parse_quarter(str(quarter), first_month=store.first_month)


def render_report(
    store: Store,
    quarter: str | Quarter,
    out_dir: str | Path = "reports",
    audience: str = "internal",
    *,
    km: Any = None,
    refresh_index: bool = True,
) -> Path:
    """Render one quarter's report; return the path of its HTML.

    Args:
        store: the plan.
        quarter: `2024-25-Q3`, `current`, `previous` or `latest`.
        out_dir: folder holding one sub-folder per quarter and `index.html`.
        audience: `internal` or `public` (SPEC section 6).
        km: a started kernel manager to reuse (used by `render_all`).
        refresh_index: rewrite `index.html` afterwards if the folder has one.

    Raises:
        ReportError: the notebook failed (the message names the section), or
            another run holds this quarter's lock. The previous report is untouched.
    """
    import nbformat

    if audience not in ("internal", "public"):
        raise ReportError(f"audience {audience!r} is not internal or public")
    chosen = _resolve(store, quarter)
    out = Path(out_dir)
    paths = ReportPaths(out / chosen.label, chosen.label)
    paths.folder.mkdir(parents=True, exist_ok=True)
    db, environment = _db_parameter(store)
    with report_lock(paths.lock):
        for leftover in paths.folder.glob(f".actionplan-{chosen.label}.running-*.ipynb"):
            leftover.unlink(missing_ok=True)
        executed = execute(
            paths, {"quarter": chosen.label, "db": db, "audience": audience}, environment, km
        )
        executed.metadata["actionplan"] = {
            "title": f"{store.council}: improvement action plan, {chosen.in_words()}",
            "quarter": chosen.label,
            "audience": audience,
        }
        try:
            page = export_html(executed)
        except Exception as error:
            _keep_failed(paths.running(), paths)
            raise ReportError(
                f"report for {chosen.label} could not be written as HTML: {_first_line(error)}"
            ) from None
        atomic_write(paths.html, page)
        atomic_write(paths.notebook, nbformat.writes(executed))
        paths.running().unlink(missing_ok=True)
        paths.failed.unlink(missing_ok=True)
    if refresh_index and (out / "index.html").exists():
        write_index(store, out, audience)
    return paths.html


def render_all(
    store: Store,
    out_dir: str | Path = "reports",
    audience: str = "internal",
    progress: bool = True,
    workers: int | None = None,
) -> list[Path]:
    """Render every quarter that has data, then `index.html`; return every path.

    This process and `workers - 1` helper processes (`actionplan.report_worker`,
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

    Raises:
        ReportError: a quarter failed; the message is the failure of the earliest
            quarter that failed. Every other quarter's previous report is
            untouched, and no helper or kernel is left running.
    """
    from rich.progress import Progress

    quarters = store.data_quarters()
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    if audience not in ("internal", "public"):
        raise ReportError(f"audience {audience!r} is not internal or public")
    count = default_workers(len(quarters)) if workers is None else workers
    count = max(1, min(count, len(quarters)))
    out = Path(out_dir)
    work = _Work(quarters)
    helpers: list[_Helper] = []
    try:
        helpers.extend(_Helper(store, out, audience, work) for _ in range(count - 1))
        with Progress(disable=not progress, transient=True) as bar:
            task = bar.add_task("Rendering reports", total=len(quarters))
            work.on_done = lambda: bar.advance(task)
            for helper in helpers:
                helper.listen()
            with tempfile.TemporaryDirectory(prefix="actionplan-kernel-") as folder:
                km = new_kernel_manager(Path(folder))
                try:
                    km.start_kernel(cwd=str(Path.cwd()), **_kernel_env(store))
                    while (label := work.take()) is not None:
                        try:
                            path = render_report(
                                store, label, out, audience, km=km, refresh_index=False
                            )
                        except ReportError as error:
                            work.finished(label, error=str(error))
                            break
                        work.finished(label, path=path)
                finally:
                    km.shutdown_kernel(now=True)
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
    """One `actionplan.report_worker` process, and the thread that feeds it quarters."""

    def __init__(self, store: Store, out: Path, audience: str, work: _Work) -> None:
        self.work = work
        # Closed in stop(), which render_all always calls.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.stopping = False
        self.reader: threading.Thread | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "actionplan.report_worker", str(out.resolve()), audience],
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


def _kernel_env(store: Store) -> dict[str, Any]:
    _db, environment = _db_parameter(store)
    if not environment:
        return {}
    return {"env": {**os.environ, **environment}}


# -- the index page -------------------------------------------------------------------


def write_index(store: Store, out_dir: str | Path, audience: str = "internal") -> Path:
    """Write `index.html` linking every quarter's report in `out_dir`, newest first."""
    out = Path(out_dir)
    data = PlanData.load(store)
    found = sorted(
        (folder.name for folder in out.iterdir() if folder.is_dir() and _LABEL.match(folder.name)),
        reverse=True,
    )
    rows = []
    for label in found:
        paths = ReportPaths(out / label, label)
        if not paths.html.exists():
            continue
        quarter = data.quarter(label)
        actions = quarter_summary(data, quarter)["actions"]
        link = f'<a href="{label}/{paths.html.name}">{text(quarter.in_words())}</a>'
        rows.append(
            [
                Markup(link),
                day(quarter.end),
                actions["total"],
                actions["by_rag"]["red"],
                actions["overdue"],
                actions["completed_in_quarter"],
                percent(actions["on_time_rate"]),
            ]
        )
    table = Table(
        "Quarterly reports, newest first, with their headline figures",
        ["Quarter", "As at", "Actions", "Red", "Overdue", "Completed", "On time"],
        rows,
        numeric=range(2, 7),
        css_class="index-table",
    )
    css = (TEMPLATES / TEMPLATE_NAME / "report.css").read_text()
    council = text(store.council)
    version = "public version" if audience == "public" else "internal version"
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{council}: improvement action plan reports</title>\n<style>\n{css}\n</style>\n"
        "</head>\n<body>\n<main>\n"
        f'<header class="report-title"><p class="eyebrow">{council} · Adult social care</p>'
        f"<h1>Improvement action plan: quarterly reports</h1>"
        f"<p>Every quarter's report ({version}). Updated "
        f"{datetime.now(UTC):%-d %b %Y %H:%M} UTC.</p></header>\n"
        f"{table.to_html()}\n</main>\n</body>\n</html>\n"
    )
    index = out / "index.html"
    atomic_write(index, page)
    return index
