"""Two OS processes saving the same action (SPEC section 4, concurrent edits)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from actionplan.errors import StaleVersionError
from actionplan.store import Store

from .conftest import add_action


def _save_many(db: str, who: str, count: int, barrier) -> None:
    store = Store(db)
    barrier.wait()
    for number in range(count):
        store.record_update({"action_id": "A1", "by": who, "note": f"{who}-{number}"})


def _save_from_version_one(db: str, who: str, barrier, results) -> None:
    store = Store(db)
    barrier.wait()
    try:
        store.record_update(
            {"action_id": "A1", "by": who, "progress": 40 if who == "first" else 60},
            expected_version=1,
        )
        results.put((who, "saved"))
    except StaleVersionError as error:
        results.put((who, str(error)))


def _plan(tmp_path: Path) -> str:
    db = str(tmp_path / "plan.db")
    store = Store(db)
    store.initialise()
    store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    add_action(store, "A1", "2025-03-31", "2024-04-01")
    store.close()
    return db


def test_two_processes_saving_at_once_lose_no_event(tmp_path: Path) -> None:
    db = _plan(tmp_path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_save_many, args=(db, who, 25, barrier)) for who in ("ann", "bob")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    history = Store(db).history("A1")
    notes = sorted(event["note"] for event in history if event["note"])
    assert notes == sorted([f"ann-{n}" for n in range(25)] + [f"bob-{n}" for n in range(25)])
    assert [event["version"] for event in history] == list(range(1, 52))
    assert Store(db).get_action("A1")["version"] == 51


def test_stale_save_from_another_process_is_refused_naming_who(tmp_path: Path) -> None:
    db = _plan(tmp_path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_save_from_version_one, args=(db, who, barrier, results))
        for who in ("first", "second")
    ]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(60)
    winners = [who for who, outcome in outcomes.items() if outcome == "saved"]
    assert len(winners) == 1
    [loser] = [who for who in outcomes if who not in winners]
    assert f"changed by {winners[0]}" in outcomes[loser]
    assert "version 2" in outcomes[loser]
    history = Store(db).history("A1")
    assert len(history) == 2 and history[1]["by"] == winners[0]
