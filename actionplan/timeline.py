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


@dataclass(order=True)
class Event:
    """One event, ordered as replay orders events."""

    as_of: date
    recorded_at: datetime
    seq: int
    values: dict[str, Any] = field(compare=False)


@dataclass
class Timeline:
    """The events of one action, sorted, with a running fold of all of them."""

    created_on: date
    events: list[Event] = field(default_factory=list)
    count: int = 0
    latest_recorded_at: datetime | None = None
    _full: dict[str, Any] = field(default_factory=dict)

    def add(self, event: Event) -> None:
        """Add an event (a later-recorded one may fall anywhere in replay order)."""
        self.count += 1
        if self.latest_recorded_at is None or event.recorded_at > self.latest_recorded_at:
            self.latest_recorded_at = event.recorded_at
        if not self.events or event > self.events[-1]:
            self.events.append(event)
            _fold(self._full, event)
            return
        bisect.insort(self.events, event)
        self._full = {}
        for known in self.events:
            _fold(self._full, known)

    def state_at(self, day: date) -> dict[str, Any] | None:
        """The state at the end of `day` that `plan_update` needs, or None before creation."""
        if day < self.created_on:
            return None
        if day >= self.events[-1].as_of:
            folded = dict(self._full)
        else:
            folded = {}
            for known in self.events:
                if known.as_of > day:
                    break
                _fold(folded, known)
        state = {name: folded.get(name) for name in RULE_FIELDS}
        if state["status"] == "complete":
            state["progress"] = 100
        else:
            state["completed_on"] = None
        state["created_on"] = self.created_on
        return state


def _fold(state: dict[str, Any], event: Event) -> None:
    for name, value in event.values.items():
        if value is not None:
            state[name] = value
