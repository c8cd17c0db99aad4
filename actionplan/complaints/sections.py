"""The annual complaints report's sections, in report order, as its notebook calls them.

`notebooks/annual_complaints_report.ipynb` does `from actionplan.complaints
import sections as report`, then `plan = report.load(...)` and one
`report.<section>(plan)` per cell. Each figure is tagged with its place in
`actionplan complaints --year Y --json` (`data-figure="ombudsman_letter.upheld_rate"`),
so the page can be checked against the JSON; in the public version a count
from 1 to 4 shows as `<5` and untagged, as in the quarterly report.
"""

from __future__ import annotations

from ..history import to_timestamp
from ..report.html import Table, day, table_or_none, text
from ..report.sections.complaints import timeliness_table
from ..vocab import COMPLAINT_PROCEDURES, COMPLAINT_STAGES, LGSCO_DECISIONS, word
from .annual import ANNUAL_HEADINGS, AnnualContext, Section, build, load
from .deadlines import RULE_SOURCES
from .lessons import definitions, learning, trends

__all__ = [
    "AnnualContext",
    "at_a_glance",
    "build",
    "definitions",
    "learning",
    "load",
    "ombudsman",
    "outcomes",
    "received",
    "timeliness",
    "title",
    "trends",
]


def title(ctx: AnnualContext) -> Section:
    """1. Council, year, as-of day, audience, and the contents."""
    audience = "Public version" if ctx.public else "Internal version"
    listed = list(ANNUAL_HEADINGS.items())[1:]
    contents = "".join(
        f'<li><a href="#{key.replace("_", "-")}">{text(heading)}</a></li>'
        for key, heading in listed
    )
    body = (
        f'<a class="skip-link" href="#{listed[0][0].replace("_", "-")}">Skip the contents</a>'
        '<header class="report-title">'
        f'<p class="eyebrow">{text(ctx.data.council)} · Adult social care</p>'
        f"<h1>Annual complaints report {text(ctx.year.label)}</h1>"
        "<p>The report the Local Authority Social Services and NHS Complaints (England) "
        "Regulations 2009 ask for: the complaints received, how many were well-founded and "
        "referred to the Local Government and Social Care Ombudsman, their subjects, what was "
        "learned and what was done.</p>"
        '<dl class="meta">'
        f'<div><dt>Year</dt><dd data-figure="year">{text(ctx.year.in_words())}</dd></div>'
        f'<div><dt>Figures as at</dt><dd data-figure="as_of">{day(ctx.as_of)}</dd></div>'
        f"<div><dt>Generated</dt><dd>{ctx.generated_at:%-d %b %Y %H:%M} UTC</dd></div>"
        f"<div><dt>Audience</dt><dd>{audience}</dd></div>"
        "</dl></header>"
        f'<nav aria-label="Contents" class="contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
    )
    return Section("title", body)


def at_a_glance(ctx: AnnualContext) -> Section:
    """2. The regulations' three numbers, timeliness and compliments, as tiles."""
    now = ctx.figures
    responded = f"{ctx.small(now['responded_on_time'])} of {ctx.small(now['responses_due'])}"
    tiles = [
        ("Complaints received", ctx.count_figure("received_total", now["received_total"]), ""),
        (
            "Well-founded (upheld in whole or part)",
            ctx.count_figure("well_founded", now["well_founded"]),
            f"of {ctx.small(now['decided'])} decided",
        ),
        (
            "Referred to the Ombudsman",
            ctx.count_figure("referred_to_ombudsman", now["referred_to_ombudsman"]),
            "",
        ),
        (
            "Responses due this year",
            ctx.count_figure("responses_due", now["responses_due"]),
            f"{responded} answered on time",
        ),
        ("Compliments", ctx.count_figure("compliments", now["compliments"]), ""),
    ]
    items = "".join(
        f'<div class="tile"><dt>{text(label)}</dt><dd class="value">{value}</dd>'
        + (f'<dd class="detail">{text(detail)}</dd>' if detail else "")
        + "</div>"
        for label, value, detail in tiles
    )
    return ctx.section("at_a_glance", f'<dl class="tiles">{items}</dl>')


