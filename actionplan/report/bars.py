"""Stacked bars laid out in points, with every count written on or beside its segment.

The report's charts are read on a 390 px phone, on a 1,280 px screen and on
A4 paper, so their geometry is worked out here in points rather than left to
matplotlib's automatic layout: each row's label is wrapped to the width it
has (never cut short), every bar is as thick as its text needs, and a count
is written inside its segment when it fits there, or else just beside it (below a
horizontal bar, right of a vertical one) with a leader line to its segment,
the labels nudged apart so none overlaps another.

Every segment gets the pattern of its palette entry (`patterns`, drawn as
vectors), so no value relies on colour or shade alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import patterns

#: Points per inch: matplotlib's SVG and PNG measure text in points.
PT = 72.0
#: Average width of a digit or letter, as a share of the font size (DejaVu Sans).
CHAR_WIDTH = 0.6


@dataclass(frozen=True)
class Style:
    """How one kind of segment is drawn."""

    name: str
    fill: str
    ink: str
    hatch: str


@dataclass(frozen=True)
class Layout:
    """The size of a chart's text and bars, in points."""

    width_in: float
    font: float = 12.0
    bar: float = 18.0

    @property
    def line(self) -> float:
        """Height of one line of text."""
        return self.font * 1.25

    @property
    def callout_band(self) -> float:
        """Room under a horizontal bar for the counts written beside their segments."""
        return self.font * 1.2 + 10


def text_width(text: str, font: float, bold: bool = False) -> float:
    """About how wide `text` is drawn, in points."""
    return len(text) * font * CHAR_WIDTH * (1.08 if bold else 1.0)


def spread(
    centres: Sequence[float], sizes: Sequence[float], gap: float, floor: float | None = None
) -> list[float]:
    """Move labels along a line as little as possible so that none overlaps the next.

    Args:
        centres: where each label wants to be, in order along the line.
        sizes: each label's extent along the line.
        gap: the space to leave between two labels.
        floor: where the first label may start at the earliest (default: half
            its size before where it wanted to be).
    """
    placed = list(centres)
    for index in range(1, len(placed)):
        least = placed[index - 1] + (sizes[index - 1] + sizes[index]) / 2 + gap
        placed[index] = max(placed[index], least)
    # Centre the group on where it wanted to be, so labels spread both ways.
    if placed:
        shift = (sum(centres) - sum(placed)) / len(placed)
        lowest = centres[0] - sizes[0] / 2 if floor is None else floor + sizes[0] / 2
        shift = max(shift, lowest - placed[0])
        placed = [value + shift for value in placed]
    return placed


def _segment(
    axes: Axes, corner: tuple[float, float], width: float, height: float, style: Style
) -> Rectangle:
    """One segment of a stacked bar, as `Axes.bar` draws it, in data units.

    Added as a plain rectangle: `bar` and `barh` cost a millisecond a segment
    in argument handling and data limits, and the charts set their limits anyway.
    """
    segment = Rectangle(
        corner, width, height, facecolor=style.fill, edgecolor="white", linewidth=0.8
    )
    axes.add_artist(segment)
    return segment


def _segment_text(axes: Axes, x: float, y: float, count: int, style: Style, font: float) -> None:
    axes.text(
        x,
        y,
        str(count),
        ha="center",
        va="center",
        color=style.ink,
        fontweight="bold",
        fontsize=font,
        bbox={"boxstyle": "round,pad=0.12", "fc": style.fill, "ec": "none"},
    )


def _callout(
    axes: Axes,
    at: tuple[float, float],
    label: tuple[float, float],
    count: int,
    style: Style,
    font: float,
    side: str,
) -> None:
    """A count beside its segment: boxed in the segment's colour, a line to the segment."""
    axes.annotate(
        str(count),
        xy=at,
        xytext=label,
        ha="center" if side == "below" else "left",
        va="top" if side == "below" else "center",
        fontsize=font,
        fontweight="bold",
        color=style.ink,
        bbox={"boxstyle": "round,pad=0.18", "fc": style.fill, "ec": "#1b1f23", "lw": 0.6},
        arrowprops={
            "arrowstyle": "-",
            "color": "#1b1f23",
            "lw": 0.8,
            "shrinkA": 0,
            "shrinkB": 0,
            "patchA": None,
        },
    )


