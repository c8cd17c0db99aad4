"""Financial-year quarters and dates (SPEC section 3)."""

from __future__ import annotations

from datetime import date

import pytest

from actionplan.dates import parse_date
from actionplan.errors import FieldError
from actionplan.quarters import (
    Quarter,
    parse_quarter,
    quarter_of,
    quarters_between,
    shift_by_quarters,
)


@pytest.mark.parametrize(
    "label, start, end",
    [
        ("2024-25-Q1", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024-25-Q2", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-25-Q3", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-25-Q4", date(2025, 1, 1), date(2025, 3, 31)),
        ("2023-24-Q4", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_quarter_spans_its_financial_months(label: str, start: date, end: date) -> None:
    quarter = parse_quarter(label)
    assert (quarter.start, quarter.end, quarter.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2024-25-Q3", "2024/25 Q3", "2024-25 Q3", " 2024-25-q3 "])
def test_accepted_spellings_of_a_quarter(text: str) -> None:
    assert parse_quarter(text) == Quarter(2024, 3)


def test_current_and_previous_are_relative_to_today() -> None:
    today = date(2025, 1, 15)
    assert parse_quarter("current", today).label == "2024-25-Q4"
    assert parse_quarter("previous", today).label == "2024-25-Q3"
    assert parse_quarter("previous", date(2024, 4, 2)).label == "2023-24-Q4"


@pytest.mark.parametrize("text", ["2024-26-Q1", "2024-25-Q5", "Q3", "last year", ""])
def test_unknown_quarter_label_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_quarter(text)
    assert str(caught.value).startswith("quarter: ")


def test_first_month_of_the_year_is_configurable() -> None:
    january_year = quarter_of(date(2024, 2, 10), first_month=1)
    assert (january_year.number, january_year.start, january_year.end) == (
        1,
        date(2024, 1, 1),
        date(2024, 3, 31),
    )
    assert quarter_of(date(2024, 3, 31)).label == "2023-24-Q4"
    assert quarter_of(date(2024, 4, 1)).label == "2024-25-Q1"


def test_quarter_in_words_for_managers() -> None:
    assert Quarter(2024, 3).in_words() == "Quarter 3 (October to December) 2024 to 2025"
    assert Quarter(2024, 4).in_words() == "Quarter 4 (January to March) 2024 to 2025"


def test_quarters_between_runs_across_year_ends() -> None:
    labels = [q.label for q in quarters_between(Quarter(2023, 3), Quarter(2024, 2))]
    assert labels == ["2023-24-Q3", "2023-24-Q4", "2024-25-Q1", "2024-25-Q2"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-12-31", date(2024, 12, 31)),
        ("31/12/2024", date(2024, 12, 31)),
        ("1/2/2025", date(2025, 2, 1)),
        (" 05/04/2024 ", date(2024, 4, 5)),
    ],
)
def test_iso_and_uk_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["12/31/2024", "31/02/2025", "2024-13-01", "next week", "2024/12/31"]
)
def test_us_impossible_and_unknown_dates_are_refused(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_date(text, "due", row=4)
    assert str(caught.value).startswith("row 4, column due: ")


def test_blank_date_is_none() -> None:
    assert parse_date("  ") is None
    assert parse_date(None) is None


@pytest.mark.parametrize(
    ("day", "quarters", "expected"),
    [
        ("2024-05-14", 1, "2024-08-14"),
        ("2024-12-31", 1, "2025-03-31"),  # a month's end stays a month's end
        ("2024-09-30", 1, "2024-12-31"),
        ("2024-11-30", 1, "2025-02-28"),
        ("2023-11-30", 1, "2024-02-29"),
        ("2024-11-29", 1, "2025-02-28"),  # a day February lacks becomes its last
        ("2024-02-29", 4, "2025-02-28"),
        ("2025-02-28", -4, "2024-02-29"),
        ("2024-04-01", -6, "2022-10-01"),
        ("2024-04-01", 0, "2024-04-01"),
    ],
)
def test_shift_by_quarters_keeps_the_day_of_the_quarter(day: str, quarters: int, expected: str):
    shifted = shift_by_quarters(date.fromisoformat(day), quarters)
    assert shifted == date.fromisoformat(expected)
