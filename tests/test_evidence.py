"""Evidence kept in the plan (SPEC section 8), through the CLI, on SQLite and PostgreSQL.

A file is kept whole in the database (at most 20 MB) with its SHA-256, and
checked on the way out; a file that no longer matches is reported in one line
and never written. The verify, reject and due-request commands are thin over
the library rules tested in test_assurance.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from actionplan.assurance import MAX_EVIDENCE_BYTES
from actionplan.cli import cli
from actionplan.store import Store, schema
from actionplan.store.people import add_person

from .conftest import add_action, table_rows


@pytest.fixture(autouse=True)
def _no_hub_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")


def run(store: Store, login: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--db", store.url, *args], env={"ACTIONPLAN_USER": login, "JUPYTERHUB_USER": ""}
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def team(plan: Store) -> Store:
    add_action(plan, "A1", "2030-03-31", "2024-04-01", owner="Carers Lead")
    add_action(plan, "A2", "2030-03-31", "2024-04-01", owner="Head of Finance")
    for person in (
        {"login": "mona", "name": "Mona Manager", "role": "manager"},
        {"login": "leo", "name": "Leo Lead", "role": "lead"},
        {"login": "ola", "name": "Ola Officer", "role": "officer", "owns": "Carers Lead"},
    ):
        add_person(plan, person)
    return plan


def test_a_20_mb_file_is_kept_and_read_back_identical(team: Store, tmp_path: Path) -> None:
    content = os.urandom(MAX_EVIDENCE_BYTES)
    original = tmp_path / "audit.pdf"
    original.write_bytes(content)
    code, out, err = run(team, "ola", "evidence", "add", "A1", "--description", "Audit",
                         "--file", str(original))  # fmt: skip
    assert code == 0, err
    digest = hashlib.sha256(content).hexdigest()
    assert f"file audit.pdf sha256 {digest}" in out
    code, out, err = run(team, "ola", "evidence", "list", "A1", "--json")
    [item] = json.loads(out)
    assert (item["size"], item["sha256"], item["withdrawn"]) == (len(content), digest, False)
    back = tmp_path / "back.pdf"
    code, out, err = run(team, "leo", "evidence", "get", str(item["id"]), "--out", str(back))
    assert code == 0, err
    assert back.read_bytes() == content


def test_a_21_mb_file_is_refused_in_one_line_and_nothing_is_stored(
    team: Store, tmp_path: Path
) -> None:
    big = tmp_path / "minutes.mp4"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    before = table_rows(team)
    code, out, err = run(team, "ola", "evidence", "add", "A1", "--description", "Film",
                         "--file", str(big))  # fmt: skip
    assert code == 1
    assert err.strip().splitlines() == [
        "Error: file: minutes.mp4 is 21.0 MB; evidence files may be at most 20.0 MB: "
        "keep it elsewhere and give --link"
    ]
    assert table_rows(team) == before


def test_a_file_whose_hash_no_longer_matches_is_reported_not_served(
    team: Store, tmp_path: Path
) -> None:
    original = tmp_path / "plan.docx"
    original.write_bytes(b"the agreed plan")
    run(team, "ola", "evidence", "add", "A1", "--description", "Plan", "--file", str(original))
    with team.write() as conn:
        conn.execute(update(schema.evidence).values(content=b"the altered plan"))
    out_file = tmp_path / "served.docx"
    code, out, err = run(team, "leo", "evidence", "get", "1", "--out", str(out_file))
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("Error: evidence 1 (plan.docx): the stored file does not match")
    assert line.endswith("it was not served")
    assert not out_file.exists()


def test_withdrawn_evidence_is_kept_marked_and_listed(team: Store) -> None:
    run(team, "ola", "evidence", "add", "A1", "--description", "Minutes", "--link", "doc 7")
    code, out, err = run(team, "ola", "evidence", "withdraw", "1", "--reason", "wrong meeting")
    assert code == 0, err
    [item] = json.loads(run(team, "ola", "evidence", "list", "A1", "--json")[1])
    assert item["withdrawn"] and item["withdrawn_by"] == "Ola Officer"
    assert item["withdrawn_reason"] == "wrong meeting" and item["link"] == "doc 7"
    code, out, err = run(team, "ola", "evidence", "withdraw", "1", "--reason", "again")
    assert code == 1 and "item 1 was withdrawn by Ola Officer" in err


def test_an_officer_may_not_keep_evidence_for_someone_elses_action(team: Store) -> None:
    code, out, err = run(team, "ola", "evidence", "add", "A2", "--description", "x")
    assert code == 1
    assert err.startswith("Error: Ola Officer (officer) may not add evidence to action A2")


def test_the_cli_closes_an_action_with_assurance(team: Store) -> None:
    code, out, err = run(team, "ola", "update", "A1", "--status", "complete")
    assert code == 1 and "needs evidence before it is complete" in err
    run(team, "ola", "evidence", "add", "A1", "--description", "Audit", "--link", "doc 9")
    assert run(team, "ola", "update", "A1", "--status", "complete")[0] == 0
    code, out, err = run(team, "ola", "verify", "A1")
    assert code == 1
    assert err.strip() == (
        "Error: Ola Officer (officer) may not verify action A1: ask a lead or a manager"
    )
    code, out, err = run(team, "leo", "reject", "A1", "--reason", "No impact yet",
                         "--due", "30/06/2030")  # fmt: skip
    assert code == 0, err
    assert "reopened on_track, due 30/06/2030" in out
    assert team.get_action("A1")["status"] == "on_track"
    code, out, err = run(team, "ola", "update", "A1", "--due", "2030-09-30", "--reason", "Waits")
    assert code == 0 and "(request " in out
    [request] = json.loads(run(team, "leo", "due-requests", "--json")[1])
    code, out, err = run(team, "leo", "approve", str(request["id"]))
    assert code == 0 and "A1 is now due 2030-09-30" in out
    assert run(team, "leo", "due-requests")[1].strip() == "No due-date requests are waiting"
    run(team, "ola", "update", "A1", "--status", "complete")
    code, out, err = run(team, "mona", "verify", "A1", "--note", "Seen the audit")
    assert code == 0 and "Verified A1" in out
    history = json.loads(run(team, "ola", "history", "A1", "--json")[1])
    assert [event["kind"] for event in history][-5:] == [
        "reject", "request", "approve", "update", "verify",
    ]  # fmt: skip


def test_the_summary_table_shows_the_assurance_figures(team: Store) -> None:
    run(team, "ola", "evidence", "add", "A1", "--description", "Audit", "--link", "doc 9")
    run(team, "ola", "update", "A1", "--status", "complete")
    run(team, "leo", "verify", "A1")
    code, out, err = run(team, "leo", "summary", "--quarter", "current")
    assert code == 0, err
    assert re.search(r"verified in quarter\s+│\s+1 │", out)
    assert re.search(r"RAG verified\s+│\s+1 │", out)
    assert re.search(r"due requests pending\s+│\s+0 │", out)


def test_a_small_file_is_shown_in_bytes_or_kilobytes_never_as_0_mb() -> None:
    from actionplan.store.evidence import megabytes

    assert megabytes(1000) == "1000 bytes"
    assert megabytes(12_300) == "12 KB"
    assert megabytes(21 * 1024 * 1024) == "21.0 MB"
