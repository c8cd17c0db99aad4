"""SPEC section 10: complaint deadlines in working days, and the figures they give, worked by hand.

Dates were worked out on a calendar: in 2025, Monday 25 August is the summer
bank holiday of England and Wales, so the working days after Friday 22 August
are Tuesday 26, Wednesday 27, Thursday 28, Friday 29, Monday 1 September...
Every store test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.complaints.deadlines import DeadlineSettings, acknowledge_by, add_months
from actionplan.errors import FieldError, ValidationError
from actionplan.store import Store
from actionplan.store.queries import complaint_year, summarise
from actionplan.workdays import add_working_days, is_working_day, working_days_after

from .conftest import table_rows

FRIDAY = "2025-08-22"  # before the summer bank holiday, Monday 25 August 2025


def run(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", store.url, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# -- working days (pure) -----------------------------------------------------


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 8, 25))  # summer bank holiday
    assert not is_working_day(date(2025, 8, 23))  # Saturday
    assert not is_working_day(date(2025, 12, 26))  # Boxing Day
    assert not is_working_day(date(2023, 5, 8))  # the coronation: a one-off bank holiday
    assert is_working_day(date(2025, 8, 26))


def test_the_third_working_day_after_a_friday_before_a_bank_holiday_is_thursday() -> None:
    friday = date(2025, 8, 22)
    assert add_working_days(friday, 1) == date(2025, 8, 26)
    assert add_working_days(friday, 3) == date(2025, 8, 28)
    assert add_working_days(friday, 5) == date(2025, 9, 1)
    assert working_days_after(friday, date(2025, 9, 1)) == 5
    # Received on a Saturday: Monday is the first working day after.
    assert add_working_days(date(2025, 8, 23), 1) == date(2025, 8, 26)


def test_christmas_and_new_year_are_skipped() -> None:
    # 24 Dec 2025 (Wed): 25, 26 Dec bank holidays, 27-28 weekend, 29, 30, 31, 1 Jan holiday, 2.
    assert add_working_days(date(2025, 12, 24), 4) == date(2026, 1, 2)


def test_six_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2024, 10, 15), 6) == date(2025, 4, 15)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)


def test_each_procedure_and_stage_has_its_acknowledgement_deadline() -> None:
    settings = DeadlineSettings()
    received = {"received_on": date(2025, 8, 22)}
    assert acknowledge_by({**received, "procedure": "statutory", "stage": "stage1"}, settings) == (
        date(2025, 8, 28)
    )
    for stage in ("stage1", "stage2"):
        record = {**received, "procedure": "corporate", "stage": stage}
        assert acknowledge_by(record, settings) == date(2025, 9, 1)
    assert acknowledge_by({**received, "stage": "ombudsman"}, settings) is None


# -- deadlines when a complaint is recorded ------------------------------------


def test_corporate_stage1_received_the_friday_before_a_bank_holiday(store: Store) -> None:
    # Acknowledged on Friday 29 August (the 4th working day: on time); 10 working
    # days from then: 1-5 September (5), 8-12 September (10).
    added = store.add_complaint(
        {
            "id": "C1",
            "stage": "stage1",
            "procedure": "corporate",
            "received_on": FRIDAY,
            "acknowledged_on": "29/08/2025",
        }
    )
    assert added["response_due"] == date(2025, 9, 12)
    # Not yet acknowledged: counted from the last day it could have been (1 September).
    added = store.add_complaint(
        {"id": "C2", "stage": "stage1", "procedure": "Corporate", "received_on": FRIDAY}
    )
    assert added["response_due"] == date(2025, 9, 15)
    stored = store.complaints().set_index("id")
    assert stored.loc["C1", "response_due"].date() == date(2025, 9, 12)
    assert stored.loc["C1", "procedure"] == "corporate"


def test_statutory_is_the_default_with_six_months_to_respond(store: Store) -> None:
    added = store.add_complaint({"id": "C1", "stage": "stage1", "received_on": FRIDAY})
    assert added["procedure"] == "statutory"
    assert added["response_due"] == date(2026, 2, 22)


def test_a_response_due_date_given_is_taken_as_given(store: Store) -> None:
    added = store.add_complaint(
        {"id": "C1", "stage": "stage1", "received_on": FRIDAY, "response_due": "2025-10-01"}
    )
    assert added["response_due"] == date(2025, 10, 1)


def test_an_ombudsman_record_gets_no_worked_out_deadline(store: Store) -> None:
    added = store.add_complaint(
        {
            "id": "O1",
            "stage": "ombudsman",
            "received_on": FRIDAY,
            "lgsco_reference": "25-003-114",
            "lgsco_decision": "Closed after initial enquiries",
            "remedied_before_ombudsman": "No",
        }
    )
    assert added["response_due"] is None
    assert added["lgsco_reference"] == "25 003 114"
    assert added["lgsco_decision"] == "closed_after_initial_enquiries"
    assert added["remedied_before_ombudsman"] == "no"


def test_an_extension_within_ten_working_days_is_accepted(store: Store) -> None:
    # Due Friday 12 September; ten working days later is Friday 26 September.
    code, out, err = run(
        store, "add-complaint", "--id", "C1", "--stage", "stage1", "--procedure", "corporate",
        "--received-on", FRIDAY, "--acknowledged-on", "2025-08-29",
        "--extended-to", "26/09/2025", "--extension-reason", "Provider records awaited",
    )  # fmt: skip
    assert code == 0, err
    assert "response due 26 Sep 2025" in out
    stored = store.complaints().set_index("id").loc["C1"]
    assert stored["response_due"].date() == date(2025, 9, 12)
    assert stored["extended_to"].date() == date(2025, 9, 26)


def test_an_extension_beyond_the_limit_is_refused_in_one_line(store: Store) -> None:
    before = table_rows(store)
    code, out, err = run(
        store, "add-complaint", "--id", "C1", "--stage", "stage1", "--procedure", "corporate",
        "--received-on", FRIDAY, "--acknowledged-on", "2025-08-29",
        "--extended-to", "2025-09-29", "--extension-reason", "Provider records awaited",
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "extended_to: 2025-09-29 is more than 10 working days after response_due" in err
    assert "the latest extension allowed is 26 Sep 2025" in err
    assert table_rows(store) == before


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"extended_to": "2025-09-20"}, "extension_reason: is required when extended_to"),
        ({"extension_reason": "why"}, "extension_reason: is given but extended_to is blank"),
        ({"extended_to": "2025-09-10", "extension_reason": "x"}, "is not after response_due"),
        ({"acknowledged_on": "2025-08-21"}, "acknowledged_on: 2025-08-21 is before received_on"),
        ({"lgsco_reference": "24 015 889"}, "lgsco_reference: is only for an Ombudsman"),
        ({"remedied_before_ombudsman": "maybe"}, "'maybe' is not yes or no"),
    ],
)
def test_complaint_deadline_mistakes_are_named(fields: dict, message: str) -> None:
    from actionplan.complaints.checks import settle_complaint
    from actionplan.records import clean_record

    record = {"id": "C1", "stage": "stage1", "procedure": "corporate", "received_on": FRIDAY}
    with pytest.raises(ValidationError) as caught:
        values = clean_record("complaint", {**record, **fields})
        problems = settle_complaint(values, DeadlineSettings())
        if problems:
            raise ValidationError(problems)
    assert message in str(caught.value)


def test_an_lgsco_reference_must_look_like_one() -> None:
    from actionplan.records import clean_record

    with pytest.raises(ValidationError, match="is not an LGSCO reference like 24 015 889"):
        clean_record("complaint", {"id": "O", "stage": "ombudsman", "received_on": FRIDAY,
                                   "lgsco_reference": "24/15"})  # fmt: skip


def test_a_statutory_complaint_answered_within_the_period_agreed_is_on_time(store: Store) -> None:
    # Received 15 Oct 2024: six months is 15 Apr 2025. More time was agreed, to 31 July;
    # the response on 20 July falls due in 2025-26-Q2 and is on time.
    store.add_complaint(
        {
            "id": "S1",
            "stage": "stage1",
            "received_on": "2024-10-15",
            "acknowledged_on": "2024-10-17",
            "extended_to": "2025-07-31",
            "extension_reason": "Independent investigation agreed with the complainant",
            "responded_on": "2025-07-20",
            "outcome": "partly_upheld",
            "decided_on": "2025-07-20",
        }
    )
    stored = store.complaints().set_index("id").loc["S1"]
    assert stored["response_due"].date() == date(2025, 4, 15)
    q1 = summarise(store, "2025-26-Q1")["complaints"]
    assert q1["responses_due"] == 0  # the due date moved to the agreed one
    q2 = summarise(store, "2025-26-Q2")["complaints"]
    assert (q2["responses_due"], q2["responded_on_time"], q2["responded_late"]) == (1, 1, 0)
    assert q2["timeliness_by_procedure"]["statutory"]["stage1"]["responded_on_time"] == 1


def test_changed_deadline_settings_work_out_later_complaints(store: Store) -> None:
    store.set_deadline_settings({"deadline.corporate_stage1.respond_days": "15"})
    added = store.add_complaint(
        {"id": "C1", "stage": "stage1", "procedure": "corporate", "received_on": FRIDAY,
         "acknowledged_on": "2025-08-29"}
    )  # fmt: skip
    assert added["response_due"] == date(2025, 9, 19)
    store.set_deadline_settings({"deadline.corporate_stage1.respond_days": "default"})
    assert store.deadline_settings() == DeadlineSettings()
    with pytest.raises(FieldError, match="is not a whole number from 1 to 260"):
        store.set_deadline_settings({"deadline.corporate_stage1.respond_days": "0"})
    with pytest.raises(FieldError, match="is not a deadline setting"):
        store.set_deadline_settings({"deadline.corporate_stage3.respond_days": "5"})


def test_correcting_the_acknowledgement_moves_a_worked_out_response_date(store: Store) -> None:
    from actionplan.store.health import correct_date

    store.add_complaint(
        {"id": "C1", "stage": "stage1", "procedure": "corporate", "received_on": FRIDAY,
         "acknowledged_on": "2025-08-29"}
    )  # fmt: skip
    correct_date(store, "complaint", "C1", "acknowledged_on", "2025-08-26")
    # 10 working days after Tuesday 26 August: 27, 28, 29, 1-5 Sep, 8, 9.
    assert store.complaints().set_index("id").loc["C1", "response_due"].date() == date(2025, 9, 9)
    code, _out, err = run(store, "correct-date", "complaint", "C1", "responded_on", "2025-09-08")
    assert code == 0, err


# -- the quarter's timeliness figures ------------------------------------------


@pytest.fixture
def timeliness_plan(store: Store) -> Store:
    """Complaints whose responses or acknowledgements fall due in 2025-26-Q2 (Jul to Sep 2025)."""
    records = [
        # Statutory: acknowledged on time in March; due 10 Sep (six months); answered 1 Sep.
        {"id": "A", "stage": "stage1", "received_on": "2025-03-10",
         "acknowledged_on": "2025-03-12", "responded_on": "2025-09-01"},
        # Corporate stage 1: acknowledged on time (by 1 Sep); due 12 Sep; answered 15 Sep, late.
        {"id": "B", "stage": "stage1", "procedure": "corporate", "received_on": FRIDAY,
         "acknowledged_on": "2025-08-29", "responded_on": "2025-09-15"},
        # Corporate stage 1: never acknowledged (due 2 Sep); due 16 Sep; not answered.
        {"id": "C", "stage": "stage1", "procedure": "corporate", "received_on": "2025-08-26"},
        # Corporate stage 2: acknowledged 9 Jul, a day late; due 6 Aug; answered 3 Oct.
        {"id": "D", "stage": "stage2", "procedure": "corporate", "received_on": "2025-07-01",
         "acknowledged_on": "2025-07-09", "responded_on": "2025-10-03"},
        # Withdrawn: no response is owed, nothing counts.
        {"id": "E", "stage": "stage1", "received_on": "2025-09-25", "outcome": "withdrawn",
         "decided_on": "2025-09-26"},
        # The Ombudsman's own case: not the council's deadlines.
        {"id": "F", "stage": "ombudsman", "received_on": "2025-08-01",
         "response_due": "2025-08-29"},
    ]  # fmt: skip
    for record in records:
        store.add_complaint(record)
    return store


def test_quarter_timeliness_figures_worked_by_hand(timeliness_plan: Store) -> None:
    figures = summarise(timeliness_plan, "2025-26-Q2")["complaints"]
    assert figures["responses_due"] == 4  # A, B, C, D
    assert figures["responded_on_time"] == 1  # A
    assert figures["responded_late"] == 2  # B, D
    assert figures["response_outstanding"] == 2  # C (not answered), D (answered after 30 Sep)
    assert figures["acknowledgements_due"] == 3  # B, C, D (A's was due in March)
    assert figures["acknowledged_on_time"] == 1  # B
    assert figures["acknowledged_on_time_rate"] == 0.3333
    split = figures["timeliness_by_procedure"]
    assert split["statutory"]["stage1"] == {
        "responses_due": 1, "responded_on_time": 1, "responded_late": 0,
        "response_outstanding": 0, "acknowledgements_due": 0, "acknowledged_on_time": 0,
        "acknowledged_on_time_rate": None,
    }  # fmt: skip
    assert split["corporate"]["stage1"] == {
        "responses_due": 2, "responded_on_time": 0, "responded_late": 1,
        "response_outstanding": 1, "acknowledgements_due": 2, "acknowledged_on_time": 1,
        "acknowledged_on_time_rate": 0.5,
    }  # fmt: skip
    assert split["corporate"]["stage2"]["responded_late"] == 1
    assert split["corporate"]["stage2"]["acknowledged_on_time_rate"] == 0.0
    assert split["statutory"]["stage2"]["responses_due"] == 0


def test_summary_json_carries_the_timeliness_figures(timeliness_plan: Store) -> None:
    code, out, err = run(timeliness_plan, "summary", "--quarter", "2025-26-Q2", "--json")
    assert code == 0, err
    complaints = json.loads(out)["complaints"]
    assert complaints["responses_due"] == 4
    assert set(complaints["timeliness_by_procedure"]) == {"statutory", "corporate"}


# -- the Ombudsman's letter figures ---------------------------------------------


@pytest.fixture
def ombudsman_year(store: Store) -> Store:
    """2024-25: six upheld decisions with remedies (all done, one late), one upheld case
    remedied before the Ombudsman, two not upheld, and two that were not investigated."""
    records = []
    for number in range(1, 7):
        late = number == 6
        records.append(
            {"id": f"U{number}", "stage": "ombudsman", "received_on": "2024-04-01",
             "outcome": "upheld", "decided_on": f"2024-0{number + 3}-10",
             "lgsco_reference": f"24 000 00{number}", "lgsco_decision": "upheld",
             "remedied_before_ombudsman": "no", "remedy_due": "2025-01-31",
             "remedy_done_on": "2025-02-14" if late else "2025-01-20"}
        )  # fmt: skip
    records += [
        {"id": "R1", "stage": "ombudsman", "received_on": "2024-05-01", "outcome": "upheld",
         "decided_on": "2024-11-01", "lgsco_decision": "upheld",
         "remedied_before_ombudsman": "yes"},
        {"id": "N1", "stage": "ombudsman", "received_on": "2024-05-01", "outcome": "not_upheld",
         "decided_on": "2024-12-01", "lgsco_decision": "not_upheld"},
        {"id": "N2", "stage": "ombudsman", "received_on": "2024-05-01", "outcome": "not_upheld",
         "decided_on": "2025-03-31", "lgsco_decision": "not_upheld"},
        {"id": "X1", "stage": "ombudsman", "received_on": "2024-05-01",
         "decided_on": "2024-06-01", "outcome": "not_upheld",
         "lgsco_decision": "closed_after_initial_enquiries"},
        {"id": "X2", "stage": "ombudsman", "received_on": "2024-05-01",
         "decided_on": "2024-06-01", "outcome": "not_upheld", "lgsco_decision": "premature"},
        # Decided in the next year: not this year's letter.
        {"id": "Y1", "stage": "ombudsman", "received_on": "2024-05-01", "outcome": "upheld",
         "decided_on": "2025-04-01", "lgsco_decision": "upheld",
         "remedy_due": "2025-05-01"},
    ]  # fmt: skip
    for record in records:
        store.add_complaint(record)
    return store


def test_ombudsman_year_with_full_compliance_and_one_in_six_late(ombudsman_year: Store) -> None:
    code, out, err = run(ombudsman_year, "complaints", "--year", "2024/25", "--json")
    assert code == 0, err
    letter = json.loads(out)["ombudsman_letter"]
    assert letter["detailed_investigations"] == 9  # U1-U6, R1, N1, N2
    assert letter["upheld"] == 7
    assert letter["upheld_rate"] == 0.7778  # 7 / 9
    assert letter["remedied_before"] == 1
    assert letter["remedied_before_rate"] == 0.1429  # 1 / 7
    assert letter["remedies_due"] == 6
    assert letter["remedies_done"] == 6
    assert letter["compliance_rate"] == 1.0
    assert letter["remedies_done_late"] == 1
    assert letter["late_rate"] == 0.1667  # 1 in 6
    assert letter["decisions"] == {
        "upheld": 7, "not_upheld": 2, "closed_after_initial_enquiries": 1, "premature": 1,
        "withdrawn": 0,
    }  # fmt: skip


def test_a_remedy_not_yet_due_is_not_counted_against_compliance(ombudsman_year: Store) -> None:
    figures = complaint_year(ombudsman_year, "2025-26", today=date(2025, 4, 20))
    letter = figures["ombudsman_letter"]
    assert figures["as_of"] == "2025-04-20"
    assert letter["upheld"] == 1  # Y1
    assert letter["remedies_due"] == 0  # due 1 May, after the as-of day
    assert letter["compliance_rate"] is None


def test_year_figures_count_what_the_regulations_ask_for(ombudsman_year: Store) -> None:
    ombudsman_year.add_complaint(
        {"id": "S1", "stage": "stage1", "received_on": "2024-04-02", "outcome": "partly_upheld",
         "decided_on": "2024-04-20", "learning": "Letters now explain the charge"}
    )  # fmt: skip
    figures = complaint_year(ombudsman_year, "2024-25")
    assert figures["received_total"] == 13
    assert figures["received"] == {"stage1": 1, "stage2": 0, "ombudsman": 12}
    assert figures["referred_to_ombudsman"] == 12
    assert figures["well_founded"] == 8  # U1-U6, R1 and S1
    assert figures["with_learning"] == 1
    assert figures["received_by_procedure"] == {"statutory": 13, "corporate": 0}


def test_complaints_year_table_and_a_bad_year(ombudsman_year: Store) -> None:
    code, out, _err = run(ombudsman_year, "complaints", "--year", "2024-25")
    assert code == 0 and "LGSCO compliance with remedies" in out and "100%" in out
    code, out, err = run(ombudsman_year, "complaints", "--year", "2024-26")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "year: '2024-26' is not a financial year" in err
