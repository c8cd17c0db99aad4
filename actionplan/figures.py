"""The figures of a quarter (SPEC section 5), as pure functions over frames.

Nothing here touches the database: each function takes the state of the plan at
a date (see `history.state_at`) or the complaint records, and returns numbers
or tables. The CLI's `summary`, the report and the workbook all call these, so
a figure means the same thing wherever a person reads it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .history import to_timestamp
from .quarters import Quarter
from .vocab import COMPLAINT_STAGES, RAG_VALUES

RATE_DECIMALS = 4


def rag(state: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.Series:
    """Each action's RAG at `as_of`, by the first rule that applies.

    complete and verified -> verified (SPEC section 8, read from the state's
    `verified` column, see `assurance.with_verified`; a state without it has
    nothing verified); complete -> complete (awaiting verification); due
    before the as-of day -> red (overdue, whatever the status says); off_track
    -> red; at_risk -> amber; on_track -> green; not_started -> not_started. A
    cancelled action is `cancelled` (it is not counted in any figure).
    """
    day = to_timestamp(as_of)
    status = state["status"]
    if "verified" in state.columns:
        verified = (status == "complete") & state["verified"].fillna(False).astype(bool)
    else:
        verified = pd.Series(False, index=state.index)
    conditions = [
        status == "cancelled",
        verified,
        status == "complete",
        state["due"] < day,
        status == "off_track",
        status == "at_risk",
        status == "on_track",
    ]
    values = ["cancelled", "verified", "complete", "red", "red", "amber", "green"]
    return pd.Series(
        np.select(conditions, values, default="not_started"), index=state.index, dtype=object
    )


def live(state: pd.DataFrame) -> pd.DataFrame:
    """The actions a figure counts: those that exist and are not cancelled."""
    return state[state["status"] != "cancelled"]


def rate(part: int, whole: int) -> float | None:
    """A fraction rounded for JSON, or None when there is nothing to divide by."""
    return round(part / whole, RATE_DECIMALS) if whole else None


def with_rag(state: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The state with `rag`, `overdue` and `slipped` columns added (a copy)."""
    frame = state.copy()
    day = to_timestamp(as_of)
    frame["rag"] = rag(frame, day)
    is_open = ~frame["status"].isin(["complete", "cancelled"])
    frame["overdue"] = is_open & (frame["due"] < day)
    frame["slipped"] = frame["due"] > frame["baseline_due"]
    return frame


def count_by_rag(rags: pd.Series) -> dict[str, int]:
    """Counts of every RAG value, all six keys present, in `vocab.RAG_VALUES` order."""
    counts = rags.value_counts()
    return {value: int(counts.get(value, 0)) for value in RAG_VALUES}


def completed_in(state: pd.DataFrame, quarter: Quarter) -> pd.Series:
    """Which actions are complete with a completion date inside `quarter`."""
    start, end = to_timestamp(quarter.start), to_timestamp(quarter.end)
    completed_on = state["completed_on"]
    return (state["status"] == "complete") & (completed_on >= start) & (completed_on <= end)


def open_and_due_in(state: pd.DataFrame, quarter: Quarter) -> pd.Series:
    """Which actions are still open and due inside `quarter`."""
    start, end = to_timestamp(quarter.start), to_timestamp(quarter.end)
    due = state["due"]
    return (state["status"] != "complete") & (due >= start) & (due <= end)


def action_figures(
    state: pd.DataFrame, previous_state: pd.DataFrame, quarter: Quarter
) -> dict[str, Any]:
    """The action figures of SPEC section 5 for one quarter.

    Args:
        state: the plan at the quarter's as-of day.
        previous_state: the plan at the previous quarter's as-of day.
        quarter: the quarter being reported.
    """
    current = with_rag(live(state), quarter.end)
    is_open = current["status"] != "complete"
    completed = current[completed_in(current, quarter)]
    on_time = int((completed["completed_on"] <= completed["baseline_due"]).sum())
    due_next = open_and_due_in(current, quarter.next())
    transitions, new = rag_transitions(current, previous_state, quarter.previous())
    return {
        "total": len(current),
        "by_rag": count_by_rag(current["rag"]),
        "open": int(is_open.sum()),
        "overdue": int(current["overdue"].sum()),
        "slipped": int(current["slipped"].sum()),
        "completed_in_quarter": len(completed),
        "completed_on_time_in_quarter": on_time,
        "on_time_rate": rate(on_time, len(completed)),
        "mean_progress": round(float(current["progress"].mean()), 1) if len(current) else None,
        "due_next_quarter": int(due_next.sum()),
        "transitions": transitions,
        "new": new,
    }


