"""`index.html`: every quarter's report in a folder, newest first, with its headline figures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..atomic import atomic_write
from ..store import Store
from ..store.queries import load_plan
from ..summary import quarter_summary
from .html import Markup, Table, day, percent, report_css, text
from .paths import QUARTER_FOLDER, ReportPaths, index_name


def write_index(store: Store, out_dir: str | Path, audience: str = "internal") -> Path:
    """Write the audience's index (`index.html`, `index-public.html`) of `out_dir`, newest first.

    It links every quarter's report for that audience, never the other's.
    """
    out = Path(out_dir)
    data = load_plan(store)
    found = sorted(
        (
            folder.name
            for folder in out.iterdir()
            if folder.is_dir() and QUARTER_FOLDER.match(folder.name)
        ),
        reverse=True,
    )
    rows = []
    for label in found:
        paths = ReportPaths(out / label, label, audience)
        if not paths.html.exists():
            continue
        quarter = data.quarter(label)
        actions = quarter_summary(data, quarter)["actions"]
        link = f'<a href="{label}/{paths.html.name}">{text(quarter.in_words())}</a>'
        if paths.pdf.exists():
            link += (
                f' <a href="{label}/{paths.pdf.name}" class="pdf-link">(PDF'
                f'<span class="visually-hidden"> of {text(quarter.in_words())}</span>)</a>'
            )
        rows.append(
            [
                Markup(link),
                day(quarter.end),
                actions["total"],
                actions["by_rag"]["red"],
                actions["overdue"],
                actions["completed_in_quarter"],
                percent(actions["on_time_rate"]),
            ]
        )
    table = Table(
        "Quarterly reports, newest first, with their headline figures",
        ["Quarter", "As at", "Actions", "Red", "Overdue", "Completed", "On time"],
        rows,
        numeric=range(2, 7),
        css_class="index-table",
    )
    css = report_css()
    council = text(store.council)
    version = "public version" if audience == "public" else "internal version"
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{council}: improvement action plan reports</title>\n<style>\n{css}\n</style>\n"
        "</head>\n<body>\n<main>\n"
        f'<header class="report-title"><p class="eyebrow">{council} · Adult social care</p>'
        f"<h1>Improvement action plan: quarterly reports</h1>"
        f"<p>Every quarter's report ({version}). Updated "
        f"{datetime.now(UTC):%-d %b %Y %H:%M} UTC.</p></header>\n"
        f"{table.to_html()}\n</main>\n</body>\n</html>\n"
    )
    index = out / index_name(audience)
    atomic_write(index, page)
    return index
