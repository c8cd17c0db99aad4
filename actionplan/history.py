"""Replay: the state of every action at a date, from its events alone.

SPEC section 4: the state at D is the creation event and every later event with
`as_of <= D`, applied in (`as_of`, `recorded_at`) order. Each event stores only
the fields it set, so the state is, per field, the last value set: a grouped
`last()` over the sorted events, with no per-action Python loop. The completion
rules are then applied to the result, so a late-recorded event cannot leave a
complete action below 100% or an open one with a completion date.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .errors import FieldError, ValidationError
from .schema import STATE_FIELDS

#: Columns of an events frame (see `store.Store.events`).
EVENT_COLUMNS: tuple[str, ...] = (
    "seq",
    "action_id",
    "recommendation_id",
    "version",
    "kind",
    "by",
    "recorded_at",
    "as_of",
    *STATE_FIELDS,
)

DATE_FIELDS: tuple[str, ...] = ("start_on", "due", "completed_on")

#: Columns of a state frame, in the order tables show them.
STATE_COLUMNS: tuple[str, ...] = (
    "id",
    "recommendation_id",
    *STATE_FIELDS,
    "baseline_due",
    "created_on",
    "version",
    "last_updated",
    "last_updated_by",
)


def to_timestamp(day: date | pd.Timestamp | str) -> pd.Timestamp:
    """A date as the midnight Timestamp the frames compare against."""
    return pd.Timestamp(day).normalize()


def state_at(events: pd.DataFrame, day: date | pd.Timestamp | str) -> pd.DataFrame:
    """Every action that exists at the end of `day`, as it stood then.

    Args:
        events: an events frame (one row per event, date columns as datetime64).
        day: the as-of day; events with a later `as_of` are ignored.

    Returns:
        One row per action (columns `STATE_COLUMNS`), sorted by id. `version`
        counts the events that make up this state.
    """
    cutoff = to_timestamp(day)
    known = events[events["as_of"] <= cutoff]
    if known.empty:
        return empty_state()
    known = known.sort_values(["action_id", "as_of", "recorded_at", "seq"], kind="stable")
    created = known[known["kind"] == "create"]
    known = known[known["action_id"].isin(created["action_id"])]
    grouped = known.groupby("action_id", sort=True)
    state = grouped[list(STATE_FIELDS)].last()
    creation = created.set_index("action_id")
    state["recommendation_id"] = creation["recommendation_id"]
    state["baseline_due"] = creation["due"]
    state["created_on"] = creation["as_of"]
    state["version"] = grouped.size()
    newest = known.sort_values(["action_id", "recorded_at", "seq"]).drop_duplicates(
        "action_id", keep="last"
    )
    newest = newest.set_index("action_id")
    state["last_updated"] = newest["recorded_at"]
    state["last_updated_by"] = newest["by"]
    state = apply_completion_rules(state)
    state.index.name = "id"
    return state.reset_index()[list(STATE_COLUMNS)]


def apply_completion_rules(state: pd.DataFrame) -> pd.DataFrame:
    """A complete action counts 100% and keeps its completion date; any other has none."""
    complete = state["status"] == "complete"
    state["progress"] = np.where(complete, 100, state["progress"]).astype("int64")
    state["completed_on"] = state["completed_on"].where(complete, pd.NaT)
    return state


def empty_state() -> pd.DataFrame:
    """A state frame with no actions but the right columns and types."""
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in STATE_COLUMNS})
    for column in (*DATE_FIELDS, "baseline_due", "created_on"):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    frame["progress"] = pd.Series(dtype="int64")
    frame["version"] = pd.Series(dtype="int64")
    return frame


def empty_events() -> pd.DataFrame:
    """An events frame with no rows but the right columns and types."""
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in EVENT_COLUMNS})
    for column in (*DATE_FIELDS, "as_of", "recorded_at"):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    return frame


def plan_update(
    before: dict, update: dict, today: date, row: int | None = None
) -> tuple[dict, dict]:
    """Decide what one update sets, applying SPEC section 4's rules.

    Pure, so the CLI, the workbook and a bulk import all judge an update the
    same way.

    Args:
        before: the action's state at the update's `as_of` (status, progress,
            due, completed_on, created_on as `date`s or plain values).
        update: cleaned update values (see `records.clean_record`); None means
            "leave as it is"; `as_of` must be set.
        today: the day nothing may be dated after.
        row: spreadsheet row to name in errors, if any.

    Returns:
        `(assignments, changes)`: the fields this event sets, and for each
        field that changes `[old, new]` (including a cleared completion date).

    Raises:
        ValidationError: every rule the update breaks, each naming its field.
    """
    problems: list[FieldError] = []
    as_of = update["as_of"]
    if as_of > today:
        problems.append(FieldError("as_of", f"{as_of.isoformat()} is in the future", row))
    if as_of < before["created_on"]:
        problems.append(
            FieldError(
                "as_of",
                f"{as_of.isoformat()} is before the action was created "
                f"({before['created_on'].isoformat()})",
                row,
            )
        )
    assignments: dict = {}
    for field in ("progress", "status", "due"):
        value = update.get(field)
        if value is not None and value != before[field]:
            assignments[field] = value
    status_after = assignments.get("status", before["status"])
    completing = status_after == "complete" and before["status"] != "complete"
    reopening = before["status"] == "complete" and status_after != "complete"
    progress = update.get("progress")
    if status_after == "complete":
        if progress is not None and progress != 100:
            problems.append(
                FieldError(
                    "progress",
                    f"a complete action is at 100%, not {progress}%; set another status to reopen it",
                    row,
                )
            )
        if completing:
            assignments["progress"] = 100
            assignments["completed_on"] = update.get("completed_on") or as_of
        elif update.get("completed_on") and update["completed_on"] != before["completed_on"]:
            assignments["completed_on"] = update["completed_on"]
        completed_on = assignments.get("completed_on")
        if completed_on is not None and completed_on > today:
            problems.append(
                FieldError("completed_on", f"{completed_on.isoformat()} is in the future", row)
            )
    elif update.get("completed_on") is not None:
        problems.append(
            FieldError(
                "completed_on",
                "only a complete action has a completion date; set status complete",
                row,
            )
        )
    if "due" in assignments and not update.get("reason"):
        problems.append(FieldError("reason", "is required when the due date changes", row))
    if not assignments and not update.get("note") and not problems:
        problems.append(
            FieldError("update", "changes nothing; give a progress, status, due date or note", row)
        )
    if problems:
        raise ValidationError(problems)
    changes = {field: [before.get(field), value] for field, value in assignments.items()}
    if reopening:
        changes["completed_on"] = [before.get("completed_on"), None]
    return assignments, changes
