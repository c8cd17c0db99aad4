"""Exporting the plan to Excel and CSV, and bringing an export back."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from actionplan import history
from actionplan.cli import cli
from actionplan.errors import ValidationError
from actionplan.spreadsheets import export_file, import_file
from actionplan.spreadsheets.files import neutralise, unneutralise
from actionplan.store import Store

TODAY = dt.date(2025, 6, 30)
INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture
def tricky(plan: Store) -> Store:
    """A plan whose free text would run as formulas if written naively."""
    plan.add_action(
        {
            "id": "A1",
            "recommendation_id": "R1",
            "title": INJECTION,
            "owner": "+44 team lead",
            "due": "2025-03-31",
            "created_on": "2024-04-01",
            "description": "@mention the board",
        },
        by="Improvement Officer",
        today=TODAY,
    )
    plan.record_update(
        {"action_id": "A1", "by": "Officer", "as_of": "2024-06-30", "note": "-2 weeks behind"},
        today=TODAY,
    )
    plan.record_update(
        {"action_id": "A1", "by": "Officer", "as_of": "2024-09-30", "status": "complete"},
        today=TODAY,
    )
    return plan


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+44", "-", "@SUM(A1)", "\tx", "'=already", "''=twice", "'plain", "plain", "a=b", ""],
)
def test_neutralising_is_undone_exactly(text: str) -> None:
    written = neutralise(text)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralise(written) == text


def test_formula_text_comes_out_of_the_workbook_as_text(tricky: Store, tmp_path: Path) -> None:
    path = export_file(tricky, tmp_path / "plan.xlsx", today=TODAY)

    workbook = load_workbook(path)
    actions = workbook["Actions"]
    header = [cell.value for cell in actions[1]]
    title = actions.cell(row=2, column=header.index("title") + 1)
    assert title.data_type != "f"
    assert title.value == "'" + INJECTION
    owner = actions.cell(row=2, column=header.index("owner") + 1)
    assert (owner.data_type, owner.value) == ("s", "'+44 team lead")
    history = workbook["History"]
    note_at = [cell.value for cell in history[1]].index("note")
    notes = [row[note_at].value for row in history.iter_rows(min_row=2)]
    assert "'-2 weeks behind" in notes
    assert all(
        cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )

    fresh = Store(tmp_path / "fresh.db")
    fresh.initialise()
    import_file(fresh, path, today=TODAY)
    assert fresh.get_action("A1")["title"] == INJECTION
    assert fresh.get_action("A1")["owner"] == "+44 team lead"
    assert fresh.history("A1")[1]["note"] == "-2 weeks behind"
    fresh.close()


def test_csv_export_lists_actions_as_they_stand_with_rag(tricky: Store, tmp_path: Path) -> None:
    path = export_file(tricky, tmp_path / "actions.csv", today=TODAY)

    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert rows[0]["title"] == "'" + INJECTION
    assert (rows[0]["status"], rows[0]["rag"], rows[0]["progress"]) == (
        "complete",
        "complete",
        "100",
    )
    assert (rows[0]["due"], rows[0]["completed_on"]) == ("2025-03-31", "2024-09-30")


def test_exported_csv_names_its_worked_out_columns_when_imported(
    tricky: Store, tmp_path: Path
) -> None:
    path = export_file(tricky, tmp_path / "actions.csv", today=TODAY)
    fresh = Store(tmp_path / "fresh.db")
    fresh.initialise()
    with pytest.raises(ValidationError) as caught:
        import_file(fresh, path, by="Officer", today=TODAY)
    assert "row 1, column rag: is worked out by actionplan" in str(caught.value)
    fresh.close()


def test_workbook_layout(tricky: Store, tmp_path: Path) -> None:
    workbook = load_workbook(export_file(tricky, tmp_path / "plan.xlsx", today=TODAY))

    assert workbook.sheetnames == [
        "Sources",
        "Recommendations",
        "Actions",
        "History",
        "Complaints",
        "Compliments",
        "Evidence",
        "CQC scores",
    ]
    actions = workbook["Actions"]
    assert all(sheet.freeze_panes == "A2" for sheet in workbook)
    header = [cell.value for cell in actions[1]]
    assert "rag" in header and "baseline_due" in header
    due = actions.cell(row=2, column=header.index("due") + 1)
    assert due.is_date and due.value == dt.datetime(2025, 3, 31)
    assert actions.cell(row=2, column=header.index("rag") + 1).value == "complete"
    assert actions.column_dimensions["C"].width >= len(INJECTION)
    history_sheet = workbook["History"]
    kinds = [row[2].value for row in history_sheet.iter_rows(min_row=2)]
    assert kinds == ["create", "update", "update"]


def test_history_sheet_keeps_each_recording_time_to_the_microsecond(
    tricky: Store, tmp_path: Path
) -> None:
    """On either backend: Excel would round a typed time to the millisecond."""
    stored = [
        pd.Timestamp(value).to_pydatetime()
        for value in tricky.table("updates").sort_values(["action_id", "version"])["recorded_at"]
    ]
    history_sheet = load_workbook(export_file(tricky, tmp_path / "plan.xlsx", today=TODAY))[
        "History"
    ]
    header = [cell.value for cell in history_sheet[1]]
    column = header.index("recorded_at")
    written = [row[column].value for row in history_sheet.iter_rows(min_row=2)]

    assert all(isinstance(text, str) for text in written)
    assert [dt.datetime.fromisoformat(text) for text in written] == stored
    assert any(moment.microsecond % 1000 for moment in stored), "times finer than Excel keeps"


def test_failed_export_leaves_the_old_file(
    tricky: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the good export")

    real_save = Workbook.save

    def broken_save(self, filename):
        real_save(self, filename)
        raise OSError("disk full")

    monkeypatch.setattr("openpyxl.Workbook.save", broken_save)
    with pytest.raises(OSError):
        export_file(tricky, target, today=TODAY)
    assert target.read_bytes() == b"the good export"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_edited_actions_sheet_must_agree_with_its_history(tricky: Store, tmp_path: Path) -> None:
    path = export_file(tricky, tmp_path / "plan.xlsx", today=TODAY)
    workbook = load_workbook(path)
    actions = workbook["Actions"]
    header = [cell.value for cell in actions[1]]
    actions.cell(row=2, column=header.index("status") + 1).value = "on_track"
    workbook.save(path)
    fresh = Store(tmp_path / "fresh.db")
    fresh.initialise()
    with pytest.raises(ValidationError) as caught:
        import_file(fresh, path, today=TODAY)
    assert "sheet Actions, row 2, column status: is 'on_track' but the History sheet" in str(
        caught.value
    )
    fresh.close()


def _summaries(runner: CliRunner, db: str, quarters: list[str]) -> list[dict]:
    found = []
    for quarter in quarters:
        result = runner.invoke(cli, ["--db", db, "summary", "--quarter", quarter, "--json"])
        assert result.exit_code == 0, result.output
        found.append(json.loads(result.stdout))
    return found


def test_demo_plan_round_trips_through_a_workbook(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    exported = tmp_path / "demo.xlsx"
    copy = tmp_path / "copy.db"
    assert runner.invoke(cli, ["--db", str(demo_db), "export", str(exported)]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(copy), "init"]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(copy), "import", str(exported), "--by", "Someone"])
    assert result.exit_code == 0, result.output

    original, rebuilt = Store(demo_db), Store(copy)
    quarters = [quarter.label for quarter in original.data_quarters()]
    assert len(quarters) >= 6
    assert _summaries(runner, str(copy), quarters) == _summaries(runner, str(demo_db), quarters)

    def comparable(frame):
        return frame.drop(columns=["last_updated"]).sort_values("id").reset_index(drop=True)

    assert comparable(rebuilt.current_actions()).equals(comparable(original.current_actions()))
    original_events, rebuilt_events = original.events(), rebuilt.events()
    for quarter in original.data_quarters():
        assert comparable(history.state_at(rebuilt_events, quarter.end)).equals(
            comparable(history.state_at(original_events, quarter.end))
        ), quarter.label
    for table in ("sources", "recommendations", "compliments"):
        assert (
            rebuilt.table(table)
            .sort_values("id")
            .reset_index(drop=True)
            .equals(original.table(table).sort_values("id").reset_index(drop=True))
        ), table
    assert (
        rebuilt.complaints()
        .sort_values("id")
        .reset_index(drop=True)
        .equals(original.complaints().sort_values("id").reset_index(drop=True))
    )
    original.close()
    rebuilt.close()


def test_control_characters_excel_cannot_hold_do_not_stop_an_export(
    tricky: Store, tmp_path: Path
) -> None:
    tricky.record_update(
        {"action_id": "A1", "by": "Officer", "as_of": "2024-10-01", "note": "line\x0bbreak"},
        today=TODAY,
    )
    workbook = load_workbook(export_file(tricky, tmp_path / "plan.xlsx", today=TODAY))
    history = workbook["History"]
    note_at = [cell.value for cell in history[1]].index("note")
    notes = [row[note_at].value for row in history.iter_rows(min_row=2)]
    assert "line break" in notes


def test_export_is_an_ordinary_readable_file(tricky: Store, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = export_file(tricky, tmp_path / "plan.xlsx", today=TODAY)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644
