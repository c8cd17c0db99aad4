"""Roles that follow the council's directory: hub groups named `actionplan-<role>`.

A council whose sign-on (Microsoft Entra ID through OAuthenticator, LDAP) keeps
groups can manage roles there instead of with `actionplan people set`: with
`c.Authenticator.manage_groups = True` and this module's `post_auth_hook`
(docs/team.md), each sign-in sets the person's role in the plan to the
highest role among their groups, registering them on first sign-in. People
in none of the groups keep the role the plan gives them (or, unregistered,
may only read). Every change is an event in the person's history, by
"JupyterHub groups".
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from typing import Any

from ..roles import rank
from ..store import open_store
from ..store.people import follow_groups
from ..vocab import ROLES

#: The hub group that gives each role.
ROLE_GROUPS: dict[str, str] = {f"actionplan-{role}": role for role in ROLES}


def role_from_groups(groups: Iterable[str]) -> str | None:
    """The highest role any of `groups` gives, or None."""
    roles = [ROLE_GROUPS[group] for group in groups if group in ROLE_GROUPS]
    return max(roles, key=rank) if roles else None


async def post_auth_hook(authenticator: Any, handler: Any, authentication: dict) -> dict:
    """JupyterHub's `Authenticator.post_auth_hook`: bring the person's role into the plan."""
    role = role_from_groups(authentication.get("groups") or [])
    if role is not None:
        login = authenticator.normalize_username(authentication["name"])
        state = authentication.get("auth_state") or {}
        user = state.get("user") if isinstance(state, dict) else None
        name = (user or {}).get("name") if isinstance(user, dict) else None
        store = open_store(os.environ.get("ACTIONPLAN_DB") or None)
        try:
            await asyncio.to_thread(follow_groups, store, login, name or login, role)
        finally:
            store.close()
    return authentication
