"""Who is acting: the person a save, an import or a command is recorded as.

SPEC section 7: identity comes from the sign-in, never from a text box: the
team service's user (`JUPYTERHUB_USER`, set by JupyterHub for each signed-in
person's server), else `ACTIONPLAN_USER`, else the operating system's login.
The CLI, the workbook and the store's permission checks all ask here.
"""

from __future__ import annotations

import getpass
import os


def acting_login() -> str:
    """The login of whoever is acting: `JUPYTERHUB_USER`, `ACTIONPLAN_USER`, else the OS login.

    Returns an empty string when none of them can be found.
    """
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
