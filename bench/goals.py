"""The goals of issues 7 and 19, each with what this run measured and whether it was met.

Every ratio compares two rows of the same run (the machine is shared, so a
ratio to a floor measured minutes apart would mean little). A goal whose rows
are missing is shown as not measured, never as met.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .suite import Bench, Row

SUMMARY_COMMAND = "`actionplan summary --quarter Q --json` (new process)"


def goals(bench: Bench) -> list[dict[str, Any]]:
    """Each goal with what was measured and whether it was met (None: not measured)."""
    found: list[dict[str, Any]] = []

    def goal(text: str, rows: list[Row | None], judge: Callable[..., tuple[str, bool]]) -> None:
        if all(row is not None and row.stats is not None for row in rows):
            measured, met = judge(*rows)
        else:
            measured, met = "not measured", None
        found.append({"goal": text, "measured": measured, "met": met})

    def ratio(text: str, part: str, whole: str, most: float, scale: str = "S") -> None:
        def judge(one: Row, floor: Row) -> tuple[str, bool]:
            value = one.stats.median / floor.stats.median
            return (
                f"{one.stats.median:.2f}s vs {floor.stats.median:.2f}s ({value:.2f}x)",
                value <= most,
            )

        goal(text, [bench.find(part, scale), bench.find(whole, _scale_of(bench, whole))], judge)

    ratio(
        "S report, one quarter, end to end <= 0.5x the papermill + nbconvert CLI floor",
        "`actionplan report --quarter Q` (new process)",
        "floor: papermill + nbconvert",
        0.5,
    )
    ratio(
        "report --all of the demo's quarters <= 1.5x one quarter's report",
        "`actionplan report --all` (new process)",
        "`actionplan report --quarter Q` (new process)",
        1.5,
    )

    def summary(command: Row) -> tuple[str, bool]:
        peak = command.stats.peak_mb or 0
        return (
            f"{command.stats.median:.2f}s, {peak:.0f} MB",
            command.stats.median < 2 and peak < 1024,
        )

    goal(
        "L summary of one quarter < 2 s and peak < 1 GB (the command, new process)",
        [bench.find(SUMMARY_COMMAND, "L")],
        summary,
    )
    goal(
        "L summary of every quarter < 5 s",
        [bench.find("summary, every quarter (columnar copy)", "L")],
        lambda row: (f"{row.stats.median:.2f}s ({row.note})", row.stats.median < 5),
    )

    def imported(row: Row) -> tuple[str, bool]:
        peak = row.stats.peak_mb or 0
        return (
            f"{row.stats.median:.1f}s, peak {peak:.0f} MB",
            row.stats.median < 60 and peak < 2048,
        )

    goal(
        "L import < 60 s and peak < 2 GB", [bench.find("import whole plan from CSV", "L")], imported
    )
    goal(
        "workbook save p95 < 50 ms on L",
        [bench.find("workbook save (record_update)", "L")],
        lambda row: (f"p95 {row.extra['p95'] * 1000:.1f} ms", row.extra["p95"] < 0.05),
    )
    ratio(
        "`actionplan --help` <= 2x `python -c 'import click'`",
        "`actionplan --help` (new process)",
        "floor: python -c 'import click'",
        2,
        scale="-",
    )
    ratio(
        "`actionplan list` of the demo <= 1.5x `python -c 'import pandas, sqlalchemy'`",
        "`actionplan list` (new process)",
        "floor: python -c 'import pandas, sqlalchemy'",
        1.5,
    )
    sizes = [
        r.extra.get("html_bytes") or r.extra.get("largest_html_bytes")
        for r in bench.rows
        if r.name.startswith("`actionplan report") and r.stats
    ]
    sizes = [s for s in sizes if s]
    found.append(
        {
            "goal": "report HTML < 1.5 MB",
            "measured": f"{max(sizes) / 1e6:.2f} MB (largest)" if sizes else "not measured",
            "met": max(sizes) < 1.5e6 if sizes else None,
        }
    )
    return found


def _scale_of(bench: Bench, name: str) -> str:
    """The scale a row was measured at (floors are "-", the rest S here)."""
    return next((row.scale for row in bench.rows if row.name == name), "-")
