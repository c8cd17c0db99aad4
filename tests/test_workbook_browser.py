"""The workbook as officers get it: `actionplan workbook`, in real Chromium.

One server per module, started by the real command (`actionplan --db X workbook
--port P`), serves the demo plan to `/usr/bin/chromium` through playwright. The
tests open the page at 390, 1,024 and 1,440 px, save screenshots under the
test's tmp folder, scan with axe after opening an action and after a refused
save, type dates as an officer would, and read the database to prove what was
stored. `$ACTIONPLAN_WORKBOOK_SCREENSHOT`, when set, receives the 1,024 px
picture (how docs/workbook-screenshot.png is made). Nothing asserts on time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from actionplan.store import Store

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT
from .test_workbook_notebook import HAS_DEMO, officer_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

#: Generous bounds for a slow, shared machine; no test asserts on time.
START_SECONDS = 150
WIDGET_WAIT_MS = 90_000
ACTIONPLAN = Path(sys.executable).parent / "actionplan"


def free_port() -> int:
    """A port on 127.0.0.1 nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`actionplan workbook` running in the background, its address and its output."""

    def __init__(self, db: Path, log: Path, user: str = "Browser Officer") -> None:
        self.db = db
        self.port = free_port()
        self.log = log
        env = {**os.environ, "ACTIONPLAN_USER": user}
        env.pop("ACTIONPLAN_DB", None)
        self.output = log.open("w")
        self.process = subprocess.Popen(
            [str(ACTIONPLAN), "--db", str(db), "workbook", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        self.url = self._wait_for_address()

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:\d+/", self.log.read_text())
            if found:
                return found.group(0)
            if self.process.poll() is not None:
                pytest.fail(f"actionplan workbook exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.25)
        pytest.fail(f"actionplan workbook printed no address: {self.log.read_text()[-2000:]}")

    def stop(self) -> int:
        """Ctrl-C, as an officer stops it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.output.close()


def processes_using(db: Path) -> list[int]:
    """Processes whose environment names this plan (Voila and its kernels)."""
    marker = f"ACTIONPLAN_DB={db}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def served_db(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A private copy of the demo plan (else the small officer plan) for this module."""
    folder = tmp_path_factory.mktemp("served")
    if HAS_DEMO:
        target = folder / "demo.db"
        shutil.copy(request.getfixturevalue("demo_db_template"), target)
        return target.resolve()
    return officer_plan(folder / "plan.db").resolve()


@pytest.fixture(scope="module")
def server(served_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The workbook served by `actionplan workbook` for the whole module."""
    running = Server(served_db, tmp_path_factory.mktemp("server") / "workbook.out")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser, url: str, width: int):
    """The workbook in a new page `width` px wide, its list shown; requests off this machine noted."""
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="en-US")
    page.set_default_timeout(WIDGET_WAIT_MS)
    page.outside = []  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else page.outside.append(request.url)
        ),  # type: ignore[attr-defined]
    )
    page.goto(url)
    page.locator(".ap-open").first.wait_for()
    return page


def axe_violations(page) -> list[tuple[str, str, str]]:
    """Every axe violation on the page: rule, impact and the first element's selector."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], str(violation["nodes"][0]["target"]))
        for violation in results.response["violations"]
    ]


def open_first_action(page) -> str:
    """Choose the first action in the list; its id."""
    first = page.locator(".ap-open").first
    action_id = first.inner_text().strip()
    first.click()
    page.locator(".ap-save:not([disabled])").wait_for()
    page.locator(".ap-action-heading", has_text=action_id).wait_for()
    return action_id


def type_date(page, selector: str, text: str) -> None:
    """Type a date into a date box and leave it (the box is read when left)."""
    box = page.locator(f"{selector} input")
    box.fill(text)
    box.press("Tab")


@pytest.mark.parametrize("width", [390, 1024, 1440])
def test_layout_reads_at_every_width_and_axe_is_clean_after_opening_and_refusing(
    server: Server, browser, width: int, tmp_path: Path
) -> None:
    page = open_page(browser, server.url, width)
    try:
        title_widths = page.eval_on_selector_all(
            ".ap-title-cell", "cells => cells.map(cell => cell.getBoundingClientRect().width)"
        )
        if width == 1024:
            assert min(title_widths) >= 140, title_widths
        else:
            assert min(title_widths) >= 120, title_widths
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"workbook-{width}-list.png"))

        action_id = open_first_action(page)
        # Choosing an action moves the keyboard to the update panel.
        page.wait_for_function("document.activeElement.closest('.ap-status') !== null")
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"workbook-{width}-open.png"), full_page=True)
        wanted = os.environ.get("ACTIONPLAN_WORKBOOK_SCREENSHOT")
        if wanted and width == 1024:
            page.screenshot(path=wanted)

        type_date(page, ".ap-due", "31/12/32027")
        page.locator(".ap-save").click()
        page.locator(".ap-error-due .ap-error").wait_for()
        page.locator(".ap-update-message .ap-message-bad").wait_for()
        assert "is not a date" in page.locator(".ap-error-due").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"workbook-{width}-refused.png"), full_page=True)
        assert Store(server.db).get_action(action_id)["due"].year < 2100
        assert page.outside == []  # type: ignore[attr-defined]
        icons = page.evaluate(
            "[...document.fonts].some(f => f.family.includes('Font Awesome') && f.status == 'loaded')"
        )
        assert icons, "Font Awesome comes from Voila itself"
    finally:
        page.close()


