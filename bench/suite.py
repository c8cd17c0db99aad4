"""The benchmark: every measurement of issue 7, collected into rows and goals.

Each row is one measurement at one scale: median, min and max seconds over its
runs, and the largest peak memory any run reached. Rows that could not be
measured (a missing module, a failed command) are kept with the reason, so the
table always shows every line.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import floors, plans
from .goals import goals
from .runner import ROOT, BenchError, Sample, Stats, percentile, python, run, tool

QUARTER_ENV = {"PYTHONHASHSEED": "0"}


@dataclass
class Row:
    """One line of the table."""

    name: str
    scale: str
    stats: Stats | None = None
    unit: str = "s"
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The row as results.json stores it."""
        data = asdict(self)
        return data


@dataclass
class Settings:
    """How much to run."""

    scales: tuple[str, ...] = ("S", "M", "L")
    runs: int = 5
    heavy_runs: int = 3
    import_runs: dict[str, int] = field(default_factory=lambda: {"S": 5, "M": 3, "L": 1})
    saves: int = 200
    seed: int = 2024
    work: Path = plans.WORK
    report: bool = True

    def runs_for(self, scale: str) -> int:
        """Runs of a measurement at `scale` (fewer at L, where one run takes seconds)."""
        return self.heavy_runs if scale == "L" else self.runs


