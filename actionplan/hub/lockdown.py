"""Lock a person's single-user server down to the workbook's Voila page (no code of their own).

What a Voila page with widgets needs from jupyter-server, found by logging every
refusal while the workbook loads and is used, is two permissions:

* ('execute', 'kernels'): the kernel websocket, `/api/kernels/<id>/channels`;
* ('read', 'kernels'): `GET /api/kernels/<id>`, which Voila's page polls.

Everything else (contents, files, kernel specs, sessions, terminals,
nbconvert, starting, restarting or deleting kernels) is refused with 403.
Voila's own pages need only the hub's sign-in, and Voila starts the page's
kernel itself. Code sent over the websocket is dropped separately: the server
accepts only `ALLOWED_MESSAGE_TYPES` (widgets' comm messages), so an
`execute_request` never reaches the kernel (`config.lockdown_args`).

The lockdown is not the permission check: a widget is an API, and a forged
comm message can "click" a hidden or disabled button. Every write is judged
by the store against the signed-in person (`roles`), whatever asked for it.
"""

from __future__ import annotations

from typing import Any

try:  # inside jupyterhub-singleuser: keep the hub's own check of the person's scopes too
    from jupyterhub.singleuser.extension import JupyterHubAuthorizer as _Base
except ImportError:  # pragma: no cover - a plain jupyter-server
    from jupyter_server.auth import Authorizer as _Base

#: The only (action, resource) pairs a signed-in person's browser is allowed.
ALLOWED = frozenset({("read", "kernels"), ("execute", "kernels")})

#: Kernel messages a browser may send: widgets' comm messages, the greeting
#: sent on connecting, and the shutdown sent when the page closes.
ALLOWED_MESSAGE_TYPES: list[str] = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]


class VoilaOnlyAuthorizer(_Base):  # type: ignore[misc, valid-type]
    """Allow only what a Voila page needs; refuse (403) everything else, and log it."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        """True only for `ALLOWED` pairs that the hub's own check allows too."""
        if (action, resource) not in ALLOWED:
            self.log.warning(
                "actionplan lockdown: refused %s on %s for %s (%s %s)",
                action,
                resource,
                getattr(user, "username", user),
                handler.request.method,
                handler.request.path,
            )
            return False
        return bool(super().is_authorized(handler, user, action, resource))
