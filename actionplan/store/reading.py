"""Reading a plan: one action, its history, every event, whole tables.

The frames returned here are what the pure layer (`history`, `figures`,
`summary`) works on; `timelines` gives the per-action replay that saves and
imports judge updates against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Date, func, select

from .. import history
from ..dates import as_date
from ..errors import NotFoundError
from ..quarters import Quarter, quarter_of, quarters_between
from ..records import as_plain
from ..rules import DATE_FIELDS, STATE_FIELDS
from ..timeline import Timeline
from . import frames, schema
from .engine import Database

#: Above this many actions, read every stored event rather than list the ids.
_FILTER_LIMIT = 500


class Reads(Database):
    """The reading half of `Store`."""

    def get_action(self, action_id: str) -> dict[str, Any]:
        """The current row of one action.

        Raises:
            NotFoundError: no such action.
        """
        with self.read() as conn:
            found = conn.execute(
                select(schema.actions).where(schema.actions.c.id == action_id)
            ).first()
        if found is None:
            raise NotFoundError(f"action_id: there is no action {action_id!r}")
        return dict(found._mapping)

    def history(self, action_id: str) -> list[dict[str, Any]]:
        """Every event of one action, in the order it was recorded.

        Raises:
            NotFoundError: no such action.
        """
        self.get_action(action_id)
        with self.read() as conn:
            found = conn.execute(
                select(schema.updates)
                .where(schema.updates.c.action_id == action_id)
                .order_by(schema.updates.c.version)
            ).all()
        return [event_view(dict(event._mapping)) for event in found]

    def events_frame(
        self, conn: Connection, where: Any = None, fields: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Events as the frame `history.state_at` replays, inside an open transaction."""
        names = STATE_FIELDS if fields is None else [n for n in STATE_FIELDS if n in set(fields)]
        columns = [
            schema.updates.c.seq,
            schema.updates.c.action_id,
            schema.actions.c.recommendation_id,
            schema.updates.c.version,
            schema.updates.c.kind,
            schema.updates.c.by,
            schema.updates.c.recorded_at,
            schema.updates.c.as_of,
            *(schema.updates.c[name] for name in names),
        ]
        statement = select(*columns).join_from(
            schema.updates, schema.actions, schema.updates.c.action_id == schema.actions.c.id
        )
        if where is not None:
            statement = statement.where(where)
        frame = frames.raw_frame(conn, statement)
        if frame.empty:
            return history.empty_events()[list(frame.columns)]
        return frames.typed_events(frame)

    def events(self, fields: Iterable[str] | None = None) -> pd.DataFrame:
        """Every event of every action, as the frame `history.state_at` replays.

        Args:
            fields: the `STATE_FIELDS` to load (default all). The figures need
                only `rules.RULE_FIELDS`, and at a million events the text
                fields are most of the loading time.
        """
        with self.read() as conn:
            return self.events_frame(conn, fields=fields)

    def event_rows(
        self, conn: Connection, action_ids: set[str], in_versions: bool = False
    ) -> Iterator[Any]:
        """The stored events of some actions, in one query: in replay order (as_of,
        recorded_at, seq), or `in_versions` order, with every state field."""
        updates = schema.updates.c
        order = (
            (updates.version,) if in_versions else (updates.as_of, updates.recorded_at, updates.seq)
        )
        statement = (
            select(
                updates.action_id,
                schema.actions.c.recommendation_id,
                updates.kind,
                updates.by,
                updates.recorded_at,
                updates.as_of,
                updates.seq,
                updates.version,
                *(updates[name] for name in STATE_FIELDS),
            )
            .join_from(schema.updates, schema.actions, updates.action_id == schema.actions.c.id)
            .order_by(updates.action_id, *order)
        )
        if len(action_ids) <= _FILTER_LIMIT:
            statement = statement.where(updates.action_id.in_(sorted(action_ids)))
        for row in conn.execute(statement):
            if row.action_id in action_ids:
                yield row

    def timelines(self, conn: Connection, action_ids: set[str]) -> dict[str, Timeline]:
        """The stored events of some actions, each as a `Timeline`, in one query."""
        if not action_ids:
            return {}
        found: dict[str, Timeline] = {}
        for row in self.event_rows(conn, action_ids):
            action_id = row.action_id
            values = {
                name: value
                for name, value in zip(STATE_FIELDS, row[8:], strict=True)
                if value is not None
            }
            as_of = as_date(row.as_of)
            timeline = found.get(action_id)
            if timeline is None:
                timeline = found[action_id] = Timeline(action_id, row.recommendation_id, as_of)
            if row.kind == "create":
                timeline.created_on = as_of
                timeline.baseline_due = values.get("due")
            timeline.add((as_of, row.recorded_at, row.seq, values), row.by)
        return found

    def current_actions(self) -> pd.DataFrame:
        """The stored current rows (the cache that must equal `state_at(today)`)."""
        with self.read() as conn:
            frame = frames.frame(conn, select(schema.actions).order_by(schema.actions.c.id))
        if frame.empty:
            return history.empty_state()
        return frames.typed(frame, (*DATE_FIELDS, "baseline_due", "created_on"), ("last_updated",))

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a frame (sources, recommendations, complaints...)."""
        table = schema.metadata.tables[name]
        with self.read() as conn:
            frame = frames.raw_frame(conn, select(table), raw_types=(Date,))
        date_columns = [c.name for c in table.columns if isinstance(c.type, Date)]
        return frames.typed(frame, date_columns, ())

    def complaints(self) -> pd.DataFrame:
        """Complaint records, with the `;`-joined ids of the actions each gave rise to."""
        frame = self.table("complaints")
        links = self.table("complaint_actions")
        links = links.sort_values(["complaint_id", "action_id"])
        joined = links.groupby("complaint_id", sort=False)["action_id"].agg(";".join)
        linked = joined.to_dict()
        frame["action_ids"] = [linked.get(complaint_id, "") for complaint_id in frame["id"]]
        return frame

    def data_quarters(self, today: date | None = None) -> list[Quarter]:
        """Every quarter from the first dated record to the last, never past today's quarter."""
        first_month = self.first_month
        today = today or date.today()
        with self.read() as conn:
            bounds = [
                conn.execute(select(func.min(column), func.max(column))).first()
                for column in (
                    schema.updates.c.as_of,
                    schema.complaints.c.received_on,
                    schema.compliments.c.received_on,
                )
            ]
        days = [as_date(day) for pair in bounds if pair is not None for day in pair if day]
        if not days:
            return []
        last = min(quarter_of(max(days), first_month), quarter_of(today, first_month))
        return quarters_between(quarter_of(min(days), first_month), last)


def event_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """An event as `history --json` shows it: who, when, and old/new of each change."""
    changes = json.loads(row["changes"]) if isinstance(row["changes"], str) else row["changes"]
    return {
        "action_id": row["action_id"],
        "version": row["version"],
        "kind": row["kind"],
        "by": row["by"],
        "recorded_at": as_plain(row["recorded_at"]) + "Z",
        "as_of": as_plain(row["as_of"]),
        "changes": {field: {"old": pair[0], "new": pair[1]} for field, pair in changes.items()},
        "reason": row.get("reason"),
        "note": row.get("note"),
    }
