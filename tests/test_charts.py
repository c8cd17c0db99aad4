"""Charts that read at a glance: every count written, no label over another, names whole,
and a pattern for every RAG value drawn the same in the charts and the report's swatches."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from actionplan.quarters import Quarter
from actionplan.report import charts, patterns
from actionplan.report.html import pattern_css, report_css
from actionplan.vocab import RAG_PALETTE, RAG_VALUES, RagColour

SOURCES = [
    "SRC-03: Local Government and Social Care Ombudsman decisions 2023: learning review",
    "SRC-05: Annual complaints report 2023-24: learning from stage 1 and stage 2 complaints",
    "SRC-08: Internal audit: Deprivation of Liberty Safeguards",
]
#: Small segments beside big ones: the counts that used to go unwritten.
COUNTS = [
    {"red": 1, "amber": 2, "green": 1, "not_started": 3, "complete": 40},
    {"red": 0, "amber": 1, "green": 12, "not_started": 1, "complete": 2},
    {"red": 3, "amber": 0, "green": 0, "not_started": 0, "complete": 1},
]
QUARTERS = [Quarter(2023 + (n + 1) // 4, (n + 1) % 4 + 1) for n in range(10)]


def _texts(drawing: charts.Drawing) -> list[Text]:
    figure = drawing.figure
    FigureCanvasAgg(figure).draw()
    return [text for axes in figure.axes for text in axes.texts if text.get_visible()]


def _overlaps(texts: list[Text]) -> list[tuple[str, str]]:
    renderer = texts[0].get_figure().canvas.get_renderer()
    # The text itself: an annotation's own extent would include its leader line.
    boxes = [(text.get_text(), Text.get_window_extent(text, renderer)) for text in texts]
    return [
        (first, second)
        for (first, a), (second, b) in itertools.combinations(boxes, 2)
        if a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5
    ]


def _drawings(narrow: bool) -> list[tuple[charts.Drawing, list[int]]]:
    labels = [quarter.short_label for quarter in QUARTERS]
    trend = [COUNTS[n % 3] for n in range(len(QUARTERS))]
    on_time = [n % 4 for n in range(len(QUARTERS))]
    late = [(n * 7) % 3 for n in range(len(QUARTERS))]
    return [
        (
            charts.rag_bars(SOURCES, COUNTS, "source", narrow),
            [n for row in COUNTS for n in row.values() if n],
        ),
        (
            charts.rag_trend(labels, trend, narrow),
            [n for row in trend for n in row.values() if n],
        ),
        (
            charts.completions_trend(labels, on_time, late, narrow),
            [n for n in on_time + late if n],
        ),
    ]


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "phone"])
def test_every_segment_has_its_number_and_no_number_covers_another(narrow: bool) -> None:
    for drawing, segments in _drawings(narrow):
        texts = _texts(drawing)
        numbers = [text for text in texts if text.get_text().isdigit()]
        written = Counter(int(text.get_text()) for text in numbers)
        missing = Counter(segments) - written
        assert not missing, f"counts not written: {dict(missing)}"
        assert _overlaps(numbers) == []


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "phone"])
def test_source_names_are_written_whole(narrow: bool) -> None:
    drawing = charts.rag_bars(SOURCES, COUNTS, "source", narrow)
    words = " ".join(text.get_text().replace("\n", " ") for text in _texts(drawing))
    for source in SOURCES:
        assert source in words
    assert "…" not in words and "..." not in words


def test_quarter_labels_are_short_and_do_not_overlap() -> None:
    assert Quarter(2024, 3).short_label == "Q3 24/25"
    for narrow in (False, True):
        drawing = charts.rag_trend([q.short_label for q in QUARTERS], (COUNTS * 4)[:10], narrow)
        # Each bar's label is a text by the axis (all the others are counts).
        shown = [text for text in _texts(drawing) if not text.get_text().isdigit()]
        assert [t.get_text().replace("\n", " ") for t in shown] == [q.short_label for q in QUARTERS]
        assert _overlaps(shown) == []


def test_the_phone_drawing_fits_a_phone_with_12px_text() -> None:
    chart = charts.rag_bars(SOURCES, COUNTS, "source", narrow=True).svg()
    assert chart.width <= 366  # 390 px less the page's margins
    sizes = {float(size) for size in re.findall(r"font-size: ([\d.]+)px", chart.svg)}
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', chart.svg).group(1))
    assert min(sizes) * chart.width / view_width >= 12


def test_every_rag_value_has_its_own_pattern_and_at_most_one_is_plain() -> None:
    hatches = [RAG_PALETTE[value].hatch for value in RAG_VALUES]
    assert len({hatch[:1] for hatch in hatches}) == len(hatches)
    assert sum(not hatch for hatch in hatches) <= 1
    for value in RAG_VALUES:
        assert patterns.known(RAG_PALETTE[value].hatch), value


def test_report_swatches_come_from_the_palette() -> None:
    css = report_css()
    for value, colour in RAG_PALETTE.items():
        assert f".rag-{value} .swatch {{ background: {pattern_css(colour)}; }}" in css
        assert colour.fill in pattern_css(colour)


def test_a_new_rag_value_needs_only_its_palette_entry() -> None:
    """Issue 14 adds `verified`: a free pattern draws in charts, legends and swatches."""
    verified = RagColour("#56B4E9", "#000000", "xx")
    assert patterns.known(verified.hatch)
    assert "repeating-linear-gradient" in pattern_css(verified)
    lines = patterns.lines(verified.hatch, (0, 0, 24, 12))
    slopes = {round((b[1] - a[1]) / (b[0] - a[0])) for a, b in lines}
    assert slopes == {1, -1}
    style = charts.bars.Style("Verified", verified.fill, verified.ink, verified.hatch)
    figure, _axes = charts.bars.horizontal(
        ["One"], [[3]], [style], charts.bars.Layout(charts.WIDE), "Actions"
    )
    FigureCanvasAgg(figure).draw()
