"""The log of update requests sent (SPEC section 9): who was asked, when, about what.

Append-only, like every record of what people did: `actionplan requests --log`
reads it, and a request is logged the moment it has been handed to the mail
server, each in its own transaction, so a failure half way through leaves an
exact record of what did go.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from . import Store, schema, utc_now


def log_request(
    store: Store,
    recipient: str,
    email: str,
    action_ids: list[str],
    reply_by: date,
    subject: str,
    by: str,
    sent_at: datetime | None = None,
) -> None:
    """Record that one request was sent."""
    with store.write() as conn:
        conn.execute(
            insert(schema.update_requests).values(
                sent_at=sent_at or utc_now(),
                recipient=recipient,
                email=email,
                action_ids=";".join(action_ids),
                reply_by=reply_by,
                subject=subject,
                by=by,
            )
        )


def request_log(store: Store) -> list[dict[str, Any]]:
    """Every request sent, oldest first."""
    table = schema.update_requests
    with store.read() as conn:
        rows = conn.execute(select(table).order_by(table.c.seq)).all()
    return [dict(row._mapping) for row in rows]
