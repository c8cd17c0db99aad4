"""The demo plan: loaded through the real importer, and worth looking at every quarter."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.demo import DEMO_FOLDER, load_demo
from actionplan.demo.load import demo_shift
from actionplan.errors import ActionPlanError, ValidationError
from actionplan.quarters import Quarter, parse_quarter, quarter_of, shift_by_quarters
from actionplan.store import Store
from actionplan.store.queries import action_list, latest_quarter, summarise

#: The quarters the demo files promise something in every figure (as the files are dated).
DEMO_QUARTERS_AS_WRITTEN = [
    "2023-24-Q3",
    "2023-24-Q4",
    "2024-25-Q1",
    "2024-25-Q2",
    "2024-25-Q3",
    "2024-25-Q4",
    "2025-26-Q1",
]
#: A day on which the demo is loaded exactly as its files are dated.
AS_WRITTEN_DAY = date(2025, 10, 15)


def shifted_labels(today: date) -> list[str]:
    """The demo's promised quarters as `load_demo` dates them on `today`."""
    found = []
    for label in DEMO_QUARTERS_AS_WRITTEN:
        quarter: Quarter = parse_quarter(label)
        start = shift_by_quarters(quarter.start, demo_shift(today))
        found.append(quarter_of(start).label)
    return found


#: The same quarters, as `init --demo` dates them today.
DEMO_QUARTERS = shifted_labels(date.today())


@pytest.fixture(scope="module")
def demo_summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """`actionplan init --demo`, then `summary --quarter Q --json` for every demo quarter."""
    db = str(tmp_path_factory.mktemp("init-demo") / "demo.db")
    runner = CliRunner()
    created = runner.invoke(cli, ["--db", db, "init", "--demo"])
    assert created.exit_code == 0, created.output
    summaries = {}
    for quarter in DEMO_QUARTERS:
        result = runner.invoke(cli, ["--db", db, "summary", "--quarter", quarter, "--json"])
        assert result.exit_code == 0, result.output
        summaries[quarter] = json.loads(result.stdout)
    return summaries


@pytest.mark.parametrize("quarter", DEMO_QUARTERS)
def test_every_demo_quarter_shows_at_least_four_rag_groups(
    demo_summaries: dict[str, dict], quarter: str
) -> None:
    by_rag = demo_summaries[quarter]["actions"]["by_rag"]
    assert sum(1 for count in by_rag.values() if count > 0) >= 4, by_rag


def test_demo_has_slipped_actions_and_late_remedies(demo_summaries: dict[str, dict]) -> None:
    assert any(s["actions"]["slipped"] > 0 for s in demo_summaries.values())
    assert any(s["complaints"]["remedies_late"] > 0 for s in demo_summaries.values())


def test_demo_plan_has_the_promised_records(demo_db: Path) -> None:
    store = Store(demo_db)
    sources = store.table("sources")
    assert {"peer_review", "cqc_assessment", "ombudsman", "complaint", "staff_feedback"} <= set(
        sources["kind"]
    )
    peer_reviews = sources.loc[sources["kind"] == "peer_review", "id"]
    recommendations = store.table("recommendations")
    assert 8 <= recommendations["source_id"].isin(peer_reviews).sum() <= 12
    actions = store.current_actions()
    assert len(actions) >= 40
    assert actions["owner"].notna().all() and actions["team"].notna().all()
    complaints = store.complaints()
    assert len(complaints) >= 150
    assert set(complaints["stage"]) == {"stage1", "stage2", "ombudsman"}
    themes = " ".join(complaints["theme"].dropna()).lower()
    for theme in ("financial assessment", "care planning", "charging"):
        assert theme in themes
    assert len(store.table("compliments")) > 0
    assert len(store.data_quarters()) >= 6
    store.close()


def test_demo_history_tells_the_stories_a_reader_needs(demo_db: Path) -> None:
    store = Store(demo_db)
    events = store.table("updates").sort_values(["action_id", "version"])
    updates = events[events["kind"] == "update"]
    assert (updates["due"].notna() & updates["reason"].notna()).any(), "a slipped due date"
    assert (updates["status"] == "cancelled").any()
    current = store.current_actions()
    late = current[
        (current["status"] == "complete") & (current["completed_on"] > current["baseline_due"])
    ]
    assert len(late) > 0, "a late completion"
    reopened = 0
    late_recorded = 0
    for _, steps in events.groupby("action_id"):
        statuses = steps["status"].dropna().tolist()
        if "complete" in statuses:
            after = statuses[statuses.index("complete") + 1 :]
            reopened += any(status != "complete" for status in after)
        as_of = steps["as_of"].tolist()
        late_recorded += any(
            later < earlier for earlier, later in zip(as_of, as_of[1:], strict=False)
        )
    assert reopened > 0, "a reopened action"
    assert late_recorded > 0, "an update recorded after a later-dated one"
    store.close()


def test_broken_demo_file_is_named_and_leaves_no_database(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_FOLDER, folder)
    updates = folder / "updates.csv"
    lines = updates.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("as_of")] = "12/31/2024"
    lines[1] = ",".join(cells)
    updates.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(tmp_path / "demo.db")

    with pytest.raises(ValidationError) as caught:
        load_demo(store, folder=folder)

    assert "updates.csv, row 2, column as_of: '12/31/2024'" in str(caught.value)
    assert not store.exists()
    assert list(tmp_path.glob("demo.db*")) == [], "the file the load made is gone"
    store.initialise()  # the database is free to be made again
    store.close()


