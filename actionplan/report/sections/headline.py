"""The report's opening: its title and contents, and the headline figures at a glance."""

from __future__ import annotations

from pathlib import Path

from ...vocab import RAG_VALUES
from ..context import (
    ReportContext,
    Section,
    change,
    commentary_html,
    figure,
)
from ..headings import SECTION_HEADINGS
from ..html import day, percent, rag_badge, text


def title(ctx: ReportContext) -> Section:
    """1. Council, quarter in words, as-of day, when and from where it was made."""
    quarter = ctx.quarter
    database = ctx.data.database
    if "://" not in database:
        database = Path(database).name
    # The public version does not say where the plan is kept.
    source = "" if ctx.public else f"<div><dt>Database</dt><dd>{text(database)}</dd></div>"
    audience = "Public version" if ctx.public else "Internal version"
    listed = list(SECTION_HEADINGS.items())[1:]
    overview = ctx.commentary.get("overview")
    if overview is not None:
        listed.insert(0, ("overview", "Overview"))
    contents = "".join(
        f'<li><a href="#{key.replace("_", "-")}">{text(heading)}</a></li>'
        for key, heading in listed
    )
    first = listed[0][0].replace("_", "-")
    body = (
        f'<a class="skip-link" href="#{first}">Skip the contents</a>'
        '<header class="report-title">'
        f'<p class="eyebrow">{text(ctx.data.council)} · Adult social care</p>'
        f"<h1>Improvement action plan: {text(quarter.in_words())}</h1>"
        '<dl class="meta">'
        f'<div><dt>Figures as at</dt><dd data-figure="as_of">{day(quarter.end)}</dd></div>'
        f'<div><dt>Quarter</dt><dd data-figure="quarter">{text(quarter.label)}</dd></div>'
        f"<div><dt>Generated</dt><dd>{ctx.generated_at:%-d %b %Y %H:%M} UTC</dd></div>"
        f"{source}"
        f"<div><dt>Audience</dt><dd>{audience}</dd></div>"
        "</dl></header>"
        f'<nav aria-label="Contents" class="contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
    )
    if overview is not None:
        body += (
            '<section id="overview" aria-labelledby="overview-h" class="overview">'
            f'<h2 id="overview-h">Overview</h2>{commentary_html(overview, None)}</section>'
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
            movement = change(value_pct, previous_pct, better, unit)
        else:
            movement = change(value, previous, better, unit)
        detail = ""
        if key == "on_time_rate" and value is not None:
            detail = (
                f'<dd class="detail">{now["completed_on_time_in_quarter"]} of '
                f"{now['completed_in_quarter']} by the baseline date</dd>"
            )
        items.append(
            f'<div class="tile tile-{key.replace("_", "-")}"><dt>{text(label)}</dt>'
            f'<dd class="value">{figure(key, value, shown)}</dd>{detail}'
            f'<dd class="change">{text(movement)}</dd></div>'
        )
    rag_items = "".join(
        f"<li>{rag_badge(value)} {figure('rag-' + value, now['by_rag'][value], str(now['by_rag'][value]))}</li>"
        for value in RAG_VALUES
    )
    body = (
        f'<dl class="tiles">{"".join(items)}</dl>'
        f'<p class="rag-line-intro">RAG at {day(ctx.quarter.end)}:</p>'
        f'<ul class="rag-line">{rag_items}</ul>'
        f"<p>{figure('open', now['open'], str(now['open']))} actions are open; "
        f"{figure('due_next_quarter', now['due_next_quarter'], str(now['due_next_quarter']))} "
        f"are due next quarter; {figure('new', now['new'], str(now['new']))} were added "
        "this quarter.</p>"
    )
    return ctx.section("at_a_glance", body)


def percent_or_dash(value: float | None) -> str:
    """Mean progress as a percentage with one decimal, or a dash."""
    return "–" if value is None else f"{value:.1f}%"
