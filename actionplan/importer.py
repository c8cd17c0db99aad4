"""Import a council's spreadsheet: every record checked, then all written or none.

The import works in two passes. First every row of every sheet is read and
checked (with `records.clean_record`, the same rules as the CLI) and every
problem is collected; ids and references are checked against sets read from
the database once, plus the ids defined earlier in the same file or workbook.
Updates are judged against each action's state at their `as_of` with
`history.plan_update`, replayed in memory (see `timeline`), exactly as
`Store.record_update` would judge them one by one. Only when nothing is wrong
is anything written, with bulk inserts, in the one transaction the caller
holds, and each changed action's current row comes from `history.state_at`.

The layout of an exported workbook, and how its History sheet rebuilds the
plan, is described in docs/import-export.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, bindparam, insert, select, update

from . import history, schema
from .dates import parse_date
from .errors import ActionPlanError, FieldError, ValidationError
from .records import KIND_NAMES, as_plain, clean_record, field_names, is_blank, required_fields
from .sheets import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    CellError,
    Sheet,
    open_workbook,
    read_csv,
    read_worksheet,
    unneutralise,
)
from .store import (
    Store,
    _typed_events,
    complaint_problems,
    creation_rows,
    creation_values,
    plain_state,
    utc_now,
)
from .timeline import RULE_FIELDS, Event, Timeline

#: Record kinds in the order their references need them.
DEPENDENCY_ORDER: tuple[str, ...] = (
    "source",
    "recommendation",
    "action",
    "update",
    "complaint",
    "compliment",
)
PLURAL: dict[str, str] = {kind: plural for plural, kind in KIND_NAMES.items()}

#: Columns an export adds to the Actions sheet, worked out from the history.
DERIVED_ACTION_COLUMNS: tuple[str, ...] = (
    "baseline_due",
    "completed_on",
    "rag",
    "version",
    "last_updated",
    "last_updated_by",
)
#: Columns of an export's History sheet beyond the update record's fields.
HISTORY_COLUMNS: tuple[str, ...] = ("kind", "version", "recorded_at")

_CHUNK = 5000
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"[a-z]+")


def kind_named(text: str) -> str | None:
    """The record kind a sheet title, file name word or `--kind` value names."""
    key = _HEADER_SEPARATORS.sub("_", str(text).strip().lower())
    if key in ("history", "updates", "update"):
        return "update"
    if key in KIND_NAMES:
        return KIND_NAMES[key]
    return key if key in PLURAL else None


def kind_from_file_name(path: Path) -> str | None:
    """The kind a file's name says it holds (`actions.csv`, `q3-updates.csv`), if exactly one."""
    found = {kind_named(word) for word in _WORDS.findall(path.stem.lower())} - {None}
    return found.pop() if len(found) == 1 else None


@dataclass
class Part:
    """One sheet to import as one kind of record.

    `is_history` marks an export's History sheet, whose `kind`, `version` and
    `recorded_at` columns are accepted.
    """

    kind: str
    sheet: Sheet
    is_history: bool = False


def _label(path: Path, title: str, several: bool) -> str:
    return f"sheet {title}" if several else f"{path.name}, sheet {title}"


