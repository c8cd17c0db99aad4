"""The sections of the quarterly report, as HTML fragments.

The report notebook calls one function per cell (`title`, `at_a_glance`, ...);
each returns a `Section` that Jupyter displays as HTML. Every figure comes from
`summary.quarter_summary` and `figures.*`, so the report says exactly what
`actionplan summary --json` says for the same quarter. The functions are pure
over a `ReportContext` (built from `summary.PlanData` plus the update notes),
so they are tested without a kernel or a database.

Audiences (SPEC section 6): `internal` shows everything; `public` drops owner
names and complaint free text, shows complaint counts from 1 to 4 as `<5`,
and withholds any rate worked out from such a count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, figures
from .errors import FieldError
from .history import to_timestamp
from .quarters import Quarter, quarter_of, quarters_between
from .report_html import Markup, Table, day, percent, rag_badge, section, table_or_none, text
from .store import open_store
from .summary import PlanData, latest_quarter, quarter_summary
from .vocab import QUALITY_STATEMENTS, RAG_VALUES, RAG_WORDS

AUDIENCES: tuple[str, ...] = ("internal", "public")

SOURCE_KIND_WORDS: dict[str, str] = {
    "peer_review": "LGA peer challenge",
    "cqc_assessment": "CQC assessment",
    "ombudsman": "Ombudsman (LGSCO)",
    "complaint": "Complaints learning",
    "audit": "Audit",
    "staff_feedback": "Staff feedback",
    "community_feedback": "Community feedback",
    "other": "Other",
}
STAGE_WORDS: dict[str, str] = {
    "stage1": "Stage 1",
    "stage2": "Stage 2",
    "ombudsman": "Ombudsman (LGSCO)",
}
OUTCOME_WORDS: dict[str, str] = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
    "pending": "Pending",
}
STATUS_WORDS: dict[str, str] = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
#: How bad each RAG value is; an action "got worse" when its rank went up.
RAG_RANK: dict[str, int] = {"complete": 0, "green": 1, "not_started": 2, "amber": 3, "red": 4}

#: The section headings, in order; the pipeline names a failed section by these.
SECTION_HEADINGS: dict[str, str] = {
    "title": "Title",
    "at_a_glance": "At a glance",
    "rag_breakdown": "RAG by source and by CQC quality statement",
    "movement": "Movement since last quarter",
    "trend": "Trend",
    "exceptions": "Exceptions",
    "completed_and_due": "Completed this quarter and due next quarter",
    "complaints": "Complaints and learning",
    "appendix": "Appendix: every action, and how the figures are worked out",
}

RULES: tuple[str, ...] = (
    "The report describes the plan as it stood at the end of the quarter's last day "
    "(the as-of day). A change recorded later but dated on or before that day counts.",
    "Figures count actions that exist at the as-of day and are not cancelled.",
    "RAG, by the first rule that applies: status complete gives Complete; a due date "
    "before the as-of day gives Red (overdue, whatever the status says); off track gives "
    "Red; at risk gives Amber; on track gives Green; otherwise Not started.",
    "Overdue: not complete and due before the as-of day.",
    "Slipped: the current due date is later than the due date the action was created with "
    "(its baseline). A slip is a change of due date to a later one.",
    "Completed this quarter: complete with a completion date in the quarter. On time means "
    "completed on or before the baseline due date: a revised date does not make a late "
    "completion on time.",
    "Mean progress: the average of every action's progress, a complete action counting 100%.",
    "Due next quarter: not complete and due within the next quarter.",
    "Movement: each action that existed at the end of the previous quarter, by its RAG then "
    "and now. It got worse when it moved down this order: Complete, Green, Not started, "
    "Amber, Red.",
    "Complaints: records received in the quarter, by stage (each stage of a case is its own "
    "record). Upheld rate: upheld and partly upheld decisions as a share of decisions made "
    "in the quarter (withdrawn and pending excluded). Remedies: those due in the quarter, "
    "done on or before the agreed date (on time), after it (late), or not done by the "
    "as-of day (outstanding).",
    "Public version: owner names and complaint free text are left out; complaint counts from "
    "1 to 4 are shown as <5 and a rate worked out from such a count is withheld.",
)


class Section:
    """One section of the report: HTML that Jupyter displays as it is."""

    def __init__(self, name: str, html: str) -> None:
        self.name = name
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<report section {self.name!r}>"


@dataclass
class ReportContext:
    """Everything the report's sections read, worked out once.

    Attributes:
        data: the plan's records.
        updates: every update event with its reason, note and changes.
        quarter: the quarter being reported.
        audience: `internal` or `public`.
        generated_at: when the report was made (UTC).
    """

    data: PlanData
    updates: pd.DataFrame
    quarter: Quarter
    audience: str = "internal"
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise FieldError("audience", f"{self.audience!r} is not internal or public")
        end = self.quarter.end
        state = self.data.state_at(end)
        recommendations = self.data.recommendations.set_index("id")
        sources = self.data.sources.set_index("id")
        everything = figures.with_rag(state, end)
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

    @property
    def public(self) -> bool:
        """True for the public audience."""
        return self.audience == "public"

    def summary_of(self, quarter: Quarter) -> dict[str, Any]:
        """`quarter_summary` for a quarter, worked out once."""
        if quarter.label not in self.summaries:
            self.summaries[quarter.label] = quarter_summary(self.data, quarter)
        return self.summaries[quarter.label]

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

    def small(self, count: int) -> str:
        """A complaint count as the audience sees it (`<5` for 1 to 4 in public)."""
        return "<5" if self.public and 1 <= count <= 4 else str(count)

    def rate_shown(self, value: float | None, *counts: int) -> str:
        """A complaint rate, withheld in public when any count behind it is 1 to 4."""
        if self.public and any(1 <= count <= 4 for count in counts):
            return "withheld (fewer than 5)"
        return percent(value)

    def owner(self, value: Any) -> Any:
        """An owner's name, or nothing in the public report."""
        return "" if self.public else value


