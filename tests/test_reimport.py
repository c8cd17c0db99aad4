"""An exported workbook edited offline and brought back into the same plan.

Each changed Actions row is one update by the person importing; a new row is
one new action; unchanged rows change nothing; a row whose action someone else
changed since the export is refused by name, and nothing at all is stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from actionplan.cli import cli
from actionplan.errors import ValidationError
from actionplan.spreadsheets import export_file, import_file
from actionplan.store import Store

from .conftest import add_action, table_rows

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def four(plan: Store) -> Store:
    """Four on-track actions at 40%, created by the Improvement Officer."""
    for action_id in ("A1", "A2", "A3", "A4"):
        add_action(plan, action_id, "2025-12-31", "2024-04-01", status="on_track", progress=40)
    return plan


class Edit:
    """An exported workbook's Actions sheet, edited cell by cell as an officer would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.workbook = load_workbook(path)
        self.sheet = self.workbook["Actions"]
        self.columns = [cell.value for cell in self.sheet[1]]
        self.rows = {self.sheet.cell(r, 1).value: r for r in range(2, self.sheet.max_row + 1)}

    def set(self, action_id: str, column: str, value: Any) -> Edit:
        self.sheet.cell(self.rows[action_id], self.columns.index(column) + 1).value = value
        return self

    def add(self, **values: Any) -> Edit:
        self.sheet.append([values.get(column) for column in self.columns])
        return self

    def save(self) -> Path:
        self.workbook.save(self.path)
        return self.path


def _events(store: Store) -> list[tuple]:
    with store.read() as conn:
        return [
            tuple(row)
            for row in conn.exec_driver_sql(
                "SELECT action_id, version, kind, by FROM updates ORDER BY action_id, version"
            )
        ]


def _exported(store: Store, tmp_path: Path) -> Edit:
    return Edit(export_file(store, tmp_path / "plan.xlsx", today=TODAY))


def test_three_edits_and_a_new_row_are_exactly_four_events_by_the_importer(
    four: Store, tmp_path: Path
) -> None:
    edit = _exported(four, tmp_path)
    edit.set("A1", "progress", 60)
    edit.set("A2", "status", "At risk").set("A2", "note", "Two assessors on long-term leave")
    edit.set("A3", "due", dt.datetime(2026, 3, 31)).set("A3", "reason", "Budget agreed late")
    edit.add(id="A9", recommendation_id="R1", title="Audit the waiting list", owner="Head of Quality",
             due=dt.datetime(2025, 9, 30))  # fmt: skip
    before = _events(four)

    counts = import_file(four, edit.save(), by="Importing Officer", today=TODAY)

    added = sorted(set(_events(four)) - set(before))
    assert added == [
        ("A1", 2, "update", "Importing Officer"),
        ("A2", 2, "update", "Importing Officer"),
        ("A3", 2, "update", "Importing Officer"),
        ("A9", 1, "create", "Importing Officer"),
    ]
    assert counts["actions"] == 1 and counts["updates"] == 3
    assert four.history("A1")[-1]["changes"] == {"progress": {"old": 40, "new": 60}}
    a2 = four.history("A2")[-1]
    assert a2["changes"] == {"status": {"old": "on_track", "new": "at_risk"}}
    assert a2["note"] == "Two assessors on long-term leave" and a2["as_of"] == TODAY.isoformat()
    a3 = four.history("A3")[-1]
    assert a3["changes"]["due"] == {"old": "2025-12-31", "new": "2026-03-31"}
    assert a3["reason"] == "Budget agreed late"
    assert four.get_action("A4")["version"] == 1  # unchanged, untouched


def test_as_of_column_dates_the_update(four: Store, tmp_path: Path) -> None:
    edit = (
        _exported(four, tmp_path).set("A1", "status", "complete").set("A1", "as_of", "31/05/2025")
    )
    import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    event = four.history("A1")[-1]
    assert (event["as_of"], four.get_action("A1")["completed_on"]) == (
        "2025-05-31",
        dt.date(2025, 5, 31),
    )


def test_a_text_correction_is_an_update_too(four: Store, tmp_path: Path) -> None:
    edit = _exported(four, tmp_path).set("A4", "owner", "Head of Commissioning")
    import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    assert four.history("A4")[-1]["changes"] == {
        "owner": {"old": "Head of Assessment", "new": "Head of Commissioning"}
    }


def test_row_changed_by_someone_else_since_the_export_is_refused_by_name(
    four: Store, tmp_path: Path
) -> None:
    edit = _exported(four, tmp_path).set("A1", "progress", 60).set("A2", "progress", 70)
    four.record_update({"action_id": "A2", "by": "Safeguarding Lead", "progress": 50}, today=TODAY)
    before = table_rows(four)

    with pytest.raises(ValidationError) as caught:
        import_file(four, edit.save(), by="Importing Officer", today=TODAY)

    message = str(caught.value)
    assert "sheet Actions, row 3, column version: action A2 was changed by Safeguarding Lead" in (
        message
    )
    assert "the plan is at version 2, this row at 1" in message
    assert "A1" not in message  # its edit was fine, but nothing is stored
    assert table_rows(four) == before


