"""The rules of SPEC section 4 for one action's history, in one place.

What an action starts with, what an update may change and what it changes
along with it (complete means 100% and a completion date; reopening clears
it), the `changes` each event records, and the event itself. `Store.add_action`,
`Store.record_update` and the bulk import call these same functions, so a save
from the workbook, a line of the CLI and a row of a spreadsheet are judged
alike, with the same messages. Everything here is pure: dicts in, dicts out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .errors import FieldError, ValidationError
from .records import as_plain

#: Fields of an action that events can set; replay takes the last value set.
STATE_FIELDS: tuple[str, ...] = (
    "title",
    "owner",
    "team",
    "description",
    "start_on",
    "due",
    "status",
    "progress",
    "completed_on",
    "success_measure",
    "evidence",
)

#: Fields an update may set by giving a new value (`completed_on` follows the
#: status; see `plan_update`). Progress, status and due first: the order changes
#: are shown in.
UPDATE_FIELDS: tuple[str, ...] = (
    "progress",
    "status",
    "due",
    "title",
    "owner",
    "team",
    "description",
    "start_on",
    "success_measure",
    "evidence",
)

#: The reason recorded when an action is created with a due date already revised
#: from its baseline (`creation_events`).
BASELINE_REASON = "revised from the baseline before this action was recorded here"

#: The fields the rules and the figures read (the text fields are not needed to count).
RULE_FIELDS: tuple[str, ...] = ("status", "progress", "due", "completed_on")

#: The fields the figures read: the rules' fields and the start date the schedule
#: RAG measures from (SPEC section 9). A summary loads only these.
FIGURE_FIELDS: tuple[str, ...] = (*RULE_FIELDS, "start_on")

#: State fields that hold dates.
DATE_FIELDS: tuple[str, ...] = ("start_on", "due", "completed_on")

#: A complete action's progress, whatever was recorded before.
COMPLETE_PROGRESS = 100

#: Fields only a complete action has; any other status clears them.
COMPLETE_ONLY_FIELDS: tuple[str, ...] = ("completed_on",)

#: The columns of an event as it is stored, in this order (see `event_record`).
EVENT_FIELDS: tuple[str, ...] = (
    "action_id",
    "version",
    "kind",
    "by",
    "recorded_at",
    "as_of",
    "reason",
    "note",
    "changes",
    *STATE_FIELDS,
)
_TAIL = len(EVENT_FIELDS) - len(STATE_FIELDS)
_POSITION = {name: index for index, name in enumerate(EVENT_FIELDS)}


def settle(state: dict[str, Any]) -> dict[str, Any]:
    """Apply the completion rule to a folded state (in place, and returned).

    A complete action counts 100% and keeps its completion date; any other has
    none, so a late-recorded event cannot leave a complete action below 100%
    or an open one with a completion date. `history.state_at` applies the same
    constants to whole columns.
    """
    if state.get("status") == "complete":
        state["progress"] = COMPLETE_PROGRESS
    else:
        for name in COMPLETE_ONLY_FIELDS:
            state[name] = None
    return state


def creation_values(values: dict[str, Any], today: date, row: int | None) -> dict[str, Any]:
    """Fill a new action's defaults and check its dates, as at creation.

    A completion date makes a blank status `complete`; a complete action
    without one is complete from its creation. `baseline_due` (the due date it
    was agreed with, when `due` has since been revised) defaults to `due`.
    `creation_events` turns the result into the action's first events.

    Raises:
        ValidationError: every problem, each naming its field.
    """
    values = dict(values)
    completed_on = values.get("completed_on")
    values["status"] = values["status"] or ("complete" if completed_on else "not_started")
    values["progress"] = values["progress"] if values["progress"] is not None else 0
    values["created_on"] = created_on = values["created_on"] or today
    values["baseline_due"] = values.get("baseline_due") or values["due"]
    problems: list[FieldError] = []
    for name in ("created_on", "completed_on"):
        if values.get(name) is not None and values[name] > today:
            problems.append(FieldError(name, f"{values[name].isoformat()} is in the future", row))
    if values["status"] == "complete":
        if values["progress"] not in (0, COMPLETE_PROGRESS):
            problems.append(
                FieldError("progress", "a complete action is at 100%; leave progress blank", row)
            )
        values["progress"] = COMPLETE_PROGRESS
        values["completed_on"] = completed_on or created_on
        if values["completed_on"] < created_on:
            problems.append(
                FieldError(
                    "completed_on",
                    f"{completed_on.isoformat()} is before the action was created "
                    f"({created_on.isoformat()}); give created_on",
                    row,
                )
            )
    elif completed_on is not None:
        problems.append(
            FieldError(
                "completed_on",
                "only a complete action has a completion date; set status complete",
                row,
            )
        )
    else:
        values["completed_on"] = None
    if problems:
        raise ValidationError(problems)
    return values


def creation_events(
    values: dict[str, Any], by: str, clock: Callable[[], datetime], today: date
) -> list[tuple[Any, ...]]:
    """A new action's events, each dated when it happened (see `creation_values`).

    The first is its creation at `created_on`, with the baseline due date. When
    `due` differs from the baseline, an update at `created_on` revises it (the
    baseline never changes; a slipped action shows as slipped). When it was
    completed after its creation, it is created `not_started` at 0% (nothing
    more is known of its progress) and an update completes it at
    `completed_on`, so every past quarter counts it as it was. The later
    events are judged by `plan_update`, like any other update.

    Args:
        values: the result of `creation_values`.
        by: who records the action.
        clock: gives each event's `recorded_at`, in order.
        today: the day nothing may be dated after.
    """
    initial = dict(values)
    later: list[dict[str, Any]] = []
    created_on = values["created_on"]
    if values["baseline_due"] != values["due"]:
        initial["due"] = values["baseline_due"]
        later.append({"as_of": created_on, "due": values["due"], "reason": BASELINE_REASON})
    if values["status"] == "complete" and values["completed_on"] != created_on:
        initial.update(status="not_started", progress=0, completed_on=None)
        done = values["completed_on"]
        later.append({"as_of": done, "status": "complete", "completed_on": done})
    events = [creation_event(initial, by, clock())]
    state = {name: initial.get(name) for name in STATE_FIELDS}
    state["created_on"] = created_on
    for version, update in enumerate(later, start=2):
        assignments, changes = plan_update(state, update, today)
        events.append(
            event_record(
                values["id"], version, "update", by, clock(), update["as_of"], assignments,
                changes, update.get("reason"),
            )
        )  # fmt: skip
        state.update(assignments)
    return events


def plan_update(
    before: dict[str, Any], update: dict[str, Any], today: date, row: int | None = None
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Decide what one update sets.

    Args:
        before: the action's settled state at the update's `as_of` (see
            `timeline.Timeline.state_at`), with `created_on`.
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
    assignments: dict[str, Any] = {}
    for field in UPDATE_FIELDS:
        value = update.get(field)
        if value is not None and value != before[field]:
            assignments[field] = value
    status_after = assignments.get("status", before["status"])
    completing = status_after == "complete" and before["status"] != "complete"
    reopening = before["status"] == "complete" and status_after != "complete"
    progress = update.get("progress")
    if status_after == "complete":
        if progress is not None and progress != COMPLETE_PROGRESS:
            problems.append(
                FieldError(
                    "progress",
                    f"a complete action is at 100%, not {progress}%; set another status to reopen it",
                    row,
                )
            )
        if completing:
            assignments["progress"] = COMPLETE_PROGRESS
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
            FieldError(
                "update",
                "changes nothing; give a new progress, status, due date, title, owner, team "
                "or description, or a note",
                row,
            )
        )
    if problems:
        raise ValidationError(problems)
    changes = {field: [before.get(field), value] for field, value in assignments.items()}
    if reopening:
        for name in COMPLETE_ONLY_FIELDS:
            changes[name] = [before.get(name), None]
    return assignments, changes


def creation_changes(values: dict[str, Any]) -> dict[str, list[Any]]:
    """The `changes` of a creation event: every initial value, from nothing."""
    return {name: [None, values[name]] for name in STATE_FIELDS if values.get(name) is not None}


def creation_event(values: dict[str, Any], by: str, recorded_at: datetime) -> tuple[Any, ...]:
    """A new action's first event: version 1, every initial value set (see `creation_values`)."""
    state = {name: values.get(name) for name in STATE_FIELDS}
    return event_record(
        values["id"], 1, "create", by, recorded_at, values["created_on"], state,
        creation_changes(values),
    )  # fmt: skip


