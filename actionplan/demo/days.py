"""The generated data's calendar, with dates as day numbers.

The L plan draws about a million updates, so the generator handles dates as
day numbers (`date.toordinal()`): fast to compare and step, and formatted
through a cache. Quarters come from `actionplan.quarters`, the same arithmetic
the figures use, so a remedy "done in a later quarter" here is late in the
report too.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from ..quarters import Quarter, quarter_of

#: First and last day of the generated data (complaints run from the first day;
#: nothing is dated after the last, so the files are never "in the future").
FIRST_DAY = date(2023, 4, 1)
LAST_DAY = date(2025, 9, 30)

#: The quarters the demo promises to make interesting (figures in every group).
CHECKED_FIRST = date(2023, 10, 1)
CHECKED_LAST = date(2025, 6, 30)


@cache
def iso(day: int) -> str:
    """A day number as an ISO date, the way every CSV file writes it."""
    return date.fromordinal(day).isoformat()


@cache
def month_of(day: int) -> int:
    """Months since year 0, for stepping through the data month by month."""
    when = date.fromordinal(day)
    return when.year * 12 + when.month - 1


@cache
def month_start(month: int) -> int:
    """The day number of the first day of a `month_of` month."""
    return date(month // 12, month % 12 + 1, 1).toordinal()


@cache
def quarter_of_day(day: int) -> Quarter:
    """The financial quarter (April start) a day number falls in."""
    return quarter_of(date.fromordinal(day))


@cache
def quarter_end(day: int) -> int:
    """The day number of the last day of the quarter `day` falls in."""
    return quarter_of_day(day).end.toordinal()
