"""Export the plan as a council would keep it in Excel, or a CSV of the actions.

The `.xlsx` export holds everything needed to rebuild the plan: one sheet per
record kind (People only when a team has registered any), with the History sheet listing every event of every action
(creation included) in the order it was recorded. Importing the workbook into
an empty database recreates the same state at every date (docs/import-export.md).

Text that a spreadsheet would run as a formula is neutralised (see
`files.neutralise`), dates are real Excel dates, and the file is written to a
temporary name and renamed, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .. import figures
from ..assurance import REQUEST
from ..atomic import atomic_path, writable_file
from ..errors import ActionPlanError
from ..records import field_names
from ..rules import EVENT_FIELDS, RULE_FIELDS, UPDATE_FIELDS
from ..store import Store
from ..vocab import counted
from .files import CSV_SUFFIXES, XLSX_SUFFIXES, neutralise
from .rows import EDIT_COLUMNS

#: Columns of the Actions sheet and the CSV export: the action record's fields
#: first, then what actionplan works out (read back only beside a History sheet).
ACTION_COLUMNS: tuple[str, ...] = (
    "id",
    "recommendation_id",
    "title",
    "owner",
    "team",
    "due",
    "baseline_due",
    "status",
    "rag",
    "progress",
    "start_on",
    "created_on",
    "completed_on",
    "description",
    "success_measure",
    "evidence",
    "version",
    "last_updated",
    "last_updated_by",
)

#: Columns of the History sheet: an update record's fields plus the event's place.
#: The text fields (title, owner...) are filled on create rows and on corrections.
HISTORY_COLUMNS: tuple[str, ...] = (
    *EVENT_FIELDS[:6],
    *RULE_FIELDS,
    "reason",
    "note",
    *(name for name in UPDATE_FIELDS if name not in RULE_FIELDS),
)

#: The Actions sheet of a workbook: the CSV's columns, then blank ones for an
#: edit made offline and brought back (docs/import-export.md).
WORKBOOK_ACTION_COLUMNS: tuple[str, ...] = (*ACTION_COLUMNS, *EDIT_COLUMNS)

#: Columns of the People sheet (a plan with people registered): the person
#: record's fields. Password hashes are never exported.
PEOPLE_COLUMNS: tuple[str, ...] = field_names("person")

#: Told, in one line, of anything the export had to change (text cut to fit Excel).
Warning = Callable[[str], None]

#: Excel's last row, less the header.
MAX_DATA_ROWS = 1_048_575

_DATE_FORMAT = "dd/mm/yyyy"
_TIME_FORMAT = "dd/mm/yyyy hh:mm:ss"


def _plain(value: Any) -> Any:
    """A cell value: None for blanks, dates and datetimes as Python objects."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[list[Any]]:
    frame = frame.reindex(columns=list(columns)).astype(object)
    return [[_plain(value) for value in row] for row in frame.itertuples(index=False)]


def action_rows(store: Store, today: date | None = None) -> list[list[Any]]:
    """The actions as they stand, with their RAG today, in id order (export columns)."""
    current = store.current_actions()
    frame = figures.with_rag(current, today or date.today())
    return _records(frame.sort_values("id"), ACTION_COLUMNS)


def _history_rows(store: Store) -> list[list[Any]]:
    """Every event, `recorded_at` as text to the microsecond (`recorded_text`)."""
    events = store.table("updates").sort_values(["action_id", "version"], kind="stable")
    events["recorded_at"] = [recorded_text(value) for value in events["recorded_at"]]
    requests = events["kind"] == REQUEST
    if requests.any():  # a due-date request shows the date asked for in its due cell
        asked = events.loc[requests, "changes"].map(
            lambda text: json.loads(text)["requested_due"][1]
        )
        events["due"] = events["due"].astype(object)
        events.loc[requests, "due"] = pd.to_datetime(asked).astype(object)
    return _records(events, HISTORY_COLUMNS)


def recorded_text(value: Any) -> str:
    """When an event was recorded (UTC), as `2025-01-31 14:05:00.123456`.

    Text, not an Excel date and time: Excel keeps a time to the millisecond,
    and an import records its events microseconds apart, so only the full
    time brings the order of one action's events back exactly when the
    workbook is imported again. The same text on SQLite (which stores it so)
    and PostgreSQL (whose driver gives a datetime).
    """
    return pd.Timestamp(value).isoformat(sep=" ", timespec="microseconds")


#: Columns of the Evidence sheet: each item and its file's name and SHA-256 (the
#: files themselves stay in the plan; docs/assurance.md).
EVIDENCE_COLUMNS: tuple[str, ...] = field_names("evidence")


def _evidence_rows(store: Store) -> list[list[Any]]:
    from ..store.evidence import list_evidence

    rows = []
    for item in list_evidence(store):
        item["added_on"] = date.fromisoformat(item["added_on"])
        if item["withdrawn_at"]:
            item["withdrawn_at"] = datetime.fromisoformat(item["withdrawn_at"])
        rows.append([item[name] for name in EVIDENCE_COLUMNS])
    return rows


def _complaint_rows(store: Store) -> list[list[Any]]:
    """Complaints with each escalation after the record it escalated from."""
    complaints = store.complaints().sort_values(["received_on", "id"], kind="stable")
    columns = field_names("complaint")
    records = {row[0]: row for row in _records(complaints, columns)}
    parent_index = columns.index("escalated_from")
    ordered: list[list[Any]] = []
    placed: set[str] = set()

    def place(record_id: str) -> None:
        if record_id in placed:
            return
        placed.add(record_id)
        parent = records[record_id][parent_index]
        if parent in records:
            place(parent)
        ordered.append(records[record_id])

    for record_id in records:
        place(record_id)
    return ordered


