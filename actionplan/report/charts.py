"""The report's charts: matplotlib figures as embedded SVG (or PNG for Word), with alt text.

A manager may read the report with a screen reader, on a phone, in black and
white on paper, or with a colour vision deficiency, so every chart here:

- uses the one RAG palette (`vocab.RAG_PALETTE`: Okabe-Ito colours, told apart
  by the common colour deficiencies, and a distinct pattern per RAG value), and
  writes every count on its segment or beside it (`bars`);
- writes labels whole (source names wrap; quarters read `Q3 24/25`);
- is drawn twice, for a desktop or paper and for a phone, and the page picks
  the one that fits (`<picture>`), so its text is never smaller than 12 px;
- carries alt text that states the figures it draws, not just what it is;
- is SVG (crisp on a phone, and vectors in the PDF) inlined as a `data:` URI,
  so the report stays one file that requests nothing from anywhere.

Only matplotlib's object API is used (no pyplot, no backend), so the figures
come out the same in a plain script, a test and a papermill kernel.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.transforms import Bbox

from ..vocab import RAG_PALETTE, RAG_VALUES, word
from . import bars, patterns

#: Completions on time and late borrow the colours and patterns of complete and red.
ON_TIME = bars.Style(
    "On time",
    RAG_PALETTE["complete"].fill,
    RAG_PALETTE["complete"].ink,
    RAG_PALETTE["complete"].hatch,
)
LATE = bars.Style("Late", RAG_PALETTE["red"].fill, RAG_PALETTE["red"].ink, RAG_PALETTE["red"].hatch)

#: Complaint stages in charts: Okabe-Ito colours the RAG palette leaves free, each
#: with its own pattern (stage 1 plain), and text that keeps 4.5:1 contrast on it.
STAGE_STYLES: dict[str, bars.Style] = {
    "stage1": bars.Style("Stage 1", "#56B4E9", "#000000", ""),
    "stage2": bars.Style("Stage 2", "#CC79A7", "#000000", "xx"),
    "ombudsman": bars.Style("Ombudsman", "#000000", "#FFFFFF", "oo"),
}

#: Width of a chart, in inches: for a desktop screen and A4 paper, and for a phone.
WIDE, NARROW = 8.0, 3.7
#: The page shows the narrow drawing at this width or below (report.css uses the same).
NARROW_MEDIA = "(max-width: 40rem)"
#: White space kept above a chart's key and left of it, in inches (as `bbox_inches="tight"`).
MARGIN = 0.1
#: Above this many quarters, a trend is drawn as horizontal bars, one row per quarter.
MOST_COLUMNS = 12

#: Digits past a number's second decimal, and line breaks with their indent, dropped from an SVG.
_DIGITS = re.compile(r"(?<=\d\.\d\d)\d+")
_LINE_BREAKS = re.compile(r"\n\s*")

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "actionplan",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 12,
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

    def to_html(self, caption: str, narrow: Chart | None = None) -> str:
        """A `<figure>` with the image (and its phone drawing), alt text and a visible caption."""
        source = ""
        if narrow is not None:
            source = (
                f'<source media="{NARROW_MEDIA}" srcset="{narrow.data_uri()}" '
                f'width="{narrow.width}" height="{narrow.height}">'
            )
        return (
            f'<figure class="chart"><picture>{source}<img src="{self.data_uri()}" '
            f'alt="{html.escape(self.alt)}" width="{self.width}" height="{self.height}"></picture>'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )


@dataclass(frozen=True)
class Drawing:
    """A matplotlib figure and its alt text, to be saved as SVG (the report) or PNG (Word)."""

    figure: Figure
    alt: str

    def svg(self) -> Chart:
        """The drawing as an SVG chart."""
        buffer = io.StringIO()
        with matplotlib.rc_context(_STYLE):
            self.figure.savefig(
                buffer,
                format="svg",
                bbox_inches=_with_left_margin(self.figure),
                metadata={"Date": None},
            )
        # Two decimals of a point are finer than any screen or printer shows.
        svg = _DIGITS.sub("", _LINE_BREAKS.sub(" ", buffer.getvalue()))
        size = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
        if size:
            width, height = (float(value) * 96 / 72 for value in size.groups())
        else:
            width, height = self.figure.get_size_inches() * 96
        return Chart(svg, self.alt, round(width), round(height))

    def png(self, dpi: int = 200) -> bytes:
        """The drawing as a PNG image."""
        buffer = io.BytesIO()
        with matplotlib.rc_context(_STYLE):
            self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()


def _with_left_margin(figure: Figure) -> Bbox:
    """The figure, and `MARGIN` left of it: a count's box at the very start of a bar
    (and its outline) reaches a few points past the figure's left edge."""
    width_in, height_in = figure.get_size_inches()
    return Bbox.from_extents(-MARGIN, 0, width_in, height_in)


