"""Small HTML builders for the report: tables, RAG words, figure tiles.

Everything a person typed (titles, owners, notes, reasons) passes through
`text()` (html.escape) exactly once, here, so a section cannot forget to
escape. Tables always have a caption and header cells with `scope`, and sit
in a labelled, focusable scroll box so a wide table scrolls on its own on a
phone instead of making the whole page scroll sideways.
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
from ..vocab import RAG_PALETTE, word

#: The report's style sheet (the RAG colours are added from the palette).
STYLE_SHEET = Path(__file__).resolve().parent / "templates" / "actionplan_report" / "report.css"


@cache
def report_css() -> str:
    """The report's CSS: the RAG colours of `vocab.RAG_PALETTE` as variables, then the sheet."""
    colours = "".join(
        f"  --{name.replace('_', '-')}: {colour.fill};\n" for name, colour in RAG_PALETTE.items()
    )
    return f":root {{\n{colours}}}\n{STYLE_SHEET.read_text()}"


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
        """The table wrapped in its labelled scroll box."""
        numeric = set(self.numeric)

        def cells(row: Sequence[Any], header_tag: str = "th") -> str:
            parts = []
            for index, value in enumerate(row):
                names = ["num"] if index in numeric else []
                if len(str(value)) <= 12 and not isinstance(value, Markup):
                    names.append("nowrap")
                classes = f' class="{" ".join(names)}"' if names else ""
                if index == 0 and self.row_headers:
                    parts.append(f'<{header_tag} scope="row"{classes}>{text(value)}</{header_tag}>')
                else:
                    parts.append(f"<td{classes}>{text(value)}</td>")
            return "".join(parts)

        head = "".join(
            f'<th scope="col"{" class=num" if index in numeric else ""}>{text(column)}</th>'
            for index, column in enumerate(self.columns)
        )
        body = "".join(f"<tr>{cells(row)}</tr>" for row in self.rows)
        foot = f"<tfoot><tr>{cells(self.foot)}</tr></tfoot>" if self.foot is not None else ""
        caption = text(self.caption)
        css = f' class="{self.css_class}"' if self.css_class else ""
        return (
            f'<div class="table-scroll" role="region" aria-label="{caption}" tabindex="0">'
            f"<table{css}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody>{foot}</table></div>"
        )


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
