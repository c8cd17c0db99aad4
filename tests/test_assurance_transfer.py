"""Evidence and assurance events round-trip through a workbook (SPEC section 8), both backends.

A plan whose team kept evidence (one item with a file, one withdrawn),
verified one completion, rejected another and answered due-date requests is
exported to .xlsx and imported into an empty plan: the History sheet brings
every verification, rejection, request and answer back in its place, so
every quarter's figures are the same; the Evidence sheet brings each item's
description, link, file name and SHA-256, while the files stay in the plan
they were kept in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from actionplan.errors import NotFoundError
from actionplan.identity import default_user as me
from actionplan.spreadsheets import export_file, import_file
from actionplan.store import Store
from actionplan.store.due_requests import due_requests
from actionplan.store.evidence import add_evidence, evidence_file, list_evidence, withdraw_evidence
from actionplan.store.people import add_person
from actionplan.store.queries import summarise

from .conftest import add_action

TODAY = date(2026, 11, 30)
QUARTERS = ("2024-25-Q2", "2024-25-Q3", "2024-25-Q4")


@pytest.fixture
def assured(plan: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)

    def act_as(login: str) -> None:
        monkeypatch.setenv("ACTIONPLAN_USER", login)

    for action_id in ("A1", "A2"):
        add_action(plan, action_id, "2025-03-31", "2024-04-01", owner="Carers Lead")
    act_as("mona")
    for person in (
        {"login": "mona", "name": "Mona Manager", "role": "manager"},
        {"login": "leo", "name": "Leo Lead", "role": "lead"},
        {"login": "ola", "name": "Ola Officer", "role": "officer", "owns": "Carers Lead"},
    ):
        add_person(plan, person)
    act_as("ola")
    add_evidence(plan, "A1", "Audit", content=b"audit,ok\n", filename="audit.csv",
                 today=date(2024, 10, 9))  # fmt: skip
    wrong = add_evidence(plan, "A2", "Wrong minutes", link="doc 3", today=date(2024, 10, 9))
    withdraw_evidence(plan, wrong["id"], "another meeting's")
    add_evidence(plan, "A2", "Forum minutes", link="doc 4", today=date(2024, 10, 9))
    for action_id in ("A1", "A2"):
        plan.record_update({"action_id": action_id, "by": me(), "status": "complete",
                            "as_of": "2024-10-10"})  # fmt: skip
    asked = plan.record_update({"action_id": "A2", "by": me(), "due": "2025-05-31",
                                "reason": "Staff leave", "as_of": "2024-09-01"})  # fmt: skip
    act_as("leo")
    plan.verify("A1", note="Seen", as_of="2024-10-20")
    plan.reject("A2", reason="Not embedded", due="2025-06-30", as_of="2024-10-21")
    plan.refuse_request(asked["request_id"], reason="No", today=date(2024, 9, 5))
    act_as("ola")
    again = plan.record_update({"action_id": "A2", "by": me(), "due": "2025-09-30",
                                "reason": "Recruiting", "as_of": "2024-11-01"})  # fmt: skip
    act_as("leo")
    plan.approve_request(again["request_id"], today=date(2025, 1, 10))
    act_as("ola")
    plan.record_update(
        {"action_id": "A1", "by": me(), "due": "2025-12-31", "reason": "n/a", "as_of": "2024-12-01"}
    )  # fmt: skip  (pending)
    act_as("mona")
    return plan


def _requests(store: Store) -> list[dict]:
    """Due-date requests without their ids (an import numbers events afresh)."""
    found = [{k: v for k, v in r.items() if k != "id"} for r in due_requests(store)]
    return sorted(found, key=lambda r: (r["action_id"], r["requested_on"]))


def _kept(item: dict) -> dict:
    """An item as listed, its withdrawal time to the minute (Excel keeps milliseconds)."""
    return {**item, "withdrawn_at": (item["withdrawn_at"] or "")[:16]}


@pytest.fixture
def second_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same backend, to import into."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'copy.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    yield cluster.url(name)
    cluster.drop_database(name)


def test_evidence_and_assurance_events_round_trip_through_a_workbook(
    assured: Store, second_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = export_file(assured, tmp_path / "plan.xlsx", today=TODAY)
    sheet = load_workbook(path)["Evidence"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["id", "action_id", "description", "link", "filename", "size", "sha256"]
    first = [cell.value for cell in sheet[2]]
    assert first[4] == "audit.csv" and len(first[6]) == 64  # named by id and hash

    monkeypatch.setenv("ACTIONPLAN_USER", "whoever")
    copy = Store(second_db)
    copy.initialise()
    counts = import_file(copy, path, today=TODAY)
    assert counts["evidence"] == 3
    for quarter in QUARTERS:
        assert summarise(copy, quarter, today=TODAY) == summarise(assured, quarter, today=TODAY)
    assert [_kept(item) for item in list_evidence(copy)] == [
        _kept(item) for item in list_evidence(assured)
    ]
    assert _requests(copy) == _requests(assured)
    assert [(e["kind"], e["by"], e["as_of"], e["reason"]) for e in copy.history("A2")] == [
        (e["kind"], e["by"], e["as_of"], e["reason"]) for e in assured.history("A2")
    ]
    with pytest.raises(NotFoundError, match="audit.csv .* is not in this plan"):
        evidence_file(copy, 1)
    assert evidence_file(assured, 1) == ("audit.csv", b"audit,ok\n")
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")  # the team came with the People sheet
    added = add_evidence(copy, "A1", "Another", link="doc 9")
    assert added["id"] == 4
    copy.close()
