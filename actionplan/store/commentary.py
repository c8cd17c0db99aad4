"""The quarter's commentary: an overview and a note per report section, with history.

A director writes what is going well, what is red and what is being done; the
report and the board paper print it under its section, signed. Like an
action's history, commentary is append-only: every save is the next version of
its quarter and section, and nothing is overwritten, so the board can see what
was said before a paper went out.

`write_commentary` is the one way commentary is written (the CLI and the
workbook both call it). Once a team has registered its people (SPEC section
7), only a manager may write it, and it is signed with their own name: the
check is here, so every front end is guarded by it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from ..errors import ActionPlanError, FieldError, StaleCommentaryError
from ..quarters import Quarter, parse_quarter
from ..vocab import COMMENTARY_SECTIONS, normalise, word
from . import Store, schema, utc_now
from .people import acting_in

#: How many times a save that named no version is retried when another save wins the race.
_RETRIES = 5


@dataclass(frozen=True)
class Note:
    """One version of the commentary on one section of one quarter.

    Attributes:
        quarter: the quarter's label, `2024-25-Q3`.
        section: `overview` or a report section (`vocab.COMMENTARY_SECTIONS`).
        version: 1 for the first text written, then 2, 3...
        text: what the manager wrote (paragraphs separated by blank lines).
        by: who wrote it, as history shows it.
        recorded_at: when it was saved (naive UTC).
    """

    quarter: str
    section: str
    version: int
    text: str
    by: str
    recorded_at: datetime

    @property
    def heading(self) -> str:
        """The section's heading, as the report shows it."""
        return word(self.section, "section")

    def as_dict(self) -> dict[str, Any]:
        """The note as plain data (the `--json` objects)."""
        return {**asdict(self), "recorded_at": self.recorded_at.isoformat(timespec="seconds")}


def section_key(text: str) -> str:
    """A section as a person names it (`Exceptions`, `completed-and-due`) -> its key.

    Raises:
        FieldError: naming `section`, listing the sections there are.
    """
    try:
        return normalise("section", text)
    except ValueError as problem:
        raise FieldError("section", str(problem)) from None


def _label(store: Store, quarter: str | Quarter) -> str:
    return parse_quarter(quarter, first_month=store.first_month).label


def write_commentary(
    store: Store,
    quarter: str | Quarter,
    section: str,
    text: str,
    by: str,
    expected_version: int | None = None,
) -> Note:
    """Save a new version of one section's commentary for a quarter.

    Args:
        store: the plan.
        quarter: a `Quarter` or a label such as `2024-25-Q3`.
        section: `overview` or a report section, as a key or its heading.
        text: the commentary; surrounding spaces are dropped.
        by: who is writing it.
        expected_version: the version the writer started from (0 when there
            was none); if someone has saved since, nothing is written.

    Raises:
        FieldError: a blank text or name, or an unknown section or quarter.
        NotPermittedError: people are registered and the writer is not a manager.
        StaleCommentaryError: someone saved this section since `expected_version`.
    """
    label = _label(store, quarter)
    key = section_key(section)
    cleaned = str(text or "").replace("\r\n", "\n").strip()
    if not cleaned:
        raise FieldError("text", "is required: write the commentary")
    attempts = 1 if expected_version is not None else _RETRIES
    for _attempt in range(attempts):
        try:
            with store.write() as conn:
                actor = acting_in(conn)
                actor.check_commentary()
                who = actor.recorded_by(by)
                if not who:
                    raise FieldError("by", "is required: who is writing the commentary")
                latest = _latest_version(conn, label, key)
                if expected_version is not None and expected_version != latest:
                    raise _stale(conn, label, key, expected_version, latest)
                note = Note(label, key, latest + 1, cleaned, who, utc_now())
                conn.execute(insert(schema.commentary).values(**asdict(note)))
            return note
        except IntegrityError:  # another save took this version number first
            if expected_version is not None:
                with store.read() as conn:
                    raise _stale(
                        conn, label, key, expected_version, _latest_version(conn, label, key)
                    ) from None
    raise ActionPlanError(
        f"the {word(key, 'section')} commentary for {label} is being changed by others; try again"
    )


def _latest_version(conn: Connection, label: str, key: str) -> int:
    table = schema.commentary
    found = conn.execute(
        select(func.max(table.c.version)).where(table.c.quarter == label, table.c.section == key)
    ).scalar_one()
    return int(found or 0)


def _stale(
    conn: Connection, label: str, key: str, expected: int, current: int
) -> StaleCommentaryError:
    table = schema.commentary
    latest = conn.execute(
        select(table.c.by, table.c.recorded_at).where(
            table.c.quarter == label, table.c.section == key, table.c.version == current
        )
    ).first()
    when = latest.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC") if latest else "an unknown time"
    return StaleCommentaryError(
        label, word(key, "section"), expected, current, latest.by if latest else "?", when
    )


def commentary_history(
    store: Store, quarter: str | Quarter, section: str | None = None
) -> list[Note]:
    """Every version of a quarter's commentary (one section, or all), oldest first."""
    label = _label(store, quarter)
    table = schema.commentary
    condition = table.c.quarter == label
    if section is not None:
        condition = and_(condition, table.c.section == section_key(section))
    with store.read() as conn:
        found = conn.execute(
            select(*_columns()).where(condition).order_by(table.c.section, table.c.version)
        ).all()
    return sorted((Note(**row._mapping) for row in found), key=_in_report_order)


def latest_commentary(store: Store, quarter: str | Quarter) -> dict[str, Note]:
    """The current text of each section that has commentary for the quarter, in report order."""
    latest: dict[str, Note] = {}
    for note in commentary_history(store, quarter):
        latest[note.section] = note
    return latest


def _columns() -> list[Any]:
    table = schema.commentary
    return [table.c[name] for name in Note.__dataclass_fields__]


def _in_report_order(note: Note) -> tuple[int, int]:
    order = COMMENTARY_SECTIONS.index(note.section) if note.section in COMMENTARY_SECTIONS else 99
    return order, note.version
