"""An exported workbook edited offline and brought back into the plan it came from.

An officer exports the plan, edits some actions' progress, status, due date
(with the `reason` column), text or `note`, adds rows, and imports the
workbook again. Before the usual checks run, the rows that describe records the
plan already holds are sorted out here:

- an Actions row is compared with the action as the export showed it (its
  stored events up to the `version` the row carries). Unchanged rows are left
  alone; a changed row becomes an update by the person importing, dated today
  or at its `as_of`, judged by `rules.plan_update` like any other update; a
  changed row whose action someone else has changed since the export is
  refused, naming who and when, so nobody's save is silently overwritten;
- History rows of those actions are the stored record: left alone when they
  match it, refused when edited or added (an edit goes on the Actions sheet);
- sources, recommendations, complaints and compliments already in the plan
  are left alone when unchanged and refused when edited.

Everything new (rows with new ids, and actions with a blank `version`) is then
created by the ordinary passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from ..complaints.checks import settle_complaint
from ..dates import as_date
from ..records import as_plain, field_names
from ..rules import STATE_FIELDS, UPDATE_FIELDS
from ..store import schema
from ..timeline import Timeline
from .loader import LoaderBase, Rows
from .rows import Row

#: Fields of an Actions row that an edit may not change: they say where the
#: action belongs and when it began, which the history holds.
FIXED_FIELDS: tuple[str, ...] = ("recommendation_id", "created_on", "baseline_due")

#: Tables of the records that are not actions, by kind.
_TABLES = {
    "source": "sources",
    "recommendation": "recommendations",
    "complaint": "complaints",
    "compliment": "compliments",
}


def bring_back(loader: LoaderBase, rows: dict[str, Rows]) -> None:
    """Sort out, in place, the rows of records the plan already holds (see the module)."""
    for kind, table in _TABLES.items():
        if rows.get(kind):
            rows[kind] = _unchanged_records_left_out(loader, kind, table, rows[kind])
    if rows.get("cqc_score"):
        rows["cqc_score"] = _unchanged_scores_left_out(loader, rows["cqc_score"])
    stored_ids = loader.known("actions") & {row.values["id"] for row, _ in rows.get("action", [])}
    history_ids = {row.values["action_id"] for row, _ in rows.get("update", [])}
    stored = _stored_events(loader, stored_ids | (history_ids & loader.known("actions")))
    if not stored:
        return
    rows["update"] = _history_left_out(rows.get("update", []), stored)
    edits: Rows = []
    kept: Rows = []
    for row, report in rows.get("action", []):
        if row.values["id"] in stored:
            edit = _edit(loader, row, report, stored[row.values["id"]])
            if edit is not None:
                edits.append((edit, report))
        else:
            kept.append((row, report))
    rows["action"] = kept
    rows["update"] = rows["update"] + edits


class _Stored:
    """One stored action's events, in version order, and its recommendation."""

    def __init__(self, recommendation_id: str) -> None:
        self.recommendation_id = recommendation_id
        self.events: list[Any] = []

    @property
    def version(self) -> int:
        return len(self.events)

    def as_exported(self, version: int, today: date) -> dict[str, Any]:
        """The action as an export at `version` showed it (its current row then)."""
        first = self.events[0]
        timeline = Timeline(
            first.action_id, self.recommendation_id, as_date(first.as_of), first.due
        )
        for event in self.events[:version]:
            values = {name: getattr(event, name) for name in STATE_FIELDS}
            values = {name: value for name, value in values.items() if value is not None}
            timeline.add((as_date(event.as_of), event.recorded_at, event.seq, values), event.by)
        return timeline.current_row(today)


def _stored_events(loader: LoaderBase, action_ids: set[str]) -> dict[str, _Stored]:
    """Every stored event of these actions, read once, in version order."""
    found: dict[str, _Stored] = {}
    if action_ids:
        for event in loader.store.event_rows(loader.conn, action_ids, in_versions=True):
            found.setdefault(event.action_id, _Stored(event.recommendation_id)).events.append(event)
    return found


def _history_left_out(history: Rows, stored: dict[str, _Stored]) -> Rows:
    """History rows of stored actions are the record: kept out, unless edited or added."""
    kept: Rows = []
    for row, report in history:
        known = stored.get(row.values["action_id"])
        if known is None:
            kept.append((row, report))
            continue
        version = row.extras.get("version")
        event = known.events[version - 1] if version and 0 < version <= known.version else None
        if (
            event is None
            or row.values["by"] != event.by
            or (row.values["as_of"] and row.values["as_of"] != as_date(event.as_of))
        ):
            report(
                "",
                f"does not match version {version or '(blank)'} of action "
                f"{row.values['action_id']} in the plan; the History sheet is the record and is "
                "not edited: put a change on the Actions sheet (with its note, reason and as_of "
                "columns)",
                row.number,
            )
    return kept


