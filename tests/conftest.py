"""Shared fixtures: real databases, one small plan, and the demo plan.

`store` is a fresh, initialised database per test, once on SQLite (a file in
the test's tmp dir) and once on PostgreSQL (a new database in a throwaway
cluster this session starts), so test ids show `[sqlite]` and `[postgresql]`.
Where the PostgreSQL server binaries are absent the `[postgresql]` cases are
skipped with the reason. A test that passes the database to the CLI uses
`store.url` (a file URL or a PostgreSQL URL, both accepted by `--db`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from actionplan.store import Store, cache, schema

from .pg import MISSING_REASON, Cluster, server_bin

ROOT = Path(__file__).resolve().parents[1]

#: Debian's Chromium, driven by playwright (never a downloaded browser), and the
#: flags that keep it off the network and working as root.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The backends every `store` test runs on.
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's own PostgreSQL server, started on first use and stopped at the end."""
    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip(MISSING_REASON)
    cluster = Cluster(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql`: which database the test runs on."""
    return request.param


@pytest.fixture
def empty_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables) on the test's backend, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plan.db'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def store(empty_db: str) -> Iterator[Store]:
    """A new, empty, initialised plan (SQLite file or PostgreSQL database)."""
    fresh = Store(empty_db)
    fresh.initialise()
    yield fresh
    fresh.close()


@pytest.fixture
def plan(store: Store) -> Store:
    """A plan with one source and one recommendation to hang actions on."""
    store.add_source({"id": "S1", "kind": "peer_review", "title": "LGA Corporate Peer Challenge"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Reduce assessment waits"})
    return store


def table_rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command wrote nothing."""
    with store.read() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
            for name, table in schema.metadata.tables.items()
        }


def add_action(store: Store, action_id: str, due: str, created_on: str, **fields: object) -> None:
    """Create an action on R1 with the fields a test cares about."""
    store.add_action(
        {
            "id": action_id,
            "recommendation_id": "R1",
            "title": f"Action {action_id}",
            "owner": "Head of Assessment",
            "due": due,
            "created_on": created_on,
            **fields,
        },
        by="Improvement Officer",
    )


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, built once per test session through the real importer."""
    from actionplan.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    built = Store(path)
    load_demo(built)
    built.close()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo plan that a test may change."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_db_template, target)
    return target


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Copies are saved however small the plan, and the user's cache folder is private."""
    monkeypatch.setattr(cache, "KEEP_FROM", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
