"""How typed values become stored ones (shared by import, CLI and workbook)."""

from __future__ import annotations

import pytest

from actionplan import vocab
from actionplan.records import parse_progress


@pytest.mark.parametrize(
    "typed, stored", [("60", 60), ("60%", 60), (" 45 % ", 45), (60.0, 60), (0, 0), ("100%", 100)]
)
def test_progress_as_spreadsheets_write_it(typed: object, stored: int) -> None:
    assert parse_progress(typed) == stored


@pytest.mark.parametrize("typed", ["150", "-5", "50%%", "12.5%", "half", "", True, float("nan")])
def test_progress_that_is_not_a_whole_percentage_is_refused(typed: object) -> None:
    with pytest.raises(ValueError):
        parse_progress(typed)


@pytest.mark.parametrize(
    "typed, status",
    [
        ("On Track", "on_track"),
        ("on-track", "on_track"),
        (" Complete ", "complete"),
        ("NOT STARTED", "not_started"),
        ("at_risk", "at_risk"),
    ],
)
def test_status_spellings_people_use(typed: str, status: str) -> None:
    assert vocab.normalise("status", typed) == status


def test_quality_statement_matching_ignores_case_and_spaces_only() -> None:
    assert vocab.normalise("quality_statement", "  safeguarding ") == "Safeguarding"
    with pytest.raises(ValueError):
        vocab.normalise("quality_statement", "safe guarding")


def test_every_quality_statement_is_under_one_of_the_four_themes() -> None:
    assert len(vocab.QUALITY_STATEMENTS) == 9
    assert list(vocab.QUALITY_STATEMENTS_BY_THEME) == [
        "Working with people",
        "Providing support",
        "Ensuring safety within the system",
        "Leadership",
    ]
