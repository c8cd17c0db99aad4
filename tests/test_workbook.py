"""The officers' workbook, driven as an officer would: set widget values, click buttons.

Every test then reads the database (current row and history) to prove what was,
or was not, written. They run on each backend of the `store` fixture.
"""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.identity import default_user
from actionplan.store import Store
from actionplan.vocab import RAG_PALETTE
from actionplan.workbook import Workbook
from actionplan.workbook.forms import next_id
from actionplan.workbook.selection import Filters, find_actions

from .conftest import add_action

TODAY = date(2025, 1, 15)


@pytest.fixture
def officer_plan(plan: Store) -> Store:
    """Four actions: one overdue, one due soon, one far off (with markup in its title), one done."""
    add_action(
        plan, "A1", "2024-12-31", "2024-06-01", status="on_track", progress=40, team="Assessment"
    )
    add_action(
        plan, "A2", "2025-02-01", "2024-06-01", status="at_risk", owner="Safeguarding Lead",
        team="Safeguarding",
    )  # fmt: skip
    add_action(
        plan, "A3", "2025-06-30", "2024-06-01", owner="Finance Manager",
        title="Review <b>letters</b> & leaflets",
    )  # fmt: skip
    add_action(plan, "A4", "2024-11-30", "2024-06-01", status="complete")
    plan.record_update(
        {"action_id": "A2", "by": "Improvement Officer", "as_of": "2025-01-05", "note": "Met"},
        today=TODAY,
    )
    return plan


@pytest.fixture
def workbook(officer_plan: Store) -> Workbook:
    """The workbook on the officer plan, as 'Test Officer', on a fixed day."""
    return Workbook(officer_plan, "Test Officer", today=TODAY)


def _open(workbook: Workbook, action_id: str) -> None:
    workbook.find.buttons[action_id].click()


def _events(store: Store, action_id: str) -> list[dict]:
    return store.history(action_id)


def _row(workbook: Workbook, action_id: str) -> str:
    """The HTML beside an action's ID button in the list: title, owner, due, RAG."""
    cells = list(workbook.find.grid.children)
    return cells[cells.index(workbook.find.buttons[action_id]) + 1].value


def test_list_is_most_urgent_first_with_rag_word_and_colour(workbook: Workbook) -> None:
    assert workbook.find.shown_ids() == ["A1", "A2", "A3", "A4"]
    row = _row(workbook, "A1")
    assert "Action A1" in row and "Head of Assessment" in row
    assert "31\u00a0Dec\u00a02024" in row and "overdue" in row
    assert ">Red<" in row and f"background:{RAG_PALETTE['red'].fill}" in row
    assert ">Amber<" in _row(workbook, "A2")


def test_titles_are_escaped_not_rendered(workbook: Workbook) -> None:
    shown = _row(workbook, "A3")
    assert "Review &lt;b&gt;letters&lt;/b&gt; &amp; leaflets" in shown
    assert "<b>letters</b>" not in shown


def test_filters_narrow_the_list(workbook: Workbook) -> None:
    find = workbook.find
    find.owner.value = "Safeguarding Lead"
    assert find.shown_ids() == ["A2"]
    find.clear_button.click()
    find.overdue.value = True
    assert find.shown_ids() == ["A1"]
    find.clear_button.click()
    find.search.value = "LETTERS"
    assert find.shown_ids() == ["A3"]
    find.clear_button.click()
    find.not_updated.value = True
    assert find.shown_ids() == ["A1", "A3"]
    find.clear_button.click()
    find.rag.value = "complete"
    assert find.shown_ids() == ["A4"]
    find.clear_button.click()
    find.team.value = "Assessment"
    find.status.value = "on_track"
    assert find.shown_ids() == ["A1"]
    find.clear_button.click()
    find.source.value = "S1"
    assert len(find.shown_ids()) == 4


def test_overview_counts_filtered_actions_and_lists_due_soon(workbook: Workbook) -> None:
    chart = workbook.overview.chart.value
    assert "Red 1, Amber 1, Green 0, Not started 1, Complete 1" in chart
    due = workbook.overview.due_soon.value
    assert "A2" in due and "A3" not in due and "A1" not in due
    workbook.find.owner.value = "Finance Manager"
    assert "Red 0, Amber 0, Green 0, Not started 1, Complete 0" in workbook.overview.chart.value
    assert "Filters: owner Finance Manager" in workbook.overview.filters.value
    assert "None." in workbook.overview.due_soon.value


