"""Closing with assurance (SPEC section 8): completion, verification, rejection, due-date requests.

Every test runs on SQLite and PostgreSQL (`store`). The team: a manager, two
leads (Lou also answers for the Carers Lead's actions), and an officer, Ola,
who owns A1 and A2 (owner "Carers Lead"); A3 belongs to the Head of Finance.
The acting person is chosen through `ACTIONPLAN_USER`, as in test_roles.
"""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.errors import NotPermittedError, ValidationError
from actionplan.identity import default_user as me
from actionplan.store import Store
from actionplan.store.due_requests import due_requests
from actionplan.store.evidence import add_evidence, withdraw_evidence
from actionplan.store.people import add_person
from actionplan.store.queries import summarise

from .conftest import add_action, table_rows

TEAM = [
    {"login": "mona", "name": "Mona Manager", "role": "manager"},
    {"login": "leo", "name": "Leo Lead", "role": "lead"},
    {"login": "lou", "name": "Lou Lead", "role": "lead", "owns": "Carers Lead"},
    {"login": "ola", "name": "Ola Officer", "role": "officer", "owns": "Carers Lead"},
]


@pytest.fixture(autouse=True)
def _no_hub_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("ACTIONPLAN_USER", raising=False)


def act_as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setenv("ACTIONPLAN_USER", login)


