"""The officers' workbook: find actions, update them, record new work, see an overview.

`Workbook(db, user).show()` is the whole of `notebooks/update_actions.ipynb`.
Everything an officer can do here goes through `Store`, so the workbook, the
CLI and an import accept and refuse the same things with the same messages.
The pieces live in their own modules: `workbook_update` (the update panel and
its conflict handling), `workbook_forms` (record new work) and `workbook_html`
(escaped HTML fragments). This module holds the find list, the overview and
the assembly, plus the pure functions that select and order actions.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle

from . import figures, listing
from . import workbook_html as html
from .errors import ActionPlanError
from .history import to_timestamp
from .store import Store, open_store
from .vocab import RAG_VALUES, STATUSES
from .workbook_forms import RecordForms, word
from .workbook_update import UpdatePanel

#: An action not updated for this many days shows under "not updated for 60 days".
STALE_DAYS = 60
#: The overview lists open actions due within this many days.
DUE_SOON_DAYS = 30
#: The list shows at most this many rows; filters narrow it further.
MAX_ROWS = 60

_ANY = ""


def default_user(user: str | None = None) -> str:
    """Who is recording: the `user` given, else `ACTIONPLAN_USER`, else the login name."""
    if user and user.strip():
        return user.strip()
    from_env = os.environ.get("ACTIONPLAN_USER", "").strip()
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def workbook_actions(store: Store, today: date) -> pd.DataFrame:
    """Every action with its RAG at `today`, its source and its last update day, most urgent first.

    `last_update_on` is the latest `as_of` of the action's events: the day the
    most recent update describes, which is what "not updated for 60 days" asks
    about (an update imported today about last March is still old news).
    """
    state = store.current_actions()
    frame = figures.with_rag(state, today)
    recommendations = store.table("recommendations")[["id", "source_id"]].rename(
        columns={"id": "recommendation_id"}
    )
    frame = frame.merge(recommendations, on="recommendation_id", how="left")
    events = store.events()
    latest = events.groupby("action_id")["as_of"].max()
    frame["last_update_on"] = frame["id"].map(latest)
    return listing.by_urgency(frame, today)


@dataclass(frozen=True)
class Filters:
    """What the officer asked to see; empty strings and False mean "any"."""

    owner: str = _ANY
    team: str = _ANY
    source: str = _ANY
    status: str = _ANY
    rag: str = _ANY
    overdue: bool = False
    not_updated: bool = False
    search: str = ""


def find_actions(frame: pd.DataFrame, filters: Filters, today: date) -> pd.DataFrame:
    """The rows of a `workbook_actions` frame that match every filter, order kept."""
    found = listing.filter_actions(
        frame, filters.owner or None, filters.team or None, filters.status or None, filters.overdue
    )
    if filters.source:
        found = found[found["source_id"] == filters.source]
    if filters.rag:
        found = found[found["rag"] == filters.rag]
    if filters.not_updated:
        cutoff = to_timestamp(today) - pd.Timedelta(days=STALE_DAYS)
        old = found["last_update_on"].isna() | (found["last_update_on"] < cutoff)
        found = found[old & ~found["status"].isin(["complete", "cancelled"])]
    if filters.search.strip():
        words = filters.search.strip().lower()
        found = found[found["title"].fillna("").str.lower().str.contains(words, regex=False)]
    return found


def describe_filters(filters: Filters) -> str:
    """The filters in effect, in words (escaped), for the overview's reader."""
    parts = [
        f"{label} {escape(value)}"
        for label, value in (
            ("owner", filters.owner),
            ("team", filters.team),
            ("source", filters.source),
            ("status", word(filters.status) if filters.status else ""),
            ("RAG", html.RAG_WORDS.get(filters.rag, filters.rag)),
        )
        if value
    ]
    if filters.overdue:
        parts.append("overdue only")
    if filters.not_updated:
        parts.append(f"not updated for {STALE_DAYS} days")
    if filters.search.strip():
        parts.append(f"title contains '{escape(filters.search.strip())}'")
    return "Filters: " + ", ".join(parts) if parts else "All actions (no filters)."


def due_soon(frame: pd.DataFrame, today: date, days: int = DUE_SOON_DAYS) -> pd.DataFrame:
    """Open actions due from today to `days` ahead, soonest first."""
    start = to_timestamp(today)
    end = start + pd.Timedelta(days=days)
    is_open = ~frame["status"].isin(["complete", "cancelled"])
    soon = frame[is_open & (frame["due"] >= start) & (frame["due"] <= end)]
    return soon.sort_values(["due", "id"], kind="stable")


def _plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for row in frame.itertuples(index=False):
        rows.append(
            {
                "id": row.id,
                "title": row.title,
                "owner": row.owner,
                "due": row.due.date() if pd.notna(row.due) else None,
                "rag": row.rag,
                "overdue": bool(row.overdue),
            }
        )
    return rows


