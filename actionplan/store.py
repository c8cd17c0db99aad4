"""The database: opening it, its transactions, and every write.

All writes go through here, so the history rules cannot be bypassed: an action
is created with its first event, changed only by appending an event whose
`version` follows the one the caller saw, and its current row is rewritten from
the replay of its events in the same transaction. SQLite (the default, a file)
and PostgreSQL (a URL) run the same code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import make_url

from . import history, schema
from .errors import (
    ActionPlanError,
    FieldError,
    NotFoundError,
    SchemaVersionError,
    StaleVersionError,
    ValidationError,
)
from .quarters import DEFAULT_FIRST_MONTH, Quarter, quarter_of, quarters_between
from .records import as_plain, clean_record

DEFAULT_DB = Path("data") / "actionplan.db"
DEFAULT_COUNCIL = "Westbury Council"

#: How many times a save that named no version is retried when another save wins the race.
_UNVERSIONED_RETRIES = 5


def database_url(db: str | Path | None = None) -> str:
    """The SQLAlchemy URL for `--db`, `ACTIONPLAN_DB` or the default file."""
    target = str(db) if db else os.environ.get("ACTIONPLAN_DB") or str(DEFAULT_DB)
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def utc_now() -> datetime:
    """The time an event is recorded: naive UTC, the same on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling would start writes as DEFERRED and
    # fail with "database is locked" when two writers upgrade at once; take the
    # write lock at BEGIN instead, and wait for it.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("actionplan_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """One action-plan database.

    Args:
        db: a file path (SQLite) or SQLAlchemy URL; None means `ACTIONPLAN_DB`
            or `data/actionplan.db`.
    """

    def __init__(self, db: str | Path | None = None) -> None:
        self.url = database_url(db)
        url = make_url(self.url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if self.is_sqlite and url.database:
            self.path: Path | None = Path(url.database)
        else:
            self.path = None
        self.engine = create_engine(self.url)
        if self.is_sqlite:
            _configure_sqlite(self.engine)

    def __repr__(self) -> str:
        return f"Store({self.display_name!r})"

    @property
    def display_name(self) -> str:
        """Where the data lives, without any password, for reports and messages."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # -- transactions -------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that holds the write lock (SQLite) and commits on success."""
        with self.engine.connect().execution_options(actionplan_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot of the database."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _using(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.write() as own:
                yield own

    # -- set-up and schema --------------------------------------------------

    def exists(self) -> bool:
        """True when the database holds an actionplan schema."""
        if self.path is not None and not self.path.exists():
            return False
        with self.engine.connect() as conn:
            return self.engine.dialect.has_table(conn, "meta")

    def initialise(self, council: str | None = None, first_month: int | None = None) -> None:
        """Create the tables in an empty database.

        Raises:
            ActionPlanError: the database already holds a plan (nothing is changed).
        """
        if self.exists():
            raise ActionPlanError(f"{self.display_name} already holds an action plan")
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if first_month is not None and not 1 <= first_month <= 12:
            raise FieldError("first_month", f"{first_month} is not a month from 1 to 12")
        with self.write() as conn:
            schema.metadata.create_all(conn)
            conn.execute(
                insert(schema.meta),
                [
                    {"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
                    {"key": "council", "value": council or DEFAULT_COUNCIL},
                    {"key": "first_month", "value": str(first_month or DEFAULT_FIRST_MONTH)},
                ],
            )

    def schema_version(self) -> int | None:
        """The schema version recorded in the database, or None if it holds no plan."""
        if not self.exists():
            return None
        with self.read() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).scalar_one_or_none()
        return int(value) if value is not None else None

    def check(self) -> None:
        """Refuse to work on a database this version of actionplan cannot read.

        Raises:
            ActionPlanError: there is no plan yet.
            SchemaVersionError: the schema is older (migrate) or newer (upgrade).
        """
        version = self.schema_version()
        if version is None:
            raise ActionPlanError(
                f"{self.display_name} holds no action plan; run `actionplan init` first"
            )
        if version > schema.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.display_name} was made by a newer actionplan (schema {version}, "
                f"this one reads {schema.SCHEMA_VERSION}); upgrade actionplan"
            )
        if version < schema.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.display_name} has schema {version}; run `actionplan migrate` "
                f"to bring it to {schema.SCHEMA_VERSION}"
            )

    def setting(self, key: str) -> str | None:
        """A value from the database's settings (`council`, `first_month`)."""
        with self.read() as conn:
            return conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar_one_or_none()

    @property
    def council(self) -> str:
        """The council's name as reports show it (`ACTIONPLAN_COUNCIL` overrides)."""
        return os.environ.get("ACTIONPLAN_COUNCIL") or self.setting("council") or DEFAULT_COUNCIL

    @property
    def first_month(self) -> int:
        """The month the financial year starts in."""
        return int(self.setting("first_month") or DEFAULT_FIRST_MONTH)

    # -- records other than actions ------------------------------------------

    def _exists(self, conn: Connection, table: Any, record_id: str) -> bool:
        return conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is not None

    def _refuse_duplicate(self, conn: Connection, table: Any, record_id: str, row: int | None):
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
        """Record one stage of a complaint, with the actions it gave rise to."""
        values = clean_record("complaint", record, row)
        values["outcome"] = values["outcome"] or "pending"
        problems = complaint_problems(values, row)
        if problems:
            raise ValidationError(problems)
        action_ids = values.pop("action_ids")
        with self._using(conn) as tx:
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
            event_row, action_row = creation_rows(values, str(by).strip(), utc_now())
            tx.execute(insert(schema.actions).values(**action_row))
            tx.execute(insert(schema.updates).values(**event_row))
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
            conn: an open write transaction to join (for imports), else one is opened.
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
        events = self._events(tx, schema.updates.c.action_id == action_id)
        before_frame = history.state_at(events, values["as_of"])
        if before_frame.empty:
            created = events.loc[events["kind"] == "create", "as_of"].iloc[0].date()
            raise ValidationError(
                [
                    FieldError(
                        "as_of",
                        f"{values['as_of'].isoformat()} is before the action was created "
                        f"({created.isoformat()})",
                        row,
                    )
                ]
            )
        before = plain_state(before_frame.iloc[0])
        assignments, changes = history.plan_update(before, values, today, row)
        by = str(values["by"]).strip()
        recorded_at = utc_now()
        event_row = {
            "action_id": action_id,
            "version": version + 1,
            "kind": "update",
            "by": by,
            "recorded_at": recorded_at,
            "as_of": values["as_of"],
            "reason": values.get("reason"),
            "note": values.get("note"),
            "changes": json.dumps({k: [as_plain(v) for v in pair] for k, pair in changes.items()}),
            **assignments,
        }
        new_event = pd.DataFrame(
            [
                {
                    **{column: event_row.get(column) for column in history.EVENT_COLUMNS},
                    "seq": int(events["seq"].max()) + 1,
                    "recommendation_id": events["recommendation_id"].iloc[0],
                }
            ]
        )
        combined = pd.concat([events, _typed_events(new_event)], ignore_index=True)
        now_state = plain_state(history.state_at(combined, today).iloc[0])
        refreshed = {field: now_state[field] for field in schema.STATE_FIELDS}
        result = tx.execute(
            update(schema.actions)
            .where(schema.actions.c.id == action_id, schema.actions.c.version == version)
            .values(
                **refreshed,
                version=version + 1,
                last_updated=recorded_at,
                last_updated_by=by,
            )
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
        tx.execute(insert(schema.updates).values(**event_row))
        return event_dict({**event_row, "changes": event_row["changes"]})

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

    # -- reading -------------------------------------------------------------

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
        return [event_dict(dict(event._mapping)) for event in found]

    def _events(self, conn: Connection, where: Any = None, fields: Any = None) -> pd.DataFrame:
        names = (
            schema.STATE_FIELDS
            if fields is None
            else tuple(name for name in schema.STATE_FIELDS if name in fields)
        )
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
        frame = _raw_frame(conn, statement)
        if frame.empty:
            return history.empty_events()[list(frame.columns)]
        return _typed_events(frame)

    def events(self, fields: Any = None) -> pd.DataFrame:
        """Every event of every action, as the frame `history.state_at` replays.

        Args:
            fields: the `STATE_FIELDS` to load (default all). The figures need
                only status, progress, due and completed_on, and at a million
                events the text fields are most of the loading time.
        """
        with self.read() as conn:
            return self._events(conn, fields=fields)

    def current_actions(self) -> pd.DataFrame:
        """The stored current rows (the cache that must equal `state_at(today)`)."""
        with self.read() as conn:
            frame = _frame(conn, select(schema.actions).order_by(schema.actions.c.id))
        if frame.empty:
            return history.empty_state()
        return _typed(
            frame, (*history.DATE_FIELDS, "baseline_due", "created_on"), ("last_updated",)
        )

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a frame (sources, recommendations, complaints...)."""
        table = schema.metadata.tables[name]
        with self.read() as conn:
            frame = _raw_frame(conn, select(table), raw_types=(Date,))
        date_columns = [c.name for c in table.columns if isinstance(c.type, schema.Date)]
        return _typed(frame, date_columns, ())

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
        days = [_as_date(day) for pair in bounds for day in pair if day is not None]
        if not days:
            return []
        last = min(quarter_of(max(days), first_month), quarter_of(today, first_month))
        return quarters_between(quarter_of(min(days), first_month), last)


class _LostRace(Exception):
    """Another save changed the action between reading and writing it."""


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _frame(conn: Connection, statement: Any) -> pd.DataFrame:
    result = conn.execute(statement)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def _raw_frame(
    conn: Connection, statement: Any, raw_types: tuple[type, ...] = (Date, DateTime)
) -> pd.DataFrame:
    """A query's rows as a frame, without SQLAlchemy's per-value type processing.

    Date and DateTime columns come back as the driver gives them (ISO text on
    SQLite, `date`/`datetime` on PostgreSQL) and `_typed` converts each whole
    column at once: processing a million dates one value at a time, then
    building the frame from Row objects, was most of the time of loading the
    events. The frame's other types are inferred as `pd.DataFrame(rows)` would.
    """
    plain = [
        type_coerce(column, Text).label(column.name)
        if isinstance(column.type, raw_types)
        else column
        for column in statement.selected_columns
    ]
    result = conn.execute(statement.with_only_columns(*plain, maintain_column_froms=True))
    names = list(result.keys())
    cursor = getattr(result, "cursor", None)
    rows = cursor.fetchall() if cursor is not None else [tuple(row) for row in result.all()]
    result.close()
    if not rows:
        return pd.DataFrame(columns=names)
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    # Per column: a whole-frame infer_objects() leaves every column object when none converts.
    return pd.DataFrame({name: frame[name].infer_objects() for name in names})


def _to_datetime(column: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(column) and column.dtype != object:
        return pd.to_datetime(column, format="ISO8601")
    return pd.to_datetime(column)


def _typed(frame: pd.DataFrame, dates: Any, datetimes: Any) -> pd.DataFrame:
    for column in (*dates, *datetimes):
        frame[column] = _to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def _typed_events(frame: pd.DataFrame) -> pd.DataFrame:
    dates = [name for name in (*history.DATE_FIELDS, "as_of") if name in frame.columns]
    frame = _typed(frame, dates, ("recorded_at",))
    if "progress" in frame.columns:
        frame["progress"] = pd.to_numeric(frame["progress"]).astype("Float64")
    return frame


def plain_state(state: pd.Series) -> dict[str, Any]:
    """One row of a state frame with dates as `date` and blanks as None."""
    plain: dict[str, Any] = {}
    for key, value in state.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            plain[key] = None
        elif isinstance(value, pd.Timestamp):
            plain[key] = value.to_pydatetime() if key == "last_updated" else value.date()
        elif hasattr(value, "item"):
            plain[key] = value.item()
        else:
            plain[key] = value
    return plain


def creation_values(values: dict[str, Any], today: date, row: int | None) -> dict[str, Any]:
    """Fill an action's defaults and check its dates, as at creation."""
    values = dict(values)
    values["status"] = values["status"] or "not_started"
    values["progress"] = values["progress"] if values["progress"] is not None else 0
    values["created_on"] = values["created_on"] or today
    problems: list[FieldError] = []
    if values["created_on"] > today:
        problems.append(
            FieldError("created_on", f"{values['created_on'].isoformat()} is in the future", row)
        )
    if values["status"] == "complete":
        if values["progress"] not in (0, 100):
            problems.append(
                FieldError("progress", "a complete action is at 100%; leave progress blank", row)
            )
        values["progress"] = 100
        values["completed_on"] = values["created_on"]
    else:
        values["completed_on"] = None
    if problems:
        raise ValidationError(problems)
    return values


def creation_rows(
    values: dict[str, Any], by: str, recorded_at: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first event and the current row of a new action (used by add and import)."""
    state = {field: values.get(field) for field in schema.STATE_FIELDS}
    changes = {
        field: [None, as_plain(value)] for field, value in state.items() if value is not None
    }
    event_row = {
        "action_id": values["id"],
        "version": 1,
        "kind": "create",
        "by": by,
        "recorded_at": recorded_at,
        "as_of": values["created_on"],
        "reason": None,
        "note": None,
        "changes": json.dumps(changes),
        **state,
    }
    action_row = {
        "id": values["id"],
        "recommendation_id": values["recommendation_id"],
        **state,
        "baseline_due": values["due"],
        "created_on": values["created_on"],
        "version": 1,
        "last_updated": recorded_at,
        "last_updated_by": by,
    }
    return event_row, action_row


def event_dict(row: Mapping[str, Any]) -> dict[str, Any]:
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


def complaint_problems(values: Mapping[str, Any], row: int | None) -> list[FieldError]:
    """Checks of a complaint record that need more than one field."""
    problems: list[FieldError] = []
    received = values["received_on"]
    for field in ("decided_on", "remedy_done_on"):
        if values.get(field) and received and values[field] < received:
            problems.append(
                FieldError(field, f"{values[field].isoformat()} is before received_on", row)
            )
    if values["stage"] == "stage1" and values.get("escalated_from"):
        problems.append(
            FieldError("escalated_from", "a stage 1 complaint is not escalated from another", row)
        )
    if values.get("decided_on") and values.get("outcome") == "pending":
        problems.append(FieldError("outcome", "is pending but decided_on is given", row))
    return problems


def open_store(db: str | Path | None = None, check: bool = True) -> Store:
    """Open the plan, refusing one whose schema this version cannot read."""
    store = Store(db)
    if check:
        store.check()
    return store