def read_parts(path: str | Path, kind: str | None = None) -> list[Part]:
    """Read a CSV file or workbook into the parts to import, refusing what cannot be read.

    Raises:
        ActionPlanError: the file cannot be read, or its kind cannot be told.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    wanted = None
    if kind is not None:
        wanted = kind_named(kind)
        if wanted is None:
            raise ActionPlanError(
                f"--kind {kind!r} is not a record kind; use one of: {', '.join(KIND_NAMES)}"
            )
    if suffix in CSV_SUFFIXES:
        wanted = wanted or kind_from_file_name(path)
        if wanted is None:
            raise ActionPlanError(
                f"cannot tell from the name {path.name!r} what it holds; give --kind "
                f"({', '.join(KIND_NAMES)})"
            )
        return [Part(wanted, read_csv(path))]
    if suffix not in XLSX_SUFFIXES:
        raise ActionPlanError(
            f"{path}: cannot import {suffix or 'a file without an extension'}; "
            "save it as .xlsx or CSV UTF-8 (.csv)"
        )
    workbook = open_workbook(path)
    try:
        titled = [(ws.title, kind_named(ws.title), ws) for ws in workbook.worksheets]
        if wanted is not None:
            matching = [entry for entry in titled if entry[1] == wanted]
            if not matching and len(titled) == 1:
                matching = titled
            if len(matching) != 1:
                raise ActionPlanError(
                    f"{path}: has no single sheet named {PLURAL[wanted].title()}; "
                    "rename the sheet to import"
                )
            title, _, worksheet = matching[0]
            sheet = read_worksheet(path, worksheet, f"sheet {title}")
            return [Part(wanted, sheet, title.strip().lower() == "history")]
        chosen = [entry for entry in titled if entry[1] is not None]
        kinds = [entry[1] for entry in chosen]
        if not chosen:
            names = "Sources, Recommendations, Actions, History, Complaints, Compliments"
            raise ActionPlanError(
                f"{path}: no sheet is named after a record kind ({names}); "
                "rename a sheet or give --kind"
            )
        for twice in {k for k in kinds if kinds.count(k) > 1}:
            titles = " and ".join(t for t, k, _ in chosen if k == twice)
            raise ActionPlanError(f"{path}: sheets {titles} both hold {PLURAL[twice]}; keep one")
        parts = [
            Part(k, read_worksheet(path, ws, f"sheet {t}"), t.strip().lower() == "history")
            for t, k, ws in chosen
        ]
    finally:
        workbook.close()
    return sorted(parts, key=lambda part: DEPENDENCY_ORDER.index(part.kind))


def import_file(
    store: Store,
    path: str | Path,
    kind: str | None = None,
    by: str | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Import one CSV file or workbook into the plan, all of it or nothing.

    Args:
        store: the plan to add to.
        path: a `.csv` (its kind from `kind` or its name) or `.xlsx` file. A
            workbook without `kind` imports every sheet named after a kind.
        kind: sources, recommendations, actions, updates, complaints or compliments.
        by: who is recording; the creator of imported actions.
        today: the date nothing may be dated after (tests pass a fixed one).

    Returns:
        How many records of each kind were imported, e.g. `{"actions": 42}`.

    Raises:
        ActionPlanError: the file cannot be read.
        ValidationError: every problem found, each naming row and column.
    """
    parts = read_parts(path, kind)
    store.check()
    with store.write() as conn:
        return import_parts(store, conn, parts, by=by, today=today)


