"""The officers' workbook: find actions, update them, record new work, see an overview.

`Workbook(db, user).show()` is the whole of `notebooks/update_actions.ipynb`.
Everything an officer can do here goes through `Store`, so the workbook, the
CLI and an import accept and refuse the same things with the same messages.
The pieces live in their own modules: `find` (filters and the list),
`update` (the update panel and its conflict handling), `forms` (record new
work), `overview`, `selection` (which actions to show, pure), `datebox` (dates
typed as text), `picker` (searchable choices), `person` (who is saving),
`tabs` (pages built when first opened), `evidence` (an action's evidence, in the
update panel), `assurance` (the leads' "To verify" tab) and `html` (escaped HTML fragments).
Each panel sees the workbook only through `host.Host`.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from ..errors import ActionPlanError
from ..quarters import quarter_of
from ..store import Store, open_store
from ..store.queries import actions_at
from ..vocab import word
from . import html
from .assurance import AssurancePanel
from .commentary import CommentaryPanel
from .evidence import EvidenceBox
from .find import FindPanel
from .forms import RecordForms
from .overview import Overview
from .person import signed_in_person
from .selection import find_actions
from .tabs import LazyTabs, Page
from .update import UpdatePanel

#: The one line of help on the first screen; the rest is in docs/workbook.md.
HELP = (
    "Find your action, choose its ID, record what has changed and press Save update. "
    "Every save is kept in the action's history."
)


def workbook_actions(store: Store, today: date) -> pd.DataFrame:
    """Every action at `today`, most urgent first, as `actionplan list` sees it, with its source.

    Each has its RAG, the schedule RAG the dates suggest, and whether it was
    updated this quarter (SPEC section 9: an update is dated by the day it
    describes, so one imported today about last March is still old news).
    """
    start = quarter_of(today, store.first_month).start
    frame = actions_at(store, store.current_actions(), start, today)
    recommendations = store.table("recommendations")[["id", "source_id"]].rename(
        columns={"id": "recommendation_id"}
    )
    return frame.merge(recommendations, on="recommendation_id", how="left")


class Workbook:
    """The officers' workbook for one plan.

    Args:
        db: a database file or SQLAlchemy URL, or an open `Store`; empty means
            `ACTIONPLAN_DB`, then `data/actionplan.db`.
        user: who is recording in a plan with nobody registered; empty means
            `ACTIONPLAN_USER`, else "Your name" starts empty. With people
            registered it is ignored: the signed-in person records (see `person`).
        today: the day updates default to and overdue is judged at (tests fix
            it; None means the real today, read at each use).

    If the plan cannot be opened the workbook shows why instead of the panels,
    and `problem` holds the message. `PAGES` lists the tabs; each is built the
    first time it is opened.
    """

    PAGES: ClassVar[list[Page]] = [
        Page("Find and update", lambda workbook: workbook.work),
        Page("My overview", lambda workbook: workbook.overview.widget),
        Page("Record new work", lambda workbook: workbook.forms_page()),
        Page("To verify", lambda workbook: workbook.assurance.widget),
        Page("Commentary", lambda workbook: workbook.commentary.widget),
    ]

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
        self._forms: RecordForms | None = None
        self._overview: Overview | None = None
        self._commentary: CommentaryPanel | None = None
        self._assurance: AssurancePanel | None = None
        try:
            self.store = db if isinstance(db, Store) else open_store(db or None)
        except ActionPlanError as problem:
            self.problem = str(problem)
            self.widget = widgets.VBox(
                [
                    widgets.HTML(html.STYLE),
                    widgets.HTML(
                        "<h1>Improvement actions</h1>"
                        + html.message(
                            "bad", f"<b>Cannot open the plan:</b> {escape(str(problem))}"
                        )
                    ),
                ]
            )
            self.widget.add_class("ap-workbook")
            return
        self.person = signed_in_person(self.store, user)
        self.who = self.person.who
        self.who_error = widgets.HTML()
        self.who_error.add_class("ap-error-by")
        self.refresh_button = widgets.Button(description="Re-read the plan", icon="refresh")
        self.refresh_button.add_class("ap-refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.find = FindPanel(self)
        self.update = UpdatePanel(self)
        self.evidence = EvidenceBox(self)
        parts = self.update.widget.children  # evidence under the update controls
        self.update.widget.children = (*parts[:3], self.evidence.widget, *parts[3:])
        header = widgets.VBox(
            [
                widgets.HTML(
                    f"<h1>Improvement actions: {escape(self.store.council)}</h1>"
                    f'<p>{HELP} <span class="ap-muted">Plan: {plan_name(self.store)}.</span></p>'
                ),
                self.person.line,
                widgets.HBox(
                    [self.who, self.refresh_button],
                    layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 12px"),
                ),
                self.who_error,
            ]
        )
        row = widgets.HBox([self.find.list_box, self.update.widget])
        row.add_class("ap-work-row")
        self.work = widgets.VBox([self.find.widget, row])
        self.refresh()
        self.tabs = LazyTabs(self, self.PAGES)
        self.widget = widgets.VBox([widgets.HTML(html.STYLE), header, self.tabs.widget])
        self.widget.add_class("ap-workbook")

    @property
    def forms(self) -> RecordForms:
        """The forms for new records, built on first use."""
        if self._forms is None:
            self._forms = RecordForms(self)
            self._forms.refresh_choices()
        return self._forms

    @property
    def overview(self) -> Overview:
        """The overview tab, built on first use and drawn for the current filters."""
        if self._overview is None:
            self._overview = Overview()
            self._overview.show(self.found, self.today(), self.find.filters())
        return self._overview

    @property
    def commentary(self) -> CommentaryPanel:
        """The managers' commentary tab, built on first use."""
        if self._commentary is None:
            self._commentary = CommentaryPanel(
                self.store, lambda: self.who.value, self.today, self.person.may("manager")
            )
        return self._commentary

    @property
    def assurance(self) -> AssurancePanel:
        """The "To verify" tab (completions and due-date requests for leads), built on first use."""
        if self._assurance is None:
            self._assurance = AssurancePanel(self)
        return self._assurance

    def forms_page(self) -> widgets.Widget:
        """The "Record new work" tab: the forms, for those whose role may add records."""
        if self.person.may("lead"):
            return self.forms.widget
        return widgets.HTML(
            '<p class="ap-muted">Leads and managers record new sources, recommendations, '
            "actions, complaints and compliments.</p>"
        )

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
        if self._forms is not None:
            self._forms.refresh_choices()
        self.show_list()
        still_there = self.selected is not None and self.selected in set(self.frame["id"])
        if still_there and (reload_open_action or not self.update.has_unsaved()):
            self.update.load(self.selected, keep_message=True)
            self.evidence.load(self.selected)
        if self._assurance is not None:
            self._assurance.refresh()

    def show_list(self) -> None:
        """Apply the filters and redraw the list and the overview (no database read)."""
        today = self.today()
        self.found = find_actions(self.frame, self.find.filters(), today)
        self.find.show(self.found, len(self.frame), self.selected)
        if self._overview is not None:
            self._overview.show(self.found, today, self.find.filters())

    def select(self, action_id: str) -> None:
        """Open an action in the update panel."""
        self.selected = action_id
        self.find.mark_selected(action_id)
        self.update.load(action_id, focus=True)
        self.evidence.load(action_id)

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
            + f". Due {html.day(action['due'])} (first agreed {html.day(action['baseline_due'])})."
            f" Version {html.text(action['version'])}, last saved by "
            f"{html.text(action['last_updated_by'])}.</p>",
        ]
        if len(rows):
            parts.append(html.schedule_line(rows.iloc[0]))
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
        """Display the workbook in the notebook (or Voila page) running this code.

        Under `actionplan workbook` Voila runs the notebook before anyone asks
        for the page (a pre-heated kernel), so the imports and the widgets are
        ready; here it waits for the officer's request and then re-reads the
        plan, so the list is as of the moment the page is opened, not the
        moment the kernel was started.
        """
        from IPython.display import display

        if os.environ.get("VOILA_PREHEAT") == "True":
            from voila.utils import wait_for_request

            wait_for_request()
            self.refresh()
        display(self.widget)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def plan_name(store: Store) -> str:
    """The plan's file name (full path on hover) or its URL without password, escaped."""
    if store.path is not None:
        return f'<span title="{escape(str(store.path))}">{escape(store.path.name)}</span>'
    return f'<span class="ap-plan-name">{escape(store.display_name)}</span>'
