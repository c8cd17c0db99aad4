"""The board paper: one quarter as a short Word document in the usual committee-paper shape.

Councils take their improvement plan to an improvement board or a scrutiny
committee as a paper: its purpose, what the board is asked to do, the
figures, what is red or has slipped and what is being done about it, and
complaints and learning, with the director's commentary throughout. This
module writes that paper from the same `ReportContext` as the HTML report, so
its figures are `summary --json`'s and its commentary is the latest saved.

Accessibility: headings use Word's built-in Heading styles (so the navigation
pane, a screen reader and a PDF export see the structure), every chart is a
PNG with alt text (`descr` on the picture), tables repeat their header row,
and the document's language is English (United Kingdom). The `public`
audience leaves out what the public report leaves out.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from ..atomic import atomic_path
from ..store import Store
from ..store.commentary import Note
from ..vocab import COMPLAINT_STAGES, RAG_VALUES, word
from .charts import Drawing
from .context import ReportContext, from_store
from .headings import SECTION_HEADINGS
from .html import Table, day, percent
from .sections.actions import red_table, slipped_table
from .sections.headline import percent_or_dash
from .sections.rag import completions_chart, rag_trend_chart, source_chart

#: Who the paper goes to, unless the command says otherwise.
DEFAULT_BOARD = "Improvement Board"
#: Width of a chart on an A4 page with 2.5 cm margins.
CHART_WIDTH = Cm(16)


def write_board_paper(
    store: Store,
    quarter: str,
    out: str | Path,
    audience: str = "internal",
    board: str = DEFAULT_BOARD,
) -> Path:
    """Write the quarter's board paper as a .docx file, atomically.

    Args:
        store: the plan.
        quarter: `2024-25-Q3`, `current`, `previous` or `latest`.
        out: the .docx file to write.
        audience: `internal` or `public` (drops owners, complaint ids and small counts).
        board: who the paper is for, named on its first page.
    """
    ctx = from_store(store, quarter, audience)
    document = board_paper(ctx, board)
    target = Path(out)
    with atomic_path(target) as temporary:
        document.save(str(temporary))
    return target


def board_paper(ctx: ReportContext, board: str = DEFAULT_BOARD) -> DocumentType:
    """The board paper for a report context, as a python-docx document."""
    now = ctx.summary["actions"]
    document = Document()
    _english(document)
    title = f"{ctx.data.council}: improvement action plan"
    properties = document.core_properties
    properties.title = f"{title}, {ctx.quarter.in_words()}"
    properties.subject = "Quarterly progress report to the board"
    properties.author = "actionplan"
    properties.language = "en-GB"
    document.add_heading(title, level=0)
    document.add_paragraph(ctx.quarter.in_words(), style="Subtitle")
    _table(
        document,
        ["Detail", ""],
        [
            ["Report to", board],
            ["Figures as at", day(ctx.quarter.end)],
            ["Prepared", f"{ctx.generated_at:%-d %b %Y}"],
            ["Version", "Public" if ctx.public else "Internal"],
        ],
        header=False,
    )

    document.add_heading("1. Purpose of the report", level=1)
    document.add_paragraph(
        f"To report progress on the improvement action plan in {ctx.quarter.in_words()}, "
        f"as it stood at the end of {day(ctx.quarter.end)}, with the commentary of the "
        "service on what is going well, what is red and what is being done about it."
    )

    document.add_heading("2. Recommendations", level=1)
    document.add_paragraph("The board is asked to:")
    for item in _recommendations(ctx):
        document.add_paragraph(item, style="List Number")

    overview = ctx.commentary.get("overview")
    if overview is not None:
        document.add_heading("3. Overview", level=1)
        _commentary(document, overview)

    number = 4 if overview is not None else 3
    document.add_heading(f"{number}. Summary of progress", level=1)
    _commentary(document, ctx.commentary.get("at_a_glance"))
    _table(document, ["Figure", ctx.quarter.label, ctx.quarter.previous().label], _figures(ctx))
    _table(
        document,
        ["RAG", "Actions"],
        [[word(value), str(now["by_rag"][value])] for value in RAG_VALUES],
    )
    if len(ctx.current):
        _chart(document, source_chart(ctx))
    _chart(document, rag_trend_chart(ctx))
    _chart(document, completions_chart(ctx))
    for key in ("rag_breakdown", "movement", "trend", "completed_and_due"):
        note = ctx.commentary.get(key)
        if note is not None:
            document.add_heading(SECTION_HEADINGS[key], level=2)
            _commentary(document, note)

    number += 1
    document.add_heading(f"{number}. Red and slipped actions", level=1)
    _commentary(document, ctx.commentary.get("exceptions"))
    document.add_heading("Red and overdue actions", level=2)
    _table_or_sentence(document, red_table(ctx), "No action is red or overdue.")
    document.add_heading("Slipped actions", level=2)
    _table_or_sentence(
        document, slipped_table(ctx, html=False), "No action has slipped past its baseline date."
    )

    number += 1
    document.add_heading(f"{number}. Complaints and learning", level=1)
    _commentary(document, ctx.commentary.get("complaints"))
    _table(document, ["Figure", ctx.quarter.label], _complaint_figures(ctx))
    if not ctx.public:
        _learning(document, ctx)

    number += 1
    document.add_heading(f"{number}. Background papers", level=1)
    document.add_paragraph(
        f"The quarterly report for {ctx.quarter.label} (actionplan-{ctx.quarter.label}.html), "
        "which lists every action and explains how each figure is worked out."
    )
    return document


def _recommendations(ctx: ReportContext) -> list[str]:
    now = ctx.summary["actions"]
    red, amber = now["by_rag"]["red"], now["by_rag"]["amber"]
    return [
        f"note progress on the plan: {now['by_rag']['complete']} of {now['total']} actions "
        f"complete and mean progress of {percent_or_dash(now['mean_progress'])};",
        f"note the {red} red and {amber} amber actions, the {now['overdue']} overdue, and what "
        "is being done about each;",
        f"note the {now['slipped']} actions whose due date has moved past the date first "
        "agreed, and the reasons given;",
        "note the complaints received this quarter and the learning taken into the plan.",
    ]


def _figures(ctx: ReportContext) -> list[list[str]]:
    now, then = ctx.summary["actions"], ctx.previous_summary["actions"]
    rows = [
        ("Actions in the plan", "total", str),
        ("Open", "open", str),
        ("Overdue", "overdue", str),
        ("Slipped past baseline", "slipped", str),
        ("Completed this quarter", "completed_in_quarter", str),
        ("Completed on time", "on_time_rate", percent),
        ("Mean progress", "mean_progress", percent_or_dash),
        ("Due next quarter", "due_next_quarter", str),
        ("Added this quarter", "new", str),
    ]
    return [[label, shown(now[key]), shown(then[key])] for label, key, shown in rows]


def _complaint_figures(ctx: ReportContext) -> list[list[str]]:
    now = ctx.summary["complaints"]
    decided = now["decided"]
    upheld = round((now["upheld_rate"] or 0) * decided)
    rows = [
        [f"Received: {word(stage, 'stage')}", ctx.small(now["received"][stage])]
        for stage in COMPLAINT_STAGES
    ]
    rows += [
        ["Decisions (withdrawn and pending excluded)", ctx.small(decided)],
        ["Upheld rate", ctx.rate_shown(now["upheld_rate"], decided, upheld)],
        ["Remedies due this quarter", ctx.small(now["remedies_due"])],
        ["Remedies done on time", ctx.small(now["remedies_on_time"])],
        ["Remedies done late", ctx.small(now["remedies_late"])],
        ["Remedies outstanding", ctx.small(now["remedies_outstanding"])],
        ["Responses due this quarter", ctx.small(now["responses_due"])],
        ["Responded on time", ctx.small(now["responded_on_time"])],
        ["Responded late", ctx.small(now["responded_late"])],
        [
            "Acknowledged on time",
            ctx.rate_shown(
                now["acknowledged_on_time_rate"],
                now["acknowledgements_due"],
                now["acknowledged_on_time"],
            ),
        ],
        ["Compliments", str(now["compliments"])],
    ]
    return rows


def _learning(document: DocumentType, ctx: ReportContext) -> None:
    start, end = ctx.quarter.start, ctx.quarter.end
    records = ctx.data.complaints
    received = records["received_on"].dt.date
    found = records[
        (received >= start)
        & (received <= end)
        & records["learning"].fillna("").astype(str).str.strip().ne("")
    ].sort_values("id")
    document.add_heading("What we learned this quarter", level=2)
    rows = [
        [row.id, word(row.stage, "stage"), str(row.theme or ""), str(row.learning)]
        for row in found.itertuples(index=False)
    ]
    if rows:
        _table(document, ["Complaint", "Stage", "Theme", "Learning"], rows)
    else:
        document.add_paragraph("No learning was recorded on this quarter's complaints.")


def _commentary(document: DocumentType, note: Note | None) -> None:
    """A manager's commentary as paragraphs, signed with the author and the day written."""
    if note is None:
        return
    for part in note.text.split("\n\n"):
        if part.strip():
            document.add_paragraph(part.strip())
    signed = document.add_paragraph()
    signed.add_run(f"{note.by}, {day(note.recorded_at.date())}").italic = True


