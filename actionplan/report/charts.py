"""The report's charts: matplotlib figures as embedded SVG, each with alt text.

A manager may read the report with a screen reader, in black and white on
paper, or with a colour vision deficiency, so every chart here:

- uses the one RAG palette (`vocab.RAG_PALETTE`: Okabe-Ito colours, told apart
  by the common colour deficiencies, and a hatch pattern per RAG value), and
  writes each count on its bar;
- carries alt text that states the figures it draws, not just what it is;
- is SVG (crisp on a phone and in print) inlined as a `data:` URI, so the
  report stays one file that requests nothing from anywhere.

Only matplotlib's object API is used (no pyplot, no backend), so the figures
come out the same in a plain script, a test and a papermill kernel.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

from ..vocab import RAG_PALETTE, RAG_VALUES, word

#: Completions on time and late borrow the colours of complete and red.
ON_TIME_COLOUR = RAG_PALETTE["complete"].fill
LATE_COLOUR = RAG_PALETTE["red"].fill

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "actionplan",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 12,
    "hatch.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    """An SVG chart ready to embed.

    Attributes:
        svg: the SVG document.
        alt: what the chart shows, with its figures, for people who cannot see it.
        width: intrinsic width in CSS pixels (the image scales down to fit).
        height: intrinsic height in CSS pixels.
    """

    svg: str
    alt: str
    width: int
    height: int

    def data_uri(self) -> str:
        """The SVG as a base64 `data:` URI, so the report stays a single file."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"

    def to_html(self, caption: str) -> str:
        """A `<figure>` with the image, its alt text and a visible caption."""
        return (
            f'<figure class="chart"><img src="{self.data_uri()}" alt="{html.escape(self.alt)}" '
            f'width="{self.width}" height="{self.height}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )


def _render(figure: Figure, alt: str) -> Chart:
    buffer = io.StringIO()
    with matplotlib.rc_context(_STYLE):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = re.sub(r"\n\s*", " ", buffer.getvalue())
    size = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
    if size:
        width, height = (float(value) * 96 / 72 for value in size.groups())
    else:
        width, height = figure.get_size_inches() * 96
    return Chart(svg, alt, round(width), round(height))


def _counts_sentence(counts: Mapping[str, int]) -> str:
    parts = [f"{counts.get(value, 0)} {word(value).lower()}" for value in RAG_VALUES]
    return ", ".join(parts)


def _legend(axes, ncol: int = 5) -> None:
    """The key above the plot, one row, so it never covers a bar or an axis label."""
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncol=ncol,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
        borderaxespad=0.2,
    )


def _label_segments(axes, bars, values: Sequence[int], value: str, scale: int) -> None:
    """Write each count on its segment, unless the segment is too thin to hold it."""
    for bar, count in zip(bars, values, strict=True):
        if count and count >= 0.06 * scale:
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_y() + bar.get_height() / 2,
                str(count),
                ha="center",
                va="center",
                color=RAG_PALETTE[value].ink,
                fontweight="bold",
            )


def _stack_rag(
    axes, positions: list[int], counts: Sequence[Mapping[str, int]], horizontal: bool
) -> list[int]:
    """Stack one bar per position, a segment per RAG value; return each bar's total."""
    base = [0] * len(positions)
    scale = max((sum(row.values()) for row in counts), default=1)
    for value in RAG_VALUES:
        sizes = [row.get(value, 0) for row in counts]
        style = {
            "color": RAG_PALETTE[value].fill,
            "hatch": RAG_PALETTE[value].hatch,
            "edgecolor": "white",
            "linewidth": 0.8,
            "label": word(value),
        }
        if horizontal:
            bars = axes.barh(positions, sizes, left=base, **style)
        else:
            bars = axes.bar(positions, sizes, bottom=base, width=0.7, **style)
        _label_segments(axes, bars, sizes, value, scale)
        base = [a + b for a, b in zip(base, sizes, strict=True)]
    return base


def rag_bars(labels: Sequence[str], counts: Sequence[Mapping[str, int]], subject: str) -> Chart:
    """A horizontal stacked bar per label, split by RAG, each segment labelled.

    Args:
        labels: one short label per bar (a source, a quality statement).
        counts: for each label, its count of each RAG value.
        subject: what the bars are, for the alt text ("source").
    """
    with matplotlib.rc_context(_STYLE):
        height = 1.1 + 0.45 * max(len(labels), 1)
        figure = Figure(figsize=(8, height))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        _stack_rag(axes, positions, counts, horizontal=True)
        axes.set_yticks(positions, [_shorten(label, 44) for label in labels])
        axes.set_xlabel("Number of actions")
        axes.xaxis.get_major_locator().set_params(integer=True)
        _legend(axes)
        axes.tick_params(axis="y", length=0)
    described = "; ".join(
        f"{label}: {_counts_sentence(row)}" for label, row in zip(labels, counts, strict=True)
    )
    alt = f"Bar chart of actions by RAG status for each {subject}. {described}."
    return _render(figure, alt)


def rag_trend(quarters: Sequence[str], counts: Sequence[Mapping[str, int]]) -> Chart:
    """A vertical stacked bar of RAG counts at the end of each quarter."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(8, 4.2))
        axes = figure.add_subplot()
        positions = list(range(len(quarters)))
        bottom = _stack_rag(axes, positions, counts, horizontal=False)
        for position, total in zip(positions, bottom, strict=True):
            axes.text(position, total, f"{total}", ha="center", va="bottom")
        axes.set_xticks(positions, [label.replace("-Q", "\nQ") for label in quarters])
        axes.set_ylabel("Actions at quarter end")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.margins(y=0.08)
        _legend(axes)
    described = "; ".join(
        f"{label}: {_counts_sentence(row)}" for label, row in zip(quarters, counts, strict=True)
    )
    alt = f"Stacked bar chart of actions by RAG status at the end of each quarter. {described}."
    return _render(figure, alt)


def completions_trend(
    quarters: Sequence[str], on_time: Sequence[int], late: Sequence[int]
) -> Chart:
    """Completions per quarter, split into on time (by the baseline date) and late."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(8, 3.6))
        axes = figure.add_subplot()
        positions = list(range(len(quarters)))
        scale = max((a + b for a, b in zip(on_time, late, strict=True)), default=1)
        early = axes.bar(positions, on_time, color=ON_TIME_COLOUR, label="On time", width=0.7)
        _label_segments(axes, early, on_time, "complete", scale)
        tardy = axes.bar(
            positions,
            late,
            bottom=on_time,
            color=LATE_COLOUR,
            hatch="///",
            edgecolor="white",
            linewidth=0.8,
            label="Late",
            width=0.7,
        )
        _label_segments(axes, tardy, late, "red", scale)
        axes.set_xticks(positions, [label.replace("-Q", "\nQ") for label in quarters])
        axes.set_ylabel("Actions completed")
        axes.yaxis.get_major_locator().set_params(integer=True)
        _legend(axes, ncol=2)
    described = "; ".join(
        f"{label}: {done} on time, {overdue} late"
        for label, done, overdue in zip(quarters, on_time, late, strict=True)
    )
    alt = f"Stacked bar chart of actions completed in each quarter, on time and late. {described}."
    return _render(figure, alt)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
