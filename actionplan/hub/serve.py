"""Start the team service: check what it needs, write its configuration, become JupyterHub.

`start` replaces the `actionplan` process with JupyterHub (`os.execv`): there
is no wrapper left to forward signals or to be left behind, so Ctrl-C in the
terminal reaches the hub, which stops the proxy, every person's server and
their kernels (each runs in its own process group, so the terminal's signal
reaches only the hub). The plan's address goes to the hub in its environment
(`ACTIONPLAN_DB`), never on a command line, where anyone on the machine could
read it with `ps`.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import ActionPlanError
from ..store import Store
from ..store.people import list_people
from ..workbook.serve import check_port
from .config import PROJECT_PROXY, HubSettings, hub_command, prepare


def find_proxy(given: str | None = None) -> str:
    """configurable-http-proxy: `given`, the project's (`make hub-proxy`), or one on PATH.

    Raises:
        ActionPlanError: none is installed.
    """
    for candidate in (given, str(PROJECT_PROXY), shutil.which("configurable-http-proxy")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(Path(candidate).resolve())
    raise ActionPlanError(
        "configurable-http-proxy is not installed: run `make hub-proxy` (npm install --prefix "
        ".hub configurable-http-proxy; needs Node.js and npm)"
    )


def running_hub(state_dir: Path) -> int | None:
    """The pid of a hub still running on this state folder, if any."""
    pid_file = Path(state_dir) / "private" / "jupyterhub.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def check_plan(store: Store, authenticator: str) -> list[str]:
    """Refuse a plan nobody could sign in to; return warnings worth printing.

    Raises:
        ActionPlanError: with our own sign-in, nobody is registered, or nobody has a password.
    """
    people = list_people(store)
    if authenticator != "people":
        return [] if people else ["nobody is registered: everyone who signs in may do everything"]
    if not people:
        raise ActionPlanError(
            "nobody is registered, so nobody could sign in: register the team with "
            "`actionplan people add` and set passwords with `actionplan people password`"
        )
    from sqlalchemy import select

    from ..store import schema

    with store.read() as conn:
        with_password = set(
            conn.execute(
                select(schema.people.c.login).where(schema.people.c.password_hash.is_not(None))
            ).scalars()
        )
    if not with_password:
        raise ActionPlanError(
            "nobody has a password yet: set one with `actionplan people password LOGIN`"
        )
    waiting = sorted(p.login for p in people if p.active and p.login not in with_password)
    return [f"no password yet for {', '.join(waiting)}"] if waiting else []


def start(
    store: Store,
    settings: HubSettings,
    echo: Callable[[str], None] = print,
    exec_hub: Callable[[str, list[str]], object] = os.execv,
) -> None:
    """Check, write the configuration, and replace this process with JupyterHub.

    Args:
        store: the plan, already opened and checked.
        settings: where and how the hub runs.
        echo: where the address and warnings go.
        exec_hub: `os.execv` (tests pass a stand-in that records the call).

    Raises:
        ActionPlanError: a hub already runs on the state folder, the port is
            taken, the proxy is missing, or nobody could sign in.
    """
    already = running_hub(settings.state_dir)
    if already is not None:
        raise ActionPlanError(
            f"a hub is already running on {settings.state_dir} (pid {already}); stop it first"
        )
    check_port(settings.port)
    settings.proxy_command = find_proxy(settings.proxy_command)
    for warning in check_plan(store, settings.authenticator):
        echo(f"warning: {warning}")
    prepare(settings)
    os.environ["ACTIONPLAN_DB"] = store.url
    os.environ.pop("ACTIONPLAN_USER", None)
    echo(
        f"The team service is starting at {settings.url}/ for the plan {store.display_name} "
        f"(state in {settings.state_dir}). Ctrl-C stops it."
    )
    sys.stdout.flush()
    sys.stderr.flush()
    store.close()
    os.chdir(settings.private_dir)
    command = hub_command(settings)
    exec_hub(command[0], command)