def _axis_labels(
    axes: Axes, which: str, positions: Sequence[float], labels: Sequence[str], font: float
) -> None:
    """Each bar's label beside its axis, just where matplotlib puts a tick label with no mark.

    Written as plain texts, not tick labels: each tick is five artists, and the
    axis lays its labels out three times a drawing; these axes need no marks.
    """
    x = which == "x"
    pad = matplotlib.rcParams[f"{which}tick.major.pad"]
    transform, va, ha = (
        axes.get_xaxis_text1_transform(pad) if x else axes.get_yaxis_text1_transform(pad)
    )
    for position, label in zip(positions, labels, strict=True):
        axes.text(
            *((position, 0) if x else (0, position)),
            label,
            transform=transform,
            va=va,
            ha=ha,
            fontsize=font,
            zorder=2.5,  # the axis's, as its tick labels had
        )


def horizontal(
    labels: Sequence[str],
    rows: Sequence[Sequence[int]],
    styles: Sequence[Style],
    layout: Layout,
    axis_label: str,
    labels_left: bool = False,
) -> tuple[Figure, Axes]:
    """One horizontal stacked bar per row, its label above it (or at its left), counts on it.

    Args:
        labels: one per row, shown whole (wrapped above the bar when long).
        rows: for each row, the count of each style, in `styles` order.
        styles: how each kind of segment is drawn, and its legend word.
        layout: the chart's width and text size.
        axis_label: what the bars count.
        labels_left: labels at the left of the bars (short labels such as quarters).
    """
    font = layout.font
    left_pt = (
        max((text_width(label, font) for label in labels), default=0) + 8 if labels_left else 0
    )
    width_pt = layout.width_in * PT
    axis_pt = width_pt - left_pt - 12
    totals = [sum(row) for row in rows]
    biggest = max(totals, default=0) or 1
    total_room = text_width(str(biggest), font, bold=True) + 8
    per_unit = (axis_pt - total_room) / biggest
    wrap_at = max(12, int(axis_pt / (font * CHAR_WIDTH)))
    shown_labels = [
        [label] if labels_left else textwrap.wrap(label, wrap_at) or [""] for label in labels
    ]
    # Work out each row's segments and which counts need a callout below the bar.
    plans = []
    for row in rows:
        start, inside, outside = 0.0, [], []
        for count, style in zip(row, styles, strict=True):
            if count:
                centre = (start + count / 2) * per_unit
                if count * per_unit >= text_width(str(count), font, bold=True) + 5:
                    inside.append((centre, count, style))
                else:
                    outside.append((centre, count, style))
            start += count
        plans.append((inside, outside))
    heights = []
    for lines, (_inside, outside) in zip(shown_labels, plans, strict=True):
        above = 0 if labels_left else len(lines) * layout.line + 4
        heights.append(8 + above + layout.bar + (layout.callout_band if outside else 0))
    top_pt, bottom_pt = 10.0, 46.0
    height_pt = top_pt + sum(heights) + bottom_pt
    figure = Figure(figsize=(layout.width_in, height_pt / PT))
    axes = figure.add_axes(
        (left_pt / width_pt, bottom_pt / height_pt, axis_pt / width_pt, sum(heights) / height_pt)
    )
    axes.set_xlim(0, axis_pt / per_unit)
    axes.set_ylim(sum(heights), 0)
    y = 0.0
    tick_positions = []
    for index, (lines, (inside, outside)) in enumerate(zip(shown_labels, plans, strict=True)):
        y += 8
        if not labels_left:
            axes.text(0, y, "\n".join(lines), ha="left", va="top", fontsize=font, linespacing=1.1)
            y += len(lines) * layout.line + 4
        centre_y = y + layout.bar / 2
        tick_positions.append(centre_y)
        left = 0
        for count, style in zip(rows[index], styles, strict=True):
            if count:
                bar = _segment(axes, (left, centre_y - layout.bar / 2), count, layout.bar, style)
                box = (
                    left * per_unit,
                    centre_y - layout.bar / 2,
                    (left + count) * per_unit,
                    centre_y + layout.bar / 2,
                )
                patterns.draw(axes, bar, style.hatch, lambda x, y: (x / per_unit, y), box)
            left += count
        for centre, count, style in inside:
            _segment_text(axes, centre / per_unit, centre_y, count, style, font)
        axes.text(
            totals[index] + 4 / per_unit,
            centre_y,
            str(totals[index]),
            ha="left",
            va="center",
            fontsize=font,
            fontweight="bold",
            color="#1b1f23",
        )
        y += layout.bar
        if outside:
            sizes = [text_width(str(count), font, bold=True) + 6 for _c, count, _s in outside]
            placed = spread([c for c, _n, _s in outside], sizes, 5, floor=0)
            for (centre, count, style), x in zip(outside, placed, strict=True):
                _callout(
                    axes, (centre / per_unit, y), (x / per_unit, y + 7), count, style, font, "below"
                )
            y += layout.callout_band
    axes.set_yticks([])
    if labels_left:
        _axis_labels(axes, "y", tick_positions, labels, font)
    else:
        axes.spines["left"].set_visible(False)
    axes.set_xlabel(axis_label, fontsize=font)
    axes.tick_params(axis="x", labelsize=font)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return figure, axes