@pytest.fixture
def team(plan: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Actions A1, A2 (Carers Lead, due 31 Mar 2025) and A3 (Head of Finance), and the team."""
    add_action(plan, "A1", "2025-03-31", "2024-04-01", owner="Carers Lead")
    add_action(plan, "A2", "2025-03-31", "2024-04-01", owner="Carers Lead")
    add_action(plan, "A3", "2025-03-31", "2024-04-01", owner="Head of Finance")
    act_as(monkeypatch, "mona")
    for person in TEAM:
        add_person(plan, person)
    return plan


def complete(store: Store, action_id: str, as_of: str, evidence: bool = True) -> None:
    if evidence:
        add_evidence(store, action_id, "Audit of waiting times", link="https://intranet/audit")
    store.record_update({"action_id": action_id, "by": me(), "status": "complete", "as_of": as_of})


def test_completion_without_evidence_is_refused_and_stores_nothing(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    before = table_rows(team)
    with pytest.raises(ValidationError, match="A1 needs evidence before it is complete") as refused:
        complete(team, "A1", "2024-12-10", evidence=False)
    assert "\n" not in str(refused.value)
    assert table_rows(team) == before
    item = add_evidence(team, "A1", "Wrong file", link="doc 12")
    withdraw_evidence(team, item["id"], "not this action's")
    with pytest.raises(ValidationError, match="needs evidence"):
        complete(team, "A1", "2024-12-10", evidence=False)
    complete(team, "A1", "2024-12-10")
    assert team.get_action("A1")["status"] == "complete"


def test_with_no_people_completion_needs_no_evidence_and_nothing_is_verified(
    plan: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "whoever")
    add_action(plan, "A1", "2025-03-31", "2024-04-01")
    complete(plan, "A1", "2024-12-10", evidence=False)
    with pytest.raises(NotPermittedError, match="may not verify action A1: .*people registered"):
        plan.verify("A1")
    q3 = summarise(plan, "2024-25-Q3")["actions"]
    assert q3["by_rag"]["complete"] == 1 and q3["by_rag"]["verified"] == 0


@pytest.mark.parametrize(
    "login,why",
    [
        ("leo", r"^Leo Lead \(lead\) may not verify action A1: they recorded its completion"),
        ("lou", r"^Lou Lead \(lead\) may not verify action A1: they own it \(Carers Lead\)"),
        ("ola", r"^Ola Officer \(officer\) may not verify action A1: ask a lead or a manager"),
    ],
)
def test_verification_is_refused_for_the_completer_an_owner_and_an_officer(
    team: Store, monkeypatch: pytest.MonkeyPatch, login: str, why: str
) -> None:
    act_as(monkeypatch, "leo")
    complete(team, "A1", "2024-12-10")
    act_as(monkeypatch, login)
    before = table_rows(team)
    with pytest.raises(NotPermittedError, match=why) as refused:
        team.verify("A1")
    assert "\n" not in str(refused.value)
    assert table_rows(team) == before


def test_a_lead_who_neither_completed_nor_owns_it_verifies(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-12-10")
    act_as(monkeypatch, "leo")
    event = team.verify("A1", note="Checked the audit", as_of="2024-12-20")
    assert (event["kind"], event["by"], event["note"]) == (
        "verify",
        "Leo Lead",
        "Checked the audit",
    )
    assert team.history("A1")[-1]["changes"] == {
        "verification": {"old": "awaiting", "new": "verified"}
    }
    with pytest.raises(ValidationError, match="A1 is verified on"):
        team.verify("A1")
    q3 = summarise(team, "2024-25-Q3")["actions"]
    assert q3["by_rag"]["verified"] == 1 and q3["by_rag"]["complete"] == 0
    assert q3["verified"] == 1 and q3["verified_in_quarter"] == 1


def test_rejection_reopens_with_the_new_due_date(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-12-10")
    act_as(monkeypatch, "mona")
    with pytest.raises(ValidationError, match="due: is required to reject"):
        team.reject("A1", reason="No evidence of impact", due=None)
    team.reject("A1", reason="No evidence of impact", due="2025-06-30", as_of="2024-12-20")
    action = team.get_action("A1")
    assert (action["status"], action["due"], action["completed_on"]) == (
        "on_track", date(2025, 6, 30), None,
    )  # fmt: skip
    last = team.history("A1")[-1]
    assert (last["kind"], last["reason"]) == ("reject", "No evidence of impact")
    with pytest.raises(ValidationError, match="A1 is not complete"):
        team.verify("A1")
    q3 = summarise(team, "2024-25-Q3")["actions"]
    assert q3["rejected_in_quarter"] == 1 and q3["by_rag"]["green"] == 1
    assert q3["slipped"] == 1 and q3["awaiting_verification"] == 0


def test_a_rejection_may_give_the_status_it_reopens_with(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-12-10")
    act_as(monkeypatch, "leo")
    team.reject("A1", reason="Half done", due="2025-06-30", status="at_risk")
    assert team.get_action("A1")["status"] == "at_risk"


def test_verified_at_d_ignores_a_verification_dated_after_d(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-12-10")
    act_as(monkeypatch, "leo")
    team.verify("A1", as_of="2025-01-15")
    q3 = summarise(team, "2024-25-Q3")["actions"]
    assert (q3["by_rag"]["complete"], q3["by_rag"]["verified"]) == (1, 0)
    assert (q3["awaiting_verification"], q3["verified"], q3["verified_in_quarter"]) == (1, 0, 0)
    q4 = summarise(team, "2024-25-Q4")["actions"]
    assert (q4["by_rag"]["complete"], q4["by_rag"]["verified"]) == (0, 1)
    assert (q4["awaiting_verification"], q4["verified"], q4["verified_in_quarter"]) == (0, 1, 1)
    assert q4["transitions"]["complete->verified"] == 1


def test_a_completion_after_a_rejection_waits_for_a_new_verification(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-10-10")
    act_as(monkeypatch, "leo")
    team.reject("A1", reason="Not yet", due="2025-03-31", as_of="2024-10-20")
    act_as(monkeypatch, "ola")
    team.record_update({"action_id": "A1", "by": me(), "status": "complete", "as_of": "2024-11-10"})
    q3 = summarise(team, "2024-25-Q3")["actions"]
    assert (q3["by_rag"]["complete"], q3["by_rag"]["verified"]) == (1, 0)
    act_as(monkeypatch, "mona")
    team.verify("A1", as_of="2024-11-20")
    q3 = summarise(team, "2024-25-Q3")["actions"]
    assert (q3["by_rag"]["complete"], q3["by_rag"]["verified"]) == (0, 1)


def test_an_officers_new_due_date_is_a_request_until_a_lead_approves_it(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    event = team.record_update({"action_id": "A1", "by": me(), "due": "2025-06-30",
                                "reason": "Waiting for the new system", "as_of": "2024-11-01"})  # fmt: skip
    assert event["kind"] == "request"
    assert team.get_action("A1")["due"] == date(2025, 3, 31)
    [pending] = due_requests(team)
    assert pending["state"] == "pending" and pending["due"] == "2025-06-30"
    assert pending["requested_by"] == "Ola Officer" and pending["id"] == event["request_id"]
    with pytest.raises(ValidationError, match="reason: is required when asking for a new due"):
        team.record_update({"action_id": "A2", "by": me(), "due": "2025-07-31", "progress": 5})
    assert team.get_action("A2")["progress"] == 0  # nothing of the refused save is kept
    with pytest.raises(ValidationError, match="already has a due-date request waiting"):
        team.record_update({"action_id": "A1", "by": me(), "due": "2025-07-31", "reason": "r"})
    with pytest.raises(NotPermittedError, match=r"^Ola Officer \(officer\) may not approve"):
        team.approve_request(pending["id"])
    act_as(monkeypatch, "leo")
    approval = team.approve_request(pending["id"], today=date(2024, 11, 5))
    assert approval["kind"] == "approve" and approval["changes"]["due"]["new"] == "2025-06-30"
    assert approval["changes"]["request"] == {"old": None, "new": pending["id"]}
    assert team.get_action("A1")["due"] == date(2025, 6, 30)
    [answered] = due_requests(team)
    assert (answered["state"], answered["answered_by"]) == ("approved", "Leo Lead")
    with pytest.raises(ValidationError, match=f"request {pending['id']} was approved by Leo Lead"):
        team.refuse_request(pending["id"], reason="Too late")


def test_a_refused_request_leaves_the_due_date_and_keeps_its_reason(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "ola")
    event = team.record_update(
        {"action_id": "A1", "by": me(), "due": "2025-06-30", "reason": "Busy", "progress": 40}
    )
    assert team.get_action("A1")["progress"] == 40  # the rest of the update is saved
    act_as(monkeypatch, "mona")
    with pytest.raises(ValidationError, match="reason: is required to refuse"):
        team.refuse_request(event["request_id"], reason=" ")
    team.refuse_request(event["request_id"], reason="The board needs it by March")
    assert team.get_action("A1")["due"] == date(2025, 3, 31)
    [refused] = due_requests(team)
    assert refused["state"] == "refused"
    assert refused["answer_reason"] == "The board needs it by March"
    assert refused["reason"] == "Busy"  # the request keeps the officer's reason


def test_a_leads_new_due_date_changes_it_at_once(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    act_as(monkeypatch, "leo")
    team.record_update({"action_id": "A1", "by": me(), "due": "2025-06-30", "reason": "Agreed"})
    assert team.get_action("A1")["due"] == date(2025, 6, 30) and due_requests(team) == []


def test_assurance_figures_of_a_quarter_worked_by_hand(
    team: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Q3 2024-25 (1 Oct to 31 Dec 2024), as worked out by hand:

    A1 completed 10 Oct by Ola, verified 20 Oct by Leo        -> verified (in the quarter)
    A2 completed 1 Nov by Ola, rejected 5 Nov (due 30 Jun 25) -> green, rejected in quarter
    A3 completed 1 Dec by Leo (no verification yet)           -> complete, awaiting
    A2: Ola asks for 31 Aug 2025 on 10 Nov; Mona refuses 12 Nov; asks 30 Sep on 20 Nov
        (pending at 31 Dec); A1's request of 30 Sep (before Q3) approved 1 Oct (in Q3).
    A verification of A3 dated 5 Jan 2025 is after D: not counted in Q3.
    """
    act_as(monkeypatch, "ola")
    old = team.record_update({"action_id": "A1", "by": me(), "due": "2025-02-28",
                              "reason": "Staff leave", "as_of": "2024-09-30"})  # fmt: skip
    act_as(monkeypatch, "leo")
    team.approve_request(old["request_id"], today=date(2024, 10, 1))
    act_as(monkeypatch, "ola")
    complete(team, "A1", "2024-10-10")
    complete(team, "A2", "2024-11-01")
    act_as(monkeypatch, "leo")
    team.verify("A1", as_of="2024-10-20")
    team.reject("A2", reason="Not embedded", due="2025-06-30", as_of="2024-11-05")
    act_as(monkeypatch, "ola")
    first = team.record_update({"action_id": "A2", "by": me(), "due": "2025-08-31",
                                "reason": "Recruiting", "as_of": "2024-11-10"})  # fmt: skip
    act_as(monkeypatch, "mona")
    team.refuse_request(first["request_id"], reason="No", today=date(2024, 11, 12))
    act_as(monkeypatch, "ola")
    team.record_update({"action_id": "A2", "by": me(), "due": "2025-09-30",
                        "reason": "Recruiting again", "as_of": "2024-11-20"})  # fmt: skip
    act_as(monkeypatch, "leo")
    complete(team, "A3", "2024-12-01")
    act_as(monkeypatch, "mona")
    team.verify("A3", as_of="2025-01-05")
    actions = summarise(team, "2024-25-Q3")["actions"]
    assert actions["by_rag"] == {
        "red": 0, "amber": 0, "green": 1, "not_started": 0, "complete": 1, "verified": 1,
    }  # fmt: skip
    assert {name: actions[name] for name in list(actions)[-8:]} == {
        "verified": 1,
        "awaiting_verification": 1,
        "verified_in_quarter": 1,
        "rejected_in_quarter": 1,
        "due_requests_in_quarter": 2,
        "due_requests_approved": 1,
        "due_requests_refused": 1,
        "due_requests_pending": 1,
    }
    q2 = summarise(team, "2024-25-Q2")["actions"]
    assert (q2["due_requests_in_quarter"], q2["due_requests_pending"]) == (1, 1)
    q4 = summarise(team, "2024-25-Q4")["actions"]
    assert (q4["verified"], q4["verified_in_quarter"], q4["due_requests_pending"]) == (2, 1, 1)


def test_an_imported_completion_needs_evidence_too(
    team: Store, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from actionplan.spreadsheets import import_file

    act_as(monkeypatch, "ola")
    updates = tmp_path / "updates.csv"
    updates.write_text("action_id,by,as_of,status\nA1,ola,2024-12-10,complete\n")
    before = table_rows(team)
    with pytest.raises(ValidationError, match="row 2, column status: action A1 needs evidence"):
        import_file(team, updates, kind="updates")
    assert table_rows(team) == before
    add_evidence(team, "A1", "Audit", link="doc 1")
    assert import_file(team, updates, kind="updates")["updates"] == 1
    assert team.get_action("A1")["status"] == "complete"


@pytest.mark.parametrize(
    "steps,verified",
    [
        ([("create", "not_started"), ("update", "complete"), ("verify", None)], True),
        ([("create", "not_started"), ("update", "complete")], False),
        ([("update", "complete"), ("verify", None), ("reject", "on_track")], False),
        ([("update", "complete"), ("verify", None), ("update", None)], True),  # a note
        ([("update", "complete"), ("reject", "on_track"), ("update", "complete")], False),
        (
            [
                ("update", "complete"),
                ("reject", "at_risk"),
                ("update", "complete"),
                ("verify", None),
            ],
            True,
        ),  # fmt: skip
        ([("update", "on_track"), ("verify", None)], False),
    ],
)
def test_the_plans_replay_and_one_actions_replay_agree_on_verified(
    steps: list[tuple[str, str | None]], verified: bool
) -> None:
    """`verified_ids` (whole columns, for figures) and `is_verified` (one action, for saves)."""
    import pandas as pd

    from actionplan.assurance import is_verified, verified_ids

    events = pd.DataFrame(
        {
            "action_id": "A1",
            "as_of": pd.to_datetime([f"2024-10-{day + 1:02d}" for day in range(len(steps))]),
            "recorded_at": pd.Timestamp("2024-12-31"),
            "seq": range(len(steps)),
            "kind": [kind for kind, _ in steps],
            "status": [status for _, status in steps],
        }
    )
    assert is_verified(steps) is verified
    assert (verified_ids(events, "2024-12-31") == {"A1"}) is verified
