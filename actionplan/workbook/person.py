"""Who the workbook records a save as: the one place the workbook decides it.

SPEC section 7 says identity comes from the sign-in. Until the team service
exists, the workbook starts "Your name" from what the person running it set on
purpose (the `user` parameter, else `ACTIONPLAN_USER`) or leaves it empty, and
a save with no name is refused at the box. It never falls back to the
operating system's account, as the CLI does: on a shared server that account
is `root` or a service user, and an officer who did not notice would record
every save under it. A signed-in user (`JUPYTERHUB_USER`) will replace this
module's `starting_name` without the panels noticing.
"""

from __future__ import annotations

import os

import ipywidgets as widgets


def starting_name(user: str = "") -> str:
    """The name "Your name" starts with: `user`, else `ACTIONPLAN_USER`, else empty."""
    for candidate in (user, os.environ.get("ACTIONPLAN_USER", "")):
        if candidate and candidate.strip():
            return candidate.strip()
    return ""


def name_box(user: str = "") -> widgets.Text:
    """The "Your name" box, filled from `starting_name`."""
    box = widgets.Text(
        value=starting_name(user),
        description="Your name",
        placeholder="type your name before saving",
        layout=widgets.Layout(width="340px", max_width="100%"),
    )
    box.add_class("ap-who")
    return box
