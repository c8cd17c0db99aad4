"""The command line: exit codes, one-line errors, JSON shapes (SPEC section 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.store import Store

from .conftest import add_action, table_rows


def run(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", store.url, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def one_action(plan: Store) -> Store:
    add_action(plan, "A1", "2024-12-31", "2024-04-01", status="on_track", progress=20)
    return plan


@pytest.mark.parametrize(
    "args, field",
    [
        (["update", "A9", "--progress", "10"], "action_id"),
        (["update", "A1", "--progress", "150"], "progress"),
        (["update", "A1", "--status", "done"], "status"),
        (["update", "A1", "--due", "2025-03-31"], "reason"),
        (["update", "A1", "--due", "12/31/2024", "--reason", "x"], "due"),
        (["update", "A1", "--as-of", "12/31/2024", "--note", "x"], "as_of"),
        (["update", "A1", "--progress", "30", "--expect-version", "7"], "version"),
        (["summary", "--quarter", "2024-25-Q9"], "quarter"),
        (["list", "--quarter", "2024/26 Q1"], "quarter"),
        (["history", "A9"], "action_id"),
        (
            [
                "add-action",
                "--id",
                "A2",
                "--recommendation",
                "R9",
                "--title",
                "t",
                "--owner",
                "o",
                "--due",
                "2025-01-01",
            ],
            "recommendation_id",
        ),
        (
            [
                "add-action",
                "--id",
                "A1",
                "--recommendation",
                "R1",
                "--title",
                "t",
                "--owner",
                "o",
                "--due",
                "2025-01-01",
            ],
            "id",
        ),
    ],
)
def test_bad_input_exits_1_with_one_line_and_changes_nothing(
    one_action: Store, args: list[str], field: str
) -> None:
    before = table_rows(one_action)
    code, stdout, stderr = run(one_action, *args)
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0], stderr
    assert "Traceback" not in stderr + stdout
    assert table_rows(one_action) == before


def test_real_process_prints_no_traceback_for_a_user_error(one_action: Store) -> None:
    command = Path(sys.executable).with_name("actionplan")
    result = subprocess.run(
        [str(command), "--db", one_action.url, "update", "A1", "--progress", "150"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: progress: '150' is not a whole percentage from 0 to 100"
    )


def test_usage_error_exits_2(one_action: Store) -> None:
    code, _, stderr = run(one_action, "update")
    assert code == 2 and "Missing argument" in stderr


def test_update_then_history_json_shows_old_and_new(one_action: Store) -> None:
    code, stdout, _ = run(
        one_action,
        "update",
        "A1",
        "--progress",
        "60%",
        "--note",
        "Pilot live",
        "--as-of",
        "15/10/2024",
        "--by",
        "Team Lead",
        "--expect-version",
        "1",
    )
    assert code == 0 and "version 2" in stdout
    code, stdout, _ = run(one_action, "history", "A1", "--json")
    events = json.loads(stdout)
    assert [event["version"] for event in events] == [1, 2]
    latest = events[1]
    assert latest["changes"] == {"progress": {"old": 20, "new": 60}}
    assert (latest["by"], latest["as_of"], latest["note"]) == (
        "Team Lead",
        "2024-10-15",
        "Pilot live",
    )
    assert latest["recorded_at"].endswith("Z")


def test_list_json_objects_carry_spec_fields(one_action: Store) -> None:
    add_action(one_action, "A2", "2024-06-30", "2024-04-01", owner="Head of Safeguarding")
    code, stdout, _ = run(one_action, "list", "--json")
    rows = json.loads(stdout)
    assert code == 0
    assert [row["id"] for row in rows] == ["A2", "A1"]  # overdue first
    expected_keys = {
        "id",
        "recommendation_id",
        "title",
        "owner",
        "due",
        "description",
        "team",
        "start_on",
        "status",
        "progress",
        "created_on",
        "success_measure",
        "evidence",
        "baseline_due",
        "completed_on",
        "rag",
        "schedule_rag",
        "not_updated",
        "version",
        "last_updated",
    }
    assert set(rows[0]) == expected_keys
    assert rows[0]["rag"] == "red"
    code, stdout, _ = run(one_action, "list", "--json", "--owner", "head of safeguarding")
    assert [row["id"] for row in json.loads(stdout)] == ["A2"]
    code, stdout, _ = run(one_action, "list", "--json", "--quarter", "2024-25-Q1")
    # A2 is due on the last day of Q1: not overdue at that as-of day
    assert {row["id"]: row["rag"] for row in json.loads(stdout)} == {
        "A1": "green",
        "A2": "not_started",
    }


def test_summary_json_has_the_exact_shape_of_spec_sections_5_and_9(one_action: Store) -> None:
    one_action.record_update(
        {"action_id": "A1", "by": "o", "as_of": "2024-11-01", "status": "complete"}
    )
    one_action.add_complaint(
        {
            "id": "C1",
            "stage": "stage1",
            "received_on": "2024-10-02",
            "theme": "Charging",
            "outcome": "upheld",
            "decided_on": "2024-10-30",
        }
    )
    code, stdout, _ = run(one_action, "summary", "--quarter", "2024-25-Q3", "--json")
    assert code == 0
    result = json.loads(stdout)
    assert list(result) == ["quarter", "start", "end", "actions", "complaints"]
    assert (result["quarter"], result["start"], result["end"]) == (
        "2024-25-Q3",
        "2024-10-01",
        "2024-12-31",
    )
    assert list(result["actions"]) == [
        "total",
        "by_rag",
        "open",
        "overdue",
        "slipped",
        "completed_in_quarter",
        "completed_on_time_in_quarter",
        "on_time_rate",
        "mean_progress",
        "due_next_quarter",
        "transitions",
        "new",
        "not_updated_in_quarter",
        "behind_schedule",
        "by_schedule_rag",
        "verified",
        "awaiting_verification",
        "verified_in_quarter",
        "rejected_in_quarter",
        "due_requests_in_quarter",
        "due_requests_approved",
        "due_requests_refused",
        "due_requests_pending",
    ]
    assert list(result["actions"]["by_schedule_rag"]) == ["red", "amber", "green"]
    assert list(result["actions"]["by_rag"]) == [
        "red", "amber", "green", "not_started", "complete", "verified",
    ]  # fmt: skip
    assert list(result["complaints"]) == [
        "received",
        "by_theme",
        "decided",
        "upheld_rate",
        "remedies_due",
        "remedies_on_time",
        "remedies_late",
        "remedies_outstanding",
        "compliments",
        # SPEC section 10's timeliness figures
        "responses_due",
        "responded_on_time",
        "responded_late",
        "response_outstanding",
        "acknowledgements_due",
        "acknowledged_on_time",
        "acknowledged_on_time_rate",
        "timeliness_by_procedure",
    ]
    assert list(result["complaints"]["received"]) == ["stage1", "stage2", "ombudsman"]
    assert result["actions"]["on_time_rate"] == 1.0
    assert result["actions"]["transitions"] == {"green->complete": 1}
    assert result["complaints"]["upheld_rate"] == 1.0
    assert result["complaints"]["by_theme"] == {"Charging": 1}


def test_every_command_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_command_on_a_missing_database_says_to_init(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "list"])
    assert result.exit_code == 1
    assert "run `actionplan init` first" in result.stderr


LONG_TITLE = "Commission additional best interests assessor capacity for the whole county"


@pytest.mark.parametrize("columns", [80, 50])
def test_list_on_a_narrow_terminal_gives_each_action_a_block_with_words_whole(
    plan: Store, columns: int
) -> None:
    add_action(plan, "A1", "2024-12-31", "2024-04-01", status="at_risk", progress=55)
    add_action(plan, "A2", "2024-12-31", "2024-04-01", title=LONG_TITLE, owner="Carers Lead")
    result = CliRunner().invoke(cli, ["--db", plan.url, "list"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    assert all(len(line) <= columns for line in lines)
    assert lines[0] == "2 actions, most urgent first"
    block = lines[lines.index(next(line for line in lines if line.startswith("A2 "))) :]
    block = block[: block.index("")]
    assert " ".join(line.strip() for line in block).startswith(
        "A2  " + LONG_TITLE + " Carers Lead · due 2024-12-31"
    ), "every word of the title whole, in order, then the owner and the due date"
    assert "2024-12-31" in result.stdout  # never split at its hyphens
    assert any("At risk, 55% done" in line for line in lines)
    assert "┃" not in result.stdout


def test_list_on_a_wide_terminal_is_a_table(one_action: Store) -> None:
    result = CliRunner().invoke(cli, ["--db", one_action.url, "list"], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "title" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "id", "title", "owner", "due", "status", "done", "RAG", "schedule"
    ]  # fmt: skip


def test_history_on_a_narrow_terminal_gives_each_event_a_block(one_action: Store) -> None:
    one_action.record_update(
        {
            "action_id": "A1",
            "by": "Head of Assessment",
            "as_of": "2024-05-02",
            "progress": 45,
            "note": "Waiting list reviewed with the team and the worst cases moved up",
        }
    )
    result = CliRunner().invoke(
        cli, ["--db", one_action.url, "history", "A1"], env={"COLUMNS": "60"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    assert all(len(line) <= 60 for line in lines)
    assert lines[0] == "History of A1, oldest first"
    block = lines[lines.index(next(line for line in lines if line.startswith("v2 "))) :]
    block = block[: block.index("")]
    assert block[0].startswith("v2  2024-05-02, recorded ")
    assert "by Head of Assessment" in " ".join(line.strip() for line in block)
    assert "    progress: 20 -> 45" in block, "each change on a line of its own"
    assert " ".join(line.strip() for line in block).endswith(
        "Note: Waiting list reviewed with the team and the worst cases moved up"
    )
