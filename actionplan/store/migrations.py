"""Schema versions and the steps between them (`actionplan migrate`).

A plan outlives the version of actionplan that created it, so the database
records its schema version (`meta.schema_version`) and this module holds one
registered step per version after the first. `migrate` runs the missing steps
in order, inside one write transaction, so a database is either fully migrated
or left exactly as it was; each step applied is logged in `schema_migrations`.

To change the schema: edit `schema.py`, bump `schema.SCHEMA_VERSION`, and add a
step here with `@migration(N)` that makes a version N-1 database match. Steps
use literal SQL, not `schema.py`'s tables, because those will change again
later while a step must keep doing exactly what it did. `tests/test_migrations.py`
checks that a database migrated from the frozen first schema (`schema_v1`)
has the same tables, columns and indexes as a freshly initialised one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from ..errors import ActionPlanError, SchemaVersionError
from . import Store, schema, utc_now


@dataclass(frozen=True)
class Migration:
    """One step: turns a database at `version - 1` into one at `version`."""

    version: int
    name: str
    apply: Callable[[Connection], None]


#: Every step, by the schema version it produces.
MIGRATIONS: dict[int, Migration] = {}


def migration(version: int) -> Callable[[Callable[[Connection], None]], Callable]:
    """Register a function as the step that produces schema `version`."""

    def register(step: Callable[[Connection], None]) -> Callable[[Connection], None]:
        if version in MIGRATIONS:
            raise ValueError(f"two migrations produce schema {version}")
        MIGRATIONS[version] = Migration(version, step.__name__, step)
        return step

    return register


@migration(2)
def index_updates_by_action_and_date(conn: Connection) -> None:
    """Add `ix_updates_action_asof` and the `schema_migrations` log; drop `ix_actions_owner`."""
    timestamp = "DATETIME" if conn.dialect.name == "sqlite" else "TIMESTAMP WITHOUT TIME ZONE"
    conn.exec_driver_sql(
        "CREATE TABLE schema_migrations ("
        "version INTEGER NOT NULL, name TEXT NOT NULL, "
        f"applied_at {timestamp} NOT NULL, PRIMARY KEY (version))"
    )
    conn.exec_driver_sql("CREATE INDEX ix_updates_action_asof ON updates (action_id, as_of)")
    # PostgreSQL cannot index text over ~2.7 KB, so an action with a long
    # owner could not be saved; nothing queries by owner in SQL.
    conn.exec_driver_sql("DROP INDEX ix_actions_owner")


@migration(3)
def add_commentary(conn: Connection) -> None:
    """Add `commentary`: the quarter's overview and notes per report section, with history."""
    sqlite = conn.dialect.name == "sqlite"
    serial = "INTEGER" if sqlite else "SERIAL"
    timestamp = "DATETIME" if sqlite else "TIMESTAMP WITHOUT TIME ZONE"
    conn.exec_driver_sql(
        "CREATE TABLE commentary ("
        f"seq {serial} NOT NULL, quarter VARCHAR(16) NOT NULL, section VARCHAR(32) NOT NULL, "
        'version INTEGER NOT NULL, text TEXT NOT NULL, "by" TEXT NOT NULL, '
        f"recorded_at {timestamp} NOT NULL, PRIMARY KEY (seq), "
        "CONSTRAINT uq_commentary_version UNIQUE (quarter, section, version))"
    )


@migration(4)
def add_people(conn: Connection) -> None:
    """Add `people` and `people_history`: who may sign in, their roles, and every change to them."""
    sqlite = conn.dialect.name == "sqlite"
    serial = "INTEGER" if sqlite else "SERIAL"
    timestamp = "DATETIME" if sqlite else "TIMESTAMP WITHOUT TIME ZONE"
    conn.exec_driver_sql(
        "CREATE TABLE people ("
        "login VARCHAR(64) NOT NULL, name TEXT NOT NULL, role VARCHAR(16) NOT NULL, "
        "owns TEXT, team TEXT, email TEXT, active BOOLEAN NOT NULL, password_hash TEXT, "
        f"version INTEGER NOT NULL, changed_at {timestamp} NOT NULL, changed_by TEXT NOT NULL, "
        "PRIMARY KEY (login))"
    )
    conn.exec_driver_sql(
        "CREATE TABLE people_history ("
        f"seq {serial} NOT NULL, login VARCHAR(64) NOT NULL, version INTEGER NOT NULL, "
        f'kind VARCHAR(16) NOT NULL, "by" TEXT NOT NULL, recorded_at {timestamp} NOT NULL, '
        "changes TEXT NOT NULL, name TEXT NOT NULL, role VARCHAR(16) NOT NULL, owns TEXT, "
        "team TEXT, email TEXT, active BOOLEAN NOT NULL, PRIMARY KEY (seq), "
        "CONSTRAINT uq_people_history_version UNIQUE (login, version), "
        "FOREIGN KEY(login) REFERENCES people (login))"
    )