def event_record(
    action_id: str,
    version: int,
    kind: str,
    by: str,
    recorded_at: datetime,
    as_of: date,
    assignments: dict[str, Any],
    changes: dict[str, list[Any]],
    reason: str | None = None,
    note: str | None = None,
) -> tuple[Any, ...]:
    """One event as it is stored: a tuple of `EVENT_FIELDS` (fields it does not set are None).

    A tuple, not a dict: a bulk import makes a million of them.
    """
    record: list[Any] = [
        action_id,
        version,
        kind,
        by,
        recorded_at,
        as_of,
        reason,
        note,
        changes_json(changes),
    ]
    record.extend([None] * (len(EVENT_FIELDS) - _TAIL))
    for name, value in assignments.items():
        record[_POSITION[name]] = value
    return tuple(record)


def event_values(record: tuple[Any, ...]) -> dict[str, Any]:
    """The state fields an event record sets (its non-blank tail)."""
    return {
        name: value
        for name, value in zip(STATE_FIELDS, record[_TAIL:], strict=True)
        if value is not None
    }


_PLAIN_WORD = re.compile(r"^[A-Za-z0-9_]*$")


def _json_value(value: Any) -> str:
    if value is None:
        return "null"
    if value.__class__ is int:
        return str(value)
    if value.__class__ is date:
        return f'"{value.isoformat()}"'
    if value.__class__ is str and _PLAIN_WORD.match(value):
        return f'"{value}"'
    return json.dumps(as_plain(value))


def changes_json(changes: dict[str, list[Any]]) -> str:
    """The `changes` column: `json.dumps` of `{field: [old, new]}`, dates as ISO text.

    Built directly for the usual plain values, since a bulk import writes a
    million of them; a test holds it equal to `json.dumps`.
    """
    return (
        "{"
        + ", ".join(
            f'"{name}": [{_json_value(old)}, {_json_value(new)}]'
            for name, (old, new) in changes.items()
        )
        + "}"
    )
