"""One action's events in replay order, for checking many updates in memory.

A bulk import judges each update row exactly as `Store.record_update` would:
against the action's state at the row's `as_of`, built from the events stored
and the rows before it. Asking the database (or `history.state_at`) for that
once per row is far too slow for a million rows, so the importer keeps each
action's events here and folds them the way `history.state_at` does: per
field, the last value set in (`as_of`, `recorded_at`, `seq`) order, then the
completion rules. The importer still writes each action's current row from
`history.state_at` itself, so the stored result cannot differ from the CLI's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: Fields of the state an update's rules look at (see `history.plan_update`).
RULE_FIELDS: tuple[str, ...] = ("status", "progress", "due", "completed_on")


#: One event as replay orders events: `(as_of, recorded_at, seq, values)`, where
#: `values` holds the rule fields the event set. `seq` is unique, so comparing
#: two events never reaches `values`. A plain tuple: a million are made per import.
Event = tuple[date, datetime, int, dict[str, Any]]


@dataclass(slots=True)
class Timeline:
    """The events of one action, sorted, with a running fold of all of them."""

    created_on: date
    events: list[Event] = field(default_factory=list)
    count: int = 0
    latest_recorded_at: datetime | None = None
    full: dict[str, Any] = field(default_factory=dict)

    def add(self, event: Event) -> None:
        """Add an event (a later-recorded one may fall anywhere in replay order)."""
        self.count += 1
        if self.latest_recorded_at is None or event[1] > self.latest_recorded_at:
            self.latest_recorded_at = event[1]
        events = self.events
        if not events or event > events[-1]:
            events.append(event)
            full = self.full
            for name, value in event[3].items():
                if value is not None:
                    full[name] = value
            return
        bisect.insort(events, event)
        self.full = {}
        for known in events:
            _fold(self.full, known)

    def state_at(self, day: date) -> dict[str, Any] | None:
        """The state at the end of `day` that `plan_update` needs, or None before creation."""
        if day < self.created_on:
            return None
        if day >= self.events[-1][0]:
            folded = self.full
        else:
            folded = {}
            for known in self.events:
                if known[0] > day:
                    break
                _fold(folded, known)
        complete = folded.get("status") == "complete"
        return {
            "status": folded.get("status"),
            "progress": 100 if complete else folded.get("progress"),
            "due": folded.get("due"),
            "completed_on": folded.get("completed_on") if complete else None,
            "created_on": self.created_on,
        }


def _fold(state: dict[str, Any], event: Event) -> None:
    for name, value in event[3].items():
        if value is not None:
            state[name] = value