def received(ctx: AnnualContext) -> Section:
    """3. Received by stage and procedure (each stage of a case is its own record), and subjects."""
    now = ctx.figures
    stages = Table(
        f"Complaint records received in {ctx.year.label}, by stage",
        ["Stage", "Received"],
        [
            [word(stage, "stage"), shown]
            for stage, shown in zip(
                COMPLAINT_STAGES,
                ctx.breakdown_figures(
                    [(f"received.{stage}", now["received"][stage]) for stage in COMPLAINT_STAGES]
                ),
                strict=True,
            )
        ],
        numeric=[1],
        foot=["All stages", ctx.count_figure("received_total", now["received_total"])],
    )
    procedures = Table(
        f"Complaint records received in {ctx.year.label}, by procedure",
        ["Procedure", "Received"],
        [
            [word(name), shown]
            for name, shown in zip(
                COMPLAINT_PROCEDURES,
                ctx.breakdown_figures(
                    [
                        (f"received_by_procedure.{name}", now["received_by_procedure"][name])
                        for name in COMPLAINT_PROCEDURES
                    ]
                ),
                strict=True,
            )
        ],
        numeric=[1],
    )
    themes = Table(
        f"Subjects of the complaint records received in {ctx.year.label}",
        ["Subject", "Received"],
        [
            [theme, shown]
            for theme, shown in zip(
                now["by_theme"],
                ctx.breakdown_figures(
                    [(f"by_theme.{theme}", count) for theme, count in now["by_theme"].items()]
                ),
                strict=True,
            )
        ],
        numeric=[1],
    )
    body = (
        stages.to_html()
        + procedures.to_html()
        + "<h3>Subjects</h3>"
        + table_or_none(themes, "No complaints were received this year.")
    )
    return ctx.section("received", body)


def outcomes(ctx: AnnualContext) -> Section:
    """4. Decisions made in the year, the share well-founded, and remedies due."""
    now = ctx.figures
    decided = Table(
        f"Decisions made in {ctx.year.label} (withdrawn and pending excluded)",
        ["Figure", "Value"],
        [
            ["Decisions", ctx.count_figure("decided", now["decided"])],
            ["Well-founded (upheld or partly upheld)", ctx.count_figure(
                "well_founded", now["well_founded"])],
            ["Upheld rate", ctx.rate_figure(
                "upheld_rate", now["upheld_rate"], now["decided"], now["well_founded"])],
        ],
        numeric=[1],
    )  # fmt: skip
    remedies = Table(
        f"Remedies agreed with complainants or the Ombudsman, due in {ctx.year.label}",
        ["Figure", "Count"],
        [
            [label, ctx.count_figure(key, now[key])]
            for label, key in (
                ("Remedies due", "remedies_due"),
                ("Done on time", "remedies_on_time"),
                ("Done late", "remedies_late"),
                ("Outstanding at the year's end", "remedies_outstanding"),
            )
        ],
        numeric=[1],
    )
    return ctx.section("outcomes", decided.to_html() + remedies.to_html())


def timeliness(ctx: AnnualContext) -> Section:
    """5. Acknowledgements and responses on time, by procedure and stage, and the time limits."""
    limits = Table(
        "The time limits in force (working days exclude weekends and bank holidays)",
        ["Procedure", "Time limits"],
        [
            [text(source), getattr(ctx.data.deadlines, name).describe()]
            for name, source in RULE_SOURCES.items()
        ],
    )
    body = (
        timeliness_table(
            ctx,
            ctx.figures,
            f"Acknowledgements and responses due in {ctx.year.label}, as at {day(ctx.as_of)}",
        ).to_html()
        + limits.to_html()
    )
    return ctx.section("timeliness", body)