def test_panel_shows_recommendation_source_and_history(workbook: Workbook) -> None:
    _open(workbook, "A2")
    heading = workbook.update.heading.value
    assert "Reduce assessment waits" in heading and "LGA Corporate Peer Challenge" in heading
    assert workbook.update.history.value.count("<tr>") == 1 + 2  # header + two events
    assert workbook.update.status.value == "at_risk"
    assert workbook.update.as_of.value == TODAY
    assert workbook.who.value == "Test Officer"


def test_progress_update_is_saved_with_who_and_note(workbook: Workbook) -> None:
    store = workbook.store
    _open(workbook, "A1")
    workbook.update.progress.value = 65
    workbook.update.note.value = "New triage rota in place"
    workbook.update.save_button.click()

    event = _events(store, "A1")[-1]
    assert event["changes"] == {"progress": {"old": 40, "new": 65}}
    assert (event["by"], event["note"], event["as_of"]) == (
        "Test Officer",
        "New triage rota in place",
        "2025-01-15",
    )
    assert store.get_action("A1")["progress"] == 65
    assert "Saved A1" in workbook.update.message.value
    assert "progress 40% → 65%" in workbook.update.message.value
    assert "New triage rota in place" in workbook.update.history.value
    assert workbook.update.note.value == ""


def test_completing_sets_progress_100_and_completion_date(workbook: Workbook) -> None:
    store = workbook.store
    _open(workbook, "A2")
    workbook.update.status.value = "complete"
    assert workbook.update.progress.value == 100
    workbook.update.save_button.click()

    action = store.get_action("A2")
    assert (action["status"], action["progress"], action["completed_on"]) == (
        "complete",
        100,
        TODAY,
    )
    changes = _events(store, "A2")[-1]["changes"]
    assert changes["completed_on"] == {"old": None, "new": "2025-01-15"}
    assert workbook.frame.set_index("id").loc["A2", "rag"] == "complete"


def test_choosing_complete_then_changing_back_restores_progress(workbook: Workbook) -> None:
    _open(workbook, "A1")
    workbook.update.status.value = "complete"
    workbook.update.status.value = "at_risk"
    assert workbook.update.progress.value == 40
    assert workbook.update.changed_fields() == {"status": "at_risk"}


def test_due_date_change_needs_a_reason(workbook: Workbook) -> None:
    store = workbook.store
    update = workbook.update
    _open(workbook, "A1")
    assert update.reason_row.layout.display == "none"
    update.due.value = date(2025, 3, 31)
    assert update.reason_row.layout.display == ""
    update.save_button.click()

    assert "required when the due date changes" in update.errors["reason"].value
    assert len(_events(store, "A1")) == 1
    assert update.due.value == date(2025, 3, 31)

    update.reason.value = "Waiting for new case system"
    update.save_button.click()
    event = _events(store, "A1")[-1]
    assert event["changes"] == {"due": {"old": "2024-12-31", "new": "2025-03-31"}}
    assert event["reason"] == "Waiting for new case system"
    assert update.errors["reason"].value == ""
    action = store.get_action("A1")
    assert (action["due"], action["baseline_due"]) == (date(2025, 3, 31), date(2024, 12, 31))


def test_each_problem_is_shown_next_to_its_field_and_nothing_is_written(
    workbook: Workbook,
) -> None:
    store = workbook.store
    update = workbook.update
    _open(workbook, "A1")
    before = store.get_action("A1")
    update.due.value = date(2025, 4, 30)
    update.as_of.value = date(2025, 2, 1)
    workbook.who.value = "  "
    update.save_button.click()

    assert "required" in workbook.who_error.value
    assert workbook.who_error.value and "ap-error" in workbook.who_error.value
    workbook.who.value = "Test Officer"
    update.save_button.click()
    assert "in the future" in update.errors["as_of"].value
    assert "required when the due date changes" in update.errors["reason"].value
    assert update.errors["progress"].value == ""
    assert "Not saved" in update.message.value
    assert store.get_action("A1") == before
    assert len(_events(store, "A1")) == 1


def test_a_save_that_changes_nothing_says_so(workbook: Workbook) -> None:
    _open(workbook, "A3")
    workbook.update.save_button.click()
    assert "changes nothing" in workbook.update.message.value
    assert len(_events(workbook.store, "A3")) == 1