@migration(5)
def add_complaint_deadlines_and_cqc_scores(conn: Connection) -> None:
    """Add SPEC section 10's complaint fields and the `cqc_scores` table.

    Complaints recorded before this step followed no recorded procedure; they
    become `statutory`, the procedure for adult social care and the default.
    Their `response_due` is left blank (nothing was recorded to work it out
    from; `correct-date` can give one).
    """
    columns = (
        "procedure VARCHAR(16) NOT NULL DEFAULT 'statutory'",
        "acknowledged_on DATE",
        "response_due DATE",
        "responded_on DATE",
        "extended_to DATE",
        "extension_reason TEXT",
        "lgsco_reference VARCHAR(16)",
        "lgsco_decision VARCHAR(32)",
        "remedied_before_ombudsman VARCHAR(3)",
    )
    for column in columns:
        conn.exec_driver_sql(f"ALTER TABLE complaints ADD COLUMN {column}")
    conn.exec_driver_sql(
        "CREATE TABLE cqc_scores ("
        "source_id VARCHAR(64) NOT NULL, quality_statement VARCHAR(64) NOT NULL, "
        "score INTEGER NOT NULL, PRIMARY KEY (source_id, quality_statement), "
        "FOREIGN KEY(source_id) REFERENCES sources (id))"
    )


@migration(6)
def add_update_requests(conn: Connection) -> None:
    """Add `update_requests`: the log of every update request sent."""
    sqlite = conn.dialect.name == "sqlite"
    serial = "INTEGER" if sqlite else "SERIAL"
    timestamp = "DATETIME" if sqlite else "TIMESTAMP WITHOUT TIME ZONE"
    conn.exec_driver_sql(
        "CREATE TABLE update_requests ("
        f"seq {serial} NOT NULL, sent_at {timestamp} NOT NULL, recipient TEXT NOT NULL, "
        "email TEXT NOT NULL, action_ids TEXT NOT NULL, reply_by DATE NOT NULL, "
        'subject TEXT NOT NULL, "by" TEXT NOT NULL, PRIMARY KEY (seq))'
    )


@migration(7)
def add_evidence(conn: Connection) -> None:
    """Add `evidence` (SPEC section 8): items that show an action worked, files kept in the plan."""
    sqlite = conn.dialect.name == "sqlite"
    serial = "INTEGER" if sqlite else "SERIAL"
    timestamp = "DATETIME" if sqlite else "TIMESTAMP WITHOUT TIME ZONE"
    binary = "BLOB" if sqlite else "BYTEA"
    conn.exec_driver_sql(
        "CREATE TABLE evidence ("
        f"id {serial} NOT NULL, action_id VARCHAR(64) NOT NULL, description TEXT NOT NULL, "
        f"link TEXT, filename TEXT, size INTEGER, sha256 VARCHAR(64), content {binary}, "
        f"added_by TEXT NOT NULL, added_on DATE NOT NULL, recorded_at {timestamp} NOT NULL, "
        f"withdrawn_by TEXT, withdrawn_at {timestamp}, withdrawn_reason TEXT, PRIMARY KEY (id), "
        "FOREIGN KEY(action_id) REFERENCES actions (id))"
    )
    conn.exec_driver_sql("CREATE INDEX ix_evidence_action_id ON evidence (action_id)")


def pending(version: int) -> list[Migration]:
    """The steps a database at `version` needs, in order.

    Raises:
        SchemaVersionError: the database is newer than this actionplan.
    """
    if version > schema.SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the database has schema {version}, newer than this actionplan's "
            f"{schema.SCHEMA_VERSION}; upgrade actionplan instead"
        )
    steps = [MIGRATIONS.get(number) for number in range(version + 1, schema.SCHEMA_VERSION + 1)]
    if None in steps:
        raise AssertionError(
            f"no migration registered for every schema up to {schema.SCHEMA_VERSION}"
        )
    return [step for step in steps if step is not None]


def migrate(store: Store) -> tuple[int, int]:
    """Bring a plan's schema up to this version of actionplan, all or nothing.

    Safe to run twice and by two people at once: the schema version row is
    locked (PostgreSQL) or the write lock held (SQLite) while steps run, and a
    database already current is left alone.

    Returns:
        `(old, new)` schema versions; equal when there was nothing to do.

    Raises:
        ActionPlanError: the database holds no plan.
        SchemaVersionError: the database is newer than this actionplan.
    """
    if store.schema_version() is None:
        raise ActionPlanError(
            f"{store.display_name} holds no action plan; run `actionplan init` first"
        )
    with store.write() as conn:
        found = conn.execute(
            select(schema.meta.c.value)
            .where(schema.meta.c.key == "schema_version")
            .with_for_update()
        ).scalar_one()
        old = int(found)
        for step in pending(old):
            step.apply(conn)
            conn.execute(
                update(schema.meta)
                .where(schema.meta.c.key == "schema_version")
                .values(value=str(step.version))
            )
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=step.version, name=step.name, applied_at=utc_now()
                )
            )
    return old, max(old, schema.SCHEMA_VERSION)
