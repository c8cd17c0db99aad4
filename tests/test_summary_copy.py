"""A summary from the columnar copy says exactly what replaying the history says.

`store.queries.summarise` works from a columnar copy of the events kept beside
the plan (`store.columnar`, `store.cache`) and reads only the complaints dated
in the quarter. For random histories written through the store (updates in
random `as_of` order, so many are late; completions with and without a date,
reopenings, cancellations, due-date moves; an action created part-way;
complaints of every stage and outcome; compliments), on SQLite and
PostgreSQL, with the copy saved part-way and brought up to date afterwards,
at every quarter end from before the first event to a quarter past today:
the states equal `history.state_at` and every figure equals
`summary.quarter_summary` over the whole plan in memory.

Then the promise that a kept copy never makes a figure wrong: damaged, from
another plan, from before a backup was restored, written by a transaction
that committed late, or impossible to save at all.
"""

from __future__ import annotations

import contextlib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from actionplan.errors import ValidationError
from actionplan.store import Store, cache, columnar
from actionplan.store.queries import load_plan, quarter_summaries
from actionplan.summary import quarter_summary

from .histories import (
    BACKENDS,
    START,
    TODAY,
    assert_copy_agrees_with_replay,
    new_store,
    profile,
    quarters,
    update_values,
)
from .pg import Cluster

steps_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["A1", "A2", "A3", "A4"]),
            "day": st.integers(0, (TODAY - START).days),
            "progress": st.none() | st.integers(0, 100),
            "status": st.none()
            | st.sampled_from(
                ["not_started", "on_track", "at_risk", "off_track", "complete", "cancelled"]
            ),
            "due_shift": st.none() | st.integers(-200, 200),
            "completed_shift": st.none() | st.integers(-60, 0),
            "start_shift": st.none() | st.integers(-120, 120),
            "note": st.none() | st.just("n"),
        }
    ),
    max_size=30,
)
complaints_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "stage": st.sampled_from(["stage1", "stage2", "ombudsman"]),
            "received": st.integers(0, (TODAY - START).days - 60),
            "theme": st.sampled_from([None, "", "Charging", "Care planning"]),
            "outcome": st.sampled_from(
                [None, "upheld", "partly_upheld", "not_upheld", "withdrawn"]
            ),
            "decided_after": st.integers(0, 60),
            "remedy_after": st.none() | st.integers(0, 120),
            "done_after": st.none() | st.integers(-30, 120),
            "procedure": st.sampled_from(["statutory", "corporate"]),
            "acknowledged_after": st.none() | st.integers(0, 12),
            "responded_after": st.none() | st.integers(0, 200),
            "extended_after": st.none() | st.integers(5, 40),
        }
    ),
    max_size=8,
)


def add(
    store: Store,
    action_id: str,
    created: str,
    due: str,
    status: str | None = None,
    start_on: str | None = None,
) -> None:
    store.add_action(
        {
            "id": action_id,
            "recommendation_id": "R1",
            "title": "t",
            "owner": "o",
            "due": due,
            "created_on": created,
            "status": status,
            "start_on": start_on,
        },
        by="setup",
        today=TODAY,
    )


