"""What an officer types into the workbook, and what it says back.

Dates are typed as text (UK or ISO) and read back in words; every refusal is
said at the field and in the status line and never outlives the next attempt;
"Your name" never starts as a system account; long lists are searched, not
scrolled. Each test drives the widgets (set `.value`, `.click()`) and then
reads the database to prove what was, or was not, stored.
"""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.store import Store
from actionplan.workbook import Workbook
from actionplan.workbook.app import Workbook as WorkbookClass
from actionplan.workbook.person import starting_name
from actionplan.workbook.tabs import Page

from .conftest import add_action, table_rows

TODAY = date(2025, 1, 15)


@pytest.fixture
def workbook(plan: Store) -> Workbook:
    """Two actions on the plan, opened as 'Test Officer' on a fixed day."""
    add_action(plan, "A1", "2025-03-31", "2024-06-01", status="on_track", progress=40)
    add_action(plan, "A2", "2025-06-30", "2024-06-01")
    return Workbook(plan, "Test Officer", today=TODAY)


def _open(workbook: Workbook, action_id: str) -> None:
    workbook.find.buttons[action_id].click()


def test_due_date_typed_the_uk_way_is_read_back_in_words_and_stored_as_iso(
    workbook: Workbook,
) -> None:
    update = workbook.update
    _open(workbook, "A1")
    assert update.due.text.value == "31/03/2025"
    assert "31 Mar 2025" in update.due.words.value
    update.due.text.value = "31/03/2027"
    assert "31 Mar 2027" in update.due.words.value
    assert update.reason_row.layout.display == ""
    update.reason.value = "New case system arrives in 2027"
    update.save_button.click()

    assert "Saved A1" in update.message.value
    assert "due date 31 Mar 2025 → 31 Mar 2027" in update.message.value
    event = workbook.store.history("A1")[-1]
    assert event["changes"] == {"due": {"old": "2025-03-31", "new": "2027-03-31"}}
    assert workbook.store.get_action("A1")["due"] == date(2027, 3, 31)


def test_iso_dates_are_read_too(workbook: Workbook) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.due.text.value = "2027-03-31"
    assert "31 Mar 2027" in update.due.words.value
    update.reason.value = "Moved"
    update.save_button.click()
    assert workbook.store.get_action("A1")["due"] == date(2027, 3, 31)


def test_a_mistyped_year_is_refused_at_the_field_and_nothing_is_stored(
    workbook: Workbook,
) -> None:
    update = workbook.update
    _open(workbook, "A1")
    before = table_rows(workbook.store)
    update.due.text.value = "31/12/32027"
    assert "is not a date" in update.errors["due"].value  # said on leaving the box
    update.reason.value = "Typo test"
    update.save_button.click()

    assert "is not a date" in update.errors["due"].value
    assert "Not saved" in update.message.value and "due date" in update.message.value
    assert table_rows(workbook.store) == before

    update.due.text.value = "31/12/2300"
    update.save_button.click()
    assert "outside the dates a plan accepts" in update.errors["due"].value
    assert table_rows(workbook.store) == before


def test_a_half_typed_date_is_called_not_a_date_not_missing(workbook: Workbook) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.due.text.value = "31/03"
    update.save_button.click()
    assert "is not a date" in update.errors["due"].value
    assert "required" not in update.errors["due"].value


def test_a_us_date_is_refused_not_guessed(workbook: Workbook) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.due.text.value = "12/31/2026"
    assert "not a real date" in update.errors["due"].value
    assert update.due.words.value == ""


def test_a_due_date_in_the_past_asks_for_confirmation(workbook: Workbook) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.due.text.value = "10/01/2025"
    update.reason.value = "Recording what was agreed last week"
    assert update.past_row.layout.display == ""
    update.save_button.click()
    assert "already in the past" in update.errors["due"].value
    assert len(workbook.store.history("A1")) == 1

    update.confirm_past.value = True
    update.save_button.click()
    assert "Saved A1" in update.message.value
    assert workbook.store.get_action("A1")["due"] == date(2025, 1, 10)


def test_a_fixed_field_loses_its_message_and_a_new_attempt_clears_the_old_one(
    workbook: Workbook,
) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.due.text.value = "30/04/2025"
    update.save_button.click()
    assert "required when the due date changes" in update.errors["reason"].value
    assert "Not saved" in update.message.value
    update.reason.value = "Waiting for the new rota"
    assert update.errors["reason"].value == ""
    update.due.text.value = "31/12/32027"
    update.due.text.value = "30/04/2025"
    assert update.errors["due"].value == ""
    update.save_button.click()
    assert "Saved A1" in update.message.value
    assert "Not saved" not in update.message.value


