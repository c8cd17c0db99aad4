"""Properties of replay over random histories (SPEC section 4)."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplan.errors import ValidationError
from actionplan.history import STATE_COLUMNS, state_at
from actionplan.store import Store

from .histories import START, TODAY, comparable, profile, update_values

STATE = [c for c in STATE_COLUMNS if c not in ("last_updated", "last_updated_by", "version")]

updates = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["A1", "A2", "A3"]),
            "day": st.integers(0, (TODAY - START).days),
            "progress": st.none() | st.integers(0, 100),
            "status": st.none()
            | st.sampled_from(["on_track", "at_risk", "off_track", "complete", "cancelled"]),
            "due_shift": st.none() | st.integers(-30, 200),
            "note": st.none() | st.text(min_size=1, max_size=5),
        }
    ),
    max_size=25,
)


def fresh(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("prop") / "plan.db")
    store.initialise()
    store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    for number, created in enumerate(["2024-04-01", "2024-07-15", "2024-10-01"], start=1):
        store.add_action(
            {
                "id": f"A{number}",
                "recommendation_id": "R1",
                "title": "t",
                "owner": "o",
                "due": "2025-01-31",
                "created_on": created,
            },
            by="setup",
            today=TODAY,
        )
    return store


def apply(store: Store, steps: list[dict]) -> None:
    for step in steps:
        # A refused update leaves history as it was; that is also part of the property.
        with contextlib.suppress(ValidationError):
            store.record_update(update_values(step), today=TODAY)


REPLAY = profile("replay", examples=40)


@REPLAY
@given(steps=updates)
def test_stored_current_row_equals_replay_at_today(tmp_path_factory, steps) -> None:
    store = fresh(tmp_path_factory)
    apply(store, steps)
    assert comparable(store.current_actions(), STATE) == comparable(
        state_at(store.events(), TODAY), STATE
    )


@REPLAY
@given(steps=updates, cut=st.integers(0, (TODAY - START).days))
def test_state_at_d_ignores_events_after_d(tmp_path_factory, steps, cut) -> None:
    store = fresh(tmp_path_factory)
    apply(store, steps)
    events = store.events()
    day = pd.Timestamp(START + timedelta(days=cut))
    only_known = events[events["as_of"] <= day]
    assert comparable(state_at(events, day), STATE) == comparable(state_at(only_known, day), STATE)
    # and dropping a later event (as if never recorded) changes nothing at D
    later = events[events["as_of"] > day]
    if not later.empty:
        assert comparable(state_at(events.drop(later.index[0]), day), STATE) == comparable(
            state_at(events, day), STATE
        )


CALENDAR = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def _typed(day: date, form: str) -> str:
    if form == "iso":
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


@given(day=CALENDAR, form=st.sampled_from(["iso", "uk"]))
def test_any_day_of_the_calendar_is_read_only_within_the_plan_range(day: date, form: str):
    from actionplan.dates import date_range, parse_date
    from actionplan.errors import FieldError

    earliest, latest = date_range()
    try:
        read = parse_date(_typed(day, form), "due")
    except FieldError as error:
        assert not earliest <= day <= latest
        assert str(error).startswith("due: ") and "check the year" in str(error)
    else:
        assert read == day and earliest <= day <= latest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.lists(CALENDAR, min_size=1, max_size=4), form=st.sampled_from(["iso", "uk"]))
def test_a_due_date_of_any_year_is_saved_or_refused_and_the_plan_still_counts(
    tmp_path_factory, days: list[date], form: str
):
    store = fresh(tmp_path_factory)
    store.add_action(
        {"id": "D1", "recommendation_id": "R1", "title": "T", "owner": "O", "due": "2025-03-31",
         "created_on": START.isoformat()},
        by="x",
        today=TODAY,
    )  # fmt: skip
    for day in days:
        with contextlib.suppress(ValidationError):
            store.record_update(
                {"action_id": "D1", "by": "x", "due": _typed(day, form), "reason": "r"},
                today=TODAY,
            )
    from actionplan.store.queries import summarise

    figures = summarise(store, "2025-26-Q1", today=TODAY)["actions"]
    due = store.get_action("D1")["due"]
    assert date(2000, 1, 1) <= due <= date(2099, 12, 31)
    # Beside D1, `fresh` made three actions due 31 Jan 2025: overdue at the end of June.
    assert figures["total"] == 4
    assert figures["overdue"] == 3 + (1 if due < TODAY else 0)
    store.close()
