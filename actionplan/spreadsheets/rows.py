"""Reading the rows of one sheet into cleaned records, every problem collected.

The header is checked first (unknown, missing, repeated and export-only
columns), then each row is cleaned with the field rules of `records.RECORDS`:
the same parsers `records.clean_record` uses, applied once per distinct cell
value of a column and remembered, since a million update rows hold only a few
thousand distinct dates, statuses and percentages. A test checks the result
is exactly `clean_record`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..assurance import EVENT_KINDS
from ..dates import parse_date
from ..errors import FieldError
from ..records import RECORDS, field_names, is_blank, required_fields
from ..vocab import with_article
from .files import Sheet, unneutralise

#: Columns an export adds to the Actions sheet, worked out from the history.
WORKED_OUT_COLUMNS: tuple[str, ...] = ("rag", "version", "last_updated", "last_updated_by")
#: Blank columns an export adds to the Actions sheet, for an edit made offline
#: (read when the workbook comes back into its plan: `spreadsheets.reimport`).
EDIT_COLUMNS: tuple[str, ...] = ("as_of", "reason", "note")
#: Every column an exported Actions sheet has beyond the action record's fields.
DERIVED_ACTION_COLUMNS: tuple[str, ...] = (*WORKED_OUT_COLUMNS, *EDIT_COLUMNS)
#: Columns of an export's History sheet beyond the update record's fields.
HISTORY_COLUMNS: tuple[str, ...] = ("kind", "version", "recorded_at")

_HEADER_SEPARATORS = re.compile(r"[\s\-]+")

#: `report(column, message, row)`: where a reader sends each problem it finds.
Report = Callable[[str, str, int | None], None]


def header_key(text: str) -> str:
    """A heading as a field name: `Recommendation ID ` -> `recommendation_id`."""
    return _HEADER_SEPARATORS.sub("_", str(text).strip().lower())


def column_letter(index: int) -> str:
    """Excel's name for the column at 0-based `index` (0 -> A)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@dataclass(slots=True)
class Row:
    """One cleaned row: its Excel row number, record values and export-only extras."""

    number: int
    values: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)


