"""The update panel's evidence box (SPEC section 8): what shows an action worked, and adding to it.

An officer lists the open action's evidence and adds an item: a description,
a link or document reference, and optionally a file (the upload widget; at
most 20 MB, kept in the plan with its SHA-256). Once people are registered an
action needs evidence before it can be saved as complete, so the box sits
right under the update controls. Every add goes through
`store.evidence.add_evidence`, so the CLI and the workbook refuse alike.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..errors import ActionPlanError
from ..store.evidence import add_evidence, list_evidence, megabytes
from . import html
from .host import Host


class EvidenceBox:
    """An action's evidence and a form to add an item.

    Attributes a test may drive: `description`, `link` (Text), `upload`
    (FileUpload: set `.value` to `[{"name": ..., "content": bytes}]`),
    `add_button`, `listing` and `message` (HTML).
    """

    def __init__(self, workbook: Host) -> None:
        self.workbook = workbook
        self.action_id: str | None = None
        self.listing = widgets.HTML()
        self.listing.add_class("ap-evidence-list")
        self.description = widgets.Text(
            description="What it shows", placeholder="e.g. Audit of 20 cases, June"
        )
        self.description.add_class("ap-evidence-description")
        self.link = widgets.Text(
            description="Link or reference", placeholder="A web address or a document reference"
        )
        self.link.add_class("ap-evidence-link")
        self.upload = widgets.FileUpload(description="Attach a file", multiple=False)
        self.upload.add_class("ap-evidence-file")
        self.add_button = widgets.Button(description="Add evidence", icon="paperclip")
        self.add_button.add_class("ap-evidence-add")
        self.add_button.on_click(lambda _button: self.add())
        self.message = widgets.HTML()
        self.message.add_class("ap-evidence-message")
        self.form = widgets.VBox(
            [self.description, self.link, self.upload, self.add_button, self.message]
        )
        self.form.add_class("ap-stacked")
        self.widget = widgets.VBox(
            [widgets.HTML("<h2>Evidence</h2>"), self.listing, self.form],
            layout=widgets.Layout(display="none"),
        )
        self.widget.add_class("ap-evidence")

    def load(self, action_id: str | None) -> None:
        """Show an action's evidence (and the form, to those who may add to it)."""
        self.action_id = action_id
        self.message.value = ""
        if action_id is None:
            self.widget.layout.display = "none"
            return
        self.widget.layout.display = ""
        self.listing.value = evidence_list(list_evidence(self.workbook.store, action_id))
        self.form.layout.display = "" if self.workbook.person.may("officer") else "none"

    def add(self) -> None:
        """Add the typed item (and the chosen file) to the open action."""
        if self.action_id is None:
            return
        content = filename = None
        if self.upload.value:
            chosen = self.upload.value[0]
            content, filename = bytes(chosen["content"]), str(chosen["name"])
        try:
            item = add_evidence(
                self.workbook.store,
                self.action_id,
                self.description.value,
                link=self.link.value,
                content=content,
                filename=filename,
                by=self.workbook.who.value,
                today=self.workbook.today(),
            )
        except ActionPlanError as problem:
            self.message.value = html.message("bad", html.one_line(problem))
            return
        self.description.value = self.link.value = ""
        self.upload.value = ()
        self.load(self.action_id)
        self.message.value = html.message(
            "ok", f"Added evidence {html.text(item['id'])}: {html.text(item['description'])}"
        )


def evidence_list(items: list[dict[str, Any]]) -> str:
    """An action's evidence items as a short list (withdrawn ones struck through, with why)."""
    if not items:
        return '<p class="ap-muted">No evidence yet.</p>'
    lines = []
    for item in items:
        parts = [f"<b>{html.text(item['description'])}</b>"]
        if item["link"]:
            parts.append(html.text(item["link"]))
        if item["filename"]:
            parts.append(f"file {html.text(item['filename'])} ({megabytes(item['size'])})")
        parts.append(f"added by {html.text(item['added_by'])}, {html.day(item['added_on'])}")
        line = "; ".join(parts)
        if item["withdrawn"]:
            line = (
                f'<del>{line}</del> <span class="ap-muted">withdrawn: '
                f"{html.text(item['withdrawn_reason'])}</span>"
            )
        lines.append(f"<li>{line}</li>")
    return f'<ul class="ap-evidence-items">{"".join(lines)}</ul>'
