"""What the dates alone say about an action (SPEC section 9): behind schedule, or not updated.

An officer's own status can stay "on track" while the calendar runs out. The
schedule RAG compares progress with where the dates say it should be: an
action halfway from its start to its due date should be about halfway done.
`not_updated` names the open actions nobody has touched in a quarter. Pure
functions over the frames of `history.state_at` and the events it replays, so
`summary --json`, `list`, the workbook, the report and the update requests
all judge an action the same way.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .history import to_timestamp
from .quarters import Quarter

#: Progress at or above this share of what the dates expect is green; at or above
#: `AMBER_RATIO`, amber; below, red.
GREEN_RATIO = 0.9
AMBER_RATIO = 0.7

#: The schedule RAG's values, worst first; an officer's `not_started` counts as green.
SCHEDULE_ORDER: tuple[str, ...] = ("red", "amber", "green")
_OWN_AS_SCHEDULE = {"red": "red", "amber": "amber", "green": "green", "not_started": "green"}


def is_open(state: pd.DataFrame) -> pd.Series:
    """Actions neither complete nor cancelled."""
    return ~state["status"].isin(["complete", "cancelled"])


def expected_progress(state: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.Series:
    """What the dates expect each action's progress to be at `as_of`, 0 to 100.

    `100 x (D - start) / (due - start)` with start the action's `start_on`,
    else the day it was created; clamped to 0..100, and 100 when the due date
    is on or before the start.
    """
    day = to_timestamp(as_of)
    start = state["start_on"].fillna(state["created_on"])
    span = (state["due"] - start).dt.days.astype("float64")
    gone = (day - start).dt.days.astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(span > 0, 100 * gone / span, 100.0)
    return pd.Series(np.clip(share, 0, 100), index=state.index)


def schedule_rag(state: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.Series:
    """Each open action's schedule RAG at `as_of` (blank for complete and cancelled).

    Overdue is red; else progress / expected (1 when nothing is expected yet)
    of at least 0.9 is green, at least 0.7 amber, else red.
    """
    day = to_timestamp(as_of)
    expected = expected_progress(state, day)
    progress = state["progress"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, progress / expected, 1.0)
    values = np.select(
        [state["due"] < day, ratio >= GREEN_RATIO, ratio >= AMBER_RATIO],
        ["red", "green", "amber"],
        default="red",
    )
    return pd.Series(np.where(is_open(state), values, ""), index=state.index, dtype=object)


def behind_schedule(state: pd.DataFrame, rags: pd.Series, schedule: pd.Series) -> pd.Series:
    """Open actions whose schedule RAG is worse than their own (red < amber < green)."""
    scheduled = _ranks(schedule, {value: index for index, value in enumerate(SCHEDULE_ORDER)})
    own = _ranks(rags, {rag: SCHEDULE_ORDER.index(same) for rag, same in _OWN_AS_SCHEDULE.items()})
    worse = (scheduled >= 0) & (own >= 0) & (scheduled < own)
    return is_open(state) & pd.Series(worse, index=state.index)


def _ranks(values: pd.Series, rank: dict[str, int]) -> np.ndarray:
    """Each value's rank, or -1 where it has none (a closed action's blank schedule RAG).

    Looked up by position in an index rather than with `Series.map`: at 100,000
    actions `map` took 70 ms a column, a third of a quarter's schedule figures.
    """
    found = pd.Index(list(rank)).get_indexer(values)
    return np.where(found >= 0, np.array(list(rank.values()))[found], -1)


def not_updated(
    state: pd.DataFrame, events: pd.DataFrame, start: date | pd.Timestamp, end: date | pd.Timestamp
) -> pd.Series:
    """Open actions created before `start` with no event but their creation dated `start`..`end`.

    Args:
        state: the plan at `end` (`history.state_at`).
        events: the events replayed (needs `action_id`, `kind` and `as_of`).
        start: the first day of the window (a quarter's first day).
        end: the last day (a quarter's as-of day, or today).
    """
    first, last = to_timestamp(start), to_timestamp(end)
    updates = events[
        (events["kind"] != "create") & (events["as_of"] >= first) & (events["as_of"] <= last)
    ]
    touched = state["id"].isin(updates["action_id"].unique())
    return is_open(state) & (state["created_on"] < first) & ~touched


def quarter_figures(
    state: pd.DataFrame, rags: pd.Series, events: pd.DataFrame, quarter: Quarter
) -> dict[str, object]:
    """The figures of SPEC section 9 for `summary --json` (over the live actions at D)."""
    schedule = schedule_rag(state, quarter.end)
    counts = schedule[schedule != ""].value_counts()
    return {
        "not_updated_in_quarter": int(not_updated(state, events, quarter.start, quarter.end).sum()),
        "behind_schedule": int(behind_schedule(state, rags, schedule).sum()),
        "by_schedule_rag": {value: int(counts.get(value, 0)) for value in SCHEDULE_ORDER},
    }


def with_schedule(
    frame: pd.DataFrame, updates: pd.DataFrame, start: date | pd.Timestamp, end: date | pd.Timestamp
) -> pd.DataFrame:
    """A `figures.with_rag` frame with what the dates say, as lists and the workbook show it.

    Adds `schedule_rag`, `behind_schedule`, `not_updated` (in `start`..`end`)
    and `last_update_on` (the latest update's as-of day, not the creation).

    Args:
        frame: the actions at `end`, with their RAG.
        updates: events to judge by (`action_id`, `kind`, `as_of`): every
            event, or just each action's latest update.
        start: the first day of the window "not updated" looks at.
        end: the day the frame describes.
    """
    frame = frame.copy()
    frame["schedule_rag"] = schedule_rag(frame, end)
    frame["behind_schedule"] = behind_schedule(frame, frame["rag"], frame["schedule_rag"])
    frame["not_updated"] = not_updated(frame, updates, start, end)
    known = updates[(updates["kind"] != "create") & (updates["as_of"] <= to_timestamp(end))]
    latest = known.groupby("action_id")["as_of"].max()
    frame["last_update_on"] = latest.reindex(pd.Index(frame["id"])).to_numpy()
    return frame
