"""The "To verify" tab (SPEC section 8): a lead's completions to check and due dates to decide.

A lead or manager sees the completed actions awaiting verification that they
may verify (not ones they completed or own), each with its evidence count,
and verifies one (with a note) or rejects it (with a reason and a new due
date: it reopens). Under it, the officers' due-date requests waiting for a
decision, approved or refused with a reason. An officer or a viewer sees
neither list nor any button: only who does this. Every decision goes through
the store, so the CLI and the workbook refuse alike.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..errors import ActionPlanError
from ..store.due_requests import due_requests
from . import html
from .datebox import DateBox
from .host import Host

#: What an officer or viewer reads on the tab instead of the lists.
NOT_YOURS = (
    '<p class="ap-muted">Leads and managers verify completed actions (someone who neither '
    "completed nor owns them) and approve or refuse requests for new due dates. Your own "
    "requests and their answers show in each action's history.</p>"
)


class AssurancePanel:
    """Completions to verify and due-date requests to decide, for a lead or manager.

    Attributes a test may drive: `to_verify` (Dropdown of action ids),
    `note`, `reason`, `new_due` (DateBox), `verify_button`, `reject_button`;
    `requests` (Dropdown of request ids), `refuse_reason`, `approve_button`,
    `refuse_button`; `message`.
    """

    def __init__(self, workbook: Host) -> None:
        self.workbook = workbook
        self.may = workbook.person.may("lead")
        self.message = widgets.HTML()
        self.message.add_class("ap-assurance-message")
        if not self.may:
            self.widget = widgets.VBox([widgets.HTML(NOT_YOURS)])
            self.widget.add_class("ap-assurance")
            return
        self.verify_table = widgets.HTML()
        self.verify_table.add_class("ap-to-verify")
        self.to_verify = widgets.Dropdown(description="Action", options=[])
        self.to_verify.add_class("ap-verify-choice")
        self.note = widgets.Textarea(description="What you checked", rows=2)
        self.note.add_class("ap-verify-note")
        self.verify_button = widgets.Button(
            description="Verify", button_style="success", icon="check"
        )
        self.verify_button.add_class("ap-verify")
        self.verify_button.on_click(lambda _button: self.decide("verify"))
        self.reason = widgets.Textarea(description="Why it is rejected", rows=2)
        self.reason.add_class("ap-reject-reason")
        self.new_due = DateBox("due", "New due date")
        self.new_due.text.add_class("ap-reject-due")
        self.reject_button = widgets.Button(
            description="Reject", button_style="warning", icon="undo"
        )
        self.reject_button.add_class("ap-reject")
        self.reject_button.on_click(lambda _button: self.decide("reject"))
        self.requests_table = widgets.HTML()
        self.requests_table.add_class("ap-due-requests")
        self.requests = widgets.Dropdown(description="Request", options=[])
        self.requests.add_class("ap-request-choice")
        self.refuse_reason = widgets.Textarea(description="Why it is refused", rows=2)
        self.refuse_reason.add_class("ap-refuse-reason")
        self.approve_button = widgets.Button(
            description="Approve", button_style="success", icon="check"
        )
        self.approve_button.add_class("ap-approve")
        self.approve_button.on_click(lambda _button: self.answer("approve"))
        self.refuse_button = widgets.Button(description="Refuse", icon="times")
        self.refuse_button.add_class("ap-refuse")
        self.refuse_button.on_click(lambda _button: self.answer("refuse"))
        verify_form = widgets.VBox(
            [self.to_verify, self.note, self.verify_button, self.reason, self.new_due.widget,
             self.reject_button]
        )  # fmt: skip
        answer_form = widgets.VBox(
            [self.requests, self.approve_button, self.refuse_reason, self.refuse_button]
        )
        for form in (verify_form, answer_form):
            form.add_class("ap-stacked")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h2>To verify</h2>"),
                self.verify_table,
                verify_form,
                widgets.HTML("<h2>Due-date requests</h2>"),
                self.requests_table,
                answer_form,
                self.message,
            ]
        )
        self.widget.add_class("ap-panel")
        self.widget.add_class("ap-assurance")
        self.refresh()

    def mine_to_verify(self) -> list[dict[str, Any]]:
        """The completions awaiting verification that this person may verify, newest first."""
        person = self.workbook.person.acting.person
        found = self.workbook.store.awaiting_verification()[::-1]
        if person is None:
            return found
        return [
            item
            for item in found
            if (item["completed_by"] or "").casefold() != person.name.casefold()
            and not person.answers_for(item["owner"])
        ]

    def refresh(self) -> None:
        """Re-read what awaits verification and which requests wait."""
        if not self.may:
            return
        waiting = self.mine_to_verify()
        self.verify_table.value = verify_table(waiting)
        self.to_verify.options = [(f"{i['id']}: {i['title']}", i["id"]) for i in waiting]
        requests = due_requests(self.workbook.store, "pending")
        self.requests_table.value = requests_table(requests)
        self.requests.options = [
            (f"{r['id']}: {r['action_id']} to {html.day(r['due'])}", r["id"]) for r in requests
        ]
        for choice in (self.to_verify, self.requests):  # what the drop-down shows is chosen
            if choice.options and choice.value is None:
                choice.index = 0

    def decide(self, kind: str) -> None:
        """Verify or reject the chosen completion."""
        action_id = self.to_verify.value
        if action_id is None:
            return
        store, today = self.workbook.store, self.workbook.today()
        try:
            if kind == "verify":
                store.verify(action_id, note=self.note.value or None, today=today)
                done = f"Verified {html.text(action_id)}."
            else:
                store.reject(
                    action_id, reason=self.reason.value, due=self.new_due.peek(), today=today
                )
                done = f"Rejected the completion of {html.text(action_id)}: it is open again."
        except ActionPlanError as problem:
            self.message.value = html.message("bad", html.one_line(problem))
            return
        self.note.value = self.reason.value = ""
        self.new_due.value = None
        self.after(done)

    def answer(self, kind: str) -> None:
        """Approve or refuse the chosen due-date request."""
        request_id = self.requests.value
        if request_id is None:
            return
        store, today = self.workbook.store, self.workbook.today()
        try:
            if kind == "approve":
                store.approve_request(request_id, today=today)
            else:
                store.refuse_request(request_id, reason=self.refuse_reason.value, today=today)
        except ActionPlanError as problem:
            self.message.value = html.message("bad", html.one_line(problem))
            return
        self.refuse_reason.value = ""
        self.after(f"{'Approved' if kind == 'approve' else 'Refused'} request {request_id}.")

    def after(self, done: str) -> None:
        """Redraw the workbook (these lists with it) after a decision, and say what happened."""
        self.workbook.refresh(reload_open_action=True)
        self.message.value = html.message("ok", done)


def verify_table(items: list[dict[str, Any]]) -> str:
    """Completions awaiting verification: action, owner, completed (when, by), evidence."""
    if not items:
        return '<p class="ap-muted">Nothing is waiting for you to verify.</p>'
    rows = "".join(
        "<tr>"
        f"<td>{html.text(item['id'])}</td><td>{html.text(item['title'])}</td>"
        f"<td>{html.text(item['owner'])}</td><td>{html.day(item['completed_on'])}</td>"
        f"<td>{html.text(item['completed_by'])}</td><td>{item['evidence']}</td>"
        "</tr>"
        for item in items
    )
    return (
        '<table class="ap-table"><thead><tr><th>Action</th><th>Title</th><th>Owner</th>'
        "<th>Completed</th><th>By</th><th>Evidence items</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def requests_table(requests: list[dict[str, Any]]) -> str:
    """Due-date requests waiting: who asked, for which action, from and to when, and why."""
    if not requests:
        return '<p class="ap-muted">No due-date request is waiting.</p>'
    rows = "".join(
        "<tr>"
        f"<td>{html.text(r['id'])}</td><td>{html.text(r['action_id'])}</td>"
        f"<td>{html.text(r['requested_by'])}</td><td>{html.day(r['requested_on'])}</td>"
        f"<td>{html.day(r['current_due'])}</td><td>{html.day(r['due'])}</td>"
        f"<td>{html.text(r['reason'])}</td>"
        "</tr>"
        for r in requests
    )
    return (
        '<table class="ap-table"><thead><tr><th>Request</th><th>Action</th><th>Asked by</th>'
        "<th>Asked on</th><th>Due now</th><th>Asked for</th><th>Reason</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
