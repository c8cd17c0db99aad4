"""Where one quarter's report spends its time: `python -m bench.report_phases DB [--runs 3]`.

Each run is a new process doing what `actionplan report --quarter latest`
does, in the same order (the kernel first, then this process's imports, the
plan, papermill, the export, the writes), with a clock read between the
steps; the notebook's own cells are timed by papermill (`metadata.papermill`
of the executed notebook kept beside the report). Python's own start-up,
before the first line runs, is measured separately as `python -c pass`.
The kernel's start and its imports run beside this process's steps, so the
phases of the two processes overlap: the table gives both.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
clock = [("start", time.perf_counter())]
def mark(name):
    clock.append((name, time.perf_counter()))
db, out = sys.argv[1], sys.argv[2]
from actionplan.report.kernel import started_kernel
mark("import jupyter_client (kernel.py)")
with started_kernel(db) as km:
    mark("kernel process launched")
    from actionplan.report import run as run_module
    from actionplan.report.render import render_report
    mark("parent imports (the store: pandas, SQLAlchemy)")
    from actionplan.store import open_store
    store = open_store(db)
    mark("open the plan")
    timed = {}
    def wrap(name, function):
        def inner(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timed[name] = timed.get(name, 0) + time.perf_counter() - started
        return inner
    import actionplan.report.render as render_module
    render_module.execute = wrap("papermill (its imports, kernel ready, cells, save)", render_module.execute)
    render_module.export_html = wrap("nbconvert export", render_module.export_html)
    render_module.atomic_write = wrap("write HTML and notebook", render_module.atomic_write)
    html = render_report(store, "latest", out, km=km)
    mark("render_report")
    notebook = json.loads(html.with_name(html.name.replace(".html", ".ipynb")).read_text())
mark("kernel shut down")
cells = [
    (cell.get("metadata", {}).get("tags", ["?"])[0], cell["metadata"]["papermill"].get("duration"))
    for cell in notebook["cells"]
    if cell["cell_type"] == "code"
]
print(json.dumps({"clock": clock, "timed": timed, "cells": cells}))
"""


def one_run(db: Path) -> dict:
    """One report in a new process; the phases in seconds."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), out],
            capture_output=True,
            text=True,
            check=True,
        )
        total = time.perf_counter() - started
    found = json.loads(done.stdout.strip().splitlines()[-1])
    clock = found["clock"]
    phases = {
        name: clock[index][1] - clock[index - 1][1]
        for index, (name, _) in enumerate(clock)
        if index
    }
    phases["(of render_report) " + "papermill (its imports, kernel ready, cells, save)"] = found[
        "timed"
    ].get("papermill (its imports, kernel ready, cells, save)", 0)
    for name in ("nbconvert export", "write HTML and notebook"):
        phases[f"(of render_report) {name}"] = found["timed"].get(name, 0)
    for tag, seconds in found["cells"]:
        phases[f"(of papermill) cell {tag}"] = seconds or 0
    phases["whole process"] = total
    return phases


def main(argv: list[str] | None = None) -> None:
    """Print the median of each phase over the runs, and Python's start-up."""
    parser = argparse.ArgumentParser(prog="python -m bench.report_phases")
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    one_run(args.db)  # warms the disk cache, not counted
    runs = [one_run(args.db) for _ in range(args.runs)]
    starts = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        starts.append(time.perf_counter() - started)
    print(f"| phase | median s (of {args.runs}) |\n|---|---:|")
    print(f"| python start-up (`python -c pass`) | {statistics.median(starts):.3f} |")
    for name in runs[0]:
        print(f"| {name} | {statistics.median(run[name] for run in runs):.3f} |")


if __name__ == "__main__":
    main()
