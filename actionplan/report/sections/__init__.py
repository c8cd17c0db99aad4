"""The sections of the quarterly report, in report order, as the notebook calls them.

`notebooks/quarterly_report.ipynb` does `from actionplan.report import sections
as report`, then `plan = report.load(...)` and one `report.<section>(plan)` per
cell; each returns a `Section` that Jupyter displays as HTML. Section names
and headings are in `report.headings`.
"""

from __future__ import annotations

from ..context import ReportContext, Section, build, load
from .actions import appendix, completed_and_due, exceptions
from .assurance import assurance
from .complaints import complaints
from .cqc import cqc_scores
from .headline import at_a_glance, title
from .rag import movement, rag_breakdown, trend

__all__ = [
    "ReportContext",
    "Section",
    "appendix",
    "assurance",
    "at_a_glance",
    "build",
    "complaints",
    "completed_and_due",
    "cqc_scores",
    "exceptions",
    "load",
    "movement",
    "rag_breakdown",
    "title",
    "trend",
]
