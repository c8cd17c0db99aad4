"""Every write to a plan: new records, new actions, and updates to them.

All writes go through here, so the history rules cannot be bypassed: an action
is created with its first event, changed only by appending an event whose
`version` follows the one the caller saw, and its current row is rewritten
from the replay of its events in the same transaction. The rules themselves
are `rules` and `timeline`, which the bulk import calls too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ..complaints.checks import settle_complaint
from ..complaints.deadlines import DeadlineSettings
from ..cqc import cqc_source_problem
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
    creation_events,
    creation_values,
    event_record,
    plan_update,
)
from ..timeline import Timeline
from . import schema
from .engine import utc_now
from .reading import Reads, event_view

#: How many times a save that named no version is retried when another save wins the race.
_UNVERSIONED_RETRIES = 5

#: Columns of an action's current row that a save rewrites.
CURRENT_COLUMNS: tuple[str, ...] = (*STATE_FIELDS, "version", "last_updated", "last_updated_by")


class Writes(Reads):
    """The writing half of `Store`."""

    def _exists(self, conn: Connection, table: Any, record_id: str) -> bool:
        return conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is not None

    def _refuse_duplicate(
        self, conn: Connection, table: Any, record_id: str, row: int | None
    ) -> None:
        if self._exists(conn, table, record_id):
            raise ValidationError([FieldError("id", f"{record_id!r} already exists", row)])

    def _require(
        self, conn: Connection, table: Any, record_id: str, field: str, what: str, row: int | None
    ) -> None:
        if not self._exists(conn, table, record_id):
            raise ValidationError([FieldError(field, f"there is no {what} {record_id!r}", row)])

    def add_source(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record where recommendations came from (a peer challenge, a CQC assessment...)."""
        values = clean_record("source", record, row)
        with self._using(conn) as tx:
            self._refuse_duplicate(tx, schema.sources, values["id"], row)
            tx.execute(insert(schema.sources).values(**values))
        return values

    def add_recommendation(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record one recommendation under an existing source."""
        values = clean_record("recommendation", record, row)
        with self._using(conn) as tx:
            self._refuse_duplicate(tx, schema.recommendations, values["id"], row)
            self._require(tx, schema.sources, values["source_id"], "source_id", "source", row)
            tx.execute(insert(schema.recommendations).values(**values))
        return values

    def add_complaint(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record one stage of a complaint, with the actions it gave rise to.

        A blank `response_due` is worked out from the procedure's deadlines
        (the plan's `deadline_settings`); an extension past the longest the
        procedure allows is refused (`complaints.checks.settle_complaint`).
        """
        values = clean_record("complaint", record, row)
        action_ids = values.pop("action_ids")
        with self._using(conn) as tx:
            problems = settle_complaint(values, self.deadline_settings(tx), row)
            if problems:
                raise ValidationError(problems)
            self._refuse_duplicate(tx, schema.complaints, values["id"], row)
            if values["escalated_from"]:
                self._require(
                    tx,
                    schema.complaints,
                    values["escalated_from"],
                    "escalated_from",
                    "complaint",
                    row,
                )
            for action_id in action_ids:
                self._require(tx, schema.actions, action_id, "action_ids", "action", row)
            tx.execute(insert(schema.complaints).values(**values))
            if action_ids:
                tx.execute(
                    insert(schema.complaint_actions),
                    [
                        {"complaint_id": values["id"], "action_id": a}
                        for a in dict.fromkeys(action_ids)
                    ],
                )
        return {**values, "action_ids": action_ids}

    def add_cqc_score(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record a CQC assessment's score (1 to 4) for one quality statement.

        Raises:
            ValidationError: the source is missing or not a CQC assessment, or
                it already has a score for that statement.
        """
        values = clean_record("cqc_score", record, row)
        with self._using(conn) as tx:
            kind = tx.execute(
                select(schema.sources.c.kind).where(schema.sources.c.id == values["source_id"])
            ).scalar_one_or_none()
            problem = cqc_source_problem(values["source_id"], kind)
            if problem:
                raise ValidationError([FieldError("source_id", problem, row)])
            scores = schema.cqc_scores.c
            taken = tx.execute(
                select(scores.score).where(
                    scores.source_id == values["source_id"],
                    scores.quality_statement == values["quality_statement"],
                )
            ).first()
            if taken is not None:
                raise ValidationError(
                    [
                        FieldError(
                            "quality_statement",
                            f"{values['source_id']} already scores "
                            f"{values['quality_statement']!r} ({taken.score})",
                            row,
                        )
                    ]
                )
            tx.execute(insert(schema.cqc_scores).values(**values))
        return values

    def set_deadline_settings(self, changes: Mapping[str, object]) -> DeadlineSettings:
        """Change some of the plan's complaint time limits (`deadline.*` keys), all or none.

        `default` puts a setting back to SPEC section 10's value; a blank
        `extension_days` means no limit (as agreed). Complaints already
        recorded keep the response due date they were given or worked out.

        Raises:
            FieldError: a key is not a setting or a value is not allowed.
        """
        defaults = DeadlineSettings().as_settings()
        for key in changes:
            if key not in defaults:
                raise FieldError(
                    str(key), f"is not a deadline setting; the settings are {', '.join(defaults)}"
                )
        with self.write() as tx:
            stored = dict(tx.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
            merged = {key: value for key, value in stored.items() if key in defaults}
            for key, value in changes.items():
                text = "" if value is None else str(value).strip()
                if text.lower() == "default":
                    merged.pop(key, None)
                else:
                    merged[key] = text
            settings = DeadlineSettings.from_settings(merged)
            tx.execute(delete(schema.meta).where(schema.meta.c.key.in_(list(defaults))))
            wanted = {
                key: value
                for key, value in settings.as_settings().items()
                if value != defaults[key]
            }
            if wanted:
                tx.execute(insert(schema.meta), [{"key": k, "value": v} for k, v in wanted.items()])
        return settings

    def add_compliment(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record a compliment (counted in the quarter it was received)."""
        values = clean_record("compliment", record, row)
        with self._using(conn) as tx:
            self._refuse_duplicate(tx, schema.compliments, values["id"], row)
            tx.execute(insert(schema.compliments).values(**values))
        return values

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
            ValidationError: a field is wrong, the id is taken, or the
                recommendation does not exist.
        """
        today = today or date.today()
        values = creation_values(clean_record("action", record, row), today, row)
        if not str(by or "").strip():
            raise ValidationError([FieldError("by", "is required", row)])
        with self._using(conn) as tx:
            self._refuse_duplicate(tx, schema.actions, values["id"], row)
            self._require(
                tx,
                schema.recommendations,
                values["recommendation_id"],
                "recommendation_id",
                "recommendation",
                row,
            )
            who = str(by).strip()
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
        current = tx.execute(
            select(schema.actions.c.version).where(schema.actions.c.id == action_id)
        ).first()
        if current is None:
            raise ValidationError(
                [FieldError("action_id", f"there is no action {action_id!r}", row)]
            )
        version = current.version
        if expected_version is not None and expected_version != version:
            raise self._stale(tx, action_id, expected_version, version)
        timeline = self.timelines(tx, {action_id})[action_id]
        before = timeline.state_at(values["as_of"])
        if before is None:
            raise ValidationError(
                [
                    FieldError(
                        "as_of",
                        f"{values['as_of'].isoformat()} is before the action was created "
                        f"({timeline.created_on.isoformat()})",
                        row,
                    )
                ]
            )
        assignments, changes = plan_update(before, values, today, row)
        by = str(values["by"]).strip()
        recorded_at = utc_now()
        event = event_record(
            action_id,
            version + 1,
            "update",
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
        tx.execute(insert(schema.updates).values(**stored))
        return event_view(stored)

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
