"""Rendering the annual complaints report through the quarterly report's pipeline.

`render_complaints_report` runs `notebooks/annual_complaints_report.ipynb`
(or the copy `ACTIONPLAN_COMPLAINTS_NOTEBOOK` names) with `report.render.render_page`:
the same lock, atomic writes, failure messages naming the section, nbconvert
template and style sheet as the quarterly report. The page is written to
`reports/<year>/complaints-<year>.html` (`-public` for the public audience),
beside the executed notebook, in a folder of its own next to the quarters'.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import ReportError
from ..quarters import FinancialYear
from ..report.paths import ReportPaths, report_notebook
from ..report.render import render_page
from ..report.run import db_parameter
from ..store import Store
from ..store.queries import reportable_year, resolve_year
from ..vocab import AUDIENCES
from .annual import ANNUAL_HEADINGS

#: Set this to render a council's own copy of the annual report notebook.
NOTEBOOK_ENV = "ACTIONPLAN_COMPLAINTS_NOTEBOOK"
DEFAULT_NOTEBOOK = (
    Path(__file__).resolve().parents[2] / "notebooks" / "annual_complaints_report.ipynb"
)


def complaints_report_paths(out_dir: str | Path, label: str, audience: str) -> ReportPaths:
    """Where a year's complaints report lives: `<out>/<year>/complaints-<year>[-public].html`."""
    return ReportPaths(Path(out_dir) / label, label, audience, prefix="complaints")


def render_complaints_report(
    store: Store,
    year: str | FinancialYear,
    out_dir: str | Path = "reports",
    audience: str = "internal",
    today: date | None = None,
) -> Path:
    """Render one financial year's complaints report; return the path of its HTML.

    Raises:
        ReportError: the notebook failed (the message names the section), or
            another run holds this report's lock. The previous report is untouched.
        FieldError: the year is not one, or is far from the plan's data.
    """
    if audience not in AUDIENCES:
        raise ReportError(f"audience {audience!r} is not {' or '.join(AUDIENCES)}")
    chosen = reportable_year(store, resolve_year(store, year, today), today)
    return render_page(
        complaints_report_paths(out_dir, chosen.label, audience),
        {"year": chosen.label, "db": db_parameter(store, audience), "audience": audience},
        store.url,
        {
            "title": f"{store.council}: annual complaints report {chosen.label}",
            "year": chosen.label,
            "audience": audience,
        },
        notebook=report_notebook(DEFAULT_NOTEBOOK, NOTEBOOK_ENV),
        headings=ANNUAL_HEADINGS,
    )
