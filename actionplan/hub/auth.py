"""Sign-in for the team service with no outside service: passwords checked against the plan.

`PeopleAuthenticator` is a JupyterHub authenticator whose users are the plan's
registered people (`actionplan people add`), each with a password a manager
sets (`actionplan people password`); only a scrypt hash is stored. Why our
own, rather than PAM or NativeAuthenticator, is in docs/team.md: no root and
no Linux account per officer, the people table is already where roles live,
and it works on the current JupyterHub.

After `allowed_failed_logins` wrong passwords in a row for one login, that
login is refused for `seconds_before_next_try` seconds, even with the right
password, so a password cannot be guessed at machine speed. The count is kept
in the hub's memory (a restart clears it), as NativeAuthenticator keeps it.

A council with its own sign-on (Microsoft Entra ID, LDAP) uses that
authenticator instead; the roles still come from the people table, by login.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Integer, Unicode

from ..store import Store, open_store
from ..store.people import check_password, list_people


class PeopleAuthenticator(Authenticator):
    """Sign in as a registered, active person of the plan, with their password."""

    db = Unicode(
        "",
        config=True,
        help="The plan (file or URL); empty means ACTIONPLAN_DB in the hub's environment.",
    )
    allowed_failed_logins = Integer(
        5, config=True, help="Wrong passwords in a row before a login must wait."
    )
    seconds_before_next_try = Integer(
        60, config=True, help="How long a login waits after too many wrong passwords."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._store: Store | None = None
        #: login -> (wrong passwords in a row, time of the last one)
        self.failures: dict[str, tuple[int, float]] = {}

    @property
    def store(self) -> Store:
        """The plan, opened on first use (the hub's environment holds its address)."""
        if self._store is None:
            self._store = open_store(self.db or os.environ.get("ACTIONPLAN_DB") or None)
        return self._store

    def waiting(self, login: str, now: float | None = None) -> float:
        """Seconds `login` must still wait before another try (0 when it may try)."""
        count, last = self.failures.get(login, (0, 0.0))
        if count < self.allowed_failed_logins:
            return 0.0
        return max(0.0, last + self.seconds_before_next_try - (now or time.monotonic()))

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict[str, Any] | None:
        """The person's login when the password is theirs and they may still sign in; else None."""
        login = self.normalize_username(str(data.get("username", "")))
        if self.waiting(login) > 0:
            self.log.warning("sign-in for %r refused: too many wrong passwords, waiting", login)
            return None
        password = str(data.get("password", ""))
        person = await asyncio.to_thread(check_password, self.store, login, password)
        if person is None:
            count, _last = self.failures.get(login, (0, 0.0))
            self.failures[login] = (count + 1, time.monotonic())
            self.log.warning("failed sign-in for %r", login)
            return None
        self.failures.pop(login, None)
        # Never a hub admin: an admin may open other people's servers, and so
        # save as them. Roles live in the plan, not in the hub.
        return {"name": person.login, "admin": False}

    def check_allowed(self, username: str, authentication: Any = None) -> bool:
        """Only registered, active people may sign in or keep a session."""
        return any(p.login == username and p.active for p in list_people(self.store))