def test_second_officer_is_refused_keeps_values_and_reapplies(officer_plan: Store) -> None:
    first = Workbook(officer_plan, "First Officer", today=TODAY)
    second = Workbook(Store(officer_plan.url), "Second Officer", today=TODAY)
    try:
        _open(first, "A1")
        _open(second, "A1")
        first.update.progress.value = 50
        first.update.note.value = "Rota agreed"
        first.update.save_button.click()
        assert "Saved A1" in first.update.message.value

        second.update.status.value = "at_risk"
        second.update.note.value = "Two vacancies"
        second.update.save_button.click()
        message = second.update.message.value
        assert "Not saved" in message and "First Officer" in message
        assert second.update.status.value == "at_risk"
        assert second.update.note.value == "Two vacancies"
        assert second.update.reapply_button.layout.display == ""
        assert len(_events(officer_plan, "A1")) == 2

        second.update.reapply_button.click()
        assert second.update.status.value == "at_risk"
        assert second.update.note.value == "Two vacancies"
        assert second.update.progress.value == 50  # the first officer's progress, not 40
        second.update.save_button.click()
        assert "Saved A1" in second.update.message.value
    finally:
        second.store.close()

    events = _events(officer_plan, "A1")
    assert [(e["version"], e["by"]) for e in events] == [
        (1, "Improvement Officer"),
        (2, "First Officer"),
        (3, "Second Officer"),
    ]
    assert events[2]["changes"] == {"status": {"old": "on_track", "new": "at_risk"}}
    action = officer_plan.get_action("A1")
    assert (action["progress"], action["status"]) == (50, "at_risk")


def test_new_action_through_the_form(workbook: Workbook) -> None:
    form = workbook.forms["action"]
    assert form.fields["id"].placeholder == "next free: A5"
    form.fields["id"].value = "A5"
    form.fields["recommendation_id"].value = "R1"
    form.fields["title"].value = "Publish waiting times monthly"
    form.fields["owner"].value = "Head of Assessment"
    form.fields["due"].value = date(2025, 6, 30)
    form.fields["progress"].value = 10
    form.save_button.click()

    assert "Added action A5" in form.message.value
    action = workbook.store.get_action("A5")
    assert (action["title"], action["due"], action["progress"], action["created_on"]) == (
        "Publish waiting times monthly",
        date(2025, 6, 30),
        10,
        TODAY,
    )
    assert _events(workbook.store, "A5")[0]["by"] == "Test Officer"
    assert "A5" in workbook.find.shown_ids()
    assert form.fields["id"].value == ""


def test_form_problems_are_shown_next_to_fields_and_nothing_is_written(
    workbook: Workbook,
) -> None:
    form = workbook.forms["action"]
    form.fields["id"].value = "A1"
    form.fields["title"].value = "Duplicate"
    form.fields["created_on"].value = date(2025, 2, 1)
    form.save_button.click()
    assert "is required" in form.errors["owner"].value
    assert "is required" in form.errors["due"].value
    assert "is required" in form.errors["recommendation_id"].value
    assert form.errors["title"].value == ""
    assert "Not added" in form.message.value

    form.fields["recommendation_id"].value = "R1"
    form.fields["owner"].value = "Head of Assessment"
    form.fields["due"].value = date(2025, 6, 30)
    form.fields["created_on"].value = None
    form.save_button.click()
    assert "already exists" in form.errors["id"].value
    assert workbook.store.get_action("A1")["title"] == "Action A1"


def test_new_complaint_through_the_form_links_its_actions(workbook: Workbook) -> None:
    form = workbook.forms["complaint"]
    form.fields["id"].value = "C1"
    form.fields["stage"].value = "stage1"
    form.fields["received_on"].value = date(2024, 11, 4)
    form.fields["theme"].value = "Financial assessment"
    form.fields["outcome"].value = "partly_upheld"
    form.fields["decided_on"].value = date(2024, 12, 2)
    form.fields["learning"].value = "Letters did not explain charges"
    form.fields["action_ids"].value = ("A1", "A3")
    form.save_button.click()

    assert "Added complaint C1" in form.message.value
    complaints = workbook.store.complaints().set_index("id")
    assert complaints.loc["C1", "action_ids"] == "A1;A3"
    assert complaints.loc["C1", "outcome"] == "partly_upheld"
    escalated_from = workbook.forms["complaint"].fields["escalated_from"]
    assert ("C1: Stage 1, received 4 Nov 2024, Financial assessment", "C1") in (
        escalated_from.options
    )


def test_complaint_problems_are_shown_next_to_fields(workbook: Workbook) -> None:
    form = workbook.forms["complaint"]
    form.fields["id"].value = "C9"
    form.fields["stage"].value = "stage2"
    form.fields["received_on"].value = date(2024, 11, 4)
    form.fields["decided_on"].value = date(2024, 10, 1)
    form.save_button.click()
    assert "before received_on" in form.errors["decided_on"].value
    assert "pending but decided_on" in form.errors["outcome"].value
    assert workbook.store.complaints().empty