#: The most characters an Excel cell holds.
EXCEL_CELL_LIMIT = 32_767
_CUT_MARK = " [cut: longer than Excel holds; export to CSV for the whole text]"


def _write_sheet(
    workbook: Any,
    title: str,
    columns: tuple[str, ...],
    rows: list[list[Any]],
    cut: list[str] | None = None,
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if len(rows) > MAX_DATA_ROWS:
        raise ActionPlanError(
            f"the {title} sheet would have {len(rows):,} rows, more than Excel holds "
            f"({MAX_DATA_ROWS:,}); export to CSV or split the plan"
        )
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(columns):
        longest = max(
            [len(name)] + [len(_shown_text(row[index])) for row in rows[:500]], default=len(name)
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, 10), 60)
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub(" ", neutralise(value))
                if len(text) > EXCEL_CELL_LIMIT:
                    text = text[: EXCEL_CELL_LIMIT - len(_CUT_MARK)] + _CUT_MARK
                    if cut is not None:
                        cut.append(f"sheet {title}, row {number}, column {columns[index]}")
                cells.append(WriteOnlyCell(sheet, value=text))
            elif isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = _DATE_FORMAT if _is_midnight(value) else _TIME_FORMAT
                cells.append(cell)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = _DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)


def _is_midnight(value: datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0


def _shown_text(value: Any) -> str:
    if isinstance(value, datetime):
        return "00/00/0000 00:00:00" if not _is_midnight(value) else "00/00/0000"
    return "" if value is None else str(value)


def _cells(rows: list[list[Any]], time_columns: tuple[int, ...] = ()) -> list[list[Any]]:
    """Dates as `date` so Excel shows a date, timestamps kept as datetimes."""
    for row in rows:
        for index, value in enumerate(row):
            if isinstance(value, datetime) and index not in time_columns:
                row[index] = value.date()
    return rows


def export_xlsx(
    store: Store, path: Path, today: date | None = None, warn: Warning | None = None
) -> Path:
    """Write the whole plan as a workbook that `import_file` takes back.

    A text longer than an Excel cell holds is cut, marked as cut, and `warn`
    is told where (the CSV export keeps the whole text).
    """
    from openpyxl import Workbook

    sheets = [
        (
            "Sources",
            field_names("source"),
            _cells(_records(store.table("sources"), field_names("source"))),
        ),
        (
            "Recommendations",
            field_names("recommendation"),
            _records(store.table("recommendations"), field_names("recommendation")),
        ),
        (
            "Actions",
            WORKBOOK_ACTION_COLUMNS,
            [
                row + [None] * len(EDIT_COLUMNS)
                for row in _cells(
                    action_rows(store, today), (ACTION_COLUMNS.index("last_updated"),)
                )
            ],
        ),
        (
            "History",
            HISTORY_COLUMNS,
            _cells(_history_rows(store)),
        ),
        ("Complaints", field_names("complaint"), _cells(_complaint_rows(store))),
        (
            "Compliments",
            field_names("compliment"),
            _cells(_records(store.table("compliments"), field_names("compliment"))),
        ),
        (
            "Evidence",
            EVIDENCE_COLUMNS,
            _cells(_evidence_rows(store), (EVIDENCE_COLUMNS.index("withdrawn_at"),)),
        ),
        (
            "CQC scores",
            field_names("cqc_score"),
            _records(
                store.table("cqc_scores").sort_values(["source_id", "quality_statement"]),
                field_names("cqc_score"),
            ),
        ),
    ]
    people = store.table("people")
    if len(people):  # a plan with a team: its people, never their password hashes
        people = people.sort_values("login")
        sheets.insert(0, ("People", PEOPLE_COLUMNS, _records(people, PEOPLE_COLUMNS)))
    workbook = Workbook(write_only=True)
    cut: list[str] = []
    for title, columns, rows in sheets:
        _write_sheet(workbook, title, columns, rows, cut)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    if cut and warn is not None:
        more = f" and {counted(len(cut) - 1, 'other cell')}" if len(cut) > 1 else ""
        warn(
            f"{cut[0]}{more} held more than Excel's {EXCEL_CELL_LIMIT:,} characters and "
            "were cut in the workbook (marked [cut]); export to .csv for the whole text"
        )
    return path


def export_csv(store: Store, path: Path, today: date | None = None) -> Path:
    """Write the actions as they stand, one row each, for a spreadsheet or a mail merge."""
    rows = _cells(action_rows(store, today), (ACTION_COLUMNS.index("last_updated"),))
    with (
        atomic_path(path) as temporary,
        temporary.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(ACTION_COLUMNS)
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
    return path


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value)) if isinstance(value, str) else str(value)


def export_file(
    store: Store, path: str | Path, today: date | None = None, warn: Warning | None = None
) -> Path:
    """Export to `.xlsx` (the whole plan with its history) or `.csv` (actions as they stand).

    Raises:
        ActionPlanError: the file type is not supported or a sheet is too big for Excel.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (XLSX_SUFFIXES[0], *CSV_SUFFIXES):
        writable_file(path)  # before the work, so nothing is built for a path that cannot be
    if suffix in XLSX_SUFFIXES[:1]:
        return export_xlsx(store, path, today, warn)
    if suffix in CSV_SUFFIXES:
        return export_csv(store, path, today)
    raise ActionPlanError(f"{path}: can export to .xlsx or .csv, not {suffix or 'no extension'}")
