"""Complaints and learning: received, decided, remedies, compliments, and actions they led to."""

from __future__ import annotations

from typing import Any

from ...complaints.figures import COUNCIL_STAGES
from ...history import to_timestamp
from ...vocab import COMPLAINT_PROCEDURES, COMPLAINT_STAGES, word
from ..context import (
    AudienceRules,
    ReportContext,
    Section,
    figure,
)
from ..html import Table, day, rag_badge, table_or_none


def complaints(ctx: ReportContext) -> Section:
    """8. Complaints by stage and theme, upheld rate, remedies, compliments, actions."""
    now = ctx.summary["complaints"]
    then = ctx.previous_summary["complaints"]
    shown = ctx.small
    stage_rows = []
    for stage in COMPLAINT_STAGES:
        words = word(stage, "stage")
        count = now["received"][stage]
        stage_rows.append(
            [words, ctx.count_figure(f"received-{stage}", count), shown(then["received"][stage])]
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
    outcomes = Table(
        "Decisions made this quarter",
        ["Figure", "Value"],
        [
            ["Decisions (withdrawn and pending excluded)", shown(decided)],
            ["Upheld or partly upheld", shown(upheld)],
            ["Upheld rate", ctx.rate_figure("upheld_rate", now["upheld_rate"], decided, upheld)],
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
        [[label, ctx.count_figure(key, now[key])] for label, key in remedy_rows],
        numeric=[1],
    )
    body = [
        "<h3>Complaints received</h3>",
        stages.to_html(),
        table_or_none(themes, "No complaints were received this quarter."),
        "<h3>Timeliness</h3>",
        timeliness_table(
            ctx,
            now,
            f"Acknowledgements and responses due in {ctx.quarter.label}, as at "
            f"{day(ctx.quarter.end)}",
        ).to_html(),  # fmt: skip
        "<h3>Decisions and remedies</h3>",
        outcomes.to_html(),
        remedies.to_html(),
        "<h3>Compliments</h3>",
        f"<p>{figure('compliments', now['compliments'], str(now['compliments']))} compliments "
        f"were received this quarter ({then['compliments']} the quarter before).</p>",
        "<h3>Actions that came from complaints</h3>",
        table_or_none(_complaint_actions(ctx), "No action has been linked to a complaint yet."),
    ]
    if not ctx.public:
        body += ["<h3>What we learned this quarter</h3>", _learning(ctx)]
    return ctx.section("complaints", "".join(body))


#: The rows of a timeliness table: all complaints, then each procedure and stage.
TIMELINESS_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("All stage 1 and stage 2 complaints", ()),
    *(
        (f"{word(procedure)}, {word(stage, 'stage').lower()}", (procedure, stage))
        for procedure in COMPLAINT_PROCEDURES
        for stage in COUNCIL_STAGES
    ),
)


def timeliness_table(rules: AudienceRules, figures: dict[str, Any], caption: str) -> Table:
    """SPEC section 10's timeliness, overall and by procedure and stage, as one table.

    Each figure is tagged with its place in the JSON (`responses_due`,
    `timeliness_by_procedure.corporate.stage1.responded_late`), so the page
    can be checked against `summary --json` or `complaints --json`.
    """
    rows = []
    for label, path in TIMELINESS_ROWS:
        found = figures
        for key in ("timeliness_by_procedure", *path) if path else ():
            found = found[key]
        prefix = ".".join(("timeliness_by_procedure", *path)) + "." if path else ""
        rows.append(
            [
                label,
                *(
                    rules.count_figure(prefix + key, found[key])
                    for key in (
                        "responses_due",
                        "responded_on_time",
                        "responded_late",
                        "response_outstanding",
                    )
                ),
                rules.rate_figure(
                    prefix + "acknowledged_on_time_rate",
                    found["acknowledged_on_time_rate"],
                    found["acknowledgements_due"],
                    found["acknowledged_on_time"],
                ),
            ]
        )
    return Table(
        caption,
        ["Procedure and stage", "Responses due", "On time", "Late", "Outstanding",
         "Acknowledged on time"],
        rows,
        numeric=range(1, 6),
    )  # fmt: skip


def _complaint_actions(ctx: ReportContext) -> Table:
    """Actions that complaints gave rise to; which complaints, in the internal version only.

    The public version names no complaint: a list of complaint ids per action
    would let a reader count complaints that the figures above show as `<5`.
    """
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
        named = [] if ctx.public else [", ".join(sorted(linked[action_id]))]
        rows.append(
            [
                action_id,
                row["title"],
                *named,
                rag_badge(row["rag"]),
                day(row["due"]),
                f"{row['progress']}%",
            ]
        )
    columns = ["Action", "Title", *([] if ctx.public else ["Complaints"]), "RAG", "Due", "Progress"]
    return Table(
        f"Actions arising from complaints, as at {day(end)}",
        columns,
        rows,
        numeric=[len(columns) - 1],
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
                word(row.stage, "stage"),
                row.theme,
                word(row.outcome),
                row.learning,
            ]
            for row in found.itertuples(index=False)
        ],
    )
    return table_or_none(table, "No learning was recorded on this quarter's complaints.")
