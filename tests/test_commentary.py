"""The quarter's commentary: written by the CLI or the workbook, kept with history, shown signed.

Store tests run on SQLite and PostgreSQL (the `store` fixture). The rule that
only a manager may write once people are registered (SPEC section 7) waits for
people and roles (issue 13): `store.commentary.write_commentary` is the one
write path that check will guard; with no people registered anyone may write,
which is what these tests prove.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import FieldError, StaleCommentaryError
from actionplan.report import sections as report
from actionplan.report.context import from_store
from actionplan.store import Store
from actionplan.store.commentary import commentary_history, latest_commentary, write_commentary
from actionplan.vocab import COMMENTARY_SECTIONS, REPORT_SECTIONS
from actionplan.workbook.commentary import CommentaryPanel

from .conftest import add_action, table_rows

QUARTER = "2024-25-Q3"


def run(store: Store, *args: str, stdin: str | None = None):
    result = CliRunner().invoke(cli, ["--db", store.url, *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def quarter_plan(plan: Store) -> Store:
    """A plan with one action in 2024-25 Q3, so the quarter has data to report."""
    add_action(plan, "A1", "2025-03-31", "2024-10-01", status="on_track", progress=30)
    return plan


def test_history_keeps_every_version_and_the_latest_is_current(quarter_plan: Store) -> None:
    write_commentary(quarter_plan, QUARTER, "exceptions", "First draft.", "Director")
    write_commentary(quarter_plan, QUARTER, "Exceptions", "Second draft.", "Deputy Director")
    write_commentary(quarter_plan, QUARTER, "overview", "A good quarter.", "Director")

    history = commentary_history(quarter_plan, QUARTER)
    assert [(n.section, n.version, n.text, n.by) for n in history] == [
        ("overview", 1, "A good quarter.", "Director"),
        ("exceptions", 1, "First draft.", "Director"),
        ("exceptions", 2, "Second draft.", "Deputy Director"),
    ]
    latest = latest_commentary(quarter_plan, QUARTER)
    assert list(latest) == ["overview", "exceptions"]
    assert latest["exceptions"].text == "Second draft."
    assert latest_commentary(quarter_plan, "2024-25-Q2") == {}


def test_a_save_based_on_an_old_version_is_refused_naming_who_and_when(quarter_plan: Store) -> None:
    write_commentary(quarter_plan, QUARTER, "complaints", "One.", "Director", expected_version=0)
    write_commentary(quarter_plan, QUARTER, "complaints", "Two.", "Head of Quality", 1)
    before = table_rows(quarter_plan)

    with pytest.raises(StaleCommentaryError) as refused:
        write_commentary(quarter_plan, QUARTER, "complaints", "Mine.", "Director", 1)

    assert refused.value.changed_by == "Head of Quality"
    assert "Head of Quality" in str(refused.value) and "version 2" in str(refused.value)
    assert table_rows(quarter_plan) == before


@pytest.mark.parametrize(
    "section,text,by,field",
    [
        ("exceptions", "   ", "Director", "text"),
        ("exceptions", "Fine.", " ", "by"),
        ("summary", "Fine.", "Director", "section"),
        ("title", "Fine.", "Director", "section"),
    ],
)
def test_bad_commentary_is_refused_naming_the_field(
    quarter_plan: Store, section: str, text: str, by: str, field: str
) -> None:
    before = table_rows(quarter_plan)
    with pytest.raises(FieldError) as refused:
        write_commentary(quarter_plan, QUARTER, section, text, by)
    assert refused.value.field == field
    assert table_rows(quarter_plan) == before


def test_sections_are_the_overview_and_the_report_sections_after_its_title() -> None:
    assert ("overview", *REPORT_SECTIONS[1:]) == COMMENTARY_SECTIONS


def test_cli_writes_shows_and_lists_history(quarter_plan: Store) -> None:
    written = run(
        quarter_plan, "commentary", "--quarter", "2024/25 Q3", "--section", "exceptions",
        "--text", "Two actions are red.", "--by", "Director",
    )  # fmt: skip
    assert written.exit_code == 0, written.stderr
    assert written.stdout.strip() == 'Saved version 1 of the "Exceptions" commentary for 2024-25-Q3'
    piped = run(
        quarter_plan, "commentary", "--quarter", QUARTER, "--section", "exceptions",
        "--text", "-", "--by", "Director", "--expect-version", "1",
        stdin="Both have recovery plans.\n\nReviewed monthly.\n",
    )  # fmt: skip
    assert piped.exit_code == 0, piped.stderr

    shown = run(quarter_plan, "commentary", "--quarter", QUARTER, "--json")
    assert [(n["section"], n["version"], n["text"]) for n in json.loads(shown.stdout)] == [
        ("exceptions", 2, "Both have recovery plans.\n\nReviewed monthly.")
    ]
    history = run(quarter_plan, "commentary", "--quarter", QUARTER, "--history", "--json")
    assert [n["version"] for n in json.loads(history.stdout)] == [1, 2]
    text = run(quarter_plan, "commentary", "--quarter", QUARTER, "--history")
    assert "== Exceptions (version 1, Director" in text.stdout
    assert "Two actions are red." in text.stdout and "Reviewed monthly." in text.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--section", "nonsense", "--text", "x"], "section: 'nonsense' is not a section"),
        (["--section", "overview", "--text", " "], "text: is required"),
        (
            ["--section", "overview", "--text", "x", "--expect-version", "3"],
            "you started from version 3",
        ),
    ],
)
def test_cli_refusals_are_one_line_and_store_nothing(
    quarter_plan: Store, args: list[str], message: str
) -> None:
    write_commentary(quarter_plan, QUARTER, "overview", "Already here.", "Director")
    before = table_rows(quarter_plan)
    result = run(quarter_plan, "commentary", "--quarter", QUARTER, "--by", "Director", *args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert table_rows(quarter_plan) == before


def test_the_report_shows_the_latest_commentary_as_of_the_run_signed(quarter_plan: Store) -> None:
    write_commentary(quarter_plan, QUARTER, "overview", "Old overview.", "Director")
    first = report.title(from_store(quarter_plan, QUARTER)).html
    assert "Old overview." in first

    write_commentary(quarter_plan, QUARTER, "overview", "New <overview>.\n\nSecond para.", "Deputy")
    write_commentary(quarter_plan, QUARTER, "exceptions", "Red is being fixed.", "Deputy")
    ctx = from_store(quarter_plan, QUARTER)
    title = BeautifulSoup(report.title(ctx).html, "html.parser")
    overview = title.find("section", id="overview")
    assert [p.get_text() for p in overview.find_all("p")][:2] == ["New <overview>.", "Second para."]
    assert "Old overview." not in str(title)
    signed = overview.find("p", class_="signed")
    assert signed.get_text().startswith("Deputy, ")
    assert signed.find("time")["datetime"] == date.today().isoformat()
    assert title.find("a", class_="skip-link")["href"] == "#overview"
    assert title.find("nav").find("a")["href"] == "#overview"

    exceptions = BeautifulSoup(report.exceptions(ctx).html, "html.parser")
    note = exceptions.find("div", class_="commentary")
    assert note.find_previous("h2").get_text() == "Exceptions"
    assert "Red is being fixed." in note.get_text() and "version" not in note.get_text()
    movement = BeautifulSoup(report.movement(ctx).html, "html.parser")
    assert movement.find("div", class_="commentary") is None


def test_workbook_panel_saves_and_refuses_to_overwrite_a_colleague(quarter_plan: Store) -> None:
    today = date(2025, 1, 20)
    panel = CommentaryPanel(quarter_plan, lambda: "Director", lambda: today)
    assert panel.quarter.value == QUARTER
    panel.section.value = "exceptions"
    assert panel.text.value == "" and panel.version == 0

    panel.text.value = "From the workbook."
    panel.save_button.click()
    assert "Saved version 1" in panel.message.value
    assert latest_commentary(quarter_plan, QUARTER)["exceptions"].by == "Director"

    write_commentary(quarter_plan, QUARTER, "exceptions", "A <b>colleague</b>'s text.", "Deputy", 1)
    panel.text.value = "My second thoughts."
    panel.save_button.click()
    assert "Not saved" in panel.message.value and "Deputy" in panel.message.value
    assert "&lt;b&gt;colleague&lt;/b&gt;" in panel.message.value
    assert panel.text.value == "My second thoughts."
    assert latest_commentary(quarter_plan, QUARTER)["exceptions"].version == 2

    panel.save_button.click()
    assert "Saved version 3" in panel.message.value
    assert [n.version for n in commentary_history(quarter_plan, QUARTER)] == [1, 2, 3]
    panel.section.value = "overview"
    assert panel.text.value == "" and "Nothing written" in panel.history.value
    panel.section.value = "exceptions"
    assert panel.text.value == "My second thoughts." and panel.version == 3
