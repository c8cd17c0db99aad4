"""The workbook's update panel: change one action's progress, status, due date or note.

The panel remembers the version of the action it loaded and sends it with every
save, so a save based on a stale copy is refused by the store (SPEC section 4)
rather than overwriting someone else's work. When that happens the officer's
typing stays on screen; "Reload and reapply" loads the new version and puts
the officer's changes back on top of it, so a second Save succeeds without
retyping. Only the fields the officer changed are re-applied: fields they left
alone take the other person's new values. The refusal lists what the other
person changed, so the officer knows what they are reapplying onto.

Every refusal is said twice: at the field it concerns, and in the status line
under Save; and every new attempt first clears what the last one said.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import ipywidgets as widgets

from ..dates import in_words
from ..errors import FieldError, StaleVersionError, ValidationError
from ..vocab import options
from . import html
from .datebox import DateBox
from .host import Host
from .keyboard import focus_soon

#: How many history entries the panel shows.
HISTORY_SHOWN = 5

#: The fields with a message of their own under them.
FIELDS = ("progress", "status", "due", "reason", "note", "as_of")


class UpdatePanel:
    """Controls to record an update to the selected action.

    Attributes a test or a notebook may drive: `progress`, `status`, `reason`,
    `note`, `confirm_past` (widgets), `due` and `as_of` (`DateBox`: set
    `.value` to a date or `.text.value` to what an officer types),
    `save_button`, `reapply_button`, `errors` (field -> HTML label), `message`,
    `history`.
    """

    def __init__(self, workbook: Host) -> None:
        self.workbook = workbook
        self.action_id: str | None = None
        self.loaded: dict[str, Any] | None = None
        self._loading = False

        self.heading = widgets.HTML('<p class="ap-muted">Choose an action from the list.</p>')
        self.heading.add_class("ap-action-heading")
        self.progress = widgets.BoundedIntText(
            value=0, min=0, max=100, step=5, description="Progress (%)"
        )
        self.progress.add_class("ap-progress")
        self.status = widgets.Dropdown(options=options("status"), description="Status")
        self.status.add_class("ap-status")
        self.due = DateBox("due", "Due date")
        self.due.text.add_class("ap-due")
        self.reason = widgets.Textarea(
            description="Reason for the new due date (required)",
            placeholder="Why has the date moved?",
            rows=2,
        )
        self.reason.add_class("ap-reason")
        self.confirm_past = widgets.Checkbox(
            description="Yes, the new due date is in the past", indent=False
        )
        self.confirm_past.add_class("ap-confirm-past")
        self.note = widgets.Textarea(
            description="Note",
            placeholder="What has happened since the last update?",
            rows=3,
        )
        self.note.add_class("ap-note")
        self.as_of = DateBox("as_of", "Update as of", blank_means="today")
        self.as_of.text.add_class("ap-as-of")

        self.errors: dict[str, widgets.HTML] = {}
        for field in FIELDS:
            label = getattr(self, field).error if field in ("due", "as_of") else widgets.HTML()
            label.add_class(f"ap-error-{field}")
            self.errors[field] = label
        for field in ("progress", "status", "reason", "note"):
            getattr(self, field).observe(
                lambda _change, field=field: self._field_changed(field), "value"
            )

        self.save_button = widgets.Button(
            description="Save update", button_style="primary", icon="check", disabled=True
        )
        self.save_button.add_class("ap-save")
        self.save_button.on_click(lambda _button: self.save())
        self.reapply_button = widgets.Button(
            description="Reload and reapply",
            button_style="warning",
            icon="refresh",
            layout=widgets.Layout(display="none", width="auto"),
        )
        self.reapply_button.add_class("ap-reapply")
        self.reapply_button.on_click(lambda _button: self.reload_and_reapply())
        self.message = widgets.HTML()
        self.message.add_class("ap-update-message")
        self.history = widgets.HTML()
        self.history.add_class("ap-history-box")

        self.reason_row = widgets.VBox(
            [self.reason, self.errors["reason"]], layout=widgets.Layout(display="none")
        )
        self.past_row = widgets.VBox([self.confirm_past], layout=widgets.Layout(display="none"))
        self.due.text.observe(self._due_changed, "value")
        self.status.observe(self._status_changed, "value")

        self.controls = widgets.VBox(
            [
                self.status,
                self.errors["status"],
                self.progress,
                self.errors["progress"],
                self.due.widget,
                self.past_row,
                self.reason_row,
                self.note,
                self.errors["note"],
                self.as_of.widget,
                widgets.HBox([self.save_button, self.reapply_button]),
                self.message,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.controls.add_class("ap-stacked")
        self.widget = widgets.VBox(
            [
                widgets.HTML('<h2 id="ap-update-heading" tabindex="-1">Update the action</h2>'),
                self.heading,
                self.controls,
                widgets.HTML("<h2>Recent history</h2>"),
                self.history,
            ]
        )
        self.widget.add_class("ap-panel")
        self.widget.add_class("ap-update-panel")

    # -- loading -------------------------------------------------------------

    def load(self, action_id: str, keep_message: bool = False, focus: bool = False) -> None:
        """Show an action's current values, ready to be changed.

        With `focus`, the keyboard moves to the first control (Status: a
        drop-down, which browsers let a widget focus; a number box does not),
        so an officer who chose the action by keyboard does not tab past the
        whole list.
        """
        store = self.workbook.store
        action = store.get_action(action_id)
        self.action_id = action_id
        self.loaded = action
        self._loading = True
        try:
            self.progress.value = int(action["progress"])
            self.status.value = action["status"]
            self.due.value = action["due"]
            self.reason.value = ""
            self.note.value = ""
            self.confirm_past.value = False
            self.as_of.value = self.workbook.today()
        finally:
            self._loading = False
        self.reason_row.layout.display = "none"
        self.past_row.layout.display = "none"
        self.reapply_button.layout.display = "none"
        self._clear_errors()
        if not keep_message:
            self.message.value = ""
        self.heading.value = self.workbook.describe_action(action)
        events = store.history(action_id)
        self.history.value = html.history_table(reversed(events[-HISTORY_SHOWN:]))
        # A viewer reads the action and its history; there is nothing to save.
        self.controls.layout.display = "" if self.workbook.person.may("officer") else "none"
        self.save_button.disabled = False
        if focus:
            focus_soon(self.status)

    def clear(self) -> None:
        """Show no action (the selected one no longer matches the filters)."""
        self.action_id = None
        self.loaded = None
        self.heading.value = '<p class="ap-muted">Choose an action from the list.</p>'
        self.history.value = ""
        self.controls.layout.display = "none"
        self.save_button.disabled = True

    # -- what the officer changed ----------------------------------------------

    def changed_fields(self) -> dict[str, Any]:
        """The controlled fields whose value differs from the version loaded.

        Raises:
            FieldError: the due date typed is not a date the plan accepts.
        """
        if self.loaded is None:
            return {}
        changed: dict[str, Any] = {}
        if self.progress.value != self.loaded["progress"]:
            changed["progress"] = self.progress.value
        if self.status.value != self.loaded["status"]:
            changed["status"] = self.status.value
        due = self.due.value
        if due is not None and due != self.loaded["due"]:
            changed["due"] = due
        return changed

    def has_unsaved(self) -> bool:
        """True when the officer has changed or typed something not yet saved."""
        try:
            changed = bool(self.changed_fields())
        except FieldError:
            changed = True  # a half-typed date is unsaved work too
        return changed or bool(self.note.value.strip() or self.reason.value.strip())

    def update_values(self) -> dict[str, Any]:
        """The update record this save sends: unchanged fields are left blank.

        Raises:
            FieldError: a date typed is not a date the plan accepts.
        """
        changed = self.changed_fields()
        values: dict[str, Any] = {
            "action_id": self.action_id,
            "by": self.workbook.who.value,
            "as_of": self.as_of.value or self.workbook.today(),
            "note": self.note.value,
            **changed,
        }
        if "due" in changed:
            values["reason"] = self.reason.value
        return values

    def _inputs(self) -> dict[str, Any]:
        return {
            **self.changed_fields(),
            "reason": self.reason.value,
            "note": self.note.value,
            "as_of": self.as_of.text.value,
        }

    # -- saving --------------------------------------------------------------

    def save(self) -> bool:
        """Validate and record the update; True when it was saved.

        Nothing is written unless every field is right; each problem is shown
        under its field and summed up under Save. Whatever goes wrong below
        (a database that went away, a bug) is said in one line, never swallowed.
        """
        if self.action_id is None or self.loaded is None:
            return False
        self._clear_errors()
        self.message.value = ""
        self.workbook.clear_who_error()
        try:
            values = self.update_values()
            self._check_past_due(values.get("due"))
            event = self.workbook.store.record_update(
                values, expected_version=self.loaded["version"], today=self.workbook.today()
            )
        except FieldError as problem:
            self._show_problems({problem.field: problem.message})
            return False
        except ValidationError as problem:
            self._show_problems(problem.by_field())
            return False
        except StaleVersionError as stale:
            self._show_conflict(stale)
            return False
        except Exception as problem:  # anything from below is said, never swallowed
            self.message.value = html.message("bad", f"<b>Not saved:</b> {html.one_line(problem)}")
            return False
        # Redraw first and confirm last, so "Saved" never shows beside stale figures.
        self.workbook.refresh(reload_open_action=True)
        summary = html.event_words(event) or "note added"
        self.message.value = html.message(
            "ok",
            f"<b>Saved {escape(event['action_id'])}</b> (version {event['version']}, "
            f"as of {html.day(event['as_of'])}): {summary}",
        )
        return True

    def reload_and_reapply(self) -> None:
        """Load the newest version and put the officer's unsaved changes back on it."""
        if self.action_id is None:
            return
        try:
            inputs = self._inputs()
        except FieldError as problem:
            self._show_problems({problem.field: problem.message})
            return
        self.load(self.action_id)
        self._loading = True
        try:
            for field in ("progress", "status", "due"):
                if field in inputs:
                    getattr(self, field).value = inputs[field]
        finally:
            self._loading = False
        if "status" in inputs and inputs["status"] == "complete":
            self.progress.value = 100
        self.reason.value = inputs["reason"]
        self.note.value = inputs["note"]
        self.as_of.text.value = inputs["as_of"]
        self._due_changed()
        assert self.loaded is not None
        self.message.value = html.message(
            "info",
            f"Reloaded version {self.loaded['version']} (last changed by "
            f"{escape(str(self.loaded['last_updated_by']))}) and applied your changes again. "
            "Check them, then click <b>Save update</b>.",
        )

    # -- helpers -------------------------------------------------------------

    def _check_past_due(self, due: date | None) -> None:
        """Refuse a new due date already in the past until the officer says it is meant."""
        if due is None or due >= self.workbook.today() or self.confirm_past.value:
            return
        self.past_row.layout.display = ""
        raise FieldError(
            "due",
            f"{in_words(due)} is already in the past: tick the box below if that is "
            "right, then Save again",
        )

    def _show_conflict(self, stale: StaleVersionError) -> None:
        """Say who changed the action, when, and what they changed, and offer to reapply."""
        events = [
            event
            for event in self.workbook.store.history(stale.action_id)
            if event["version"] > stale.expected
        ]
        self.reapply_button.layout.display = ""
        self.message.value = html.conflict(
            stale.action_id, stale.changed_by, stale.changed_at, stale.expected, events
        )

    def _show_problems(self, problems: dict[str, str]) -> None:
        general = []
        named = []
        for field, text in problems.items():
            if field in self.errors:
                self.errors[field].value = html.error(text)
                named.append(html.FIELD_WORDS.get(field, field.replace("_", " ")))
                if field == "reason":
                    self.reason_row.layout.display = ""
            elif field == "by":
                self.workbook.show_who_error(text)
                named.append("your name")
            else:
                general.append(f"{escape(field.replace('_', ' '))}: {escape(text)}")
        lead = "<b>Not saved.</b>"
        if named:
            lead += f" Please check: {escape(', '.join(named))} (marked in red)."
        self.message.value = html.message("bad", " ".join([lead, *general]))

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.value = ""

    def _field_changed(self, field: str) -> None:
        if not self._loading:
            self.errors[field].value = ""

    def _due_changed(self, _change: object = None) -> None:
        due = self.due.peek()
        moved = self.loaded is not None and due is not None and due != self.loaded["due"]
        self.reason_row.layout.display = "" if moved else "none"
        past = moved and due is not None and due < self.workbook.today()
        self.past_row.layout.display = "" if past else "none"
        if not past:
            self.confirm_past.value = False

    def _status_changed(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        if change["new"] == "complete":
            self.progress.value = 100
        elif (
            change["old"] == "complete"
            and self.loaded is not None
            and self.loaded["status"] != "complete"
        ):
            # Undoing a slip of the drop-down must not leave a stray 100%.
            self.progress.value = int(self.loaded["progress"])