def ombudsman(ctx: AnnualContext) -> Section:
    """6. The LGSCO's letter figures for the year, its decisions, and (internal) its cases."""
    letter = ctx.figures["ombudsman_letter"]
    name = "ombudsman_letter."
    rows = [
        ["Detailed investigations (upheld or not upheld)",
         ctx.count_figure(name + "detailed_investigations", letter["detailed_investigations"])],
        ["Upheld", ctx.count_figure(name + "upheld", letter["upheld"])],
        ["Upheld rate", ctx.rate_figure(name + "upheld_rate", letter["upheld_rate"],
                                        letter["detailed_investigations"], letter["upheld"])],
        ["Upheld, but remedied before the Ombudsman became involved",
         ctx.count_figure(name + "remedied_before", letter["remedied_before"])],
        ["Remedied before the Ombudsman, as a share of upheld", ctx.rate_figure(
            name + "remedied_before_rate", letter["remedied_before_rate"], letter["upheld"],
            letter["remedied_before"])],
        ["Remedies whose due date has passed",
         ctx.count_figure(name + "remedies_due", letter["remedies_due"])],
        ["Remedies done (on time or late)",
         ctx.count_figure(name + "remedies_done", letter["remedies_done"])],
        ["Compliance rate", ctx.rate_figure(name + "compliance_rate", letter["compliance_rate"],
                                            letter["remedies_due"], letter["remedies_done"])],
        ["Remedies done late", ctx.count_figure(name + "remedies_done_late",
                                                letter["remedies_done_late"])],
        ["Done late, as a share of done", ctx.rate_figure(
            name + "late_rate", letter["late_rate"], letter["remedies_done"],
            letter["remedies_done_late"])],
    ]  # fmt: skip
    figures_table = Table(
        f"The Ombudsman's figures for {ctx.year.label}, as its annual letter counts them",
        ["Figure", "Value"],
        rows,
        numeric=[1],
    )
    decisions = Table(
        f"Ombudsman decisions made in {ctx.year.label}, by decision",
        ["Decision", "Decisions"],
        [
            [word(key), ctx.count_figure(f"{name}decisions.{key}", letter["decisions"][key])]
            for key in LGSCO_DECISIONS
        ],
        numeric=[1],
    )
    body = (
        "<p>The Ombudsman writes to every council each summer with its figures for the "
        "year to 31 March. These are the same figures worked out from this plan's records, "
        "so the two can be compared line by line; the last section says how each is counted "
        "and what to check when they differ.</p>" + figures_table.to_html() + decisions.to_html()
    )
    if not ctx.public:
        body += "<h3>The Ombudsman's cases decided this year</h3>" + table_or_none(
            _cases(ctx), "The Ombudsman decided no case this year."
        )
    return ctx.section("ombudsman", body)


def _cases(ctx: AnnualContext) -> Table:
    """The Ombudsman records decided in the year (internal only: a list would show `<5` counts)."""
    complaints = ctx.data.complaints
    start, end = to_timestamp(ctx.year.start), to_timestamp(ctx.year.end)
    decided = complaints[
        (complaints["stage"] == "ombudsman")
        & (complaints["decided_on"] >= start)
        & (complaints["decided_on"] <= end)
    ].sort_values(["decided_on", "id"])
    return Table(
        f"Ombudsman cases decided in {ctx.year.label}",
        ["Record", "LGSCO reference", "Subject", "Decided", "Decision",
         "Remedied before", "Remedy due", "Remedy done"],
        [
            [row.id, row.lgsco_reference, row.theme, day(row.decided_on),
             word(row.lgsco_decision), word(row.remedied_before_ombudsman),
             day(row.remedy_due), day(row.remedy_done_on)]
            for row in decided.itertuples(index=False)
        ],
    )  # fmt: skip
