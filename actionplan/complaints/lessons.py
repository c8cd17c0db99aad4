"""The annual complaints report's later sections: lessons and actions, trends, definitions."""

from __future__ import annotations

from typing import Any

from ..report import charts
from ..report.html import Table, day, rag_badge, table_or_none, text
from ..vocab import COMPLAINT_STAGES, word
from .annual import AnnualContext, Section

#: How each figure of the report is counted, in words (docs/complaints.md says more).
ANNUAL_RULES: tuple[str, ...] = (
    "Each stage of a complaint is its own record: a complaint that went to stage 2 and then "
    "to the Ombudsman is three records. Received: records received in the year.",
    "Well-founded (regulation 18 of the 2009 regulations): decisions made in the year that "
    "upheld the complaint in whole or in part. Upheld rate: well-founded as a share of the "
    "decisions made in the year (withdrawn and pending excluded).",
    "Referred to the Ombudsman: Ombudsman records received in the year.",
    "Timeliness: stage 1 and stage 2 records (not withdrawn). A response is due on the "
    "procedure's response date, or the extended date where an extension was agreed; it is on "
    "time when sent on or before that day, late when after, and outstanding when not sent by "
    "the as-of day. Acknowledgements due in the year, and the share made by their last day.",
    "Working days leave out Saturdays, Sundays and the bank holidays of England and Wales. "
    "Statutory complaints: acknowledged within 3 working days, answered within 6 months of "
    "receipt or the period agreed. Corporate complaints (the Ombudsman's Complaint Handling "
    "Code): acknowledged within 5 working days, answered within 10 (stage 1) or 20 (stage 2) "
    "working days of the acknowledgement, extended by at most 10 working days. A plan may set "
    "other limits (the table in the timeliness section shows those in force).",
    "Ombudsman letter figures: detailed investigations are the Ombudsman's decisions in the "
    "year that upheld or did not uphold a complaint (not those closed after initial "
    "enquiries, premature or withdrawn). Upheld rate: upheld as a share of detailed "
    "investigations. Remedied before: upheld cases the council had already put right before "
    "the Ombudsman became involved, as a share of upheld. Compliance: remedies due in the "
    "year whose due date has passed, and the share done (on time or late); late: done after "
    "the agreed date, as a share of those done.",
    "Public version: complaint ids, references and free text are left out; counts from 1 to "
    "4 are shown as <5 and a rate worked out from such a count is withheld.",
)


def _linked_actions(ctx: AnnualContext) -> dict[str, list[Any]]:
    """For each action the year's complaints gave rise to, the complaint records naming it."""
    found: dict[str, list[Any]] = {}
    for record in ctx.received_in_year().sort_values("id").itertuples(index=False):
        for action_id in filter(None, str(record.action_ids or "").split(";")):
            found.setdefault(action_id, []).append(record)
    return found


def _learning_table(ctx: AnnualContext) -> Table:
    """What each record received in the year taught (internal only: it is free text)."""
    records = ctx.received_in_year()
    records = records[records["learning"].fillna("").astype(str).str.strip() != ""]
    return Table(
        f"Lessons recorded on complaints received in {ctx.year.label}",
        ["Complaint", "Stage", "Subject", "Outcome", "What we learned", "Actions"],
        [
            [
                row.id,
                word(row.stage, "stage"),
                row.theme,
                word(row.outcome),
                row.learning,
                str(row.action_ids or "").replace(";", ", "),
            ]
            for row in records.sort_values(["received_on", "id"]).itertuples(index=False)
        ],
    )


def _actions_table(ctx: AnnualContext) -> Table:
    """What was done: the actions the year's complaints led to, with their status and evidence."""
    rows = []
    for action_id, records in sorted(_linked_actions(ctx).items()):
        if action_id not in ctx.actions.index:
            continue
        action = ctx.actions.loc[action_id]
        subjects = ", ".join(sorted({str(r.theme) for r in records if r.theme}))
        named = [] if ctx.public else [action["owner"], ", ".join(r.id for r in records)]
        rows.append(
            [
                action_id,
                action["title"],
                *named,
                subjects,
                rag_badge(action["rag"]),
                f"{action['progress']}%",
                day(action["completed_on"]) or f"due {day(action['due'])}",
                action["evidence"] or "",
            ]
        )
    extra = [] if ctx.public else ["Owner", "Complaints"]
    return Table(
        f"Actions that complaints received in {ctx.year.label} led to, as at {day(ctx.as_of)}",
        ["Action", "Title", *extra, "Subjects", "Status", "Progress", "Completed", "Evidence"],
        rows,
        numeric=[len(extra) + 5],
    )


