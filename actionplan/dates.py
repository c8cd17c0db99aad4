"""Dates as councils type them: ISO or UK, never US, never guessed.

`31/12/2024` and `2024-12-31` are the same day. `12/31/2024` is impossible in UK
order and is refused rather than read as US. Spreadsheet cells that already hold
a date (openpyxl gives `datetime`) are taken as they are.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .errors import FieldError

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
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    iso = _ISO.match(text)
    uk = _UK.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
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
