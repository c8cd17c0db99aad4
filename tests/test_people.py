"""Registering people and changing them (SPEC section 7): commands, history, passwords, files.

Registering a person and every change to them is an append-only event, as an
action's history is: `people history` shows each, and no earlier row is ever
changed. Runs on SQLite and PostgreSQL (`store`).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from actionplan.cli import cli
from actionplan.errors import NotPermittedError
from actionplan.spreadsheets import export_file, import_file
from actionplan.store import Store, schema
from actionplan.store.people import check_password, set_password

from .conftest import table_rows


def run(store: Store, login: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["--db", store.url, *args],
        env={"ACTIONPLAN_USER": login, "JUPYTERHUB_USER": ""},
        input=stdin,
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def history_rows(store: Store) -> list[tuple]:
    with store.read() as conn:
        return [tuple(row) for row in conn.execute(select(schema.people_history).order_by("seq"))]


@pytest.fixture
def team(store: Store) -> Store:
    assert run(store, "root", "people", "add", "mona", "--name", "Mona Manager", "--role",
               "manager")[0] == 0  # fmt: skip
    code, _out, err = run(
        store, "mona", "people", "add", "Ola", "--name", "Ola Officer", "--role", "Officer",
        "--owns", "Carers Lead; Carers Lead ;Head of Finance", "--email", "ola@example.org",
    )  # fmt: skip
    assert code == 0, err
    return store


def test_people_add_list_and_set_through_the_cli(team: Store) -> None:
    code, out, _err = run(team, "mona", "people", "list", "--json")
    assert code == 0
    ola = next(person for person in json.loads(out) if person["login"] == "ola")
    assert ola == {
        "login": "ola",
        "name": "Ola Officer",
        "role": "officer",
        "owns": ["Carers Lead", "Head of Finance"],
        "team": None,
        "email": "ola@example.org",
        "active": True,
    }
    code, out, _err = run(team, "mona", "people", "set", "ola", "--role", "lead", "--inactive")
    assert (code, out.strip()) == (0, "Changed ola (Ola Officer): lead, inactive")


def test_people_on_a_narrow_terminal_are_blocks_with_names_and_emails_whole(team: Store) -> None:
    run(team, "mona", "people", "set", "ola", "--inactive")
    for args in (["people", "list"], ["people", "history", "ola"]):
        result = CliRunner().invoke(
            cli,
            ["--db", team.url, *args],
            env={"ACTIONPLAN_USER": "mona", "JUPYTERHUB_USER": "", "COLUMNS": "60"},
        )
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert all(len(line) <= 60 for line in lines)
        assert "┃" not in result.stdout
    listed = (
        CliRunner()
        .invoke(
            cli,
            ["--db", team.url, "people", "list"],
            env={"ACTIONPLAN_USER": "mona", "COLUMNS": "60"},
        )
        .stdout.splitlines()
    )
    ola = listed[listed.index(next(line for line in listed if line.startswith("ola "))) :]
    ola = ola[: ola.index("")] if "" in ola else ola
    assert [line.strip() for line in ola] == [
        "ola   Ola Officer · officer · no longer active",
        "Owns: Carers Lead; Head of Finance",
        "ola@example.org",
    ]
    assert any(line.startswith("v2  change, recorded ") for line in lines)
    assert "    active: True -> False" in lines


@pytest.mark.parametrize(
    "args, message",
    [
        (["people", "add", "x y", "--name", "X", "--role", "viewer"], "login: 'x y' has a space"),
        (["people", "add", "x", "--name", "X", "--role", "boss"], "role: 'boss' is not a role"),
        (["people", "add", "x", "--name", "X", "--role", "viewer", "--email", "nope"],
         "email: 'nope' is not an email address"),
        (["people", "add", "ola", "--name", "X", "--role", "viewer"], "'ola' is already registered"),
        (["people", "set", "nobody", "--role", "viewer"], "nobody is registered as 'nobody'"),
        (["people", "set", "ola", "--role", "officer"], "nothing to change for 'ola'"),
    ],
)  # fmt: skip
def test_people_mistakes_are_one_line_and_change_nothing(
    team: Store, args: list[str], message: str
) -> None:
    before = table_rows(team)
    code, _out, err = run(team, "mona", *args)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert table_rows(team) == before


def test_people_history_is_append_only_and_shows_every_change(team: Store) -> None:
    first = history_rows(team)
    run(team, "mona", "people", "set", "ola", "--role", "lead")
    run(team, "mona", "people", "set", "ola", "--owns", "")
    run(team, "mona", "people", "password", "ola", "--password-stdin", stdin="long enough pw\n")
    after = history_rows(team)
    assert after[: len(first)] == first  # nothing earlier was changed or removed
    assert len(after) == len(first) + 3
    code, out, _err = run(team, "mona", "people", "history", "ola", "--json")
    events = json.loads(out)
    assert [(e["version"], e["kind"], e["by"]) for e in events] == [
        (1, "register", "Mona Manager"),
        (2, "change", "Mona Manager"),
        (3, "change", "Mona Manager"),
        (4, "password", "Mona Manager"),
    ]
    assert events[1]["changes"] == {"role": {"old": "officer", "new": "lead"}}
    assert events[2]["changes"] == {"owns": {"old": "Carers Lead; Head of Finance", "new": None}}
    assert "scrypt" not in out  # a history says a password changed, never what it is


def test_a_password_is_kept_as_a_hash_and_checked(team: Store, monkeypatch) -> None:
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    set_password(team, "ola", "correct horse battery")
    with team.read() as conn:
        stored = conn.execute(select(schema.people.c.password_hash)).scalars().all()
    assert not any("correct horse" in (value or "") for value in stored)
    assert check_password(team, "OLA", "correct horse battery").name == "Ola Officer"
    assert check_password(team, "ola", "wrong horse battery") is None
    assert check_password(team, "nobody", "correct horse battery") is None
    monkeypatch.setenv("ACTIONPLAN_USER", "ola")
    set_password(team, "ola", "my own new password")  # a person may set their own
    with pytest.raises(NotPermittedError, match="may not set the password of Mona Manager"):
        set_password(team, "mona", "taking over now")
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")
    from actionplan.store.people import change_person

    change_person(team, "ola", {"active": False})
    assert check_password(team, "ola", "my own new password") is None  # left: cannot sign in


def test_people_go_out_and_back_in_through_the_workbook_export(
    team: Store, tmp_path, monkeypatch
) -> None:
    path = export_file(team, tmp_path / "plan.xlsx")
    sheet = load_workbook(path)["People"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["login", "name", "role", "owns", "team", "email"]
    assert ["ola", "Ola Officer", "officer", "Carers Lead; Head of Finance", None,
            "ola@example.org"] in rows  # fmt: skip
    assert not any("scrypt" in str(cell) for row in rows for cell in row)
    fresh = Store(tmp_path / "fresh.db")
    fresh.initialise()
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")
    assert import_file(fresh, path)["people"] == 2
    assert import_file(team, path, kind="people") == {"people": 0}  # unchanged: left alone
    fresh.close()