def learning(ctx: AnnualContext) -> Section:
    """7. "You said, we did": what complaints taught, and the actions it led to, with status."""
    now = ctx.figures
    body = (
        f"<p>{ctx.count_figure('with_learning', now['with_learning'])} complaint records "
        f"received in {text(ctx.year.label)} recorded a lesson, and they led to "
        f"{ctx.count_figure('actions_arising', now['actions_arising'])} actions in the "
        "improvement plan.</p>"
    )
    if not ctx.public:
        body += "<h3>You said: what we learned</h3>" + table_or_none(
            _learning_table(ctx), "No lesson was recorded on this year's complaints."
        )
    body += "<h3>We did: the actions and where they stand</h3>" + table_or_none(
        _actions_table(ctx), "No action has been linked to this year's complaints yet."
    )
    return ctx.section("learning", body)


def trends(ctx: AnnualContext) -> Section:
    """8. Every year the plan holds: received by stage, well-founded, timeliness, the letter."""
    years = ctx.years_so_far()
    found = [ctx.figures_of(year) for year in years]
    labels = [year.label for year in years]
    counts = [[row["received"][stage] for stage in COMPLAINT_STAGES] for row in found]
    rows = [
        [
            label,
            *(ctx.small(count) for count in row_counts),
            ctx.small(row["well_founded"]),
            ctx.rate_shown(row["upheld_rate"], row["decided"], row["well_founded"]),
            f"{ctx.small(row['responded_on_time'])} of {ctx.small(row['responses_due'])}",
            ctx.rate_shown(
                row["ombudsman_letter"]["upheld_rate"],
                row["ombudsman_letter"]["detailed_investigations"],
                row["ombudsman_letter"]["upheld"],
            ),
            ctx.rate_shown(
                row["ombudsman_letter"]["compliance_rate"],
                row["ombudsman_letter"]["remedies_due"],
                row["ombudsman_letter"]["remedies_done"],
            ),
        ]
        for label, row_counts, row in zip(labels, counts, found, strict=True)
    ]
    table = Table(
        "Complaints in each financial year the plan holds",
        ["Year", "Stage 1", "Stage 2", "Ombudsman", "Well-founded", "Upheld rate",
         "Responses on time", "LGSCO upheld rate", "LGSCO compliance"],
        rows,
        numeric=range(1, 9),
    )  # fmt: skip
    if ctx.public and any(1 <= count <= 4 for row in counts for count in row):
        chart = (
            "<p>The chart is left out of the public version: some of its counts are fewer "
            "than 5. The table gives the figures.</p>"
        )
    else:
        styles = [charts.STAGE_STYLES[stage] for stage in COMPLAINT_STAGES]
        chart = charts.figure_html(
            lambda narrow: charts.stacked_trend(
                labels,
                counts,
                styles,
                "Complaint records received",
                "complaint records received each financial year, by stage",
                narrow,
            ),
            "Complaint records received each year, by stage. The table below gives the same "
            "figures.",
        )
    return ctx.section("trends", chart + table.to_html())


def definitions(ctx: AnnualContext) -> Section:
    """9. How every figure is counted, and how to reconcile with the Ombudsman's letter."""
    items = "".join(f"<li>{text(rule)}</li>" for rule in ANNUAL_RULES)
    reconcile = (
        "<p>To reconcile with the Ombudsman's annual letter: the letter counts decisions by "
        "the date the Ombudsman made them, and compliance with remedies whose due date fell "
        "in the year. Check that every decision in the letter has an Ombudsman record here "
        "with its LGSCO reference, decision and decided date; that upheld cases the council "
        "had already put right are marked remedied before the Ombudsman; and that each "
        "remedy's agreed date and the day it was done are recorded. "
        f"Figures as at {text(day(ctx.as_of))}.</p>"
    )
    return ctx.section("definitions", f'<ul class="rules">{items}</ul>{reconcile}')
