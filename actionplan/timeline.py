"""One action's events in replay order: what a save is judged against, and what it leaves.

Saving one update (`Store.record_update`) and importing a million
(`spreadsheets`) both hold each action's events in a `Timeline` and ask it
two things: the state at an update's `as_of` (which `rules.plan_update`
judges the update against) and the action's current row afterwards (what the
`actions` table caches). A timeline folds its events as `history.state_at`
replays a whole plan: per field, the last value set in (`as_of`,
`recorded_at`, `seq`) order, then `rules.settle`. The property tests hold the
two replays equal.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .rules import STATE_FIELDS, event_values, settle

#: One event as replay orders events: `(as_of, recorded_at, seq, values)`, where
#: `values` holds the state fields the event set. `seq` is unique, so comparing
#: two events never reaches `values`. A plain tuple: a million are made per import.
Event = tuple[date, datetime, int, dict[str, Any]]


@dataclass(slots=True)
class Timeline:
    """The events of one action, sorted, with a running fold of all of them.

    Attributes:
        action_id: the action.
        recommendation_id: the recommendation it answers.
        created_on: the `as_of` of its creation event.
        baseline_due: the due date it was created with (it never changes).
    """

    action_id: str
    recommendation_id: str
    created_on: date
    baseline_due: date | None = None
    events: list[Event] = field(default_factory=list)
    count: int = 0
    latest_recorded_at: datetime | None = None
    latest_by: str = ""
    full: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def created(
        cls, values: dict[str, Any], events: list[tuple[Any, ...]], seq: int, by: str
    ) -> Timeline:
        """A new action's timeline, holding its first events (`rules.creation_events`).

        The events take the sequence numbers from `seq` up, in order.
        """
        first = event_values(events[0])
        timeline = cls(
            values["id"], values["recommendation_id"], values["created_on"], first["due"]
        )
        for offset, event in enumerate(events):
            timeline.add((event[5], event[4], seq + offset, event_values(event)), by)
        return timeline

    def add(self, event: Event, by: str) -> None:
        """Add an event (a later-recorded one may fall anywhere in replay order)."""
        self.count += 1
        if self.latest_recorded_at is None or event[1] > self.latest_recorded_at:
            self.latest_recorded_at = event[1]
            self.latest_by = by
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
        """The settled state at the end of `day`, with `created_on`; None before creation."""
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
        state = {name: folded.get(name) for name in STATE_FIELDS}
        state["created_on"] = self.created_on
        return settle(state)

    def current_row(self, today: date) -> dict[str, Any]:
        """The row the `actions` table holds for this action: its state today, and who saved last.

        `version` counts every event stored, the number the next save must follow.
        """
        state = self.state_at(max(today, self.created_on))
        assert state is not None
        return {
            "id": self.action_id,
            "recommendation_id": self.recommendation_id,
            **{name: state[name] for name in STATE_FIELDS},
            "baseline_due": self.baseline_due,
            "created_on": self.created_on,
            "version": self.count,
            "last_updated": self.latest_recorded_at,
            "last_updated_by": self.latest_by,
        }


def _fold(state: dict[str, Any], event: Event) -> None:
    for name, value in event[3].items():
        if value is not None:
            state[name] = value
