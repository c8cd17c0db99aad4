"""`python -m bench.workbook_start`: how long an officer waits for the workbook's list.

Measured in real Chromium, from asking for the page to the first action's ID
button being clickable (visible, enabled, not moving: playwright's actionability
check), against the floor of the same run: a one-widget Voila notebook (a
Button) served by plain Voila, timed to its button being clickable. Three rows:

- **one-widget notebook**: plain `voila one_widget.ipynb`, a new kernel per page;
- **workbook, as served**: `actionplan workbook` (the project's template, a
  pre-heated kernel); the page is opened after the pool has refilled
  (`--settle` seconds), as when an officer opens it during the day;
- **workbook, cold kernel**: the same notebook and template with no pre-heated
  kernel, as when a second officer opens it in the seconds after the first.

Each run opens the three pages in turn; the table gives medians and the ratio
to the one-widget notebook. Nothing is asserted; docs/performance.md quotes it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .runner import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ONE_WIDGET = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "one-widget",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets\n", "ipywidgets.Button(description='Ready')"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        argv, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_serving(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise RuntimeError(f"nothing serving on port {port}")


def _time_page(browser, url: str, selector: str) -> float:
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.set_default_timeout(180_000)
    started = time.perf_counter()
    page.goto(url)
    page.locator(selector).first.click(trial=True)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def measure(db: Path, runs: int, settle: float, work: Path) -> dict[str, list[float]]:
    """Open each page `runs` times; seconds to clickable for each row."""
    from playwright.sync_api import sync_playwright

    from actionplan.workbook.serve import NOTEBOOK, TEMPLATES, voila_command

    one = work / "one_widget.ipynb"
    one.write_text(json.dumps(ONE_WIDGET))
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "ACTIONPLAN_DB": str(db),
        "ACTIONPLAN_USER": "Bench Officer",
        "JUPYTER_PATH": str(TEMPLATES),
    }
    ports = {name: _port() for name in ("one", "served", "cold")}
    cold = [arg for arg in voila_command(NOTEBOOK, ports["cold"]) if "preheat" not in arg]
    servers = [
        _start(
            [
                str(bin_dir / "voila"),
                str(one),
                "--no-browser",
                f"--port={ports['one']}",
                "--Voila.ip=127.0.0.1",
            ],
            env,
            work / "one.log",
        ),  # fmt: skip
        _start(
            [
                str(bin_dir / "actionplan"),
                "--db",
                str(db),
                "workbook",
                "--port",
                str(ports["served"]),
            ],
            env,
            work / "served.log",
        ),  # fmt: skip
        _start(cold, env, work / "cold.log"),
    ]
    rows: dict[str, list[float]] = {"one": [], "served": [], "cold": []}
    try:
        for port in ports.values():
            _wait_serving(port)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(runs):
                time.sleep(settle)  # the served workbook's pool refills, the machine calms
                url = "http://127.0.0.1:{}/"
                rows["one"].append(_time_page(browser, url.format(ports["one"]), ".widget-button"))
                rows["served"].append(_time_page(browser, url.format(ports["served"]), ".ap-open"))
                rows["cold"].append(_time_page(browser, url.format(ports["cold"]), ".ap-open"))
                print(
                    f"run {run + 1}: "
                    + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in rows.items()),
                    file=sys.stderr,
                )
            browser.close()
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT if server is servers[1] else signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    return rows


def table(rows: dict[str, list[float]]) -> Table:
    """The medians, ranges and ratios to the one-widget notebook."""
    names = {
        "one": "one-widget notebook (plain Voila)",
        "served": "workbook, as served (actionplan workbook)",
        "cold": "workbook, cold kernel",
    }
    floor = statistics.median(rows["one"])
    out = Table(title="Opening the page to the list being clickable (Chromium, 1,024 px)")
    for heading in ("page", "median", "min", "max", "n", "ratio to one widget"):
        out.add_column(heading, justify="left" if heading == "page" else "right")
    for key, values in rows.items():
        median = statistics.median(values)
        out.add_row(
            names[key],
            f"{median:.2f} s",
            f"{min(values):.2f} s",
            f"{max(values):.2f} s",
            str(len(values)),
            f"{median / floor:.2f}",
        )
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure, print the table, and optionally save the samples as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.workbook_start", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=25.0, help="Seconds before each run.")
    parser.add_argument("--db", type=Path, default=None, help="A plan (default: the demo plan).")
    parser.add_argument("--out", type=Path, default=None, help="Write the samples here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="workbook-start-") as folder:
        work = Path(folder)
        db = args.db
        if db is None:
            db = work / "demo.db"
            subprocess.run(
                [str(Path(sys.executable).parent / "actionplan"), "--db", str(db), "init",
                 "--demo"],
                check=True, capture_output=True, cwd=ROOT,
            )  # fmt: skip
        elif not db.exists():
            parser.error(f"{db} does not exist")
        else:
            db = Path(shutil.copy(db, work / db.name))
        rows = measure(db.resolve(), args.runs, args.settle, work)
    Console().print(table(rows))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
