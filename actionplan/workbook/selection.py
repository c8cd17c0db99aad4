"""Which actions the workbook shows, in what order: pure functions over a frame of actions.

Kept apart from the widgets so they are tested without a browser; the find
panel and the overview call them with what the officer set on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import pandas as pd

from .. import listing
from ..history import to_timestamp
from ..roles import owner_key
from ..vocab import word

#: The overview lists open actions due within this many days.
DUE_SOON_DAYS = 30

ANY = ""


@dataclass(frozen=True)
class Filters:
    """What the officer asked to see; empty strings and False mean "any"."""

    owner: str = ANY
    team: str = ANY
    source: str = ANY
    status: str = ANY
    rag: str = ANY
    overdue: bool = False
    not_updated: bool = False
    search: str = ""
    #: "My actions only": the owner names the signed-in person answers for.
    mine: tuple[str, ...] = ()


def find_actions(frame: pd.DataFrame, filters: Filters, today: date) -> pd.DataFrame:
    """The rows of a `workbook_actions` frame that match every filter, order kept."""
    found = listing.filter_actions(
        frame,
        filters.owner or None,
        filters.team or None,
        filters.status or None,
        filters.overdue,
        filters.search,
    )
    if filters.mine:
        keys = {owner_key(name) for name in filters.mine}
        found = found[found["owner"].map(owner_key).isin(keys)]
    if filters.source:
        found = found[found["source_id"] == filters.source]
    if filters.rag:
        found = found[found["rag"] == filters.rag]
    if filters.not_updated:
        found = found[found["not_updated"]]
    return found


def describe_filters(filters: Filters) -> str:
    """The filters in effect, in words (escaped), for the overview's reader."""
    parts = ["my actions only"] if filters.mine else []
    parts += [
        f"{label} {escape(value)}"
        for label, value in (
            ("owner", filters.owner),
            ("team", filters.team),
            ("source", filters.source),
            ("status", word(filters.status) if filters.status else ""),
            ("RAG", word(filters.rag)),
        )
        if value
    ]
    if filters.overdue:
        parts.append("overdue only")
    if filters.not_updated:
        parts.append("not updated this quarter")
    if filters.search.strip():
        parts.append(f"id, title, owner or team contains '{escape(filters.search.strip())}'")
    return "Filters: " + ", ".join(parts) if parts else "All actions (no filters)."


def due_soon(frame: pd.DataFrame, today: date, days: int = DUE_SOON_DAYS) -> pd.DataFrame:
    """Open actions due from today to `days` ahead, soonest first."""
    start = to_timestamp(today)
    end = start + pd.Timedelta(days=days)
    is_open = ~frame["status"].isin(["complete", "cancelled"])
    soon = frame[is_open & (frame["due"] >= start) & (frame["due"] <= end)]
    return soon.sort_values(["due", "id"], kind="stable")


def plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for row in frame.itertuples(index=False):
        rows.append(
            {
                "id": row.id,
                "title": row.title,
                "owner": row.owner,
                "due": row.due.date() if pd.notna(row.due) else None,
                "rag": row.rag,
                "overdue": bool(row.overdue),
                "schedule_rag": getattr(row, "schedule_rag", ""),
                "not_updated": bool(getattr(row, "not_updated", False)),
            }
        )
    return rows
