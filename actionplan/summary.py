"""A quarter's figures from a plan held in memory: replay, then count.

`PlanData` is everything the figures need, read in one go (see
`store.queries.load_plan`), so a report that looks at every quarter replays
from memory instead of querying per quarter. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from . import assurance, figures, history, schedule
from .complaints.deadlines import DeadlineSettings
from .complaints.figures import window_figures
from .quarters import Quarter, parse_quarter


@dataclass
class PlanData:
    """The plan's records in memory, as frames."""

    events: pd.DataFrame
    complaints: pd.DataFrame
    compliments: pd.DataFrame
    sources: pd.DataFrame
    recommendations: pd.DataFrame
    first_month: int
    council: str
    database: str
    latest: Callable[[], Quarter] | None = None
    #: The plan's complaint time limits (SPEC section 10).
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    #: CQC assessment scores: source_id, quality_statement, score.
    #: Evidence items without their files (SPEC section 8): id, action_id,
    #: description, added_on, withdrawn_at.
    evidence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["id", "action_id", "description", "added_on", "withdrawn_at"]
        )
    )
    #: True when a team is registered (SPEC section 7): only then are completions verified.
    has_people: bool = False
    cqc_scores: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_id", "quality_statement", "score"])
    )

    def state_at(self, day: date | pd.Timestamp) -> pd.DataFrame:
        """Every action as it stood at the end of `day`, with `verified` (SPEC section 8)."""
        return assurance.with_verified(history.state_at(self.events, day), self.events, day)

    def quarter(self, text: str | Quarter, today: date | None = None) -> Quarter:
        """Read a quarter label or word with this plan's financial-year start."""
        return parse_quarter(text, today, self.first_month, latest=self.latest)


def quarter_summary(data: PlanData, quarter: Quarter) -> dict[str, Any]:
    """The object `actionplan summary --json` prints (SPEC sections 5 and 8)."""
    return summary_of(
        quarter,
        data.state_at(quarter.end),
        data.state_at(quarter.previous().end),
        data.events,
        data.complaints,
        data.compliments,
        data.deadlines,
    )


def summary_of(
    quarter: Quarter,
    state: pd.DataFrame,
    previous_state: pd.DataFrame,
    updates: pd.DataFrame,
    complaints: pd.DataFrame,
    compliments: pd.DataFrame,
    deadlines: DeadlineSettings,
) -> dict[str, Any]:
    """The figures of `quarter` from the plan as it stood at its end and the previous one's.

    `quarter_summary` replays a `PlanData`; `store.queries.summarise` passes
    states from the plan's columnar copy, the few events the figures count
    (`columnar.EventCopy.counted_events`), and only the complaint records the
    quarter's figures can count (`store.reading.Reads.complaints_between`):
    the same figures either way.

    Args:
        quarter: the quarter.
        state: the actions at its as-of day (at least the fields `figures` and
            `schedule` read, and `verified`).
        previous_state: the actions at the previous quarter's as-of day.
        updates: events with `action_id`, `kind` and `as_of`: every event, or
            at least one non-creation event in the quarter of each action that
            has one and every event of SPEC section 8's kinds up to its end.
        complaints: complaint records, all of them or those the quarter counts.
        compliments: compliments, all of them or those received in the quarter.
        deadlines: the plan's complaint time limits.
    """
    actions = figures.action_figures(state, previous_state, quarter)
    current = figures.with_rag(figures.live(state), quarter.end)
    actions.update(schedule.quarter_figures(current, current["rag"], updates, quarter))
    actions.update(assurance.assurance_figures(updates, actions["by_rag"], quarter))
    return {
        "quarter": quarter.label,
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "actions": actions,
        "complaints": window_figures(complaints, compliments, quarter, deadlines),
    }
