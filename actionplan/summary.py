"""A quarter's figures from a database: load once, replay, count.

`PlanData` is everything the figures need, read in one go, so a report that
looks at every quarter replays from memory instead of querying per quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from . import figures, history
from .errors import ActionPlanError
from .quarters import Quarter, parse_quarter
from .store import Store

#: The action fields the figures read: the text fields are not needed to count.
FIGURE_FIELDS: tuple[str, ...] = ("status", "progress", "due", "completed_on")


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

    @classmethod
    def load(cls, store: Store, fields: Any = None) -> PlanData:
        """Read every record the figures and the report use.

        Args:
            store: the plan.
            fields: the action fields to replay (default all); `FIGURE_FIELDS`
                is enough for `quarter_summary` and loads a large plan faster.
        """
        return cls(
            events=store.events(fields=fields),
            complaints=store.complaints(),
            compliments=store.table("compliments"),
            sources=store.table("sources"),
            recommendations=store.table("recommendations"),
            first_month=store.first_month,
            council=store.council,
            database=store.display_name,
        )

    def state_at(self, day: date | pd.Timestamp) -> pd.DataFrame:
        """Every action as it stood at the end of `day`."""
        return history.state_at(self.events, day)

    def quarter(self, text: str | Quarter, today: date | None = None) -> Quarter:
        """Read a quarter label with this plan's financial-year start."""
        return parse_quarter(text, today, self.first_month)


def quarter_summary(data: PlanData, quarter: Quarter) -> dict[str, Any]:
    """The object `actionplan summary --json` prints (SPEC section 5)."""
    state = data.state_at(quarter.end)
    previous_state = data.state_at(quarter.previous().end)
    return {
        "quarter": quarter.label,
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "actions": figures.action_figures(state, previous_state, quarter),
        "complaints": figures.complaint_figures(data.complaints, data.compliments, quarter),
    }


def summarise(store: Store, quarter: str | Quarter, today: date | None = None) -> dict[str, Any]:
    """Load the plan and return one quarter's figures."""
    data = PlanData.load(store, fields=FIGURE_FIELDS)
    return quarter_summary(data, data.quarter(quarter, today))


def latest_quarter(store: Store, today: date | None = None) -> Quarter:
    """The last finished quarter that has data (what `make report` shows).

    A quarter still in progress is only chosen when the plan has no data in any
    finished quarter: a director wants the last complete picture, not a partial one.

    Raises:
        ActionPlanError: the plan holds no dated records yet.
    """
    today = today or date.today()
    quarters = store.data_quarters(today)
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    finished = [quarter for quarter in quarters if quarter.end < today]
    return finished[-1] if finished else quarters[-1]
