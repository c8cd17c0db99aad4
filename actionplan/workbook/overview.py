"""The overview tab: RAG counts of the actions matching the filters, and what falls due soon."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pandas as pd

from .. import figures
from . import html
from .selection import DUE_SOON_DAYS, Filters, describe_filters, due_soon, plain_rows


class Overview:
    """The filtered actions' RAG counts and what falls due in the next 30 days."""

    def __init__(self) -> None:
        self.chart = widgets.HTML()
        self.chart.add_class("ap-overview-chart")
        self.due_soon = widgets.HTML()
        self.due_soon.add_class("ap-overview-due")
        self.filters = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    '<p class="ap-muted">For the actions matching the filters on the '
                    "<b>Find and update</b> tab (cancelled actions are not counted).</p>"
                ),
                self.filters,
                widgets.HTML("<h3>RAG today</h3>"),
                self.chart,
                widgets.HTML(f"<h3>Due in the next {DUE_SOON_DAYS} days</h3>"),
                self.due_soon,
            ]
        )

    def show(self, found: pd.DataFrame, today: date, filters: Filters) -> None:
        """Redraw for the actions matching the filters."""
        self.filters.value = f'<p class="ap-muted">{describe_filters(filters)}</p>'
        self.chart.value = html.rag_bars(figures.count_by_rag(figures.live(found)["rag"]))
        self.due_soon.value = html.actions_table(plain_rows(due_soon(found, today)))