def build(
    data: PlanData,
    updates: pd.DataFrame,
    quarter: Quarter,
    audience: str = "internal",
    generated_at: datetime | None = None,
) -> ReportContext:
    """A report context from data already in memory (what the tests use)."""
    return ReportContext(data, updates, quarter, audience, generated_at or datetime.now(UTC))


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
        data = PlanData.load(store)
        updates = store.table("updates")
        if str(quarter).strip().lower() == "latest":
            chosen = latest_quarter(store)
        else:
            chosen = data.quarter(quarter)
    finally:
        store.close()
    return build(data, updates, chosen, audience)


# -- helpers -----------------------------------------------------------------


def _figure(name: str, value: Any, shown: str, suppressed: bool = False) -> Markup:
    """A headline figure tagged so tests and scripts can read it from the HTML."""
    raw = "" if suppressed else f' data-value="{text(json.dumps(value))}"'
    return Markup(f'<span data-figure="{name}"{raw}>{text(shown)}</span>')


def _change(now: float | None, then: float | None, better: str | None, unit: str = "") -> str:
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


def _source_label(ctx: ReportContext, source_id: str) -> str:
    sources = ctx.data.sources.set_index("id")
    if source_id not in sources.index:
        return str(source_id)
    return f"{source_id}: {sources.at[source_id, 'title']}"


def _rag_rows(frame: pd.DataFrame, key: str, keys: list[str]) -> list[dict[str, int]]:
    return [figures.count_by_rag(frame.loc[frame[key] == value, "rag"]) for value in keys]


def _status(value: Any) -> str:
    return STATUS_WORDS.get(value, str(value))


def _latest_notes(ctx: ReportContext) -> pd.Series:
    """The latest note on each action dated on or before the as-of day."""
    updates = ctx.updates
    known = updates[(updates["as_of"] <= to_timestamp(ctx.quarter.end)) & updates["note"].notna()]
    known = known[known["note"].astype(str).str.strip() != ""]
    known = known.sort_values(["action_id", "as_of", "recorded_at", "seq"])
    return known.groupby("action_id")["note"].last()


def _slips(ctx: ReportContext) -> dict[str, list[tuple[pd.Timestamp, str]]]:
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


# -- the sections, in report order -----------------------------------------------


