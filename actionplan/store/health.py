"""Finding and mending dates a plan should never have held (`actionplan check`, `correct-date`).

Older versions accepted any year, so a plan may hold a due date in year 205
or a complaint received in 1925. Such a plan still lists, summarises and
exports (frames hold dates from year 1 to 9999), but its figures are wrong
until the date is put right. `date_problems` names every such date with the
command that mends it: an action's date through an update (its history keeps
the old value), a source's, complaint's or compliment's through `correct_date`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, or_, select, update

from ..complaints.checks import settle_complaint
from ..complaints.deadlines import DeadlineSettings, worked_out_response_due
from ..dates import date_range, in_words, parse_date
from ..errors import FieldError, NotFoundError, ValidationError
from ..records import clean_record
from ..vocab import with_article
from . import Store, schema
from .people import acting_in

#: Records whose dates `correct_date` may change: they carry no history of their own.
CORRECTABLE: dict[str, str] = {
    "source": "sources",
    "complaint": "complaints",
    "compliment": "compliments",
}
_KIND_OF = {"actions": "action", "updates": "action", **{v: k for k, v in CORRECTABLE.items()}}


@dataclass(frozen=True)
class DateProblem:
    """One stored date outside the plan's date range, and how to mend it."""

    kind: str
    record_id: str
    field: str
    value: date
    fix: str

    def __str__(self) -> str:
        earliest, latest = date_range()
        return (
            f"{self.kind} {self.record_id}: {self.field} {self.value.isoformat()} is outside "
            f"{in_words(earliest)} to {in_words(latest)}; {self.fix}"
        )


def date_problems(store: Store) -> list[DateProblem]:
    """Every date in the plan outside `dates.date_range()` that still counts, in table order.

    An action's dates are read from its history, where they were set: a bad
    value no longer counts once a later-recorded update with the same as-of
    day sets that field again (replay then never reaches it), or once the
    action is cancelled.
    """
    earliest, latest = date_range()
    found: list[DateProblem] = []
    with store.read() as conn:
        for table in schema.metadata.sorted_tables:
            if table.name not in _KIND_OF or table.name == "actions":
                continue
            kind = _KIND_OF[table.name]
            history = table.name == "updates"
            key = table.c.action_id if history else table.c.id
            extra = [table.c.version, table.c.as_of] if history else []
            for column in table.columns:
                if not isinstance(column.type, Date):
                    continue
                rows = conn.execute(
                    select(key, column, *extra).where(or_(column < earliest, column > latest))
                ).all()
                for row in rows:
                    if history and _mended(conn, row[0], column.name, row[2], row[3]):
                        continue
                    fix = _history_fix(row, column.name) if history else (
                        f"mend it: actionplan correct-date {kind} {row[0]} {column.name} DATE"
                    )  # fmt: skip
                    found.append(DateProblem(kind, row[0], column.name, row[1], fix))
    return found


def _mended(conn: Any, action_id: str, field: str, version: int, as_of: Any) -> bool:
    updates = schema.updates.c
    status = conn.execute(
        select(schema.actions.c.status).where(schema.actions.c.id == action_id)
    ).scalar_one_or_none()
    if status == "cancelled":
        return True
    if field == "as_of" or (version == 1 and field == "due"):
        return False
    later = conn.execute(
        select(updates.version).where(
            updates.action_id == action_id,
            updates.version > version,
            updates[field].is_not(None),
            updates.as_of == as_of,
        )
    ).first()
    return later is not None


def _history_fix(row: Any, field: str) -> str:
    action_id, _value, version, as_of = row
    if field == "as_of" or field == "start_on" or (version == 1 and field == "due"):
        what = "the due date it was created with" if field == "due" else f"its {field}"
        return (
            f"{what} (version {version} of its history) cannot be changed: "
            f"cancel action {action_id} and add it again"
        )
    option = {
        "due": "--due DATE --reason 'year typed wrong'",
        "completed_on": "--completed-on DATE",
    }
    day = as_of.isoformat() if isinstance(as_of, date) else str(as_of)[:10]
    return (
        f"set by version {version}; mend it with the same as-of day, so every quarter since "
        f"is put right: actionplan update {action_id} {option[field]} --as-of {day}"
    )


def correct_date(store: Store, kind: str, record_id: str, field: str, value: str) -> date:
    """Put right one date of a source, complaint or compliment; return the new date.

    The record is checked again as a whole (a complaint cannot be decided
    before it was received), so a correction cannot make a new problem.

    Raises:
        FieldError: the kind, field or date is not one that can be corrected.
        NotFoundError: no such record.
        NotPermittedError: people are registered and the person is not a lead or manager.
        ValidationError: the corrected record breaks a rule.
    """
    if kind not in CORRECTABLE:
        raise FieldError(
            "KIND", f"{kind!r} is not one of {', '.join(CORRECTABLE)}; correct an action's "
            "dates with `actionplan update`"
        )  # fmt: skip
    table = schema.metadata.tables[CORRECTABLE[kind]]
    column = table.c.get(field)
    if column is None or not isinstance(column.type, Date):
        dated = ", ".join(c.name for c in table.columns if isinstance(c.type, Date))
        raise FieldError(
            "FIELD", f"{field!r} is not a date of {with_article(kind)}; use one of: {dated}"
        )
    day = parse_date(value, field)
    if day is None:
        raise FieldError(field, "is required")
    with store.write() as conn:
        acting_in(conn).check_correction(kind)
        found = conn.execute(select(table).where(table.c.id == record_id)).first()
        if found is None:
            raise NotFoundError(f"there is no {kind} {record_id!r}")
        changes: dict[str, Any] = {field: day}
        if kind == "complaint":
            changes = _complaint_changes(
                dict(found._mapping), field, day, store.deadline_settings(conn)
            )
        conn.execute(update(table).where(table.c.id == record_id).values(changes))
    return day


def _complaint_changes(
    record: dict[str, Any], field: str, day: date, settings: DeadlineSettings
) -> dict[str, Any]:
    """A complaint's corrected date, and its response due date worked out again if it was.

    A `response_due` that the procedure gave (it equals what the stored
    dates work out to) follows the correction of the dates it came from; one
    that was typed in is kept. The record is then judged as a whole again.

    Raises:
        ValidationError: the corrected complaint breaks a rule.
    """
    worked_out = record["response_due"] is not None and record[
        "response_due"
    ] == worked_out_response_due(record, settings)
    cleaned = clean_record("complaint", {**_plain(record), field: day.isoformat()})
    changes: dict[str, Any] = {field: day}
    if worked_out and field != "response_due":
        cleaned["response_due"] = None
    problems = settle_complaint(cleaned, settings)
    if problems:
        raise ValidationError(problems)
    if cleaned["response_due"] != record["response_due"]:
        changes["response_due"] = cleaned["response_due"]
    return changes


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in record.items()
    }