def import_parts(
    store: Store,
    conn: Connection,
    parts: list[Part],
    by: str | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Check and write several parts in one transaction (`conn`), in dependency order."""
    if not any(part.sheet.rows for part in parts):
        raise ActionPlanError("nothing to import: the file has no rows below its header")
    loader = _Loader(store, conn, by, today or date.today())
    parts = sorted(parts, key=lambda part: DEPENDENCY_ORDER.index(part.kind))
    loader.history_mode = any(
        part.is_history and "kind" in {_header_key(str(h)) for h in part.sheet.header}
        for part in parts
    )
    rows = {part.kind: loader.read(part) for part in parts}
    creates = loader.collect_creations(rows.get("update", []))
    for kind in DEPENDENCY_ORDER:
        if kind in ("action", "update"):
            getattr(loader, f"check_{kind}")(rows.get(kind, []), creates)
        elif kind in rows:
            getattr(loader, f"check_{kind}")(rows[kind])
    loader.settle()
    if loader.problems:
        raise ValidationError(loader.problems)
    loader.write()
    return {PLURAL[part.kind]: loader.counts[part.kind] for part in parts}


@dataclass
class _Row:
    """One cleaned row: where it came from, its record values and export-only extras."""

    number: int
    label: str | None
    values: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)


def _header_key(text: str) -> str:
    return _HEADER_SEPARATORS.sub("_", text.strip().lower())


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _percent_value(value: Any) -> Any:
    scaled = float(value) * 100
    return round(scaled) if abs(scaled - round(scaled)) < 1e-9 else scaled


def _recorded_at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.replace(tzinfo=None)
    text = str(value).strip().removesuffix("Z").removesuffix(" UTC")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time like 2025-01-31 14:05:00") from None


class _Loader:
    """The state of one import while it is being checked, then its writes."""

    def __init__(self, store: Store, conn: Connection, by: str | None, today: date) -> None:
        self.store = store
        self.conn = conn
        self.by = str(by).strip() if by is not None else ""
        self.today = today
        self.now = utc_now()
        self.ticks = 0
        self.problems: list[FieldError] = []
        self.counts: dict[str, int] = {kind: 0 for kind in DEPENDENCY_ORDER}
        self._known: dict[str, set[str]] = {}
        self.inserts: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("sources", "recommendations", "actions", "updates")
        }
        self.inserts.update(complaints=[], complaint_actions=[], compliments=[])
        self.timelines: dict[str, Timeline] = {}
        self.base_versions: dict[str, int] = {}
        self.existing_events = history.empty_events()
        self.new_actions: dict[str, dict[str, Any]] = {}
        self.touched: set[str] = set()
        self.action_sheet_rows: list[_Row] = []
        self.action_updates: list[dict[str, Any]] = []
        self.recommendation_of: dict[str, str] = {}
        self.event_seqs: list[int] = []
        self.seq = 10**12
        self.history_mode = False
        self.failed_actions: set[str] = set()
        self.noted: dict[tuple[str, date, str, str], str] = {}

    # -- helpers -----------------------------------------------------------

    def problem(self, column: str, message: str, row: int | None, label: str | None) -> None:
        self.problems.append(CellError(column, message, row, label))

    def adopt(self, error: ValidationError, row: _Row) -> None:
        for found in error.problems:
            column = found.field if found.field != "update" else ""
            self.problem(column, found.message, found.row or row.number, row.label)

    def known(self, table: str) -> set[str]:
        """Ids already in the database, read once per import."""
        if table not in self._known:
            column = schema.metadata.tables[table].c.id
            self._known[table] = set(self.conn.execute(select(column)).scalars())
        return self._known[table]

    def clock(self) -> datetime:
        """A recording time for the next event: now, in the order rows are taken."""
        self.ticks += 1
        return self.now + timedelta(microseconds=self.ticks)

    def new_id(self, table: str, row: _Row, column: str = "id") -> bool:
        record_id = row.values[column]
        if record_id in self.known(table):
            where = "in this file" if record_id in self.added(table) else "in the database"
            self.problem(column, f"{record_id!r} already exists {where}", row.number, row.label)
            return False
        self.known(table).add(record_id)
        self.added(table).add(record_id)
        return True

    def added(self, table: str) -> set[str]:
        return self._known.setdefault(f"new:{table}", set())

    def refers(self, table: str, value: str | None, column: str, what: str, row: _Row) -> bool:
        if value is None or value in self.known(table):
            return True
        self.problem(column, f"there is no {what} {value!r}", row.number, row.label)
        return False

    # -- reading -----------------------------------------------------------

    def read(self, part: Part) -> list[_Row]:
        """Check a sheet's header, then clean each row; problems are collected."""
        sheet, kind = part.sheet, part.kind
        label = sheet.name
        if not sheet.header:
            return []
        allowed_extra = set(HISTORY_COLUMNS) if part.is_history else set()
        if kind == "action" and self.history_mode:
            allowed_extra = set(DERIVED_ACTION_COLUMNS)
        fields = set(field_names(kind))
        columns: dict[int, str] = {}
        bad_header = False
        for index, heading in enumerate(sheet.header):
            if is_blank(heading):
                if any(index < len(c) and not is_blank(c[index]) for _, c in sheet.rows):
                    self.problem(_column_letter(index), "has values but no heading", 1, label)
                    bad_header = True
                continue
            name = _header_key(heading)
            if name in columns.values():
                self.problem(name, "appears twice in the header", 1, label)
                bad_header = True
            elif name in fields or name in allowed_extra:
                columns[index] = name
            elif name in DERIVED_ACTION_COLUMNS + HISTORY_COLUMNS:
                self.problem(
                    name,
                    "is worked out by actionplan and only read back from an exported "
                    "workbook; delete this column to import the file",
                    1,
                    label,
                )
                bad_header = True
            else:
                self.problem(
                    heading.strip(),
                    f"is not a field of a {kind}; the columns are {', '.join(field_names(kind))}",
                    1,
                    label,
                )
                bad_header = True
        for name in required_fields(kind):
            if name not in columns.values():
                self.problem(name, "is required but the header has no such column", 1, label)
                bad_header = True
        if bad_header:
            return []
        cleaned = []
        for number, cells in sheet.rows:
            row = self._read_row(kind, sheet, columns, number, cells, label)
            if row is not None:
                cleaned.append(row)
        return cleaned

    def _read_row(
        self,
        kind: str,
        sheet: Sheet,
        columns: dict[int, str],
        number: int,
        cells: list[Any],
        label: str | None,
    ) -> _Row | None:
        raw: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        for index, value in enumerate(cells):
            name = columns.get(index)
            if name is None:
                if not is_blank(value) and (
                    index >= len(sheet.header) or is_blank(sheet.header[index])
                ):
                    self.problem(_column_letter(index), "has a value but no heading", number, label)
                continue
            if isinstance(value, str):
                value = unneutralise(value)
            elif name == "progress" and (number - 0, index) in sheet.percent_cells:
                value = _percent_value(value)
            if name in HISTORY_COLUMNS + DERIVED_ACTION_COLUMNS and name not in field_names(kind):
                extras[name] = value
            else:
                raw[name] = value
        row = _Row(number, label, {}, extras)
        try:
            row.values = clean_record(kind, raw, number)
        except ValidationError as error:
            self.adopt(error, row)
            if kind == "action" and not is_blank(raw.get("id")):
                self.failed_actions.add(str(raw["id"]).strip())
            return None
        return row if self._read_extras(kind, row) else None

    def _read_extras(self, kind: str, row: _Row) -> bool:
        extras, ok = row.extras, True
        if kind == "update":
            event_kind = "" if is_blank(extras.get("kind")) else str(extras["kind"]).strip().lower()
            if event_kind not in ("", "create", "update"):
                self.problem(
                    "kind", f"{event_kind!r} is not create or update", row.number, row.label
                )
                ok = False
            extras["kind"] = event_kind or "update"
            if not is_blank(extras.get("recorded_at")):
                try:
                    extras["recorded_at"] = _recorded_at(extras["recorded_at"])
                except ValueError as error:
                    self.problem("recorded_at", str(error), row.number, row.label)
                    ok = False
                else:
                    if extras["recorded_at"] > self.now:
                        self.problem("recorded_at", "is in the future", row.number, row.label)
                        ok = False
            else:
                extras["recorded_at"] = None
        if kind == "action":
            for name in ("baseline_due", "completed_on"):
                try:
                    extras[name] = parse_date(extras.get(name), name, row.number)
                except FieldError as error:
                    self.problem(name, error.message, row.number, row.label)
                    ok = False
        return ok

    # -- checking, kind by kind ------------------------------------------------

    def collect_creations(self, rows: list[_Row]) -> dict[str, _Row]:
        """The History sheet's `create` rows, one per action, keyed by action id."""
        creates: dict[str, _Row] = {}
        for row in rows:
            if row.extras.get("kind") != "create":
                continue
            action_id = row.values["action_id"]
            if action_id in creates:
                first = creates[action_id].number
                self.problem(
                    "kind",
                    f"action {action_id!r} already has a create row (row {first})",
                    row.number,
                    row.label,
                )
            else:
                creates[action_id] = row
        return creates

    def check_source(self, rows: list[_Row]) -> None:
        for row in rows:
            if self.new_id("sources", row):
                self.inserts["sources"].append(row.values)
                self.counts["source"] += 1

    def check_recommendation(self, rows: list[_Row]) -> None:
        for row in rows:
            source_ok = self.refers("sources", row.values["source_id"], "source_id", "source", row)
            if self.new_id("recommendations", row) and source_ok:
                self.inserts["recommendations"].append(row.values)
                self.counts["recommendation"] += 1

    def check_action(self, rows: list[_Row], creates: dict[str, _Row]) -> None:
        if self.history_mode:
            self.action_sheet_rows = rows
        elif not self.by and rows:
            self.problem("by", "is required: say who is importing these actions (--by)", None, None)
            return
        for row in rows:
            values, by, recorded_at, origin = dict(row.values), self.by, None, row
            if self.history_mode:
                origin = creates.get(values["id"])
                if origin is None:
                    self.problem(
                        "id", "has no create row on the History sheet", row.number, row.label
                    )
                    self.failed_actions.add(values["id"])
                    continue
                for name in ("status", "progress", "due"):
                    values[name] = origin.values[name]
                values["created_on"] = origin.values["as_of"]
                by, recorded_at = origin.values["by"], origin.extras["recorded_at"]
            try:
                values = creation_values(values, self.today, origin.number)
            except ValidationError as error:
                self.adopt(error, origin)
                self.failed_actions.add(values["id"])
                continue
            recommendation_ok = self.refers(
                "recommendations",
                values["recommendation_id"],
                "recommendation_id",
                "recommendation",
                row,
            )
            if not (self.new_id("actions", row) and recommendation_ok):
                self.failed_actions.add(values["id"])
                continue
            event_row, action_row = creation_rows(values, by, recorded_at or self.clock())
            self.new_actions[values["id"]] = action_row
            self.recommendation_of[values["id"]] = values["recommendation_id"]
            timeline = Timeline(values["created_on"])
            timeline.add(self._event(event_row))
            self.timelines[values["id"]] = timeline
            self.counts["action"] += 1
        on_sheet = {row.values["id"] for row in rows}
        for action_id, create in creates.items():
            if action_id not in on_sheet:
                self.problem(
                    "action_id",
                    f"a create row needs action {action_id!r} on the Actions sheet",
                    create.number,
                    create.label,
                )

    def _event(self, event_row: dict[str, Any]) -> Event:
        """Queue an event for insertion and return it as the timeline orders it."""
        self.seq += 1
        self.inserts["updates"].append(event_row)
        self.event_seqs.append(self.seq)
        values = {name: event_row.get(name) for name in RULE_FIELDS}
        return Event(event_row["as_of"], event_row["recorded_at"], self.seq, values)

    def check_update(self, rows: list[_Row], creates: dict[str, _Row]) -> None:
        updates = [
            row
            for row in rows
            if row.extras.get("kind") != "create"
            and row.values["action_id"] not in self.failed_actions
        ]
        stored = {row.values["action_id"] for row in updates} - set(self.new_actions)
        self._load_timelines(stored & self.known("actions"))
        for row in updates:
            values = row.values
            action_id = values["action_id"]
            timeline = self.timelines.get(action_id)
            if timeline is None:
                if action_id in self.known("actions"):
                    continue  # its own row already carries the problem
                self.problem(
                    "action_id", f"there is no action {action_id!r}", row.number, row.label
                )
                continue
            values["as_of"] = values["as_of"] or self.today
            if self._repeated(row):
                continue
            before = timeline.state_at(values["as_of"])
            if before is None:
                self.problem(
                    "as_of",
                    f"{values['as_of'].isoformat()} is before the action was created "
                    f"({timeline.created_on.isoformat()})",
                    row.number,
                    row.label,
                )
                continue
            try:
                assignments, changes = history.plan_update(before, values, self.today, row.number)
            except ValidationError as error:
                self.adopt(error, row)
                continue
            recorded_at = row.extras.get("recorded_at")
            if recorded_at is not None and recorded_at < (
                timeline.latest_recorded_at or recorded_at
            ):
                self.problem(
                    "recorded_at",
                    "is earlier than the action's previous event; keep each action's rows "
                    "in the order they were recorded",
                    row.number,
                    row.label,
                )
                continue
            timeline.add(
                self._event(
                    {
                        "action_id": action_id,
                        "version": timeline.count + 1,
                        "kind": "update",
                        "by": values["by"],
                        "recorded_at": recorded_at or self.clock(),
                        "as_of": values["as_of"],
                        "reason": values.get("reason"),
                        "note": values.get("note"),
                        "changes": json.dumps(
                            {k: [as_plain(v) for v in pair] for k, pair in changes.items()}
                        ),
                        **{name: assignments.get(name) for name in schema.STATE_FIELDS},
                    }
                )
            )
            self.touched.add(action_id)
            self.counts["update"] += 1

    def _repeated(self, row: _Row) -> bool:
        """Refuse a note already recorded for the action that day by the same person.

        Other repeats are refused by `plan_update` as changing nothing; a note
        would be recorded twice, so importing the same file twice is caught here.
        """
        values = row.values
        if not values.get("note"):
            return False
        key = (values["action_id"], values["as_of"], values["by"], values["note"])
        earlier = self.noted.get(key)
        if earlier is None:
            self.noted[key] = f"row {row.number}"
            return False
        self.problem(
            "note",
            f"repeats {earlier} (same action, as_of, by and note); an update is imported only once",
            row.number,
            row.label,
        )
        return True

    def _load_timelines(self, action_ids: set[str]) -> None:
        """Read the stored events of the actions the updates name, once."""
        if not action_ids:
            return
        column = schema.updates.c.action_id
        where = column.in_(sorted(action_ids)) if len(action_ids) <= 500 else None
        frame = self.store._events(self.conn, where)
        if where is None:
            frame = frame[frame["action_id"].isin(action_ids)]
        frame = frame.sort_values(["action_id", "as_of", "recorded_at", "seq"], kind="stable")
        self.existing_events = frame
        updates = schema.updates.c
        noted = select(updates.action_id, updates.as_of, updates.by, updates.note, updates.version)
        noted = noted.where(updates.note.is_not(None))
        if where is not None:
            noted = noted.where(where)
        for found in self.conn.execute(noted):
            if found.action_id in action_ids:
                key = (found.action_id, _as_date(found.as_of), found.by, found.note)
                self.noted[key] = f"version {found.version} of action {found.action_id}"
        columns = {
            name: [None if pd.isna(v) else v for v in frame[name].tolist()]
            for name in ("action_id", "kind", "recommendation_id", "seq", *RULE_FIELDS)
        }
        as_ofs = [stamp.date() for stamp in frame["as_of"]]
        recorded = [stamp.to_pydatetime() for stamp in frame["recorded_at"]]
        for i, action_id in enumerate(columns["action_id"]):
            values = {
                name: _plain_value(columns[name][i])
                if name != "progress"
                else _whole(columns[name][i])
                for name in RULE_FIELDS
            }
            event = Event(as_ofs[i], recorded[i], int(columns["seq"][i]), values)
            timeline = self.timelines.get(action_id)
            if timeline is None:
                timeline = self.timelines[action_id] = Timeline(as_ofs[i])
                self.recommendation_of[action_id] = columns["recommendation_id"][i]
                self.base_versions[action_id] = 0
            if columns["kind"][i] == "create":
                timeline.created_on = as_ofs[i]
            timeline.add(event)
            self.base_versions[action_id] += 1

    def check_complaint(self, rows: list[_Row]) -> None:
        for row in rows:
            values = dict(row.values)
            values["outcome"] = values["outcome"] or "pending"
            problems = complaint_problems(values, row.number)
            if problems:
                self.adopt(ValidationError(problems), row)
            ok = not problems
            ok &= self.refers(
                "complaints", values["escalated_from"], "escalated_from", "complaint", row
            )
            for action_id in values["action_ids"]:
                ok &= self.refers("actions", action_id, "action_ids", "action", row)
            if not (self.new_id("complaints", row) and ok):
                continue
            action_ids = values.pop("action_ids")
            self.inserts["complaints"].append(values)
            self.inserts["complaint_actions"].extend(
                {"complaint_id": values["id"], "action_id": a} for a in dict.fromkeys(action_ids)
            )
            self.counts["complaint"] += 1

    def check_compliment(self, rows: list[_Row]) -> None:
        for row in rows:
            if self.new_id("compliments", row):
                self.inserts["compliments"].append(row.values)
                self.counts["compliment"] += 1

    # -- the result, then the writes -------------------------------------------

    def settle(self) -> None:
        """Work out each changed action's current row with `history.state_at`."""
        if self.touched:
            state = history.state_at(self._events_frame(self.touched), self.today)
            for record in state.to_dict("records"):
                plain = plain_state(record)  # type: ignore[arg-type]
                current = {name: plain[name] for name in schema.STATE_FIELDS}
                current.update(
                    version=plain["version"],
                    last_updated=plain["last_updated"],
                    last_updated_by=plain["last_updated_by"],
                )
                action_id = plain["id"]
                if action_id in self.new_actions:
                    self.new_actions[action_id].update(current)
                else:
                    self.action_updates.append(
                        {"b_id": action_id, "b_version": self.base_versions[action_id], **current}
                    )
        if self.history_mode:
            self._check_action_sheet()

    def _events_frame(self, action_ids: set[str]) -> pd.DataFrame:
        rows = [
            {**event, "seq": seq, "recommendation_id": self.recommendation_of[event["action_id"]]}
            for event, seq in zip(self.inserts["updates"], self.event_seqs, strict=True)
            if event["action_id"] in action_ids
        ]
        fresh = pd.DataFrame(rows, columns=list(history.EVENT_COLUMNS))
        fresh = _typed_events(fresh)
        stored = self.existing_events
        stored = stored[stored["action_id"].isin(action_ids)]
        if stored.empty:
            return fresh
        return pd.concat([stored[list(history.EVENT_COLUMNS)], fresh], ignore_index=True)

    def _check_action_sheet(self) -> None:
        """An exported Actions sheet must agree with the History it came with."""
        for row in self.action_sheet_rows:
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
                    self.problem(
                        name,
                        f"is {_shown(given)} but the History sheet gives {_shown(final[name])}; "
                        "record a change as a new row on the History sheet",
                        row.number,
                        row.label,
                    )

    def write(self) -> None:
        """Insert everything checked, in the order foreign keys need."""
        self._insert(schema.sources, self.inserts["sources"])
        self._insert(schema.recommendations, self.inserts["recommendations"])
        self._insert(schema.actions, list(self.new_actions.values()))
        self._insert(schema.updates, self.inserts["updates"])
        if self.action_updates:
            statement = update(schema.actions).where(
                schema.actions.c.id == bindparam("b_id"),
                schema.actions.c.version == bindparam("b_version"),
            )
            changed = 0
            for chunk in _chunks(self.action_updates):
                changed += self.conn.execute(statement, chunk).rowcount
            if changed != len(self.action_updates):
                raise ActionPlanError(
                    "some actions were changed by someone else during the import; "
                    "nothing was imported, try again"
                )
        self._insert(schema.complaints, self.inserts["complaints"])
        self._insert(schema.complaint_actions, self.inserts["complaint_actions"])
        self._insert(schema.compliments, self.inserts["compliments"])

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows):
            self.conn.execute(insert(table), chunk)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _plain_value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)


def _shown(value: Any) -> str:
    return "blank" if value is None else repr(as_plain(value))
