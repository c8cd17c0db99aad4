"""RAG: by source and CQC quality statement, movement since last quarter, and the trend."""

from __future__ import annotations

from ...vocab import QUALITY_STATEMENTS, RAG_SEVERITY, RAG_VALUES, word
from .. import charts
from ..context import (
    ReportContext,
    Section,
    latest_notes,
    rag_rows,
    source_label,
)
from ..html import Markup, Table, day, percent, rag_badge, table_or_none, text


def _rag_table(caption: str, first: str, labels: list[str], rows: list[dict[str, int]]) -> Table:
    body = [
        [label, *(row[value] for value in RAG_VALUES), sum(row.values())]
        for label, row in zip(labels, rows, strict=True)
    ]
    totals = [sum(row[value] for row in rows) for value in RAG_VALUES]
    return Table(
        caption,
        [first, *(word(value) for value in RAG_VALUES), "Total"],
        body,
        numeric=range(1, 7),
        foot=["Total", *totals, sum(totals)],
    )


def source_chart(ctx: ReportContext, narrow: bool = False) -> charts.Drawing:
    """The chart of actions by RAG for each source (the report's, and the board paper's)."""
    source_ids = sorted(ctx.current["source_id"].dropna().unique())
    labels = [source_label(ctx, source_id) for source_id in source_ids]
    return charts.rag_bars(labels, rag_rows(ctx.current, "source_id", source_ids), "source", narrow)


def _trend_series(ctx: ReportContext) -> tuple[list[str], list[dict]]:
    quarters = ctx.quarters_so_far()
    return (
        [quarter.short_label for quarter in quarters],
        [ctx.actions_of(quarter) for quarter in quarters],
    )


def rag_trend_chart(ctx: ReportContext, narrow: bool = False) -> charts.Drawing:
    """RAG at the end of every quarter so far (the report's, and the board paper's)."""
    short, summaries = _trend_series(ctx)
    return charts.rag_trend(short, [row["by_rag"] for row in summaries], narrow)


def completions_chart(ctx: ReportContext, narrow: bool = False) -> charts.Drawing:
    """Completions in every quarter so far, on time and late."""
    short, summaries = _trend_series(ctx)
    on_time = [row["completed_on_time_in_quarter"] for row in summaries]
    late = [row["completed_in_quarter"] - row["completed_on_time_in_quarter"] for row in summaries]
    return charts.completions_trend(short, on_time, late, narrow)


def rag_breakdown(ctx: ReportContext) -> Section:
    """3. RAG by source and by CQC quality statement: a chart and its table each."""
    current = ctx.current
    source_ids = sorted(current["source_id"].dropna().unique())
    source_labels = [source_label(ctx, source_id) for source_id in source_ids]
    by_source = rag_rows(current, "source_id", source_ids)
    tagged = current.assign(
        quality_statement=current["quality_statement"].fillna("").replace("", "Not tagged")
    )
    statements = [s for s in QUALITY_STATEMENTS if s in set(tagged["quality_statement"])]
    if (tagged["quality_statement"] == "Not tagged").any():
        statements.append("Not tagged")
    missing = [s for s in QUALITY_STATEMENTS if s not in statements]
    by_statement = rag_rows(tagged, "quality_statement", statements)
    as_of = day(ctx.quarter.end)
    parts = ["<h3>By source</h3>"]
    if source_ids:
        parts.append(
            charts.figure_html(
                lambda narrow: source_chart(ctx, narrow),
                f"Actions by RAG for each source at {as_of}. The table below gives the same figures.",
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
            charts.figure_html(
                lambda narrow: charts.rag_bars(
                    statements, by_statement, "CQC quality statement", narrow
                ),
                f"Actions by RAG for each CQC quality statement at {as_of}. "
                "The table below gives the same figures.",
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
    return ctx.section("rag_breakdown", "".join(parts))


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
        ["RAG then", *(f"Now {word(value).lower()}" for value in RAG_VALUES), "Total"],
        rows,
        numeric=range(1, 7),
        css_class="matrix",
    )
    worse = []
    notes = latest_notes(ctx)
    for row in ctx.current.sort_values("id").itertuples(index=False):
        then = ctx.previous_rag.get(row.id)
        if then is None or then == "cancelled":
            continue
        if RAG_SEVERITY.index(row.rag) > RAG_SEVERITY.index(then):
            worse.append(
                [
                    *ctx.action_cells(row),
                    Markup(
                        f'<span class="nowrap">{rag_badge(then)} to {rag_badge(row.rag)}</span>'
                    ),
                    day(row.due),
                    notes.get(row.id, ""),
                ]
            )
    worse_table = Table(
        f"Actions whose RAG got worse between {day(previous_end)} and {day(end)}",
        [*ctx.action_headings(), "RAG change", "Due", "Latest note"],
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
    return ctx.section("movement", body)


def trend(ctx: ReportContext) -> Section:
    """5. RAG at every quarter end so far, and completions on time and late."""
    quarters = ctx.quarters_so_far()
    labels = [quarter.label for quarter in quarters]
    summaries = [ctx.actions_of(quarter) for quarter in quarters]
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
        + charts.figure_html(
            lambda narrow: rag_trend_chart(ctx, narrow),
            "Actions by RAG at the end of each quarter. The table below gives the same figures.",
        )
        + rag_table.to_html()
        + "<h3>Completions per quarter</h3>"
        + charts.figure_html(
            lambda narrow: completions_chart(ctx, narrow),
            "Actions completed per quarter, on time and late. The table below gives the same figures.",
        )
        + completions.to_html()
    )
    return ctx.section("trend", body)
