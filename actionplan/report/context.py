"""What every section of the quarterly report reads, worked out once: the `ReportContext`.

The report notebook's first cell calls `load`; each later cell passes the
context to one function of `report.sections`. Every figure comes from
`summary.quarter_summary` and `figures.*`, so the report says exactly what
`actionplan summary --json` says for the same quarter, and the sections are
pure over the context, so they are tested without a kernel or a database.

Audiences (SPEC section 6): `internal` shows everything; `public` drops owner
names and complaint free text, shows complaint counts from 1 to 4 as `<5`,
and withholds any rate worked out from such a count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .. import figures, schedule
from ..errors import FieldError
from ..history import to_timestamp
from ..quarters import Quarter, quarter_of, quarters_between
from ..store import Store, open_store
from ..store.commentary import Note, latest_commentary
from ..store.queries import load_plan, resolve_quarter
from ..summary import PlanData, quarter_summary
from ..vocab import AUDIENCES
from .headings import SECTION_HEADINGS
from .html import Markup, day, percent, section, text


class Section:
    """One section of the report: HTML that Jupyter displays as it is."""

    def __init__(self, name: str, html: str) -> None:
        self.name = name
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<report section {self.name!r}>"


class AudienceRules:
    """What each audience may see (SPEC section 6): the one place these rules live.

    Mixed into every report's context (`ReportContext`, the annual complaints
    report's), which holds `audience`.
    """

    audience: str

    @property
    def public(self) -> bool:
        """True for the public audience."""
        return self.audience == "public"

    def is_small(self, count: int) -> bool:
        """True for a complaint count the public must not see exactly (1 to 4)."""
        return self.public and 1 <= count <= 4

    def small(self, count: int) -> str:
        """A complaint count as the audience sees it (`<5` for 1 to 4 in public)."""
        return "<5" if self.is_small(count) else str(count)

    def count_figure(self, name: str, count: int) -> Markup:
        """A complaint count as a tagged figure; its exact value left out where it is `<5`."""
        return figure(name, count, self.small(count), self.is_small(count))

    def breakdown_figures(self, cells: list[tuple[str, int]]) -> list[Markup]:
        """The cells of a breakdown whose total is shown too (stages of the number received).

        In public a count from 1 to 4 is `<5`; when only one cell is, the next
        smallest count is withheld as well, so the hidden one cannot be worked
        back from the total.
        """
        small = [index for index, (_name, count) in enumerate(cells) if self.is_small(count)]
        withheld: set[int] = set()
        if len(small) == 1:
            others = [(count, index) for index, (_n, count) in enumerate(cells) if count > 4]
            if others:
                withheld.add(min(others)[1])
        return [
            figure(name, count, "withheld", True)
            if index in withheld
            else self.count_figure(name, count)
            for index, (name, count) in enumerate(cells)
        ]

    def rate_shown(self, value: float | None, *counts: int) -> str:
        """A complaint rate, withheld in public when any count behind it is 1 to 4."""
        if any(self.is_small(count) for count in counts):
            return "withheld (fewer than 5)"
        return percent(value)

    def rate_figure(self, name: str, value: float | None, *counts: int) -> Markup:
        """A complaint rate as a tagged figure, withheld (and untagged) as `rate_shown` says."""
        shown = self.rate_shown(value, *counts)
        return figure(name, value, shown, shown != percent(value))

    def owner(self, value: Any) -> Any:
        """An owner's name, or nothing in the public report."""
        return "" if self.public else value


