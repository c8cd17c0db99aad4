"""The digests of a plan as it stands today: the actions to ask about, grouped by who answers."""

from __future__ import annotations

from datetime import date

from ..quarters import quarter_of
from ..roles import owner_key
from ..store import Store
from ..store.people import has_people, list_people
from ..store.queries import actions_at
from .choose import (
    DUE_WITHIN_DAYS,
    REPLY_WITHIN_WORKING_DAYS,
    STALE_AFTER_DAYS,
    Digest,
    Recipient,
    choose_asks,
    digests,
    file_key,
    owner_recipients,
)


def recipients(store: Store, owners: list[str]) -> list[Recipient]:
    """Who answers for which owner names (SPEC section 9: one digest per person).

    With people registered, each active person is asked about every owner name
    they answer for (`people add --owns`), at their registered email. An owner
    name nobody answers for still gets a digest of its own (written, never
    sent: it has no address), so no action is left out of the run without a
    word; `--send` names it and sends nothing until someone is registered.
    """
    if not has_people(store):
        return owner_recipients(owners)
    people = [person for person in list_people(store) if person.active and person.owns]
    found = [
        Recipient(file_key(person.login), person.name, person.email, person.owns)
        for person in people
    ]
    covered = {owner_key(owner) for person in people for owner in person.owns}
    found += owner_recipients([owner for owner in owners if owner_key(owner) not in covered])
    return found


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