@dataclass
class Bench:
    """Collects rows while the measurements run, printing progress to stderr."""

    settings: Settings
    rows: list[Row] = field(default_factory=list)
    log: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        if row.error:
            self.log(f"  {row.name} [{row.scale}]: NOT MEASURED: {row.error.splitlines()[0]}")
        elif row.stats:
            self.log(
                f"  {row.name} [{row.scale}]: median {row.stats.median:.3f}{row.unit} "
                f"(min {row.stats.low:.3f}, max {row.stats.high:.3f}, n={row.stats.runs})"
                + (f", peak {row.stats.peak_mb:.0f} MB" if row.stats.peak_mb else "")
                + (f"  {row.note}" if row.note else "")
            )
        return row

    def find(self, name: str, scale: str) -> Row | None:
        return next((r for r in self.rows if r.name == name and r.scale == scale), None)

    # -- the measurements ---------------------------------------------------

    def floors(self) -> None:
        folder = self.settings.work / "floors"
        notebook, script = floors.prepare(folder)
        floors.papermill_nbconvert(notebook)  # warm the disk cache, not counted
        papermill: list[Sample] = []
        nbconvert: list[Sample] = []
        for _ in range(self.settings.runs):
            first, second = floors.papermill_nbconvert(notebook)
            papermill.append(first)
            nbconvert.append(second)
        both = [a.seconds + b.seconds for a, b in zip(papermill, nbconvert, strict=True)]
        peaks = [max(a.peak_mb, b.peak_mb) for a, b in zip(papermill, nbconvert, strict=True)]
        self.add(_row("floor: papermill CLI, one cell", "-", papermill))
        self.add(_row("floor: nbconvert --to html --no-input", "-", nbconvert))
        self.add(
            Row(
                "floor: papermill + nbconvert",
                "-",
                Stats.of(both, peaks),
                note="the CLI floor a report is compared with",
            )
        )
        chart_script = [floors.chart_script(script) for _ in range(self.settings.runs)]
        self.add(_row("floor: python + pandas + matplotlib chart", "-", chart_script))

    def plan(self, scale: str) -> Path | None:
        """Generate (or reuse) the CSVs, measure the import, return the imported database."""
        seed = self.settings.seed
        work = self.settings.work
        work.mkdir(parents=True, exist_ok=True)
        try:
            started = time.perf_counter()
            folder = plans.csv_folder(scale, seed, work)
            generated = time.perf_counter() - started
        except Exception as error:  # noqa: BLE001 - a missing generator is a row, not a crash
            self.add(Row("import whole plan from CSV", scale, error=f"no plan: {error!r}"))
            return None
        if generated > 1:
            self.log(f"  generated the {scale} plan's CSVs in {generated:.1f}s")
        cached = plans.cached_db(scale, seed, work)
        samples: list[Sample] = []
        kept = cached
        caveat = ""
        try:
            for number in range(self.settings.import_runs.get(scale, 1)):
                target = work / f"import-{scale}-{number}.db"
                plans.remove_db(target)
                try:
                    samples.append(run(python("-m", "bench.probe", "import", target, folder)))
                except BenchError as error:
                    if number or "ValidationError" not in str(error):
                        raise
                    # The generated updates do not import in file order: say so, and
                    # measure the same rows in (action_id, as_of) order instead.
                    reason = str(error).strip().splitlines()[-1][:160]
                    self.log(f"  {scale} CSVs refused as written ({reason}); importing sorted")
                    caveat = f"updates.csv sorted by action_id, as_of: as generated it is refused ({reason})"
                    folder = plans.sorted_updates_folder(folder)
                    plans.remove_db(target)
                    samples.append(run(python("-m", "bench.probe", "import", target, folder)))
                if kept is None:
                    kept = plans.keep_db(target, scale, seed, work)
                else:
                    plans.remove_db(target)
        except BenchError as error:
            self.add(Row("import whole plan from CSV", scale, error=str(error)))
            return kept
        inner = [s.payload()["seconds"] for s in samples]
        rows = samples[0].payload()["rows"]
        self.add(
            Row(
                "import whole plan from CSV",
                scale,
                Stats.of(inner, [s.peak_mb for s in samples]),
                note=f"{rows:,} rows, {rows / _median(inner):,.0f} rows/s"
                + (" (updates sorted, see caveat)" if caveat else ""),
                extra={
                    "caveat": caveat,
                    "rows": rows,
                    "rows_per_second": rows / _median(inner),
                    "counts": samples[0].payload()["counts"],
                    "process_seconds": [s.seconds for s in samples],
                },
            )
        )
        return kept

    def summaries(self, scale: str, db: Path) -> None:
        runs = self.settings.runs_for(scale)
        self._probe_row(
            "columnar copy built from nothing (first summary after an import)",
            scale,
            1 if scale == "L" else runs,
            ["copy-build", db],
            lambda p: f"{p['events']:,} events",
        )
        self._probe_row(
            "summary, one quarter (columnar copy + figures)",
            scale,
            runs,
            ["summary", db],
            lambda p: f"{p['quarter']}, {p['events']:,} events",
        )
        quarter = self._latest_quarter(db)
        self._command_row(
            "`actionplan summary --quarter Q --json` (new process)",
            scale,
            runs,
            [tool("actionplan"), "--db", db, "summary", "--quarter", quarter, "--json"],
        )
        self._probe_row(
            "summary, every quarter (columnar copy)",
            scale,
            runs,
            ["summary-all", db],
            lambda p: f"{p['quarters']} quarters {p['first']}..{p['last']}",
        )
        self._probe_row(
            "summary, one quarter, by replay (load + replay + figures)",
            scale,
            runs,
            ["summary-replay", db],
            lambda p: (
                f"{p['quarter']}, {p['events']:,} events, "
                f"load {p['load_seconds']:.2f}s + figures {p['figures_seconds']:.2f}s"
            ),
        )

    def startup(self, db: Path) -> None:
        """Command start-up against its floors, interleaved run by run."""
        runs = self.settings.runs
        commands = {
            "floor: python -c 'import click'": python("-c", "import click"),
            "`actionplan --help` (new process)": [tool("actionplan"), "--help"],
            "floor: python -c 'import pandas, sqlalchemy'": python(
                "-c", "import pandas, sqlalchemy"
            ),
            "`actionplan list` (new process)": [tool("actionplan"), "--db", db, "list"],
        }
        samples: dict[str, list[Sample]] = {name: [] for name in commands}
        try:
            for _ in range(runs + 1):  # the first round warms the disk cache, not counted
                for name, command in commands.items():
                    samples[name].append(run(command))
        except BenchError as error:
            for name in commands:
                self.add(Row(name, "S" if "list" in name else "-", error=str(error)))
            return
        for name, taken in samples.items():
            self.add(_row(name, "S" if "list" in name else "-", taken[1:]))

    def saves(self, scale: str, db: Path) -> None:
        copy = plans.copy_db(db, self.settings.work / f"saves-{scale}.db")
        try:
            sample = run(
                python("-m", "bench.probe", "saves", copy, "--count", str(self.settings.saves))
            )
        except BenchError as error:
            self.add(Row("workbook save (record_update)", scale, error=str(error)))
            return
        finally:
            plans.remove_db(copy)
        timings = sample.payload()["timings"]
        stats = Stats.of(timings, [sample.peak_mb])
        stats.values = []
        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        self.add(
            Row(
                "workbook save (record_update)",
                scale,
                stats,
                note=f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {len(timings)} saves",
                extra={"p50": p50, "p95": p95, "saves": len(timings)},
            )
        )

    def reports(self, scale: str, db: Path) -> None:
        runs = self.settings.runs_for(scale)
        quarter = self._latest_quarter(db)
        out = self.settings.work / f"reports-{scale}"
        one = self._command_row(
            "`actionplan report --quarter Q` (new process)",
            scale,
            runs,
            [tool("actionplan"), "--db", db, "report", "--quarter", quarter, "--out", out],
            fresh=out,
        )
        if one is not None and one.error is None:
            html = sorted(out.rglob(f"*{quarter}*.html"))
            if html:
                size = html[0].stat().st_size
                one.extra["html_bytes"] = size
                one.note = f"{quarter}, HTML {size / 1e6:.2f} MB"
        every = self._command_row(
            "`actionplan report --all` (new process)",
            scale,
            runs,
            [tool("actionplan"), "--db", db, "report", "--all", "--out", out],
            fresh=out,
        )
        if every is not None and every.error is None:
            pages = [p for p in out.rglob("*.html") if p.name != "index.html"]
            every.extra["reports"] = len(pages)
            every.extra["largest_html_bytes"] = max((p.stat().st_size for p in pages), default=0)
            every.note = f"{len(pages)} quarters"

    # -- helpers ------------------------------------------------------------

    def _latest_quarter(self, db: Path) -> str:
        code = (
            "from actionplan.store import open_store;"
            "from actionplan.store.queries import latest_quarter;"
            f"print(latest_quarter(open_store({str(db)!r})).label)"
        )
        return run(python("-c", code)).stdout.strip()

    def _probe_row(
        self,
        name: str,
        scale: str,
        runs: int,
        arguments: list[Any],
        describe: Callable[[dict[str, Any]], str],
    ) -> Row:
        try:
            samples = [run(python("-m", "bench.probe", *arguments)) for _ in range(runs)]
        except BenchError as error:
            return self.add(Row(name, scale, error=str(error)))
        payloads = [s.payload() for s in samples]
        return self.add(
            Row(
                name,
                scale,
                Stats.of([p["seconds"] for p in payloads], [s.peak_mb for s in samples]),
                note=describe(payloads[0]),
                extra={"first": payloads[0]},
            )
        )

    def _command_row(
        self, name: str, scale: str, runs: int, command: list[Any], fresh: Path | None = None
    ) -> Row:
        samples: list[Sample] = []
        try:
            for _ in range(runs):
                if fresh is not None and fresh.exists():
                    shutil.rmtree(fresh)
                samples.append(run(command))
        except BenchError as error:
            return self.add(Row(name, scale, error=str(error)))
        return self.add(_row(name, scale, samples))


def _row(name: str, scale: str, samples: list[Sample], note: str = "") -> Row:
    return Row(
        name, scale, Stats.of([s.seconds for s in samples], [s.peak_mb for s in samples]), note=note
    )


def _median(values: list[float]) -> float:
    return Stats.of(values).median


def machine() -> dict[str, Any]:
    """Where the numbers were measured."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    import pandas
    import sqlalchemy

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": __import__("sqlite3").sqlite_version,
        "commit": commit,
    }


def write_results(bench: Bench, path: Path, started: float) -> dict[str, Any]:
    """Save results.json: machine, settings, rows and goals."""
    settings = asdict(bench.settings)
    settings["work"] = str(bench.settings.work)
    results = {
        "machine": machine(),
        "settings": settings,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "rows": [row.as_json() for row in bench.rows],
        "goals": goals(bench),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return results
