"""`python -m bench.markdown [results.json]`: the results as Markdown for docs/performance.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .runner import ROOT


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def render(results: dict[str, Any]) -> str:
    """The machine, the table and the goals, as Markdown."""
    machine = results["machine"]
    lines = [
        f"Measured {machine['date']} on {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['memory_gb']} GB RAM, {machine['platform']}; Python {machine['python']}, "
        f"pandas {machine['pandas']}, SQLAlchemy {machine['sqlalchemy']}, SQLite "
        f"{machine['sqlite']}; commit {machine['commit']}. Whole run: "
        f"{results['wall_seconds']:.0f} s.",
        "",
        "| measurement | scale | median | min | max | n | peak MB | notes |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["rows"]:
        stats = row["stats"]
        if row["error"] or not stats:
            reason = (row["error"] or "?").strip().splitlines()[-1]
            lines.append(
                f"| {row['name']} | {row['scale']} | - | - | - | - | - | not measured: {reason} |"
            )
            continue
        peak = f"{stats['peak_mb']:.0f}" if stats["peak_mb"] else "-"
        lines.append(
            f"| {row['name']} | {row['scale']} | {_seconds(stats['median'])} | "
            f"{_seconds(stats['low'])} | {_seconds(stats['high'])} | {stats['runs']} | {peak} | "
            f"{row['note']} |"
        )
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    for goal in results["goals"]:
        met = {True: "**met**", False: "**not met**", None: "not measured"}[goal["met"]]
        lines.append(f"| {goal['goal']} | {goal['measured']} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the Markdown of a results file (default bench/results.json)."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results.json"
    sys.stdout.write(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
