"""Shared fixtures: real database files, one small plan, and the demo plan.

`store` is a fresh, initialised database per test. The PostgreSQL variant is
added by the backend fixture in this file when the server binaries exist.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from actionplan.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty, initialised SQLite plan."""
    fresh = Store(tmp_path / "plan.db")
    fresh.initialise()
    yield fresh
    fresh.close()


@pytest.fixture
def plan(store: Store) -> Store:
    """A plan with one source and one recommendation to hang actions on."""
    store.add_source({"id": "S1", "kind": "peer_review", "title": "LGA Corporate Peer Challenge"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Reduce assessment waits"})
    return store


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
    from actionplan.demo_plan import load_demo

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
