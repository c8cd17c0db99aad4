"""SPEC section 4: history is the record. Each test is one rule, hand-worked."""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.errors import StaleVersionError, ValidationError
from actionplan.history import state_at
from actionplan.rules import BASELINE_REASON
from actionplan.store import Store
from actionplan.store.queries import summarise

from .conftest import add_action


def update(store: Store, action_id: str, as_of: str, **fields: object) -> dict:
    return store.record_update({"action_id": action_id, "by": "Officer", "as_of": as_of, **fields})


def state_on(store: Store, action_id: str, day: str) -> dict:
    frame = state_at(store.events(), date.fromisoformat(day)).set_index("id")
    if action_id not in frame.index:
        return {}
    return frame.loc[action_id].to_dict()


def test_creation_is_the_first_event_and_carries_every_initial_value(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01", team="Assessment", progress="10%")
    [created] = plan.history("A1")
    assert created["version"] == 1 and created["kind"] == "create"
    assert created["as_of"] == "2024-04-01"
    assert {field: change["new"] for field, change in created["changes"].items()} == {
        "title": "Action A1",
        "owner": "Head of Assessment",
        "team": "Assessment",
        "due": "2025-03-31",
        "status": "not_started",
        "progress": 10,
    }


def test_two_updates_on_the_same_day_the_later_recorded_wins(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2024-10-10", progress=30)
    update(plan, "A1", "2024-10-10", progress=60)
    assert state_on(plan, "A1", "2024-10-10")["progress"] == 60
    assert plan.get_action("A1")["progress"] == 60


def test_late_update_is_knowledge_about_the_past(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2024-11-20", progress=80)
    # Recorded after the November update, but describing September: it counts
    # in Q2 and is overridden in Q3 by the later as_of.
    update(plan, "A1", "2024-09-15", progress=40, status="at_risk")
    assert state_on(plan, "A1", "2024-09-30")["progress"] == 40
    assert state_on(plan, "A1", "2024-12-31")["progress"] == 80
    assert state_on(plan, "A1", "2024-12-31")["status"] == "at_risk"
    q2 = summarise(plan, "2024-25-Q2")["actions"]
    assert q2["by_rag"]["amber"] == 1 and q2["mean_progress"] == 40.0


def test_rerunning_a_past_quarter_changes_only_with_a_late_update(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    before = summarise(plan, "2024-25-Q2")
    update(plan, "A1", "2024-10-02", progress=50)  # after Q2: no effect on it
    assert summarise(plan, "2024-25-Q2") == before
    update(plan, "A1", "2024-08-01", progress=20)  # inside Q2: changes it
    assert summarise(plan, "2024-25-Q2")["actions"]["mean_progress"] == 20.0


def test_update_dated_after_the_quarter_does_not_count(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2025-01-01", status="complete")
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["by_rag"]["not_started"] == 1 and q3["completed_in_quarter"] == 0


def test_baseline_due_never_changes_and_due_is_current(plan: Store) -> None:
    add_action(plan, "A1", "2024-09-30", "2024-04-01")
    update(plan, "A1", "2024-09-01", due="2024-12-31", reason="Recruitment delayed")
    update(plan, "A1", "2024-12-01", due="31/03/2025", reason="Provider changed")
    current = plan.get_action("A1")
    assert current["baseline_due"] == date(2024, 9, 30)
    assert current["due"] == date(2025, 3, 31)
    assert state_on(plan, "A1", "2024-10-01")["due"].date() == date(2024, 12, 31)


def test_due_date_change_without_a_reason_is_refused(plan: Store) -> None:
    add_action(plan, "A1", "2024-09-30", "2024-04-01")
    with pytest.raises(ValidationError) as caught:
        update(plan, "A1", "2024-09-01", due="2024-12-31")
    assert caught.value.by_field() == {"reason": "is required when the due date changes"}
    assert len(plan.history("A1")) == 1


def test_complete_sets_progress_100_and_completed_on_to_as_of(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01", progress=20)
    update(plan, "A1", "2024-11-05", status="Complete")
    current = plan.get_action("A1")
    assert (current["status"], current["progress"], current["completed_on"]) == (
        "complete",
        100,
        date(2024, 11, 5),
    )


def test_given_completed_on_is_kept(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2024-11-05", status="complete", completed_on="2024-11-01")
    assert plan.get_action("A1")["completed_on"] == date(2024, 11, 1)


def test_reopened_completion_clears_completed_on(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2024-08-10", status="complete")
    event = update(plan, "A1", "2024-10-20", status="on_track", progress=70)
    assert event["changes"]["completed_on"] == {"old": "2024-08-10", "new": None}
    assert state_on(plan, "A1", "2024-09-30")["status"] == "complete"
    reopened = state_on(plan, "A1", "2024-12-31")
    assert reopened["status"] == "on_track" and reopened["progress"] == 70
    assert str(reopened["completed_on"]) == "NaT"
    q2 = summarise(plan, "2024-25-Q2")["actions"]
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert (q2["completed_in_quarter"], q3["completed_in_quarter"]) == (1, 0)
    assert q3["transitions"] == {"complete->green": 1}


def test_cancelled_action_is_not_counted(plan: Store) -> None:
    add_action(plan, "A1", "2024-06-30", "2024-04-01")
    add_action(plan, "A2", "2024-06-30", "2024-04-01")
    update(plan, "A2", "2024-05-01", status="cancelled", note="Superseded by A1")
    q1 = summarise(plan, "2024-25-Q1")["actions"]
    assert q1["total"] == 1 and sum(q1["by_rag"].values()) == 1
    assert plan.get_action("A2")["status"] == "cancelled"
    assert len(plan.history("A2")) == 2  # cancelled, not deleted


def test_action_created_after_the_quarter_does_not_exist_then(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    add_action(plan, "A2", "2025-03-31", "2025-01-06")
    assert summarise(plan, "2024-25-Q3")["actions"]["total"] == 1
    assert state_on(plan, "A2", "2024-12-31") == {}
    q4 = summarise(plan, "2024-25-Q4")["actions"]
    assert q4["total"] == 2 and q4["new"] == 1


def test_update_before_creation_is_refused(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-06-01")
    with pytest.raises(ValidationError) as caught:
        update(plan, "A1", "2024-05-01", progress=10)
    assert "as_of" in caught.value.by_field()


def test_future_as_of_is_refused(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-06-01")
    with pytest.raises(ValidationError) as caught:
        plan.record_update(
            {"action_id": "A1", "by": "Officer", "as_of": "2024-07-02", "progress": 5},
            today=date(2024, 7, 1),
        )
    assert caught.value.by_field() == {"as_of": "2024-07-02 is in the future"}


def test_stale_version_is_refused_naming_who_and_when(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    plan.record_update({"action_id": "A1", "by": "Sam Example", "progress": 10}, expected_version=1)
    with pytest.raises(StaleVersionError) as caught:
        plan.record_update(
            {"action_id": "A1", "by": "Alex Example", "progress": 20}, expected_version=1
        )
    message = str(caught.value)
    assert "Sam Example" in message and "version 2" in message and "UTC" in message
    assert [event["by"] for event in plan.history("A1")] == ["Improvement Officer", "Sam Example"]


def test_update_that_changes_nothing_is_refused(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    with pytest.raises(ValidationError) as caught:
        update(plan, "A1", "2024-05-01", progress=0, status="not_started")
    assert "update" in caught.value.by_field()
    update(plan, "A1", "2024-05-01", note="Kick-off meeting held")  # a note alone is an event
    assert len(plan.history("A1")) == 2


def test_complete_action_cannot_drop_below_100_without_reopening(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    update(plan, "A1", "2024-06-01", status="complete")
    with pytest.raises(ValidationError) as caught:
        update(plan, "A1", "2024-07-01", progress=50)
    assert "progress" in caught.value.by_field()


def test_an_action_added_as_already_complete_is_completed_on_its_own_date(plan: Store) -> None:
    add_action(plan, "A1", "2024-09-30", "2024-04-01", status="complete", completed_on="2024-10-15")
    created, completed = plan.history("A1")
    assert (created["as_of"], created["changes"]["status"]["new"]) == ("2024-04-01", "not_started")
    assert completed["as_of"] == "2024-10-15"
    assert completed["changes"]["completed_on"] == {"old": None, "new": "2024-10-15"}
    assert state_on(plan, "A1", "2024-09-30")["status"] == "not_started"
    late = summarise(plan, "2024-25-Q3")["actions"]
    assert (late["completed_in_quarter"], late["on_time_rate"]) == (1, 0.0)


def test_a_completion_date_alone_means_complete(plan: Store) -> None:
    add_action(plan, "A1", "2024-09-30", "2024-04-01", completed_on="2024-09-01")
    assert plan.get_action("A1")["status"] == "complete"
    assert summarise(plan, "2024-25-Q2")["actions"]["on_time_rate"] == 1.0


def test_a_baseline_due_date_makes_the_action_slipped_from_the_start(plan: Store) -> None:
    add_action(plan, "A1", "2025-06-30", "2024-04-01", baseline_due="2025-03-31")
    created, revised = plan.history("A1")
    assert created["changes"]["due"]["new"] == "2025-03-31"
    assert revised["as_of"] == "2024-04-01"
    assert revised["changes"] == {"due": {"old": "2025-03-31", "new": "2025-06-30"}}
    assert revised["reason"] == BASELINE_REASON
    current = plan.get_action("A1")
    assert (current["baseline_due"], current["due"]) == (date(2025, 3, 31), date(2025, 6, 30))
    assert summarise(plan, "2024-25-Q1")["actions"]["slipped"] == 1


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "on_track", "completed_on": "2024-09-01"}, "only a complete action has"),
        ({"status": "complete", "completed_on": "2024-03-01"}, "is before the action was created"),
        ({"status": "complete", "completed_on": "2099-01-01"}, "2099-01-01 is in the future"),
    ],
)
def test_a_completion_date_must_fit_the_action(plan: Store, fields: dict, expected: str) -> None:
    with pytest.raises(ValidationError, match=f"completed_on: .*{expected}"):
        add_action(plan, "A1", "2024-09-30", "2024-04-01", **fields)
    assert plan.table("actions").empty


def test_a_correction_of_title_owner_team_or_description_is_an_event(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01", team="Assessment")
    update(plan, "A1", "2024-06-01", owner="Head of Commissioning", title="Action A1, corrected")
    update(plan, "A1", "2024-07-01", team="Commissioning", description="Now with a description")
    assert state_on(plan, "A1", "2024-05-31")["owner"] == "Head of Assessment"
    assert state_on(plan, "A1", "2024-06-30")["owner"] == "Head of Commissioning"
    current = plan.get_action("A1")
    assert (current["title"], current["team"], current["version"]) == (
        "Action A1, corrected",
        "Commissioning",
        3,
    )
    assert plan.history("A1")[1]["changes"] == {
        "title": {"old": "Action A1", "new": "Action A1, corrected"},
        "owner": {"old": "Head of Assessment", "new": "Head of Commissioning"},
    }
    with pytest.raises(ValidationError, match="changes nothing"):
        update(plan, "A1", "2024-08-01", owner="Head of Commissioning")
