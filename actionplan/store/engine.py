"""The database itself: where it is, its transactions, its schema version and settings.

SQLite (the default, a file) and PostgreSQL (a URL) run the same code. SQLite
takes the write lock when a write transaction begins (`BEGIN IMMEDIATE`), so
two officers saving at once queue instead of failing. `Store` (in
`store/__init__.py`) adds the reads and the writes to this base.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.engine import make_url

from ..complaints.deadlines import SETTING_PREFIX, DeadlineSettings
from ..errors import ActionPlanError, FieldError, SchemaVersionError
from ..quarters import DEFAULT_FIRST_MONTH
from . import schema

DEFAULT_DB = Path("data") / "actionplan.db"
DEFAULT_COUNCIL = "Westbury Council"


def database_url(db: str | Path | None = None) -> str:
    """The SQLAlchemy URL for `--db`, `ACTIONPLAN_DB` or the default file.

    A PostgreSQL URL without a driver (`postgresql://...`) uses psycopg, the
    driver actionplan installs.

    Raises:
        FieldError: `db` is given but empty, or names a database actionplan cannot use.
    """
    if db is not None and not str(db).strip():
        raise FieldError(
            "--db", "is empty; give a SQLite file such as data/actionplan.db or a PostgreSQL URL"
        )
    target = str(db) if db else os.environ.get("ACTIONPLAN_DB") or str(DEFAULT_DB)
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser()}"
    scheme, _, rest = target.partition("://")
    backend, _, driver = scheme.lower().partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return f"postgresql+psycopg://{rest}"
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return target
    raise FieldError(
        "--db",
        f"{scheme}:// databases are not supported; use a SQLite file or a "
        "postgresql://user@host/database URL",
    )


#: One entry per write transaction this process has committed (see `commits`).
_COMMITS: list[str] = []


def commits() -> int:
    """How many write transactions this process has committed, on any plan.

    Lets the CLI tell the truth when Ctrl-C comes: before the commit nothing
    was changed; after it, the change was saved.
    """
    return len(_COMMITS)


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold Ctrl-C back until the block has finished, then raise it.

    A commit and its record in `commits` must happen together: a
    KeyboardInterrupt raised between them (Python raises it at the first line
    after a long commit returns) would make a saved change look unsaved.
    Only the main thread can change signal handlers; elsewhere this does nothing.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if pressed:
        raise KeyboardInterrupt


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


class Database:
    """One action-plan database: its engine, transactions and settings.

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
        with self.engine.connect().execution_options(actionplan_write=True) as conn:
            transaction = conn.begin()
            try:
                yield conn
            except BaseException:
                transaction.rollback()
                raise
            with _interrupt_after():
                transaction.commit()
                _COMMITS.append(self.url)

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

    def deadline_settings(self, conn: Connection | None = None) -> DeadlineSettings:
        """The plan's complaint time limits: SPEC section 10's defaults, changed where set.

        Args:
            conn: an open transaction to read in (an import's), else a new one.
        """
        statement = select(schema.meta.c.key, schema.meta.c.value).where(
            schema.meta.c.key.startswith(SETTING_PREFIX)
        )
        if conn is not None:
            return DeadlineSettings.from_settings(dict(conn.execute(statement).all()))
        with self.read() as own:
            return DeadlineSettings.from_settings(dict(own.execute(statement).all()))

    @property
    def council(self) -> str:
        """The council's name as reports show it (`ACTIONPLAN_COUNCIL` overrides)."""
        return os.environ.get("ACTIONPLAN_COUNCIL") or self.setting("council") or DEFAULT_COUNCIL

    @property
    def first_month(self) -> int:
        """The month the financial year starts in."""
        return int(self.setting("first_month") or DEFAULT_FIRST_MONTH)
