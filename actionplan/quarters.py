"""Financial-year quarters: the unit every figure and report is counted in.

Councils report by financial year (1 April to 31 March by default). A quarter is
named by the year it falls in and its number: `2024-25-Q3` is October to
December 2024. The year's first month is configurable for bodies whose year
starts elsewhere; the label then names the calendar year the financial year
starts in.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import date_range
from .errors import FieldError

DEFAULT_FIRST_MONTH = 4

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of a financial year.

    Attributes:
        year: calendar year in which the financial year starts (2024 for 2024-25).
        number: 1 to 4.
        first_month: month the financial year starts in (4 = April).
    """

    year: int
    number: int
    first_month: int = DEFAULT_FIRST_MONTH

    @property
    def label(self) -> str:
        """Canonical label, e.g. `2024-25-Q3`."""
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"

    @property
    def short_label(self) -> str:
        """The label where space is tight (a chart's axis): `Q3 24/25`."""
        return f"Q{self.number} {self.year % 100:02d}/{(self.year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        """First day of the quarter."""
        month_index = self.first_month - 1 + 3 * (self.number - 1)
        return date(self.year + month_index // 12, month_index % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter: its as-of day."""
        month_index = self.first_month - 1 + 3 * (self.number - 1) + 2
        year, month = self.year + month_index // 12, month_index % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def as_of(self) -> date:
        """The day whose end the quarter's figures describe."""
        return self.end

    def next(self) -> Quarter:
        """The quarter after this one."""
        if self.number == 4:
            return Quarter(self.year + 1, 1, self.first_month)
        return Quarter(self.year, self.number + 1, self.first_month)

    def previous(self) -> Quarter:
        """The quarter before this one."""
        if self.number == 1:
            return Quarter(self.year - 1, 4, self.first_month)
        return Quarter(self.year, self.number - 1, self.first_month)

    def in_words(self) -> str:
        """How a manager says it: `Quarter 3 (October to December) 2024 to 2025`."""
        first = calendar.month_name[self.start.month]
        last = calendar.month_name[self.end.month]
        return f"Quarter {self.number} ({first} to {last}) {self.year} to {self.year + 1}"

    def __str__(self) -> str:
        return self.label


