"""Smoke test of the benchmark at the smallest scale (S), with one run of each row.

No timing is asserted: the test proves the harness runs end to end, measures
every row it was asked for, and writes a results file the docs can quote.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.runner import BenchError, percentile, python, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    work = tmp_path_factory.mktemp("bench")
    out = work / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scales",
            "S",
            "--runs",
            "1",
            "--saves",
            "5",
            "--no-floors",
            "--no-report",
            "--work",
            str(work),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text()), done.stdout


def test_every_requested_row_is_measured_at_s(results: tuple[dict, str]) -> None:
    data, _ = results
    rows = {row["name"]: row for row in data["rows"] if row["scale"] == "S"}
    assert set(rows) == {
        "import whole plan from CSV",
        "`actionplan list` (new process)",
        "columnar copy built from nothing (first summary after an import)",
        "summary, one quarter (columnar copy + figures)",
        "`actionplan summary --quarter Q --json` (new process)",
        "summary, every quarter (columnar copy)",
        "summary, one quarter, by replay (load + replay + figures)",
        "workbook save (record_update)",
    }
    for row in rows.values():
        assert row["error"] is None, row["error"]
        assert row["stats"]["low"] <= row["stats"]["median"] <= row["stats"]["high"]
        assert row["stats"]["peak_mb"] > 0
    imported = rows["import whole plan from CSV"]["extra"]
    assert imported["rows"] == sum(imported["counts"].values()) > 0
    assert rows["workbook save (record_update)"]["extra"]["saves"] == 5


def test_results_name_the_machine_and_every_goal(results: tuple[dict, str]) -> None:
    data, printed = results
    assert data["machine"]["cores"] >= 1 and data["machine"]["python"]
    assert len(data["goals"]) == 9
    # Goals whose rows were not run this time say so instead of claiming a result.
    unmeasured = [goal for goal in data["goals"] if goal["met"] is None]
    assert all(goal["measured"] == "not measured" for goal in unmeasured)
    assert "import whole plan from CSV" in printed and "Goals" in printed


def test_a_failing_command_is_reported_with_its_error() -> None:
    with pytest.raises(BenchError, match="exited 3"):
        run(python("-c", "import sys; sys.exit(3)"))


def test_peak_memory_is_the_commands_own() -> None:
    big = run(python("-c", "x = bytearray(300 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"))
    small = run(python("-c", "pass"))
    assert big.peak_mb > small.peak_mb + 250


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10.0], 0.95) == 10.0
    assert percentile(list(range(101)), 0.95) == pytest.approx(95.0)
