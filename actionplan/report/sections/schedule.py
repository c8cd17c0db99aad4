"""The Exceptions section's view of SPEC section 9: what the dates say against what officers say.

Two tables: actions reported better than their dates suggest (progress behind
where the calendar expects it, while the officer's RAG says otherwise), and
open actions nobody updated this quarter. Each row says why it is there.
"""

from __future__ import annotations

from ...history import to_timestamp
from ...schedule import expected_progress
from ..context import ReportContext
from ..html import Table, day, rag_badge


def behind_table(ctx: ReportContext) -> Table:
    """Open actions whose schedule RAG is worse than their own RAG, most behind first."""
    end = to_timestamp(ctx.quarter.end)
    behind = ctx.current[ctx.current["behind_schedule"]].copy()
    behind["expected"] = expected_progress(behind, end).round()
    behind["gap"] = behind["expected"] - behind["progress"]
    behind = behind.sort_values(["gap", "id"], ascending=[False, True])
    return Table(
        f"Actions reported better than their dates suggest at {day(end)}",
        [*ctx.action_headings(), "RAG reported", "Dates suggest", "Why", "Due"],
        [
            [
                *ctx.action_cells(row),
                rag_badge(row.rag),
                rag_badge(row.schedule_rag),
                f"{row.progress}% done where the dates expect {int(row.expected)}%",
                day(row.due),
            ]
            for row in behind.itertuples(index=False)
        ],
    )


def not_updated_table(ctx: ReportContext) -> Table:
    """Open actions, created before the quarter, with no update dated in it."""
    start, end = ctx.quarter.start, to_timestamp(ctx.quarter.end)
    stale = ctx.current[ctx.current["not_updated"]].sort_values(["last_update_on", "id"])

    def why(row: object) -> str:
        last = row.last_update_on  # type: ignore[attr-defined]
        if last is None or last != last:  # NaT: never updated
            return f"no update since it was created on {day(row.created_on)}"  # type: ignore[attr-defined]
        return f"last update dated {day(last)}, before {day(start)}"

    return Table(
        f"Open actions not updated between {day(start)} and {day(end)}",
        [*ctx.action_headings(), "RAG", "Why", "Due"],
        [
            [*ctx.action_cells(row), rag_badge(row.rag), why(row), day(row.due)]
            for row in stale.itertuples(index=False)
        ],
    )
