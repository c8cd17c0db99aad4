"""A small fictional plan with history across several quarters, written through the Store.

The migration, backup and reliability tests need a database that holds real
data of every kind (events over several quarters, slipped and completed
actions, complaints with their actions, compliments) without depending on the
demo generator. Everything is deterministic and fictional.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from actionplan import history
from actionplan.rules import STATE_FIELDS
from actionplan.store import Store

#: The fixed "today" the plan is written with, so dates never fall in the future.
TODAY = date(2025, 6, 30)


def fill_plan(store: Store, actions: int = 12, first_schema: bool = False) -> None:
    """Write sources, recommendations, actions with updates, complaints and compliments.

    `first_schema`: the database has the first release's tables, whose complaints
    lack schema 5's columns; they are written with those columns only.
    """
    store.add_source(
        {
            "id": "S1",
            "kind": "peer_review",
            "title": "Corporate Peer Challenge",
            "reference": "PC-1",
        }
    )
    store.add_source({"id": "S2", "kind": "cqc_assessment", "title": "Adult social care"})
    for number, source in ((1, "S1"), (2, "S1"), (3, "S2")):
        store.add_recommendation(
            {
                "id": f"R{number}",
                "source_id": source,
                "text": f"Recommendation {number}",
                "theme": "Waiting times" if number % 2 else "Governance",
                "priority": ("high", "medium", "low")[number % 3],
            }
        )
    start = date(2023, 10, 2)
    for number in range(1, actions + 1):
        created = start + timedelta(days=11 * number)
        action_id = f"A{number:02d}"
        store.add_action(
            {
                "id": action_id,
                "recommendation_id": f"R{1 + number % 3}",
                "title": f"Action {number}",
                "owner": ("Head of Assessment", "Service Manager", "Director")[number % 3],
                "team": ("Assessment", "Safeguarding")[number % 2],
                "due": (created + timedelta(days=120 + 30 * (number % 4))).isoformat(),
                "created_on": created.isoformat(),
                "status": "not_started",
            },
            by="Improvement Officer",
            today=TODAY,
        )
        day = created
        for step in range(1, 1 + number % 5):
            day = day + timedelta(days=40)
            values: dict[str, object] = {
                "action_id": action_id,
                "by": "Service Manager",
                "as_of": day.isoformat(),
                "progress": min(90, 20 * step),
                "status": ("on_track", "at_risk", "off_track")[(number + step) % 3],
                "note": f"step {step}",
            }
            if step == 2 and number % 3 == 0:
                values["due"] = (day + timedelta(days=90)).isoformat()
                values["reason"] = "Staff vacancies"
            store.record_update(values, today=TODAY)
        if number % 4 == 0:
            store.record_update(
                {
                    "action_id": action_id,
                    "by": "Service Manager",
                    "as_of": (day + timedelta(days=30)).isoformat(),
                    "status": "complete",
                },
                today=TODAY,
            )
    for number in range(1, 7):
        received = date(2023, 11, 1) + timedelta(days=45 * number)
        decided = received + timedelta(days=20) if number % 3 else None
        record = {
            "id": f"C{number}",
            "stage": "stage1",
            "received_on": received.isoformat(),
            "theme": "Delays",
            "outcome": ("upheld", "not_upheld", "partly_upheld")[number % 3] if decided else None,
            "decided_on": decided.isoformat() if decided else None,
            "remedy_due": (received + timedelta(days=60)).isoformat() if decided else None,
            "action_ids": f"A{min(number, actions):02d}",
        }
        if first_schema:
            _first_schema_complaint(store, record)
        else:
            store.add_complaint(record)
    for number in range(1, 5):
        store.add_compliment(
            {
                "id": f"K{number}",
                "received_on": (date(2023, 12, 1) + timedelta(days=70 * number)).isoformat(),
                "team": "Assessment",
                "summary": "Thank you",
            }
        )


def _first_schema_complaint(store: Store, record: dict) -> None:
    """A complaint written as the first release stored it (SPEC section 2's columns)."""
    from sqlalchemy import column, insert, table

    values = {name: value for name, value in record.items() if name != "action_ids"}
    values["outcome"] = values["outcome"] or "pending"
    for name in ("received_on", "decided_on", "remedy_due"):
        if values[name]:
            values[name] = date.fromisoformat(values[name])
    complaints = table("complaints", *(column(name) for name in values))
    links = table("complaint_actions", column("complaint_id"), column("action_id"))
    with store.write() as conn:
        conn.execute(insert(complaints).values(**values))
        conn.execute(
            insert(links).values(complaint_id=record["id"], action_id=record["action_ids"])
        )


def replay_mismatches(store: Store, today: date | None = None) -> list[str]:
    """Actions whose stored current row differs from the replay of their events.

    Compares every state column (title to evidence), so a lost or doubled
    event, or a current row written from a different history, shows up.
    """
    stored = store.current_actions().set_index("id").sort_index()
    replayed = history.state_at(store.events(), today or date.today()).set_index("id").sort_index()
    problems: list[str] = []
    if list(stored.index) != list(replayed.index):
        problems.append(f"ids differ: {sorted(set(stored.index) ^ set(replayed.index))}")
        return problems
    for column in STATE_FIELDS:
        left = stored[column].astype(object).where(stored[column].notna(), None)
        right = replayed[column].astype(object).where(replayed[column].notna(), None)
        for action_id in stored.index:
            a, b = _plain(left[action_id]), _plain(right[action_id])
            if a != b:
                problems.append(f"{action_id}.{column}: stored {a!r}, replay {b!r}")
    return problems


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
