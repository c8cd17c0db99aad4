"""Every write to a plan: new records, new actions, and updates to them.

All writes go through here, so the history rules cannot be bypassed, nor the
roles of a team (SPEC section 7: each write first asks `people.acting_in` who
is signed in and refuses what their role may not do; with no people
registered everything is allowed, as before): an action
is created with its first event, changed only by appending an event whose
`version` follows the one the caller saw, and its current row is rewritten
from the replay of its events in the same transaction. The rules themselves
are `rules` and `timeline`, which the bulk import calls too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..assurance import REQUEST, plan_event
from ..errors import (
    ActionPlanError,
    FieldError,
    StaleVersionError,
    ValidationError,
)
from ..records import clean_record
from ..rules import (
    EVENT_FIELDS,
    STATE_FIELDS,
    UPDATE_FIELDS,
    creation_events,
    creation_values,
    event_record,
    plan_update,
)
from ..timeline import Timeline
from . import schema
from .adding import Adds
from .due_requests import pending_request
from .engine import utc_now
from .evidence import require_evidence
from .people import acting_in
from .reading import event_view

#: How many times a save that named no version is retried when another save wins the race.
_UNVERSIONED_RETRIES = 5

#: Columns of an action's current row that a save rewrites.
CURRENT_COLUMNS: tuple[str, ...] = (*STATE_FIELDS, "version", "last_updated", "last_updated_by")


class Writes(Adds):
    """The writing half of `Store`: actions and their history."""

    # -- actions and their history ------------------------------------------

    def add_action(
        self,
        record: Mapping[str, object],
        by: str,
        conn: Connection | None = None,
        row: int | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:
        """Create an action and its first event, which carries every initial value.

        Raises:
            NotPermittedError: the person acting may not add actions.
            ValidationError: a field is wrong, the id is taken, or the
                recommendation does not exist.
        """
        today = today or date.today()
        values = creation_values(clean_record("action", record, row), today, row)
        with self._using(conn) as tx:
            actor = acting_in(tx)
            actor.check_add("action")
            who = actor.recorded_by(by, row)
            if not who:
                raise ValidationError([FieldError("by", "is required", row)])
            self._refuse_duplicate(tx, schema.actions, values["id"], row)
            self._require(
                tx,
                schema.recommendations,
                values["recommendation_id"],
                "recommendation_id",
                "recommendation",
                row,
            )
            events = creation_events(values, who, _Clock(), today)
            current = Timeline.created(values, events, 0, who).current_row(today)
            tx.execute(insert(schema.actions).values(**current))
            tx.execute(
                insert(schema.updates),
                [dict(zip(EVENT_FIELDS, event, strict=True)) for event in events],
            )
        return values

    def record_update(
        self,
        update_values: Mapping[str, object],
        expected_version: int | None = None,
        conn: Connection | None = None,
        row: int | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:
        """Append one update event to an action's history and refresh its current row.

        Args:
            update_values: fields of an update record (SPEC section 2), as typed
                or already cleaned; blank means unchanged.
            expected_version: the version the person started from. If another
                save has happened since, nothing is written.
            conn: an open write transaction to join, else one is opened.
            row: spreadsheet row to name in errors.
            today: the date nothing may be dated after (tests pass a fixed one).

        Returns:
            The stored event (as `history()` shows it).

        Raises:
            NotFoundError: no such action.
            NotPermittedError: the person acting may not make this update
                (SPEC section 7), or `by` names someone else.
            StaleVersionError: the action changed since `expected_version`.
            ValidationError: the update breaks a rule (each problem named).
        """
        today = today or date.today()
        values = clean_record("update", update_values, row)
        values["as_of"] = values["as_of"] or today
        attempts = 1 if expected_version is not None or conn is not None else _UNVERSIONED_RETRIES
        for attempt in range(attempts):
            try:
                with self._using(conn) as tx:
                    return self._append_update(tx, values, expected_version, row, today)
            except _LostRace:
                if attempt == attempts - 1:
                    raise ActionPlanError(
                        f"action {values['action_id']} is being changed by others; try again"
                    ) from None
        raise AssertionError("unreachable")

    def _append_update(
        self,
        tx: Connection,
        values: dict[str, Any],
        expected_version: int | None,
        row: int | None,
        today: date,
    ) -> dict[str, Any]:
        action_id = values["action_id"]
        current = self._current(tx, action_id, row)
        actor = acting_in(tx)
        requested = None
        if actor.checked and actor.may_only_ask_for_due() and values.get("due") is not None:
            # SPEC section 8: an officer's new due date is a request for a lead.
            requested, values = values["due"], {**values, "due": None}
        actor.check_update(action_id, current.owner, values, row)
        by = actor.recorded_by(values["by"], row)
        version = current.version
        if expected_version is not None and expected_version != version:
            raise self._stale(tx, action_id, expected_version, version)
        timeline = self._timeline(tx, action_id, values["as_of"], row)
        stored = None
        if requested is None or _changes_something(values):
            before = timeline.state_at(values["as_of"])
            assignments, changes = plan_update(before, values, today, row)
            if actor.checked and assignments.get("status") == "complete":
                require_evidence(tx, action_id, row)
            own = values if requested is None else {**values, "reason": None}
            stored = self._append_event(
                tx, timeline, version, "update", by, own, assignments, changes,
                expected_version, today,
            )  # fmt: skip
            version += 1
        if requested is not None:
            stored = self._request_due(
                tx, timeline, version, by, values, requested, expected_version, today, row
            )
        assert stored is not None
        return stored

    def _current(self, tx: Connection, action_id: str, row: int | None = None) -> Any:
        current = tx.execute(
            select(schema.actions.c.version, schema.actions.c.owner).where(
                schema.actions.c.id == action_id
            )
        ).first()
        if current is None:
            raise ValidationError(
                [FieldError("action_id", f"there is no action {action_id!r}", row)]
            )
        return current

    def _timeline(self, tx: Connection, action_id: str, as_of: date, row: int | None) -> Timeline:
        """The action's timeline, refusing an `as_of` before it was created."""
        timeline = self.timelines(tx, {action_id})[action_id]
        if as_of < timeline.created_on:
            raise ValidationError(
                [
                    FieldError(
                        "as_of",
                        f"{as_of.isoformat()} is before the action was created "
                        f"({timeline.created_on.isoformat()})",
                        row,
                    )
                ]
            )
        return timeline

    def _request_due(
        self,
        tx: Connection,
        timeline: Timeline,
        version: int,
        by: str,
        values: dict[str, Any],
        requested: date,
        expected_version: int | None,
        today: date,
        row: int | None,
    ) -> dict[str, Any]:
        """Record an officer's new due date as a request (SPEC section 8): it sets nothing."""
        action_id = timeline.action_id
        before = timeline.state_at(values["as_of"])
        asked = {**values, "due": requested, "note": None}
        assignments, changes = plan_event(REQUEST, before, asked, today, row)
        waiting = pending_request(tx, action_id)
        if waiting is not None:
            raise ValidationError(
                [
                    FieldError(
                        "due",
                        f"action {action_id} already has a due-date request waiting "
                        f"(request {waiting}); a lead approves or refuses it first",
                        row,
                    )
                ]
            )
        return self._append_event(
            tx, timeline, version, REQUEST, by, asked, assignments, changes,
            expected_version, today,
        )  # fmt: skip

    def _append_event(
        self,
        tx: Connection,
        timeline: Timeline,
        version: int,
        kind: str,
        by: str,
        values: dict[str, Any],
        assignments: dict[str, Any],
        changes: dict[str, Any],
        expected_version: int | None,
        today: date,
    ) -> dict[str, Any]:
        """Append one event after `version` and rewrite the action's current row from replay."""
        action_id = timeline.action_id
        recorded_at = utc_now()
        event = event_record(
            action_id,
            version + 1,
            kind,
            by,
            recorded_at,
            values["as_of"],
            assignments,
            changes,
            values.get("reason"),
            values.get("note"),
        )
        timeline.add((values["as_of"], recorded_at, _NEXT_SEQ, assignments), by)
        refreshed = timeline.current_row(today)
        result = tx.execute(
            update(schema.actions)
            .where(schema.actions.c.id == action_id, schema.actions.c.version == version)
            .values(**{name: refreshed[name] for name in CURRENT_COLUMNS})
        )
        if result.rowcount != 1:
            if expected_version is not None:
                latest = tx.execute(
                    select(func.max(schema.updates.c.version)).where(
                        schema.updates.c.action_id == action_id
                    )
                ).scalar_one()
                raise self._stale(tx, action_id, expected_version, latest)
            raise _LostRace()
        stored = dict(zip(EVENT_FIELDS, event, strict=True))
        seq = tx.execute(insert(schema.updates).values(**stored)).inserted_primary_key[0]
        view = event_view(stored)
        if kind == REQUEST:
            view["request_id"] = seq
        return view

    def _stale(
        self, tx: Connection, action_id: str, expected: int, current: int
    ) -> StaleVersionError:
        latest = tx.execute(
            select(schema.updates.c.by, schema.updates.c.recorded_at)
            .where(schema.updates.c.action_id == action_id)
            .order_by(schema.updates.c.version.desc())
            .limit(1)
        ).first()
        when = latest.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC") if latest else "an unknown time"
        return StaleVersionError(action_id, expected, current, latest.by if latest else "?", when)


class _Clock:
    """Recording times for one save's events: now, a microsecond apart, in order."""

    def __init__(self) -> None:
        self.now = utc_now()
        self.ticks = -1

    def __call__(self) -> datetime:
        self.ticks += 1
        return self.now + timedelta(microseconds=self.ticks)


class _LostRace(Exception):
    """Another save changed the action between reading and writing it."""


#: A new event sorts after every stored event with the same as_of and recorded_at.
_NEXT_SEQ = 2**62


def _changes_something(values: dict[str, Any]) -> bool:
    """True when an update gives any field or a note (besides an asked-for due date)."""
    return bool(values.get("note")) or any(
        values.get(name) is not None for name in (*UPDATE_FIELDS, "completed_on")
    )
