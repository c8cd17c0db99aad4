"""Correcting and adding records from the command line, on SQLite and PostgreSQL.

`update --title/--owner/--team/--description` record a change like any other;
`add-source`, `add-recommendation`, `add-complaint`, `add-compliment` add what
an import would; `show` gives one action with everything around it; `list
--search` finds words in ids, titles, owners and teams.
"""

from __future__ import annotations

import json

import pytest

from actionplan.store import Store

from .conftest import add_action, table_rows
from .test_cli import run


@pytest.fixture
def two(plan: Store) -> Store:
    add_action(plan, "A1", "2025-12-31", "2024-04-01", team="Assessment")
    add_action(plan, "A2", "2025-12-31", "2024-04-01", owner="Safeguarding Lead", title="Audit")
    return plan


def test_update_hands_an_action_to_a_new_owner_in_its_history(two: Store) -> None:
    code, stdout, _ = run(
        two, "update", "A1", "--owner", "Head of Commissioning", "--title", "Fix the title",
        "--team", "Commissioning", "--description", "Why and how", "--by", "Team Lead",
    )  # fmt: skip
    assert code == 0
    assert "owner Head of Assessment -> Head of Commissioning" in stdout
    event = two.history("A1")[-1]
    assert event["by"] == "Team Lead"
    assert event["changes"] == {
        "title": {"old": "Action A1", "new": "Fix the title"},
        "owner": {"old": "Head of Assessment", "new": "Head of Commissioning"},
        "team": {"old": "Assessment", "new": "Commissioning"},
        "description": {"old": None, "new": "Why and how"},
    }
    current = two.get_action("A1")
    assert (current["owner"], current["title"], current["version"]) == (
        "Head of Commissioning",
        "Fix the title",
        2,
    )


@pytest.mark.parametrize(
    ("args", "stored"),
    [
        (
            ["add-source", "--id", "S2", "--kind", "CQC assessment", "--title", "CQC", "--received-on", "01/02/2025"],
            ("sources", "S2"),
        ),
        (
            ["add-recommendation", "--id", "R2", "--source", "S1", "--text", "Do better", "--priority", "High"],
            ("recommendations", "R2"),
        ),
        (
            ["add-complaint", "--id", "C1", "--stage", "Stage 1", "--received-on", "2025-01-10",
             "--theme", "Charging", "--learning", "Explain charges earlier", "--action-ids", "A1;A2"],
            ("complaints", "C1"),
        ),
        (
            ["add-compliment", "--id", "K1", "--received-on", "2025-01-11", "--team", "Assessment"],
            ("compliments", "K1"),
        ),
    ],
)  # fmt: skip
def test_add_commands_store_one_record(two: Store, args: list[str], stored: tuple) -> None:
    code, stdout, stderr = run(two, *args)
    assert code == 0, stderr
    table, record_id = stored
    # A complaint says when its response is due (statutory: six months after receipt).
    said = " (response due 10 Jul 2025)" if table == "complaints" else ""
    assert stdout.strip() == f"Added {table[:-1]} {record_id}{said}"
    assert record_id in set(two.table(table)["id"])


def test_a_complaint_links_the_actions_it_gave_rise_to(two: Store) -> None:
    run(two, "add-complaint", "--id", "C1", "--stage", "stage1", "--received-on", "2025-01-10",
        "--action-ids", "A2; A1")  # fmt: skip
    assert two.complaints().set_index("id").loc["C1", "action_ids"] == "A1;A2"


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["add-source", "--id", "S1", "--kind", "audit", "--title", "Again"], "id: 'S1' already exists"),
        (["add-source", "--id", "S2", "--kind", "rumour", "--title", "T"], "kind: 'rumour' is not a kind"),
        (["add-recommendation", "--id", "R2", "--source", "S9", "--text", "T"], "source_id: there is no source 'S9'"),
        (["add-complaint", "--id", "C1", "--stage", "stage1", "--received-on", "12/31/2024"], "received_on: '12/31/2024'"),
        (["add-complaint", "--id", "C1", "--stage", "stage1", "--received-on", "2025-01-01", "--action-ids", "A9"], "action_ids: there is no action 'A9'"),
        (["add-compliment", "--id", "K1", "--received-on", "someday"], "received_on: 'someday' is not a date"),
        (["update", "A1", "--owner", "Head of Assessment"], "changes nothing"),
        (["show", "A9"], "there is no action 'A9'"),
    ],
)  # fmt: skip
def test_bad_records_exit_1_with_one_line_and_store_nothing(
    two: Store, args: list[str], where: str
) -> None:
    before = table_rows(two)
    code, _, stderr = run(two, *args)
    assert code == 1
    assert len(stderr.strip().splitlines()) == 1 and where in stderr, stderr
    assert table_rows(two) == before


def test_show_gives_the_action_its_recommendation_source_and_last_updates(two: Store) -> None:
    two.record_update({"action_id": "A1", "by": "Team Lead", "progress": 30, "note": "Begun"})
    two.add_complaint(
        {"id": "C1", "stage": "stage1", "received_on": "2025-01-10", "action_ids": "A1"}
    )
    code, stdout, _ = run(two, "show", "A1", "--json")
    assert code == 0
    detail = json.loads(stdout)
    assert detail["action"]["owner"] == "Head of Assessment"
    assert detail["action"]["progress"] == 30
    assert detail["recommendation"]["text"] == "Reduce assessment waits"
    assert detail["source"]["title"] == "LGA Corporate Peer Challenge"
    assert detail["complaints"] == ["C1"]
    assert [event["version"] for event in detail["updates"]] == [2, 1]
    code, stdout, _ = run(two, "show", "A1")
    assert code == 0
    for shown in ("Reduce assessment waits", "LGA Corporate Peer Challenge", "Begun", "C1"):
        assert shown in stdout


def test_list_search_finds_words_in_owners_titles_ids_and_teams(two: Store) -> None:
    add_action(two, "B7", "2025-12-31", "2024-04-01", owner="Head of Safeguarding")

    def found(*args: str) -> list[str]:
        code, stdout, _ = run(two, "list", "--json", *args)
        assert code == 0
        return sorted(row["id"] for row in json.loads(stdout))

    assert found("--search", "head") == ["A1", "B7"]
    assert found("--search", "HEAD safeguarding") == ["B7"]
    assert found("--search", "audit") == ["A2"]
    assert found("--search", "assessment") == ["A1"]  # owner and team
    assert found("--search", "b7") == ["B7"]
    assert found("--owner", "Head") == []  # --owner still means the whole owner


def test_add_action_with_a_past_completion_and_a_baseline(plan: Store) -> None:
    code, _, stderr = run(
        plan, "add-action", "--id", "A5", "--recommendation", "R1", "--title", "Done already",
        "--owner", "Head of Quality", "--due", "2024-12-31", "--baseline-due", "2024-09-30",
        "--created-on", "2024-04-01", "--completed-on", "2024-11-15", "--by", "Officer",
    )  # fmt: skip
    assert code == 0, stderr
    kinds = [(e["kind"], e["as_of"]) for e in plan.history("A5")]
    assert kinds == [("create", "2024-04-01"), ("update", "2024-04-01"), ("update", "2024-11-15")]
    current = plan.get_action("A5")
    assert (current["status"], str(current["baseline_due"])) == ("complete", "2024-09-30")