def rag_transitions(
    current: pd.DataFrame, previous_state: pd.DataFrame, previous_quarter: Quarter
) -> tuple[dict[str, int], int]:
    """How the live actions' RAG moved since the previous quarter's as-of day.

    `current` is a `with_rag` frame of the live actions now.

    Returns:
        `({"green->amber": 3, ...}, new)`: a count per `then->now` pair,
        unchanged pairs included, over actions that existed then; and the
        number that did not exist then. An action cancelled then and live now
        shows as `cancelled->...`.
    """
    # get_indexer, not isin: ids are strings, and `Index.isin` on pandas' string
    # dtype loops in Python (0.5 s at 100,000 actions); the ids of a state are unique.
    where = pd.Index(previous_state["id"]).get_indexer(current["id"])
    existed = where >= 0
    then = rag(previous_state, previous_quarter.end).to_numpy()[where[existed]]
    now = current["rag"].to_numpy()[existed]
    # Each pair counted as a pair of codes: joining 100,000 pairs of words into
    # "then->now" strings to count them took a third of the quarter's action figures.
    words = pd.Index(sorted({*then, *now}))
    pairs = words.get_indexer(then) * len(words) + words.get_indexer(now)
    counts = np.bincount(pairs, minlength=len(words) ** 2)
    found = {
        f"{words[code // len(words)]}->{words[code % len(words)]}": int(counts[code])
        for code in np.flatnonzero(counts)
    }
    return dict(sorted(found.items())), int((~existed).sum())


#: The dates through which a complaint record counts in a quarter's figures: a
#: record none of whose dates falls in the quarter, and that was not received
#: just before it (its acknowledgement may fall due in it), changes none of
#: them, so a store may read only the others (`store.reading.Reads.complaints_between`).
COMPLAINT_WINDOW_DATES: tuple[str, ...] = (
    "received_on",
    "decided_on",
    "remedy_due",
    "response_due",
    "extended_to",
)


def complaint_figures(
    complaints: pd.DataFrame, compliments: pd.DataFrame, quarter: Quarter
) -> dict[str, Any]:
    """The complaints figures of SPEC section 5 for one quarter's window."""
    start, end = to_timestamp(quarter.start), to_timestamp(quarter.end)

    def within(column: pd.Series) -> pd.Series:
        return (column >= start) & (column <= end)

    received = complaints[within(complaints["received_on"])]
    by_stage = received["stage"].value_counts()
    themes = received["theme"].fillna("").replace("", "Not recorded").value_counts().sort_index()
    decided = complaints[
        within(complaints["decided_on"]) & ~complaints["outcome"].isin(["withdrawn", "pending"])
    ]
    upheld = int(decided["outcome"].isin(["upheld", "partly_upheld"]).sum())
    remedies = complaints[within(complaints["remedy_due"])]
    done = remedies["remedy_done_on"]
    return {
        "received": {stage: int(by_stage.get(stage, 0)) for stage in COMPLAINT_STAGES},
        "by_theme": {theme: int(count) for theme, count in themes.items()},
        "decided": len(decided),
        "upheld_rate": rate(upheld, len(decided)),
        "remedies_due": len(remedies),
        "remedies_on_time": int((done <= remedies["remedy_due"]).sum()),
        "remedies_late": int((done > remedies["remedy_due"]).sum()),
        "remedies_outstanding": int((done.isna() | (done > end)).sum()),
        "compliments": int(within(compliments["received_on"]).sum()),
    }
