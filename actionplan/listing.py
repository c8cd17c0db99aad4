"""Lists of actions as people ask for them: filtered, most urgent first.

Shared by `actionplan list` and the workbook, so both order actions the same
way: overdue first (longest overdue at the top), then red, amber, not started,
green, complete, cancelled, and within each the earliest due date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from . import vocab
from .errors import FieldError
from .history import plain_rows, to_timestamp
from .records import as_plain

#: Rank of each RAG in a list, most urgent first (cancelled last of all).
_URGENCY = {rag: rank for rank, rag in enumerate((*reversed(vocab.RAG_SEVERITY), "cancelled"))}

#: Keys of each object in `list --json`, in order.
LIST_FIELDS: tuple[str, ...] = (
    "id",
    "recommendation_id",
    "title",
    "owner",
    "due",
    "description",
    "team",
    "start_on",
    "status",
    "progress",
    "created_on",
    "success_measure",
    "evidence",
    "baseline_due",
    "completed_on",
    "rag",
    "schedule_rag",
    "not_updated",
    "version",
    "last_updated",
)


def by_urgency(frame: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """A `figures.with_rag` frame sorted most urgent first."""
    day = to_timestamp(as_of)
    days_overdue = (day - frame["due"]).dt.days.where(frame["overdue"], 0)
    order = frame.assign(
        _overdue=~frame["overdue"],
        _days=-days_overdue,
        _rank=frame["rag"].map(_URGENCY),
    )
    order = order.sort_values(["_overdue", "_days", "_rank", "due", "id"], kind="stable")
    return order.drop(columns=["_overdue", "_days", "_rank"])


#: The columns `search` looks for words in.
SEARCHED: tuple[str, ...] = ("id", "title", "owner", "team")


def filter_actions(
    frame: pd.DataFrame,
    owner: str | None = None,
    team: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    stale: bool = False,
) -> pd.DataFrame:
    """Keep the actions matching every filter given.

    Owner and team must match whole (ignoring case and surrounding spaces);
    `search` keeps actions where every word of it appears, in any case, in the
    id, title, owner or team (`head` finds every "Head of ..." owner); `stale`
    keeps those not updated this quarter (`schedule.with_schedule`).
    """
    keep = pd.Series(True, index=frame.index)
    if owner:
        keep &= frame["owner"].fillna("").str.strip().str.lower() == owner.strip().lower()
    if team:
        keep &= frame["team"].fillna("").str.strip().str.lower() == team.strip().lower()
    if status:
        try:
            wanted = vocab.normalise("status", status)
        except ValueError as error:
            raise FieldError("status", str(error)) from None
        keep &= frame["status"] == wanted
    if overdue:
        keep &= frame["overdue"]
    if stale:
        keep &= frame["not_updated"]
    if search and search.strip():
        text = frame[list(SEARCHED)[0]].fillna("").astype(str)
        for column in SEARCHED[1:]:
            text = text + "\n" + frame[column].fillna("").astype(str)
        text = text.str.lower()
        for word in search.lower().split():
            keep &= text.str.contains(word, regex=False)
    return frame[keep]


def plain_list(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A sorted, filtered frame as the `list --json` objects (dates as ISO text)."""
    return [
        {key: as_plain(value) for key, value in row.items()}
        for row in plain_rows(frame, LIST_FIELDS)
    ]
