"""Faults: processes killed (SIGKILL, no chance to clean up) in the middle of writing.

What must hold: nothing of the killed work is stored, the database opens
clean, every action's current row still equals its replay, and the next write
succeeds. A killed report run is covered by issue 4's own test
(`tests/test_report.py::test_killed_run_leaves_the_previous_report_and_the_next_run_succeeds`),
so it is not repeated here.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from actionplan.cli import cli
from actionplan.store import Store, schema

from ..conftest import ROOT
from ..plan_data import fill_plan, replay_mismatches
from .results import record

ACTIONPLAN = str(Path(sys.executable).parent / "actionplan")
IMPORT_ROWS = 10000


def rows(store: Store) -> dict[str, list]:
    """Every row of every table."""
    with store.read() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
            for name, table in schema.metadata.tables.items()
        }


def writing(store: Store, wal_size: int) -> bool:
    """True once another process is inside a write transaction and has written to it.

    SQLite: the write lock is held and the WAL holds frames no commit has
    claimed yet (it grew), or just the lock when `wal_size` is negative.
    PostgreSQL: a session on the database has a transaction id, which it
    gets on its first write.
    """
    if store.is_sqlite:
        assert store.path is not None
        probe = sqlite3.connect(store.path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            wal = Path(f"{store.path}-wal")
            return wal_size < 0 or (wal.exists() and wal.stat().st_size > wal_size)
        finally:
            probe.close()
    url = store.engine.url
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname="postgres", autocommit=True
    ) as conn:
        return bool(
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
                (url.database,),
            ).fetchone()[0]
        )


def wal_size(store: Store) -> int:
    if not store.is_sqlite:
        return 0
    wal = Path(f"{store.path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def kill_while_writing(process: subprocess.Popen, store: Store, spilled: bool = True) -> None:
    """SIGKILL `process` once it is half way through its write transaction.

    `spilled=False` kills as soon as the write lock is held (SQLite), for a
    writer whose large page cache keeps its rows in memory until the commit:
    waiting for the WAL to grow would then catch only the commit itself.
    """
    start = wal_size(store) if spilled else -1
    while not writing(store, start):
        if process.poll() is not None:
            pytest.fail(
                f"the process finished (exit {process.returncode}) before it could be killed "
                f"half way: {process.stderr.read() if process.stderr else ''}"
            )
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    assert process.wait(60) == -signal.SIGKILL


def opens_clean(store: Store) -> None:
    """The database passes its own integrity check and the schema check."""
    if store.is_sqlite:
        with sqlite3.connect(store.path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.check()


@pytest.fixture
def filled(store: Store) -> Store:
    fill_plan(store)
    return store


def big_import(folder: Path, rows: int = IMPORT_ROWS) -> Path:
    """A CSV of new actions: an import that takes a few seconds."""
    big = folder / "actions.csv"
    with big.open("w") as out:
        out.write("id,recommendation_id,title,owner,due,created_on,status,progress\n")
        for number in range(rows):
            out.write(
                f"IMP-{number:05d},R1,Imported action {number},Officer,2026-03-31,"
                f"2024-04-01,on_track,{number % 100}\n"
            )
    return big


def test_import_killed_half_way_stores_nothing(filled: Store, backend: str, tmp_path: Path) -> None:
    big = big_import(tmp_path)
    before = rows(filled)
    importer = subprocess.Popen(
        [ACTIONPLAN, "--db", filled.url, "import", str(big), "--kind", "actions", "--by", "Bulk"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        # The import runs with a 256 MB page cache: its rows reach the WAL only
        # at the commit, so it is killed while it holds the write lock.
        kill_while_writing(importer, filled, spilled=False)
    finally:
        if importer.poll() is None:
            importer.kill()

    opens_clean(filled)
    after = rows(filled)
    assert after == before
    assert replay_mismatches(filled) == []
    small = tmp_path / "next.csv"
    small.write_text(
        "id,recommendation_id,title,owner,due,created_on\n"
        "NEXT-1,R1,Next import,Officer,2026-03-31,2024-04-01\n"
    )
    done = CliRunner().invoke(cli, ["--db", filled.url, "import", str(small), "--kind", "actions"])
    assert done.exit_code == 0, done.output
    assert filled.get_action("NEXT-1")["title"] == "Next import"
    record(
        f"fault-import-{backend}",
        check="fault: SIGKILL an import of 10,000 actions inside its transaction",
        backend=backend,
        tried="killed inside its write transaction",
        held=(
            f"rows changed={sum(len(after[t]) != len(before[t]) for t in before)} tables; "
            "integrity ok; replay mismatches=0; next import succeeded"
        ),
    )


def test_writer_killed_inside_a_transaction_leaves_a_clean_database(
    filled: Store, backend: str, tmp_path: Path
) -> None:
    before = rows(filled)
    ready = tmp_path / "ready"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.workers", "hold", filled.url, str(ready)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not ready.exists():
            assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
            time.sleep(0.01)
        writer.send_signal(signal.SIGKILL)
        assert writer.wait(60) == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()

    opens_clean(filled)
    assert rows(filled) == before
    assert replay_mismatches(filled) == []
    version = filled.get_action("A01")["version"]
    saved = filled.record_update(
        {"action_id": "A01", "by": "Next Officer", "note": "after the crash"},
        expected_version=version,
    )
    assert saved["version"] == version + 1
    assert replay_mismatches(filled) == []
    record(
        f"fault-writer-{backend}",
        check="fault: SIGKILL a writer holding 5 updates and a new action uncommitted",
        backend=backend,
        tried="killed inside the transaction, after the writes, before commit",
        held="rows unchanged; integrity ok; replay mismatches=0; next versioned save succeeded",
    )


#: Ctrl-C this long after starting (seconds): while Python imports click and the
#: commands, then while the import reads and checks its rows.
START_UP = (0.15, 0.3)
READING = (0.5, 0.7, 0.9, 1.1, 1.3, 1.5)
#: Ctrl-C this long after the import was seen inside its write transaction.
WRITING = (0.0, 0.05)


def test_ctrl_c_at_ten_moments_of_an_import_says_so_and_stores_nothing(
    filled: Store, backend: str, tmp_path: Path
) -> None:
    big = big_import(tmp_path, rows=6 * IMPORT_ROWS)
    before = rows(filled)
    command = [ACTIONPLAN, "--db", filled.url, "import", str(big), "--kind", "actions", "--by", "B"]
    untouched: list[str] = []
    for moment in (*START_UP, *READING, *(f"writing+{d}" for d in WRITING)):
        importer = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if isinstance(moment, float):
            time.sleep(moment)
        else:
            # SQLite: the write lock is taken (the rows are checked inside the
            # transaction); PostgreSQL: the session has written.
            while not writing(filled, -1 if filled.is_sqlite else 0):
                assert importer.poll() is None, "the import finished before it was seen writing"
                time.sleep(0.002)
            time.sleep(float(moment.split("+")[1]))
        importer.send_signal(signal.SIGINT)
        out, err = importer.communicate(timeout=120)
        assert importer.returncode == 130 and out == "", (moment, importer.returncode, err[-500:])
        assert err == "Interrupted; nothing was changed\n", (moment, err[-500:])
        opens_clean(filled)
        assert rows(filled) == before, moment
        untouched.append(str(moment))
    assert replay_mismatches(filled) == []
    record(
        f"interrupt-import-{backend}",
        check="Ctrl-C (SIGINT) an import of 60,000 actions at ten moments",
        backend=backend,
        tried=f"interrupted {len(untouched)} times: at {', '.join(untouched)} s after start",
        held="every time: exit 130, the one line 'Interrupted; nothing was changed', rows unchanged",
    )
