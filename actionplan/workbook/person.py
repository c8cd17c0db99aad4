"""Who the workbook records a save as, and what it offers them: the one place it decides.

In a plan with people registered (SPEC section 7), the person is the one
signed in (`identity.acting_login`: the team service's user, else
`ACTIONPLAN_USER`), shown read-only with their role; a save is recorded under
their registered name whatever the page sends, and the store refuses what
their role may not do. The workbook only offers what the role allows (a
viewer sees no Save, forms for new records are for leads and managers, the
commentary for managers): that is courtesy, not the check.

In a plan with nobody registered, "Your name" is a box, started from what the
person running it set on purpose (the `user` parameter, else
`ACTIONPLAN_USER`) or left empty; a save with no name is refused at the box.
It never falls back to the operating system's account, as the CLI does: on a
shared server that account is `root` or a service user, and an officer who did
not notice would record every save under it.

Inside the team service the page has no hub menu, so it carries its own
"Sign out" link.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import ipywidgets as widgets

from ..identity import signed_in
from ..roles import Acting, rank
from ..store import Store
from ..store.people import acting
from ..vocab import word
from .html import text


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


def sign_out_url() -> str:
    """The team service's sign-out page, relative to the site (`JUPYTERHUB_BASE_URL`)."""
    base = os.environ.get("JUPYTERHUB_BASE_URL", "/") or "/"
    return base.rstrip("/") + "/hub/logout"


@dataclass
class Person:
    """The person using the workbook and what the screens offer them.

    Attributes:
        acting: who is signed in and their registration (`roles.Acting`).
        who: the name a save sends as `by` (a read-only copy of the
            registered name when people are registered).
        line: the header's line saying who is signed in, with "Sign out".
    """

    acting: Acting
    who: widgets.Text
    line: widgets.HTML

    @property
    def checked(self) -> bool:
        """True when the plan has people registered, so every write is checked."""
        return self.acting.checked

    def may(self, role: str) -> bool:
        """True when the person is at least `role` (everyone, in a plan with no people)."""
        if not self.acting.checked:
            return True
        person = self.acting.person
        return person is not None and person.active and rank(person.role) >= rank(role)

    def owns(self) -> tuple[str, ...]:
        """The owner names the person answers for (empty without people)."""
        person = self.acting.person
        return person.owns if self.acting.checked and person is not None else ()


def signed_in_person(store: Store, user: str = "") -> Person:
    """Who is using the workbook on this plan: their box or read-only name, and the header line."""
    who_acts = acting(store)
    sign_out = (
        f' <a class="ap-sign-out" href="{text(sign_out_url())}">Sign out</a>' if signed_in() else ""
    )
    if not who_acts.checked:
        return Person(who_acts, name_box(user), widgets.HTML(sign_out))
    who = widgets.Text(value=who_acts.name, disabled=True)
    who.add_class("ap-who")
    who.layout.display = "none"
    if who_acts.person is None or not who_acts.person.active:
        said = (
            f"<b>{text(who_acts.login)}</b> is not registered in this plan"
            if who_acts.person is None
            else f"<b>{text(who_acts.name)}</b> is no longer active in this plan"
        )
        line = f'<p class="ap-signed-in">{said}: you can read it but not save.{sign_out}</p>'
    else:
        line = (
            f'<p class="ap-signed-in">Signed in as <b>{text(who_acts.name)}</b> '
            f"({text(word(who_acts.role))}).{sign_out}</p>"
        )
    return Person(who_acts, who, widgets.HTML(line))