def test_missing_demo_files_are_named(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.db")
    with pytest.raises(ActionPlanError, match="missing sources.csv, recommendations.csv"):
        load_demo(store, folder=tmp_path)
    assert not store.exists()


def test_init_demo_refuses_a_database_that_holds_a_plan(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(demo_db), "init", "--demo"])
    assert result.exit_code == 1
    assert "already holds an action plan" in result.stderr
    assert demo_db.read_bytes() == before


def test_init_demo_is_dated_so_its_last_quarter_has_just_ended(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    result = CliRunner().invoke(cli, ["--db", db, "init", "--demo"])
    assert result.exit_code == 0, result.output
    previous = quarter_of(date.today()).previous().label
    assert result.stdout.strip().endswith(f"its last quarter is {previous}")
    store = Store(db)
    assert latest_quarter(store).label == previous
    assert store.data_quarters()[-1].label == previous
    today = action_list(store)
    rags = [row["rag"] for row in today]
    assert rags.count("red") < len(rags) / 2, rags  # as it stands today, not all red
    store.close()


def test_the_demo_as_written_is_the_files_dates(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.db")
    load_demo(store, today=AS_WRITTEN_DAY)
    actions = store.current_actions().set_index("id")
    assert actions.loc["ACT-001", "created_on"].date() == date(2023, 6, 12)
    assert store.data_quarters()[-1].label == "2025-26-Q2"
    store.close()


@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 20), date(2026, 4, 1), date(2026, 8, 31), date(2028, 5, 2)],
    ids=["one-quarter", "two-quarters", "three-quarters", "leap-year"],
)
def test_the_demo_keeps_its_stories_on_any_day(tmp_path: Path, today: date) -> None:
    store = Store(tmp_path / "demo.db")
    load_demo(store, today=today)
    for label in shifted_labels(today):
        by_rag = summarise(store, label, today=today)["actions"]["by_rag"]
        assert sum(1 for count in by_rag.values() if count > 0) >= 4, (label, by_rag)
    assert latest_quarter(store, today) == quarter_of(today).previous()
    store.close()


def test_the_same_day_gives_the_same_demo(tmp_path: Path) -> None:
    def plan(name: str) -> list:
        store = Store(tmp_path / name)
        load_demo(store, today=date(2027, 2, 14))
        events = store.table("updates").drop(columns=["seq", "recorded_at"])
        store.close()
        return events.astype(str).values.tolist()

    assert plan("one.db") == plan("two.db")


def test_demo_complaints_follow_both_procedures_to_their_deadlines(demo_db: Path) -> None:
    store = Store(demo_db)
    complaints = store.complaints()
    scores = store.table("cqc_scores")
    store.close()
    council = complaints[complaints["stage"] != "ombudsman"]
    assert set(council["procedure"]) == {"statutory", "corporate"}
    assert council["acknowledged_on"].notna().mean() > 0.9
    assert council["response_due"].notna().all()
    due = council["extended_to"].fillna(council["response_due"])
    assert (council["responded_on"] <= due).sum() > 0, "responses on time"
    assert (council["responded_on"] > due).sum() > 0, "late responses"
    extended = council[council["extended_to"].notna()]
    assert set(extended["procedure"]) == {"statutory", "corporate"}
    assert extended["extension_reason"].notna().all()
    ombudsman = complaints[complaints["stage"] == "ombudsman"]
    assert ombudsman["lgsco_reference"].str.fullmatch(r"\d{2} \d{3} \d{3}").all()
    assert {"upheld", "not_upheld", "closed_after_initial_enquiries"} <= set(
        ombudsman["lgsco_decision"].dropna()
    )
    assert (ombudsman["remedied_before_ombudsman"] == "yes").any()
    from actionplan.cqc import rating_of

    rating = rating_of(scores["score"])
    assert (rating.percent, rating.rating) == (58.3, "requires_improvement")


def test_demo_extensions_stay_within_the_limit_wherever_the_demo_is_dated() -> None:
    """`init --demo` moves every date by whole quarters: an agreed extension must still be
    within the Complaint Handling Code's ten working days after the move, so the demo
    loads on any day (the bank holidays fall on other weekdays each year)."""
    from actionplan.complaints.checks import settle_complaint
    from actionplan.complaints.deadlines import DeadlineSettings
    from actionplan.demo.load import shifted
    from actionplan.records import clean_record
    from actionplan.spreadsheets.files import read_csv

    written = read_csv(DEMO_FOLDER / "complaints.csv")
    settings = DeadlineSettings()
    for quarters in range(60):  # fifteen years of days the demo may be dated to
        sheet = shifted("complaint", written, quarters)
        for number, cells in sheet.rows:
            record = dict(zip(sheet.header, cells, strict=True))
            if record["extended_to"]:
                values = clean_record("complaint", record, number)
                assert settle_complaint(values, settings, number) == [], (quarters, record["id"])
