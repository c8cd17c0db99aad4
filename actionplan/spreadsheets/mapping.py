"""A mapping file: how a council's own tracker's columns and words become records.

Every council already keeps its plan in a spreadsheet of its own shape: a title
row, a "Last updated" row, headings such as `Lead Officer` and `Target Date`,
RAG words, a recommendation repeated (or merged) over its actions. A mapping
file (TOML, read with the standard library) says once how that shape reads:

```toml
sheet = "Action Plan"     # optional: the sheet (or --sheet)
header_row = 3            # optional: else the first row holding the mapped headings
as_of = 2025-03-31        # the day the tracker describes (default today)

[source]                  # the one source every recommendation comes from
id = "PEER-2024"
kind = "peer_review"
title = "LGA Corporate Peer Challenge 2024"

[recommendations]         # one per distinct value of a column (or `text` for one)
column = "Recommendation"
id_prefix = "PEER-2024-R" # ids PEER-2024-R01, -R02... in order of appearance

[columns]                 # every heading: a field, "recommendation", "note" or "ignore"
"Ref" = "id"
"Lead Officer" = "owner"

[values.RAG]              # words of a column, as the field's values
Green = "on_track"

[defaults]                # fields with no column, or a blank cell
created_on = 2024-04-01
```

`mapped_parts` turns the tracker into the same parts an ordinary import reads
(`importer.Part`), with the tracker's own headings, so `import_parts` checks
and writes them exactly as it does any file. `suggest` writes a first mapping.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import vocab
from ..dates import parse_date
from ..errors import ActionPlanError, FieldError
from ..records import field_names, is_blank
from .files import CellError, Sheet, open_workbook, read_csv, read_worksheet
from .rows import header_key, percent_value

#: What a tracker column may hold: an action's field, the recommendation's text,
#: a note on the action, or nothing to import.
COLUMN_FIELDS: tuple[str, ...] = (
    *(name for name in field_names("action") if name != "recommendation_id"),
    "recommendation",
    "note",
    "ignore",
)
_SETTINGS = {"sheet", "header_row", "as_of", "source", "recommendations", "actions"}
_TABLES = {"columns", "values", "defaults"}
#: Rows searched for the header when the mapping does not say which it is.
HEADER_SEARCH_ROWS = 30


class MappingError(ActionPlanError):
    """The mapping file is wrong: the message names the file and the setting."""


@dataclass
class Mapping:
    """A mapping file as read: headings are keyed by `rows.header_key`."""

    name: str
    sheet: str | None = None
    header_row: int | None = None
    as_of: date | None = None
    source: dict[str, Any] = field(default_factory=dict)
    recommendations: dict[str, Any] = field(default_factory=dict)
    actions: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    def column_of(self, wanted: str) -> str | None:
        """The heading key of the column mapped to `wanted`, if any."""
        return next((key for key, name in self.columns.items() if name == wanted), None)


def value_key(value: Any) -> str:
    """A cell's text as `[values]` matches it: any case, spaces collapsed."""
    return " ".join(str(value).split()).lower()