class FieldCleaner:
    """`records.clean_record` for one kind, remembering each distinct cell value's result.

    A column whose values are mostly distinct (ids, free text) stops being
    remembered after a sample, so memory is spent only where it pays.

    Args:
        kind: the record kind.
        positions: the cell index of each field present in the sheet.
    """

    SAMPLE = 2000

    def __init__(self, kind: str, positions: dict[str, int]) -> None:
        self.fields = [
            [name, spec, positions.get(name), {}, 0] for name, spec in _specs(kind).items()
        ]

    def clean(self, cells: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Cleaned values (blank = None) and `(field, message)` for each problem."""
        cleaned: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        count = len(cells)
        for entry in self.fields:
            name, spec, index, memo, seen = entry
            value = cells[index] if index is not None and index < count else None
            if value.__class__ is str and value[:1] == "'":
                value = unneutralise(value)
            if memo is None or value.__class__ is float:  # 0.0 == -0.0, nan != nan
                found = _clean_value(spec, value)
            else:
                key = value if value.__class__ is str else (value.__class__, value)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = _clean_value(spec, value)
                    if seen < self.SAMPLE:
                        entry[4] = seen + 1
                    elif len(memo) > self.SAMPLE // 2:
                        entry[3] = None  # mostly distinct values: stop remembering
            if found[0]:
                result = found[1]
                cleaned[name] = list(result) if result.__class__ is list else result
            else:
                cleaned[name] = [] if name == "action_ids" else None
                problems.append((name, found[1]))
        return cleaned, problems


def _specs(kind: str) -> dict[str, Any]:
    return {spec.name: spec for spec in RECORDS[kind]}


def _clean_value(spec: Any, value: Any) -> tuple[bool, Any]:
    if is_blank(value):
        if spec.required:
            return False, "is required"
        return True, [] if spec.name == "action_ids" else None
    try:
        return True, parse_date(value, spec.name) if spec.is_date else spec.parse(value)
    except FieldError as error:
        return False, error.message
    except ValueError as error:
        return False, str(error)


def percent_value(value: Any) -> Any:
    """A cell Excel shows as a percentage (0.45 shown as 45%) as the number shown."""
    scaled = float(value) * 100
    return round(scaled) if abs(scaled - round(scaled)) < 1e-9 else scaled


def _recorded_at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    text = str(value).strip().removesuffix("Z").removesuffix(" UTC")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time like 2025-01-31 14:05:00") from None


def read_rows(
    kind: str,
    sheet: Sheet,
    report: Report,
    extra_columns: tuple[str, ...] = (),
    now: datetime | None = None,
    failed_ids: set[str] | None = None,
    unread: list[Row] | None = None,
) -> list[Row] | None:
    """Check a sheet's header, then clean each row.

    Args:
        kind: the record kind every row holds.
        sheet: the cells, rows numbered as in Excel.
        report: called for every problem.
        extra_columns: export-only columns accepted here (`DERIVED_ACTION_COLUMNS`
            beside a History sheet, `HISTORY_COLUMNS` on one).
        now: no `recorded_at` may be later.
        failed_ids: collects the ids of rows that could not be read, so later
            checks do not report the same record again.
        unread: collects the rows that could not be read, with the values that
            could, so their references can still be checked (every problem of a
            file is reported in one go).

    Returns:
        The rows that were read cleanly, or None when the header is wrong
        (the rows are not read then: every one would repeat the same problem).
    """
    columns = _columns(kind, sheet, report, extra_columns)
    if columns is None:
        return None
    fields = set(field_names(kind))
    positions = {name: index for index, name in columns.items() if name in fields}
    extra = [(index, name) for index, name in columns.items() if name not in fields]
    unnamed = [index for index, heading in enumerate(sheet.header) if is_blank(heading)]
    width = len(sheet.header)
    percent = sheet.percent_cells
    progress_at = positions.get("progress")
    cleaner = FieldCleaner(kind, positions)
    rows: list[Row] = []
    stray = bool(unnamed) or any(len(cells) > width for _, cells in sheet.rows)
    for number, cells in sheet.rows:
        count = len(cells)
        if stray:
            for index in unnamed + list(range(width, count)):
                if index < count and not is_blank(cells[index]):
                    report(column_letter(index), "has a value but no heading", number)
        if percent and (number, progress_at) in percent:
            cells = list(cells)
            cells[progress_at] = percent_value(cells[progress_at])
        values, problems = cleaner.clean(cells)
        extras: dict[str, Any] = {}
        ok = True
        if extra:
            extras = {name: cells[index] if index < count else None for index, name in extra}
            ok = _read_extras(kind, extras, number, report, now)
        for name, message in problems:
            report(name, message, number)
        if problems or not ok:
            id_at = positions.get("id")
            raw_id = cells[id_at] if id_at is not None and id_at < count else None
            if failed_ids is not None and not is_blank(raw_id):
                failed_ids.add(unneutralise(str(raw_id)).strip())
            if unread is not None:
                unread.append(Row(number, values, extras))
            continue
        rows.append(Row(number, values, extras))
    return rows


def _columns(
    kind: str, sheet: Sheet, report: Report, extra_columns: tuple[str, ...]
) -> dict[int, str] | None:
    """Map column positions to field names, reporting every header problem."""
    fields = field_names(kind)
    columns: dict[int, str] = {}
    good = True
    for index, heading in enumerate(sheet.header):
        if is_blank(heading):
            if any(index < len(cells) and not is_blank(cells[index]) for _, cells in sheet.rows):
                report(column_letter(index), "has values but no heading", 1)
                good = False
            continue
        name = header_key(heading)
        if name in columns.values():
            report(name, "appears twice in the header", 1)
            good = False
        elif name in fields or name in extra_columns:
            columns[index] = name
        elif name in WORKED_OUT_COLUMNS + HISTORY_COLUMNS or (
            kind == "action" and name in EDIT_COLUMNS
        ):
            report(
                name,
                "is worked out by actionplan and only read back from an exported workbook "
                "(beside its History sheet); delete this column to import the file",
                1,
            )
            good = False
        else:
            report(
                str(heading).strip(),
                f"is not a field of {with_article(kind)}; the columns are {', '.join(fields)}",
                1,
            )
            good = False
    for name in required_fields(kind):
        if name not in columns.values():
            report(name, "is required but the header has no such column", 1)
            good = False
    return columns if good else None


def _read_extras(
    kind: str, extras: dict[str, Any], number: int, report: Report, now: datetime | None
) -> bool:
    """Read the export-only columns a row may carry; False if one is wrong."""
    ok = True
    if kind == "update":
        kind_cell = extras.get("kind")
        event_kind = "" if is_blank(kind_cell) else str(kind_cell).strip().lower()
        if event_kind not in ("", *EVENT_KINDS):
            report("kind", f"{event_kind!r} is not one of {', '.join(EVENT_KINDS)}", number)
            ok = False
        extras["kind"] = event_kind or "update"
        recorded = extras.get("recorded_at")
        extras["recorded_at"] = None
        if not is_blank(recorded):
            try:
                extras["recorded_at"] = _recorded_at(recorded)
            except ValueError as error:
                report("recorded_at", str(error), number)
                ok = False
            else:
                if now is not None and extras["recorded_at"] > now:
                    report("recorded_at", "is in the future", number)
                    ok = False
    elif kind == "action":
        for name, parse in _ACTION_EXTRAS.items():
            value = extras.get(name)
            if is_blank(value):
                extras[name] = None
                continue
            try:
                extras[name] = parse(value, name, number)
            except FieldError as error:
                report(name, error.message, number)
                ok = False
            except ValueError as error:
                report(name, str(error), number)
                ok = False
    return ok


def _version(value: Any, name: str, number: int) -> int:
    if isinstance(value, bool) or not str(value).strip().removesuffix(".0").isdigit():
        raise ValueError(f"{value!r} is not a version number; leave it as the export wrote it")
    return int(str(value).strip().removesuffix(".0"))


def _text(value: Any, name: str, number: int) -> str:
    return unneutralise(str(value)).strip()


#: How the extra columns of an exported Actions sheet are read (blank is None).
_ACTION_EXTRAS: dict[str, Callable[[Any, str, int], Any]] = {
    "version": _version,
    "last_updated_by": _text,
    "as_of": parse_date,
    "reason": _text,
    "note": _text,
}