def title(ctx: ReportContext) -> Section:
    """1. Council, quarter in words, as-of day, when and from where it was made."""
    quarter = ctx.quarter
    database = ctx.data.database
    if ctx.public or "://" not in database:
        database = Path(database).name if "://" not in database else database.split("@")[-1]
    audience = "Public version" if ctx.public else "Internal version"
    contents = "".join(
        f'<li><a href="#{key.replace("_", "-")}">{text(heading)}</a></li>'
        for key, heading in list(SECTION_HEADINGS.items())[1:]
    )
    body = (
        '<header class="report-title">'
        f'<p class="eyebrow">{text(ctx.data.council)} · Adult social care</p>'
        f"<h1>Improvement action plan: {text(quarter.in_words())}</h1>"
        '<dl class="meta">'
        f'<div><dt>Figures as at</dt><dd data-figure="as_of">{day(quarter.end)}</dd></div>'
        f'<div><dt>Quarter</dt><dd data-figure="quarter">{text(quarter.label)}</dd></div>'
        f"<div><dt>Generated</dt><dd>{ctx.generated_at:%-d %b %Y %H:%M} UTC</dd></div>"
        f"<div><dt>Database</dt><dd>{text(database)}</dd></div>"
        f"<div><dt>Audience</dt><dd>{audience}</dd></div>"
        "</dl></header>"
        f'<nav aria-label="Contents" class="contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
    )
    return Section("title", body)


def at_a_glance(ctx: ReportContext) -> Section:
    """2. The headline figures, each with its change since the previous quarter."""
    now, then = ctx.summary["actions"], ctx.previous_summary["actions"]
    tiles = [
        ("total", "Actions in the plan", str(now["total"]), None, ""),
        ("mean_progress", "Mean progress", percent_or_dash(now["mean_progress"]), "up", " points"),
        ("overdue", "Overdue", str(now["overdue"]), "down", ""),
        ("slipped", "Slipped past baseline", str(now["slipped"]), "down", ""),
        (
            "completed_in_quarter",
            "Completed this quarter",
            str(now["completed_in_quarter"]),
            "up",
            "",
        ),
        ("on_time_rate", "Completed on time", percent(now["on_time_rate"]), "up", " points"),
    ]
    items = []
    for key, label, shown, better, unit in tiles:
        value, previous = now[key], then[key]
        if key == "on_time_rate":
            value_pct = None if value is None else value * 100
            previous_pct = None if previous is None else previous * 100
            change = _change(value_pct, previous_pct, better, unit)
        else:
            change = _change(value, previous, better, unit)
        detail = ""
        if key == "on_time_rate" and value is not None:
            detail = (
                f'<dd class="detail">{now["completed_on_time_in_quarter"]} of '
                f"{now['completed_in_quarter']} by the baseline date</dd>"
            )
        items.append(
            f'<div class="tile tile-{key.replace("_", "-")}"><dt>{text(label)}</dt>'
            f'<dd class="value">{_figure(key, value, shown)}</dd>{detail}'
            f'<dd class="change">{text(change)}</dd></div>'
        )
    rag_items = "".join(
        f"<li>{rag_badge(value)} {_figure('rag-' + value, now['by_rag'][value], str(now['by_rag'][value]))}</li>"
        for value in RAG_VALUES
    )
    body = (
        f'<dl class="tiles">{"".join(items)}</dl>'
        f'<p class="rag-line-intro">RAG at {day(ctx.quarter.end)}:</p>'
        f'<ul class="rag-line">{rag_items}</ul>'
        f"<p>{_figure('open', now['open'], str(now['open']))} actions are open; "
        f"{_figure('due_next_quarter', now['due_next_quarter'], str(now['due_next_quarter']))} "
        f"are due next quarter; {_figure('new', now['new'], str(now['new']))} were added "
        "this quarter.</p>"
    )
    return Section("at_a_glance", section(SECTION_HEADINGS["at_a_glance"], body, "at-a-glance"))


def percent_or_dash(value: float | None) -> str:
    """Mean progress as a percentage with one decimal, or a dash."""
    return "–" if value is None else f"{value:.1f}%"


def _rag_table(caption: str, first: str, labels: list[str], rows: list[dict[str, int]]) -> Table:
    body = [
        [label, *(row[value] for value in RAG_VALUES), sum(row.values())]
        for label, row in zip(labels, rows, strict=True)
    ]
    totals = [sum(row[value] for row in rows) for value in RAG_VALUES]
    return Table(
        caption,
        [first, *(RAG_WORDS[value] for value in RAG_VALUES), "Total"],
        body,
        numeric=range(1, 7),
        foot=["Total", *totals, sum(totals)],
    )


