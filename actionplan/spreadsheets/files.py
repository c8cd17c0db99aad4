"""Reading a CSV file or an Excel workbook into plain rows, as a person sees them.

The importer validates records; this module only turns bytes into a header and
rows of cell values, each row numbered as Excel numbers it (the header is row
1), so every later message can point at the cell a person has to fix. Files
that cannot be read at all (missing, empty, not UTF-8, a NUL byte, a damaged
workbook) are refused here with one line saying why.

It also holds the formula-injection guard shared with the exporter: a text
cell starting with `=`, `+`, `-`, `@`, tab or carriage return is written with a
leading `'` (the OWASP "CSV injection" advice), and that one quote is taken off
again on import so an exported plan comes back exactly.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ActionPlanError, FieldError
from ..records import is_blank

#: Characters that make a spreadsheet treat a text cell as a formula, and their
#: full-width forms (＝＋－＠), which some spreadsheets read the same way.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_STARTS = "[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]"
_NEUTRALISE = re.compile(f"^'*{_STARTS}")
_NEUTRALISED = re.compile(f"^'+{_STARTS}")
#: The longest field a CSV file may hold (the csv module's own limit is 128 KiB).
MAX_FIELD = 10 * 1024 * 1024

#: The extensions the importer and exporter understand.
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def neutralise(text: str) -> str:
    """Make text that a spreadsheet would run as a formula show as text.

    Prefixes one `'`. Text that already starts with quotes before such a
    character gets one more, so `unneutralise` can always undo exactly this.
    """
    return "'" + text if _NEUTRALISE.match(text) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise`: drop the one `'` it added, and nothing else."""
    return text[1:] if _NEUTRALISED.match(text) else text


class CellError(FieldError):
    """A problem in one cell (or column) of one sheet of a file.

    `sheet` is how messages name the sheet (`sheet Actions`, `updates.csv`), or
    None for a lone CSV file; `column` may be blank for a whole-row problem.
    """

    def __init__(
        self, column: str, message: str, row: int | None = None, sheet: str | None = None
    ) -> None:
        self.sheet = sheet
        super().__init__(column, message, row)

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"column {self.field}")
        return f"{', '.join(where) or 'file'}: {self.message}"


@dataclass
class Sheet:
    """The cells of one CSV file or worksheet.

    Attributes:
        name: what messages call it (the sheet name; None for a lone CSV file).
        header: the column names as typed, in file order.
        rows: `(excel_row_number, cells)` for every row that is not blank.
        percent_cells: `(row, column index)` of the cells Excel formats as a
            percentage, so a `0.45` shown as `45%` is read as 45.
        header_row: the Excel row number of the header (a mapping may pick another
            row as the header: `spreadsheets.mapping`).
    """

    name: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    header_row: int = 1


def check_path(path: Path) -> None:
    """Refuse, in one line, a file that is missing, a folder, or empty."""
    if not path.exists():
        raise ActionPlanError(f"{path}: no such file")
    if path.is_dir():
        raise ActionPlanError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise ActionPlanError(f"{path}: the file is empty")


def _row_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_csv(path: Path, name: str | None = None) -> Sheet:
    """Read a CSV file (UTF-8, with or without Excel's byte-order mark).

    Raises:
        ActionPlanError: the file is missing, empty, not UTF-8 or holds a NUL
            byte (which a text file never does: usually a binary file renamed).
    """
    check_path(path)
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ActionPlanError(
            f"{path}: row {_row_of_offset(data, nul)} holds a NUL byte, so this is not a CSV "
            "text file (is it a spreadsheet renamed to .csv?)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ActionPlanError(
            f"{path}: row {_row_of_offset(data, error.start)} is not UTF-8 text; "
            "in Excel use Save As > CSV UTF-8"
        ) from None
    if not text.strip():
        raise ActionPlanError(f"{path}: the file is empty")
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        csv.field_size_limit(MAX_FIELD)
        records.extend(reader)
    except csv.Error as error:
        where = f"row {reader.line_num}"
        if "field larger than field limit" in str(error):
            raise ActionPlanError(
                f"{path}: {where} has a cell longer than {MAX_FIELD // (1024 * 1024)} million "
                "characters; shorten it (is a closing quote missing?)"
            ) from None
        raise ActionPlanError(f"{path}: {where} is not readable CSV ({error})") from None
    return _sheet(name, records, set())


def _delimiter(text: str) -> str:
    """`,`, or `;` for a file saved by Excel in a country that writes 3,5 for 3.5.

    Decided from the header line: a header with semicolons and no commas is
    semicolon-separated (the columns' names hold neither).
    """
    header = text.lstrip().split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _sheet(name: str | None, records: list[list[Any]], percent: set[tuple[int, int]]) -> Sheet:
    """Split rows into a header and numbered, non-blank data rows."""
    header_index = next((i for i, cells in enumerate(records) if not _blank_row(cells)), None)
    if header_index is None:
        return Sheet(name, [], [])
    header = ["" if is_blank(c) else str(c) for c in records[header_index]]
    rows = [
        (number, cells)
        for number, cells in enumerate(records[header_index + 1 :], start=header_index + 2)
        if not _blank_row(cells)
    ]
    return Sheet(name, header, rows, percent, header_index + 1)


def _blank_row(cells: list[Any]) -> bool:
    try:
        return not "".join(cells).strip()  # a CSV row: all text, checked in C
    except TypeError:
        return all(is_blank(c) for c in cells)


def _percent_format(cell: Any) -> bool:
    number_format = getattr(cell, "number_format", None) or ""
    return "%" in number_format and isinstance(cell.value, int | float)


def open_workbook(path: Path, read_only: bool = True) -> Any:
    """Open an .xlsx workbook, refusing a damaged one with one line.

    Read-only is quick and light; a mapped import of a council's own tracker
    opens it fully instead, to see its merged cells.
    """
    from openpyxl import load_workbook

    check_path(path)
    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ActionPlanError(
            f"{path}: not a readable .xlsx workbook (damaged or not Excel: {reason})"
        ) from None
    except Exception as error:  # openpyxl raises many types for damaged XML
        raise ActionPlanError(
            f"{path}: not a readable .xlsx workbook ({type(error).__name__})"
        ) from None


def read_worksheet(path: Path, worksheet: Any, name: str | None) -> Sheet:
    """Read one worksheet: cached values of formulas, dates as datetimes."""
    records: list[list[Any]] = []
    percent: set[tuple[int, int]] = set()
    try:
        # Some programs write a wrong size into the sheet; read every row there is.
        if hasattr(worksheet, "reset_dimensions"):  # only a read-only sheet has it
            worksheet.reset_dimensions()
        for row_index, cells in enumerate(worksheet.iter_rows(), start=1):
            values = []
            for column_index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if _percent_format(cell):
                    percent.add((row_index, column_index))
                values.append(value)
            records.append(values)
    except Exception as error:  # a damaged sheet fails only when read
        raise ActionPlanError(
            f"{path}: sheet {worksheet.title} cannot be read ({type(error).__name__}); "
            "the workbook may be damaged"
        ) from None
    return _sheet(name, records, percent)