def _edit(loader: LoaderBase, row: Row, report: Callable[..., None], stored: _Stored) -> Row | None:
    """The update an edited Actions row stands for; None when unchanged or refused."""
    action_id = row.values["id"]
    version = row.extras.get("version")
    if version is None:
        report(
            "id",
            f"{action_id!r} already exists in the database (a row edited offline keeps the "
            "version the export wrote; a new action needs a new id)",
            row.number,
        )
        return None
    if not 0 < version <= stored.version or (
        row.extras.get("last_updated_by")
        and row.extras["last_updated_by"] != _latest_by(stored, version)
    ):
        report(
            "version",
            f"action {action_id} has no version {version} as this workbook shows it: it was "
            "not exported from this plan",
            row.number,
        )
        return None
    exported = stored.as_exported(version, loader.today)
    changed, problems = _changes(row, exported)
    edit_columns = {name: row.extras.get(name) for name in ("as_of", "reason", "note")}
    for name, message in problems:
        report(name, message, row.number)
    if problems or not (changed or any(edit_columns.values())):
        return None
    if version != stored.version:
        later = stored.events[version:]
        names = ", ".join(dict.fromkeys(event.by for event in later))
        when = later[-1].recorded_at.strftime("%Y-%m-%d %H:%M UTC")
        report(
            "version",
            f"action {action_id} was changed by {names} since this export (last at {when}; "
            f"the plan is at version {stored.version}, this row at {version}); nothing was "
            "imported: export again and redo this row",
            row.number,
        )
        return None
    values: dict[str, Any] = dict.fromkeys(field_names("update"))
    values.update(changed, action_id=action_id, by=loader.by, **edit_columns)
    return Row(row.number, values)


def _changes(row: Row, exported: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The fields an Actions row changes from the action as exported, and what it may not."""
    changed: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    given = row.values
    for name in UPDATE_FIELDS:
        before, after = _comparable(exported[name]), given[name]
        if after is None and before is not None:
            problems.append(
                (name, f"is blank but the plan has {_shown(before)}; a blank cell cannot clear it")
            )
        elif after != before:
            changed[name] = after
    status = changed.get("status", exported["status"])
    if status == "complete" and given["completed_on"] not in (None, exported["completed_on"]):
        changed["completed_on"] = given["completed_on"]
    for name in FIXED_FIELDS:
        if given[name] is not None and given[name] != exported[name]:
            problems.append(
                (
                    name,
                    f"is {_shown(given[name])} but the plan has {_shown(exported[name])}; "
                    "it cannot be changed by an edit",
                )
            )
    return changed, problems


def _comparable(value: Any) -> Any:
    """A stored value as it comes back from a workbook (control characters are spaces)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub(" ", value).strip()
    return value


def _latest_by(stored: _Stored, version: int) -> str:
    """Who recorded the latest of the first `version` events (the export's last_updated_by)."""
    return max(stored.events[:version], key=lambda event: (event.recorded_at, event.seq)).by


def _unchanged_records_left_out(loader: LoaderBase, kind: str, table_name: str, rows: Rows) -> Rows:
    """Rows of records already stored: kept out when unchanged, refused when edited."""
    ids = {row.values["id"] for row, _ in rows} & loader.known(table_name)
    if not ids:
        return rows
    table = schema.metadata.tables[table_name]
    names = [name for name in field_names(kind) if name != "action_ids"]
    stored = {
        found.id: dict(found._mapping)
        for found in loader.conn.execute(_of(select(table), table.c.id, ids))
        if found.id in ids
    }
    if kind == "complaint":
        links = schema.complaint_actions
        for record in stored.values():
            record["action_ids"] = set()
        for link in loader.conn.execute(_of(select(links), links.c.complaint_id, ids)):
            if link.complaint_id in stored:
                stored[link.complaint_id]["action_ids"].add(link.action_id)
        names.append("action_ids")
    settings = loader.store.deadline_settings(loader.conn)
    kept: Rows = []
    for row, report in rows:
        record = stored.get(row.values["id"])
        if record is None:
            kept.append((row, report))
            continue
        values = dict(row.values)
        if kind == "complaint":
            settle_complaint(values, settings)  # blanks read as the defaults they stood for
            if row.values["response_due"] is None and record["response_due"] is None:
                values["response_due"] = None  # a complaint from before schema 5 had none
        for name in names:
            given, have = values[name], record[name]
            if name == "action_ids":
                given = set(given)
            if given != _comparable(have):
                report(
                    name,
                    f"is {_shown(given)} but the plan's {kind} {row.values['id']} has "
                    f"{_shown(have)}; an export brought back adds records and edits actions, "
                    "it does not change other records",
                    row.number,
                )
    return kept


def _unchanged_scores_left_out(loader: LoaderBase, rows: Rows) -> Rows:
    """CQC scores already stored: kept out when the same, refused when the score differs."""
    scores = schema.cqc_scores.c
    stored = {
        (source, statement): score
        for source, statement, score in loader.conn.execute(
            select(scores.source_id, scores.quality_statement, scores.score)
        )
    }
    kept: Rows = []
    for row, report in rows:
        key = (row.values["source_id"], row.values["quality_statement"])
        if key not in stored:
            kept.append((row, report))
        elif stored[key] != row.values["score"]:
            report(
                "score",
                f"is {row.values['score']} but the plan's score of {key[1]!r} for {key[0]} is "
                f"{stored[key]}; an export brought back does not change other records",
                row.number,
            )
    return kept


def _of(statement: Any, column: Any, ids: set[str]) -> Any:
    """Rows for these ids: named in the query when few (a database takes only so many)."""
    return statement.where(column.in_(sorted(ids))) if len(ids) <= 500 else statement


def _shown(value: Any) -> str:
    if value is None or value == set():
        return "blank"
    if isinstance(value, set):
        return repr(";".join(sorted(value)))
    return repr(as_plain(value))