def rag_breakdown(ctx: ReportContext) -> Section:
    """3. RAG by source and by CQC quality statement: a chart and its table each."""
    current = ctx.current
    source_ids = sorted(current["source_id"].dropna().unique())
    source_labels = [_source_label(ctx, source_id) for source_id in source_ids]
    by_source = _rag_rows(current, "source_id", source_ids)
    tagged = current.assign(
        quality_statement=current["quality_statement"].fillna("").replace("", "Not tagged")
    )
    statements = [s for s in QUALITY_STATEMENTS if s in set(tagged["quality_statement"])]
    if (tagged["quality_statement"] == "Not tagged").any():
        statements.append("Not tagged")
    missing = [s for s in QUALITY_STATEMENTS if s not in statements]
    by_statement = _rag_rows(tagged, "quality_statement", statements)
    as_of = day(ctx.quarter.end)
    parts = ["<h3>By source</h3>"]
    if source_ids:
        parts.append(
            charts.rag_bars(source_labels, by_source, "source").to_html(
                f"Actions by RAG for each source at {as_of}. The table below gives the same figures."
            )
        )
    parts.append(
        table_or_none(
            _rag_table(f"Actions by source and RAG at {as_of}", "Source", source_labels, by_source),
            "There are no actions yet.",
        )
    )
    parts.append("<h3>By CQC quality statement</h3>")
    if statements:
        parts.append(
            charts.rag_bars(statements, by_statement, "CQC quality statement").to_html(
                f"Actions by RAG for each CQC quality statement at {as_of}. "
                "The table below gives the same figures."
            )
        )
    parts.append(
        table_or_none(
            _rag_table(
                f"Actions by CQC quality statement and RAG at {as_of}",
                "Quality statement",
                statements,
                by_statement,
            ),
            "There are no actions yet.",
        )
    )
    if missing:
        parts.append(
            "<p>No actions are tagged with these quality statements: "
            + text("; ".join(missing))
            + ".</p>"
        )
    return Section(
        "rag_breakdown", section(SECTION_HEADINGS["rag_breakdown"], "".join(parts), "rag-breakdown")
    )


def movement(ctx: ReportContext) -> Section:
    """4. RAG then against RAG now, and the actions that got worse."""
    actions = ctx.summary["actions"]
    transitions: dict[str, int] = actions["transitions"]
    then_values = list(RAG_VALUES)
    if any(pair.startswith("cancelled->") for pair in transitions):
        then_values.append("cancelled")
    previous_end, end = ctx.quarter.previous().end, ctx.quarter.end
    rows = []
    for then in then_values:
        counts = [transitions.get(f"{then}->{now}", 0) for now in RAG_VALUES]
        rows.append([Markup(f"Was {rag_badge(then)}"), *counts, sum(counts)])
    matrix = Table(
        f"Actions by RAG at {day(previous_end)} (rows) and at {day(end)} (columns)",
        ["RAG then", *(f"Now {RAG_WORDS[value].lower()}" for value in RAG_VALUES), "Total"],
        rows,
        numeric=range(1, 7),
        css_class="matrix",
    )
    worse = []
    notes = _latest_notes(ctx)
    for row in ctx.current.sort_values("id").itertuples(index=False):
        then = ctx.previous_rag.get(row.id)
        if then is None or then == "cancelled":
            continue
        if RAG_RANK[row.rag] > RAG_RANK[then]:
            worse.append(
                [
                    row.id,
                    row.title,
                    *([] if ctx.public else [row.owner]),
                    Markup(
                        f'<span class="nowrap">{rag_badge(then)} to {rag_badge(row.rag)}</span>'
                    ),
                    day(row.due),
                    notes.get(row.id, ""),
                ]
            )
    worse_table = Table(
        f"Actions whose RAG got worse between {day(previous_end)} and {day(end)}",
        ["Action", "Title", *([] if ctx.public else ["Owner"]), "RAG change", "Due", "Latest note"],
        worse,
    )
    body = (
        f"<p>{actions['new']} actions were added this quarter and are not in the table. "
        "The cells on the shaded diagonal are actions whose RAG did not change.</p>"
        + (
            matrix.to_html()
            if transitions
            else '<p class="none">No actions existed a quarter ago.</p>'
        )
        + "<h3>Actions that got worse</h3>"
        + table_or_none(worse_table, "No action's RAG got worse this quarter.")
    )
    return Section("movement", section(SECTION_HEADINGS["movement"], body, "movement"))