def test_history_and_messages_use_the_vocabulary_words(workbook: Workbook) -> None:
    update = workbook.update
    _open(workbook, "A1")
    update.status.value = "at_risk"
    update.save_button.click()
    assert "status On track → At risk" in update.message.value
    assert "on_track" not in update.history.value
    assert "15 Jan 2025" in update.history.value
    assert "Due 31 Mar 2025 (first agreed 31 Mar 2025)" in update.heading.value


def test_the_conflict_message_lists_what_the_colleague_changed(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-06-01", status="on_track", progress=40)
    first = Workbook(plan, "First Officer", today=TODAY)
    second = Workbook(Store(plan.url), "Second Officer", today=TODAY)
    try:
        _open(first, "A1")
        _open(second, "A1")
        first.update.progress.value = 55
        first.update.note.value = "Rota agreed"
        first.update.save_button.click()
        second.update.status.value = "at_risk"
        second.update.save_button.click()
        message = second.update.message.value
        assert "First Officer" in message
        assert "progress 40% → 55%" in message and "Rota agreed" in message
    finally:
        second.store.close()


def test_any_failure_below_is_one_line_never_silence(
    workbook: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk I/O error\nTraceback (most recent call last): ...")

    _open(workbook, "A1")
    monkeypatch.setattr(workbook.store, "record_update", broken)
    workbook.update.progress.value = 50
    workbook.update.save_button.click()
    message = workbook.update.message.value
    assert "Not saved:" in message and "disk I/O error" in message
    assert "Traceback" not in message


def test_your_name_starts_from_the_setting_or_empty_never_the_login(
    plan: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-06-01")
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    monkeypatch.setenv("ACTIONPLAN_USER", "Env Officer")
    assert starting_name("") == "Env Officer"
    assert starting_name(" Param Officer ") == "Param Officer"
    monkeypatch.delenv("ACTIONPLAN_USER")
    workbook = Workbook(plan, "", today=TODAY)
    assert workbook.who.value == ""

    _open(workbook, "A1")
    workbook.update.progress.value = 50
    workbook.update.save_button.click()
    assert "Your name" in workbook.who_error.value and "required" in workbook.who_error.value
    assert "your name" in workbook.update.message.value
    assert len(plan.history("A1")) == 1


def test_escalated_from_is_searched_by_id_or_words(workbook: Workbook) -> None:
    store = workbook.store
    store.add_complaint({"id": "C1", "stage": "stage1", "received_on": "2024-11-04",
                         "theme": "Charging"})  # fmt: skip
    form = workbook.forms["complaint"]
    form.refresh_choices()
    picker = form.fields["escalated_from"]
    assert "Charging" in picker.box.options[0]
    picker.box.value = picker.box.options[0]
    assert picker.value == "C1"
    picker.box.value = "c1"
    assert picker.value == "C1"
    form.fields["id"].value = "C2"
    form.fields["stage"].value = "stage2"
    form.fields["received_on"].text.value = "02/12/2024"
    form.save_button.click()
    assert "Added complaint C2" in form.message.value
    assert store.complaints().set_index("id").loc["C2", "escalated_from"] == "C1"


def test_linked_actions_are_picked_one_by_one_and_removed_by_button(
    workbook: Workbook,
) -> None:
    form = workbook.forms["complaint"]
    picker = form.fields["action_ids"]
    words = dict((value, label) for label, value in picker.options)
    picker.box.value = words["A2"]
    picker.box.value = "a1"
    assert picker.value == ("A2", "A1") and picker.box.value == ""
    remove_a2 = [b for b in picker.chosen_box.children if b.description == "Remove A2"][0]
    remove_a2.click()
    assert picker.value == ("A1",)
    form.fields["id"].value = "C1"
    form.fields["stage"].value = "stage1"
    form.fields["received_on"].text.value = "2024-11-04"
    form.save_button.click()
    assert workbook.store.complaints().set_index("id").loc["C1", "action_ids"] == "A1"


def test_a_form_date_is_refused_at_its_field_with_the_import_words(workbook: Workbook) -> None:
    form = workbook.forms["compliment"]
    form.fields["id"].value = "K1"
    form.fields["received_on"].text.value = "31/12/32027"
    form.save_button.click()
    assert "is not a date" in form.errors["received_on"].value
    assert "Not added" in form.message.value
    assert workbook.store.table("compliments").empty


def test_tabs_are_built_when_first_opened_and_can_be_added(
    plan: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ipywidgets as widgets

    add_action(plan, "A1", "2025-03-31", "2024-06-01")
    pages = [*WorkbookClass.PAGES, Page("Extra", lambda wb: widgets.HTML("extra page"))]
    monkeypatch.setattr(WorkbookClass, "PAGES", pages)
    workbook = Workbook(plan, "Test Officer", today=TODAY)
    assert workbook._forms is None and not workbook.tabs.is_built("Record new work")
    workbook.tabs.select("Record new work")
    assert workbook._forms is not None and workbook.tabs.is_built("Record new work")
    workbook.tabs.select("Extra")
    assert workbook.tabs.holders[-1].children[0].value == "extra page"
