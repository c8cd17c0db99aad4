"""Who is acting: the person a save, an import or a command is recorded as.

SPEC section 7: identity comes from the sign-in, never from a text box: the
team service's user (`JUPYTERHUB_USER`, set by JupyterHub for each signed-in
person's server), else `ACTIONPLAN_USER`, else the operating system's login.
The CLI, the workbook and the store's permission checks all ask here.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: A login set by `acting_as` for a block of code (the demo's story), before any other.
_ACTING_AS: ContextVar[str | None] = ContextVar("acting_as", default=None)


@contextmanager
def acting_as(login: str) -> Iterator[None]:
    """Act as `login` inside the block: for code that writes on people's behalf (the demo).

    Not a way around the roles: the writes are still checked against that
    person's registration.
    """
    token = _ACTING_AS.set(login)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)


def acting_login() -> str:
    """The login of whoever is acting: `JUPYTERHUB_USER`, `ACTIONPLAN_USER`, else the OS login.

    Returns an empty string when none of them can be found.
    """
    chosen = _ACTING_AS.get()
    if chosen:
        return chosen
    for variable in ("JUPYTERHUB_USER", "ACTIONPLAN_USER"):
        found = os.environ.get(variable, "").strip()
        if found:
            return found
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def signed_in() -> bool:
    """True inside the team service: the person signed in through JupyterHub."""
    return bool(os.environ.get("JUPYTERHUB_USER", "").strip())


def default_user(user: str | None = None) -> str:
    """Who is recording: `user` if given, else `acting_login()`.

    In a plan with people registered the store records the signed-in person's
    name whatever this gives, and refuses a `user` naming someone else.
    """
    if user and user.strip():
        return user.strip()
    return acting_login()
