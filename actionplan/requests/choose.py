"""Which open actions to ask about, why, and who is asked.

An action is asked about when it is open and due within `due_within` days,
already overdue, or not updated for `stale_after` days (its latest update's
as-of day, else the day it was created). Every owner answers for their own
actions in one digest, however many they hold: never one message per action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from ..dates import in_words
from ..roles import owner_key
from ..workdays import add_working_days

#: SPEC section 9's defaults.
DUE_WITHIN_DAYS = 45
STALE_AFTER_DAYS = 30
REPLY_WITHIN_WORKING_DAYS = 10


@dataclass(frozen=True)
class Recipient:
    """Who is asked: a person (with an email), or an owner name when no people are registered.

    Attributes:
        key: a file-name-safe name for their digest files.
        name: how they are addressed.
        email: where the message goes (None: the digest can be written, not sent).
        owners: the owner names whose actions they answer for.
    """

    key: str
    name: str
    email: str | None
    owners: tuple[str, ...]


@dataclass(frozen=True)
class Ask:
    """One action a recipient is asked to update, and what is asked."""

    action_id: str
    title: str
    owner: str
    due: date
    rag: str
    schedule_rag: str
    last_update_on: date | None
    why: tuple[str, ...]

    @property
    def asked(self) -> str:
        """What the recipient is asked to do, in one sentence."""
        return " ".join(self.why)


@dataclass
class Digest:
    """Everything one recipient is asked, with the day to reply by."""

    recipient: Recipient
    asks: list[Ask] = field(default_factory=list)
    reply_by: date | None = None

    @property
    def subject(self) -> str:
        """The email subject: how many actions, and by when."""
        count = len(self.asks)
        noun = "action" if count == 1 else "actions"
        return f"Please update {count} {noun} by {in_words(self.reply_by)}"


def owner_recipients(owners: list[str]) -> list[Recipient]:
    """One recipient per owner name, for a plan with no people registered."""
    first: dict[str, str] = {}
    for owner in owners:
        first.setdefault(owner_key(owner), " ".join(str(owner).split()))
    return [Recipient(file_key(name), name, None, (name,)) for name in sorted(first.values())]


def unreachable(digests: list[Digest]) -> list[str]:
    """Who cannot be sent their digest: no email address is registered for them."""
    return [digest.recipient.name for digest in digests if not digest.recipient.email]


def file_key(name: str) -> str:
    """A name as a file name: `Head of Finance (Adults)` -> `head-of-finance-adults`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "owner"


def choose_asks(
    actions: pd.DataFrame,
    today: date,
    due_within: int = DUE_WITHIN_DAYS,
    stale_after: int = STALE_AFTER_DAYS,
) -> list[Ask]:
    """The open actions to ask about at `today`, most urgent first (the frame's order).

    Args:
        actions: `store.queries.actions_at` at `today` (RAG, schedule, last update).
        today: the day the requests are made.
        due_within: ask about actions due within this many days.
        stale_after: ask about actions not updated for this many days.
    """
    soon = pd.Timestamp(today + timedelta(days=due_within))
    stale_before = pd.Timestamp(today - timedelta(days=stale_after))
    day = pd.Timestamp(today)
    found: list[Ask] = []
    for row in actions.itertuples(index=False):
        if row.status in ("complete", "cancelled"):
            continue
        last = row.last_update_on if pd.notna(row.last_update_on) else None
        active = last if last is not None else row.created_on
        why: list[str] = []
        if row.due < day:
            why.append(
                f"It was due on {in_words(row.due)}: record its progress, and a new due date "
                "with the reason if it has moved."
            )
        elif row.due <= soon:
            why.append(
                f"It is due on {in_words(row.due)}: record its progress, or that it is done."
            )
        if active < stale_before:
            since = f"since {in_words(last)}" if last is not None else "since it was created"
            why.append(f"It has not been updated {since}: say where it stands.")
        if why:
            found.append(
                Ask(
                    row.id,
                    row.title,
                    row.owner,
                    row.due.date(),
                    row.rag,
                    row.schedule_rag,
                    last.date() if last is not None else None,
                    tuple(why),
                )
            )
    return found


def digests(
    asks: list[Ask], recipients: list[Recipient], today: date, reply_within: int
) -> list[Digest]:
    """One digest per recipient who is asked something, in the recipients' order."""
    reply_by = add_working_days(today, reply_within)
    order = {ask.action_id: index for index, ask in enumerate(asks)}
    by_owner: dict[str, list[Ask]] = {}
    for ask in asks:
        by_owner.setdefault(owner_key(ask.owner), []).append(ask)
    found: list[Digest] = []
    for recipient in recipients:
        mine = list(
            {
                ask.action_id: ask
                for owner in recipient.owners
                for ask in by_owner.get(owner_key(owner), [])
            }.values()
        )
        if mine:
            mine.sort(key=lambda ask: order[ask.action_id])
            found.append(Digest(recipient, mine, reply_by))
    return found
