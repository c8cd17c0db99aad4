"""The workbook notebook as officers get it: run by papermill, and served by Voila to Chromium.

The browser test is the only proof that the widgets work in a real page: it
starts Voila on 127.0.0.1 with the plan in `ACTIONPLAN_DB` (Voila does not take
papermill parameters), opens the page in `/usr/bin/chromium` through
playwright, records an update by clicking, and reads the new event back from
the database. It saves a screenshot in the test's tmp dir, and also at
`$ACTIONPLAN_WORKBOOK_SCREENSHOT` when that is set (how the README's picture is
made).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from actionplan.store import Store

from .conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "update_actions.ipynb"
HAS_DEMO = (
    importlib.util.find_spec("actionplan.demo") is not None
    and (ROOT / "data" / "demo" / "actions.csv").exists()
)
#: Generous bounds for slow machines; the tests never assert on time.
SERVER_START_SECONDS = 90
WIDGET_WAIT_MS = 60_000


def _officer_plan(path: Path) -> Path:
    """A small fictional plan dated around the real today (Voila runs on the real clock)."""
    today = date.today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    store = Store(path)
    store.initialise(council="Westbury Council")
    store.add_source({"id": "S1", "kind": "peer_review", "title": "LGA Corporate Peer Challenge"})
    store.add_source({"id": "S2", "kind": "cqc_assessment", "title": "CQC assessment"})
    store.add_recommendation(
        {"id": "R1", "source_id": "S1", "text": "Reduce waiting times for Care Act assessments",
         "quality_statement": "Assessing needs", "priority": "high"}
    )  # fmt: skip
    store.add_recommendation(
        {"id": "R2", "source_id": "S2", "text": "Strengthen safeguarding oversight",
         "quality_statement": "Safeguarding", "priority": "medium"}
    )  # fmt: skip
    actions = [
        ("A-001", "R1", "Triage new referrals within 5 working days", "Head of Assessment",
         "Assessment", 20, "on_track", 60),
        ("A-002", "R1", "Recruit two additional social workers", "Principal Social Worker",
         "Workforce", -12, "at_risk", 30),
        ("A-003", "R2", "Quarterly safeguarding audit of closed cases", "Safeguarding Lead",
         "Safeguarding", 90, "on_track", 20),
        ("A-004", "R2", "Publish the safeguarding adults board report", "Safeguarding Lead",
         "Safeguarding", 150, "not_started", 0),
        ("A-005", "R1", "Rewrite financial assessment letters", "Finance Manager", "Finance",
         28, "off_track", 10),
        ("A-006", "R1", "Carers' assessment drop-in sessions", "Carers Lead", "Assessment",
         -40, "complete", None),
        ("A-007", "R2", "Train duty staff on safeguarding thresholds", "Safeguarding Lead",
         "Safeguarding", 60, "at_risk", 45),
    ]  # fmt: skip
    for action_id, recommendation, title, owner, team, due, status, progress in actions:
        store.add_action(
            {"id": action_id, "recommendation_id": recommendation, "title": title,
             "owner": owner, "team": team, "due": day(due), "status": status,
             "progress": progress, "created_on": day(-200)},
            by="Improvement Officer",
        )  # fmt: skip
    store.record_update(
        {"action_id": "A-002", "by": "Improvement Officer", "as_of": day(-100), "progress": 30,
         "note": "Interviews held"}
    )  # fmt: skip
    store.close()
    return path


@pytest.fixture
def workbook_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The demo plan when the demo loader exists, else the small officer plan."""
    if HAS_DEMO:
        return request.getfixturevalue("demo_db")
    return _officer_plan(tmp_path / "plan.db")


def test_notebook_runs_top_to_bottom_under_papermill(workbook_db: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / "update_actions.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"db": str(workbook_db), "user": "Papermill Officer"},
        kernel_name="python3",
        progress_bar=False,
        shutdown_kernel="immediate",
        cwd=str(tmp_path),
    )
    cells = json.loads(out.read_text())["cells"]
    outputs = [output for cell in cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output["output_type"] == "error"]
    shown = [output for output in outputs if output["output_type"] == "display_data"]
    assert any("application/vnd.jupyter.widget-view+json" in output["data"] for output in shown)
    assert "Cannot open the plan" not in out.read_text()