def trend(ctx: ReportContext) -> Section:
    """5. RAG at every quarter end so far, and completions on time and late."""
    quarters = ctx.quarters_so_far()
    labels = [quarter.label for quarter in quarters]
    summaries = [ctx.summary_of(quarter)["actions"] for quarter in quarters]
    by_rag = [row["by_rag"] for row in summaries]
    on_time = [row["completed_on_time_in_quarter"] for row in summaries]
    late = [row["completed_in_quarter"] - row["completed_on_time_in_quarter"] for row in summaries]
    rag_table = _rag_table("Actions by RAG at the end of each quarter", "Quarter", labels, by_rag)
    rag_table.foot = None
    completions = Table(
        "Actions completed in each quarter, on time and late (against the baseline due date)",
        ["Quarter", "On time", "Late", "Completed", "On-time rate"],
        [
            [label, done, overdue, row["completed_in_quarter"], percent(row["on_time_rate"])]
            for label, done, overdue, row in zip(labels, on_time, late, summaries, strict=True)
        ],
        numeric=range(1, 5),
    )
    body = (
        "<h3>RAG at each quarter end</h3>"
        + charts.rag_trend(labels, by_rag).to_html(
            "Actions by RAG at the end of each quarter. The table below gives the same figures."
        )
        + rag_table.to_html()
        + "<h3>Completions per quarter</h3>"
        + charts.completions_trend(labels, on_time, late).to_html(
            "Actions completed per quarter, on time and late. The table below gives the same figures."
        )
        + completions.to_html()
    )
    return Section("trend", section(SECTION_HEADINGS["trend"], body, "trend"))


def exceptions(ctx: ReportContext) -> Section:
    """6. Red and overdue actions; slipped actions with their slips and reasons."""
    end = to_timestamp(ctx.quarter.end)
    notes = _latest_notes(ctx)
    red = ctx.current[ctx.current["rag"] == "red"].copy()
    red["days_overdue"] = ((end - red["due"]).dt.days).where(red["overdue"], 0)
    red = red.sort_values(["days_overdue", "due", "id"], ascending=[False, True, True])
    owner = [] if ctx.public else ["Owner"]
    red_table = Table(
        f"Red actions at {day(end)}, most overdue first",
        ["Action", "Title", *owner, "Status", "Due", "Days overdue", "Latest note"],
        [
            [
                row.id,
                row.title,
                *([] if ctx.public else [row.owner]),
                _status(row.status),
                day(row.due),
                row.days_overdue if row.overdue else "not yet due",
                notes.get(row.id, ""),
            ]
            for row in red.itertuples(index=False)
        ],
        numeric=[4 if ctx.public else 5],
    )
    slips = _slips(ctx)
    slipped = ctx.current[ctx.current["slipped"]].sort_values("id")
    slipped_table = Table(
        f"Actions due later than their baseline date at {day(end)}",
        ["Action", "Title", *owner, "Baseline due", "Current due", "Slips", "Reasons given"],
        [
            [
                row.id,
                row.title,
                *([] if ctx.public else [row.owner]),
                day(row.baseline_due),
                day(row.due),
                len(slips.get(row.id, [])),
                Markup(
                    "<br>".join(
                        f"{day(when)}: {text(reason) or 'no reason recorded'}"
                        for when, reason in slips.get(row.id, [])
                    )
                ),
            ]
            for row in slipped.itertuples(index=False)
        ],
        numeric=[4 if ctx.public else 5],
    )
    body = (
        "<h3>Red and overdue actions</h3>"
        + table_or_none(red_table, "No action is red or overdue.")
        + "<h3>Slipped actions</h3>"
        + table_or_none(slipped_table, "No action has slipped past its baseline date.")
    )
    return Section("exceptions", section(SECTION_HEADINGS["exceptions"], body, "exceptions"))


