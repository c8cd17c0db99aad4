"""A quarter's figures from a plan held in memory: replay, then count.

`PlanData` is everything the figures need, read in one go (see
`store.queries.load_plan`), so a report that looks at every quarter replays
from memory instead of querying per quarter. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from . import figures, history
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

    def state_at(self, day: date | pd.Timestamp) -> pd.DataFrame:
        """Every action as it stood at the end of `day`."""
        return history.state_at(self.events, day)

    def quarter(self, text: str | Quarter, today: date | None = None) -> Quarter:
        """Read a quarter label or word with this plan's financial-year start."""
        return parse_quarter(text, today, self.first_month, latest=self.latest)


def quarter_summary(data: PlanData, quarter: Quarter) -> dict[str, Any]:
    """The object `actionplan summary --json` prints (SPEC section 5)."""
    return summary_of(
        quarter,
        data.state_at(quarter.end),
        data.state_at(quarter.previous().end),
        data.complaints,
        data.compliments,
    )


def summary_of(
    quarter: Quarter,
    state: pd.DataFrame,
    previous_state: pd.DataFrame,
    complaints: pd.DataFrame,
    compliments: pd.DataFrame,
) -> dict[str, Any]:
    """The figures of `quarter` from the plan as it stood at its end and the previous one's.

    `quarter_summary` replays a `PlanData`; `store.queries.summarise` passes
    states from the plan's columnar copy and only the complaint records dated
    in the quarter (`figures.COMPLAINT_WINDOW_DATES`): the same figures either way.

    Args:
        quarter: the quarter.
        state: the actions at its as-of day (at least the fields `figures` reads).
        previous_state: the actions at the previous quarter's as-of day.
        complaints: complaint records, all of them or those dated in the quarter.
        compliments: compliments, all of them or those received in the quarter.
    """
    return {
        "quarter": quarter.label,
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "actions": figures.action_figures(state, previous_state, quarter),
        "complaints": figures.complaint_figures(complaints, compliments, quarter),
    }