@dataclass
class ReportContext(AudienceRules):
    """Everything the report's sections read, worked out once.

    Attributes:
        data: the plan's records.
        updates: every update event with its reason, note and changes.
        quarter: the quarter being reported.
        audience: `internal` or `public`.
        generated_at: when the report was made (UTC).
        commentary: the latest commentary on each section, by section key.
    """

    data: PlanData
    updates: pd.DataFrame
    quarter: Quarter
    audience: str = "internal"
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    trend: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: dict[Any, pd.DataFrame] = field(default_factory=dict)
    commentary: dict[str, Note] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise FieldError("audience", f"{self.audience!r} is not {' or '.join(AUDIENCES)}")
        end = self.quarter.end
        state = self.data.state_at(end)
        recommendations = self.data.recommendations.set_index("id")
        sources = self.data.sources.set_index("id")
        everything = schedule.with_schedule(
            figures.with_rag(state, end), self.data.events, self.quarter.start, end
        )
        everything["source_id"] = everything["recommendation_id"].map(recommendations["source_id"])
        everything["quality_statement"] = everything["recommendation_id"].map(
            recommendations["quality_statement"]
        )
        everything["source_kind"] = everything["source_id"].map(sources["kind"])
        self.all_actions = everything
        self.current = everything[everything["status"] != "cancelled"]
        previous_end = self.quarter.previous().end
        previous_state = self.data.state_at(previous_end)
        self.previous_rag = pd.Series(
            figures.rag(previous_state, previous_end).to_numpy(), index=previous_state["id"]
        )
        self.summary = self.summary_of(self.quarter)
        self.previous_summary = self.summary_of(self.quarter.previous())

    def section(self, key: str, body: str) -> Section:
        """A report section: its heading, the manager's commentary on it, then `body`."""
        note = self.commentary.get(key)
        shown = commentary_html(note, "Commentary") if note else ""
        return Section(key, section(SECTION_HEADINGS[key], shown + body, key.replace("_", "-")))

    def summary_of(self, quarter: Quarter) -> dict[str, Any]:
        """`quarter_summary` for a quarter, worked out once."""
        if quarter.label not in self.summaries:
            self.summaries[quarter.label] = quarter_summary(self.data, quarter)
        return self.summaries[quarter.label]

    def actions_of(self, quarter: Quarter) -> dict[str, Any]:
        """The action figures of `quarter_summary` (SPEC section 5), worked out once.

        The trend needs these for every quarter so far; the whole summary of
        each (complaint timeliness, the schedule) was most of the report's
        time in `report --all`, and none of it is drawn.
        """
        if quarter.label in self.summaries:
            return self.summaries[quarter.label]["actions"]
        if quarter.label not in self.trend:
            self.trend[quarter.label] = figures.action_figures(
                self._state(quarter.end), self._state(quarter.previous().end), quarter
            )
        return self.trend[quarter.label]

    def _state(self, day: Any) -> pd.DataFrame:
        """The plan at the end of `day`, replayed once (consecutive quarters share a day)."""
        if day not in self.states:
            self.states[day] = self.data.state_at(day)
        return self.states[day]

    def quarters_so_far(self) -> list[Quarter]:
        """Every quarter from the first dated record to the reported one."""
        days = [
            column.min()
            for column in (
                self.data.events["as_of"],
                self.data.complaints["received_on"],
                self.data.compliments["received_on"],
            )
            if len(column.dropna())
        ]
        if not days:
            return [self.quarter]
        first = quarter_of(min(days).date(), self.data.first_month)
        return quarters_between(min(first, self.quarter), self.quarter)

    def action_headings(self) -> list[str]:
        """The first columns of every table of actions: id, title and (internal only) owner."""
        return ["Action", "Title", *([] if self.public else ["Owner"])]

    def action_cells(self, row: Any) -> list[Any]:
        """An action's cells under `action_headings`."""
        return [row.id, row.title, *([] if self.public else [row.owner])]


def build(
    data: PlanData,
    updates: pd.DataFrame,
    quarter: Quarter,
    audience: str = "internal",
    generated_at: datetime | None = None,
    commentary: dict[str, Note] | None = None,
) -> ReportContext:
    """A report context from data already in memory (what the tests use)."""
    return ReportContext(
        data,
        updates,
        quarter,
        audience,
        generated_at or datetime.now(UTC),
        commentary=dict(commentary or {}),
    )


def load(quarter: str = "latest", db: str = "", audience: str = "internal") -> ReportContext:
    """Open the plan and prepare one quarter's report (the notebook's first call).

    Args:
        quarter: `2024-25-Q3`, `2024/25 Q3`, `current`, `previous` or `latest`
            (the last quarter that has data).
        db: database file or URL; empty means `ACTIONPLAN_DB` or `data/actionplan.db`.
        audience: `internal` or `public`.
    """
    store = open_store(db or None)
    try:
        return from_store(store, quarter, audience)
    finally:
        store.close()


