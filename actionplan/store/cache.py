"""The columnar copy of a plan's events: where it is kept, and when it is trusted.

`states_at` is how a summary replays a plan (see `store.columnar` for why).
A copy is a cache and never an authority: a figure must be the same with it,
without it, or with a damaged, foreign or stale one. So on every use:

- the copy is read from a file only if the file is whole and of this layout
  and schema, and the event it says it ends with (its `seq`, the watermark)
  is still that event in the database (action, version and time recorded).
  On PostgreSQL the number of events up to the watermark must also match: a
  transaction that took a lower `seq` can commit after a copy was made. (On
  SQLite writes queue on one lock, so an event seen was preceded by every
  lower one.) Anything else is rebuilt from the database;
- the events recorded since (`seq` above the watermark) are read and merged
  in, inside the same read transaction as the checks. History is append-only,
  so nothing before the watermark can have changed.

Where: beside a SQLite plan (`actionplan.db-cache/events.npz`) when its folder
can be written; else, and for PostgreSQL, in the user's cache folder
(`$XDG_CACHE_HOME` or `~/.cache`, then `actionplan/<key>/`), or wherever
`ACTIONPLAN_CACHE` says. A copy that cannot be saved is used from memory and
nothing is said: the summary is right, only slower next time. Plans under
`KEEP_FROM` events are never written (building their copy costs less than
reading a file). Saves and imports do not touch the copy (0 ms per save); the
first summary after a large import builds it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Text, func, select, type_coerce
from sqlalchemy.engine import make_url

from ..atomic import atomic_path
from ..errors import ActionPlanError
from . import columnar, schema
from .columnar import EventCopy
from .engine import Database

#: Plans with fewer events are replayed from a copy made in memory, never saved.
KEEP_FROM = 20_000
#: A folder to keep copies in, instead of beside the plan or the user's cache folder.
CACHE_ENV = "ACTIONPLAN_CACHE"
FILE_NAME = "events.npz"


def states_at(store: Database, days: Iterable[date]) -> dict[date, pd.DataFrame]:
    """The figure fields of every action at the end of each day (`columnar.STATE_COLUMNS`).

    The same frames `history.state_at` gives from `store.events(fields=FIGURE_FIELDS)`,
    worked out from the plan's columnar copy, brought up to date first.
    """
    copy = event_copy(store)
    return {day: copy.state_at(day) for day in days}


def event_copy(store: Database) -> EventCopy:
    """The plan's columnar copy, up to date with the database, saved when it changed."""
    places = locations(store)
    with store.read() as conn:
        copy = _trusted_copy(conn, places)
        changed = copy is None
        if copy is None:
            copy = columnar.sort(columnar.encode(_fetch(conn), [], []))
        else:
            rows = _fetch(conn, after=copy.watermark)
            if rows:
                copy = columnar.merged(copy, columnar.encode(rows, copy.ids, copy.statuses))
                changed = True
        if changed:
            copy.stamp = _stamp(conn, copy.watermark)
    if changed and copy.count >= KEEP_FROM:
        _save(copy, places)
    return copy


def locations(store: Database) -> list[Path]:
    """Where this plan's copy may be kept, in order of preference (none for a memory database)."""
    chosen = os.environ.get(CACHE_ENV)
    if store.path is not None:
        identity = f"sqlite:{store.path.resolve()}"
    elif store.is_sqlite:
        return []
    else:
        identity = make_url(store.url).render_as_string(hide_password=True)
    key = hashlib.sha256(identity.encode()).hexdigest()[:24]
    if chosen:
        return [Path(chosen).expanduser() / key / FILE_NAME]
    found: list[Path] = []
    if store.path is not None:
        found.append(store.path.parent / f"{store.path.name}-cache" / FILE_NAME)
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    found.append(Path(home) / "actionplan" / key / FILE_NAME)
    return found


def _meta() -> dict[str, Any]:
    return {"schema": schema.SCHEMA_VERSION}


def _trusted_copy(conn: Connection, places: list[Path]) -> EventCopy | None:
    """The furthest-reaching copy kept in `places` that still describes this database."""
    best: EventCopy | None = None
    for place in places:
        try:
            with open(place, "rb") as handle:
                copy, meta = columnar.from_file(handle)
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            continue  # missing, unreadable or damaged: never trusted
        if meta.get("schema") != schema.SCHEMA_VERSION or not _describes(conn, copy):
            continue
        if best is None or copy.watermark > best.watermark:
            best = copy
    return best


def _describes(conn: Connection, copy: EventCopy) -> bool:
    """True when the database's events up to the copy's watermark are the copy's."""
    if copy.stamp != _stamp(conn, copy.watermark):
        return False
    if conn.dialect.name == "sqlite":
        return True
    updates = schema.updates.c
    held = conn.execute(
        select(func.count()).select_from(schema.updates).where(updates.seq <= copy.watermark)
    ).scalar_one()
    return held == copy.count


def _stamp(conn: Connection, seq: int) -> str:
    """What identifies event `seq`: its action, version and time recorded ("" for none)."""
    updates = schema.updates.c
    found = conn.execute(
        select(updates.action_id, updates.version, type_coerce(updates.recorded_at, Text)).where(
            updates.seq == seq
        )
    ).first()
    return "" if found is None else "|".join(str(value) for value in found)


def _fetch(conn: Connection, after: int = 0) -> list[Any]:
    """The events with `seq` above `after`, as the driver gives them (`columnar.SOURCE_COLUMNS`)."""
    updates = schema.updates.c
    columns = [
        type_coerce(updates[name], Text) if name in ("as_of", "recorded_at", "start_on", "due", "completed_on")
        else updates[name]
        for name in columnar.SOURCE_COLUMNS
    ]  # fmt: skip
    result = conn.execute(select(*columns).where(updates.seq > after))
    cursor = getattr(result, "cursor", None)
    rows = cursor.fetchall() if cursor is not None else [tuple(row) for row in result.all()]
    result.close()
    return rows


def _save(copy: EventCopy, places: list[Path]) -> None:
    """Keep the copy in the first place that can hold it; if none can, keep nothing."""
    data = copy.to_bytes(_meta())
    for place in places:
        try:
            with atomic_path(place) as temporary:
                temporary.write_bytes(data)
        except (OSError, ActionPlanError):
            continue
        return
