"""`actionplan hub` before JupyterHub starts: its checks, its configuration, its sign-in.

The hub itself runs in `test_hub_browser.py`; here the command is stopped just
before it would become JupyterHub (a stand-in for `os.execv` records the
call), so what it checks and what it writes can be read directly.
"""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import ActionPlanError
from actionplan.hub.auth import PeopleAuthenticator
from actionplan.hub.config import HubSettings, render_config
from actionplan.hub.serve import start
from actionplan.store import Store
from actionplan.store.people import add_person, change_person, set_password

SECRET = "s3cret-in-the-url"


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")
    store = Store(tmp_path / "plan.db")
    store.initialise()
    add_person(store, {"login": "mona", "name": "Mona Manager", "role": "manager"})
    add_person(store, {"login": "ola", "name": "Ola Officer", "role": "officer"})
    set_password(store, "ola", "a long enough password")
    return store


@pytest.fixture
def proxy(tmp_path: Path) -> str:
    fake = tmp_path / "configurable-http-proxy"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    return str(fake)


def settings(tmp_path: Path, proxy: str, **changes: object) -> HubSettings:
    chosen: dict[str, object] = {"port": free_port(), "proxy_command": proxy, **changes}
    return HubSettings(state_dir=tmp_path / "state", **chosen)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_lockdown_is_given_on_the_command_line_never_in_a_file(tmp_path: Path) -> None:
    text = render_config(HubSettings(state_dir=tmp_path, proxy_command="chp"))
    assert "--ServerApp.authorizer_class=actionplan.hub.lockdown.VoilaOnlyAuthorizer" in text
    assert "--ServerApp.terminals_enabled=False" in text
    assert "'comm_msg'" in text and "execute_request" not in text
    assert "--ServerApp.jpserver_extensions=jupyterlab=False" in text
    assert "--config" not in text
    assert 'c.JupyterHub.ip = "127.0.0.1"' in text


def test_start_hands_the_plan_to_the_hub_in_its_environment_only(
    team: Store, tmp_path: Path, proxy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACTIONPLAN_DB", "")
    calls: list[tuple[str, list[str]]] = []
    url = f"sqlite:///{team.path}"  # what a PostgreSQL URL with a password stands for here
    chosen = settings(tmp_path, proxy)
    start(Store(url), chosen, echo=lambda _text: None, exec_hub=lambda p, a: calls.append((p, a)))
    [(program, args)] = calls
    assert args[1:4] == ["-m", "actionplan.hub.launch", "-f"]
    assert os.environ["ACTIONPLAN_DB"] == url
    assert "ACTIONPLAN_USER" not in os.environ  # never handed on to people's servers
    assert Path.cwd() == chosen.private_dir
    assert oct(chosen.private_dir.stat().st_mode & 0o777) == "0o700"
    notebooks = sorted(path.name for path in chosen.notebook_dir.iterdir())
    assert notebooks == ["update_actions.ipynb"]  # Voila can open nothing else
    for path in chosen.state_dir.rglob("*"):
        assert not path.is_file() or str(team.path).encode() not in path.read_bytes()


def test_a_password_typed_on_the_command_line_is_warned_about(team: Store, tmp_path: Path) -> None:
    url = f"postgresql://u:{SECRET}@127.0.0.1:1/nowhere"
    result = CliRunner().invoke(cli, ["hub", "--db", url, "--port", str(free_port())])
    assert "typed on the command line" in result.stderr
    assert result.exit_code == 1  # and then the database cannot be reached
    assert SECRET not in result.stderr


def test_the_hub_refuses_a_plan_nobody_could_sign_in_to(tmp_path: Path, proxy: str) -> None:
    empty = Store(tmp_path / "empty.db")
    empty.initialise()
    with pytest.raises(ActionPlanError, match="nobody is registered, so nobody could sign in"):
        start(empty, settings(tmp_path, proxy), exec_hub=lambda *_: None)


def test_the_hub_refuses_a_taken_port_and_a_second_hub_on_its_folder(
    team: Store, tmp_path: Path, proxy: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = settings(tmp_path, proxy, port=taken.getsockname()[1])
        with pytest.raises(ActionPlanError, match="is in use"):
            start(team, busy, exec_hub=lambda *_: None)
    running = settings(tmp_path, proxy)
    (running.private_dir).mkdir(parents=True)
    (running.private_dir / "jupyterhub.pid").write_text(str(os.getpid()))
    with pytest.raises(ActionPlanError, match="a hub is already running"):
        start(team, running, exec_hub=lambda *_: None)


def test_the_hub_refuses_to_start_without_its_proxy(
    team: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actionplan.hub.serve as serve

    monkeypatch.setattr(serve, "PROJECT_PROXY", tmp_path / "not-installed")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ActionPlanError, match="make hub-proxy"):
        start(team, settings(tmp_path, str(tmp_path / "missing")), exec_hub=lambda *_: None)


def sign_in(authenticator: PeopleAuthenticator, login: str, password: str) -> object:
    return asyncio.run(authenticator.authenticate(None, {"username": login, "password": password}))


def test_sign_in_checks_the_plans_people_and_pauses_after_wrong_passwords(team: Store) -> None:
    authenticator = PeopleAuthenticator(db=str(team.path), allowed_failed_logins=3)
    assert sign_in(authenticator, "ola", "a long enough password") == {
        "name": "ola",
        "admin": False,
    }
    assert sign_in(authenticator, "mona", "") is None  # no password set yet
    for _ in range(3):
        assert sign_in(authenticator, "ola", "guess") is None
    assert authenticator.waiting("ola") > 0
    assert sign_in(authenticator, "ola", "a long enough password") is None  # must wait
    count, _last = authenticator.failures["ola"]
    authenticator.failures["ola"] = (count, -1e9)  # the pause is over
    assert sign_in(authenticator, "ola", "a long enough password") is not None
    assert authenticator.check_allowed("ola") is True
    change_person(team, "ola", {"active": False})
    assert authenticator.check_allowed("ola") is False  # left: the session ends too
    assert sign_in(authenticator, "ola", "a long enough password") is None


def test_roles_can_follow_the_councils_groups(team: Store, monkeypatch) -> None:
    from actionplan.hub.groups import post_auth_hook, role_from_groups
    from actionplan.store.people import get_person, person_history

    assert role_from_groups(["staff", "actionplan-officer", "actionplan-lead"]) == "lead"
    assert role_from_groups(["staff"]) is None

    class Hub:
        @staticmethod
        def normalize_username(name: str) -> str:
            return name.lower()

    monkeypatch.setenv("ACTIONPLAN_DB", str(team.path))
    for login, groups in (("Ola", ["actionplan-lead"]), ("newcomer", ["actionplan-viewer"])):
        auth = {"name": login, "groups": groups}
        assert asyncio.run(post_auth_hook(Hub(), None, auth)) is auth
    assert get_person(team, "ola").role == "lead"
    assert get_person(team, "newcomer").role == "viewer"
    assert person_history(team, "ola")[-1]["by"] == "JupyterHub groups"
