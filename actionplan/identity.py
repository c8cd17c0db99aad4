"""Who is acting: the person a save, an import or a command is recorded as.

SPEC section 7: identity comes from the sign-in, never from a text box: the
team service's user (`JUPYTERHUB_USER`), else `ACTIONPLAN_USER`, else the
operating system's login. The CLI and the workbook both ask here.
"""

from __future__ import annotations

import getpass
import os


def default_user(user: str | None = None) -> str:
    """Who is recording: `user` if given, else `ACTIONPLAN_USER`, else the login name.

    Returns an empty string when none of them can be found.
    """
    if user and user.strip():
        return user.strip()
    from_env = os.environ.get("ACTIONPLAN_USER", "").strip()
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