def quarter_of(day: date, first_month: int = DEFAULT_FIRST_MONTH) -> Quarter:
    """The quarter a date falls in."""
    months_into_year = (day.month - first_month) % 12
    year = day.year if day.month >= first_month else day.year - 1
    return Quarter(year, months_into_year // 3 + 1, first_month)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from `first` to `last` inclusive (empty if `last` is earlier)."""
    found: list[Quarter] = []
    quarter = first
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    return found


#: The words every command accepts for a quarter, besides a label like 2024-25-Q3.
QUARTER_WORDS: tuple[str, ...] = ("current", "previous", "latest")


def parse_quarter(
    text: str | Quarter,
    today: date | None = None,
    first_month: int = DEFAULT_FIRST_MONTH,
    field: str = "quarter",
    latest: Callable[[], Quarter] | None = None,
) -> Quarter:
    """Read a quarter as people write it.

    Accepts `2024-25-Q3`, `2024/25 Q3`, `2024-25 Q3`, and (in any case)
    `current` or `previous` relative to `today`, and `latest`, the last
    finished quarter with data, which only a plan can say: the caller passes
    `latest` to work it out (see `store.queries.resolve_quarter`). The two
    halves of the year must be consecutive (`2024-26` is refused rather than
    guessed).

    Raises:
        FieldError: naming `field`, when the text is not a quarter.
    """
    if isinstance(text, Quarter):
        return text
    raw = str(text).strip()
    today = today or date.today()
    keyword = raw.lower()
    if keyword == "current":
        return quarter_of(today, first_month)
    if keyword in ("previous", "last"):
        return quarter_of(today, first_month).previous()
    if keyword == "latest":
        if latest is None:
            raise FieldError(
                field, "'latest' needs a plan to look at; give a quarter such as 2024-25-Q3"
            )
        return latest()
    match = _LABEL.match(raw)
    if not match:
        raise FieldError(
            field,
            f"{raw!r} is not a quarter; write it like 2024-25-Q3, 2024/25 Q3, "
            "current, previous or latest",
        )
    return Quarter(_starting_year(raw, match[1], match[2], field), int(match[3]), first_month)


def _starting_year(raw: str, first: str, second: str, field: str) -> int:
    """The year a financial year written `first-second` starts in, checked.

    The halves must be consecutive (`2024-26` is refused rather than guessed)
    and within the years a plan covers.
    """
    year = int(first)
    expected = (year + 1) % 100 if len(second) == 2 else year + 1
    if int(second) != expected:
        raise FieldError(
            field, f"{raw!r} is not a financial year: {year} is followed by {year + 1}"
        )
    earliest, latest = date_range()
    if year < earliest.year or year + 1 > latest.year:
        raise FieldError(
            field,
            f"{raw!r} is outside the years a plan covers ({earliest.year} to {latest.year})",
        )
    return year


_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """One financial year: what annual reports (the complaints report) are counted in.

    Attributes:
        year: calendar year in which it starts (2024 for 2024-25).
        first_month: month it starts in (4 = April).
    """

    year: int
    first_month: int = DEFAULT_FIRST_MONTH

    @property
    def label(self) -> str:
        """Canonical label, e.g. `2024-25`."""
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def quarters(self) -> list[Quarter]:
        """Its four quarters, in order."""
        return [Quarter(self.year, number, self.first_month) for number in range(1, 5)]

    @property
    def start(self) -> date:
        """First day of the year."""
        return self.quarters[0].start

    @property
    def end(self) -> date:
        """Last day of the year: its as-of day."""
        return self.quarters[-1].end

    def previous(self) -> FinancialYear:
        """The year before."""
        return FinancialYear(self.year - 1, self.first_month)

    def in_words(self) -> str:
        """How a manager says it: `1 April 2024 to 31 March 2025`."""
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def __str__(self) -> str:
        return self.label


def year_of(day: date, first_month: int = DEFAULT_FIRST_MONTH) -> FinancialYear:
    """The financial year a date falls in."""
    return FinancialYear(quarter_of(day, first_month).year, first_month)


def parse_year(
    text: str | FinancialYear,
    today: date | None = None,
    first_month: int = DEFAULT_FIRST_MONTH,
    field: str = "year",
) -> FinancialYear:
    """Read a financial year as people write it: `2024-25`, `2024/25`, `2024-2025`,
    `current` or `previous` (relative to `today`), in any case.

    Raises:
        FieldError: naming `field`, when the text is not a financial year.
    """
    if isinstance(text, FinancialYear):
        return text
    raw = str(text).strip()
    today = today or date.today()
    if raw.lower() == "current":
        return year_of(today, first_month)
    if raw.lower() in ("previous", "last"):
        return year_of(today, first_month).previous()
    match = _YEAR.match(raw)
    if not match:
        raise FieldError(
            field, f"{raw!r} is not a financial year; write it like 2024-25, current or previous"
        )
    return FinancialYear(_starting_year(raw, match[1], match[2], field), first_month)


def quarters_from(earlier: Quarter, later: Quarter) -> int:
    """How many quarters `later` is after `earlier` (negative if before)."""
    return (later.year - earlier.year) * 4 + later.number - earlier.number


def shift_by_quarters(day: date, quarters: int) -> date:
    """The same day `quarters` whole quarters (three months each) later, or earlier.

    The day of the month is kept where the target month has it; a month's last
    day stays its month's last day (31 Dec moves to 31 Mar, 30 Sep to 31 Dec),
    and a day the target month lacks becomes its last (30 Nov to 28 Feb).
    """
    index = day.year * 12 + day.month - 1 + 3 * quarters
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month + 1, last)
    return date(year, month + 1, min(day.day, last))


def days_between(earlier: date, later: date) -> int:
    """Whole days from `earlier` to `later` (negative if reversed)."""
    return (later - earlier) // timedelta(days=1)
