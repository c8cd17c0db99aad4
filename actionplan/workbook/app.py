"""The officers' workbook: find actions, update them, record new work, see an overview.

`Workbook(db, user).show()` is the whole of `notebooks/update_actions.ipynb`.
Everything an officer can do here goes through `Store`, so the workbook, the
CLI and an import accept and refuse the same things with the same messages.
The pieces live in their own modules: `find` (filters and the list),
`update` (the update panel and its conflict handling), `forms` (record new
work), `overview`, `selection` (which actions to show, pure), and `html`
(escaped HTML fragments). Each panel sees the workbook only through `host.Host`.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import figures, listing
from ..errors import ActionPlanError
from ..identity import default_user
from ..store import Store, open_store
from ..vocab import word
from . import html
from .commentary import CommentaryPanel
from .find import FindPanel
from .forms import RecordForms
from .overview import Overview
from .selection import find_actions
from .update import UpdatePanel


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
        self.commentary = CommentaryPanel(self.store, lambda: self.who.value, self.today)
        self.tabs = widgets.Tab(
            children=[work, self.overview.widget, self.forms.widget, self.commentary.widget],
            titles=["Find and update", "My overview", "Record new work", "Commentary"],
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
                    f" ({html.text(word(src['kind'], 'kind'))})</p>"
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
