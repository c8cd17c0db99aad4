"""The workbook for a team (SPEC section 7): the signed-in person, read-only, and what each role sees.

The demo plan with its fictional team registered; the person is chosen as the
team service chooses it (`JUPYTERHUB_USER`). Widgets are driven by setting
`.value` and `.click()`, and the database is read to prove what was stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from actionplan.demo.load import DEMO_PEOPLE
from actionplan.spreadsheets import import_file
from actionplan.store import Store
from actionplan.workbook import Workbook

from .conftest import table_rows

TODAY = date.today()


@pytest.fixture
def team_db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACTIONPLAN_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = Store(demo_db)
    import_file(store, DEMO_PEOPLE)
    store.close()
    return demo_db


def open_as(monkeypatch: pytest.MonkeyPatch, db: Path, login: str) -> Workbook:
    monkeypatch.setenv("JUPYTERHUB_USER", login)
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/")
    return Workbook(str(db), user="Typed Name", today=TODAY)


def test_the_signed_in_officer_is_shown_read_only_with_a_sign_out_link(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = open_as(monkeypatch, team_db, "sam.patel")
    assert "Signed in as <b>Sam Patel</b> (Officer)" in workbook.person.line.value
    assert 'href="/hub/logout"' in workbook.person.line.value
    assert workbook.who.value == "Sam Patel" and workbook.who.disabled


def test_an_officer_starts_on_their_own_actions_and_saves_under_their_name(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = open_as(monkeypatch, team_db, "sam.patel")
    owners = set(workbook.found["owner"])
    assert owners and owners <= {"Carers Lead", "Prevention and Wellbeing Lead"}
    assert workbook.find.mine.value is True
    workbook.find.mine.value = False
    assert len(workbook.found) > len(workbook.find.buttons) or len(workbook.found) > 5
    workbook.find.mine.value = True
    own = workbook.found[workbook.found["status"] != "complete"]["id"].iloc[0]
    workbook.select(own)
    workbook.update.note.value = "Met the carers' forum"
    workbook.who.value = "Priya Shah"  # a forged name from the page changes nothing
    assert workbook.update.save() is False
    assert "may not record as &#x27;Priya Shah&#x27;" in workbook.update.message.value
    workbook.who.value = "Sam Patel"
    assert workbook.update.save() is True
    store = Store(team_db)
    assert store.history(own)[-1]["by"] == "Sam Patel"
    store.close()


def test_an_officer_is_refused_on_a_colleagues_action_and_nothing_is_stored(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = open_as(monkeypatch, team_db, "sam.patel")
    theirs = workbook.frame[workbook.frame["owner"] == "Financial Assessments Manager"]["id"].iloc[
        0
    ]
    store = Store(team_db)
    before = table_rows(store)
    workbook.select(theirs)
    workbook.update.progress.value = min(100, workbook.update.progress.value + 5)
    assert workbook.update.save() is False
    assert "Sam Patel (officer) may not update action" in workbook.update.message.value
    assert table_rows(store) == before
    store.close()


def test_a_viewer_sees_no_save_no_forms_and_no_commentary_save(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = open_as(monkeypatch, team_db, "lee.morgan")
    assert "(Viewer)" in workbook.person.line.value
    assert workbook.find.mine.layout.display == "none"
    workbook.select(workbook.found["id"].iloc[0])
    assert workbook.update.controls.layout.display == "none"
    assert "Leads and managers record" in workbook.forms_page().value
    assert workbook.commentary.save_button.layout.display == "none"


def test_a_lead_gets_the_forms_and_a_manager_the_commentary(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = open_as(monkeypatch, team_db, "priya.shah")
    assert lead.forms_page() is lead.forms.widget
    assert lead.commentary.save_button.layout.display == "none"
    manager = open_as(monkeypatch, team_db, "dana.reid")
    assert manager.commentary.save_button.layout.display != "none"


def test_someone_not_registered_can_read_but_not_save(
    team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = open_as(monkeypatch, team_db, "stranger")
    assert "is not registered in this plan" in workbook.person.line.value
    workbook.select(workbook.found["id"].iloc[0])
    assert workbook.update.controls.layout.display == "none"
