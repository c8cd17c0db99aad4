"""The team service end to end: `actionplan hub` on PostgreSQL, people signing in through Chromium.

One hub per module, started by the real command with the plan's address (with a
password in it) only in its environment. The demo plan and its fictional team
are loaded into a fresh PostgreSQL database; people sign in through the hub's
login form, as they would. The tests prove what a person would notice: each
officer sees their own actions and saves under their own name, a save on a
colleague's action is refused and stores nothing, a viewer has no Save, and the
page can neither run code nor show the database password. The last test stops
the hub with SIGINT (Ctrl-C) and checks that nothing it started is left: every
process carries a marker variable, found by reading `/proc/*/environ`, which
finds orphans too. Screenshots go under the tests' tmp folders;
`$ACTIONPLAN_TEAM_SCREENSHOT`, when set, receives the two officers side by side
(docs/team-screenshot.png). Nothing asserts on time.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.hub.config import PROJECT_PROXY, free_port
from actionplan.store import Store

from .conftest import CHROMIUM, ROOT
from .test_workbook_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(
        not PROJECT_PROXY.exists(), reason="configurable-http-proxy missing: run `make hub-proxy`"
    ),
]

ACTIONPLAN = Path(sys.executable).parent / "actionplan"
PASSWORD = "Trial-sign-in-2026"
#: In the plan's URL only: trust authentication never asks for it, so it can be
#: looked for anywhere a person could see it.
DB_SECRET = "db-secret-" + uuid.uuid4().hex[:12]
WAIT_MS = 120_000


class Hub:
    """`actionplan hub` running in the background, with a marker in every process it starts."""

    def __init__(self, db: str, state: Path, log: Path) -> None:
        self.marker = uuid.uuid4().hex
        self.state = state
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "ACTIONPLAN_DB": db, "ACTIONPLAN_TEST_MARKER": self.marker}
        env.pop("ACTIONPLAN_USER", None)
        self.output = log.open("w")
        self.process = subprocess.Popen(
            [str(ACTIONPLAN), "hub", "--port", str(self.port), "--state", str(state)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C of pytest does not reach it by accident
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"actionplan hub exited: {self.text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/hub/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        pytest.fail(f"the hub did not answer: {self.text()[-3000:]}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def processes(self) -> list[int]:
        """Every process whose environment carries this hub's marker (orphans included)."""
        marker = f"ACTIONPLAN_TEST_MARKER={self.marker}".encode()
        found = []
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                if marker in environ.read_bytes().split(b"\0"):
                    found.append(int(environ.parent.name))
            except OSError:
                continue
        return found

    def kill_everything(self) -> None:
        for pid in self.processes():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        self.output.close()


@pytest.fixture(scope="module")
def team_db(pg_cluster) -> Iterator[str]:
    """The demo plan and its team in a new PostgreSQL database, everyone with a password."""
    name = pg_cluster.new_database()
    url = pg_cluster.url(name).replace("postgres@", f"postgres:{DB_SECRET}@")
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", url, "init", "--demo", "--demo-people"])
    assert made.exit_code == 0, made.output
    for login in ("dana.reid", "priya.shah", "sam.patel", "jo.okafor", "lee.morgan"):
        done = runner.invoke(
            cli,
            ["--db", url, "people", "password", login, "--password-stdin"],
            input=PASSWORD + "\n",
            env={"ACTIONPLAN_USER": "dana.reid", "JUPYTERHUB_USER": ""},
        )
        assert done.exit_code == 0, done.output
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture(scope="module")
def hub(team_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("hub")
    running = Hub(team_db, folder / "state", folder / "hub.log")
    yield running
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)
        running.process.wait(timeout=60)
    running.kill_everything()


@pytest.fixture(scope="module")
def pages(hub: Hub, browser) -> Iterator[dict]:
    """One browser context per person, signed in through the login form on first use."""
    opened: dict = {}

    def page_of(login: str, width: int = 1024):
        if login not in opened:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            sign_in(page, hub, login)
            opened[login] = page
        return opened[login]

    yield page_of
    for page in opened.values():
        page.context.close()


def sign_in(page, hub: Hub, login: str, password: str = PASSWORD) -> None:
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", login)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(login)}/voila/render/"), timeout=WAIT_MS)
    page.locator(".ap-signed-in").wait_for(timeout=WAIT_MS)
    page.locator(".ap-open").first.wait_for(timeout=WAIT_MS)


def shown_ids(page) -> list[str]:
    return [text.strip() for text in page.locator(".ap-open").all_inner_texts()]


def open_action(page, action_id: str) -> None:
    """Search for the action, then open it once the filtered list has been drawn.

    Clicking before the list is redrawn can land on a button the redraw is
    about to replace (the click is then lost on a busy machine).
    """
    search = page.locator(".ap-filter-search input")
    search.fill(action_id)
    search.press("Tab")
    page.wait_for_function(
        "id => [...document.querySelectorAll('.ap-open')].map(b => b.innerText.trim())"
        ".join() === id",
        arg=action_id,
        timeout=WAIT_MS,
    )
    page.locator(f".ap-open-{action_id}").click()
    page.locator(".ap-action-heading", has_text=action_id).wait_for(timeout=WAIT_MS)


