"""Reading a plan: one action, its history, every event, whole tables.

The frames returned here are what the pure layer (`history`, `figures`,
`summary`) works on; `timelines` gives the per-action replay that saves and
imports judge updates against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Date, func, or_, select

from .. import figures, history
from ..assurance import VERIFY, is_verified
from ..complaints.deadlines import DeadlineSettings
from ..dates import as_date, in_range, in_words
from ..errors import NotFoundError
from ..quarters import Quarter, quarter_of, quarters_between
from ..records import as_plain
from ..rules import DATE_FIELDS, STATE_FIELDS
from ..timeline import Timeline
from . import frames, schema
from .engine import Database
from .window import CODED, UNCOUNTED, acknowledgement_reach

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
                only `rules.FIGURE_FIELDS`, and at a million events the text
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

    def latest_updates(self, day: date) -> pd.DataFrame:
        """Each action's latest update (not its creation) dated on or before `day`.

        A frame of `action_id`, `kind` and `as_of`, one row per action, read with
        one aggregate: what "not updated" needs without loading every event.
        """
        updates = schema.updates.c
        statement = (
            select(updates.action_id, func.max(updates.as_of).label("as_of"))
            .where(updates.kind != "create", updates.as_of <= day)
            .group_by(updates.action_id)
        )
        with self.read() as conn:
            rows = conn.execute(statement).all()
        frame = pd.DataFrame(
            {
                "action_id": pd.Series([row[0] for row in rows], dtype=object),
                "kind": "update",
                "as_of": pd.Series([as_date(row[1]) for row in rows], dtype=object),
            }
        )
        frame["as_of"] = pd.to_datetime(frame["as_of"]).astype(history.DATE_DTYPE)
        return frame

    def current_actions(self) -> pd.DataFrame:
        """The stored current rows (the cache that must equal `state_at(today)`)."""
        with self.read() as conn:
            frame = frames.frame(conn, select(schema.actions).order_by(schema.actions.c.id))
        if frame.empty:
            return history.empty_state()
        frame = frames.typed(frame, (*DATE_FIELDS, "baseline_due", "created_on"), ("last_updated",))
        frame["verified"] = frame["id"].isin(self.verified_now())
        return frame

    def verified_now(self) -> set[str]:
        """The actions verified as they stand (SPEC section 8; `assurance.is_verified`).

        Only actions with a verification are replayed, so a plan with none costs one query.
        """
        updates = schema.updates.c
        ever = select(updates.action_id).where(updates.kind == VERIFY).scalar_subquery()
        statement = (
            select(updates.action_id, updates.kind, updates.status)
            .where(updates.action_id.in_(ever))
            .order_by(updates.action_id, updates.as_of, updates.recorded_at, updates.seq)
        )
        with self.read() as conn:
            rows = conn.execute(statement).all()
        by_action: dict[str, list[tuple[str, str | None]]] = {}
        for row in rows:
            by_action.setdefault(row.action_id, []).append((row.kind, row.status))
        return {action_id for action_id, events in by_action.items() if is_verified(events)}

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a frame (sources, recommendations, complaints...)."""
        table = schema.metadata.tables[name]
        with self.read() as conn:
            frame = frames.raw_frame(conn, select(table), raw_types=(Date,))
        return _dated(frame, table)

    def complaints(self) -> pd.DataFrame:
        """Complaint records, with the `;`-joined ids of the actions each gave rise to."""
        frame = self.table("complaints")
        links = self.table("complaint_actions")
        links = links.sort_values(["complaint_id", "action_id"])
        joined = links.groupby("complaint_id", sort=False)["action_id"].agg(";".join)
        linked = joined.to_dict()
        frame["action_ids"] = [linked.get(complaint_id, "") for complaint_id in frame["id"]]
        return frame

    def complaints_between(
        self, start: date, end: date, deadlines: DeadlineSettings
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The complaints and compliments a quarter's figures count, read in one snapshot.

        Complaints with one of `figures.COMPLAINT_WINDOW_DATES` from `start` to
        `end`, or received so shortly before `start` that their acknowledgement
        may fall due in it (`deadlines`), without the columns no figure of a
        quarter reads (`UNCOUNTED`: free text, references) or action ids;
        the `received_on` of compliments received then. At 300,000 complaints,
        reading them all was most of a summary's time. `counted_between`
        narrows what this read for a longer span to one quarter.
        """
        complaints = schema.complaints
        dated = [complaints.c[name].between(start, end) for name in figures.COMPLAINT_WINDOW_DATES]
        dated.append(
            complaints.c.received_on.between(start - acknowledgement_reach(deadlines), end)
        )
        counted = [column for column in complaints.columns if column.name not in UNCOUNTED]
        received = schema.compliments.c.received_on
        with self.read() as conn:
            found = frames.raw_frame(conn, select(*counted).where(or_(*dated)), (Date,))
            kind = frames.raw_frame(
                conn, select(received).where(received.between(start, end)), (Date,)
            )
        return frames.coded(_dated(found, complaints), CODED), _dated(kind, schema.compliments)

    def data_quarters(self, today: date | None = None) -> list[Quarter]:
        """The quarters the plan's data covers, never past today's quarter (see `data_span`)."""
        return self.data_span(today).quarters

    def data_span(self, today: date | None = None) -> DataSpan:
        """The quarters the plan's data covers, and the dated records left out as outliers.

        A date typed wrong (a compliment received in 2001 in a plan that starts
        in 2023) must not make `report --all` render twenty years of empty
        quarters. Dated records fall into runs of quarters separated by more
        than two years without data; the span is the run holding most
        records, the run holding the latest data (a plan taken up again after
        a pause), and any run holding at least a twentieth of the records,
        without the empty years between them. Records in other runs, dated
        after today or outside the plan's date range are named instead.
        """
        first_month = self.first_month
        today = today or date.today()
        today_quarter = quarter_of(today, first_month)
        counts: dict[Quarter, int] = {}
        found: list[tuple[str, str, Any, date]] = []
        with self.read() as conn:
            for what, table, column in _DATED:
                rows = conn.execute(
                    select(column, func.count()).select_from(table).group_by(column)
                ).all()
                for day, count in rows:
                    if day is None:
                        continue
                    day = as_date(day)
                    quarter = quarter_of(day, first_month) if in_range(day) else None
                    if quarter is not None and quarter <= today_quarter:
                        counts[quarter] = counts.get(quarter, 0) + count
                    found.append((what, table.name, column, day))
        span = main_runs(counts)
        outlying = [
            (what, table, column, day)
            for what, table, column, day in found
            if not in_range(day) or quarter_of(day, first_month) not in span
        ]
        return DataSpan(span, self._name_outliers(outlying))

    def _name_outliers(self, outlying: list[tuple[str, str, Any, date]]) -> list[str]:
        named: list[str] = []
        with self.read() as conn:
            for what, table_name, column, day in outlying[:_OUTLIERS_NAMED]:
                table = schema.metadata.tables[table_name]
                key = table.c.action_id if table_name == "updates" else table.c.id
                ids = conn.execute(select(key).where(column == day).limit(3)).scalars().all()
                for record_id in ids:
                    named.append(f"{what} {record_id}: {column.name} {in_words(day)}")
        return named


@dataclass(frozen=True)
class DataSpan:
    """The quarters a plan's data covers, and the records dated far from the rest."""

    quarters: list[Quarter]
    outliers: list[str]


#: The dated records that place a plan in time: events, complaints, compliments.
_DATED = (
    ("action", schema.updates, schema.updates.c.as_of),
    ("complaint", schema.complaints, schema.complaints.c.received_on),
    ("compliment", schema.compliments, schema.compliments.c.received_on),
)
#: How many far-off dates `data_span` names (one typo is enough to spot the problem).
_OUTLIERS_NAMED = 10
#: Data this many quarters apart (two years) is not one plan's continuous history.
_LONGEST_GAP = 8
#: A run of quarters holding at least 1/_SHARE of a plan's records is part of its history.
_SHARE = 20


def main_runs(counts: dict[Quarter, int]) -> list[Quarter]:
    """The quarters of the runs that make up a plan's history (see `Reads.data_span`).

    Runs are split where more than `_LONGEST_GAP` quarters pass with no data.
    """
    if not counts:
        return []
    ordered = sorted(counts)
    runs: list[list[Quarter]] = [[ordered[0]]]
    for quarter in ordered[1:]:
        if _quarters_apart(runs[-1][-1], quarter) > _LONGEST_GAP:
            runs.append([])
        runs[-1].append(quarter)
    sizes = [sum(counts[quarter] for quarter in run) for run in runs]
    biggest = sizes.index(max(sizes))
    kept = [
        run
        for index, run in enumerate(runs)
        if index in (biggest, len(runs) - 1) or sizes[index] * _SHARE >= sum(sizes)
    ]
    return [quarter for run in kept for quarter in quarters_between(run[0], run[-1])]


def _quarters_apart(earlier: Quarter, later: Quarter) -> int:
    return (later.year - earlier.year) * 4 + later.number - earlier.number


def _dated(frame: pd.DataFrame, table: Any) -> pd.DataFrame:
    """A table's rows with its date columns (those read) as datetimes."""
    dates = [c.name for c in table.columns if isinstance(c.type, Date) and c.name in frame]
    return frames.typed(frame, dates, ())


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
