"""The actions that need a reader's attention: exceptions, completions, what is due, and all of them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ... import figures
from ...history import to_timestamp
from ...vocab import word
from ..context import (
    ReportContext,
    Section,
    latest_notes,
    slips,
)
from ..headings import RULES
from ..html import Markup, Table, day, rag_badge, recommendation_anchor, table_or_none, text
from .schedule import behind_table, not_updated_table


def exceptions(ctx: ReportContext) -> Section:
    """6. Red and overdue actions; slipped actions; what the dates say; actions not updated."""
    body = (
        "<h3>Red and overdue actions</h3>"
        + table_or_none(red_table(ctx), "No action is red or overdue.")
        + "<h3>Slipped actions</h3>"
        + table_or_none(slipped_table(ctx), "No action has slipped past its baseline date.")
        + "<h3>Reported better than the dates suggest</h3>"
        + table_or_none(behind_table(ctx), "No action is behind where its dates expect it.")
        + "<h3>Not updated this quarter</h3>"
        + table_or_none(not_updated_table(ctx), "Every open action was updated this quarter.")
    )
    return ctx.section("exceptions", body)


def red_table(ctx: ReportContext) -> Table:
    """Red actions, most overdue first, with their status, due date and latest note."""
    end = to_timestamp(ctx.quarter.end)
    notes = latest_notes(ctx)
    red = ctx.current[ctx.current["rag"] == "red"].copy()
    red["days_overdue"] = ((end - red["due"]).dt.days).where(red["overdue"], 0)
    red = red.sort_values(["days_overdue", "due", "id"], ascending=[False, True, True])
    return Table(
        f"Red actions at {day(end)}, most overdue first",
        [*ctx.action_headings(), "Status", "Due", "Days overdue", "Latest note"],
        [
            [
                *ctx.action_cells(row),
                word(row.status),
                day(row.due),
                row.days_overdue if row.overdue else "not yet due",
                notes.get(row.id, ""),
            ]
            for row in red.itertuples(index=False)
        ],
        numeric=[len(ctx.action_headings()) + 2],
    )


def slipped_table(ctx: ReportContext, html: bool = True) -> Table:
    """Actions due later than their baseline date, with every slip and the reason given.

    Args:
        ctx: the report's context.
        html: reasons one per line as HTML; False gives them as plain lines (Word).
    """
    end = to_timestamp(ctx.quarter.end)
    due_changes = slips(ctx)
    slipped = ctx.current[ctx.current["slipped"]].sort_values("id")

    def reasons(action_id: str) -> Any:
        lines = [
            (day(when), reason or "no reason recorded")
            for when, reason in due_changes.get(action_id, [])
        ]
        if not html:
            return "\n".join(f"{when}: {reason}" for when, reason in lines)
        return Markup("<br>".join(f"{when}: {text(reason)}" for when, reason in lines))

    return Table(
        f"Actions due later than their baseline date at {day(end)}",
        [*ctx.action_headings(), "Baseline due", "Current due", "Slips", "Reasons given"],
        [
            [
                *ctx.action_cells(row),
                day(row.baseline_due),
                day(row.due),
                len(due_changes.get(row.id, [])),
                reasons(row.id),
            ]
            for row in slipped.itertuples(index=False)
        ],
        numeric=[len(ctx.action_headings()) + 2],
    )


def completed_and_due(ctx: ReportContext) -> Section:
    """7. Completed this quarter (on time or late), and what falls due next quarter."""
    start, end = to_timestamp(ctx.quarter.start), to_timestamp(ctx.quarter.end)
    current = ctx.current
    done = current[figures.completed_in(current, ctx.quarter)].sort_values(["completed_on", "id"])

    def timeliness(row: Any) -> str:
        late_by = (row.completed_on - row.baseline_due).days
        return "On time" if late_by <= 0 else f"Late by {late_by} days"

    done_table = Table(
        f"Actions completed between {day(start)} and {day(end)}",
        [*ctx.action_headings(), "Completed", "Baseline due", "On time?"],
        [
            [
                *ctx.action_cells(row),
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
    return ctx.section("completed_and_due", body)


def _action_table(ctx: ReportContext, caption: str, actions: pd.DataFrame, rag: str) -> Table:
    """Id, title, owner (internal only), due date, RAG and progress of each action."""
    columns = [*ctx.action_headings(), "Due", rag, "Progress"]
    return Table(
        caption,
        columns,
        [
            [
                *ctx.action_cells(row),
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
        kind = word(source.kind, "kind")
        parts.append(f"<h3>{text(source.id)}: {text(source.title)} ({text(kind)})</h3>")
        for recommendation in recommendations[recommendations["source_id"] == source.id].itertuples(
            index=False
        ):
            under = actions[actions["recommendation_id"] == recommendation.id].sort_values("id")
            parts.append(
                f'<h4 id="{recommendation_anchor(recommendation.id)}">{text(recommendation.id)}: '
                f"{text(recommendation.text)}</h4>"
            )
            table = _action_table(
                ctx, f"Actions for recommendation {recommendation.id}", under, "RAG"
            )
            parts.append(table_or_none(table, "No actions yet."))
    parts.append('<h3>How these figures are worked out</h3><ul class="rules">')
    parts.extend(f"<li>{text(rule)}</li>" for rule in RULES)
    parts.append("</ul>")
    return ctx.section("appendix", "".join(parts))