def _chart(document: DocumentType, drawing: Drawing) -> None:
    """A chart as a PNG, with its alt text where Word and screen readers look for it."""
    paragraph = document.add_paragraph()
    shape = paragraph.add_run().add_picture(io.BytesIO(drawing.png()), width=CHART_WIDTH)
    shape._inline.docPr.set("descr", drawing.alt)
    shape._inline.docPr.set("title", drawing.alt.split(".")[0])


def _table_or_sentence(document: DocumentType, table: Table, empty: str) -> None:
    if not table.rows:
        document.add_paragraph(empty)
        return
    document.add_paragraph(table.caption, style="Caption")
    rows = [[_plain(cell) for cell in row] for row in table.rows]
    _table(document, list(table.columns), rows)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _table(
    document: DocumentType, columns: list[str], rows: list[list[str]], header: bool = True
) -> None:
    """A table in Word's grid style whose first row is a repeating header row."""
    table = document.add_table(rows=1 if header else 0, cols=len(columns))
    table.style = "Table Grid"
    if header:
        cells = table.rows[0].cells
        for cell, heading in zip(cells, columns, strict=True):
            cell.text = heading
            for run in cell.paragraphs[0].runs:
                run.bold = True
        properties = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph()


def _english(document: DocumentType) -> None:
    """Mark the document's text as English (United Kingdom), for spelling and screen readers."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), "en-GB")
