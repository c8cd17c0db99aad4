"""Schema versions: a plan made by the first release is migrated, not broken.

The version-1 database is built from the frozen first-release DDL
(`actionplan.store.schema_v1`), filled with a plan that has history over several
quarters, and migrated with the real `actionplan migrate` on each backend.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Date, inspect, select, update

from actionplan.cli import cli
from actionplan.complaints.deadlines import DeadlineSettings
from actionplan.history import DATE_DTYPE
from actionplan.records import as_plain
from actionplan.store import Store, frames, schema, schema_v1
from actionplan.store.migrations import MIGRATIONS, pending
from actionplan.store.queries import summarise
from actionplan.store.window import counted_between

from .plan_data import TODAY, fill_plan, replay_mismatches

V1_TABLES = (
    "meta",
    "sources",
    "recommendations",
    "actions",
    "updates",
    "complaints",
    "complaint_actions",
    "compliments",
)


def run(db: str, *args: str) -> tuple[int, str, str]:
    """The CLI in-process; a traceback fails the test instead of passing as exit 1."""
    result = CliRunner().invoke(cli, ["--db", db, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


#: The columns the first schema's complaints have (schema 5 added SPEC section 10's).
V1_COMPLAINT_COLUMNS = (
    "id", "stage", "received_on", "theme", "outcome", "decided_on", "remedy_due",
    "remedy_done_on", "escalated_from", "learning",
)  # fmt: skip


def rows(store: Store, names: tuple[str, ...] = V1_TABLES) -> dict[str, list]:
    """Every row of the named tables (as the first schema has them), to prove migrating
    changed no record."""

    def columns(name: str) -> list:
        table = schema.metadata.tables[name]
        if name == "complaints":
            return [table.c[column] for column in V1_COMPLAINT_COLUMNS]
        return list(table.columns)

    with store.read() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(*columns(name))).all()), key=repr)
            for name in names
        }


def first_schema_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let this actionplan's figures read a first-schema plan: complaints without schema 5's
    columns (read as a migrated plan holds them: procedure statutory, the rest blank) and
    no CQC scores. Only to work out the figures a migration must keep."""
    original = Store.table

    def table(self: Store, name: str) -> pd.DataFrame:
        if name == "cqc_scores":
            return pd.DataFrame(columns=["source_id", "quality_statement", "score"])
        if name != "complaints":
            return original(self, name)
        wanted = [schema.complaints.c[column] for column in V1_COMPLAINT_COLUMNS]
        with self.read() as conn:
            frame = frames.raw_frame(conn, select(*wanted), raw_types=(Date,))
        dated = [c.name for c in wanted if isinstance(c.type, Date)]
        frame = frames.typed(frame, dated, ())
        for column in schema.complaints.columns:
            if column.name in frame.columns:
                continue
            if isinstance(column.type, Date):
                frame[column.name] = pd.Series(pd.NaT, index=frame.index, dtype=DATE_DTYPE)
            else:
                frame[column.name] = "statutory" if column.name == "procedure" else None
        return frame

    def complaints_between(
        self: Store, start: date, end: date, deadlines: DeadlineSettings
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        return counted_between(
            self.table("complaints"), self.table("compliments"), start, end, deadlines
        )

    monkeypatch.setattr(Store, "table", table)
    monkeypatch.setattr(Store, "complaints_between", complaints_between)


@pytest.fixture(scope="module")
def v1_templates() -> dict[str, str]:
    """Version-1 plans built once per backend (file path or PostgreSQL database name)."""
    return {}


def _build_v1(url: str) -> None:
    store = Store(url)
    with store.write() as conn:
        schema_v1.create(conn)
    fill_plan(store, first_schema=True)
    store.close()


@pytest.fixture
def v1_db(
    backend: str,
    v1_templates: dict[str, str],
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> Iterator[str]:
    """A database exactly as the first release created it, holding a plan with history.

    Built once per backend and copied per test (a file copy, or CREATE DATABASE
    ... TEMPLATE), because writing the plan takes most of a second.
    """
    if backend == "sqlite":
        if "sqlite" not in v1_templates:
            path = tmp_path_factory.mktemp("v1") / "v1.db"
            _build_v1(f"sqlite:///{path}")
            v1_templates["sqlite"] = str(path)
        target = tmp_path / "v1.db"
        shutil.copy(v1_templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    if "postgresql" not in v1_templates:
        name = cluster.new_database()
        _build_v1(cluster.url(name))
        v1_templates["postgresql"] = name
    copy = cluster.new_database(template=v1_templates["postgresql"])
    yield cluster.url(copy)
    cluster.drop_database(copy)


@pytest.fixture
def fresh_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second, newly initialised database on the same backend, to compare schemas with."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        Store(url).initialise()
        yield url
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    fresh = Store(cluster.url(name))
    fresh.initialise()
    fresh.close()
    yield cluster.url(name)
    cluster.drop_database(name)


def structure(url: str) -> dict[str, object]:
    """Tables, columns (name, type, nullability), primary keys and indexes of a database."""
    store = Store(url)
    try:
        found = inspect(store.engine)
        shape: dict[str, object] = {}
        for table in sorted(found.get_table_names()):
            shape[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
                ],
                "primary_key": found.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in found.get_indexes(table)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in found.get_unique_constraints(table)
                ),
            }
        return shape
    finally:
        store.close()


def test_every_schema_version_has_a_registered_step() -> None:
    assert [step.version for step in pending(1)] == list(range(2, schema.SCHEMA_VERSION + 1))
    assert set(MIGRATIONS) == set(range(2, schema.SCHEMA_VERSION + 1))


def test_first_schema_database_is_refused_until_migrated(v1_db: str) -> None:
    code, out, err = run(v1_db, "list")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "has schema 1; run `actionplan migrate`" in err


def test_migrating_first_schema_keeps_every_record_and_figure(
    v1_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(v1_db)
    quarters = [quarter.label for quarter in store.data_quarters()]
    assert len(quarters) >= 4
    before_rows = rows(store)
    with monkeypatch.context() as patched:
        first_schema_reads(patched)
        before = {
            label: json.loads(json.dumps(summarise(store, label), default=as_plain))
            for label in quarters
        }

    code, out, err = run(v1_db, "migrate")

    assert code == 0, err
    assert f"from schema 1 to {schema.SCHEMA_VERSION}" in out
    assert store.schema_version() == schema.SCHEMA_VERSION
    after = {}
    for label in quarters:
        code, out, err = run(v1_db, "summary", "--quarter", label, "--json")
        assert code == 0, err
        after[label] = json.loads(out)
    assert after == before
    migrated_rows = rows(store)
    meta_before = dict(before_rows.pop("meta"))
    meta_after = dict(migrated_rows.pop("meta"))
    assert migrated_rows == before_rows
    assert meta_after == {**meta_before, "schema_version": str(schema.SCHEMA_VERSION)}
    logged = rows(store, ("schema_migrations",))["schema_migrations"]
    assert [(version, name) for version, name, _ in logged] == [
        (step.version, step.name) for step in pending(1)
    ]
    assert replay_mismatches(store, TODAY) == []
    complaints = store.complaints()
    assert len(complaints) and (complaints["procedure"] == "statutory").all()
    assert complaints["response_due"].isna().all()


def test_a_migrated_plan_takes_new_saves(v1_db: str) -> None:
    assert run(v1_db, "migrate")[0] == 0
    store = Store(v1_db)
    version = store.get_action("A01")["version"]
    code, out, err = run(
        v1_db, "update", "A01", "--note", "after migration", "--expect-version", str(version)
    )
    assert code == 0, err
    assert store.history("A01")[-1]["note"] == "after migration"
    assert replay_mismatches(store) == []


def test_migrated_schema_is_the_schema_a_new_plan_gets(v1_db: str, fresh_db: str) -> None:
    assert run(v1_db, "migrate")[0] == 0
    assert structure(v1_db) == structure(fresh_db)


def test_migrate_on_a_current_plan_changes_nothing(store: Store) -> None:
    before = rows(store, tuple(schema.metadata.tables))
    code, out, err = run(store.url, "migrate")
    assert code == 0, err
    assert f"already at schema {schema.SCHEMA_VERSION}; nothing to do" in out
    assert rows(store, tuple(schema.metadata.tables)) == before


def test_failed_migration_leaves_the_first_schema_untouched(v1_db: str) -> None:
    store = Store(v1_db)
    # Someone created an index by hand with the name the step needs: the step fails.
    with store.write() as conn:
        conn.exec_driver_sql("CREATE INDEX ix_updates_action_asof ON updates (as_of)")
    before = rows(store)

    code, out, err = run(v1_db, "migrate")

    assert code == 1 and out == ""
    assert err.startswith("Error: database:") and err.count("\n") == 1
    assert store.schema_version() == 1
    assert "schema_migrations" not in inspect(store.engine).get_table_names()
    assert rows(store) == before


def test_database_from_a_newer_actionplan_is_refused_in_one_line(store: Store) -> None:
    with store.write() as conn:
        conn.execute(
            update(schema.meta).where(schema.meta.c.key == "schema_version").values(value="99")
        )
    before = rows(store, tuple(schema.metadata.tables))
    for args in (("list",), ("summary", "--quarter", "2024-25-Q1"), ("migrate",)):
        code, out, err = run(store.url, *args)
        assert code == 1 and out == ""
        assert err.count("\n") == 1, err
        assert "schema 99" in err and "newer" in err and "upgrade actionplan" in err
    assert rows(store, tuple(schema.metadata.tables)) == before


def test_migrate_on_an_empty_database_says_to_init(empty_db: str) -> None:
    code, out, err = run(empty_db, "migrate")
    assert code == 1 and err.count("\n") == 1
    assert "holds no action plan; run `actionplan init` first" in err
