"""The example council tracker of docs/import-export.md, as a council would keep it.

`python -m tests.tracker_example data/examples` rewrites
`data/examples/westbury-tracker.xlsx`: one sheet "Action Plan" with a merged
title row and a "Last updated" row above the header, the columns councils use
(`Ref, Recommendation, Action, Lead Officer, Target Date, RAG, Progress Update,
% Complete, Date Completed`), a recommendation merged over its actions' rows
and another left blank under its first row, RAG words, Excel dates beside UK
and ISO text dates and one "TBC", and percentages typed three ways.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = [
    "Ref",
    "Recommendation",
    "Action",
    "Lead Officer",
    "Target Date",
    "RAG",
    "Progress Update",
    "% Complete",
    "Date Completed",
]

#: The rows below the header; a float in "% Complete" is a cell formatted as a percentage.
ROWS: list[list[object]] = [
    [1.1, "Reduce waiting times for Care Act assessments", "Recruit two additional assessors",
     "Head of Assessment", dt.datetime(2024, 9, 30), "Blue", "Both posts filled in September.",
     1.0, dt.datetime(2024, 9, 20)],
    [1.2, None, "Introduce weekly triage of the assessment waiting list", "Head of Assessment",
     "31/12/2024", "Blue", "Weekly triage meeting running since January.", "100%",
     "15/01/2025"],
    [1.3, None, "Publish assessment waiting times on the council website",
     "Head of Customer Services", "2025-06-30", "Green", "Draft page agreed with the web team.",
     0.6, None],
    [2.1, "Make information about charging clear before care begins",
     "Rewrite the charging leaflets in plain English", "Financial Assessments Manager",
     dt.datetime(2025, 3, 31), "Amber", "Delayed by the legal review of the wording.", "40%",
     None],
    [2.2, None, "Train front-door staff to explain charging", "Head of Adult Social Care",
     "TBC", "Red", "No trainer identified yet.", 10, None],
    [3.1, "Strengthen learning from complaints",
     "Quarterly report on complaints learning to the improvement board", "Head of Quality",
     "31/01/2025", " green ", None, 0.25, None],
]  # fmt: skip


def build(path: Path) -> Path:
    """Write the example tracker to `path`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action Plan"
    sheet["A1"] = "Westbury Council: Adult Social Care Improvement Plan"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "Last updated:"
    sheet["B2"] = dt.datetime(2025, 3, 31)
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
        number = sheet.max_row
        for column, value in zip("ABCDEFGHI", row, strict=True):
            if isinstance(value, dt.datetime):
                sheet[f"{column}{number}"].number_format = "dd/mm/yyyy"
            if column == "H" and isinstance(value, float):
                sheet[f"{column}{number}"].number_format = "0%"
    sheet.merge_cells("B5:B7")
    for column, width in zip("ABCDEFGHI", (6, 40, 50, 28, 12, 8, 40, 11, 14), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path


if __name__ == "__main__":
    build(Path(sys.argv[1]) / "westbury-tracker.xlsx")
