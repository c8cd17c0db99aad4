"""Bringing in a council's own tracker: a mapping file, honest history, named problems.

The tracker is `data/examples/westbury-tracker.xlsx` (built by
`tests/tracker_example.py`): a merged title row and a "Last updated" row above
the header, `Ref, Recommendation, Action, Lead Officer, Target Date, RAG,
Progress Update, % Complete, Date Completed`, RAG words, a "TBC" date, Excel
dates beside UK and ISO text, and percentages typed three ways.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import ActionPlanError, ValidationError
from actionplan.spreadsheets.mapped import import_mapped
from actionplan.spreadsheets.mapping import MappingError, read_mapping
from actionplan.spreadsheets.suggest import suggest_mapping
from actionplan.store import Store
from actionplan.store.queries import summarise

from .conftest import ROOT, table_rows
from .tracker_example import build

TRACKER = ROOT / "data" / "examples" / "westbury-tracker.xlsx"
MAP = ROOT / "data" / "examples" / "westbury-tracker.map.toml"
TODAY = dt.date(2025, 6, 30)
IMPORTER = "Improvement Officer"

#: Each action as the tracker gives it: (recommendation, owner, due, status, progress, completed).
EXPECTED_ACTIONS = {
    "CPC24-1.1": ("CPC24-R01", "Head of Assessment", "2024-09-30", "complete", 100, "2024-09-20"),
    "CPC24-1.2": ("CPC24-R01", "Head of Assessment", "2024-12-31", "complete", 100, "2025-01-15"),
    "CPC24-1.3": ("CPC24-R01", "Head of Customer Services", "2025-06-30", "on_track", 60, None),
    "CPC24-2.1": ("CPC24-R02", "Financial Assessments Manager", "2025-03-31", "at_risk", 40, None),
    "CPC24-2.2": ("CPC24-R02", "Head of Adult Social Care", "2025-09-30", "off_track", 10, None),
    "CPC24-3.1": ("CPC24-R03", "Head of Quality", "2025-01-31", "on_track", 25, None),
}


def _map(tmp_path: Path, **replace: str) -> Path:
    """The example mapping with some lines replaced."""
    text = MAP.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "edited.map.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def imported(store: Store) -> Store:
    counts = import_mapped(store, TRACKER, MAP, by=IMPORTER, today=TODAY)
    assert counts == {"sources": 1, "recommendations": 3, "actions": 6, "updates": 6}
    return store


def test_committed_example_is_the_one_the_generator_builds(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    def cells(path: Path) -> list[tuple]:
        sheet = load_workbook(path)["Action Plan"]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]

    assert cells(build(tmp_path / "built.xlsx")) == cells(TRACKER)


def test_tracker_imports_every_record_through_its_mapping(imported: Store) -> None:
    source = imported.table("sources").iloc[0]
    assert (source["id"], source["kind"], source["title"]) == (
        "LGA-CPC-2024",
        "peer_review",
        "LGA Corporate Peer Challenge: adult social care",
    )
    recommendations = imported.table("recommendations").set_index("id")["text"].to_dict()
    assert recommendations == {
        "CPC24-R01": "Reduce waiting times for Care Act assessments",
        "CPC24-R02": "Make information about charging clear before care begins",
        "CPC24-R03": "Strengthen learning from complaints",
    }
    actions = imported.current_actions().set_index("id")
    found = {
        action_id: (
            row["recommendation_id"],
            row["owner"],
            row["due"].date().isoformat(),
            row["status"],
            row["progress"],
            None if row["completed_on"] is None or str(row["completed_on"]) == "NaT"
            else row["completed_on"].date().isoformat(),
        )
        for action_id, row in actions.iterrows()
    }  # fmt: skip
    assert found == EXPECTED_ACTIONS
    assert set(actions["created_on"].dt.date) == {dt.date(2024, 4, 1)}
    assert set(actions["team"]) == {"Adult Social Care"}
    assert actions.loc["CPC24-1.3", "title"] == (
        "Publish assessment waiting times on the council website"
    )


def test_a_completed_action_is_created_then_completed_on_its_own_date(imported: Store) -> None:
    events = imported.history("CPC24-1.2")
    assert [(e["kind"], e["as_of"], e["by"]) for e in events] == [
        ("create", "2024-04-01", IMPORTER),
        ("update", "2025-01-15", IMPORTER),
        ("update", "2025-03-31", IMPORTER),
    ]
    assert events[0]["changes"]["status"]["new"] == "not_started"
    assert events[1]["changes"]["status"] == {"old": "not_started", "new": "complete"}
    assert events[1]["changes"]["completed_on"]["new"] == "2025-01-15"
    assert events[2]["note"] == "Weekly triage meeting running since January."


def test_tracker_state_is_an_update_at_its_last_updated_date(imported: Store) -> None:
    events = imported.history("CPC24-2.2")
    assert events[0]["changes"]["due"]["new"] == "2025-09-30"  # "TBC", as the map says
    assert events[-1]["as_of"] == "2025-03-31"
    assert events[-1]["changes"] == {
        "progress": {"old": 0, "new": 10},
        "status": {"old": "not_started", "new": "off_track"},
    }
    assert events[-1]["note"] == "No trainer identified yet."


def test_the_quarters_the_tracker_covers_show_what_it_says(imported: Store) -> None:
    on_time = summarise(imported, "2024-25-Q2", today=TODAY)["actions"]
    assert (on_time["total"], on_time["completed_in_quarter"]) == (6, 1)
    assert on_time["completed_on_time_in_quarter"] == 1 and on_time["on_time_rate"] == 1.0
    assert on_time["by_rag"] == {
        "red": 0, "amber": 0, "green": 0, "not_started": 5, "complete": 1, "verified": 0,
    }  # fmt: skip
    quiet = summarise(imported, "2024-25-Q3", today=TODAY)["actions"]
    assert quiet["completed_in_quarter"] == 0 and quiet["on_time_rate"] is None
    late = summarise(imported, "2024-25-Q4", today=TODAY)["actions"]
    assert (late["completed_in_quarter"], late["completed_on_time_in_quarter"]) == (1, 0)
    assert late["on_time_rate"] == 0.0
    assert late["by_rag"] == {
        "red": 2,
        "amber": 1,
        "green": 1,
        "not_started": 0,
        "complete": 2,
        "verified": 0,
    }
    assert late["overdue"] == 1 and late["mean_progress"] == 55.8
    first = summarise(imported, "2024-25-Q1", today=TODAY)["actions"]
    assert first["new"] == 6 and first["completed_in_quarter"] == 0


def test_every_problem_is_named_by_the_trackers_sheet_row_and_heading(
    store: Store, tmp_path: Path
) -> None:
    mapping = _map(
        tmp_path,
        **{'"TBC" = 2025-09-30': "", '"Amber" = "at_risk"': "", 'team = "Adult': '# team = "'},
    )
    before = table_rows(store)
    with pytest.raises(ValidationError) as caught:
        import_mapped(store, TRACKER, mapping, by=IMPORTER, today=TODAY)
    message = str(caught.value)
    assert "sheet Action Plan, row 9, column Target Date: 'TBC' is not a date" in message
    assert "sheet Action Plan, row 8, column RAG: 'Amber' is not a status" in message
    assert table_rows(store) == before


def test_a_complete_row_without_a_completion_date_is_refused(store: Store, tmp_path: Path) -> None:
    mapping = _map(tmp_path, **{'"Date Completed" = "completed_on"': '"Date Completed" = "ignore"'})
    with pytest.raises(ValidationError) as caught:
        import_mapped(store, TRACKER, mapping, by=IMPORTER, today=TODAY)
    assert (
        "sheet Action Plan, row 5, column RAG: 'Blue' means complete, but the row has no "
        "completion date"
    ) in str(caught.value)
    assert store.table("actions").empty


def test_without_created_on_the_completion_dates_are_refused_not_moved(
    store: Store, tmp_path: Path
) -> None:
    mapping = _map(tmp_path, **{"created_on = 2024-04-01": "# no creation date"})
    with pytest.raises(ValidationError) as caught:
        import_mapped(store, TRACKER, mapping, by=IMPORTER, today=TODAY)
    assert (
        "sheet Action Plan, row 5, column Date Completed: 2024-09-20 is before the action was "
        "created (2025-06-30); give created_on"
    ) in str(caught.value)


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        pytest.param(
            {'"Date Completed" = "completed_on"': ""},
            "sheet Action Plan, row 4, column Date Completed: is not in edited.map.toml; map it",
            id="unmapped-heading",
        ),
        pytest.param(
            {"header_row = 4": "header_row = 2"},
            "sheet Action Plan: row 2 does not hold the headings of [columns]",
            id="wrong-header-row",
        ),
        pytest.param(
            {'"Action" = "title"': '"Action" = "titel"'},
            "edited.map.toml: [columns] 'Action' = 'titel' is not something a column can hold",
            id="unknown-field",
        ),
        pytest.param(
            {"[defaults]": "[defaults"},
            "edited.map.toml: not a readable TOML file",
            id="not-toml",
        ),
        pytest.param(
            {'kind = "peer_review"': 'kind = "gossip"'},
            "edited.map.toml [source], column kind: 'gossip' is not a kind",
            id="bad-source",
        ),
    ],
)
def test_mapping_mistakes_are_one_line_and_store_nothing(
    store: Store, tmp_path: Path, replace: dict[str, str], expected: str
) -> None:
    mapping = _map(tmp_path, **replace)
    before = table_rows(store)
    result = CliRunner().invoke(
        cli, ["--db", store.url, "import", str(TRACKER), "--map", str(mapping), "--by", "Me"]
    )
    assert result.exit_code == 1
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert table_rows(store) == before


def test_header_is_found_without_header_row(store: Store, tmp_path: Path) -> None:
    mapping = _map(tmp_path, **{"header_row = 4": ""})
    assert import_mapped(store, TRACKER, mapping, by=IMPORTER, today=TODAY)["actions"] == 6


def test_a_csv_tracker_imports_the_same(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(TRACKER)["Action Plan"]
    lines = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append("")
            elif isinstance(value, dt.datetime):
                cells.append(value.strftime("%d/%m/%Y"))
            elif "%" in cell.number_format:
                cells.append(f"{round(value * 100)}%")  # as Excel's "CSV UTF-8" writes it
            else:
                cells.append(str(value))
        lines.append(",".join(f'"{cell}"' for cell in cells))
    csv_path = tmp_path / "tracker.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_mapped(store, csv_path, MAP, by=IMPORTER, today=TODAY)["actions"] == 6
    assert store.get_action("CPC24-1.3")["progress"] == 60


def test_sheet_option_picks_the_tracker_among_several(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(TRACKER)
    workbook.create_sheet("Notes")["A1"] = "How to fill in the tracker"
    path = tmp_path / "with-notes.xlsx"
    workbook.save(path)
    mapping = _map(tmp_path, **{'sheet = "Action Plan"': ""})
    # The only sheet holding the mapped headings is the tracker.
    assert import_mapped(store, path, mapping, by=IMPORTER, today=TODAY)["actions"] == 6
    workbook.copy_worksheet(workbook["Action Plan"]).title = "Last year"
    workbook.save(path)
    with pytest.raises(ActionPlanError, match=r"which sheet is the tracker \(Action Plan, Notes"):
        import_mapped(store, path, mapping, by=IMPORTER, today=TODAY)
    with pytest.raises(ValidationError, match="sheet Last year, row 5, column Ref: 'CPC24-1.1'"):
        import_mapped(store, path, mapping, "last year", IMPORTER, TODAY)


def test_suggest_map_recognises_the_trackers_columns() -> None:
    text, fields = suggest_mapping(TRACKER)
    assert fields == {
        "Ref": "id",
        "Recommendation": "recommendation",
        "Action": "title",
        "Lead Officer": "owner",
        "Target Date": "due",
        "RAG": "status",
        "Progress Update": "note",
        "% Complete": "progress",
        "Date Completed": "completed_on",
    }
    data = tomllib.loads(text)
    assert (data["sheet"], data["header_row"], data["as_of"]) == (
        "Action Plan",
        4,
        dt.date(2025, 3, 31),
    )
    assert data["values"]["RAG"] == {
        "Blue": "complete", "Green": "on_track", "Amber": "at_risk", "Red": "off_track",
    }  # fmt: skip
    assert '# "TBC" = 2025-03-31  # CHECK: not a date' in text
    assert data["source"]["title"] == "Westbury Council: Adult Social Care Improvement Plan"


def test_suggested_map_edited_where_it_says_check_imports(store: Store, tmp_path: Path) -> None:
    tracker = tmp_path / "westbury-tracker.xlsx"
    tracker.write_bytes(TRACKER.read_bytes())
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", store.url, "import", str(tracker), "--suggest-map"])
    assert made.exit_code == 0, made.output
    suggestion = tmp_path / "westbury-tracker.map.toml"
    assert f"Wrote {suggestion}" in made.stdout
    again = runner.invoke(cli, ["--db", store.url, "import", str(tracker), "--suggest-map"])
    assert again.exit_code == 1 and "exists already" in again.stderr
    read_mapping(suggestion)  # the suggestion is a valid mapping as written
    text = suggestion.read_text(encoding="utf-8")
    text = text.replace('# "TBC" = 2025-03-31', '"TBC" = 2025-03-31')
    text = text.replace("# created_on = 2024-04-01", "created_on = 2024-04-01")
    suggestion.write_text(text, encoding="utf-8")
    result = runner.invoke(
        cli, ["--db", store.url, "import", str(tracker), "--map", str(suggestion), "--by", "Me"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ("Imported 1 source, 3 recommendations, 6 actions, 6 updates")
    assert store.get_action("1.2")["completed_on"] == dt.date(2025, 1, 15)


def test_kind_and_map_together_are_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "x.db"), "import", str(TRACKER), "--map", str(MAP), "--kind", "actions"],
    )  # fmt: skip
    assert result.exit_code == 2


def test_a_mapping_names_each_setting_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('shet = "Action Plan"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="'shet' is not a setting of a mapping"):
        read_mapping(path)