def read_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Raises:
        MappingError: the file is missing, not TOML, or names an unknown
            setting, field or record kind (the message names the setting).
    """
    path = Path(path)
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"{name}: not a readable TOML file ({error})") from None
    for key in data:
        if key not in _SETTINGS | _TABLES:
            raise MappingError(f"{name}: {key!r} is not a setting of a mapping")
    for key in ("source", "recommendations", "actions", *_TABLES):
        if not isinstance(data.get(key, {}), dict):
            raise MappingError(f"{name}: [{key}] must be a table")
    mapping = Mapping(name, source=data.get("source", {}))
    mapping.recommendations = data.get("recommendations", {})
    mapping.actions = data.get("actions", {})
    sheet = data.get("sheet")
    mapping.sheet = None if sheet is None else str(sheet)
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise MappingError(f"{name}: header_row must be a row number such as 3")
    mapping.header_row = header_row
    mapping.as_of = _setting_date(name, "as_of", data.get("as_of"))
    for heading, target in data.get("columns", {}).items():
        target = str(target).strip().lower()
        if target not in COLUMN_FIELDS:
            raise MappingError(
                f"{name}: [columns] {heading!r} = {target!r} is not something a column can "
                f"hold; use one of: {', '.join(COLUMN_FIELDS)}"
            )
        mapping.columns[header_key(heading)] = target
        mapping.headings[header_key(heading)] = str(heading).strip()
    for heading, table in data.get("values", {}).items():
        if header_key(heading) not in mapping.columns:
            raise MappingError(f"{name}: [values.{heading!r}] names no column of [columns]")
        if not isinstance(table, dict):
            raise MappingError(f"{name}: [values.{heading!r}] must be a table of words")
        mapping.values[header_key(heading)] = {value_key(k): v for k, v in table.items()}
    for target, value in data.get("defaults", {}).items():
        if target not in COLUMN_FIELDS[:-3]:
            raise MappingError(f"{name}: [defaults] {target!r} is not a field of an action")
        mapping.defaults[target] = value
    for target in ("id", "title") if set(mapping.source) - {"id"} else ("id",):
        if is_blank(mapping.source.get(target)):
            raise MappingError(f"{name}: [source] needs {target} (and kind, for a new source)")
    if not (mapping.column_of("recommendation") or mapping.recommendations.get("text")):
        raise MappingError(
            f'{name}: map a column to "recommendation", or give [recommendations] text'
        )
    return mapping


def _setting_date(name: str, key: str, value: Any) -> date | None:
    try:
        return parse_date(value, key)
    except FieldError as error:
        raise MappingError(f"{name}: {error}") from None


@dataclass
class Tracker:
    """The cells of one sheet of a tracker, every non-blank row, numbered as Excel numbers them."""

    label: str
    title: str
    grid: list[tuple[int, list[Any]]]
    percent_cells: set[tuple[int, int]]


def read_trackers(path: str | Path, sheet: str | None = None) -> list[Tracker]:
    """Every sheet of a workbook (or the one named), or the CSV file, as `Tracker`s.

    Merged cells take their top-left value throughout (a recommendation merged
    over its actions' rows belongs to each of them).

    Raises:
        ActionPlanError: the file cannot be read or has no sheet named `sheet`.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return [_tracker(path.name, path.stem, read_csv(path, path.name), [])]
    workbook = open_workbook(path, read_only=False)
    try:
        sheets = workbook.worksheets
        if sheet is not None:
            sheets = [ws for ws in sheets if ws.title.strip().lower() == sheet.strip().lower()]
            if not sheets:
                names = ", ".join(ws.title for ws in workbook.worksheets)
                raise ActionPlanError(f"{path}: has no sheet {sheet!r} (its sheets: {names})")
        found = []
        for worksheet in sheets:
            label = f"sheet {worksheet.title}"
            cells = read_worksheet(path, worksheet, label)
            merged = [
                (r.min_row, r.max_row, r.min_col, r.max_col, worksheet.cell(r.min_row, r.min_col))
                for r in worksheet.merged_cells.ranges
            ]
            found.append(_tracker(label, worksheet.title, cells, merged))
    finally:
        workbook.close()
    return found


def _tracker(label: str, title: str, sheet: Sheet, merged: list[tuple]) -> Tracker:
    rows = {sheet.header_row: list(sheet.header)} if sheet.header else {}
    rows.update({number: list(cells) for number, cells in sheet.rows})
    for first_row, last_row, first_col, last_col, corner in merged:
        for number in range(first_row, last_row + 1):
            if number in rows:
                cells = rows[number]
                cells.extend([None] * (last_col - len(cells)))
                for index in range(first_col - 1, last_col):
                    cells[index] = corner.value
    return Tracker(label, title, sorted(rows.items()), sheet.percent_cells)


def find_header(
    tracker: Tracker, wanted: set[str], header_row: int | None = None
) -> tuple[int, list[str]] | None:
    """The header row's number and headings: `header_row`, or the first row holding
    the most `wanted` headings (at least two) within the first rows."""
    if header_row is not None:
        for number, cells in tracker.grid:
            if number == header_row:
                return number, ["" if is_blank(c) else str(c).strip() for c in cells]
        return None
    best: tuple[int, int, list[Any]] | None = None
    for number, cells in tracker.grid[:HEADER_SEARCH_ROWS]:
        score = sum(1 for cell in cells if not is_blank(cell) and header_key(str(cell)) in wanted)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, number, cells)
    if best is None:
        return None
    return best[1], ["" if is_blank(c) else str(c).strip() for c in best[2]]