def test_notebook_shows_one_cell_of_code_over_the_package() -> None:
    import papermill

    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == {"db", "user"}
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "code"]
    assert cells[1]["metadata"]["tags"] == ["parameters"]
    assert "".join(cells[2]["source"]).count("\n") <= 2
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"voila exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "api", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any answer means the server is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    pytest.fail(f"voila did not start serving:\n{log.read_text()[-2000:]}")


@pytest.fixture
def voila_url(workbook_db: Path, tmp_path: Path) -> Iterator[str]:
    """The workbook notebook served by Voila on a free local port; stopped afterwards."""
    port = _free_port()
    log = tmp_path / "voila.log"
    env = {
        **os.environ,
        "ACTIONPLAN_DB": str(workbook_db),
        "ACTIONPLAN_USER": "Browser Officer",
    }
    voila = Path(sys.executable).parent / "voila"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(voila), str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_officer_records_an_update_in_a_real_browser(
    voila_url: str, workbook_db: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1250}, locale="en-GB")
            page.set_default_timeout(WIDGET_WAIT_MS)
            page.goto(voila_url)
            first = page.locator(".ap-open").first
            first.wait_for()
            action_id = first.inner_text().strip()
            before = Store(workbook_db).get_action(action_id)
            first.click()
            page.locator(".ap-save:not([disabled])").wait_for()
            page.locator(".ap-action-heading", has_text=action_id).wait_for()

            handle = page.locator(".ap-progress .noUi-handle")
            handle.focus()
            steps = 5 if before["progress"] <= 95 else -5
            for _ in range(abs(steps)):
                handle.press("ArrowRight" if steps > 0 else "ArrowLeft")
            expected = before["progress"] + steps
            number = page.locator(".ap-progress-number input")
            page.wait_for_function(
                "([element, wanted]) => element.value === wanted",
                arg=[number.element_handle(), str(expected)],
            )
            page.locator(".ap-note textarea").fill("Checked with the team in the browser")
            page.locator(".ap-save").click()
            page.locator(".ap-update-message .ap-message-ok").wait_for()
            page.locator(".ap-history-box", has_text="Checked with the team").wait_for()
            page.screenshot(path=str(tmp_path / "workbook.png"), full_page=True)
            wanted = os.environ.get("ACTIONPLAN_WORKBOOK_SCREENSHOT")
            if wanted:
                shutil.copy(tmp_path / "workbook.png", wanted)
        finally:
            browser.close()

    store = Store(workbook_db)
    try:
        event = store.history(action_id)[-1]
        assert event["version"] == before["version"] + 1
        assert event["by"] == "Browser Officer"
        assert event["note"] == "Checked with the team in the browser"
        assert event["changes"]["progress"] == {"old": before["progress"], "new": expected}
        assert store.get_action(action_id)["progress"] == expected
    finally:
        store.close()
    assert (tmp_path / "workbook.png").stat().st_size > 0


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_search_finds_head_of_owners_at_every_width(
    voila_url: str, workbook_db: Path, tmp_path: Path
) -> None:
    """The workbook's search is `list --search`: "head" finds every "Head of ..." owner."""
    from playwright.sync_api import sync_playwright

    from actionplan.store.queries import action_list

    expected = {row["id"] for row in action_list(Store(workbook_db), search="head")}
    assert expected
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in (390, 1024, 1440):
                page = browser.new_page(viewport={"width": width, "height": 1100}, locale="en-GB")
                page.set_default_timeout(WIDGET_WAIT_MS)
                page.goto(voila_url)
                page.locator(".ap-open").first.wait_for()
                search = page.locator(".ap-filter-search input")
                assert "owner" in (search.get_attribute("placeholder") or "")
                search.fill("head")
                search.press("Enter")
                page.wait_for_function(
                    "n => document.querySelectorAll('.ap-open').length === n", arg=len(expected)
                )
                shown = {text.strip() for text in page.locator(".ap-open").all_inner_texts()}
                assert shown == expected
                page.screenshot(path=str(tmp_path / f"search-{width}.png"))
                page.close()
        finally:
            browser.close()
