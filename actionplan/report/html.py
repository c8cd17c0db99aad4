"""Small HTML builders for the report: tables, RAG words, figure tiles, the style sheet.

Everything a person typed (titles, owners, notes, reasons) passes through
`text()` (html.escape) exactly once, here, so a section cannot forget to
escape. Tables always have a caption and header cells with `scope`. On a
phone a table of four or more columns is shown as one card per row, each
cell under its column's name (`data-label`, see report.css), so no column
is cut off; a table that is still too wide scrolls inside its own box, which
Chromium makes reachable by keyboard only when it does scroll.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..dates import in_words
from ..vocab import RAG_PALETTE, RagColour, word

#: The report's style sheet (the RAG colours are added from the palette).
STYLE_SHEET = Path(__file__).resolve().parent / "templates" / "actionplan_report" / "report.css"


@cache
def report_css(footer: str = "") -> str:
    """The report's CSS: the palette's colours and patterns, the sheet, and the print footer.

    Args:
        footer: what each printed page says at its foot, beside "Page N of M"
            (the council and the quarter); empty for no footer.
    """
    colours = "".join(
        f"  --{name.replace('_', '-')}: {colour.fill};\n" for name, colour in RAG_PALETTE.items()
    )
    swatches = "".join(
        f".rag-{name} .swatch {{ background: {pattern_css(colour)}; }}\n"
        for name, colour in RAG_PALETTE.items()
    )
    page = ""
    if footer:
        box = "font-size: 8.5pt; color: #4a5560; font-family: sans-serif;"
        page = (
            "@media print { @page {"
            f" @bottom-left {{ content: {css_string(footer)}; {box} }}"
            f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}'
            " } }\n"
        )
    return f":root {{\n{colours}}}\n{STYLE_SHEET.read_text()}{swatches}{page}"


#: How each matplotlib hatch stroke is drawn in CSS: white lines on the fill,
#: turned the way the chart draws them, so a swatch matches its chart segment.
_STROKES: dict[str, str] = {
    "/": "repeating-linear-gradient(-45deg, {fill} 0 3px, #fff 3px 4.5px)",
    "\\": "repeating-linear-gradient(45deg, {fill} 0 3px, #fff 3px 4.5px)",
    "-": "repeating-linear-gradient(0deg, {fill} 0 3px, #fff 3px 4.5px)",
    "|": "repeating-linear-gradient(90deg, {fill} 0 3px, #fff 3px 4.5px)",
    "x": "repeating-linear-gradient(45deg, transparent 0 3px, #fff 3px 4.5px), "
    "repeating-linear-gradient(-45deg, {fill} 0 3px, #fff 3px 4.5px)",
    "+": "repeating-linear-gradient(0deg, transparent 0 3px, #fff 3px 4.5px), "
    "repeating-linear-gradient(90deg, {fill} 0 3px, #fff 3px 4.5px)",
    ".": "radial-gradient(circle, #fff 1.1px, transparent 1.6px) 0 0 / 4.5px 4.5px, {fill}",
    "o": "radial-gradient(circle, transparent 1px, #fff 1.2px 2px, transparent 2.3px) "
    "0 0 / 6px 6px, {fill}",
    "*": "radial-gradient(circle, #fff 1.4px, transparent 1.9px) 0 0 / 5px 5px, {fill}",
}


def pattern_css(colour: RagColour) -> str:
    """A CSS background that draws a palette entry's fill and hatch (solid when it has none)."""
    stroke = colour.hatch[:1]
    if not stroke:
        return colour.fill
    if stroke not in _STROKES:
        raise ValueError(f"no CSS pattern for the hatch {colour.hatch!r}; add one to _STROKES")
    return _STROKES[stroke].format(fill=colour.fill)


def css_string(value: str) -> str:
    """A value as a quoted CSS string that cannot end the string or the `<style>` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;()-_'/" else f"\\{ord(ch):x} " for ch in value
    )
    return f'"{escaped}"'


class Markup(str):
    """HTML that is already safe: `text()` passes it through unescaped."""


def text(value: Any) -> Markup:
    """A value as escaped HTML text; blanks become an empty string."""
    if isinstance(value, Markup):
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Markup("")
    if isinstance(value, pd.Timestamp | date):
        return Markup(day(value))
    return Markup(html.escape(str(value)))


def day(value: Any) -> str:
    """A date the way a UK reader writes it: `31 Dec 2024` (blank when missing).

    The spaces are non-breaking so a date never wraps inside a narrow table cell.
    """
    if value is None or pd.isna(value):
        return ""
    return in_words(pd.Timestamp(value), non_breaking=True)


def slug(value: str) -> str:
    """An id-safe version of a heading."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def recommendation_anchor(recommendation_id: str) -> str:
    """The id of a recommendation's heading in the appendix, for links to it."""
    return "rec-" + slug(str(recommendation_id))


