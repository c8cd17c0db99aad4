"""Working days in England and Wales: no weekends, no bank holidays.

Deadlines a council is held to are counted in working days: the reply-by date
of an update request (SPEC section 9) and complaint responses (section 10).
Bank holidays come from the maintained `holidays` package (England's
calendar, which Wales shares for bank holidays), never from a hand-kept list,
so substitute days (Boxing Day observed on a Monday) are right every year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """True for a weekday that is not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the day itself is not counted).

    `add_working_days(Friday, 1)` is the next Monday, or the Tuesday when that
    Monday is a bank holiday.
    """
    if days < 0:
        raise ValueError(f"{days} is not a number of working days ahead")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start`, up to and including `end` (0 if `end` is earlier)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
