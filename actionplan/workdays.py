"""Working days in England and Wales: no weekends, no bank holidays.

Deadlines a council is held to are counted in working days: the reply-by date
of an update request (SPEC section 9) and complaint responses (section 10).
Bank holidays come from the maintained `holidays` package (England's
calendar, which Wales shares for bank holidays), never from a hand-kept list,
so substitute days (Boxing Day observed on a Monday) and one-off holidays are
right every year. numpy's business-day calendar does the counting, so a
column of a million complaints is shifted in one call.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from .dates import date_range


@cache
def _calendar() -> np.busdaycalendar:
    """Monday to Friday, less the bank holidays of every year a plan may hold (and the next)."""
    import holidays

    earliest, latest = date_range()
    days = holidays.UK(subdiv="ENG", years=range(earliest.year, latest.year + 2))
    return np.busdaycalendar(
        weekmask="1111100", holidays=np.array(sorted(days), dtype="datetime64[D]")
    )


def is_working_day(day: date) -> bool:
    """A weekday that is not a bank holiday of England and Wales."""
    return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=_calendar()))


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself never counts).

    A complaint received on Friday 22 August 2025 (Monday 25 August a bank
    holiday) has Tuesday 26 as its first working day after, and Thursday 28
    as its third. A day that is not a working day counts from the working day
    before it: Saturday's first working day after is Monday.
    """
    found = np.busday_offset(np.datetime64(day, "D"), count, roll="backward", busdaycal=_calendar())
    return found.astype(date)


def add_working_days_to(days: pd.Series, count: int) -> pd.Series:
    """`add_working_days` for a column of days (blanks stay blank), in one call."""
    known = days.notna()
    result = pd.Series(pd.NaT, index=days.index, dtype=days.dtype)
    if known.any():
        shifted = np.busday_offset(
            days[known].to_numpy().astype("datetime64[D]"),
            count,
            roll="backward",
            busdaycal=_calendar(),
        )
        result[known] = pd.to_datetime(shifted).astype(days.dtype)
    return result


def working_days_after(earlier: date, later: date) -> int:
    """How many working days fall after `earlier` up to and including `later` (0 if not later)."""
    if later <= earlier:
        return 0
    first = np.datetime64(earlier, "D") + 1
    return int(np.busday_count(first, np.datetime64(later, "D") + 1, busdaycal=_calendar()))
