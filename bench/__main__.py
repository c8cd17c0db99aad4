"""`python -m bench`: run the benchmark, print the table, write bench/results.json."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from . import plans
from .runner import ROOT
from .suite import Bench, Settings, write_results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="S and M only, fewer runs.")
    parser.add_argument("--scales", default=None, help="Comma-separated scales, e.g. S,M.")
    parser.add_argument("--runs", type=int, default=None, help="Runs per measurement.")
    parser.add_argument("--saves", type=int, default=None, help="Workbook saves per scale.")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-floors", action="store_true", help="Skip the floor rows.")
    parser.add_argument("--no-report", action="store_true", help="Skip the report rows.")
    parser.add_argument("--work", type=Path, default=plans.WORK, help="Cache folder.")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results.json", help="Results file."
    )
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    """Turn the command line into how much to run."""
    settings = Settings(seed=args.seed, work=args.work, report=not args.no_report)
    if args.quick:
        settings.scales = ("S", "M")
        settings.runs = 3
        settings.import_runs = {"S": 3, "M": 1, "L": 1}
        settings.saves = 100
    if args.scales:
        settings.scales = tuple(s.strip().upper() for s in args.scales.split(",") if s.strip())
    if args.runs:
        settings.runs = args.runs
        settings.heavy_runs = min(settings.heavy_runs, args.runs)
        settings.import_runs = {k: min(v, args.runs) for k, v in settings.import_runs.items()}
    if args.saves:
        settings.saves = args.saves
    return settings


def _cell(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s" and value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} {unit}"


def table(results: dict[str, Any]) -> Table:
    """The results as a rich table."""
    machine = results["machine"]
    shown = Table(
        title=f"actionplan benchmark, {machine['date']}, {machine['cores']} cores, {machine['cpu']}",
        title_justify="left",
    )
    for heading, justify in (
        ("measurement", "left"),
        ("scale", "center"),
        ("median", "right"),
        ("min", "right"),
        ("max", "right"),
        ("n", "right"),
        ("peak MB", "right"),
        ("notes", "left"),
    ):
        shown.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for row in results["rows"]:
        stats = row["stats"]
        if row["error"] or not stats:
            reason = (row["error"] or "").strip().splitlines()
            shown.add_row(
                row["name"],
                row["scale"],
                "-",
                "-",
                "-",
                "-",
                "-",
                "not measured: " + (reason[-1] if reason else "?"),
            )
            continue
        shown.add_row(
            row["name"],
            row["scale"],
            _cell(stats["median"], row["unit"]),
            _cell(stats["low"], row["unit"]),
            _cell(stats["high"], row["unit"]),
            str(stats["runs"]),
            f"{stats['peak_mb']:.0f}" if stats["peak_mb"] else "-",
            row["note"],
        )
    return shown


def goals_table(results: dict[str, Any]) -> Table:
    """Each goal, measured, met or not."""
    shown = Table(title="Goals", title_justify="left")
    shown.add_column("goal")
    shown.add_column("measured")
    shown.add_column("met")
    for goal in results["goals"]:
        met = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
        shown.add_row(goal["goal"], goal["measured"], met)
    return shown


def main(argv: list[str] | None = None) -> None:
    """Run every measurement the settings ask for."""
    args = parse(argv)
    settings = settings_from(args)
    started = time.perf_counter()
    bench = Bench(settings)
    if not args.no_floors:
        bench.log("floors")
        bench.floors()
    for scale in settings.scales:
        bench.log(f"scale {scale}")
        db = bench.plan(scale)
        if db is None:
            continue
        if scale == "S":
            bench.startup(db)
        bench.summaries(scale, db)
        bench.saves(scale, db)
        if settings.report and scale == "S":
            bench.reports(scale, db)
    results = write_results(bench, args.out, started)
    console = Console(width=200)
    console.print(table(results))
    console.print(goals_table(results))
    console.print(f"Wrote {args.out} ({results['wall_seconds']:.0f}s)")


if __name__ == "__main__":
    main()
