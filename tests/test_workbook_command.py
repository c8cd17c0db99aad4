"""`actionplan workbook` refuses what it cannot serve in one line, and dates never print a traceback.

The serving itself (page, Ctrl-C, nothing left running) is proved in
`test_workbook_browser.py`, with a real browser.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from actionplan.store import Store

from .conftest import add_action, table_rows

ACTIONPLAN = Path(sys.executable).with_name("actionplan")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONPLAN), *args], capture_output=True, text=True, timeout=120)


def test_a_due_date_in_2300_is_one_line_and_stores_nothing(plan: Store) -> None:
    add_action(plan, "A1", "2025-03-31", "2024-06-01")
    before = table_rows(plan)
    result = _run("--db", plan.url, "update", "A1", "--due", "2300-01-31", "--reason", "r")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "outside the dates a plan accepts" in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert table_rows(plan) == before


def test_workbook_on_a_missing_plan_is_one_line(tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "none.db"), "workbook", "--port", "8999")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_workbook_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.db")
    store.initialise()
    store.close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("--db", str(tmp_path / "plan.db"), "workbook", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: port {port} on 127.0.0.1 is in use; choose another with --port"
    )
