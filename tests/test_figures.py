"""SPEC section 5: every figure, with hand-worked expected values."""

from __future__ import annotations

from actionplan.store import Store
from actionplan.store.queries import summarise

from .conftest import add_action


def update(store: Store, action_id: str, as_of: str, **fields: object) -> None:
    store.record_update({"action_id": action_id, "by": "Officer", "as_of": as_of, **fields})


def test_due_on_the_as_of_day_is_not_overdue(plan: Store) -> None:
    add_action(plan, "A1", "2024-12-31", "2024-04-01", status="on_track")
    add_action(plan, "A2", "2024-12-30", "2024-04-01", status="on_track")
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["overdue"] == 1
    assert q3["by_rag"] == {
        "red": 1,
        "amber": 0,
        "green": 1,
        "not_started": 0,
        "complete": 0,
        "verified": 0,
    }


def test_overdue_is_red_whatever_the_status_says(plan: Store) -> None:
    add_action(plan, "A1", "2024-10-15", "2024-04-01", status="on_track")
    add_action(plan, "A2", "2025-03-31", "2024-04-01", status="off_track")
    add_action(plan, "A3", "2025-03-31", "2024-04-01", status="at_risk")
    add_action(plan, "A4", "2024-10-15", "2024-04-01", status="complete")
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["by_rag"] == {
        "red": 2,
        "amber": 1,
        "green": 0,
        "not_started": 0,
        "complete": 1,
        "verified": 0,
    }
    assert (q3["open"], q3["overdue"]) == (3, 1)


def test_slipped_due_date_completed_late_is_not_on_time(plan: Store) -> None:
    # Baseline 30 Sep; revised to 31 Dec with a reason; completed 15 Nov: inside
    # the revised date but after the baseline, so late.
    add_action(plan, "A1", "2024-09-30", "2024-04-01")
    update(plan, "A1", "2024-09-20", due="2024-12-31", reason="Staff shortage")
    update(plan, "A1", "2024-11-15", status="complete")
    # A second action completed on its baseline date: on time.
    add_action(plan, "A2", "2024-11-30", "2024-04-01")
    update(plan, "A2", "2024-11-30", status="complete")
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["slipped"] == 1
    assert q3["completed_in_quarter"] == 2
    assert q3["completed_on_time_in_quarter"] == 1
    assert q3["on_time_rate"] == 0.5


def test_mean_progress_counts_complete_as_100_and_rounds(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01", progress=10)
    add_action(plan, "A2", "2025-03-31", "2024-04-01", progress=25)
    add_action(plan, "A3", "2025-03-31", "2024-04-01", progress=60)
    update(plan, "A3", "2024-05-01", status="complete")
    # (10 + 25 + 100) / 3 = 45.0
    assert summarise(plan, "2024-25-Q1")["actions"]["mean_progress"] == 45.0
    update(plan, "A2", "2024-05-02", progress=26)
    # (10 + 26 + 100) / 3 = 45.333 -> 45.3
    assert summarise(plan, "2024-25-Q1")["actions"]["mean_progress"] == 45.3


def test_empty_quarter_has_null_rates(store: Store) -> None:
    actions = summarise(store, "2024-25-Q1")["actions"]
    assert actions["total"] == 0
    assert actions["mean_progress"] is None and actions["on_time_rate"] is None


def test_due_next_quarter_counts_open_actions_due_in_it(plan: Store) -> None:
    add_action(plan, "A1", "2025-01-01", "2024-04-01")  # first day of Q4
    add_action(plan, "A2", "2025-03-31", "2024-04-01")  # last day of Q4
    add_action(plan, "A3", "2025-04-01", "2024-04-01")  # next year
    add_action(plan, "A4", "2025-02-01", "2024-04-01", status="complete")
    assert summarise(plan, "2024-25-Q3")["actions"]["due_next_quarter"] == 2


def test_transitions_against_the_previous_quarter(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-04-01", status="on_track")
    add_action(plan, "A2", "2024-11-30", "2024-04-01", status="on_track")
    add_action(plan, "A3", "2025-03-31", "2024-04-01", status="on_track")
    add_action(plan, "A4", "2025-03-31", "2024-04-01")
    add_action(plan, "A5", "2025-03-31", "2024-10-10")  # new in Q3
    update(plan, "A1", "2024-11-01", status="at_risk")  # green -> amber
    # A2 passes its due date in Q3: green -> red
    # A3 stays green; A4 stays not started
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["transitions"] == {
        "green->amber": 1,
        "green->green": 1,
        "green->red": 1,
        "not_started->not_started": 1,
    }
    assert q3["new"] == 1


def test_complaint_figures_in_the_window(store: Store) -> None:
    rows = [
        # id, stage, received, outcome, decided, remedy_due, remedy_done
        ("C1", "stage1", "2024-10-01", "upheld", "2024-10-20", "", ""),
        ("C2", "stage1", "2024-12-31", "not_upheld", "2024-12-31", "", ""),
        ("C3", "stage1", "2024-09-30", "partly_upheld", "2024-10-05", "", ""),  # received Q2
        ("C4", "stage2", "2024-11-01", "withdrawn", "2024-11-10", "", ""),
        ("C5", "ombudsman", "2024-08-01", "upheld", "2024-09-01", "2024-10-31", "2024-10-30"),
        ("C6", "ombudsman", "2024-08-02", "upheld", "2024-09-01", "2024-11-30", "2025-01-10"),
        ("C7", "ombudsman", "2024-08-03", "upheld", "2024-09-01", "2024-12-15", ""),
        ("C8", "stage1", "2025-01-01", "pending", "", "", ""),  # after Q3
    ]
    for complaint_id, stage, received, outcome, decided, remedy_due, done in rows:
        store.add_complaint(
            {
                "id": complaint_id,
                "stage": stage,
                "received_on": received,
                "theme": "Charging" if complaint_id in ("C1", "C2") else "Care planning",
                "outcome": outcome,
                "decided_on": decided,
                "remedy_due": remedy_due,
                "remedy_done_on": done,
            }
        )
    store.add_compliment({"id": "K1", "received_on": "2024-10-03", "team": "Reablement"})
    store.add_compliment({"id": "K2", "received_on": "2024-09-30"})
    figures = summarise(store, "2024-25-Q3")["complaints"]
    assert figures["received"] == {"stage1": 2, "stage2": 1, "ombudsman": 0}
    assert figures["by_theme"] == {"Care planning": 1, "Charging": 2}
    # decided in Q3, not withdrawn/pending: C1 upheld, C2 not upheld, C3 partly upheld
    assert figures["decided"] == 3
    assert figures["upheld_rate"] == round(2 / 3, 4)
    assert figures["remedies_due"] == 3
    assert (figures["remedies_on_time"], figures["remedies_late"]) == (1, 1)
    # C6 done in January (after D) and C7 not done: both outstanding at D
    assert figures["remedies_outstanding"] == 2
    assert figures["compliments"] == 1


def test_latest_is_the_last_finished_quarter_with_data(plan: Store) -> None:
    from datetime import date

    from actionplan.store.queries import latest_quarter

    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    plan.record_update({"action_id": "A1", "by": "o", "as_of": "2024-11-02", "progress": 5})
    assert latest_quarter(plan, today=date(2024, 11, 20)).label == "2024-25-Q2"
    assert latest_quarter(plan, today=date(2025, 2, 1)).label == "2024-25-Q3"
    assert latest_quarter(plan, today=date(2026, 11, 25)).label == "2024-25-Q3"
