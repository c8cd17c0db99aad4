"""Due-date requests as the plan holds them (SPEC section 8): events in `updates`.

An officer's new due date is a `request` event (it sets nothing); a lead's
`approve` (which sets `due`) or `refuse` names it in its `changes`
(`{"request": [null, id]}`), where `id` is the request event's `seq`.
`assurance.pair_requests` matches them; this module reads the events.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from ..assurance import ANSWERS, REQUEST, pair_requests
from ..dates import as_date
from . import schema
from .engine import Database


def request_rows(conn: Connection, action_id: str | None = None) -> list[dict[str, Any]]:
    """The request and answer events (of one action, or all), as `pair_requests` reads them."""
    updates = schema.updates.c
    statement = select(
        updates.seq, updates.action_id, updates.kind, updates.by, updates.as_of,
        updates.reason, updates.changes,
    ).where(updates.kind.in_((REQUEST, *ANSWERS)))  # fmt: skip
    if action_id is not None:
        statement = statement.where(updates.action_id == action_id)
    return [
        {**row._mapping, "as_of": as_date(row.as_of), "changes": json.loads(row.changes)}
        for row in conn.execute(statement)
    ]


def pending_request(conn: Connection, action_id: str) -> int | None:
    """The id of the action's request waiting for a lead, if any."""
    for request in pair_requests(request_rows(conn, action_id)):
        if request["state"] == "pending":
            return int(request["id"])
    return None


def due_requests(store: Database, state: str | None = None) -> list[dict[str, Any]]:
    """Every due-date request with its answer, oldest first (`actionplan due-requests`).

    Args:
        store: the plan.
        state: `pending`, `approved` or `refused` to keep only those.
    """
    with store.read() as conn:
        found = pair_requests(request_rows(conn))
    return [request for request in found if state is None or request["state"] == state]