def vertical(
    labels: Sequence[str],
    rows: Sequence[Sequence[int]],
    styles: Sequence[Style],
    layout: Layout,
    axis_label: str,
    height_in: float = 4.2,
) -> tuple[Figure, Axes]:
    """One vertical stacked bar per column, its label under it, counts on or beside it."""
    font = layout.font
    figure = Figure(figsize=(layout.width_in, height_in))
    left_pt, bottom_pt, top_pt = 46.0, 40.0, 10.0
    width_pt, height_pt = layout.width_in * PT, height_in * PT
    axis_w, axis_h = width_pt - left_pt - 8, height_pt - bottom_pt - top_pt
    axes = figure.add_axes(
        (left_pt / width_pt, bottom_pt / height_pt, axis_w / width_pt, axis_h / height_pt)
    )
    count_columns = max(len(labels), 1)
    slot = axis_w / count_columns
    bar_width = 0.55
    totals = [sum(row) for row in rows]
    top = (max(totals, default=0) or 1) * 1.12
    per_unit = axis_h / top
    axes.set_xlim(-0.5, count_columns - 0.5)
    axes.set_ylim(0, top)
    for index, row in enumerate(rows):
        bottom, beside = 0.0, []
        for count, style in zip(row, styles, strict=True):
            if count:
                bar = _segment(axes, (index - bar_width / 2, bottom), bar_width, count, style)
                box = (
                    (index - bar_width / 2) * slot,
                    bottom * per_unit,
                    (index + bar_width / 2) * slot,
                    (bottom + count) * per_unit,
                )
                patterns.draw(axes, bar, style.hatch, lambda x, y: (x / slot, y / per_unit), box)
                middle = bottom + count / 2
                fits_height = count * per_unit >= font * 1.3
                fits_width = bar_width * slot >= text_width(str(count), font, bold=True) + 4
                if fits_height and fits_width:
                    _segment_text(axes, index, middle, count, style, font)
                else:
                    beside.append((middle * per_unit, count, style))
            bottom += count
        if beside:
            placed = spread([c for c, _n, _s in beside], [font * 1.45] * len(beside), 1, floor=0)
            edge = index + bar_width / 2
            for (centre, count, style), y in zip(beside, placed, strict=True):
                _callout(
                    axes,
                    (edge, centre / per_unit),
                    (edge + 6 / slot, y / per_unit),
                    count,
                    style,
                    font,
                    "right",
                )
        axes.text(
            index,
            totals[index] + 3 / per_unit,
            str(totals[index]),
            ha="center",
            va="bottom",
            fontsize=font,
            fontweight="bold",
            color="#1b1f23",
        )
    axes.set_xticks([])
    _axis_labels(axes, "x", range(len(labels)), labels, font)
    axes.tick_params(axis="y", labelsize=font)
    axes.set_ylabel(axis_label, fontsize=font)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return figure, axes
