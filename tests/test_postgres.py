"""PostgreSQL as a first-class backend: the same code, the same figures, no double wins.

The general store/history/CLI tests already run on PostgreSQL through the
parametrised `store` fixture; these are the checks only PostgreSQL needs: the
race READ COMMITTED allows (two transactions both reading version 1), `init`
on an empty server database, and identical figures for an identical plan.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime

import psycopg
import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import StaleVersionError
from actionplan.records import as_plain
from actionplan.store import Store
from actionplan.store.queries import summarise

from .conftest import add_action
from .pg import Cluster
from .plan_data import TODAY, fill_plan, replay_mismatches

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """An empty PostgreSQL database (no tables)."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_plan(pg_url: str) -> Iterator[Store]:
    store = Store(pg_url)
    store.initialise()
    store.add_source({"id": "S1", "kind": "audit", "title": "Internal audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Keep the record whole"})
    add_action(store, "A1", "2025-03-31", "2024-04-01", progress=10, status="on_track")
    yield store
    store.close()


def run(db: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, ["--db", db, *args] if db else list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def wait_until_blocked(cluster: Cluster, database: str) -> None:
    """Wait until some session on `database` is waiting for a row lock."""
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        while not conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            (database,),
        ).fetchone()[0]:
            time.sleep(0.005)


def _database(store: Store) -> str:
    return store.engine.url.database or ""


def test_init_creates_the_schema_on_an_empty_database(pg_url: str) -> None:
    code, out, err = run(pg_url, "init", "--council", "Northfield Council", "--first-month", "1")
    assert code == 0, err
    assert "Created postgresql+psycopg://postgres@127.0.0.1" in out
    store = Store(pg_url)
    store.check()
    assert (store.council, store.first_month) == ("Northfield Council", 1)
    code, out, err = run(pg_url, "init")
    assert code == 1 and err.count("\n") == 1 and "already holds an action plan" in err


def test_the_database_can_come_from_actionplan_db(pg_plan: Store) -> None:
    code, out, err = run("", "list", "--json", env={"ACTIONPLAN_DB": pg_plan.url})
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)] == ["A1"]


def test_two_editors_who_both_read_version_1_cannot_both_win(
    pg_plan: Store, pg_cluster: Cluster
) -> None:
    """The loser passed the version check, then waited on the winner's row lock.

    READ COMMITTED re-checks `WHERE version = 1` once the winner commits, finds
    version 2, updates nothing, and the store turns that into a stale refusal.
    """
    outcome: dict[str, object] = {}

    def second_editor() -> None:
        try:
            pg_plan.record_update(
                {"action_id": "A1", "by": "Second Editor", "progress": 60}, expected_version=1
            )
            outcome["second"] = "saved"
        except StaleVersionError as error:
            outcome["second"] = error

    with pg_plan.write() as conn:
        pg_plan.record_update(
            {"action_id": "A1", "by": "First Editor", "progress": 40}, expected_version=1, conn=conn
        )
        editor = threading.Thread(target=second_editor)
        editor.start()
        wait_until_blocked(pg_cluster, _database(pg_plan))
    editor.join(60)

    error = outcome["second"]
    assert isinstance(error, StaleVersionError)
    assert "changed by First Editor" in str(error) and "version 2" in str(error)
    history = pg_plan.history("A1")
    assert [(event["version"], event["by"]) for event in history] == [
        (1, "Improvement Officer"),
        (2, "First Editor"),
    ]
    assert pg_plan.get_action("A1")["progress"] == 40
    assert replay_mismatches(pg_plan) == []


def test_a_save_naming_no_version_waits_and_applies_on_top(
    pg_plan: Store, pg_cluster: Cluster
) -> None:
    done: list[dict] = []
    with pg_plan.write() as conn:
        pg_plan.record_update({"action_id": "A1", "by": "First Editor", "progress": 40}, conn=conn)
        editor = threading.Thread(
            target=lambda: done.append(
                pg_plan.record_update({"action_id": "A1", "by": "Second Editor", "note": "later"})
            )
        )
        editor.start()
        wait_until_blocked(pg_cluster, _database(pg_plan))
    editor.join(60)
    assert [event["version"] for event in done] == [3]
    history = pg_plan.history("A1")
    assert [event["by"] for event in history] == [
        "Improvement Officer",
        "First Editor",
        "Second Editor",
    ]
    assert pg_plan.get_action("A1")["progress"] == 40
    assert replay_mismatches(pg_plan) == []


def test_dates_and_times_come_back_as_they_went_in(pg_plan: Store) -> None:
    event = pg_plan.record_update(
        {"action_id": "A1", "by": "Officer", "progress": 30, "as_of": "2024-05-02"}
    )
    action = pg_plan.get_action("A1")
    assert action["due"] == date(2025, 3, 31) and isinstance(action["due"], date)
    assert isinstance(action["last_updated"], datetime) and action["last_updated"].tzinfo is None
    [_, stored] = pg_plan.history("A1")
    assert stored == event
    assert stored["as_of"] == "2024-05-02"
    assert stored["recorded_at"] == as_plain(action["last_updated"]) + "Z"


def test_same_plan_gives_the_same_figures_on_both_backends(pg_url: str, tmp_path) -> None:
    on_pg, on_sqlite = Store(pg_url), Store(tmp_path / "plan.db")
    for store in (on_pg, on_sqlite):
        store.initialise()
        fill_plan(store)
    quarters = on_sqlite.data_quarters(TODAY)
    assert on_pg.data_quarters(TODAY) == quarters and len(quarters) >= 4
    for quarter in quarters:
        assert summarise(on_pg, quarter) == summarise(on_sqlite, quarter)
    left = on_pg.current_actions().drop(columns=["last_updated"])
    right = on_sqlite.current_actions().drop(columns=["last_updated"])
    assert left.astype(str).equals(right.astype(str))
    on_pg.close()
