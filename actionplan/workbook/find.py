"""The find panel: filters, and the list of matching actions, most urgent first.

Clicking an action's id opens it in the update panel.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle

from ..vocab import RAG_VALUES, STATUSES, word
from . import html
from .host import Host
from .selection import ANY, Filters, plain_rows

#: The list shows at most this many rows; filters narrow it further.
MAX_ROWS = 60


def _css_id(action_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", action_id)


class FindPanel:
    """Filters and the list of matching actions; clicking an id opens it for update.

    Attributes a test may drive: `owner`, `team`, `source`, `status`, `rag`,
    `overdue`, `not_updated`, `search` (widgets), `buttons` (id -> Button),
    `shown_ids()`.
    """

    def __init__(self, workbook: Host) -> None:
        self.workbook = workbook
        self._quiet = False
        small = {"description_width": "60px"}
        self.search = widgets.Text(
            description="Search", placeholder="words in the id, title, owner or team", style=small
        )
        self.owner = widgets.Dropdown(description="Owner", style=small)
        self.team = widgets.Dropdown(description="Team", style=small)
        self.source = widgets.Dropdown(description="Source", style=small)
        self.status = widgets.Dropdown(
            description="Status",
            options=[("Any status", ANY)] + [(word(s), s) for s in STATUSES],
            style=small,
        )
        self.rag = widgets.Dropdown(
            description="RAG",
            options=[("Any RAG", ANY)] + [(word(r), r) for r in (*RAG_VALUES, "cancelled")],
            style=small,
        )
        self.overdue = widgets.Checkbox(description="Overdue only", indent=False)
        self.not_updated = widgets.Checkbox(description="Not updated this quarter", indent=False)
        # An officer starts on the actions they answer for; anyone with owner
        # names registered can switch it on (SPEC section 7).
        person = workbook.person
        self.my_owners = person.owns()
        self.mine = widgets.Checkbox(
            description="My actions only",
            indent=False,
            value=bool(self.my_owners) and person.acting.role == "officer",
            layout=widgets.Layout(display="" if self.my_owners else "none"),
        )
        self.mine.add_class("ap-filter-mine")
        self.clear_button = widgets.Button(description="Clear filters", icon="times")
        self.clear_button.add_class("ap-clear-filters")
        self.clear_button.on_click(lambda _button: self.clear_filters())
        for name in ("search", "owner", "team", "source", "status", "rag"):
            getattr(self, name).add_class(f"ap-filter-{name}")
        self.overdue.add_class("ap-filter-overdue")
        self.not_updated.add_class("ap-filter-not-updated")
        for control in [*self._controls(), self.mine]:
            control.observe(self._changed, "value")
        self.count = widgets.HTML()
        self.count.add_class("ap-count")
        self.grid = widgets.GridBox(
            layout=widgets.Layout(
                grid_template_columns="92px minmax(0, 1fr)",
                grid_gap="2px 8px",
                width="100%",
                align_items="center",
            )
        )
        # Rows share one layout and style each: a list of 60 actions stays a
        # few hundred widget models, so Voila redraws it quickly on every filter.
        self._button_layout = widgets.Layout(width="88px")
        self._cells_layout = widgets.Layout(width="100%")
        self._cells_style = HTMLStyle()
        self._button_style = widgets.ButtonStyle()
        self.grid.add_class("ap-list")
        self.buttons: dict[str, widgets.Button] = {}
        self.widget = widgets.HBox([self.mine, *self._controls(), self.clear_button])
        self.widget.add_class("ap-filters")
        self.list_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h2>Actions, most urgent first</h2>"
                    '<a class="ap-skip" href="#ap-update-heading">Skip the list: go to the '
                    "update panel</a>"
                ),
                self.count,
                self.grid,
            ]
        )
        self.list_box.add_class("ap-panel")
        self.list_box.add_class("ap-list-box")

    def _controls(self) -> list[widgets.ValueWidget]:
        return [
            self.search,
            self.owner,
            self.team,
            self.source,
            self.status,
            self.rag,
            self.overdue,
            self.not_updated,
        ]

    def filters(self) -> Filters:
        """The filters as set on screen."""
        return Filters(
            owner=self.owner.value or ANY,
            team=self.team.value or ANY,
            source=self.source.value or ANY,
            status=self.status.value or ANY,
            rag=self.rag.value or ANY,
            overdue=self.overdue.value,
            not_updated=self.not_updated.value,
            search=self.search.value,
            mine=self.my_owners if self.mine.value else (),
        )

    def clear_filters(self) -> None:
        """Show every action again."""
        self._quiet = True
        try:
            self.mine.value = False
            for control in self._controls():
                control.value = False if isinstance(control, widgets.Checkbox) else ANY
        finally:
            self._quiet = False
        self.workbook.show_list()

    def refresh_options(self, frame: pd.DataFrame, sources: pd.DataFrame) -> None:
        """Offer the owners, teams and sources that exist, keeping what is selected."""
        self._quiet = True
        try:
            _set_options(self.owner, "Any owner", _distinct(frame["owner"]))
            _set_options(self.team, "Any team", _distinct(frame["team"]))
            source_options = [
                (f"{row.id}: {row.title}"[:60], row.id)
                for row in sources.sort_values("id").itertuples()
            ]
            _set_options(self.source, "Any source", source_options)
        finally:
            self._quiet = False

    def show(self, found: pd.DataFrame, total: int, selected: str | None) -> None:
        """Draw the list of matching actions (at most `MAX_ROWS`)."""
        old = list(self.grid.children)
        cells: list[widgets.Widget] = [
            widgets.HTML('<div class="ap-head">ID</div>'),
            widgets.HTML(html.list_header()),
        ]
        self.buttons = {}
        for row in plain_rows(found.head(MAX_ROWS)):
            button = widgets.Button(
                description=row["id"],
                tooltip=f"Open {row['id']} to update it",
                button_style="info" if row["id"] == selected else "",
                layout=self._button_layout,
                style=self._button_style,
            )
            button.add_class("ap-open")
            button.add_class(f"ap-open-{_css_id(row['id'])}")
            action_id = row["id"]
            button.on_click(lambda _button, action_id=action_id: self.workbook.select(action_id))
            self.buttons[action_id] = button
            cells += [
                button,
                widgets.HTML(
                    html.list_row(row), layout=self._cells_layout, style=self._cells_style
                ),
            ]
        self.grid.children = cells
        for widget in old:
            widget.close()
        shown = min(len(found), MAX_ROWS)
        more = f" (showing the first {shown}; narrow the filters)" if len(found) > shown else ""
        self.count.value = (
            f'<p class="ap-muted">{len(found)} of {total} actions match{more}. '
            "Click an ID to update it.</p>"
        )

    def mark_selected(self, selected: str | None) -> None:
        """Highlight the open action's button."""
        for action_id, button in self.buttons.items():
            button.button_style = "info" if action_id == selected else ""

    def shown_ids(self) -> list[str]:
        """The ids in the list, in the order shown."""
        return list(self.buttons)

    def _changed(self, _change: object) -> None:
        if not self._quiet:
            self.workbook.show_list()


def _distinct(column: pd.Series) -> list[tuple[str, str]]:
    values = sorted({str(value).strip() for value in column.dropna() if str(value).strip()})
    return [(value, value) for value in values]


def _set_options(dropdown: widgets.Dropdown, any_label: str, options: list[tuple[str, str]]):
    kept = dropdown.value
    dropdown.options = [(any_label, ANY), *options]
    dropdown.value = kept if kept in {value for _label, value in options} else ANY
