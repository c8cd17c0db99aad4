"""An import's actions and updates, judged exactly as the CLI would judge them one at a time.

Actions are created with `rules.creation_values` and `rules.creation_events`,
as `add-action` creates them. Each update is judged by `rules.plan_update`
against its action's `Timeline` at the update's `as_of` (the events stored
and the rows before it), as `Store.record_update` would judge it; each
changed action's current row is then the timeline's `current_row`, the same
function a single save uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..assurance import APPROVE, REFUSE, REJECT, REQUEST, VERIFY, plan_event
from ..dates import as_date
from ..errors import ValidationError
from ..records import as_plain
from ..rules import STATE_FIELDS, creation_events, creation_values, event_record
from ..store import schema
from ..store.evidence import require_evidence
from ..store.writing import CURRENT_COLUMNS
from ..timeline import Timeline
from .loader import LoaderBase, Rows
from .rows import EDIT_COLUMNS, Row


class Loader(LoaderBase):
    """One import: everything `LoaderBase` checks, plus actions and updates."""

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
        """New actions, created as `add-action` creates them (or from their create rows).

        Beside a History sheet, an action comes from its create row; a row with
        no create row and a blank `version` is one added to the export by hand,
        created as any imported action is.
        """
        self.counts.setdefault("action", 0)
        self.action_sheet = rows
        for row, report in rows:
            values, by, recorded_at = dict(row.values), self.by, None
            origin, origin_report = row, report
            for name in EDIT_COLUMNS:
                if row.extras.get(name) is not None:
                    report(
                        name,
                        "is read only for an action the plan already holds (an export brought "
                        "back); record it with actionplan update once the action is imported",
                        row.number,
                    )

            create = creates.get(values["id"]) if self.history_mode else None
            if create is not None:
                origin, origin_report = create
                _from_create_row(values, origin)
                by, recorded_at = origin.values["by"], origin.extras["recorded_at"]
            elif self.history_mode and row.extras.get("version") is not None:
                report(
                    "id",
                    "has no create row on the History sheet (a row added by hand leaves "
                    "version blank)",
                    row.number,
                )
                self.failed_actions.add(values["id"])
                continue
            by = self.acting.recorded_by(by, origin.number)
            if not by:
                report("by", "is required: say who is importing these actions (--by)", None)
                return
            try:
                values = creation_values(values, self.today, origin.number)
                clock = self._clock if recorded_at is None else _always(recorded_at)
                events = creation_events(values, by, clock, self.today)
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
            self.events.extend(events)
            self.timelines[values["id"]] = Timeline.created(values, events, self.seq + 1, by)
            self.seq += len(events)
            self.created.append(values["id"])
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

    def check_update(self, rows: Rows) -> None:
        """Each update judged as `record_update` would judge it, in file order.

        Takes the rows: `rows` is emptied, and each row is let go once judged
        (at a million updates the rows would otherwise stay beside their events).
        """
        self.counts.setdefault("update", 0)
        updates = [
            (row, report)
            for row, report in rows
            if row.extras.get("kind") != "create"
            and row.values["action_id"] not in self.failed_actions
        ]
        rows.clear()
        named = {row.values["action_id"] for row, _ in updates} - set(self.created)
        self._load_timelines(named & self.known("actions"))
        today, events, touched, noted = self.today, self.events, self.touched, self.noted
        added = 0
        updates.reverse()
        while updates:
            row, report = updates.pop()
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
            kind = row.extras.get("kind") or "update"
            if kind in (VERIFY, REJECT, APPROVE, REFUSE):
                self.acting.require("lead", f"{kind} action {action_id} (row {row.number})")
            else:  # an officer's request names a due date it does not set
                checked = {**values, "due": None} if kind == REQUEST else values
                self.acting.check_update(action_id, before["owner"], checked, row.number)
            values["by"] = self.acting.recorded_by(values["by"], row.number)
            try:
                assignments, changes = plan_event(kind, before, values, today, row.number)
                if self.acting.checked and assignments.get("status") == "complete":
                    require_evidence(self.conn, action_id, row.number)  # SPEC section 8
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
            by = values["by"]
            events.append(
                event_record(
                    action_id,
                    timeline.count + 1,
                    kind,
                    by,
                    recorded_at,
                    as_of,
                    assignments,
                    changes,
                    values["reason"],
                    note,
                )
            )
            timeline.add((as_of, recorded_at, self.seq, assignments), by)
            touched.add(action_id)
            added += 1
        self.counts["update"] += added

    def _load_timelines(self, action_ids: set[str]) -> None:
        """Read the stored events of the actions the updates name, once."""
        if not action_ids:
            return
        stored = self.store.timelines(self.conn, action_ids)
        self.timelines.update(stored)
        self.base_versions.update({action_id: t.count for action_id, t in stored.items()})
        updates = schema.updates.c
        noted = select(updates.action_id, updates.as_of, updates.by, updates.note, updates.version)
        noted = noted.where(updates.note.is_not(None))
        if len(action_ids) <= 500:
            noted = noted.where(updates.action_id.in_(sorted(action_ids)))
        for found in self.conn.execute(noted):
            if found.action_id in action_ids:
                key = (found.action_id, as_date(found.as_of), found.by, found.note)
                self.noted[key] = f"version {found.version} of action {found.action_id}"

    # -- the result ---------------------------------------------------------

    def settle(self) -> None:
        """Work out each new or changed action's current row from its timeline."""
        today = self.today
        for action_id in self.created:
            self.new_rows[action_id] = self.timelines[action_id].current_row(today)
        for action_id in sorted(self.touched - set(self.created)):
            current = self.timelines[action_id].current_row(today)
            self.current_updates.append(
                (
                    *(current[name] for name in CURRENT_COLUMNS),
                    action_id,
                    self.base_versions[action_id],
                )
            )
        if self.history_mode:
            self._check_action_sheet()

    def _check_action_sheet(self) -> None:
        """An exported Actions sheet must agree with the History it came with."""
        for row, report in self.action_sheet:
            final = self.new_rows.get(row.values["id"])
            if final is None:
                continue
            checks = [
                (name, row.values[name])
                for name in _CHECKED_FIELDS
                if row.values[name] is not None
                or (name == "completed_on" and name in self.action_columns)
            ]
            for name, given in checks:
                if given != final[name]:
                    report(
                        name,
                        f"is {_shown(given)} but the History sheet gives {_shown(final[name])}; "
                        "record a change as a new row on the History sheet",
                        row.number,
                    )


#: Fields of an exported Actions sheet that must agree with its History sheet.
_CHECKED_FIELDS: tuple[str, ...] = (*STATE_FIELDS, "created_on", "baseline_due")


def _from_create_row(values: dict[str, Any], create: Row) -> None:
    """An action's values at creation, from its History create row (in place).

    Status, progress and due are the create row's; text fields it carries
    (an export writes them) are too, since the Actions sheet shows them as they
    stand after any correction. Completion and baseline come from the history,
    and are checked against the Actions sheet afterwards.
    """
    for name in ("status", "progress", "due"):
        values[name] = create.values[name]
    for name in STATE_FIELDS:
        if create.values.get(name) is not None:
            values[name] = create.values[name]
    values["created_on"] = create.values["as_of"]
    values["completed_on"] = values["baseline_due"] = None


def _always(recorded_at: datetime) -> Callable[[], datetime]:
    """The clock of an exported create row: the time it was recorded."""
    return lambda: recorded_at


def _shown(value: Any) -> str:
    return "blank" if value is None else repr(as_plain(value))