def rag_badge(value: str) -> Markup:
    """A RAG value as its word beside a patterned colour swatch (never colour alone)."""
    words = word(value)
    return Markup(
        f'<span class="rag rag-{html.escape(value)}">'
        f'<span class="swatch" aria-hidden="true"></span>{html.escape(words)}</span>'
    )


def percent(value: float | None, decimals: int = 0) -> str:
    """A 0-1 rate as a percentage, or a dash when there is nothing to divide by."""
    return "–" if value is None else f"{value * 100:.{decimals}f}%"


@dataclass
class Table:
    """A table with a caption, column headers and a row-header first column.

    Attributes:
        caption: what the table shows (read out first by screen readers).
        columns: header of each column.
        rows: cell values; escaped unless they are `Markup`.
        numeric: indexes of columns to right-align.
        row_headers: whether the first cell of each row is a row header.
        foot: an optional total row, same shape as a row.
    """

    caption: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    numeric: Iterable[int] = ()
    row_headers: bool = True
    foot: Sequence[Any] | None = None
    css_class: str = ""

    def to_html(self) -> str:
        """The table in its scroll box; four or more columns stack into cards on a phone."""
        numeric = set(self.numeric)
        labels = [html.escape(str(column), quote=True) for column in self.columns]
        # A column of long text takes a card's full width on a phone.
        wide = {
            index
            for index in range(len(self.columns))
            if index not in numeric
            and any(len(_visible(row[index])) > 24 for row in self.rows if index < len(row))
        }

        def cells(row: Sequence[Any]) -> str:
            parts = []
            for index, value in enumerate(row):
                names = ["num"] if index in numeric else []
                if len(str(value)) <= 12 and not isinstance(value, Markup):
                    names.append("nowrap")
                if index in wide:
                    names.append("wide")
                classes = f' class="{" ".join(names)}"' if names else ""
                label = f' data-label="{labels[index]}"' if index < len(labels) else ""
                if index == 0 and self.row_headers:
                    parts.append(f'<th scope="row"{classes}{label}>{text(value)}</th>')
                else:
                    parts.append(f"<td{classes}{label}>{text(value)}</td>")
            return "".join(parts)

        head = "".join(
            f'<th scope="col"{" class=num" if index in numeric else ""}>{text(column)}</th>'
            for index, column in enumerate(self.columns)
        )
        body = "".join(f"<tr>{cells(row)}</tr>" for row in self.rows)
        foot = f"<tfoot><tr>{cells(self.foot)}</tr></tfoot>" if self.foot is not None else ""
        caption = text(self.caption)
        names = [self.css_class] if self.css_class else []
        if len(self.columns) >= 4:
            names.append("stack")
        css = f' class="{" ".join(names)}"' if names else ""
        keep = " keep" if len(self.rows) <= SHORT_TABLE_ROWS else ""
        return (
            f'<div class="table-scroll{keep}">'
            f"<table{css}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody>{foot}</table></div>"
        )


#: A table this short is kept on one printed page, with its heading.
SHORT_TABLE_ROWS = 12


def _visible(value: Any) -> str:
    """A cell's text without its markup, to judge how long it reads."""
    return re.sub(r"<[^>]+>", "", str(value)) if isinstance(value, Markup) else str(value)


def table_or_none(table: Table, empty: str) -> str:
    """The table, or a sentence saying there is nothing to show."""
    if not table.rows:
        return f'<p class="none">{text(empty)}</p>'
    return table.to_html()


def section(heading: str, body: str, section_id: str | None = None) -> str:
    """A `<section>` with its `h2`, labelled by that heading."""
    anchor = section_id or slug(heading)
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-h">'
        f'<h2 id="{anchor}-h">{text(heading)}</h2>{body}</section>'
    )
