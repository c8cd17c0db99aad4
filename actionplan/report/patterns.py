"""Each RAG value's pattern drawn as plain lines and dots, so charts stay vectors in a PDF.

matplotlib draws a hatch as an SVG `<pattern>`, which Chromium turns into a
bitmap when it prints to PDF, and the dotted pattern alone adds tens of
kilobytes to each chart. Here the same patterns (the `hatch` of each
`vocab.RAG_PALETTE` entry, in matplotlib's notation) are drawn as white line
segments and dots clipped to their bar: crisp at any zoom, selectable as
vectors in the PDF, and small. The legend's swatches use the same drawing.

Hatch letters understood: `/` `\\` `-` `|` `x` `+` (lines) and `.` `o` `*`
(dots, rings, stars); repeating a letter makes the pattern denser, as in
matplotlib. `vocab.RAG_PALETTE` lists which are still free for a new value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path

#: Distance between lines (or dots) of a single-letter pattern, in points.
SPACING = 12.0
#: The colour the pattern is drawn in, over the fill.
INK = "white"
LINE_WIDTH = 1.0
#: Width of a dot's (or ring's) outline, in points.
DOT_EDGE = 0.8
_MARKERS = {".": ("o", 2.6, True), "o": ("o", 3.4, False), "*": ("*", 4.5, True)}
_ANGLES = {"/": (45,), "\\": (-45,), "-": (0,), "|": (90,), "x": (45, -45), "+": (0, 90)}

Box = tuple[float, float, float, float]
Point = tuple[float, float]


def known(hatch: str) -> bool:
    """True when `hatch` is a pattern this module can draw (or blank, a plain fill)."""
    return not hatch or (len(set(hatch)) == 1 and hatch[0] in {*_ANGLES, *_MARKERS})


def _spacing(hatch: str) -> float:
    return SPACING / len(hatch)


def lines(hatch: str, box: Box) -> list[tuple[Point, Point]]:
    """Segments covering `box` (x0, y0, x1, y1, in points) for a line pattern; to be clipped.

    Lines sit on one grid anchored at (0, 0), so neighbouring bars' patterns line up.
    """
    x0, y0, x1, y1 = box
    step = _spacing(hatch)
    found: list[tuple[Point, Point]] = []
    for angle in _ANGLES.get(hatch[:1], ()):
        if angle == 0:
            found += [((x0, y), (x1, y)) for y in _grid(y0, y1, step)]
        elif angle == 90:
            found += [((x, y0), (x, y1)) for x in _grid(x0, x1, step)]
        else:
            slope = 1 if angle > 0 else -1
            # Lines y = slope * x + c; c steps so that lines are `step` apart.
            ends = [y0 - slope * x0, y0 - slope * x1, y1 - slope * x0, y1 - slope * x1]
            for c in _grid(min(ends), max(ends), step * math.sqrt(2)):
                found.append(((x0, slope * x0 + c), (x1, slope * x1 + c)))
    return found


def dots(hatch: str, box: Box) -> list[Point]:
    """Centres of the dots covering `box` (points) for a dot pattern, every other row offset."""
    if hatch[:1] not in _MARKERS:
        return []
    x0, y0, x1, y1 = box
    step = _spacing(hatch)
    found = []
    for y in _grid(y0 - step, y1 + step, step):
        shift = step / 2 if round(y / step) % 2 else 0.0
        found += [(x + shift, y) for x in _grid(x0 - step, x1 + step, step)]
    return found


def _grid(low: float, high: float, step: float) -> list[float]:
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [index * step for index in range(first, last + 1)]


def _shapes(hatch: str, box: Box, to_data: Callable) -> list[Artist]:
    """The pattern over `box` as at most two artists (its lines, its dots), in `to_data`'s units.

    A pattern's lines are one path, not a collection: the SVG backend writes
    every line of a collection as an element of its own (a chart has hundreds),
    which took a sixth of a chart's time. Dots stay markers: an SVG `<use>` of
    one marker is smaller and quicker to write than each dot's outline.
    """
    found: list[Artist] = []
    segments = lines(hatch, box)
    if segments:
        ends = np.asarray(segments, dtype=float).reshape(-1, 2)
        path = Path(
            np.column_stack(to_data(ends[:, 0], ends[:, 1])),
            np.tile([Path.MOVETO, Path.LINETO], len(segments)),
        )
        # Simplifying a long path could drop or join the pattern's separate lines.
        path.should_simplify = False
        found.append(
            PathPatch(path, facecolor="none", edgecolor=INK, linewidth=LINE_WIDTH, zorder=2)
        )
    centres = dots(hatch, box)
    if centres:
        marker, size, filled = _MARKERS[hatch[0]]
        found.append(
            Line2D(
                *to_data(*np.asarray(centres, dtype=float).T),
                linestyle="none",
                marker=marker,
                markersize=size,
                markerfacecolor=INK if filled else "none",
                markeredgecolor=INK,
                markeredgewidth=DOT_EDGE,
            )
        )
    return found


def draw(
    axes: Axes,
    patch: Rectangle,
    hatch: str,
    to_data: Callable[[float, float], Point],
    box: Box,
) -> list[Artist]:
    """Draw `hatch` over a bar, clipped to it.

    Args:
        axes: where the bar is.
        patch: the bar (its outline clips the pattern).
        hatch: the palette entry's pattern.
        to_data: turns a point in points into data coordinates (also given arrays).
        box: the bar's extent in points (x0, y0, x1, y1).
    """
    artists: list[Artist] = []
    if not hatch:
        return artists
    for shape in _shapes(hatch, box, to_data):
        axes.add_artist(shape)
        shape.set_clip_path(patch)
        artists.append(shape)
    return artists


class Swatch(HandlerBase):
    """Draws a legend key as its fill with the pattern over it, as the bars have."""

    def __init__(self, hatch: str) -> None:
        super().__init__()
        self.hatch = hatch

    def create_artists(
        self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans
    ) -> list[Artist]:
        """The key's rectangle and its pattern, in the legend's own units (points)."""
        colour = orig_handle.get_facecolor()
        box = (-xdescent, -ydescent, -xdescent + width, -ydescent + height)
        rectangle = Rectangle(
            box[:2], width, height, facecolor=colour, edgecolor="#555555", linewidth=0.6,
            transform=trans,
        )  # fmt: skip
        artists: list[Artist] = [rectangle]
        if not self.hatch:
            return artists
        for shape in _shapes(self.hatch, box, lambda x, y: (x, y)):
            shape.set_transform(trans)
            shape.set_clip_path(rectangle)
            artists.append(shape)
        return artists


def legend_handles(entries: list[tuple[str, str, str]]) -> tuple[list[Patch], dict]:
    """Legend handles and their handler map for (label, fill, hatch) entries."""
    handles = [Patch(facecolor=fill, label=label) for label, fill, _hatch in entries]
    handler_map = {
        handle: Swatch(hatch) for handle, (_l, _f, hatch) in zip(handles, entries, strict=True)
    }
    return handles, handler_map
