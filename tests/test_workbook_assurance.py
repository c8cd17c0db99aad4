"""The workbook's assurance (SPEC section 8): evidence in the update panel, the leads' "To verify" tab.

The demo plan with its team and their assurance story (`load_demo(people=True)`);
the person is chosen as the team service chooses it (`JUPYTERHUB_USER`).
Widgets are driven by setting `.value` and `.click()`; the database is read to
prove what was stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from actionplan.demo import load_demo
from actionplan.store import Store
from actionplan.store.due_requests import due_requests
from actionplan.store.evidence import evidence_file, list_evidence
from actionplan.workbook import Workbook

TODAY = date.today()


@pytest.fixture
def team_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACTIONPLAN_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = tmp_path / "team.db"
    store = Store(path)
    load_demo(store, people=True, today=TODAY)
    store.close()
    return path


def open_as(monkeypatch: pytest.MonkeyPatch, db: Path, login: str) -> Workbook:
    monkeypatch.setenv("JUPYTERHUB_USER", login)
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/")
    return Workbook(str(db), today=TODAY)


def an_open_action_of_sam(workbook: Workbook) -> str:
    mine = workbook.found[workbook.found["status"] != "complete"]
    return str(mine["id"].iloc[-1])


def test_an_officer_attaches_evidence_then_completes_and_a_lead_verifies(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = open_as(monkeypatch, team_db, "sam.patel")
    action_id = an_open_action_of_sam(officer)
    officer.select(action_id)
    officer.update.status.value = "complete"
    assert officer.update.save() is False
    assert "needs evidence before it is complete" in officer.update.errors["status"].value
    box = officer.evidence
    box.description.value = "Signed-off carers' plan"
    box.upload.value = (
        {"name": "plan.txt", "content": b"signed off", "type": "text/plain", "size": 10,
         "last_modified": datetime(2026, 1, 1, tzinfo=UTC)},
    )  # fmt: skip
    box.add_button.click()
    assert "Added evidence" in box.message.value
    assert "Signed-off carers&#x27; plan" in box.listing.value and "plan.txt" in box.listing.value
    officer.update.status.value = "complete"
    assert officer.update.save() is True
    assert officer.assurance.widget.children[0].value.startswith('<p class="ap-muted">Leads')
    assert not hasattr(officer.assurance, "verify_button")

    lead = open_as(monkeypatch, team_db, "priya.shah")
    panel = lead.assurance
    assert action_id in dict((v, k) for k, v in panel.to_verify.options)
    assert action_id in panel.verify_table.value
    panel.to_verify.value = action_id
    panel.note.value = "Read the plan"
    panel.verify_button.click()
    assert f"Verified {action_id}" in panel.message.value
    assert action_id not in [value for _label, value in panel.to_verify.options]
    store = Store(team_db)
    assert store.history(action_id)[-1]["kind"] == "verify"
    [item] = [i for i in list_evidence(store, action_id) if i["filename"] == "plan.txt"]
    assert evidence_file(store, item["id"]) == ("plan.txt", b"signed off")
    store.close()
    lead.refresh()
    assert lead.frame.set_index("id").loc[action_id, "rag"] == "verified"


def test_a_lead_rejects_a_completion_and_decides_due_date_requests(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = open_as(monkeypatch, team_db, "priya.shah")
    panel = lead.assurance
    [(label, request_id)] = panel.requests.options
    assert "ACT-053" in label and "Sam Patel" in panel.requests_table.value
    panel.refuse_button.click()
    assert "reason: is required to refuse a request" in panel.message.value
    panel.refuse_reason.value = "The board wants it by January"
    panel.refuse_button.click()
    assert f"Refused request {request_id}" in panel.message.value
    assert panel.requests.options == ()
    chosen = panel.to_verify.options[0][1]
    panel.to_verify.value = chosen
    panel.reject_button.click()
    assert "is required to reject" in panel.message.value
    panel.reason.value = "No evidence of impact"
    panel.new_due.text.value = "31/03/2099"
    panel.reject_button.click()
    assert f"Rejected the completion of {chosen}" in panel.message.value
    store = Store(team_db)
    action = store.get_action(chosen)
    assert (action["status"], action["due"]) == ("on_track", date(2099, 3, 31))
    assert [r["state"] for r in due_requests(store)][-1] == "refused"
    store.close()


def test_a_lead_does_not_see_completions_they_recorded_or_own(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = open_as(monkeypatch, team_db, "dana.reid")  # owns "Assistant Director, ..."
    store = Store(team_db)
    owned = [a["id"] for a in store.awaiting_verification()
             if a["owner"] == "Assistant Director, Adult Social Care"]  # fmt: skip
    store.close()
    offered = [value for _label, value in manager.assurance.to_verify.options]
    assert offered and not set(owned) & set(offered)


def test_an_officers_new_due_date_in_the_workbook_is_a_request(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = open_as(monkeypatch, team_db, "sam.patel")
    officer.select("ACT-044")
    before = officer.update.loaded["due"]
    officer.update.due.value = date(2099, 6, 30)
    officer.update.reason.value = "The consultation was extended"
    assert officer.update.save() is True
    assert "Asked for a new due date: 30 Jun 2099" in officer.update.message.value
    store = Store(team_db)
    assert store.get_action("ACT-044")["due"] == before
    assert due_requests(store, "pending")[-1]["due"] == "2099-06-30"
    store.close()
