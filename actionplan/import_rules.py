"""The checks an import makes across rows, and its writes once nothing is wrong.

Ids must be new and references must exist, in the database (read once per
import into sets) or earlier in the same file or workbook. Actions are created
with `store.creation_values` and `store.creation_rows`, as `add-action` does.
Updates are judged by `history.plan_update` against each action's state at
their `as_of`, from the events stored and the rows before them (see
`timeline`), exactly as `Store.record_update` would judge them one at a time;
each changed action's current row is then taken from `history.state_at`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from . import bulk, history, schema
from .errors import ActionPlanError, FieldError, ValidationError
from .import_rows import Row
from .records import as_plain, field_names
from .sheets import CellError
from .store import (
    Store,
    complaint_problems,
    creation_rows,
    creation_values,
    utc_now,
)
from .timeline import RULE_FIELDS, Timeline

#: Columns of an event as the importer inserts it.
EVENT_COLUMNS: tuple[str, ...] = (
    "action_id",
    "version",
    "kind",
    "by",
    "recorded_at",
    "as_of",
    "reason",
    "note",
    "changes",
    *schema.STATE_FIELDS,
)
#: The parent each kind's rows name, checked even on rows with other problems.
_PARENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "recommendation": (("source_id", "sources", "source"),),
    "action": (("recommendation_id", "recommendations", "recommendation"),),
    "update": (("action_id", "actions", "action"),),
}

#: Columns of a new action's current row: those of a replayed state.
ACTION_COLUMNS: tuple[str, ...] = history.STATE_COLUMNS
_CURRENT_COLUMNS: tuple[str, ...] = (
    *schema.STATE_FIELDS,
    "version",
    "last_updated",
    "last_updated_by",
)
#: Above this many actions, read every stored event rather than list the ids.
_FILTER_LIMIT = 500

Rows = list[tuple[Row, Callable[[str, str, int | None], None]]]


class Loader:
    """One import: the rows checked so far, the problems found, and what to write.

    Args:
        store: the plan being imported into.
        conn: the write transaction everything happens in.
        by: who is importing (the creator of actions without a History sheet).
        today: nothing may be dated later.
    """

    def __init__(self, store: Store, conn: Connection, by: str | None, today: date) -> None:
        self.store = store
        self.conn = conn
        self.by = str(by).strip() if by is not None else ""
        self.today = today
        self.now = utc_now()
        self.ticks = 0
        self.seq = 10**12
        self.history_mode = False
        self.problems: list[FieldError] = []
        self.counts: dict[str, int] = {}
        self.failed_actions: set[str] = set()
        self._known: dict[str, set[str]] = {}
        self._added: dict[str, set[str]] = {}
        self.records: dict[str, list[tuple]] = {}
        self.new_actions: dict[str, dict[str, Any]] = {}
        self.events: list[tuple] = []
        self.event_seqs: list[int] = []
        self.timelines: dict[str, Timeline] = {}
        self.recommendation_of: dict[str, str] = {}
        self.base_versions: dict[str, int] = {}
        self.existing_events = history.empty_events()
        self.touched: set[str] = set()
        self.current_updates: list[tuple] = []
        self.action_sheet: list[tuple[Row, Any]] = []
        self.noted: dict[tuple, str] = {}

    # -- helpers -----------------------------------------------------------

    def reporter(self, label: str | None) -> Callable[[str, str, int | None], None]:
        """A function that records a problem in the sheet called `label`."""

        def report(column: str, message: str, row: int | None) -> None:
            self.problems.append(CellError(column, message, row, label))

        return report

    def _adopt(self, error: ValidationError, number: int, report: Any) -> None:
        for found in error.problems:
            column = "" if found.field == "update" else found.field
            report(column, found.message, found.row or number)

    def known(self, table: str) -> set[str]:
        """Ids in the database (read once) plus those added by this import."""
        if table not in self._known:
            column = schema.metadata.tables[table].c.id
            self._known[table] = set(self.conn.execute(select(column)).scalars())
            self._added[table] = set()
        return self._known[table]

    def _new_id(self, table: str, record_id: str, number: int, report: Any) -> bool:
        known = self.known(table)
        if record_id in known:
            where = "in this file" if record_id in self._added[table] else "in the database"
            report("id", f"{record_id!r} already exists {where}", number)
            return False
        known.add(record_id)
        self._added[table].add(record_id)
        return True

    def _refers(
        self, table: str, value: str | None, column: str, what: str, number: int, report: Any
    ) -> bool:
        if value is None or value in self.known(table):
            return True
        report(column, f"there is no {what} {value!r}", number)
        return False

    def check_references(self, unread: list[tuple[str, Row, Any]]) -> None:
        """Name the missing parents of rows that failed for other reasons too."""
        for kind, row, report in unread:
            for column, table, what in _PARENTS.get(kind, ()):
                value = row.values.get(column)
                if value is not None and value not in self.failed_actions:
                    self._refers(table, value, column, what, row.number, report)

    def _clock(self) -> datetime:
        """A recording time for the next event: now, in the order rows are taken."""
        self.ticks += 1
        return self.now + timedelta(microseconds=self.ticks)

    def _count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def _add_event(self, event: tuple, timeline: Timeline, values: dict[str, Any]) -> None:
        self.seq += 1
        self.events.append(event)
        self.event_seqs.append(self.seq)
        timeline.add((event[5], event[4], self.seq, values))

    # -- records other than actions ----------------------------------------

    def check_plain(self, kind: str, rows: Rows) -> None:
        """Sources, recommendations and compliments: new ids, existing references."""
        table = {"source": "sources", "recommendation": "recommendations"}.get(kind, "compliments")
        names = field_names(kind)
        found = self.records.setdefault(table, [])
        self.counts.setdefault(kind, 0)
        for row, report in rows:
            values = row.values
            ok = kind != "recommendation" or self._refers(
                "sources", values["source_id"], "source_id", "source", row.number, report
            )
            if self._new_id(table, values["id"], row.number, report) and ok:
                found.append(tuple(values[name] for name in names))
                self._count(kind)

    def check_complaint(self, rows: Rows) -> None:
        """Complaints: escalations name an earlier record, action ids exist."""
        names = [name for name in field_names("complaint") if name != "action_ids"]
        complaints = self.records.setdefault("complaints", [])
        links = self.records.setdefault("complaint_actions", [])
        self.counts.setdefault("complaint", 0)
        for row, report in rows:
            values = dict(row.values)
            values["outcome"] = values["outcome"] or "pending"
            problems = complaint_problems(values, row.number)
            for problem in problems:
                report(problem.field, problem.message, row.number)
            ok = not problems
            ok &= self._refers(
                "complaints",
                values["escalated_from"],
                "escalated_from",
                "complaint",
                row.number,
                report,
            )
            for action_id in values["action_ids"]:
                ok &= self._refers("actions", action_id, "action_ids", "action", row.number, report)
            if self._new_id("complaints", values["id"], row.number, report) and ok:
                complaints.append(tuple(values[name] for name in names))
                links.extend((values["id"], a) for a in dict.fromkeys(values["action_ids"]))
                self._count("complaint")

    # -- actions -----------------------------------------------------------

    def collect_creations(self, rows: Rows) -> dict[str, tuple[Row, Any]]:
        """The History sheet's `create` rows, one per action, keyed by action id."""
        creates: dict[str, tuple[Row, Any]] = {}
        for row, report in rows:
            if row.extras.get("kind") != "create":
                continue
            action_id = row.values["action_id"]
            if action_id in creates:
                first = creates[action_id][0].number
                report(
                    "kind",
                    f"action {action_id!r} already has a create row (row {first})",
                    row.number,
                )
            else:
                creates[action_id] = (row, report)
        return creates

    def check_action(self, rows: Rows, creates: dict[str, tuple[Row, Any]]) -> None:
        """New actions, created as `add-action` creates them (or from their create rows)."""
        self.counts.setdefault("action", 0)
        if not self.history_mode and rows and not self.by:
            rows[0][1]("by", "is required: say who is importing these actions (--by)", None)
            return
        self.action_sheet = rows
        for row, report in rows:
            values, by, recorded_at = dict(row.values), self.by, None
            origin, origin_report = row, report
            if self.history_mode:
                create = creates.get(values["id"])
                if create is None:
                    report("id", "has no create row on the History sheet", row.number)
                    self.failed_actions.add(values["id"])
                    continue
                origin, origin_report = create
                for name in ("status", "progress", "due"):
                    values[name] = origin.values[name]
                values["created_on"] = origin.values["as_of"]
                by, recorded_at = origin.values["by"], origin.extras["recorded_at"]
            try:
                values = creation_values(values, self.today, origin.number)
            except ValidationError as error:
                self._adopt(error, origin.number, origin_report)
                self.failed_actions.add(values["id"])
                continue
            recommendation_ok = self._refers(
                "recommendations",
                values["recommendation_id"],
                "recommendation_id",
                "recommendation",
                row.number,
                report,
            )
            if not (
                self._new_id("actions", values["id"], row.number, report) and recommendation_ok
            ):
                self.failed_actions.add(values["id"])
                continue
            event_row, action_row = creation_rows(values, by, recorded_at or self._clock())
            self.new_actions[values["id"]] = action_row
            self.recommendation_of[values["id"]] = values["recommendation_id"]
            timeline = self.timelines[values["id"]] = Timeline(values["created_on"])
            event = tuple(event_row[name] for name in EVENT_COLUMNS)
            self._add_event(event, timeline, {name: event_row[name] for name in RULE_FIELDS})
            self._count("action")
        on_sheet = {row.values["id"] for row, _ in rows}
        for action_id, (create, report) in creates.items():
            if action_id not in on_sheet:
                report(
                    "action_id",
                    f"a create row needs action {action_id!r} on the Actions sheet of the same "
                    "workbook (import the whole workbook, without --kind)",
                    create.number,
                )

    # -- updates -----------------------------------------------------------

    def check_update(self, rows: Rows) -> None:
        """Each update judged as `record_update` would judge it, in file order."""
        self.counts.setdefault("update", 0)
        updates = [
            (row, report)
            for row, report in rows
            if row.extras.get("kind") != "create"
            and row.values["action_id"] not in self.failed_actions
        ]
        named = {row.values["action_id"] for row, _ in updates} - set(self.new_actions)
        self._load_timelines(named & self.known("actions"))
        plan_update, today = history.plan_update, self.today
        blank_tail = [None] * len(schema.STATE_FIELDS)
        tail_at = {name: index for index, name in enumerate(schema.STATE_FIELDS)}
        events, seqs, touched, noted = self.events, self.event_seqs, self.touched, self.noted
        added = 0
        for row, report in updates:
            values = row.values
            action_id = values["action_id"]
            timeline = self.timelines.get(action_id)
            if timeline is None:
                report("action_id", f"there is no action {action_id!r}", row.number)
                continue
            as_of = values["as_of"] = values["as_of"] or today
            note = values["note"]
            if note:
                key = (action_id, as_of, values["by"], note)
                if key in noted:
                    earlier = noted[key]
                    where = f"row {earlier}" if isinstance(earlier, int) else earlier
                    report(
                        "note",
                        f"repeats {where} (same action, as_of, by and note); "
                        "an update is imported only once",
                        row.number,
                    )
                    continue
                noted[key] = row.number
            before = timeline.state_at(as_of)
            if before is None:
                report(
                    "as_of",
                    f"{as_of.isoformat()} is before the action was created "
                    f"({timeline.created_on.isoformat()})",
                    row.number,
                )
                continue
            try:
                assignments, changes = plan_update(before, values, today, row.number)
            except ValidationError as error:
                self._adopt(error, row.number, report)
                continue
            recorded_at = row.extras.get("recorded_at") if row.extras else None
            if recorded_at is None:
                self.ticks += 1
                recorded_at = self.now + timedelta(microseconds=self.ticks)
            elif recorded_at < timeline.latest_recorded_at:
                report(
                    "recorded_at",
                    "is earlier than the action's previous event; keep each action's rows "
                    "in the order they were recorded",
                    row.number,
                )
                continue
            self.seq += 1
            tail = list(blank_tail)
            for name, value in assignments.items():
                tail[tail_at[name]] = value
            events.append(
                (
                    action_id,
                    timeline.count + 1,
                    "update",
                    values["by"],
                    recorded_at,
                    as_of,
                    values["reason"],
                    note,
                    changes_json(changes),
                    *tail,
                )
            )
            seqs.append(self.seq)
            timeline.add((as_of, recorded_at, self.seq, assignments))
            touched.add(action_id)
            added += 1
        self.counts["update"] += added

    def _load_timelines(self, action_ids: set[str]) -> None:
        """Read the stored events of the actions the updates name, once."""
        if not action_ids:
            return
        updates = schema.updates.c
        where = (
            updates.action_id.in_(sorted(action_ids)) if len(action_ids) <= _FILTER_LIMIT else None
        )
        frame = self.store._events(self.conn, where)
        if where is None:
            frame = frame[frame["action_id"].isin(action_ids)]
        frame = frame.sort_values(["action_id", "as_of", "recorded_at", "seq"], kind="stable")
        self.existing_events = frame
        columns = {
            name: frame[name].astype(object).where(frame[name].notna(), None).tolist()
            for name in ("action_id", "kind", "recommendation_id", "seq", "status", "progress")
        }
        for name in ("due", "completed_on", "as_of"):
            columns[name] = [None if pd.isna(v) else v.date() for v in frame[name]]
        recorded = [stamp.to_pydatetime() for stamp in frame["recorded_at"]]
        for i, action_id in enumerate(columns["action_id"]):
            progress = columns["progress"][i]
            values = {
                "status": columns["status"][i],
                "progress": None if progress is None else int(progress),
                "due": columns["due"][i],
                "completed_on": columns["completed_on"][i],
            }
            as_of = columns["as_of"][i]
            timeline = self.timelines.get(action_id)
            if timeline is None:
                timeline = self.timelines[action_id] = Timeline(as_of)
                self.recommendation_of[action_id] = columns["recommendation_id"][i]
                self.base_versions[action_id] = 0
            if columns["kind"][i] == "create":
                timeline.created_on = as_of
            timeline.add((as_of, recorded[i], int(columns["seq"][i]), values))
            self.base_versions[action_id] += 1
        noted = select(updates.action_id, updates.as_of, updates.by, updates.note, updates.version)
        noted = noted.where(updates.note.is_not(None))
        if where is not None:
            noted = noted.where(where)
        for found in self.conn.execute(noted):
            if found.action_id in action_ids:
                key = (found.action_id, _as_date(found.as_of), found.by, found.note)
                self.noted[key] = f"version {found.version} of action {found.action_id}"

    # -- the result, then the writes ---------------------------------------

    def settle(self) -> None:
        """Work out each changed action's current row with `history.state_at`."""
        if self.touched:
            state = history.state_at(self._events_frame(self.touched), self.today)
            for plain in _plain_records(state, ("id", *_CURRENT_COLUMNS)):
                action_id = plain["id"]
                if action_id in self.new_actions:
                    self.new_actions[action_id].update(
                        {name: plain[name] for name in _CURRENT_COLUMNS}
                    )
                else:
                    self.current_updates.append(
                        (
                            *(plain[name] for name in _CURRENT_COLUMNS),
                            action_id,
                            self.base_versions[action_id],
                        )
                    )
        if self.history_mode:
            self._check_action_sheet()

    def _events_frame(self, action_ids: set[str]) -> pd.DataFrame:
        events, seqs = self.events, self.event_seqs
        if any(event[0] not in action_ids for event in events):
            chosen = [i for i, event in enumerate(events) if event[0] in action_ids]
            events, seqs = [events[i] for i in chosen], [seqs[i] for i in chosen]
        columns = dict(zip(EVENT_COLUMNS, map(list, zip(*events, strict=True)), strict=True))
        columns["seq"] = seqs
        columns["recommendation_id"] = [self.recommendation_of[a] for a in columns["action_id"]]
        for name in (*history.DATE_FIELDS, "as_of"):
            columns[name] = _datetime64(columns[name])
        columns["recorded_at"] = pd.DatetimeIndex(columns["recorded_at"]).to_numpy("datetime64[ns]")
        fresh = pd.DataFrame({name: columns[name] for name in history.EVENT_COLUMNS})
        fresh["progress"] = pd.array(columns["progress"], dtype="Float64")
        stored = self.existing_events
        stored = stored[stored["action_id"].isin(action_ids)]
        if stored.empty:
            return fresh
        return pd.concat([stored[list(history.EVENT_COLUMNS)], fresh], ignore_index=True)

    def _check_action_sheet(self) -> None:
        """An exported Actions sheet must agree with the History it came with."""
        for row, report in self.action_sheet:
            final = self.new_actions.get(row.values["id"])
            if final is None:
                continue
            checks = [
                (name, row.values[name])
                for name in ("status", "progress", "due", "created_on")
                if row.values[name] is not None
            ]
            checks += [
                (name, row.extras[name])
                for name in ("baseline_due", "completed_on")
                if name in row.extras and (name == "completed_on" or row.extras[name] is not None)
            ]
            for name, given in checks:
                if given != final[name]:
                    report(
                        name,
                        f"is {_shown(given)} but the History sheet gives {_shown(final[name])}; "
                        "record a change as a new row on the History sheet",
                        row.number,
                    )

    def write(self) -> None:
        """Insert everything checked, in the order foreign keys need."""
        sqlite = self.conn.dialect.name == "sqlite"
        if sqlite:
            # Big imports insert into several indexes at once; a larger page
            # cache for this transaction cuts the time by about a third.
            self.conn.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            self._write()
        finally:
            if sqlite:
                self.conn.exec_driver_sql("PRAGMA cache_size=-2000")

    def _write(self) -> None:
        conn = self.conn
        for table, kind in (("sources", "source"), ("recommendations", "recommendation")):
            bulk.insert_rows(
                conn, schema.metadata.tables[table], field_names(kind), self.records.get(table, [])
            )
        actions = [tuple(row[name] for name in ACTION_COLUMNS) for row in self.new_actions.values()]
        bulk.insert_rows(conn, schema.actions, ACTION_COLUMNS, actions)
        bulk.insert_rows(conn, schema.updates, EVENT_COLUMNS, self.events)
        changed = bulk.update_rows(
            conn, schema.actions, _CURRENT_COLUMNS, ("id", "version"), self.current_updates
        )
        if changed != len(self.current_updates):
            raise ActionPlanError(
                "some actions were changed by someone else during the import; "
                "nothing was imported, try again"
            )
        complaint_columns = [n for n in field_names("complaint") if n != "action_ids"]
        bulk.insert_rows(
            conn, schema.complaints, complaint_columns, self.records.get("complaints", [])
        )
        bulk.insert_rows(
            conn,
            schema.complaint_actions,
            ("complaint_id", "action_id"),
            self.records.get("complaint_actions", []),
        )
        bulk.insert_rows(
            conn, schema.compliments, field_names("compliment"), self.records.get("compliments", [])
        )


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
    """`json.dumps` of an event's changes, built directly for the usual plain values."""
    return (
        "{"
        + ", ".join(
            f'"{name}": [{_json_value(old)}, {_json_value(new)}]'
            for name, (old, new) in changes.items()
        )
        + "}"
    )


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _plain_records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows of a state frame as `store.plain_state` gives them, converted column by column."""
    converted = {}
    for name in columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            stamps = series.dt.to_pydatetime() if name == "last_updated" else series.dt.date
            values = [None if pd.isna(v) else v for v in stamps]
        else:
            values = [
                None if v is None or (not isinstance(v, str) and pd.isna(v)) else _native(v)
                for v in series.astype(object)
            ]
        converted[name] = values
    return [dict(zip(columns, row, strict=True)) for row in zip(*converted.values(), strict=True)]


def _native(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _datetime64(days: list[date | None]) -> np.ndarray:
    """Dates (or None) as a datetime64[ns] array, without a per-value pandas parse."""
    ordinals = np.fromiter(
        (day.toordinal() - _EPOCH_ORDINAL if day is not None else -(2**62) for day in days),
        dtype="int64",
        count=len(days),
    )
    result = ordinals.astype("datetime64[D]").astype("datetime64[ns]")
    result[ordinals == -(2**62)] = np.datetime64("NaT")
    return result


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _shown(value: Any) -> str:
    return "blank" if value is None else repr(as_plain(value))