def from_store(store: Store, quarter: str | Quarter, audience: str = "internal") -> ReportContext:
    """Prepare one quarter's report from an open plan (the board paper's start)."""
    chosen = resolve_quarter(store, quarter)
    return build(
        load_plan(store),
        store.table("updates"),
        chosen,
        audience,
        commentary=latest_commentary(store, chosen),
    )


# -- helpers the sections share -----------------------------------------------


def commentary_html(note: Note, heading: str | None) -> str:
    """A manager's commentary: its paragraphs, signed with the author and the day written.

    Args:
        note: the latest version of the section's commentary.
        heading: an `h3` to put above it, or None when the section's own heading says it.
    """
    paragraphs = [part.strip() for part in note.text.split("\n\n") if part.strip()]
    body = "".join(
        "<p>" + "<br>".join(text(line) for line in part.splitlines()) + "</p>"
        for part in paragraphs
    )
    written = note.recorded_at.date()
    revised = f" (version {note.version})" if note.version > 1 else ""
    return (
        f'<div class="commentary" data-commentary="{text(note.section)}">'
        + (f"<h3>{text(heading)}</h3>" if heading else "")
        + body
        + f'<p class="signed">{text(note.by)}, <time datetime="{written.isoformat()}">'
        f"{day(written)}</time>{revised}</p></div>"
    )


def figure(name: str, value: Any, shown: str, suppressed: bool = False) -> Markup:
    """A headline figure tagged so tests and scripts can read it from the HTML."""
    raw = "" if suppressed else f' data-value="{text(json.dumps(value))}"'
    return Markup(f'<span data-figure="{name}"{raw}>{text(shown)}</span>')


def change(now: float | None, then: float | None, better: str | None, unit: str = "") -> str:
    """`Up 3 on last quarter (worse)` style text for a tile."""
    if now is None or then is None:
        return "No comparison with last quarter"
    delta = round(now - then, 1)
    if delta == 0:
        return "No change on last quarter"
    direction = "up" if delta > 0 else "down"
    amount = f"{abs(delta):g}{unit}"
    judgement = ""
    if better is not None:
        judgement = " (better)" if direction == better else " (worse)"
    return f"{direction.capitalize()} {amount} on last quarter{judgement}"


def source_label(ctx: ReportContext, source_id: str) -> str:
    sources = ctx.data.sources.set_index("id")
    if source_id not in sources.index:
        return str(source_id)
    return f"{source_id}: {sources.at[source_id, 'title']}"


def rag_rows(frame: pd.DataFrame, key: str, keys: list[str]) -> list[dict[str, int]]:
    return [figures.count_by_rag(frame.loc[frame[key] == value, "rag"]) for value in keys]


def latest_notes(ctx: ReportContext) -> pd.Series:
    """The latest note on each action dated on or before the as-of day."""
    updates = ctx.updates
    known = updates[(updates["as_of"] <= to_timestamp(ctx.quarter.end)) & updates["note"].notna()]
    known = known[known["note"].astype(str).str.strip() != ""]
    known = known.sort_values(["action_id", "as_of", "recorded_at", "seq"])
    return known.groupby("action_id")["note"].last()


def slips(ctx: ReportContext) -> dict[str, list[tuple[pd.Timestamp, str]]]:
    """For each action, its due-date changes to a later date: (as-of day, reason)."""
    updates = ctx.updates
    known = updates[
        (updates["as_of"] <= to_timestamp(ctx.quarter.end)) & (updates["kind"] == "update")
    ]
    known = known.sort_values(["as_of", "recorded_at", "seq"])
    found: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for row in known.itertuples(index=False):
        changes = json.loads(row.changes) if isinstance(row.changes, str) else row.changes
        due = (changes or {}).get("due")
        if due and due[0] and due[1] and str(due[1]) > str(due[0]):
            found.setdefault(row.action_id, []).append((row.as_of, row.reason or ""))
    return found