def figure_html(draw: Callable[[bool], Drawing], caption: str) -> str:
    """A chart drawn for wide screens and paper, and again for a phone, as one `<figure>`."""
    return draw(False).svg().to_html(caption, narrow=draw(True).svg())


def rag_styles() -> list[bars.Style]:
    """How each RAG value is drawn, in `RAG_VALUES` order."""
    return [
        bars.Style(
            word(value), RAG_PALETTE[value].fill, RAG_PALETTE[value].ink, RAG_PALETTE[value].hatch
        )
        for value in RAG_VALUES
    ]


def _legend(axes: Axes, styles: Sequence[bars.Style], narrow: bool) -> None:
    """The key above the plot, with swatches big enough to show their patterns."""
    handles, handler_map = patterns.legend_handles(
        [(style.name, style.fill, style.hatch) for style in styles]
    )
    # Anchored at the figure's left edge, not the axes', so a phone's key fits its width.
    figure = axes.get_figure()
    legend = figure.legend(
        handles=handles,
        handler_map=handler_map,
        loc="lower left",
        bbox_to_anchor=(0.0, axes.get_position().y1 + 0.01),
        bbox_transform=figure.transFigure,
        ncol=2 if narrow and len(styles) > 3 else len(styles),
        frameon=False,
        handlelength=2.4,
        handleheight=1.6,
        columnspacing=1.0,
        handletextpad=0.5,
        borderaxespad=0.3,
        fontsize=12,
    )
    _room_for(figure, legend)


def _room_for(figure: Figure, legend: Legend) -> None:
    """Make the figure taller at the top, so that the key above the plot is inside it.

    The charts are laid out in points (`bars`) with the key above them. Saving
    with `bbox_inches="tight"` took the key in, but worked out the extent of
    every text a second time: a third of a chart's time, and the report draws
    eight. Measuring the key alone and growing the figure by what it needs
    gives the same picture (`Drawing.svg` then saves the figure as it is).
    """
    width_in, height_in = figure.get_size_inches()
    dpi = figure.dpi
    renderer = RendererAgg(round(width_in * dpi), round(height_in * dpi), dpi)
    needed = legend.get_window_extent(renderer).y1 / dpi + MARGIN - height_in
    if needed <= 0:
        return
    scale = height_in / (height_in + needed)
    for axes in figure.axes:
        left, bottom, width, height = axes.get_position().bounds
        axes.set_position((left, bottom * scale, width, height * scale))
    x, y = legend.get_bbox_to_anchor().transformed(figure.transFigure.inverted()).p0
    legend.set_bbox_to_anchor((x, y * scale), transform=figure.transFigure)
    figure.set_size_inches(width_in, height_in + needed)


