"""What the property tests of the replay share: random histories, their plans, and comparing.

tests/test_properties.py holds the replay to itself (the stored row, events
after D); tests/test_summary_copy.py and test_summary_copy_assurance.py hold
the columnar copy to the replay. They turn a random step into the same update,
compare states the same way and walk the same quarters, so those live here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from actionplan import assurance, history
from actionplan.quarters import Quarter, quarter_of
from actionplan.rules import FIGURE_FIELDS
from actionplan.store import Store, cache, columnar
from actionplan.store.queries import load_plan, quarter_summaries
from actionplan.summary import quarter_summary

from .pg import Cluster

#: The first day a random step may fall on, and the plan's "today".
START = date(2024, 4, 1)
TODAY = date(2025, 6, 30)
#: The due date every random action starts with; a step's `due_shift` moves it.
FIRST_DUE = date(2025, 1, 31)

#: The columns of a state the figures read (the columnar copy keeps only these).
STATE: tuple[str, ...] = tuple(columnar.STATE_COLUMNS)

#: Each property on SQLite and on the test session's PostgreSQL cluster.
BACKENDS = pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def profile(name: str, examples: int) -> settings:
    """Hypothesis settings for a property that writes a whole plan per example."""
    settings.register_profile(
        name,
        deadline=None,
        max_examples=examples,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    return settings.get_profile(name)


def update_values(step: dict[str, Any]) -> dict[str, Any]:
    """The update a random step records: its day, progress, status and note, and the
    moves of the due date, start date and completion date it may carry."""
    as_of = START + timedelta(days=step["day"])
    values = {
        "action_id": step["action"],
        "by": "p",
        "as_of": as_of,
        "progress": step["progress"],
        "status": step["status"],
        "note": step["note"],
    }
    if step["due_shift"] is not None:
        values["due"] = FIRST_DUE + timedelta(days=step["due_shift"])
        values["reason"] = "moved"
    if step.get("start_shift") is not None:
        values["start_on"] = as_of + timedelta(days=step["start_shift"])
    if step.get("completed_shift") is not None and step["status"] == "complete":
        values["completed_on"] = as_of + timedelta(days=step["completed_shift"])
    return values


def comparable(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """A state frame's `columns` as plain values, so a categorical and a text column compare."""
    chosen = list(columns)
    return frame[chosen].astype(object).where(frame[chosen].notna(), None).to_dict("records")


def quarters() -> list[Quarter]:
    """Every quarter from the one before the first step to the one after today."""
    quarter = quarter_of(START - timedelta(days=1))
    found = []
    while quarter.start <= TODAY + timedelta(days=92):
        found.append(quarter)
        quarter = quarter.next()
    return found


@contextlib.contextmanager
def new_store(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A new, initialised plan on the backend (one per hypothesis example)."""
    if backend == "sqlite":
        store = Store(tmp_path_factory.mktemp("copy") / "plan.db")
        name = None
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        name = cluster.new_database()
        store = Store(cluster.url(name))
    store.initialise()
    try:
        yield store
    finally:
        store.close()
        if name is not None:
            request.getfixturevalue("pg_cluster").drop_database(name)


def assert_copy_agrees_with_replay(store: Store) -> pd.DataFrame:
    """At every quarter end, the columnar copy's states equal the replay's, and every
    quarter's `summary --json` from the copy equals the summary of the plan in memory.

    Returns:
        The plan's events, for a property to look further at.
    """
    every = quarters()
    ends = sorted({day for q in every for day in (q.end, q.previous().end)})
    events = store.events(fields=FIGURE_FIELDS)
    from_copy = cache.states_at(store, ends)
    for end in ends:
        replayed = assurance.with_verified(history.state_at(events, end), events, end)
        assert comparable(from_copy[end], STATE) == comparable(replayed, STATE), end
    data = load_plan(store)
    assert quarter_summaries(store, every) == [quarter_summary(data, q) for q in every]
    return events
