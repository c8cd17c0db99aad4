"""Closing with assurance in the workbook as people get it: `actionplan workbook`, real Chromium.

The demo plan with its team (`load_demo(people=True)`) is served twice by the
real command, once signed in as the officer Sam Patel and once as the lead
Priya Shah (`ACTIONPLAN_USER`, as the team service sets the user). Sam
attaches a file as evidence to his open action ACT-044 and completes it; his
"To verify" tab offers no Verify button. Priya verifies ACT-044 from her "To
verify" list. axe scans and screenshots at 390, 1,024 and 1,440 px are taken
after each step; the database proves what was stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from actionplan.demo import load_demo
from actionplan.store import Store
from actionplan.store.evidence import evidence_file, list_evidence

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .test_workbook_browser import WIDGET_WAIT_MS, Server, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

ACTION = "ACT-044"
WIDTHS = (390, 1024, 1440)


@pytest.fixture(scope="module")
def team_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("assured") / "team.db"
    store = Store(path)
    load_demo(store, people=True, today=date.today())
    store.close()
    return path.resolve()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serve(db: Path, login: str, folder: Path) -> Server:
    return Server(db, folder / f"{login}.out", user=login)


def shoot(page, tmp_path: Path, name: str, part: str) -> None:
    """axe-clean, then pictures of the page and of the part that changed, at every width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        assert axe_violations(page) == [], (name, width)
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        page.locator(part).first.evaluate("element => element.scrollIntoView()")
        page.screenshot(path=str(tmp_path / f"{name}-{width}-part.png"))


def open_workbook(browser, url: str):
    page = browser.new_page(viewport={"width": 1024, "height": 900}, locale="en-GB")
    page.set_default_timeout(WIDGET_WAIT_MS)
    page.goto(url)
    page.locator(".ap-open").first.wait_for()
    return page


def test_an_officer_attaches_evidence_and_completes_and_a_lead_verifies_from_to_verify(
    team_db: Path, browser, tmp_path: Path
) -> None:
    evidence = tmp_path / "carers-strategy-signed.txt"
    evidence.write_text("Signed by the carers' partnership board, 3 Nov.\n")

    officer = serve(team_db, "sam.patel", tmp_path)
    try:
        page = open_workbook(browser, officer.url)
        page.locator(".ap-open", has_text=ACTION).click()
        page.locator(".ap-action-heading", has_text=ACTION).wait_for()
        page.locator(".ap-evidence-description input").fill("Carers' strategy, signed off")
        with page.expect_file_chooser() as chooser:  # the widget's own file input
            page.locator(".ap-evidence-file").click()
        chooser.value.set_files(str(evidence))
        page.locator(".ap-evidence-file", has_text="(1)").wait_for()
        page.locator(".ap-evidence-add").click()
        page.locator(".ap-evidence-message .ap-message-ok").wait_for()
        page.locator(".ap-evidence-list", has_text="carers-strategy-signed.txt").wait_for()
        page.locator(".ap-status select").select_option(label="Complete")
        page.locator(".ap-save").click()
        page.locator(".ap-update-message .ap-message-ok").wait_for()
        shoot(page, tmp_path, "officer-completed", ".ap-evidence")
        page.get_by_role("tab", name="To verify").click()
        page.locator(".ap-assurance", has_text="Leads and managers verify").wait_for()
        assert page.locator(".ap-verify").count() == 0
        assert page.get_by_role("button", name="Verify").count() == 0
        shoot(page, tmp_path, "officer-to-verify", ".ap-assurance")
        page.close()
    finally:
        officer.stop()

    store = Store(team_db)
    assert store.get_action(ACTION)["status"] == "complete"
    [item] = [i for i in list_evidence(store, ACTION) if i["filename"]]
    assert evidence_file(store, item["id"])[1] == evidence.read_bytes()
    store.close()

    lead = serve(team_db, "priya.shah", tmp_path)
    try:
        page = open_workbook(browser, lead.url)
        page.get_by_role("tab", name="To verify").click()
        page.locator(".ap-to-verify", has_text=ACTION).wait_for()
        shoot(page, tmp_path, "lead-to-verify", ".ap-assurance")
        label = page.locator(".ap-verify-choice option", has_text=f"{ACTION}:").inner_text()
        page.locator(".ap-verify-choice select").select_option(label=label)
        page.locator(".ap-verify-note textarea").fill("Read the signed strategy")
        page.locator(".ap-verify").click()
        page.locator(".ap-assurance-message", has_text=f"Verified {ACTION}").wait_for()
        shoot(page, tmp_path, "lead-verified", ".ap-assurance")
        page.close()
    finally:
        lead.stop()

    store = Store(team_db)
    last = store.history(ACTION)[-1]
    assert (last["kind"], last["by"], last["note"]) == (
        "verify", "Priya Shah", "Read the signed strategy",
    )  # fmt: skip
    assert ACTION in store.verified_now()
    store.close()
