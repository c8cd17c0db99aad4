"""Delivering update requests over SMTP, each logged in the plan as it goes.

The mail server comes from the environment, so a scheduled run keeps its
password out of the plan and out of the command line:
`ACTIONPLAN_SMTP_HOST` (required), `ACTIONPLAN_SMTP_PORT` (default 587 with
STARTTLS, 465 with SSL, 25 without), `ACTIONPLAN_SMTP_TLS` (`starttls`, the
default; `ssl`; or `none` for a relay on the same machine),
`ACTIONPLAN_SMTP_FROM` (the sender's address, required), and
`ACTIONPLAN_SMTP_USER` with `ACTIONPLAN_SMTP_PASSWORD` when the server wants
a login. `ACTIONPLAN_SMTP_NAME` names the sender in the message (default
"Improvement team").
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ActionPlanError
from ..store import Store
from ..store.requests import log_request
from .choose import Digest, unreachable
from .digest import message

_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: read from the environment by `from_environment`."""

    host: str
    port: int
    tls: str
    sender_address: str
    sender_name: str = "Improvement team"
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        """The settings in `ACTIONPLAN_SMTP_*`.

        Raises:
            ActionPlanError: the host or sender is missing, or a value is wrong.
        """
        env = os.environ if environ is None else environ
        host = env.get("ACTIONPLAN_SMTP_HOST", "").strip()
        sender = env.get("ACTIONPLAN_SMTP_FROM", "").strip()
        if not host or not sender:
            missing = " and ".join(
                name
                for name, value in (
                    ("ACTIONPLAN_SMTP_HOST", host),
                    ("ACTIONPLAN_SMTP_FROM", sender),
                )
                if not value
            )
            raise ActionPlanError(f"to send requests, set {missing} (see docs/scheduling.md)")
        tls = env.get("ACTIONPLAN_SMTP_TLS", "starttls").strip().lower() or "starttls"
        if tls not in _PORTS:
            raise ActionPlanError(f"ACTIONPLAN_SMTP_TLS: {tls!r} is not starttls, ssl or none")
        port_text = env.get("ACTIONPLAN_SMTP_PORT", "").strip()
        try:
            port = int(port_text) if port_text else _PORTS[tls]
        except ValueError:
            raise ActionPlanError(f"ACTIONPLAN_SMTP_PORT: {port_text!r} is not a number") from None
        return cls(
            host,
            port,
            tls,
            sender,
            env.get("ACTIONPLAN_SMTP_NAME", "").strip() or "Improvement team",
            env.get("ACTIONPLAN_SMTP_USER", "").strip() or None,
            env.get("ACTIONPLAN_SMTP_PASSWORD") or None,
        )


def send_digests(
    store: Store, digests: list[Digest], settings: MailSettings, council: str, by: str
) -> int:
    """Send each digest and log it; return how many were sent.

    Raises:
        ActionPlanError: a recipient has no email address (nothing is sent), or
            the mail server failed (the message says how many had gone; those
            are logged).
    """
    nowhere = unreachable(digests)
    if nowhere:
        raise ActionPlanError(
            f"no email address for {', '.join(nowhere)}; register them with "
            "`actionplan people add LOGIN --name N --email E` (nothing was sent)"
        )
    sent = 0
    try:
        with _connect(settings) as server:
            for digest in digests:
                mail = message(digest, council, settings.sender_name, settings.sender_address)
                server.send_message(mail)
                log_request(
                    store,
                    digest.recipient.name,
                    str(digest.recipient.email),
                    [ask.action_id for ask in digest.asks],
                    digest.reply_by,
                    digest.subject,
                    by,
                )
                sent += 1
    except (smtplib.SMTPException, OSError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ActionPlanError(
            f"the mail server {settings.host}:{settings.port} failed after {sent} of "
            f"{len(digests)} requests ({reason}); those sent are in `actionplan requests --log`"
        ) from None
    return sent


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, context=ssl.create_default_context(), timeout=30
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=30)
        if settings.tls == "starttls":
            server.starttls(context=ssl.create_default_context())
    if settings.user:
        server.login(settings.user, settings.password or "")
    return server