def write_history(store: Store, steps: list[dict], complaints: list[dict]) -> None:
    """The plan, with its copy saved before the updates and brought up to date after."""
    store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    for number, created in enumerate(["2024-04-01", "2024-07-15", "2024-10-01"], start=1):
        add(
            store,
            f"A{number}",
            created,
            "2025-01-31",
            "on_track" if number == 2 else None,
            "2024-06-01" if number == 3 else None,
        )
    cache.event_copy(store)  # saved now; every later event reaches it as a refresh
    for number, step in enumerate(steps):
        if number == len(steps) // 2:
            add(store, "A4", "2024-09-30", "2024-12-31", "complete")
        if number == len(steps) * 3 // 4:
            cache.event_copy(store)  # and once more part-way
        values = update_values(step)
        # A refused update (before creation, unknown action, nothing changed) writes nothing.
        with contextlib.suppress(ValidationError):
            store.record_update(values, today=TODAY)
    for number, item in enumerate(complaints):
        received = START + timedelta(days=item["received"])
        decided = received + timedelta(days=item["decided_after"]) if item["outcome"] else None
        remedy = (
            received + timedelta(days=item["remedy_after"])
            if decided and item["remedy_after"] is not None
            else None
        )
        done = None
        if remedy is not None and item["done_after"] is not None:
            done = max(remedy + timedelta(days=item["done_after"]), received)
        acknowledged = item["acknowledged_after"]
        responded = item["responded_after"]
        extended = item["extended_after"] if item["stage"] != "ombudsman" else None
        with contextlib.suppress(ValidationError):
            store.add_complaint(
                {
                    "id": f"C{number}",
                    "stage": item["stage"],
                    "received_on": received.isoformat(),
                    "theme": item["theme"],
                    "outcome": item["outcome"],
                    "decided_on": decided.isoformat() if decided else None,
                    "remedy_due": remedy.isoformat() if remedy else None,
                    "remedy_done_on": done.isoformat() if done else None,
                    "procedure": item["procedure"],
                    "acknowledged_on": (
                        (received + timedelta(days=acknowledged)).isoformat()
                        if acknowledged is not None
                        else None
                    ),
                    "responded_on": (
                        (received + timedelta(days=responded)).isoformat()
                        if responded is not None
                        else None
                    ),
                    "extended_to": (
                        (received + timedelta(days=30 + extended)).isoformat()
                        if extended is not None
                        else None
                    ),
                }
            )
        store.add_compliment({"id": f"K{number}", "received_on": received.isoformat()})


@BACKENDS
@profile("copy", examples=25)
@given(steps=steps_strategy, complaints=complaints_strategy)
def test_summary_from_the_copy_equals_replay_at_every_quarter(
    backend, request, tmp_path_factory, kept, steps, complaints
) -> None:
    with new_store(backend, request, tmp_path_factory) as store:
        write_history(store, steps, complaints)
        assert_copy_agrees_with_replay(store)


# -- a kept copy never makes a figure wrong ---------------------------------------


@pytest.fixture
def busy_plan(store: Store, kept: None) -> Store:
    """A plan with a saved copy, and events recorded since the copy was made."""
    store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    add(store, "A1", "2024-04-01", "2025-01-31")
    add(store, "A2", "2024-05-01", "2024-09-30")
    cache.event_copy(store)
    store.record_update({"action_id": "A1", "by": "p", "as_of": "2024-06-01", "status": "at_risk"})
    add(store, "A3", "2024-06-15", "2024-08-31", "complete")
    return store


def replayed(store: Store) -> list[dict]:
    data = load_plan(store)
    return [quarter_summary(data, q) for q in quarters()]


def kept_file(store: Store) -> Path:
    found = [place for place in cache.locations(store) if place.exists()]
    assert found, "no copy was kept"
    return found[0]


def test_a_copy_is_kept_beside_a_sqlite_plan_and_brought_up_to_date(
    plan: Store, kept: None
) -> None:
    if plan.path is None:
        pytest.skip("a PostgreSQL plan has no folder")
    add(plan, "A1", "2024-04-01", "2025-01-31")
    cache.event_copy(plan)
    place = plan.path.parent / "plan.db-cache" / "events.npz"
    assert place.exists()
    before = place.stat().st_mtime_ns
    plan.record_update({"action_id": "A1", "by": "p", "as_of": "2024-06-01", "progress": 40})
    assert quarter_summaries(plan, quarters()) == replayed(plan)
    assert place.stat().st_mtime_ns != before


def test_a_damaged_copy_is_rebuilt(busy_plan: Store) -> None:
    kept_file(busy_plan).write_bytes(b"not a copy at all")
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)
    columnar.from_file(kept_file(busy_plan).open("rb"))  # whole again


def test_a_copy_of_another_plan_is_not_trusted(busy_plan: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "other.db")
    other.initialise()
    other.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    other.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    for number in range(1, 6):
        add(other, f"B{number}", "2024-04-01", "2024-06-30", "complete")
    cache.event_copy(other)
    place = kept_file(busy_plan)
    shutil.copyfile(kept_file(other), place)
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)
    other.close()


