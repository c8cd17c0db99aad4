"""The digests of a plan as it stands today: the actions to ask about, grouped by who answers."""

from __future__ import annotations

from datetime import date

from ..quarters import quarter_of
from ..store import Store
from ..store.queries import actions_at
from .choose import (
    DUE_WITHIN_DAYS,
    REPLY_WITHIN_WORKING_DAYS,
    STALE_AFTER_DAYS,
    Digest,
    Recipient,
    choose_asks,
    digests,
    owner_recipients,
)


def recipients(store: Store, owners: list[str]) -> list[Recipient]:
    """Who answers for which owner names: each owner name, with no people registered."""
    return owner_recipients(owners)


def make_digests(
    store: Store,
    today: date | None = None,
    due_within: int = DUE_WITHIN_DAYS,
    stale_after: int = STALE_AFTER_DAYS,
    reply_within: int = REPLY_WITHIN_WORKING_DAYS,
) -> list[Digest]:
    """Every digest to write at `today`, one per recipient with something to be asked."""
    today = today or date.today()
    start = quarter_of(today, store.first_month).start
    actions = actions_at(store, store.current_actions(), start, today)
    asks = choose_asks(actions, today, due_within, stale_after)
    return digests(asks, recipients(store, [ask.owner for ask in asks]), today, reply_within)