def completed_and_due(ctx: ReportContext) -> Section:
    """7. Completed this quarter (on time or late), and what falls due next quarter."""
    start, end = to_timestamp(ctx.quarter.start), to_timestamp(ctx.quarter.end)
    current = ctx.current
    done = current[figures.completed_in(current, ctx.quarter)].sort_values(["completed_on", "id"])
    owner = [] if ctx.public else ["Owner"]

    def timeliness(row: Any) -> str:
        late_by = (row.completed_on - row.baseline_due).days
        return "On time" if late_by <= 0 else f"Late by {late_by} days"

    done_table = Table(
        f"Actions completed between {day(start)} and {day(end)}",
        ["Action", "Title", *owner, "Completed", "Baseline due", "On time?"],
        [
            [
                row.id,
                row.title,
                *([] if ctx.public else [row.owner]),
                day(row.completed_on),
                day(row.baseline_due),
                timeliness(row),
            ]
            for row in done.itertuples(index=False)
        ],
    )
    following = ctx.quarter.next()
    upcoming = current[figures.open_and_due_in(current, following)].sort_values(["due", "id"])
    due_table = _action_table(
        ctx,
        f"Open actions due between {day(following.start)} and {day(following.end)}",
        upcoming,
        "RAG now",
    )
    body = (
        "<h3>Completed this quarter</h3>"
        + table_or_none(done_table, "No action was completed this quarter.")
        + "<h3>Due next quarter</h3>"
        + table_or_none(due_table, "No open action falls due next quarter.")
    )
    return Section(
        "completed_and_due",
        section(SECTION_HEADINGS["completed_and_due"], body, "completed-and-due"),
    )


def complaints(ctx: ReportContext) -> Section:
    """8. Complaints by stage and theme, upheld rate, remedies, compliments, actions."""
    now = ctx.summary["complaints"]
    then = ctx.previous_summary["complaints"]
    shown = ctx.small
    stage_rows = []
    for stage, words in STAGE_WORDS.items():
        count = now["received"][stage]
        stage_rows.append(
            [
                words,
                _figure(f"received-{stage}", count, shown(count), ctx.public and 1 <= count <= 4),
                shown(then["received"][stage]),
            ]
        )
    stages = Table(
        "Complaint records received, by stage",
        ["Stage", ctx.quarter.label, ctx.quarter.previous().label],
        stage_rows,
        numeric=[1, 2],
    )
    themes = Table(
        "Complaint records received this quarter, by theme",
        ["Theme", "Received"],
        [[theme, shown(count)] for theme, count in now["by_theme"].items()],
        numeric=[1],
    )
    decided = now["decided"]
    upheld = round((now["upheld_rate"] or 0) * decided)
    rate_text = ctx.rate_shown(now["upheld_rate"], decided, upheld)
    outcomes = Table(
        "Decisions made this quarter",
        ["Figure", "Value"],
        [
            ["Decisions (withdrawn and pending excluded)", shown(decided)],
            ["Upheld or partly upheld", shown(upheld)],
            [
                "Upheld rate",
                _figure(
                    "upheld_rate",
                    now["upheld_rate"],
                    rate_text,
                    rate_text != percent(now["upheld_rate"]),
                ),
            ],
        ],
        numeric=[1],
    )
    remedy_rows = [
        ["Remedies due this quarter", "remedies_due"],
        ["Done on time", "remedies_on_time"],
        ["Done late", "remedies_late"],
        ["Outstanding at the as-of day", "remedies_outstanding"],
    ]
    remedies = Table(
        "Remedies agreed with complainants or the Ombudsman, due this quarter",
        ["Figure", "Count"],
        [
            [label, _figure(key, now[key], shown(now[key]), ctx.public and 1 <= now[key] <= 4)]
            for label, key in remedy_rows
        ],
        numeric=[1],
    )
    body = [
        "<h3>Complaints received</h3>",
        stages.to_html(),
        table_or_none(themes, "No complaints were received this quarter."),
        "<h3>Decisions and remedies</h3>",
        outcomes.to_html(),
        remedies.to_html(),
        "<h3>Compliments</h3>",
        f"<p>{_figure('compliments', now['compliments'], str(now['compliments']))} compliments "
        f"were received this quarter ({then['compliments']} the quarter before).</p>",
        "<h3>Actions that came from complaints</h3>",
        table_or_none(_complaint_actions(ctx), "No action has been linked to a complaint yet."),
    ]
    if not ctx.public:
        body += ["<h3>What we learned this quarter</h3>", _learning(ctx)]
    return Section(
        "complaints", section(SECTION_HEADINGS["complaints"], "".join(body), "complaints")
    )


