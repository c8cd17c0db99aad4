"""The workbook's update panel: change one action's progress, status, due date or note.

The panel remembers the version of the action it loaded and sends it with every
save, so a save based on a stale copy is refused by the store (SPEC section 4)
rather than overwriting someone else's work. When that happens the officer's
typing stays on screen; "Reload and reapply" loads the new version and puts
the officer's changes back on top of it, so a second Save succeeds without
retyping. Only the fields the officer changed are re-applied: fields they left
alone take the other person's new values.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from ..errors import ActionPlanError, StaleVersionError, ValidationError
from ..vocab import options
from . import html
from .host import Host

#: How many history entries the panel shows.
HISTORY_SHOWN = 5

_LABEL_STYLE = {"description_width": "120px"}
_WIDE = widgets.Layout(width="98%")


class UpdatePanel:
    """Controls to record an update to the selected action.

    Attributes a test or a notebook may drive: `progress`, `status`, `due`,
    `reason`, `note`, `as_of` (widgets), `save_button`, `reapply_button`,
    `errors` (field -> HTML label), `message`, `history`.
    """

    def __init__(self, workbook: Host) -> None:
        self.workbook = workbook
        self.action_id: str | None = None
        self.loaded: dict[str, Any] | None = None
        self._loading = False

        self.heading = widgets.HTML('<p class="ap-muted">Choose an action from the list.</p>')
        self.heading.add_class("ap-action-heading")
        self.progress = widgets.IntSlider(
            value=0,
            min=0,
            max=100,
            step=1,
            description="Progress %",
            continuous_update=False,
            readout=False,
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="70%"),
        )
        self.progress.add_class("ap-progress")
        self.progress_number = widgets.BoundedIntText(
            value=0, min=0, max=100, layout=widgets.Layout(width="80px")
        )
        self.progress_number.add_class("ap-progress-number")
        widgets.link((self.progress, "value"), (self.progress_number, "value"))
        self.status = widgets.Dropdown(
            options=options("status"),
            description="Status",
            style=_LABEL_STYLE,
        )
        self.status.add_class("ap-status")
        self.due = widgets.DatePicker(description="Due date", style=_LABEL_STYLE)
        self.due.add_class("ap-due")
        self.reason = widgets.Textarea(
            description="Reason for new date",
            placeholder="Required when the due date changes: why has it moved?",
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="98%", height="52px"),
        )
        self.reason.add_class("ap-reason")
        self.note = widgets.Textarea(
            description="Note",
            placeholder="What has happened since the last update?",
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="98%", height="64px"),
        )
        self.note.add_class("ap-note")
        self.as_of = widgets.DatePicker(
            description="Update as of", value=workbook.today(), style=_LABEL_STYLE
        )
        self.as_of.add_class("ap-as-of")

        self.errors: dict[str, widgets.HTML] = {
            field: widgets.HTML() for field in ("progress", "status", "due", "reason", "note")
        }
        self.errors["as_of"] = widgets.HTML()
        for field, label in self.errors.items():
            label.add_class(f"ap-error-{field}")
            label.add_class("ap-indent-update")

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
        self.due.observe(self._due_changed, "value")
        self.status.observe(self._status_changed, "value")

        self.controls = widgets.VBox(
            [
                widgets.HBox([self.progress, self.progress_number]),
                self.errors["progress"],
                self.status,
                self.errors["status"],
                self.due,
                self.errors["due"],
                self.reason_row,
                self.note,
                self.errors["note"],
                self.as_of,
                self.errors["as_of"],
                widgets.HBox([self.save_button, self.reapply_button]),
                self.message,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h3>Update the action</h3>"),
                self.heading,
                self.controls,
                widgets.HTML("<h3>Recent history</h3>"),
                self.history,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("ap-panel")
        self.widget.add_class("ap-update-panel")

    # -- loading -------------------------------------------------------------

    def load(self, action_id: str, keep_message: bool = False) -> None:
        """Show an action's current values, ready to be changed."""
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
            self.as_of.value = self.workbook.today()
        finally:
            self._loading = False
        self.reason_row.layout.display = "none"
        self.reapply_button.layout.display = "none"
        self._clear_errors()
        if not keep_message:
            self.message.value = ""
        self.heading.value = self.workbook.describe_action(action)
        events = store.history(action_id)
        self.history.value = html.history_table(reversed(events[-HISTORY_SHOWN:]))
        self.controls.layout.display = ""
        self.save_button.disabled = False

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
        """The controlled fields whose value differs from the version loaded."""
        if self.loaded is None:
            return {}
        changed: dict[str, Any] = {}
        if self.progress.value != self.loaded["progress"]:
            changed["progress"] = self.progress.value
        if self.status.value != self.loaded["status"]:
            changed["status"] = self.status.value
        if self.due.value is not None and self.due.value != self.loaded["due"]:
            changed["due"] = self.due.value
        return changed

    def has_unsaved(self) -> bool:
        """True when the officer has changed or typed something not yet saved."""
        return bool(self.changed_fields() or self.note.value.strip() or self.reason.value.strip())

    def update_values(self) -> dict[str, Any]:
        """The update record this save sends: unchanged fields are left blank."""
        changed = self.changed_fields()
        values: dict[str, Any] = {
            "action_id": self.action_id,
            "by": self.workbook.who.value,
            "as_of": self.as_of.value,
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
            "as_of": self.as_of.value,
        }

    # -- saving --------------------------------------------------------------

    def save(self) -> bool:
        """Validate and record the update; True when it was saved.

        Nothing is written unless every field is right; each problem is shown
        under its field.
        """
        if self.action_id is None or self.loaded is None:
            return False
        self._clear_errors()
        self.workbook.clear_who_error()
        try:
            event = self.workbook.store.record_update(
                self.update_values(),
                expected_version=self.loaded["version"],
                today=self.workbook.today(),
            )
        except ValidationError as problem:
            self._show_problems(problem.by_field())
            return False
        except StaleVersionError as stale:
            self.reapply_button.layout.display = ""
            self.message.value = html.message(
                "bad",
                f"<b>Not saved: {escape(stale.changed_by)} changed action "
                f"{escape(stale.action_id)} at {escape(stale.changed_at)}</b> (it is now version "
                f"{stale.current}; you started from version {stale.expected}). Your changes are "
                "still on screen. Click <b>Reload and reapply</b> to load their version with "
                "your changes on top, check it, then Save again.",
            )
            return False
        except ActionPlanError as problem:
            self.message.value = html.message("bad", f"<b>Not saved:</b> {escape(str(problem))}")
            return False
        # Redraw first and confirm last, so "Saved" never shows beside stale figures.
        self.workbook.refresh(reload_open_action=True)
        summary = html.describe_changes(event["changes"]) or "note added"
        self.message.value = html.message(
            "ok",
            f"<b>Saved {escape(event['action_id'])}</b> (version {event['version']}, "
            f"as of {escape(event['as_of'])}): {summary}",
        )
        return True

    def reload_and_reapply(self) -> None:
        """Load the newest version and put the officer's unsaved changes back on it."""
        if self.action_id is None:
            return
        inputs = self._inputs()
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
        self.as_of.value = inputs["as_of"]
        self._due_changed()
        assert self.loaded is not None
        self.message.value = html.message(
            "info",
            f"Reloaded version {self.loaded['version']} (last changed by "
            f"{escape(str(self.loaded['last_updated_by']))}) and applied your changes again. "
            "Check them, then click <b>Save update</b>.",
        )

    # -- helpers -------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        general = []
        for field, text in problems.items():
            if field in self.errors:
                self.errors[field].value = html.error(text)
                if field == "reason":
                    self.reason_row.layout.display = ""
            elif field == "by":
                self.workbook.show_who_error(text)
            else:
                general.append(f"{escape(field.replace('_', ' '))}: {escape(text)}")
        lead = "<b>Not saved.</b> Please correct the fields marked in red."
        self.message.value = html.message("bad", " ".join([lead, *general]))

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.value = ""

    def _due_changed(self, _change: object = None) -> None:
        moved = (
            self.loaded is not None
            and self.due.value is not None
            and self.due.value != self.loaded["due"]
        )
        self.reason_row.layout.display = "" if moved else "none"

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