def owner_of(db: str, action_id: str) -> str:
    store = Store(db)
    try:
        return store.get_action(action_id)["owner"]
    finally:
        store.close()


def test_a_wrong_password_is_refused_at_the_login_form(hub: Hub, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", "sam.patel")
    page.fill("#password_input", PASSWORD + "x")
    page.click("#login_submit")
    page.wait_for_load_state()
    assert "/hub/login" in page.url
    assert "Invalid username or password" in page.content()
    context.close()


def test_two_officers_signed_in_each_see_their_own_actions(
    pages, team_db: str, tmp_path: Path
) -> None:
    sam, jo = pages("sam.patel"), pages("jo.okafor")
    assert "Signed in as Sam Patel (Officer)" in sam.locator(".ap-signed-in").inner_text()
    assert "Signed in as Jo Okafor (Officer)" in jo.locator(".ap-signed-in").inner_text()
    sams = {owner_of(team_db, i) for i in shown_ids(sam)}
    jos = {owner_of(team_db, i) for i in shown_ids(jo)}
    assert sams <= {"Carers Lead", "Prevention and Wellbeing Lead"} and sams
    assert jos <= {"Financial Assessments Manager", "Head of Finance (Adults)"} and jos
    shots = [tmp_path / "sam.png", tmp_path / "jo.png"]
    sam.screenshot(path=str(shots[0]))
    jo.screenshot(path=str(shots[1]))
    side_by_side(shots, tmp_path / "two-officers.png")
    if os.environ.get("ACTIONPLAN_TEAM_SCREENSHOT"):
        side_by_side(shots, Path(os.environ["ACTIONPLAN_TEAM_SCREENSHOT"]))
    assert axe_violations(sam) == []


def side_by_side(shots: list[Path], target: Path) -> None:
    """Two screenshots in one picture, as two people's screens."""
    from PIL import Image

    images = [Image.open(shot) for shot in shots]
    gap = 24
    width = sum(image.width for image in images) + gap
    height = max(image.height for image in images)
    joined = Image.new("RGB", (width, height), "#9ca3af")
    joined.paste(images[0], (0, 0))
    joined.paste(images[1], (images[0].width + gap, 0))
    joined.save(target)


def test_an_officer_saves_their_own_action_under_their_signed_in_name(
    pages, team_db: str, tmp_path: Path
) -> None:
    page = pages("sam.patel")
    action_id = "ACT-053"
    assert owner_of(team_db, action_id) == "Carers Lead"
    open_action(page, action_id)
    page.locator(".ap-note textarea").fill("Carers' forum agreed the priorities")
    page.locator(".ap-save").click()
    page.locator(".ap-update-message .ap-message-ok").wait_for()
    page.screenshot(path=str(tmp_path / "sam-saved.png"))
    store = Store(team_db)
    last = store.history(action_id)[-1]
    store.close()
    assert (last["by"], last["note"]) == ("Sam Patel", "Carers' forum agreed the priorities")


def test_an_officer_is_refused_on_a_colleagues_action_and_nothing_is_stored(
    pages, team_db: str, tmp_path: Path
) -> None:
    page = pages("sam.patel")
    page.locator(".ap-filter-mine input").uncheck()
    action_id = "ACT-001"
    assert owner_of(team_db, action_id) == "Financial Assessments Manager"
    store = Store(team_db)
    before = store.history(action_id)
    open_action(page, action_id)
    page.locator(".ap-note textarea").fill("Not mine to say")
    page.locator(".ap-save").click()
    refusal = page.locator(".ap-update-message .ap-message-bad")
    refusal.wait_for()
    assert "Sam Patel (officer) may not update action ACT-001" in refusal.inner_text()
    page.screenshot(path=str(tmp_path / "sam-refused.png"))
    assert store.history(action_id) == before
    store.close()


def test_a_lead_signs_in_and_gets_the_forms_for_new_work(pages, tmp_path: Path) -> None:
    page = pages("priya.shah", width=1440)
    assert "(Lead)" in page.locator(".ap-signed-in").inner_text()
    page.get_by_role("tab", name="Record new work").click()
    page.get_by_role("button", name=re.compile("Add")).first.wait_for()
    page.screenshot(path=str(tmp_path / "lead-forms-1440.png"))


def test_a_viewer_sees_no_save(pages, tmp_path: Path) -> None:
    page = pages("lee.morgan", width=390)
    assert "(Viewer)" in page.locator(".ap-signed-in").inner_text()
    page.locator(".ap-open").first.click()
    page.locator(".ap-history-box table").wait_for()
    page.screenshot(path=str(tmp_path / "viewer-390.png"), full_page=True)
    assert page.locator(".ap-save").is_visible() is False
    assert page.get_by_role("button", name="Save update").count() == 0 or not (
        page.get_by_role("button", name="Save update").is_visible()
    )


def _xsrf(page, hub: Hub, login: str) -> str:
    for cookie in page.context.cookies(hub.url + f"/user/{login}/"):
        if cookie["name"] == "_xsrf" and cookie["path"].startswith(f"/user/{login}"):
            return cookie["value"]
    raise AssertionError("no _xsrf cookie for the person's server")


#: Sends code and an inspection over the kernel's websocket; returns the replies' types.
WEBSOCKET_PROBE = """
async ([url, code]) => new Promise((resolve) => {
  const got = [];
  const ws = new WebSocket(url);
  const make = (type, content) => ({
    header: {msg_id: crypto.randomUUID(), username: "x", session: "probe",
             msg_type: type, version: "5.3", date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content: content, channel: "shell", buffers: []});
  ws.onopen = () => {
    ws.send(JSON.stringify(make("execute_request", {code: code, silent: false,
      store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true})));
    ws.send(JSON.stringify(make("kernel_info_request", {})));
  };
  ws.onmessage = (e) => { const m = JSON.parse(e.data); got.push(m.msg_type || m.header.msg_type); };
  setTimeout(() => { try { ws.close(); } catch (e) {} resolve(got); }, 4000);
})
"""


def test_an_officers_page_can_run_no_code_and_shows_no_database_password(
    pages, hub: Hub, tmp_path: Path
) -> None:
    login = "jo.okafor"
    page = pages(login)
    base = f"{hub.url}/user/{login}"
    headers = {"X-XSRFToken": _xsrf(page, hub, login)}
    request = page.context.request
    statuses = {
        "start a kernel": request.post(base + "/api/kernels", headers=headers, data={}).status,
        "write a file": request.put(
            base + "/api/contents/evil.py",
            headers=headers,
            data={"type": "file", "format": "text", "content": "x"},
        ).status,
        "list files": request.get(base + "/api/contents/").status,
        "read a file": request.get(base + "/files/update_actions.ipynb").status,
        "open a terminal": request.post(base + "/api/terminals", headers=headers).status,
        "open JupyterLab": request.get(base + "/lab").status,
        "start a session": request.post(
            base + "/api/sessions",
            headers=headers,
            data={"path": "x.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
        ).status,
    }
    assert all(status in (403, 404) for status in statuses.values()), statuses
    kernels = request.get(base + "/api/kernels")
    assert kernels.status == 200
    kernel_id = kernels.json()[0]["id"]
    proof = tmp_path / f"ran-{uuid.uuid4().hex}"
    socket_url = (
        hub.url.replace("http", "ws")
        + f"/user/{login}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    )
    replies = page.evaluate(WEBSOCKET_PROBE, [socket_url, f"open({str(proof)!r}, 'w')"])
    assert "kernel_info_reply" in replies  # the socket works...
    assert "execute_reply" not in replies and "execute_input" not in replies
    time.sleep(1)
    assert not proof.exists()  # ...but no code ran
    assert "which is not allowed" in hub.text()
    seen = {
        "page": page.content(),
        "raw page": request.get(base + "/voila/render/update_actions.ipynb").text(),
        "hub home": request.get(hub.url + "/hub/home").text(),
        "identity": request.get(base + "/api/me").text(),
    }
    for where, text in seen.items():
        assert DB_SECRET not in text, where
        assert "ACTIONPLAN_DB" not in text, where
    for pid in hub.processes():
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert DB_SECRET.encode() not in command
    assert DB_SECRET not in hub.text()  # nor in the hub's log...
    for path in hub.state.rglob("*"):  # ...nor in any file the service wrote
        assert not path.is_file() or DB_SECRET.encode() not in path.read_bytes(), path


def test_signing_out_needs_a_new_sign_in(pages, hub: Hub) -> None:
    page = pages("priya.shah")
    page.get_by_role("link", name="Sign out").click()
    page.wait_for_url(re.compile(r"/hub/login"), timeout=WAIT_MS)
    again = page.context.request.get(
        f"{hub.url}/user/priya.shah/voila/render/update_actions.ipynb", max_redirects=0
    )
    assert again.status in (302, 303) and "/hub/" in again.headers.get("location", "")


def test_ctrl_c_stops_the_hub_and_leaves_no_process_behind(hub: Hub) -> None:
    """Last in the module: it stops the hub every other test used."""
    running = hub.processes()
    assert len(running) >= 4  # the hub, its proxy, people's servers and their kernels
    hub.process.send_signal(signal.SIGINT)
    assert hub.process.wait(timeout=60) == 0
    deadline = time.monotonic() + 20
    left = hub.processes()
    while left and time.monotonic() < deadline:  # kernels go a moment after their server
        time.sleep(0.2)
        left = hub.processes()
    assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for pid in left]
    assert "Cleaning up" in hub.text() or "Shutting down" in hub.text() or "Exiting" in hub.text()