def test_complaint_form_works_out_the_response_date_and_refuses_a_long_extension(
    workbook: Workbook,
) -> None:
    form = workbook.forms["complaint"]
    assert form.fields["procedure"].value == "statutory"
    form.fields["id"].value = "C7"
    form.fields["stage"].value = "stage1"
    form.fields["procedure"].value = "corporate"
    form.fields["received_on"].value = date(2025, 8, 22)
    form.fields["acknowledged_on"].value = date(2025, 8, 29)
    form.fields["extended_to"].value = date(2025, 9, 29)
    form.fields["extension_reason"].value = "Provider records awaited"
    form.save_button.click()
    assert "the latest extension allowed is 26 Sep 2025" in form.errors["extended_to"].value
    assert workbook.store.complaints().empty

    form.fields["extended_to"].value = None
    form.fields["extension_reason"].value = ""
    form.save_button.click()
    assert "Added complaint C7" in form.message.value
    stored = workbook.store.complaints().set_index("id").loc["C7"]
    assert stored["response_due"].date() == date(2025, 9, 12)
    assert stored["procedure"] == "corporate"


def test_source_recommendation_and_compliment_forms(workbook: Workbook) -> None:
    source = workbook.forms["source"]
    source.fields["id"].value = "S2"
    source.fields["kind"].value = "cqc_assessment"
    source.fields["title"].value = "CQC local authority assessment"
    source.save_button.click()
    assert "Added source S2" in source.message.value

    recommendation = workbook.forms["recommendation"]
    assert "S2" in [value for _label, value in recommendation.fields["source_id"].options]
    recommendation.fields["id"].value = "R2"
    recommendation.fields["source_id"].value = "S2"
    recommendation.fields["text"].value = "Strengthen safeguarding oversight"
    recommendation.fields["quality_statement"].value = "Safeguarding"
    recommendation.fields["priority"].value = "high"
    recommendation.save_button.click()
    stored = workbook.store.table("recommendations").set_index("id").loc["R2"]
    assert (stored["quality_statement"], stored["priority"]) == ("Safeguarding", "high")

    compliment = workbook.forms["compliment"]
    compliment.fields["id"].value = "K1"
    compliment.fields["received_on"].value = date(2025, 1, 6)
    compliment.fields["summary"].value = "Thanks to the <reablement> team"
    compliment.save_button.click()
    assert "Added compliment K1" in compliment.message.value
    assert len(workbook.store.table("compliments")) == 1


def test_who_defaults_to_parameter_then_variable_then_login(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACTIONPLAN_USER", "Env Officer")
    assert default_user(" Param Officer ") == "Param Officer"
    assert default_user("") == "Env Officer"
    monkeypatch.delenv("ACTIONPLAN_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    assert default_user("") == "login-name"


def test_a_missing_plan_is_explained_not_a_traceback(tmp_path) -> None:
    workbook = Workbook(tmp_path / "nothing.db", "Test Officer")
    assert "holds no action plan" in (workbook.problem or "")
    assert "Cannot open the plan" in workbook.widget.children[1].value


def test_find_actions_is_pure_over_the_frame(workbook: Workbook) -> None:
    found = find_actions(workbook.frame, Filters(search="action a"), TODAY)
    assert list(found["id"]) == ["A1", "A2", "A4"]


def test_search_finds_words_in_owners_as_list_search_does(workbook: Workbook) -> None:
    found = find_actions(workbook.frame, Filters(search="SAFEGUARDING lead"), TODAY)
    assert list(found["id"]) == ["A2"]


def test_next_id_follows_the_commonest_pattern() -> None:
    assert next_id(["A-009", "A-010", "X1"]) == "A-011"
    assert next_id([]) == ""


def test_recording_new_work_does_not_wipe_an_unsaved_update(workbook: Workbook) -> None:
    _open(workbook, "A1")
    workbook.update.progress.value = 70
    workbook.update.note.value = "Half typed"
    compliment = workbook.forms["compliment"]
    compliment.fields["id"].value = "K1"
    compliment.fields["received_on"].value = date(2025, 1, 6)
    compliment.save_button.click()
    assert "Added compliment K1" in compliment.message.value
    assert (workbook.update.progress.value, workbook.update.note.value) == (70, "Half typed")
    workbook.update.save_button.click()
    assert _events(workbook.store, "A1")[-1]["note"] == "Half typed"


def test_workbook_badges_and_bars_use_the_one_rag_palette() -> None:
    from actionplan.workbook import html as workbook_html

    bars = workbook_html.rag_bars({rag: 1 for rag in RAG_PALETTE})
    for rag, colour in RAG_PALETTE.items():
        badge = workbook_html.badge(rag)
        assert f"background:{colour.fill};color:{colour.ink}" in badge, rag
        if rag != "cancelled":
            assert f"background:{colour.fill}" in bars, rag
