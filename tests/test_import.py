"""Importing a council's spreadsheets: what is accepted, what is refused, and how."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from actionplan import history
from actionplan.cli import cli
from actionplan.errors import ActionPlanError, ValidationError
from actionplan.records import RECORDS, as_plain, clean_record, field_names
from actionplan.rules import changes_json
from actionplan.spreadsheets import import_file
from actionplan.spreadsheets.files import unneutralise
from actionplan.spreadsheets.rows import FieldCleaner
from actionplan.store import Store

from .conftest import table_rows

TODAY = dt.date(2025, 6, 30)


def snapshot(store: Store) -> tuple[dict[str, list[tuple]], bytes | None]:
    """Every row of every table, and (SQLite) the database file's bytes."""
    rows = table_rows(store)
    store.close()  # checkpoint the WAL so the file holds everything
    data = store.path.read_bytes() if store.path is not None else None
    return rows, data


def write_csv(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def populated(plan: Store) -> Store:
    """S1, R1 and action A1 (created 1 April 2024, due 31 March 2025)."""
    plan.add_action(
        {
            "id": "A1",
            "recommendation_id": "R1",
            "title": "Publish waiting times",
            "owner": "Head of Assessment",
            "due": "2025-03-31",
            "created_on": "2024-04-01",
        },
        by="Improvement Officer",
        today=TODAY,
    )
    return plan


def test_messy_spreadsheet_is_read_as_a_person_means_it(plan: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    actions = workbook.active
    actions.title = "Actions"
    actions.append([" ID", "Recommendation ID", "Title ", "owner", "Due", "Status", "Progress",
                    "Created On", "Team"])  # fmt: skip
    actions.append(["A1", "R1", "  Publish waiting times  ", " Head of Assessment ",
                    dt.datetime(2025, 3, 31), "On Track", "45%", dt.datetime(2024, 4, 1),
                    "Assessment"])  # fmt: skip
    actions.append(["A2", "R1", "Train reviewers", "Principal Social Worker", "31/12/2024",
                    "on-track", 0.6, "01/05/2024", None])  # fmt: skip
    actions["G3"].number_format = "0%"
    actions.append(["A3", "R1", "Close old cases", "Team Manager", "2024-09-30", "Complete",
                    None, "2024-04-15", ""])  # fmt: skip
    actions.append([None] * 9)
    actions.append(["", "  ", None])
    actions.append([])
    updates = workbook.create_sheet("Updates")
    updates.append(["action_id", "by", "as_of", "progress", "status", "due", "reason", "note"])
    updates.append(["A1", "Improvement Officer", dt.datetime(2024, 6, 30), "60 %", "At Risk",
                    None, None, " Waiting for data "])  # fmt: skip
    updates.append(["A2", "Improvement Officer", "30/09/2024", None, "COMPLETED", None, None, None])
    updates.append([None, None])
    path = tmp_path / "messy.xlsx"
    workbook.save(path)

    counts = import_file(plan, path, by="Officer", today=TODAY)

    assert counts == {"actions": 3, "updates": 2}
    first = plan.get_action("A1")
    assert (first["title"], first["owner"], first["team"]) == (
        "Publish waiting times",
        "Head of Assessment",
        "Assessment",
    )
    assert (first["due"], first["created_on"]) == (dt.date(2025, 3, 31), dt.date(2024, 4, 1))
    assert (first["status"], first["progress"]) == ("at_risk", 60)
    assert plan.history("A1")[0]["changes"]["progress"]["new"] == 45
    assert plan.history("A1")[1]["note"] == "Waiting for data"
    second = plan.get_action("A2")
    assert (second["due"], second["created_on"]) == (dt.date(2024, 12, 31), dt.date(2024, 5, 1))
    assert plan.history("A2")[0]["changes"]["progress"]["new"] == 60
    assert (second["status"], second["progress"], second["completed_on"]) == (
        "complete",
        100,
        dt.date(2024, 9, 30),
    )
    third = plan.get_action("A3")
    assert (third["status"], third["progress"], third["team"]) == ("complete", 100, None)
    assert plan.history("A1")[0]["by"] == "Officer"


def _actions(*rows: str, header: str = "id,recommendation_id,title,owner,due,created_on") -> str:
    return "\n".join([header, *rows]) + "\n"


GOOD = "A2,R1,Train reviewers,Principal Social Worker,2024-12-31,2024-05-01"

REFUSALS = [
    pytest.param(
        "actions.csv",
        _actions(GOOD, header="id,recommendation_id,title,owner,due,created_on,colour").replace(
            "2024-05-01\n", "2024-05-01,red\n", 1
        ),
        ["row 1, column colour: is not a field of an action"],
        id="unknown-column",
    ),
    pytest.param(
        "actions.csv",
        "id,recommendation_id,title,due\nA2,R1,Train reviewers,2024-12-31\n",
        ["row 1, column owner: is required but the header has no such column"],
        id="missing-required-column",
    ),
    pytest.param(
        "actions.csv",
        _actions(GOOD, GOOD.replace("Train", "Retrain")),
        ["row 3, column id: 'A2' already exists in this file"],
        id="duplicate-id-in-file",
    ),
    pytest.param(
        "actions.csv",
        _actions(GOOD.replace("A2", "A1")),
        ["row 2, column id: 'A1' already exists in the database"],
        id="duplicate-id-in-database",
    ),
    pytest.param(
        "actions.csv",
        _actions(GOOD.replace("R1", "R9")),
        ["row 2, column recommendation_id: there is no recommendation 'R9'"],
        id="reference-to-nothing",
    ),
    pytest.param(
        "actions.csv",
        _actions(
            GOOD + ",Done-ish", header="id,recommendation_id,title,owner,due,created_on,status"
        ),
        ["row 2, column status: 'Done-ish' is not a status"],
        id="unknown-status",
    ),
    pytest.param(
        "actions.csv",
        _actions(GOOD.replace("2024-12-31", "12/31/2024")),
        ["row 2, column due: '12/31/2024' is not a real date"],
        id="us-date",
    ),
    pytest.param(
        "actions.csv",
        _actions(GOOD + ",120", header="id,recommendation_id,title,owner,due,created_on,progress"),
        ["row 2, column progress: '120' is not a whole percentage from 0 to 100"],
        id="progress-over-100",
    ),
    pytest.param(
        "actions.csv",
        _actions(
            GOOD,
            GOOD.replace("A2", "A3").replace("2024-12-31", "31/02/2025"),
            *[GOOD.replace("A2", f"A{n}") for n in range(4, 7)],
            GOOD.replace("A2", "A7") + ",Nearly",
            header="id,recommendation_id,title,owner,due,created_on,status",
        ),
        [
            "row 3, column due: '31/02/2025' is not a real date",
            "row 7, column status: 'Nearly' is not a status",
        ],
        id="every-problem-listed",
    ),
    pytest.param(
        "updates.csv",
        "action_id,by,as_of,due\nA1,Officer,2024-06-30,2025-06-30\n",
        ["row 2, column reason: is required when the due date changes"],
        id="update-breaks-history-rule",
    ),
    pytest.param(
        "updates.csv",
        "action_id,by,as_of,progress\nA9,Officer,2024-06-30,50\n",
        ["row 2, column action_id: there is no action 'A9'"],
        id="update-of-missing-action",
    ),
    pytest.param(
        "updates.csv",
        "action_id,by,as_of,progress\nA1,Officer,2024-03-01,50\n",
        ["row 2, column as_of: 2024-03-01 is before the action was created (2024-04-01)"],
        id="update-before-creation",
    ),
    pytest.param(
        "complaints.csv",
        "id,stage,received_on,escalated_from\nC2,stage2,2024-05-01,C1\nC1,stage1,2024-04-01,\n",
        ["row 2, column escalated_from: there is no complaint 'C1'"],
        id="escalation-from-a-later-row",
    ),
    pytest.param(
        "complaints.csv",
        "id,stage,received_on,action_ids\nC1,stage1,2024-05-01,A1;A8\n",
        ["row 2, column action_ids: there is no action 'A8'"],
        id="complaint-names-missing-action",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), REFUSALS)
def test_bad_file_is_refused_whole_naming_row_and_column(
    populated: Store, tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    path = write_csv(tmp_path, name, text)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as caught:
        import_file(populated, path, by="Officer", today=TODAY)
    for message in expected:
        assert message in str(caught.value)
    assert snapshot(populated) == before


def _xlsx_bytes(tmp_path: Path) -> bytes:
    workbook = Workbook()
    workbook.active.append(["id", "kind", "title"])
    workbook.active.append(["S2", "audit", "Internal audit"])
    workbook.save(tmp_path / "good.xlsx")
    return (tmp_path / "good.xlsx").read_bytes()


UNREADABLE = [
    pytest.param(
        "actions.csv",
        lambda _: _actions(GOOD, GOOD.replace("Train", "Trïin")).encode("latin-1"),
        "row 3 is not UTF-8 text",
        id="not-utf8",
    ),
    pytest.param(
        "actions.csv", lambda _: _actions(GOOD).encode() + b"\x00\x01", "NUL byte", id="nul-byte"
    ),
    pytest.param(
        "sources.xlsx",
        lambda tmp: _xlsx_bytes(tmp)[:700],
        "not a readable .xlsx workbook",
        id="truncated-xlsx",
    ),
    pytest.param("actions.csv", lambda _: b"", "the file is empty", id="empty-file"),
    pytest.param("actions.csv", lambda _: b"\xef\xbb\xbf\r\n\r\n", "empty", id="blank-file"),
    pytest.param("actions.csv", None, "no such file", id="missing-file"),
    pytest.param("elsewhere.csv", None, "no such file", id="missing-file-of-unknown-kind"),
    pytest.param("notes.csv", lambda _: _actions(GOOD).encode(), "--kind", id="kind-unknown"),
    pytest.param("actions.xls", lambda _: b"\xd0\xcf\x11\xe0", "save it as .xlsx", id="old-xls"),
]


@pytest.mark.parametrize(("name", "content", "expected"), UNREADABLE)
def test_unreadable_file_is_refused_in_one_line(
    populated: Store, tmp_path: Path, name: str, content, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content(tmp_path))
    before = snapshot(populated)
    with pytest.raises(ActionPlanError) as caught:
        import_file(populated, path, by="Officer", today=TODAY)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
    assert snapshot(populated) == before


def test_cli_prints_every_problem_on_one_line_and_exits_1(populated: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "plan actions.csv",
        _actions(
            GOOD,
            GOOD.replace("A2", "A3").replace("2024-12-31", "12/31/2024"),
            GOOD.replace("A2", "A4") + ",Sort of",
            header="id,recommendation_id,title,owner,due,created_on,status",
        ),
    )
    result = CliRunner().invoke(cli, ["--db", populated.url, "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: row 3, column due: '12/31/2024'")
    assert "; row 4, column status: 'Sort of' is not a status" in lines[0]


def test_row_with_a_bad_cell_still_has_its_missing_parent_named(
    populated: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        "updates.csv",
        "action_id,by,as_of,progress\nNO-SUCH-ACTION,Officer,12/31/2024,150\n",
    )
    before = snapshot(populated)
    with pytest.raises(ValidationError) as caught:
        import_file(populated, path, kind="updates", by="Officer", today=TODAY)
    message = str(caught.value)
    assert "row 2, column as_of: '12/31/2024' is not a real date" in message
    assert "row 2, column progress: '150'" in message
    assert "row 2, column action_id: there is no action 'NO-SUCH-ACTION'" in message
    assert snapshot(populated) == before


def test_reimporting_the_same_files_is_refused_and_never_doubles(
    populated: Store, tmp_path: Path
) -> None:
    actions = write_csv(tmp_path, "actions.csv", _actions(GOOD))
    updates = write_csv(
        tmp_path,
        "updates.csv",
        "action_id,by,as_of,progress,note\nA2,Officer,2024-06-30,,Kick-off held\n"
        "A2,Officer,2024-07-31,20,\n",
    )
    assert import_file(populated, actions, by="Officer", today=TODAY) == {"actions": 1}
    assert import_file(populated, updates, today=TODAY) == {"updates": 2}
    before = snapshot(populated)
    with pytest.raises(ValidationError, match="row 2, column id: 'A2' already exists"):
        import_file(populated, actions, by="Officer", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        import_file(populated, updates, today=TODAY)
    assert "row 2, column note: repeats version 2 of action A2" in str(caught.value)
    assert "row 3: changes nothing" in str(caught.value)
    assert snapshot(populated) == before


def test_kind_comes_from_the_file_name_or_the_option(populated: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "westbury-sources-2024.csv", "id,kind,title\nS2,Audit,Audit\n")
    assert import_file(populated, path, today=TODAY) == {"sources": 1}
    other = write_csv(tmp_path, "list.csv", "id,kind,title\nS3,CQC assessment,CQC\n")
    assert import_file(populated, other, kind="Sources", today=TODAY) == {"sources": 1}
    assert populated.table("sources").set_index("id").loc["S3", "kind"] == "cqc_assessment"


def test_ids_defined_earlier_in_the_same_workbook_count(plan: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Complaints"
    workbook.active.append(["id", "stage", "received_on", "escalated_from", "action_ids"])
    workbook.active.append(["C1", "Stage 1", "2024-05-01", None, "A5"])
    workbook.active.append(["C2", "Stage 2", "2024-06-01", "C1", "A5; A5"])
    recommendations = workbook.create_sheet("Recommendations")
    recommendations.append(["id", "source_id", "text"])
    recommendations.append(["R2", "S1", "Learn from complaints"])
    actions = workbook.create_sheet("Actions")
    actions.append(["id", "recommendation_id", "title", "owner", "due", "created_on"])
    actions.append(["A5", "R2", "Review letters", "Complaints Manager", "2024-12-31", "2024-05-01"])
    workbook.save(tmp_path / "plan.xlsx")

    counts = import_file(plan, tmp_path / "plan.xlsx", by="Officer", today=TODAY)

    assert counts == {"recommendations": 1, "actions": 1, "complaints": 2}
    complaints = plan.complaints().set_index("id")
    assert complaints.loc["C2", "escalated_from"] == "C1"
    assert complaints.loc["C2", "action_ids"] == "A5"


UPDATE_ROWS = [
    # action, by, as_of, progress, status, due, reason, note, completed_on
    ("A1", "Officer", "2024-05-31", "20", "on_track", "", "", "", ""),
    ("A2", "Manager", "2024-06-15", "", "at risk", "2025-06-30", "Supplier late", "", ""),
    ("A1", "Officer", "2024-08-31", "", "complete", "", "", "", "2024-08-20"),
    ("A1", "Officer", "2024-07-31", "70", "", "", "", "recorded late", ""),
    ("A2", "Manager", "2024-06-15", "", "", "", "", "same day and later", ""),
    ("A1", "Officer", "2024-10-15", "80", "on track", "", "", "Reopened after audit", ""),
    ("A2", "Manager", "2024-05-20", "35", "", "", "", "", ""),
    ("A1", "Officer", "2024-12-01", "", "Complete", "", "", "", ""),
    ("A3", "Officer", "2024-06-01", "", "", "", "", "note only", ""),
    ("A2", "Manager", "2025-01-31", "", "off-track", "2025-09-30", "Funding", "", ""),
]


def test_bulk_updates_give_the_same_result_as_one_by_one(plan: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "one-by-one.db")
    other.initialise()
    other.add_source({"id": "S1", "kind": "peer_review", "title": "Peer challenge"})
    other.add_recommendation({"id": "R1", "source_id": "S1", "text": "Reduce waits"})
    for target in (plan, other):
        for number, created in ((1, "2024-04-01"), (2, "2024-05-01"), (3, "2024-05-15")):
            target.add_action(
                {
                    "id": f"A{number}",
                    "recommendation_id": "R1",
                    "title": f"Action {number}",
                    "owner": "Head of Service",
                    "due": "2025-03-31",
                    "created_on": created,
                },
                by="Improvement Officer",
                today=TODAY,
            )
        # An update already stored before the import, recorded late.
        target.record_update(
            {"action_id": "A3", "by": "Officer", "as_of": "2024-09-01", "progress": "40"},
            today=TODAY,
        )
    header = "action_id,by,as_of,progress,status,due,reason,note,completed_on"
    lines = [header, *(",".join(row) for row in UPDATE_ROWS)]
    path = write_csv(tmp_path, "updates.csv", "\n".join(lines) + "\n")

    assert import_file(plan, path, today=TODAY) == {"updates": len(UPDATE_ROWS)}
    for row in UPDATE_ROWS:
        other.record_update(dict(zip(header.split(","), row, strict=True)), today=TODAY)

    def comparable(frame):
        return frame.drop(columns=["last_updated"]).sort_values("id").reset_index(drop=True)

    assert comparable(plan.current_actions()).equals(comparable(other.current_actions()))
    bulk_events, single_events = plan.events(), other.events()
    for day in ("2024-05-31", "2024-06-15", "2024-07-31", "2024-09-30", "2024-11-30", TODAY):
        assert comparable(history.state_at(bulk_events, day)).equals(
            comparable(history.state_at(single_events, day))
        ), day
    assert [e["version"] for e in plan.history("A1")] == [1, 2, 3, 4, 5, 6]
    other.close()


def test_late_recorded_update_is_judged_against_the_state_at_its_date(
    populated: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        "updates.csv",
        "action_id,by,as_of,status,progress\n"
        "A1,Officer,2024-09-30,complete,\n"
        "A1,Officer,2024-06-30,,100\n"
        "A1,Officer,2024-07-31,complete,90\n",
    )
    with pytest.raises(ValidationError) as caught:
        import_file(populated, path, today=TODAY)
    message = str(caught.value)
    assert "row 4, column progress: a complete action is at 100%, not 90%" in message
    assert "row 3" not in message


# -- the fast paths give exactly what the one-record functions give --------------------

_CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "  ",
            "A1",
            " A1 ",
            "R1",
            "on track",
            "On-Track",
            "Complete",
            "done",
            "45%",
            "45.5%",
            "101",
            "0.6",
            "60",
            "2024-12-31",
            "31/12/2024",
            "12/31/2024",
            "31/02/2025",
            "next week",
            "stage 2",
            "LGSCO",
            "upheld",
            "peer review",
            "High",
            "Safeguarding",
            " safeguarding ",
            "A1; A2;",
            "'=1+2",
            "x" * 70,
            "bad\x01id",
        ]
    ),
    st.integers(-5, 120),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 1, 1)),
)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(RECORDS)), data=st.data())
def test_memoised_cleaning_matches_clean_record(kind: str, data: st.DataObject) -> None:
    names = field_names(kind)
    cleaner = FieldCleaner(kind, {name: index for index, name in enumerate(names)})
    for _ in range(3):  # the second and third rows come partly from the memo
        cells = [data.draw(_CELLS) for _ in names]
        raw = dict(
            zip(names, [unneutralise(c) if isinstance(c, str) else c for c in cells], strict=True)
        )
        try:
            expected, expected_problems = clean_record(kind, raw, 7), []
        except ValidationError as error:
            expected = None
            expected_problems = [(p.field, p.message) for p in error.problems]
        cleaned, problems = cleaner.clean(cells)
        assert problems == expected_problems
        if expected is not None:
            assert cleaned == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"progress": [40, 50]},
        {
            "status": ["on_track", "complete"],
            "progress": [50, 100],
            "completed_on": [None, dt.date(2024, 9, 30)],
        },
        {"due": [dt.date(2025, 3, 31), dt.date(2025, 6, 30)]},
        {"status": ['we"ird', "Ünïcode"]},
    ],
)
def test_changes_are_stored_as_json_dumps_would_write_them(changes: dict) -> None:
    plain = {k: [as_plain(v) for v in pair] for k, pair in changes.items()}
    assert changes_json(changes) == json.dumps(plain)