def test_unchanged_row_of_an_action_changed_meanwhile_is_ignored(
    four: Store, tmp_path: Path
) -> None:
    edit = _exported(four, tmp_path).set("A1", "progress", 60)
    four.record_update({"action_id": "A2", "by": "Safeguarding Lead", "progress": 50}, today=TODAY)
    import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    assert four.get_action("A2")["progress"] == 50
    assert four.get_action("A1")["progress"] == 60


def test_the_same_edits_brought_back_twice_are_refused(four: Store, tmp_path: Path) -> None:
    path = _exported(four, tmp_path).set("A1", "progress", 60).save()
    import_file(four, path, by="Importing Officer", today=TODAY)
    with pytest.raises(ValidationError, match="action A1 was changed by Importing Officer"):
        import_file(four, path, by="Importing Officer", today=TODAY)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("owner", None, "column owner: is required"),
        ("recommendation_id", "R2", "column recommendation_id: is 'R2' but the plan has 'R1'"),
        ("version", 9, "column version: action A1 has no version 9 as this workbook shows it"),
        ("progress", 150, "column progress: '150' is not a whole percentage"),
        ("due", dt.datetime(2026, 1, 31), "column reason: is required when the due date changes"),
    ],
)
def test_edits_that_break_a_rule_are_named_and_store_nothing(
    four: Store, tmp_path: Path, column: str, value: Any, expected: str
) -> None:
    edit = _exported(four, tmp_path).set("A1", column, value)
    before = table_rows(four)
    with pytest.raises(ValidationError) as caught:
        import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    assert f"sheet Actions, row 2, {expected}" in str(caught.value)
    assert table_rows(four) == before


def test_history_sheet_is_the_record_and_is_not_edited(four: Store, tmp_path: Path) -> None:
    edit = _exported(four, tmp_path)
    history = edit.workbook["History"]
    columns = [cell.value for cell in history[1]]
    history.cell(2, columns.index("by") + 1).value = "Someone Else"
    with pytest.raises(ValidationError) as caught:
        import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    assert "sheet History, row 2: does not match version 1 of action A1 in the plan" in str(
        caught.value
    )


def test_other_records_come_back_unchanged_or_are_refused(four: Store, tmp_path: Path) -> None:
    edit = _exported(four, tmp_path)
    sources = edit.workbook["Sources"]
    sources.append(["S2", "audit", "Internal audit of charging"])
    path = edit.save()
    assert import_file(four, path, by="Importing Officer", today=TODAY)["sources"] == 1
    edit = _exported(four, tmp_path)
    edit.workbook["Sources"].cell(2, 3).value = "A new title"
    with pytest.raises(ValidationError) as caught:
        import_file(four, edit.save(), by="Importing Officer", today=TODAY)
    assert (
        "sheet Sources, row 2, column title: is 'A new title' but the plan's source S1 has "
        "'LGA Corporate Peer Challenge'"
    ) in str(caught.value)


def test_the_whole_round_trip_through_the_command_line(four: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "plan.xlsx"
    assert runner.invoke(cli, ["--db", four.url, "export", str(path)]).exit_code == 0
    edit = Edit(path).set("A1", "progress", 75).set("A1", "note", "Pilot finished")
    edit.add(id="A5", recommendation_id="R1", title="New action", owner="Head of Quality",
             due=dt.datetime(2027, 3, 31))  # fmt: skip
    edit.save()
    result = runner.invoke(cli, ["--db", four.url, "import", str(path), "--by", "Area Manager"])
    assert result.exit_code == 0, result.output
    assert "1 action, 1 update" in result.stdout
    assert four.history("A1")[-1]["by"] == "Area Manager"
    assert four.history("A5")[0]["by"] == "Area Manager"


def test_a_blank_cell_cannot_clear_a_field(plan: Store, tmp_path: Path) -> None:
    add_action(plan, "A1", "2025-12-31", "2024-04-01", team="Assessment")
    edit = _exported(plan, tmp_path).set("A1", "team", None)
    with pytest.raises(ValidationError, match="row 2, column team: is blank but the plan has"):
        import_file(plan, edit.save(), by="Importing Officer", today=TODAY)


def test_a_note_on_a_new_row_is_named_not_lost(four: Store, tmp_path: Path) -> None:
    edit = _exported(four, tmp_path)
    edit.add(id="A9", recommendation_id="R1", title="New", owner="Head of Quality",
             due=dt.datetime(2025, 9, 30), note="Agreed at the board")  # fmt: skip
    with pytest.raises(ValidationError, match="row 6, column note: is read only for an action"):
        import_file(four, edit.save(), by="Importing Officer", today=TODAY)
