"""The workbook's commentary panel: a manager writes the quarter's overview and section notes.

Choose a quarter and a section (the overview, or a section of the quarterly
report), write, Save. The text is kept with its history in the plan
(`store.commentary`), and the report and the board paper show the latest
version under its section, signed with the writer's name and the date.

Like the update panel, the panel remembers the version it loaded and sends it
with the save: if another manager saved the same section meanwhile, nothing is
overwritten; the panel shows who saved what and when, keeps the typing, and a
second Save (having read theirs) records this text as the next version.

Self-contained on purpose: it needs only the plan and a way to ask who is
writing, so it plugs into any workbook with one line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from ..errors import ActionPlanError, StaleCommentaryError
from ..quarters import Quarter, quarter_of
from ..store import Store
from ..store.commentary import commentary_history, write_commentary
from ..store.queries import latest_quarter
from ..vocab import options
from . import html

_LABEL_STYLE = {"description_width": "90px"}


class CommentaryPanel:
    """Write and read the quarter's commentary.

    Attributes a test or a notebook may drive: `quarter`, `section`, `text`
    (widgets), `save_button`, `message`, `history`, and `version` (the
    version the text on screen was based on; 0 when the section had none).

    Args:
        store: the plan.
        who: returns the name of the person writing (the workbook's "Your name").
        today: the day that decides the current quarter (tests fix it).
        may_write: False shows the commentary read-only, with no Save (the
            store refuses a save by anyone but a manager all the same).
    """

    def __init__(
        self,
        store: Store,
        who: Callable[[], str],
        today: Callable[[], date] = date.today,
        may_write: bool = True,
    ) -> None:
        self.store = store
        self.who = who
        self.today = today
        self.version = 0
        self.quarter = widgets.Dropdown(description="Quarter", style=_LABEL_STYLE)
        self.quarter.add_class("ap-commentary-quarter")
        self.section = widgets.Dropdown(
            options=options("section"), description="Section", style=_LABEL_STYLE
        )
        self.section.add_class("ap-commentary-section")
        self.text = widgets.Textarea(
            description="Commentary",
            placeholder="What is going well, what is red and what is being done about it.",
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="98%", height="180px"),
        )
        self.text.add_class("ap-commentary-text")
        self.save_button = widgets.Button(description="Save", button_style="primary", icon="save")
        self.save_button.add_class("ap-commentary-save")
        self.save_button.on_click(lambda _button: self.save())
        if not may_write:  # read-only for anyone but a manager, once people are registered
            self.save_button.layout.display = "none"
            self.text.disabled = True
        self.message = widgets.HTML()
        self.message.add_class("ap-commentary-message")
        self.history = widgets.HTML()
        self.history.add_class("ap-commentary-history")
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    '<p class="ap-muted">For managers: the quarter\'s overview and a note on any '
                    "section of the report. The report and the board paper show the latest "
                    "version, signed with your name and the date; every version is kept.</p>"
                ),
                widgets.HBox([self.quarter, self.section]),
                self.text,
                widgets.HBox([self.save_button]),
                self.message,
                widgets.HTML("<h3>Earlier versions</h3>"),
                self.history,
            ]
        )
        self.widget.add_class("ap-commentary")
        self.refresh_quarters()
        self.quarter.observe(lambda _change: self.load(), names="value")
        self.section.observe(lambda _change: self.load(), names="value")
        self.load()

    def refresh_quarters(self) -> None:
        """Offer every quarter with data and the current one, newest first."""
        today = self.today()
        found = {quarter.label: quarter for quarter in self.store.data_quarters(today)}
        current = quarter_of(today, self.store.first_month)
        found.setdefault(current.label, current)
        labels = sorted(found, reverse=True)
        try:
            chosen: Quarter = latest_quarter(self.store, today)
        except ActionPlanError:
            chosen = current
        self.quarter.options = [
            (f"{label} ({found[label].short_label})", label) for label in labels
        ]
        self.quarter.value = chosen.label

    def load(self) -> None:
        """Show the chosen section's latest text and its history."""
        if not self.quarter.value:
            return
        notes = commentary_history(self.store, self.quarter.value, self.section.value)
        latest = notes[-1] if notes else None
        self.version = latest.version if latest else 0
        self.text.value = latest.text if latest else ""
        self.message.value = ""
        self._show_history(notes)

    def save(self) -> None:
        """Save the text as the section's next version, unless someone saved meanwhile."""
        try:
            note = write_commentary(
                self.store,
                self.quarter.value,
                self.section.value,
                self.text.value,
                self.who(),
                expected_version=self.version,
            )
        except StaleCommentaryError as stale:
            notes = commentary_history(self.store, self.quarter.value, self.section.value)
            theirs = notes[-1]
            self.version = theirs.version
            self.message.value = html.message(
                "bad",
                f"<b>Not saved:</b> {html.text(stale.changed_by)} saved this section at "
                f"{html.text(stale.changed_at)}. Their text is below; your text is still in "
                "the box. Save again to record yours as the next version."
                f'<blockquote class="ap-theirs">{html.text(theirs.text)}</blockquote>',
            )
            self._show_history(notes)
            return
        except ActionPlanError as problem:
            self.message.value = html.error(str(problem))
            return
        self.version = note.version
        self.message.value = html.message(
            "ok",
            f"Saved version {note.version} of the {html.text(note.heading)} commentary for "
            f"{html.text(note.quarter)}.",
        )
        self._show_history(commentary_history(self.store, self.quarter.value, self.section.value))

    def _show_history(self, notes: list) -> None:
        if not notes:
            self.history.value = '<p class="ap-muted">Nothing written for this section yet.</p>'
            return
        rows = "".join(
            f"<tr><td>{note.version}</td><td>{html.text(note.by)}</td>"
            f"<td>{note.recorded_at:%Y-%m-%d %H:%M} UTC</td>"
            f'<td style="white-space:pre-wrap">{html.text(note.text)}</td></tr>'
            for note in reversed(notes)
        )
        self.history.value = (
            '<table class="ap-table"><thead><tr><th>Version</th><th>By</th><th>Saved</th>'
            f"<th>Text</th></tr></thead><tbody>{rows}</tbody></table>"
        )