def _complaint_actions(ctx: ReportContext) -> Table:
    end = to_timestamp(ctx.quarter.end)
    records = ctx.data.complaints
    records = records[records["received_on"] <= end]
    linked: dict[str, list[str]] = {}
    for complaint_id, ids in zip(records["id"], records["action_ids"].fillna(""), strict=True):
        for action_id in filter(None, str(ids).split(";")):
            linked.setdefault(action_id, []).append(complaint_id)
    rows = []
    actions = ctx.all_actions.set_index("id")
    for action_id in sorted(linked):
        if action_id not in actions.index:
            continue
        row = actions.loc[action_id]
        rows.append(
            [
                action_id,
                row["title"],
                ", ".join(sorted(linked[action_id])),
                rag_badge(row["rag"]),
                day(row["due"]),
                f"{row['progress']}%",
            ]
        )
    return Table(
        f"Actions arising from complaints, as at {day(end)}",
        ["Action", "Title", "Complaints", "RAG", "Due", "Progress"],
        rows,
        numeric=[5],
    )


def _learning(ctx: ReportContext) -> str:
    start, end = to_timestamp(ctx.quarter.start), to_timestamp(ctx.quarter.end)
    records = ctx.data.complaints
    found = records[
        (records["received_on"] >= start)
        & (records["received_on"] <= end)
        & records["learning"].fillna("").astype(str).str.strip().ne("")
    ].sort_values("id")
    table = Table(
        "Learning recorded on complaints received this quarter",
        ["Complaint", "Stage", "Theme", "Outcome", "Learning"],
        [
            [
                row.id,
                STAGE_WORDS.get(row.stage, row.stage),
                row.theme,
                OUTCOME_WORDS.get(row.outcome, row.outcome),
                row.learning,
            ]
            for row in found.itertuples(index=False)
        ],
    )
    return table_or_none(table, "No learning was recorded on this quarter's complaints.")


def _action_table(ctx: ReportContext, caption: str, actions: pd.DataFrame, rag: str) -> Table:
    """Id, title, owner (internal only), due date, RAG and progress of each action."""
    owner = [] if ctx.public else ["Owner"]
    columns = ["Action", "Title", *owner, "Due", rag, "Progress"]
    return Table(
        caption,
        columns,
        [
            [
                row.id,
                row.title,
                *([] if ctx.public else [row.owner]),
                day(row.due),
                rag_badge(row.rag),
                f"{row.progress}%",
            ]
            for row in actions.itertuples(index=False)
        ],
        numeric=[columns.index("Progress")],
    )


def appendix(ctx: ReportContext) -> Section:
    """9. Every action under its recommendation and source; how figures are worked out."""
    actions = ctx.all_actions
    sources = ctx.data.sources.sort_values("id")
    recommendations = ctx.data.recommendations.sort_values("id")
    parts = [f"<p>Every action as it stood at {day(ctx.quarter.end)}, cancelled ones included.</p>"]
    for source in sources.itertuples(index=False):
        kind = SOURCE_KIND_WORDS.get(source.kind, source.kind)
        parts.append(f"<h3>{text(source.id)}: {text(source.title)} ({text(kind)})</h3>")
        for recommendation in recommendations[recommendations["source_id"] == source.id].itertuples(
            index=False
        ):
            under = actions[actions["recommendation_id"] == recommendation.id].sort_values("id")
            parts.append(f"<h4>{text(recommendation.id)}: {text(recommendation.text)}</h4>")
            table = _action_table(
                ctx, f"Actions for recommendation {recommendation.id}", under, "RAG"
            )
            parts.append(table_or_none(table, "No actions yet."))
    parts.append('<h3>How these figures are worked out</h3><ul class="rules">')
    parts.extend(f"<li>{text(rule)}</li>" for rule in RULES)
    parts.append("</ul>")
    return Section("appendix", section(SECTION_HEADINGS["appendix"], "".join(parts), "appendix"))