# -- exported workbooks: the History sheet and its checks ------------------------------


def _workbook(tmp_path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    return path


ACTIONS_SHEET = [
    ["id", "recommendation_id", "title", "owner", "due", "status", "progress", "created_on"],
    [
        "A5",
        "R1",
        "Review letters",
        "Complaints Manager",
        "2024-12-31",
        "on_track",
        30,
        "2024-05-01",
    ],
]
HISTORY_HEADER = ["action_id", "version", "kind", "by", "recorded_at", "as_of", "status", "progress", "due", "reason", "note"]  # fmt: skip


def test_history_sheet_rebuilds_creation_and_updates(plan: Store, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {
            "Actions": ACTIONS_SHEET,
            "History": [
                HISTORY_HEADER,
                ["A5", 1, "create", "Officer", dt.datetime(2024, 5, 1, 9), "2024-05-01", "not_started", 0, "2024-12-31", None, None],
                ["A5", 2, "update", "Manager", dt.datetime(2024, 6, 1, 9), "2024-06-01", "on track", 30, None, None, None],
            ],
        },
    )  # fmt: skip
    assert import_file(plan, path, today=TODAY) == {"actions": 1, "updates": 1}
    events = plan.history("A5")
    assert [(e["by"], e["as_of"], e["recorded_at"]) for e in events] == [
        ("Officer", "2024-05-01", "2024-05-01T09:00:00Z"),
        ("Manager", "2024-06-01", "2024-06-01T09:00:00Z"),
    ]
    assert events[0]["changes"]["status"]["new"] == "not_started"
    assert plan.get_action("A5")["progress"] == 30


@pytest.mark.parametrize(
    ("history_rows", "expected"),
    [
        pytest.param(
            [], "sheet Actions, row 2, column id: has no create row on the History sheet (a row "
            "added by hand leaves version blank)", id="no-create-row",
        ),
        pytest.param(
            [["A6", 1, "create", "Officer", None, "2024-05-01", "not_started", 0, "2024-12-31", None, None]],
            "sheet History, row 3, column action_id: a create row needs action 'A6'",
            id="create-row-without-action",
        ),
        pytest.param(
            [["A5", 2, "update", "Officer", dt.datetime(2024, 4, 1), "2024-06-01", None, 30, None, None, None]],
            "sheet History, row 3, column recorded_at: is earlier than the action's previous event",
            id="recorded-out-of-order",
        ),
        pytest.param(
            [["A5", 2, "changed", "Officer", None, "2024-06-01", None, 30, None, None, None]],
            "sheet History, row 3, column kind: 'changed' is not one of create, update, verify, reject, request, approve, refuse",
            id="unknown-event-kind",
        ),
    ],
)  # fmt: skip
def test_history_sheet_problems_are_named(
    plan: Store, tmp_path: Path, history_rows: list, expected: str
) -> None:
    create = ["A5", 1, "create", "Officer", dt.datetime(2024, 5, 1, 9), "2024-05-01", "not_started", 0, "2024-12-31", None, None]  # fmt: skip
    no_create = "no create row" in expected
    rows = [HISTORY_HEADER] + ([] if no_create else [create])
    # An exported row carries its version; only a row added by hand leaves it blank.
    actions = (
        [ACTIONS_SHEET[0] + ["version"], ACTIONS_SHEET[1] + [1]] if no_create else ACTIONS_SHEET
    )
    path = _workbook(tmp_path, {"Actions": actions, "History": rows + history_rows})
    before = snapshot(plan)
    with pytest.raises(ValidationError) as caught:
        import_file(plan, path, today=TODAY)
    assert expected in str(caught.value)
    assert snapshot(plan) == before


def test_workbook_sheets_are_chosen_by_name(plan: Store, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {
            "Read me": [["This workbook holds the plan"]],
            "Sources": [["id", "kind", "title"], ["S2", "audit", "Internal audit"]],
            "Actions": ACTIONS_SHEET,
        },
    )
    assert import_file(plan, path, kind="sources", today=TODAY) == {"sources": 1}
    with pytest.raises(ValidationError, match="sheet Sources, row 2, column id: 'S2' already"):
        import_file(plan, path, by="Officer", today=TODAY)  # every kind sheet, not "Read me"
    assert import_file(plan, path, kind="Actions", by="Officer", today=TODAY) == {"actions": 1}


def test_workbook_with_two_update_sheets_is_refused(plan: Store, tmp_path: Path) -> None:
    header = [["action_id", "by", "progress"]]
    path = _workbook(tmp_path, {"Updates": header, "History": header})
    with pytest.raises(ActionPlanError, match="sheets Updates and History both hold updates"):
        import_file(plan, path, today=TODAY)


def test_cli_asks_for_kind_when_the_file_name_does_not_say(
    populated: Store, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "notes.csv", "id,kind,title\nS2,audit,Audit\n")
    result = CliRunner().invoke(cli, ["--db", populated.url, "import", str(path)])
    assert result.exit_code == 2
    assert "give --kind" in result.stderr