def _counts_sentence(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{counts.get(value, 0)} {word(value).lower()}" for value in RAG_VALUES)


def rag_bars(
    labels: Sequence[str], counts: Sequence[Mapping[str, int]], subject: str, narrow: bool = False
) -> Drawing:
    """A horizontal stacked bar per label, split by RAG, every count written.

    Args:
        labels: one label per bar (a source, a quality statement), shown whole.
        counts: for each label, its count of each RAG value.
        subject: what the bars are, for the alt text ("source").
        narrow: draw for a phone.
    """
    styles = rag_styles()
    rows = [[row.get(value, 0) for value in RAG_VALUES] for row in counts]
    with matplotlib.rc_context(_STYLE):
        figure, axes = bars.horizontal(
            labels, rows, styles, bars.Layout(NARROW if narrow else WIDE), "Number of actions"
        )
        _legend(axes, styles, narrow)
    described = "; ".join(
        f"{label}: {_counts_sentence(row)}" for label, row in zip(labels, counts, strict=True)
    )
    return Drawing(figure, f"Bar chart of actions by RAG status for each {subject}. {described}.")


def _columns(
    labels: Sequence[str],
    rows: Sequence[Sequence[int]],
    styles: Sequence[bars.Style],
    axis_label: str,
    narrow: bool,
    height_in: float,
) -> Figure:
    if narrow or len(labels) > MOST_COLUMNS:
        layout = bars.Layout(NARROW if narrow else WIDE, bar=16.0)
        figure, axes = bars.horizontal(labels, rows, styles, layout, axis_label, labels_left=True)
    else:
        shown = [label.replace(" ", "\n", 1) for label in labels]
        figure, axes = bars.vertical(shown, rows, styles, bars.Layout(WIDE), axis_label, height_in)
    _legend(axes, styles, narrow)
    return figure


def rag_trend(
    quarters: Sequence[str], counts: Sequence[Mapping[str, int]], narrow: bool = False
) -> Drawing:
    """RAG counts at the end of each quarter: a stacked bar per quarter.

    Args:
        quarters: short quarter labels (`Q3 24/25`), oldest first.
        counts: for each quarter, its count of each RAG value.
        narrow: draw for a phone (one row per quarter).
    """
    rows = [[row.get(value, 0) for value in RAG_VALUES] for row in counts]
    with matplotlib.rc_context(_STYLE):
        figure = _columns(quarters, rows, rag_styles(), "Actions at quarter end", narrow, 4.4)
    described = "; ".join(
        f"{label}: {_counts_sentence(row)}" for label, row in zip(quarters, counts, strict=True)
    )
    return Drawing(
        figure,
        f"Stacked bar chart of actions by RAG status at the end of each quarter. {described}.",
    )


def stacked_trend(
    periods: Sequence[str],
    rows: Sequence[Sequence[int]],
    styles: Sequence[bars.Style],
    axis_label: str,
    what: str,
    narrow: bool = False,
) -> Drawing:
    """A stacked bar per period (a quarter, a year), one segment per style, every count written.

    Args:
        periods: the periods' labels, oldest first.
        rows: for each period, one count per style.
        styles: how each part is drawn, and its name for the key and the alt text.
        axis_label: the count axis's title.
        what: what the bars count, for the alt text ("complaints received each year").
        narrow: draw for a phone (one row per period).
    """
    with matplotlib.rc_context(_STYLE):
        figure = _columns(periods, rows, styles, axis_label, narrow, 3.8)
    described = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{count} {style.name.lower()}" for count, style in zip(row, styles, strict=True)
        )
        for label, row in zip(periods, rows, strict=True)
    )
    return Drawing(figure, f"Stacked bar chart of {what}. {described}.")


def completions_trend(
    quarters: Sequence[str], on_time: Sequence[int], late: Sequence[int], narrow: bool = False
) -> Drawing:
    """Completions per quarter, split into on time (by the baseline date) and late."""
    return stacked_trend(
        quarters,
        [[done, overdue] for done, overdue in zip(on_time, late, strict=True)],
        [ON_TIME, LATE],
        "Actions completed",
        "actions completed in each quarter, on time and late",
        narrow,
    )