def choose_tracker(path: str | Path, mapping: Mapping, sheet: str | None) -> Tracker:
    """The sheet a mapped import reads: `--sheet`, the mapping's `sheet`, or the only one."""
    trackers = read_trackers(path, sheet or mapping.sheet)
    if len(trackers) > 1:
        found = [t for t in trackers if find_header(t, set(mapping.columns), mapping.header_row)]
        if len(found) != 1:
            names = ", ".join(t.title for t in trackers)
            raise ActionPlanError(
                f"{path}: which sheet is the tracker ({names})? Give --sheet or `sheet =` in "
                f"{mapping.name}"
            )
        trackers = found
    return trackers[0]


def mapped_rows(
    mapping: Mapping, tracker: Tracker
) -> tuple[list[tuple[int, dict[str, Any], dict[str, Any]]], dict[str, str], list[FieldError]]:
    """The tracker's data rows as `{field: raw value}`, `[values]` and `[defaults]` applied.

    Returns:
        `(rows, headings, problems)`: each row with its Excel number, its
        values and the cells as typed (before `[values]`, for messages); the
        heading of each field's column (for messages); and the header's problems
        (unmapped headings, mapped ones missing), which stop the import.
    """
    found = find_header(tracker, set(mapping.columns), mapping.header_row)
    if found is None or sum(header_key(h) in mapping.columns for h in found[1]) < 2:
        where = f"row {mapping.header_row} does not" if mapping.header_row else "no row does"
        raise ActionPlanError(
            f"{tracker.label}: {where} hold the headings of [columns] in {mapping.name}; "
            "set header_row to the number of the header row"
        )
    header_number, header = found
    problems: list[FieldError] = []
    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    for index, heading in enumerate(header):
        if not heading:
            continue
        key = header_key(heading)
        target = mapping.columns.get(key)
        if target is None:
            problems.append(
                CellError(
                    heading,
                    f'is not in {mapping.name}; map it to a field, or to "ignore"',
                    header_number,
                    tracker.label,
                )
            )
        elif target in positions:
            problems.append(
                CellError(heading, f"is a second column for {target}", header_number, tracker.label)
            )
        elif target != "ignore":
            positions[target] = index
            headings[target] = heading
    for key, heading in mapping.headings.items():
        if mapping.columns[key] != "ignore" and key not in {header_key(h) for h in header}:
            problems.append(
                CellError(heading, f"is in {mapping.name} but not in the header", header_number,
                          tracker.label)
            )  # fmt: skip
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for number, cells in tracker.grid:
        if number <= header_number:
            continue
        raw: dict[str, Any] = {}
        typed: dict[str, Any] = {}
        for target, index in positions.items():
            value = typed[target] = cells[index] if index < len(cells) else None
            if target == "progress" and (number, index) in tracker.percent_cells:
                value = percent_value(value)
            words = mapping.values.get(header_key(headings[target]), {})
            if not is_blank(value) and value_key(value) in words:
                value = words[value_key(value)]
            raw[target] = None if is_blank(value) else value
        if all(value is None for value in raw.values()):
            continue
        for target, value in mapping.defaults.items():
            if raw.get(target) is None:
                raw[target] = value
        rows.append((number, raw, typed))
    return rows, headings, problems


def status_of(value: Any) -> str | None:
    """The status a cell names, or None when blank or not a status (cleaning says why)."""
    if value is None:
        return None
    try:
        return vocab.normalise("status", str(value))
    except ValueError:
        return None