def _css_id(action_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", action_id)


class FindPanel:
    """Filters and the list of matching actions; clicking an id opens it for update.

    Attributes a test may drive: `owner`, `team`, `source`, `status`, `rag`,
    `overdue`, `not_updated`, `search` (widgets), `buttons` (id -> Button),
    `shown_ids()`.
    """

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._quiet = False
        small = {"description_width": "60px"}
        self.search = widgets.Text(
            description="Search",
            placeholder="words in the title",
            style=small,
            layout=widgets.Layout(width="300px"),
        )
        self.owner = widgets.Dropdown(description="Owner", style=small)
        self.team = widgets.Dropdown(description="Team", style=small)
        self.source = widgets.Dropdown(description="Source", style=small)
        self.status = widgets.Dropdown(
            description="Status",
            options=[("Any status", _ANY)] + [(word(s), s) for s in STATUSES],
            style=small,
        )
        self.rag = widgets.Dropdown(
            description="RAG",
            options=[("Any RAG", _ANY)]
            + [(html.RAG_WORDS[r], r) for r in (*RAG_VALUES, "cancelled")],
            style=small,
        )
        self.overdue = widgets.Checkbox(description="Overdue only", indent=False)
        self.not_updated = widgets.Checkbox(
            description=f"Not updated for {STALE_DAYS} days", indent=False
        )
        self.clear_button = widgets.Button(description="Clear filters", icon="times")
        self.clear_button.add_class("ap-clear-filters")
        self.clear_button.on_click(lambda _button: self.clear_filters())
        for name in ("search", "owner", "team", "source", "status", "rag"):
            getattr(self, name).add_class(f"ap-filter-{name}")
            getattr(self, name).layout.width = "300px"
        self.overdue.add_class("ap-filter-overdue")
        self.not_updated.add_class("ap-filter-not-updated")
        for control in self._controls():
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
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.search, self.owner, self.team], layout=_wrap()),
                widgets.HBox([self.source, self.status, self.rag], layout=_wrap()),
                widgets.HBox([self.overdue, self.not_updated, self.clear_button], layout=_wrap()),
            ]
        )
        self.list_box = widgets.VBox(
            [widgets.HTML("<h3>Actions, most urgent first</h3>"), self.count, self.grid],
            layout=widgets.Layout(width="100%"),
        )
        self.list_box.add_class("ap-panel")

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
            owner=self.owner.value or _ANY,
            team=self.team.value or _ANY,
            source=self.source.value or _ANY,
            status=self.status.value or _ANY,
            rag=self.rag.value or _ANY,
            overdue=self.overdue.value,
            not_updated=self.not_updated.value,
            search=self.search.value,
        )

    def clear_filters(self) -> None:
        """Show every action again."""
        self._quiet = True
        try:
            for control in self._controls():
                control.value = False if isinstance(control, widgets.Checkbox) else _ANY
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
        for row in _plain_rows(found.head(MAX_ROWS)):
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
        self.due_soon.value = html.actions_table(_plain_rows(due_soon(found, today)))


