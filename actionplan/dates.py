"""Dates as councils type them: ISO or UK, never US, never guessed, never absurd.

`31/12/2024` and `2024-12-31` are the same day. `12/31/2024` is impossible in UK
order and is refused rather than read as US. Spreadsheet cells that already hold
a date (openpyxl gives `datetime`) are taken as they are. Every date must fall
in the plan's date range (1 Jan 2000 to 31 Dec 2099 unless
`ACTIONPLAN_DATE_RANGE` says otherwise): a year typed as `0205` or `32027` is a
typo, and a plan that stored it could no longer be counted. `in_words` is how
every page shows a date (`31 Mar 2027`).
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from functools import cache

from .errors import FieldError

#: The dates a plan accepts unless `ACTIONPLAN_DATE_RANGE` (`2000-01-01..2099-12-31`) says otherwise.
DEFAULT_DATE_RANGE: tuple[date, date] = (date(2000, 1, 1), date(2099, 12, 31))

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: object, field: str = "date", row: int | None = None) -> date | None:
    """Read one date, or None for a blank.

    Args:
        value: a `date`, `datetime` (spreadsheet cell), ISO or UK string, or blank.
        field: the column or field named in an error.
        row: the spreadsheet row named in an error, if any.

    Raises:
        FieldError: the value is not a real ISO or UK date (for example
            `12/31/2024`, `31/02/2025` or `next week`).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return check_range(value.date(), field, row)
    if isinstance(value, date):
        return check_range(value, field, row)
    text = str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    iso = _ISO.match(text)
    uk = _UK.match(text)
    try:
        if iso:
            return check_range(date(int(iso[1]), int(iso[2]), int(iso[3])), field, row, text)
        if uk:
            return check_range(date(int(uk[3]), int(uk[2]), int(uk[1])), field, row, text)
    except ValueError:
        hint = " (dates are day/month/year)" if uk and int(uk[2]) > 12 else ""
        raise FieldError(field, f"{text!r} is not a real date{hint}", row) from None
    raise FieldError(field, f"{text!r} is not a date; use 2024-12-31 or 31/12/2024", row)


def as_date(value: date | datetime | str) -> date:
    """A date as a database driver returns it (`date`, `datetime` or ISO text) as a `date`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@cache
def date_range() -> tuple[date, date]:
    """The first and last date a plan accepts (`ACTIONPLAN_DATE_RANGE`, else 2000 to 2099)."""
    setting = os.environ.get("ACTIONPLAN_DATE_RANGE", "").strip()
    if not setting:
        return DEFAULT_DATE_RANGE
    first, _, last = setting.partition("..")
    try:
        earliest, latest = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise FieldError(
            "ACTIONPLAN_DATE_RANGE", f"{setting!r} is not like 2000-01-01..2099-12-31"
        ) from None
    if earliest > latest:
        raise FieldError("ACTIONPLAN_DATE_RANGE", f"{setting!r} ends before it starts")
    return earliest, latest


def in_range(day: date) -> bool:
    """True when `day` is a date a plan accepts."""
    earliest, latest = date_range()
    return earliest <= day <= latest


def check_range(
    day: date, field: str = "date", row: int | None = None, typed: str | None = None
) -> date:
    """`day` itself, or a FieldError naming the field when it is outside `date_range()`."""
    if in_range(day):
        return day
    earliest, latest = date_range()
    shown = typed if typed is not None else day.isoformat()
    raise FieldError(
        field,
        f"{shown!r} is outside the dates a plan accepts ({in_words(earliest)} to "
        f"{in_words(latest)}); check the year",
        row,
    )


def in_words(day: date | datetime | None, non_breaking: bool = False) -> str:
    """A date the way a UK reader writes it: `31 Mar 2027` (blank when missing).

    With `non_breaking` the spaces never break, so a date stays whole in a narrow
    table cell.
    """
    if day is None:
        return ""
    space = "\u00a0" if non_breaking else " "
    return f"{day.day}{space}{day.strftime('%b')}{space}{day.year}"
