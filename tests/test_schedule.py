"""SPEC section 9, worked by hand: not updated in a quarter, the schedule RAG, behind schedule.

Every case is an action in quarter 2024-25-Q3 (S = 1 Oct 2024, D = 31 Dec
2024), on SQLite and PostgreSQL, read back through `summary --json` and `list`.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.store import Store
from actionplan.store.queries import action_list, summarise

TODAY = date(2025, 6, 30)
QUARTER = "2024-25-Q3"


def add(store: Store, action_id: str, created: str, due: str, **fields: object) -> None:
    store.add_action(
        {
            "id": action_id,
            "recommendation_id": "R1",
            "title": f"Action {action_id}",
            "owner": "Head of Assessment",
            "due": due,
            "created_on": created,
            **fields,
        },
        by="Improvement Officer",
        today=TODAY,
    )


def update(store: Store, action_id: str, as_of: str, **fields: object) -> None:
    store.record_update(
        {"action_id": action_id, "by": "Officer", "as_of": as_of, "note": "n", **fields},
        today=TODAY,
    )


@pytest.fixture
def schedule_plan(plan: Store) -> Store:
    """Actions at the boundaries of the schedule RAG at 31 Dec 2024.

    B-* start on 1 Dec 2024 and are due 11 Mar 2025: 30 of 100 days gone, so
    30% is expected at D.
    """
    for action_id, progress, status in [
        ("B-GREEN-90", 27, "on_track"),  # 27 / 30 = 0.9 exactly: green
        ("B-AMBER-70", 21, "on_track"),  # 21 / 30 = 0.7 exactly: amber; own green: behind
        ("B-RED", 20, "at_risk"),  # 20 / 30 < 0.7: red; own amber: behind
        ("B-NOT-STARTED", 0, "not_started"),  # red against "counts as green": behind
        ("B-OFF-TRACK", 30, "off_track"),  # green, own red: not behind
    ]:
        add(
            plan,
            action_id,
            "2024-11-15",
            "2025-03-11",
            start_on="2024-12-01",
            progress=progress,
            status=status,
        )
    # Starts after D: nothing expected yet, so green whatever its progress.
    add(plan, "B-FUTURE", "2024-11-15", "2025-06-30", start_on="2025-01-15", status="on_track")
    # Due on or before its start: 100% expected; 50% is red. Own green: behind.
    add(
        plan, "B-DUE-FIRST", "2024-11-15", "2025-02-01", start_on="2025-03-01",
        status="on_track", progress=50,
    )  # fmt: skip
    # Overdue at D: red by the dates and by its own RAG; not behind.
    add(plan, "B-OVERDUE", "2024-11-15", "2024-12-30", status="on_track", progress=95)
    # No start date: measured from creation (1 Dec 2024), as B-*: 30% expected, 30 done.
    add(plan, "B-NO-START", "2024-12-01", "2025-03-11", status="on_track", progress=30)
    return plan


def test_schedule_rag_at_its_boundaries(schedule_plan: Store) -> None:
    rows = {row["id"]: row for row in action_list(schedule_plan, quarter=QUARTER, today=TODAY)}
    assert {key: row["schedule_rag"] for key, row in rows.items()} == {
        "B-GREEN-90": "green",
        "B-AMBER-70": "amber",
        "B-RED": "red",
        "B-NOT-STARTED": "red",
        "B-OFF-TRACK": "green",
        "B-FUTURE": "green",
        "B-DUE-FIRST": "red",
        "B-OVERDUE": "red",
        "B-NO-START": "green",
    }
    figures = summarise(schedule_plan, QUARTER, today=TODAY)["actions"]
    # Behind: B-AMBER-70 (green -> amber), B-RED (amber -> red),
    # B-NOT-STARTED (counts green -> red), B-DUE-FIRST (green -> red).
    assert figures["behind_schedule"] == 4
    assert figures["by_schedule_rag"] == {"red": 4, "amber": 1, "green": 4}


def test_a_complete_action_has_no_schedule_rag_and_is_never_behind(schedule_plan: Store) -> None:
    update(schedule_plan, "B-RED", "2024-12-20", status="complete")
    rows = {row["id"]: row for row in action_list(schedule_plan, quarter=QUARTER, today=TODAY)}
    assert rows["B-RED"]["schedule_rag"] == ""
    figures = summarise(schedule_plan, QUARTER, today=TODAY)["actions"]
    assert figures["behind_schedule"] == 3
    assert sum(figures["by_schedule_rag"].values()) == 8


@pytest.fixture
def staleness_plan(plan: Store) -> Store:
    add(plan, "N-UPDATED", "2024-06-01", "2025-06-30", status="on_track")
    update(plan, "N-UPDATED", "2024-11-05", progress=40)
    add(plan, "N-STALE", "2024-06-01", "2025-06-30", status="on_track")
    update(plan, "N-STALE", "2024-09-20", progress=30)  # before S: it does not count
    add(plan, "N-NEW", "2024-10-10", "2025-06-30")  # created in the quarter: not counted
    add(plan, "N-DONE", "2024-06-01", "2025-06-30", status="on_track")
    update(plan, "N-DONE", "2024-09-01", status="complete")  # not open at D
    add(plan, "N-CANCELLED", "2024-06-01", "2025-06-30")
    update(plan, "N-CANCELLED", "2024-09-01", status="cancelled")  # not counted at all
    add(plan, "N-LATER", "2024-06-01", "2025-06-30")
    update(plan, "N-LATER", "2025-01-10", progress=10)  # after D: Q3 still not updated
    add(plan, "N-NOTE-ONLY", "2024-06-01", "2025-06-30")
    update(plan, "N-NOTE-ONLY", "2024-12-31")  # a note on the as-of day is an update
    return plan


def test_not_updated_in_quarter(staleness_plan: Store) -> None:
    figures = summarise(staleness_plan, QUARTER, today=TODAY)["actions"]
    assert figures["not_updated_in_quarter"] == 2  # N-STALE and N-LATER
    rows = action_list(staleness_plan, quarter=QUARTER, today=TODAY, stale=True)
    assert [row["id"] for row in rows] == ["N-LATER", "N-STALE"]
    assert all(row["not_updated"] for row in rows)


def test_a_late_update_about_the_quarter_counts(staleness_plan: Store) -> None:
    """Recorded in 2025 but describing November 2024: knowledge about the past."""
    update(staleness_plan, "N-STALE", "2024-11-30", progress=35)
    figures = summarise(staleness_plan, QUARTER, today=TODAY)["actions"]
    assert figures["not_updated_in_quarter"] == 1


def test_list_stale_and_schedule_column_on_the_command_line(staleness_plan: Store) -> None:
    result = CliRunner().invoke(
        cli, ["--db", staleness_plan.url, "list", "--quarter", QUARTER, "--stale", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["N-LATER", "N-STALE"]
    table = CliRunner().invoke(
        cli, ["--db", staleness_plan.url, "list", "--quarter", QUARTER, "--stale"],
        env={"COLUMNS": "160"},
    )  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "2 actions" in table.stdout and "schedule" in table.stdout
    assert "* not updated this quarter" in table.stdout