def test_officer_types_a_uk_date_and_it_is_stored_as_iso(server: Server, browser) -> None:
    page = open_page(browser, server.url, 1024)
    try:
        action_id = open_first_action(page)
        before = Store(server.db).get_action(action_id)
        type_date(page, ".ap-due", "31/03/2027")
        page.locator(".ap-date-words", has_text="31 Mar 2027").first.wait_for()
        page.locator(".ap-reason textarea").fill("New case system arrives in 2027")
        page.locator(".ap-note textarea").fill("Agreed at the board")
        page.locator(".ap-save").click()
        page.locator(".ap-update-message .ap-message-ok").wait_for()
        page.locator(".ap-history-box", has_text="Agreed at the board").wait_for()
    finally:
        page.close()
    store = Store(server.db)
    try:
        event = store.history(action_id)[-1]
        assert event["by"] == "Browser Officer"
        assert event["changes"]["due"] == {"old": before["due"].isoformat(), "new": "2027-03-31"}
        assert event["version"] == before["version"] + 1
    finally:
        store.close()


def test_actionplan_workbook_stops_on_ctrl_c_and_leaves_nothing_running(
    served_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "own.db"
    shutil.copy(served_db, db)
    running = Server(db.resolve(), tmp_path / "out.txt")
    with urllib.request.urlopen(running.url, timeout=120) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "cdn.jsdelivr.net" not in page
    assert processes_using(db.resolve())
    assert running.stop() == 0
    assert "Stopped the workbook." in (tmp_path / "out.txt").read_text()
    deadline = time.monotonic() + 10
    while processes_using(db.resolve()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(db.resolve()) == []


def test_the_notebook_works_in_jupyterlab_with_the_file_browser_open(
    served_db: Path, browser, tmp_path: Path
) -> None:
    port = free_port()
    shutil.copy(ROOT / "notebooks" / "update_actions.ipynb", tmp_path / "update_actions.ipynb")
    env = {**os.environ, "ACTIONPLAN_DB": str(served_db), "ACTIONPLAN_USER": "Lab Officer"}
    lab = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--allow-root", "--IdentityProvider.token=workbook-test",
         f"--ServerApp.root_dir={tmp_path}"],
        env=env, stdout=(tmp_path / "lab.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "api?token=workbook-test", timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        page = browser.new_page(viewport={"width": 1024, "height": 1000})
        page.set_default_timeout(WIDGET_WAIT_MS)
        page.goto(url + "lab/tree/update_actions.ipynb?token=workbook-test")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        page.locator(".jp-DirListing").wait_for()  # the file browser is open
        page.locator(".jp-Notebook-ExecutionIndicator, .jp-Toolbar-kernelStatus").first.wait_for()
        for _attempt in range(3):  # JupyterLab may still be settling: run all again if nothing ran
            time.sleep(3)
            page.locator(".jp-Notebook").click()
            page.keyboard.press("Escape")
            page.keyboard.press("Control+a")
            page.keyboard.press("Shift+Enter")
            try:
                page.locator(".ap-open").first.wait_for(timeout=40_000)
                break
            except Exception:
                continue
        page.locator(".ap-open").first.wait_for()
        widths = page.eval_on_selector_all(
            ".ap-title-cell", "cells => cells.map(cell => cell.getBoundingClientRect().width)"
        )
        assert min(widths) >= 140, widths
        page.screenshot(path=str(tmp_path / "jupyterlab-1024.png"))
        page.close()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()


@pytest.mark.parametrize("width", [390, 1024, 1440])
def test_search_finds_head_of_owners_at_every_width(
    server: Server, browser, width: int, tmp_path: Path
) -> None:
    """The workbook's search is `list --search`: "head" finds every "Head of ..." owner."""
    from actionplan.store.queries import action_list

    expected = {row["id"] for row in action_list(Store(server.db), search="head")}
    assert expected
    page = open_page(browser, server.url, width)
    try:
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
    finally:
        page.close()


@pytest.mark.parametrize("width", [390, 1024, 1440])
def test_complaint_form_refuses_a_long_extension_under_its_box_at_every_width(
    server: Server, browser, width: int, tmp_path: Path
) -> None:
    page = open_page(browser, server.url, width)
    try:
        page.get_by_role("tab", name="Record new work").click()
        page.get_by_role("tab", name="Complaint").click()
        form = page.locator(".ap-form-complaint")
        form.wait_for()
        form.locator(".ap-complaint-id input").fill("CMP-9001")
        form.locator(".ap-complaint-stage select").select_option(label="Stage 1")
        form.locator(".ap-complaint-procedure select").select_option(label="Corporate")
        type_date(page, ".ap-complaint-received_on", "22/08/2025")
        type_date(page, ".ap-complaint-acknowledged_on", "29/08/2025")
        type_date(page, ".ap-complaint-extended_to", "29/09/2025")
        form.locator(".ap-complaint-extension_reason input").fill("Provider records awaited")
        form.locator(".ap-complaint-save").click()
        error = page.locator(".ap-error-complaint-extended_to .ap-error")
        error.wait_for()
        assert "the latest extension allowed is 26 Sep 2025" in error.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"complaint-form-{width}.png"), full_page=True)
        assert "CMP-9001" not in set(Store(server.db).complaints()["id"])
    finally:
        page.close()