def test_a_copy_made_before_a_backup_was_restored_is_not_trusted(
    busy_plan: Store, tmp_path: Path
) -> None:
    """The restored plan has fewer events, then gets different ones with the same numbers."""
    if busy_plan.path is None:
        pytest.skip("restoring a file is a SQLite matter")
    backup = tmp_path / "backup.db"
    busy_plan.close()
    shutil.copyfile(busy_plan.path, backup)
    busy_plan.record_update(
        {"action_id": "A2", "by": "p", "as_of": "2024-07-01", "status": "complete"}
    )
    cache.event_copy(busy_plan)
    busy_plan.close()
    shutil.copyfile(backup, busy_plan.path)
    busy_plan.record_update({"action_id": "A1", "by": "q", "as_of": "2024-07-01", "progress": 10})
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)


@pytest.mark.postgres
def test_an_event_committed_after_the_copy_with_a_lower_number_is_counted(
    pg_cluster: Cluster, kept: None
) -> None:
    """On PostgreSQL a transaction can take a `seq` and commit after a later one was copied."""
    name = pg_cluster.new_database()
    store = Store(pg_cluster.url(name))
    try:
        store.initialise()
        store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
        store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
        add(store, "A1", "2024-04-01", "2025-01-31")
        add(store, "A2", "2024-04-01", "2025-01-31")
        with (
            store.write() as conn
        ):  # leave numbers free below the next event, as a slow writer does
            conn.execute(text("SELECT setval(pg_get_serial_sequence('updates', 'seq'), 1000)"))
        store.record_update({"action_id": "A1", "by": "p", "as_of": "2024-06-01", "progress": 30})
        cache.event_copy(store)
        with store.write() as conn:  # the slow writer's event, numbered below the copied one
            conn.execute(
                text(
                    'INSERT INTO updates (seq, action_id, version, kind, "by", recorded_at, as_of, '
                    "changes, status) VALUES (500, 'A2', 2, 'update', 'slow', :now, "
                    "'2024-06-02', '{}', 'off_track')"
                ),
                {"now": "2024-06-02 10:00:00"},
            )
        assert quarter_summaries(store, quarters()) == replayed(store)
        assert quarter_summaries(store, quarters())[1]["actions"]["by_rag"]["red"] == 1
    finally:
        store.close()
        pg_cluster.drop_database(name)


def test_a_plan_whose_cache_folder_cannot_be_made_is_summarised_quietly(
    busy_plan: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd
) -> None:
    """A file where the cache folders would go: the copy lives in memory, figures are right."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    for place in cache.locations(busy_plan):
        if place.exists():
            place.unlink()
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    if busy_plan.path is not None:
        beside = busy_plan.path.parent / f"{busy_plan.path.name}-cache"
        shutil.rmtree(beside, ignore_errors=True)
        beside.write_text("")
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)
    assert capfd.readouterr().err == ""
    assert not any(place.exists() for place in cache.locations(busy_plan))


def test_a_read_only_plan_folder_keeps_the_copy_in_the_user_cache(
    busy_plan: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if busy_plan.path is None:
        pytest.skip("a PostgreSQL plan has no folder")
    beside, user = cache.locations(busy_plan)
    shutil.rmtree(beside.parent)
    beside.parent.write_text("")  # the folder cannot be made, as in a read-only folder
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)
    assert user.exists()


def test_a_small_plan_keeps_no_copy(plan: Store, monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    add(plan, "A1", "2024-04-01", "2025-01-31")
    quarter_summaries(plan, quarters())
    assert not any(place.exists() for place in cache.locations(plan))


def test_events_of_one_day_count_in_the_order_they_were_recorded(busy_plan: Store) -> None:
    """Replay orders a day's events by `recorded_at`, not by the order they were stored."""
    with busy_plan.write() as conn:
        for version, (status, recorded) in enumerate(
            [("off_track", "2024-06-20 12:00:00"), ("on_track", "2024-06-20 09:00:00")], start=3
        ):
            conn.execute(
                text(
                    'INSERT INTO updates (action_id, version, kind, "by", recorded_at, as_of, '
                    "changes, status) VALUES ('A1', :version, 'update', 'p', :recorded, "
                    "'2024-06-20', '{}', :status)"
                ),
                {"version": version, "recorded": recorded, "status": status},
            )
    assert quarter_summaries(busy_plan, quarters()) == replayed(busy_plan)
    q1 = quarter_summaries(busy_plan, quarters())[1]["actions"]
    assert q1["by_rag"]["red"] == 1  # off_track, recorded last, stands
