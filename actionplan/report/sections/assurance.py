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
from ..context import ReportContext, Section, figure
from ..html import Table, day, rag_badge, table_or_none, text


def assurance(ctx: ReportContext) -> Section:
    """The quarter's assurance: verification of completions, evidence, and due-date requests."""
    actions = ctx.summary["actions"]
    completed = actions["completed_in_quarter"]
    body = (
        "<p>In the quarter "
        f"{figure('assurance-completed-in-quarter', completed, str(completed))} actions were completed, "
        f"{figure('assurance-verified-in-quarter', actions['verified_in_quarter'], str(actions['verified_in_quarter']))} "
        "completions were verified and "
        f"{figure('assurance-rejected-in-quarter', actions['rejected_in_quarter'], str(actions['rejected_in_quarter']))} "
        f"rejected. At {day(ctx.quarter.end)}, "
        f"{figure('assurance-verified', actions['verified'], str(actions['verified']))} closed actions are "
        "verified and "
        f"{figure('assurance-awaiting-verification', actions['awaiting_verification'], str(actions['awaiting_verification']))} "
        "await verification by a lead or manager who did not complete them and does not own them.</p>"
        "<p>Due-date requests: "
        f"{figure('assurance-due-requests-in-quarter', actions['due_requests_in_quarter'], str(actions['due_requests_in_quarter']))} "
        "asked for in the quarter; "
        f"{figure('assurance-due-requests-approved', actions['due_requests_approved'], str(actions['due_requests_approved']))} "
        "approved and "
        f"{figure('assurance-due-requests-refused', actions['due_requests_refused'], str(actions['due_requests_refused']))} "
        "refused in the quarter; "
        f"{figure('assurance-due-requests-pending', actions['due_requests_pending'], str(actions['due_requests_pending']))} "
        f"waiting at {day(ctx.quarter.end)}.</p>"
    )
    if not ctx.data.has_people:
        body += (
            '<p class="none">This plan has no team registered, so completions are not '
            "verified by someone else and due dates change without a request.</p>"
        )
    if not ctx.public:
        body += (
            "<h3>Closed actions and their evidence</h3>"
            + table_or_none(closed_table(ctx), "No action is complete at the quarter's end.")
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
    """Complete and verified actions at the as-of day, with their evidence count."""
    closed = ctx.current[ctx.current["rag"].isin(["complete", "verified"])].sort_values("id")
    counts = evidence_counts(ctx)
    return Table(
        f"Closed actions at {day(ctx.quarter.end)}: evidence items and verification",
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
