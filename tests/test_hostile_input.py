"""Nothing a user types can break a plan: dates, databases, outputs, interrupts, text.

Each case a person could cause ends in one line on stderr (exit 1, or 130 for
Ctrl-C) and leaves the plan exactly as it was. A plan that already holds an
absurd date (written by an older version, built here with raw SQL) still
lists, summarises, exports, reports and can be put right.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import text as sql

from actionplan.cli import cli
from actionplan.store import Store
from actionplan.store.queries import latest_quarter

from .conftest import add_action, table_rows
from .report_plan import build_report_plan

ACTIONPLAN = str(Path(sys.executable).parent / "actionplan")


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def one_line(code: int, err: str, expected_code: int = 1) -> str:
    assert code == expected_code, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def one_action(plan: Store) -> Store:
    add_action(plan, "A1", "2024-12-31", "2024-04-01", status="on_track", progress=20)
    return plan


# -- a mistyped year is refused at every entry point --------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["update", "A1", "--due", "31/03/0205", "--reason", "typo"],
        ["update", "A1", "--due", "2300-01-31", "--reason", "typo"],
        ["update", "A1", "--due", "30/06/0207", "--reason", "typo"],
        ["update", "A1", "--due", "31/12/1700", "--reason", "typo"],
        ["update", "A1", "--as-of", "2024-05-01", "--completed-on", "01/01/1999",
         "--status", "complete"],
        ["add-action", "--id", "A2", "--recommendation", "R1", "--title", "T", "--owner", "O",
         "--due", "31/03/0205"],
    ],
)  # fmt: skip
def test_a_year_outside_the_plan_is_refused_in_one_line(one_action: Store, args: list[str]):
    before = table_rows(one_action)
    code, _out, err = run(one_action.url, *args)
    assert "check the year" in one_line(code, err)
    assert table_rows(one_action) == before


@pytest.mark.parametrize("received", ["01/10/0206", "01/10/1925", "2100-01-01"])
def test_a_complaint_received_in_an_absurd_year_is_not_imported(
    one_action: Store, tmp_path: Path, received: str
):
    csv = tmp_path / "complaints.csv"
    csv.write_text(f"id,stage,received_on\nC1,stage1,{received}\n")
    before = table_rows(one_action)
    code, _out, err = run(one_action.url, "import", str(csv))
    assert "row 2, column received_on" in one_line(code, err)
    assert table_rows(one_action) == before


# -- a plan that already holds such dates still works, and can be put right ---------------


@pytest.fixture
def poisoned(one_action: Store) -> Store:
    """A plan as an older version left it: absurd years written straight into the tables.

    A1's due date was changed (version 2, as of 1 May 2024) to year 205; A2 was
    created due in year 2300; complaint C1 was received in year 206.
    """
    one_action.record_update(
        {"action_id": "A1", "by": "x", "due": "2025-01-31", "reason": "r", "as_of": "2024-05-01"}
    )
    add_action(one_action, "A2", "2025-03-31", "2024-04-01")
    one_action.add_complaint({"id": "C1", "stage": "stage1", "received_on": "2024-05-02"})
    with one_action.write() as conn:
        for statement in (
            "UPDATE actions SET due = '0205-03-31' WHERE id = 'A1'",
            "UPDATE updates SET due = '0205-03-31' WHERE action_id = 'A1' AND version = 2",
            "UPDATE actions SET due = '2300-01-31', baseline_due = '2300-01-31' WHERE id = 'A2'",
            "UPDATE updates SET due = '2300-01-31' WHERE action_id = 'A2' AND version = 1",
            "UPDATE complaints SET received_on = '0206-10-01' WHERE id = 'C1'",
        ):
            conn.execute(sql(statement))
    return one_action


def test_a_plan_holding_absurd_dates_still_lists_summarises_and_exports(
    poisoned: Store, tmp_path: Path
):
    code, out, err = run(poisoned.url, "list", "--json")
    assert code == 0, err
    dues = {row["id"]: row["due"] for row in json.loads(out)}
    assert dues == {"A1": "0205-03-31", "A2": "2300-01-31"}
    code, out, err = run(poisoned.url, "summary", "--quarter", "2024-25-Q2", "--json")
    assert code == 0, err
    figures = json.loads(out)["actions"]
    # Year 205 is long past: overdue. Year 2300 is not yet due.
    assert figures["overdue"] == 1 and figures["total"] == 2
    for name in ("plan.xlsx", "plan.csv"):
        code, out, err = run(poisoned.url, "export", str(tmp_path / name))
        assert code == 0, err
    assert "0205-03-31" in (tmp_path / "plan.csv").read_text()


def test_check_names_every_absurd_date_and_how_to_mend_it(poisoned: Store):
    code, out, _err = run(poisoned.url, "check")
    assert code == 1
    assert "complaint C1: received_on 0206-10-01" in out
    assert "actionplan correct-date complaint C1 received_on DATE" in out
    assert "action A1: due 0205-03-31" in out
    assert "actionplan update A1 --due DATE --reason 'year typed wrong' --as-of 2024-05-01" in out
    assert "action A2: due 2300-01-31" in out and "cancel action A2 and add it again" in out


def test_absurd_dates_are_mended_and_check_then_passes(poisoned: Store):
    code, out, err = run(
        poisoned.url, "update", "A1", "--due", "31/03/2025", "--reason", "year typed wrong",
        "--as-of", "2024-05-01", "--by", "Officer",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(poisoned.url, "update", "A2", "--status", "cancelled", "--by", "O")
    assert code == 0, err
    code, out, err = run(
        poisoned.url, "correct-date", "complaint", "C1", "received_on", "02/05/2024"
    )
    assert code == 0 and "2 May 2024" in out, err
    code, out, err = run(poisoned.url, "check")
    assert code == 0, out
    code, out, err = run(poisoned.url, "summary", "--quarter", "2024-25-Q2", "--json")
    assert json.loads(out)["actions"]["overdue"] == 0


def test_migrate_reports_absurd_dates(poisoned: Store):
    code, out, err = run(poisoned.url, "migrate")
    assert code == 0, err
    assert "outside the plan's date range" in out and "actionplan check" in out


def test_a_correction_that_breaks_a_rule_is_refused(poisoned: Store):
    poisoned_rows = table_rows(poisoned)
    code, _out, err = run(poisoned.url, "correct-date", "complaint", "C1", "decided_on", "1/1/2024")
    assert "received_on: '0206-10-01' is outside" in one_line(code, err)
    code, _out, err = run(
        poisoned.url, "correct-date", "complaint", "C1", "received_on", "0001-01-01"
    )
    assert "check the year" in one_line(code, err)
    assert table_rows(poisoned) == poisoned_rows
    run(poisoned.url, "correct-date", "complaint", "C1", "received_on", "2/5/2024")
    poisoned_rows = table_rows(poisoned)
    code, _out, err = run(poisoned.url, "correct-date", "complaint", "C1", "decided_on", "1/1/2024")
    assert "decided_on: 2024-01-01 is before received_on" in one_line(code, err)
    code, _out, err = run(poisoned.url, "correct-date", "action", "A1", "due", "1/1/2024")
    assert "actionplan update" in one_line(code, err)
    assert table_rows(poisoned) == poisoned_rows


# -- one line, never a traceback ---------------------------------------------------------


@pytest.mark.parametrize(
    "db, expected",
    [("", "--db: is empty"), ("mysql://x@y/z", "mysql:// databases are not supported")],
)
def test_unusable_databases_are_named_in_one_line(db: str, expected: str):
    code, _out, err = run(db, "list")
    assert expected in one_line(code, err)


def test_an_internal_error_is_one_line_with_a_hint_and_debug_shows_it(
    one_action: Store, monkeypatch: pytest.MonkeyPatch
):
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("actionplan.store.queries.summarise", broken)
    code, _out, err = run(one_action.url, "summary", "--quarter", "2024-25-Q1")
    message = one_line(code, err)
    assert "internal error (RuntimeError: boom)" in message and "--debug" in message
    result = CliRunner().invoke(
        cli, ["--db", one_action.url, "--debug", "summary", "--quarter", "2024-25-Q1"]
    )
    assert isinstance(result.exception, RuntimeError)


# -- reports: only quarters that make sense, and audiences that never collide ---------------


@pytest.fixture(scope="module")
def report_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report_plan(tmp_path_factory.mktemp("plan") / "plan.db")


@pytest.mark.parametrize(
    "quarter, expected",
    [
        ("9999-00-Q1", "outside the years a plan covers"),
        ("2040-41-Q1", "more than a year after the plan's latest data"),
        ("2010-11-Q1", "before the plan's first data"),
    ],
)
def test_reports_of_quarters_that_make_no_sense_are_refused_at_once(
    report_plan: Path, tmp_path: Path, quarter: str, expected: str
):
    code, _out, err = run(str(report_plan), "report", "--quarter", quarter, "--out", str(tmp_path))
    assert expected in one_line(code, err)
    assert list(tmp_path.iterdir()) == []


def test_a_report_into_a_file_is_refused_in_one_line(report_plan: Path, tmp_path: Path):
    (tmp_path / "reports").write_text("not a folder")
    for out in (tmp_path / "reports", tmp_path / "reports" / "sub"):
        code, _o, err = run(str(report_plan), "report", "--quarter", "latest", "--out", str(out))
        assert "is a file, not a folder" in one_line(code, err)


def test_public_and_internal_reports_live_side_by_side(report_plan: Path, tmp_path: Path):
    label = latest_quarter(Store(report_plan)).label
    for audience in ("internal", "public"):
        code, out, err = run(
            str(report_plan), "report", "--quarter", label, "--out", str(tmp_path),
            "--audience", audience,
        )  # fmt: skip
        assert code == 0, err
    folder = tmp_path / label
    internal, public = (
        folder / f"actionplan-{label}.html",
        folder / f"actionplan-{label}-public.html",
    )
    assert internal.exists() and public.exists()
    assert "Head of Assessment" in internal.read_text()
    assert "Head of Assessment" not in public.read_text()
    notebook = (folder / f"actionplan-{label}-public.ipynb").read_text()
    assert str(report_plan) not in notebook and f">{report_plan.name}<" not in notebook
    assert "Head of Assessment" not in notebook
    assert nbformat.reads(notebook, as_version=4).metadata["papermill"]["parameters"]["db"] == ""


def test_report_all_leaves_out_a_far_off_date_and_names_it(report_plan: Path, tmp_path: Path):
    db = tmp_path / "plan.db"
    db.write_bytes(report_plan.read_bytes())
    store = Store(db)
    store.add_compliment({"id": "K-FAR", "received_on": "2001-10-01"})
    expected = [quarter.label for quarter in Store(report_plan).data_quarters()]
    assert store.data_quarters() == Store(report_plan).data_quarters()
    result = CliRunner().invoke(
        cli, ["--db", str(db), "report", "--all", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "compliment K-FAR" in result.stderr and "1 Oct 2001" in result.stderr
    written = sorted(p.name for p in (tmp_path / "r").iterdir() if p.is_dir())
    assert written == expected


# -- smaller things ------------------------------------------------------------------------


def test_backup_never_overwrites_a_file_without_force(tmp_path: Path):
    # Backups copy SQLite plans (a PostgreSQL plan is backed up with pg_dump).
    one_action = Store(tmp_path / "plan.db")
    one_action.initialise()
    one_action.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    one_action.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    add_action(one_action, "A1", "2024-12-31", "2024-04-01")
    target = tmp_path / "copy.db"
    target.write_text("yesterday's backup")
    code, _out, err = run(one_action.url, "backup", str(target))
    assert "already exists; give --force" in one_line(code, err)
    assert target.read_text() == "yesterday's backup"
    code, out, err = run(one_action.url, "backup", str(target), "--force")
    assert code == 0, err
    assert Store(target).get_action("A1")["id"] == "A1"


def test_terminal_output_shows_control_characters_escaped_and_dates_whole(one_action: Store):
    one_action.record_update(
        {"action_id": "A1", "by": "x\x1b[2Jy", "note": "bell\x07 [bold]markup[/bold]"}
    )
    for columns, args in (("80", ["list"]), ("80", ["history", "A1"]), ("250", ["history", "A1"])):
        done = subprocess.run(
            [ACTIONPLAN, "--db", one_action.url, *args],
            capture_output=True, text=True, env={"COLUMNS": columns, "PATH": "/usr/bin"},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        assert "2024-12-31" in done.stdout or "2024-04-01" in done.stdout  # never cut
        assert "…" not in done.stdout
    assert "x\\x1b[2Jy" in done.stdout and "[bold]markup[/bold]" in done.stdout


def test_a_semicolon_separated_csv_imports(plan: Store, tmp_path: Path):
    csv = tmp_path / "actions.csv"
    csv.write_text(
        "id;recommendation_id;title;owner;due\nA5;R1;Title, with comma;Officer;31/03/2026\n"
    )
    code, out, err = run(plan.url, "import", str(csv), "--by", "Officer")
    assert code == 0, err
    assert out.strip() == "Imported 1 action"
    assert plan.get_action("A5")["title"] == "Title, with comma"


def test_an_oversized_csv_field_is_named_by_its_row(plan: Store, tmp_path: Path):
    csv = tmp_path / "actions.csv"
    csv.write_text(
        "id,recommendation_id,title,owner,due\nA5,R1,ok,Officer,31/03/2026\n"
        f'A6,R1,"{"x" * 11_000_000},Officer,31/03/2026\n'
    )
    before = table_rows(plan)
    code, _out, err = run(plan.url, "import", str(csv), "--by", "Officer")
    assert "row 3" in one_line(code, err)
    assert table_rows(plan) == before


def test_export_says_when_it_cuts_text_that_excel_cannot_hold(one_action: Store, tmp_path: Path):
    one_action.record_update({"action_id": "A1", "by": "x", "note": "n" * 40_000})
    code, _out, err = run(one_action.url, "export", str(tmp_path / "plan.xlsx"))
    assert code == 0
    assert err.startswith("warning: sheet History") and "export to .csv" in err
    assert err.count("\n") == 1
    cells = [
        cell
        for row in openpyxl.load_workbook(tmp_path / "plan.xlsx")["History"].iter_rows(
            values_only=True
        )
        for cell in row
        if isinstance(cell, str) and len(cell) > 30_000
    ]
    assert len(cells) == 1 and len(cells[0]) <= 32_767 and cells[0].endswith("whole text]")


def test_full_width_formula_characters_are_neutralised_in_exports(
    one_action: Store, tmp_path: Path
):
    one_action.record_update({"action_id": "A1", "by": "x", "note": "＝1+1"})
    code, _out, err = run(one_action.url, "export", str(tmp_path / "plan.csv"))
    assert code == 0, err
    one_action.record_update({"action_id": "A1", "by": "x", "note": "＋cmd"})
    run(one_action.url, "export", str(tmp_path / "plan.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["History"]
    history = list(sheet.iter_rows(values_only=True))
    at = history[0].index("note")
    notes = [row[at] for row in history[1:]]
    assert "'＝1+1" in notes and "'＋cmd" in notes


@pytest.mark.parametrize(
    "kind, header, row, expected",
    [
        ("sources", "id,kind,title", "S9,audit,Audit", "Imported 1 source"),
        ("complaints", "id,stage,received_on", "C9,stage1,2024-05-01", "Imported 1 complaint"),
    ],
)
def test_counts_agree_with_their_nouns(
    plan: Store, tmp_path: Path, kind: str, header: str, row: str, expected: str
):
    csv = tmp_path / f"{kind}.csv"
    csv.write_text(f"{header}\n{row}\n")
    code, out, err = run(plan.url, "import", str(csv))
    assert code == 0, err
    assert out.strip() == expected
    csv.write_text("id,wrong\nX,y\n")
    code, _out, err = run(plan.url, "import", str(tmp_path / f"{kind}.csv"))
    assert "is not a field of a " in err or "is not a field of an " in err
