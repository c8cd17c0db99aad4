"""`actionplan backup`: a consistent copy of a SQLite plan while someone keeps saving."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from actionplan.cli import cli
from actionplan.store import Store, schema

from .conftest import ROOT
from .plan_data import fill_plan, replay_mismatches

ACTIONPLAN = str(Path(sys.executable).parent / "actionplan")


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def notes(store: Store) -> list[str]:
    """The writer's note tokens in the order the saves were recorded."""
    with store.read() as conn:
        found = conn.execute(
            select(schema.updates.c.note)
            .where(schema.updates.c.note.like("w-%"))
            .order_by(schema.updates.c.seq)
        )
        return list(found.scalars())


def wait_for_progress(writer: subprocess.Popen, progress: Path, at_least: int) -> None:
    """Wait (without a deadline assertion) until the writer has committed enough saves."""
    while not (progress.exists() and int(progress.read_text() or 0) >= at_least):
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else "writer died"
        time.sleep(0.01)


@pytest.fixture
def sqlite_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.db"
    store = Store(path)
    store.initialise()
    fill_plan(store)
    store.close()
    return path


def test_backup_while_another_process_writes_is_a_consistent_plan(
    sqlite_plan: Path, tmp_path: Path
) -> None:
    progress, stop, copy = tmp_path / "progress", tmp_path / "stop", tmp_path / "backup.db"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.workers",
            "write",
            str(sqlite_plan),
            str(progress),
            str(stop),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_progress(writer, progress, 20)
        done = subprocess.run(
            [ACTIONPLAN, "--db", str(sqlite_plan), "backup", str(copy)],
            capture_output=True,
            text=True,
            check=False,
        )
        stop.touch()
        assert writer.wait(120) == 0, writer.stderr.read() if writer.stderr else ""
    finally:
        if writer.poll() is None:
            writer.kill()
    assert done.returncode == 0, done.stderr
    assert f"to {copy}" in done.stdout
    assert not Path(f"{copy}-wal").exists()

    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    backed_up = Store(copy)
    backed_up.check()
    assert replay_mismatches(backed_up) == []
    original = Store(sqlite_plan)
    taken, final = notes(backed_up), notes(original)
    # Taken mid-way: the writer saved more afterwards, and the copy holds an
    # unbroken prefix of the saves (a state the plan was really in).
    assert 20 <= len(taken) < len(final)
    assert taken == [f"w-{n}" for n in range(len(taken))]
    assert final == [f"w-{n}" for n in range(len(final))]
    assert replay_mismatches(original) == []


def test_backup_replaces_an_older_backup_and_refuses_the_database_itself(
    sqlite_plan: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "nightly.db"
    copy.write_text("last night's backup")
    code, out, err = run(str(sqlite_plan), "backup", str(copy), "--force")
    assert code == 0, err
    assert Store(copy).get_action("A01")["id"] == "A01"

    code, out, err = run(str(sqlite_plan), "backup", str(sqlite_plan))
    assert code == 1 and err.count("\n") == 1
    assert "is the database itself" in err
    assert not list(tmp_path.glob(".*"))  # no half-written copy left beside it


def test_backup_of_a_postgresql_plan_points_to_pg_dump(store: Store, tmp_path: Path) -> None:
    code, out, err = run(store.url, "backup", str(tmp_path / "copy.db"))
    if store.is_sqlite:
        assert code == 0, err
        assert Store(tmp_path / "copy.db").schema_version() == store.schema_version()
    else:
        assert code == 1 and out == "" and err.count("\n") == 1
        assert "pg_dump" in err and "docs/operations.md" in err
        assert not (tmp_path / "copy.db").exists()
