"""The workbook's tabs, each built the first time it is opened.

An officer opening the workbook needs the list first; the forms for new
records (about 40 widgets) and the overview wait until their tab is chosen, so
the first screen appears sooner. A new tab (a manager's commentary, say) is one
more `Page` in `app.Workbook.PAGES`: a title and a function of the workbook
that returns the tab's widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets


@dataclass(frozen=True)
class Page:
    """One tab: its title and how to build its content from the workbook."""

    title: str
    build: Callable[[Any], widgets.Widget]


class LazyTabs:
    """A `Tab` whose pages are built on first view (the first page at once)."""

    def __init__(self, owner: Any, pages: Sequence[Page]) -> None:
        self.owner = owner
        self.pages = list(pages)
        self.holders = [widgets.VBox() for _page in self.pages]
        self.widget = widgets.Tab(children=self.holders, titles=[page.title for page in self.pages])
        self.widget.add_class("ap-tabs")
        self.widget.observe(self._selected, "selected_index")
        self.open(0)

    def is_built(self, title: str) -> bool:
        """True once the page called `title` has been built."""
        return any(
            page.title == title and holder.children
            for page, holder in zip(self.pages, self.holders, strict=True)
        )

    def open(self, index: int) -> None:
        """Build the page at `index` if it is not built yet (does not switch to it)."""
        holder = self.holders[index]
        if not holder.children:
            holder.children = [self.pages[index].build(self.owner)]

    def select(self, title: str) -> None:
        """Switch to the page called `title`, building it first."""
        titles = [page.title for page in self.pages]
        self.widget.selected_index = titles.index(title)

    def _selected(self, change: dict) -> None:
        if change["new"] is not None:
            self.open(change["new"])
