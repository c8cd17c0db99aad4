"""The report's Assurance part (SPEC section 8) on the demo plan with its team.

The demo with people (`init --demo --demo-people`) keeps evidence, has four
completions verified and one rejected in its last quarter, three due-date
requests (one approved, one refused, one waiting), and the lead's review of
the 36 closures of earlier quarters (a closure note each, verified four weeks
after completion: three of them, completed in June, were verified in July). The report is rendered
through the real notebook for both audiences and checked against `summary`,
then opened in Chromium: axe-clean, and screenshots at 390, 1,024 and 1,440 px.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from actionplan.demo import load_demo
from actionplan.report.render import render_report
from actionplan.store import Store
from actionplan.store.queries import summarise

from .conftest import add_action

TODAY = date(2026, 11, 30)
QUARTER = "2026-27-Q2"
NAMES = ("Sam Patel", "Priya Shah", "Dana Reid")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("assurance")
    store = Store(folder / "demo.db")
    load_demo(store, people=True, today=TODAY)
    found = {
        "summary": summarise(store, QUARTER, today=TODAY),
        "internal": render_report(store, QUARTER, folder / "internal"),
        "public": render_report(store, QUARTER, folder / "public", audience="public"),
    }
    store.close()
    return found


def section(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = soup.find(id="assurance")
    assert found is not None
    return found


def test_the_demo_tells_the_assurance_story(demo: dict) -> None:
    actions = demo["summary"]["actions"]
    assert {name: actions[name] for name in list(actions)[-8:]} == {
        "verified": 40,
        "awaiting_verification": actions["by_rag"]["complete"],
        "verified_in_quarter": 7,
        "rejected_in_quarter": 1,
        "due_requests_in_quarter": 3,
        "due_requests_approved": 1,
        "due_requests_refused": 1,
        "due_requests_pending": 1,
    }
    assert actions["by_rag"]["verified"] == 40
    assert actions["awaiting_verification"] == 6  # all completed in the quarter


def test_the_assurance_part_shows_the_summarys_figures(demo: dict) -> None:
    actions = demo["summary"]["actions"]
    part = section(demo["internal"])
    shown = {tag["data-figure"]: tag.get("data-value") for tag in part.select("[data-figure]")}
    for name in ("verified", "awaiting-verification", "verified-in-quarter",
                 "rejected-in-quarter", "due-requests-pending", "due-requests-approved",
                 "due-requests-refused", "completed-in-quarter"):  # fmt: skip
        assert shown[f"assurance-{name}"] == str(actions[name.replace("-", "_")]), name
    words = part.get_text(" ", strip=True)
    assert "Closed actions to check, and their evidence" in words
    assert "Training attendance records" not in words  # counts per action, not the items
    closed = part.find(
        "caption", string=lambda s: s and s.startswith("Awaiting verification")
    ).parent
    rows = {row.th.get_text(strip=True): row.get_text(" ") for row in closed.select("tbody tr")}
    assert "Verified" in rows["ACT-046"]  # completed and verified in the quarter
    assert "ACT-001" not in rows  # closed and verified in an earlier year: settled
    awaiting = [action for action, words in rows.items() if "Awaiting" in words]
    assert len(awaiting) == actions["awaiting_verification"]
    waiting = part.find("caption", string=lambda s: s and "requests waiting" in s).parent
    [row] = waiting.select("tbody tr")
    assert "ACT-053" in row.get_text() and "Sam Patel" in row.get_text()


def test_the_public_assurance_part_shows_counts_and_no_names(demo: dict) -> None:
    part = section(demo["public"])
    words = part.get_text(" ", strip=True)
    assert not part.find("table")
    assert not any(name in words for name in NAMES)
    assert part.select_one('[data-figure="assurance-due-requests-pending"]')["data-value"] == "1"


@pytest.mark.browser
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_report_with_assurance_is_axe_clean_at_three_widths(
    demo: dict, browser, tmp_path: Path, audience: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width in (390, 1024, 1440):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(demo[audience].as_uri())
        page.wait_for_load_state("load")
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], v["impact"]) for v in violations] == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#assurance").screenshot(path=str(tmp_path / f"assurance-{width}.png"))
        page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        page.close()


def test_without_a_team_the_assurance_part_says_completions_are_not_verified(
    plan: Store,
) -> None:
    from actionplan.report.context import from_store
    from actionplan.report.sections import assurance

    add_action(plan, "A1", "2025-03-31", "2024-04-01", status="complete",
               completed_on="2024-11-01")  # fmt: skip
    part = assurance(from_store(plan, "2024-25-Q3"))
    assert "no team registered, so completions are not verified" in part.html
    assert 'data-figure="assurance-awaiting-verification" data-value="1"' in part.html


def test_with_a_team_the_assurance_part_does_not_say_so(demo: dict) -> None:
    assert "no team registered" not in section(demo["internal"]).get_text()
