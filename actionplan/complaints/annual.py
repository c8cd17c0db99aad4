"""What the annual complaints report reads, worked out once: the `AnnualContext`.

The 2009 regulations (regulation 18) ask each council for an annual report of
the complaints it received, how many it decided were well-founded, how many
were referred to the Ombudsman, their subjects, and what was learned and
done. `notebooks/annual_complaints_report.ipynb` calls `load`, then one
function of `complaints.sections` per cell. Every figure comes from
`complaints.figures.year_figures`, so the page says exactly what
`actionplan complaints --year Y --json` says; the audience rules are the
quarterly report's (`report.context.AudienceRules`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from .. import figures
from ..errors import FieldError
from ..quarters import FinancialYear, year_of
from ..report.context import AudienceRules, Section
from ..report.html import section
from ..store import Store, open_store
from ..store.queries import load_plan, resolve_year
from ..summary import PlanData
from ..vocab import AUDIENCES
from .figures import year_figures

#: The report's sections in order, and their headings (the pipeline names a failure by these).
ANNUAL_HEADINGS: dict[str, str] = {
    "title": "Title",
    "at_a_glance": "The year at a glance",
    "received": "Complaints received, by stage, procedure and subject",
    "outcomes": "Decisions and remedies",
    "timeliness": "Timeliness: acknowledgements and responses",
    "ombudsman": "The Ombudsman's annual letter figures",
    "learning": "You said, we did: lessons and the actions they led to",
    "trends": "Trends over the years",
    "definitions": "How the figures are worked out",
}


@dataclass
class AnnualContext(AudienceRules):
    """Everything the annual complaints report's sections read, worked out once.

    Attributes:
        data: the plan's records.
        year: the financial year reported.
        audience: `internal` or `public`.
        today: the day the report is made (a year still running is shown as at it).
        generated_at: when the report was made (UTC).
    """

    data: PlanData
    year: FinancialYear
    audience: str = "internal"
    today: date = field(default_factory=date.today)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise FieldError("audience", f"{self.audience!r} is not {' or '.join(AUDIENCES)}")
        self.figures = self.figures_of(self.year)
        self.as_of = date.fromisoformat(self.figures["as_of"])
        state = figures.with_rag(self.data.state_at(self.as_of), self.as_of)
        self.actions = state.set_index("id", drop=False)

    def figures_of(self, year: FinancialYear) -> dict[str, Any]:
        """`year_figures` for any year of the plan."""
        data = self.data
        return year_figures(data.complaints, data.compliments, year, data.deadlines, self.today)

    def years_so_far(self) -> list[FinancialYear]:
        """Every financial year from the plan's first complaint to the reported one."""
        received = self.data.complaints["received_on"].dropna()
        if received.empty:
            return [self.year]
        first = year_of(received.min().date(), self.data.first_month)
        return [
            FinancialYear(number, self.data.first_month)
            for number in range(min(first.year, self.year.year), self.year.year + 1)
        ]

    def received_in_year(self) -> pd.DataFrame:
        """The complaint records received in the year."""
        complaints = self.data.complaints
        start, end = pd.Timestamp(self.year.start), pd.Timestamp(self.year.end)
        return complaints[(complaints["received_on"] >= start) & (complaints["received_on"] <= end)]

    def section(self, key: str, body: str) -> Section:
        """A section of the report under its heading."""
        return Section(key, section(ANNUAL_HEADINGS[key], body, key.replace("_", "-")))


def build(
    data: PlanData,
    year: FinancialYear,
    audience: str = "internal",
    today: date | None = None,
) -> AnnualContext:
    """An annual report context from data already in memory (what the tests use)."""
    return AnnualContext(data, year, audience, today or date.today())


def from_store(
    store: Store, year: str | FinancialYear, audience: str = "internal", today: date | None = None
) -> AnnualContext:
    """Prepare one year's report from an open plan."""
    return build(load_plan(store), resolve_year(store, year, today), audience, today)


def load(year: str = "previous", db: str = "", audience: str = "internal") -> AnnualContext:
    """Open the plan and prepare one financial year's report (the notebook's first call).

    Args:
        year: `2024-25`, `2024/25`, `current` or `previous`.
        db: database file or URL; empty means `ACTIONPLAN_DB` or `data/actionplan.db`.
        audience: `internal` or `public`.
    """
    store = open_store(db or None)
    try:
        return from_store(store, year, audience)
    finally:
        store.close()
