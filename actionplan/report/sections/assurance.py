"""Assurance (SPEC section 8): how the plan knows its closed actions worked, and who checked.

Completed, awaiting verification, verified and rejected this quarter; the
evidence behind each closed action; due-date requests waiting for a lead, and
those answered this quarter. The public audience sees the counts only: no
names, and no lists of requests.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ...assurance import ANSWERS, REQUEST, pair_requests
from ...history import to_timestamp
from ...vocab import counted
from ..context import ReportContext, Section, figure
from ..html import Markup, Table, day, rag_badge, table_or_none, text


def assurance(ctx: ReportContext) -> Section:
    """The quarter's assurance: verification of completions, evidence, and due-date requests."""
    actions = ctx.summary["actions"]

    def tagged(key: str, noun: str | None = None) -> Markup:
        value = actions[key]
        shown = counted(value, noun) if noun else str(value)
        return figure(f"assurance-{key.replace('_', '-')}", value, shown)

    def were(key: str) -> str:
        return "was" if actions[key] == 1 else "were"

    end = day(ctx.quarter.end)
    body = (
        f"<p>In the quarter {tagged('completed_in_quarter', 'action')} "
        f"{were('completed_in_quarter')} completed; "
        f"{tagged('verified_in_quarter', 'completion')} {were('verified_in_quarter')} verified "
        f"and {tagged('rejected_in_quarter')} rejected. At {end}, "
        f"{tagged('verified', 'closed action')} {'is' if actions['verified'] == 1 else 'are'} "
        f"verified and {tagged('awaiting_verification')} "
        f"{'awaits' if actions['awaiting_verification'] == 1 else 'await'} verification by a "
        "lead or manager who did not complete them and does not own them.</p>"
        f"<p>Due-date requests: {tagged('due_requests_in_quarter')} asked for in the quarter; "
        f"{tagged('due_requests_approved')} approved and {tagged('due_requests_refused')} "
        f"refused in the quarter; {tagged('due_requests_pending')} waiting at {end}.</p>"
    )
    if not ctx.data.has_people:
        body += (
            '<p class="none">This plan has no team registered, so completions are not '
            "verified by someone else and due dates change without a request.</p>"
        )
    if not ctx.public:
        body += (
            "<h3>Closed actions to check, and their evidence</h3>"
            + table_or_none(
                closed_table(ctx),
                "No action awaits verification and none was completed in the quarter.",
            )
            + "<h3>Due-date requests waiting for a decision</h3>"
            + table_or_none(
                pending_table(ctx), "No due-date request was waiting at the quarter's end."
            )
        )
    return ctx.section("assurance", body)


def evidence_counts(ctx: ReportContext) -> pd.Series:
    """Per action, its evidence items added by the as-of day and not withdrawn by then."""
    evidence = ctx.data.evidence
    end = to_timestamp(ctx.quarter.end)
    known = evidence[
        (evidence["added_on"] <= end)
        & (evidence["withdrawn_at"].isna() | (evidence["withdrawn_at"] > end))
    ]
    return known.groupby("action_id")["id"].count()


def closed_table(ctx: ReportContext) -> Table:
    """Closed actions a reader still has to think about, with their evidence count.

    Those awaiting verification at the as-of day, and those completed in the
    quarter (verified or not). Closures of earlier quarters that were verified
    long ago are settled: listing every one would bury the few that are not,
    and the sentence above counts them.
    """
    current = ctx.current
    in_quarter = current["completed_on"] >= to_timestamp(ctx.quarter.start)
    closed = current[
        (current["rag"] == "complete") | ((current["rag"] == "verified") & in_quarter)
    ].sort_values(["completed_on", "id"])
    counts = evidence_counts(ctx)
    return Table(
        f"Awaiting verification, or completed in the quarter, at {day(ctx.quarter.end)}",
        [*ctx.action_headings(), "Completed", "Evidence items", "Verification"],
        [
            [
                *ctx.action_cells(row),
                day(row.completed_on),
                int(counts.get(row.id, 0)),
                rag_badge(row.rag) if row.rag == "verified" else text("Awaiting"),
            ]
            for row in closed.itertuples(index=False)
        ],
        numeric=[len(ctx.action_headings()) + 1],
    )


def requests_at(ctx: ReportContext) -> list[dict[str, Any]]:
    """Every due-date request dated up to the as-of day, as it stood then."""
    updates = ctx.updates
    end = to_timestamp(ctx.quarter.end)
    known = updates[updates["kind"].isin((REQUEST, *ANSWERS)) & (updates["as_of"] <= end)]
    rows = [
        {
            "seq": int(row.seq),
            "action_id": row.action_id,
            "kind": row.kind,
            "by": row.by,
            "as_of": row.as_of.date(),
            "reason": row.reason,
            "changes": json.loads(row.changes) if isinstance(row.changes, str) else row.changes,
        }
        for row in known.itertuples(index=False)
    ]
    return pair_requests(rows)


def pending_table(ctx: ReportContext) -> Table:
    """Requests waiting for a lead at the as-of day: who asked, for what, and why."""
    waiting = [request for request in requests_at(ctx) if request["state"] == "pending"]
    return Table(
        f"Due-date requests waiting at {day(ctx.quarter.end)}",
        ["Request", "Action", "Asked by", "Asked on", "Due now", "Asked for", "Reason"],
        [
            [
                request["id"],
                request["action_id"],
                request["requested_by"],
                day(request["requested_on"]),
                day(request["current_due"]),
                day(request["due"]),
                request["reason"] or "",
            ]
            for request in waiting
        ],
    )