class Workbook:
    """The officers' workbook for one plan.

    Args:
        db: a database file or SQLAlchemy URL, or an open `Store`; empty means
            `ACTIONPLAN_DB`, then `data/actionplan.db`.
        user: who is recording; empty means `ACTIONPLAN_USER`, then the login name.
        today: the day updates default to and overdue is judged at (tests fix
            it; None means the real today, read at each use).

    If the plan cannot be opened the workbook shows why instead of the panels,
    and `problem` holds the message.
    """

    def __init__(
        self, db: str | Path | Store | None = "", user: str = "", today: date | None = None
    ) -> None:
        self._today = today
        self.problem: str | None = None
        self.selected: str | None = None
        self.frame = pd.DataFrame()
        self.found = pd.DataFrame()
        self._sources = pd.DataFrame()
        self._recommendations = pd.DataFrame()
        try:
            self.store = db if isinstance(db, Store) else open_store(db or None)
        except ActionPlanError as problem:
            self.problem = str(problem)
            self.widget = widgets.VBox(
                [
                    widgets.HTML(html.STYLE),
                    widgets.HTML(
                        html.message("bad", f"<b>Cannot open the plan:</b> {escape(str(problem))}")
                    ),
                ]
            )
            self.widget.add_class("ap-workbook")
            return
        self.who = widgets.Text(
            value=default_user(user),
            description="Your name",
            placeholder="who is recording",
            layout=widgets.Layout(width="320px"),
        )
        self.who.add_class("ap-who")
        self.who_error = widgets.HTML()
        self.who_error.add_class("ap-error-by")
        self.refresh_button = widgets.Button(description="Re-read the plan", icon="refresh")
        self.refresh_button.add_class("ap-refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.find = FindPanel(self)
        self.update = UpdatePanel(self)
        self.forms = RecordForms(self)
        self.overview = Overview()
        header = widgets.VBox(
            [
                widgets.HTML(
                    f"<h2>Improvement action plan: {escape(self.store.council)}</h2>"
                    f'<p class="ap-muted">Plan: {plan_name(self.store)}. Find an '
                    "action, click its ID, record progress and Save. Every save is kept in "
                    "its history.</p>"
                ),
                widgets.HBox([self.who, self.refresh_button]),
                self.who_error,
            ]
        )
        work = widgets.VBox(
            [
                self.find.widget,
                widgets.HBox(
                    [self.find.list_box, self.update.widget],
                    layout=widgets.Layout(width="100%", grid_gap="12px"),
                ),
            ]
        )
        self.find.list_box.layout.width = "56%"
        self.update.widget.layout.width = "44%"
        self.tabs = widgets.Tab(
            children=[work, self.overview.widget, self.forms.widget],
            titles=["Find and update", "My overview", "Record new work"],
        )
        self.tabs.add_class("ap-tabs")
        self.widget = widgets.VBox([widgets.HTML(html.STYLE), header, self.tabs])
        self.widget.add_class("ap-workbook")
        self.refresh()

    # -- the day and the person ----------------------------------------------

    def today(self) -> date:
        """The day updates default to and the RAG is judged at."""
        return self._today or date.today()

    def show_who_error(self, message: str) -> None:
        """Show a problem with "Your name" under it."""
        self.who_error.value = html.error(f"Your name {message}")

    def clear_who_error(self) -> None:
        """Remove the problem shown under "Your name"."""
        self.who_error.value = ""

    # -- reading and drawing ---------------------------------------------------

    def refresh(self, reload_open_action: bool = False) -> None:
        """Re-read the plan and redraw everything, keeping filters and the open action.

        The open action is reloaded only when asked (after its own save) or when
        the officer has nothing unsaved in it: re-reading must never wipe typing.
        """
        today = self.today()
        self._sources = self.store.table("sources")
        self._recommendations = self.store.table("recommendations")
        self.frame = workbook_actions(self.store, today)
        self.find.refresh_options(self.frame, self._sources)
        self.forms.refresh_choices()
        self.show_list()
        still_there = self.selected is not None and self.selected in set(self.frame["id"])
        if still_there and (reload_open_action or not self.update.has_unsaved()):
            self.update.load(self.selected, keep_message=True)

    def show_list(self) -> None:
        """Apply the filters and redraw the list and the overview (no database read)."""
        today = self.today()
        self.found = find_actions(self.frame, self.find.filters(), today)
        self.find.show(self.found, len(self.frame), self.selected)
        self.overview.show(self.found, today, self.find.filters())

    def select(self, action_id: str) -> None:
        """Open an action in the update panel."""
        self.selected = action_id
        self.find.mark_selected(action_id)
        self.update.load(action_id)

    def describe_action(self, action: dict[str, Any]) -> str:
        """The heading of the update panel: the action, its recommendation and its source."""
        rows = self.frame[self.frame["id"] == action["id"]]
        rag = rows["rag"].iloc[0] if len(rows) else ""
        recommendation = self._recommendations[
            self._recommendations["id"] == action["recommendation_id"]
        ]
        parts = [
            f"<p><b>{html.text(action['id'])}: {html.text(action['title'])}</b> "
            f"{html.badge(rag) if rag else ''}</p>",
            f"<p>Owner: {html.text(action['owner'])}"
            + (f" ({html.text(action['team'])})" if action.get("team") else "")
            + f". Due {html.text(action['due'])} (first agreed {html.text(action['baseline_due'])})."
            f" Version {html.text(action['version'])}, last saved by "
            f"{html.text(action['last_updated_by'])}.</p>",
        ]
        if len(recommendation):
            rec = recommendation.iloc[0]
            tags = [html.text(value) for value in (rec["quality_statement"], rec["priority"])]
            tags = [tag for tag in tags if tag]
            parts.append(
                f"<p>Recommendation {html.text(rec['id'])}: {html.text(rec['text'])}"
                + (f' <span class="ap-muted">({"; ".join(tags)})</span>' if tags else "")
                + "</p>"
            )
            source = self._sources[self._sources["id"] == rec["source_id"]]
            if len(source):
                src = source.iloc[0]
                parts.append(
                    f'<p class="ap-muted">Source {html.text(src["id"])}: {html.text(src["title"])}'
                    f" ({html.text(word(str(src['kind'])))})</p>"
                )
        return "".join(parts)

    # -- showing it ----------------------------------------------------------

    def show(self) -> None:
        """Display the workbook in the notebook (or Voila page) running this code."""
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def plan_name(store: Store) -> str:
    """The plan's file name (full path on hover) or its URL without password, escaped."""
    if store.path is not None:
        return f'<span title="{escape(str(store.path))}">{escape(store.path.name)}</span>'
    return escape(store.display_name)


def _wrap() -> widgets.Layout:
    return widgets.Layout(flex_flow="row wrap", grid_gap="4px 12px")


def _distinct(column: pd.Series) -> list[tuple[str, str]]:
    values = sorted({str(value).strip() for value in column.dropna() if str(value).strip()})
    return [(value, value) for value in values]


def _set_options(dropdown: widgets.Dropdown, any_label: str, options: list[tuple[str, str]]):
    kept = dropdown.value
    dropdown.options = [(any_label, _ANY), *options]
    dropdown.value = kept if kept in {value for _label, value in options} else _ANY
