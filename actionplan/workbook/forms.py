"""The workbook's "record new work" forms: sources, recommendations, actions, complaints, compliments.

Each form gathers what the officer typed into a record dict with the SPEC's
field names and hands it to the same `Store.add_*` method an import uses, so a
value is accepted or refused exactly as in a CSV file, with the same message;
here the message appears under the field instead of naming a row and column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets

from ..dates import in_words
from ..errors import ValidationError
from ..vocab import QUALITY_STATEMENTS_BY_THEME, options, word
from . import html
from .datebox import DateBox
from .host import Host
from .picker import ManyPicker, SearchPicker

Options = list[tuple[str, str]]


def quality_statement_options() -> Options:
    """The CQC quality statements, each labelled with its theme."""
    return [
        (f"{theme}: {statement}", statement)
        for theme, statements in QUALITY_STATEMENTS_BY_THEME.items()
        for statement in statements
    ]


def next_id(ids: Iterable[str]) -> str:
    """A suggestion for the next free id, following the commonest `PREFIX<number>` pattern.

    Officers number records by hand (`A-041`, `A-042`); suggesting the next one
    saves a look-up and a duplicate-id error.
    """
    numbered = [match for match in (re.fullmatch(r"(.*?)(\d+)", i) for i in ids) if match]
    if not numbered:
        return ""
    prefix = Counter(match.group(1) for match in numbered).most_common(1)[0][0]
    same = [match.group(2) for match in numbered if match.group(1) == prefix]
    widest = max(len(digits) for digits in same)
    return f"{prefix}{max(int(digits) for digits in same) + 1:0{widest}d}"


@dataclass(frozen=True)
class FormField:
    """One input of a form: the record field it fills, its label and its widget kind.

    `kind` is `text`, `textarea`, `date` (typed, read by `datebox`), `choice`
    (a drop-down), `search` (one id from a long list, `picker.SearchPicker`),
    `many` (several ids, joined with `;`, `picker.ManyPicker`) or `number`. `options` gives a choice's values, or a
    function of the workbook for values that come from the database.
    """

    name: str
    label: str
    kind: str = "text"
    options: Options | Callable[[Host], Options] | None = None
    default: Any = None
    required: bool = False
    placeholder: str = ""


def _source_options(workbook: Host) -> Options:
    frame = workbook.store.table("sources").sort_values("id")
    return [(f"{row.id}: {row.title}"[:90], row.id) for row in frame.itertuples()]


def _recommendation_options(workbook: Host) -> Options:
    frame = workbook.store.table("recommendations").sort_values("id")
    return [(f"{row.id}: {row.text}"[:90], row.id) for row in frame.itertuples()]


def _action_options(workbook: Host) -> Options:
    frame = workbook.store.current_actions().sort_values("id")
    return [(f"{row.id}: {row.title}"[:90], row.id) for row in frame.itertuples()]


def _complaint_options(workbook: Host) -> Options:
    frame = workbook.store.table("complaints").sort_values("id")
    return [
        (
            f"{row.id}: {word(row.stage, 'stage')}, received {in_words(row.received_on)}"
            + (f", {row.theme}" if isinstance(row.theme, str) and row.theme else ""),
            row.id,
        )
        for row in frame.itertuples()
    ]


#: What each form asks for, in the order it asks (SPEC section 2's fields).
FORMS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "source": (
        "Where recommendations come from: a peer challenge, a CQC assessment, an "
        "Ombudsman decision, an audit...",
        (
            FormField("id", "Source id", required=True),
            FormField("kind", "Kind", "choice", options("kind"), required=True),
            FormField("title", "Title", required=True),
            FormField("reference", "Reference"),
            FormField("received_on", "Received on", "date"),
        ),
    ),
    "recommendation": (
        "One recommendation from a source; actions hang under it.",
        (
            FormField("id", "Recommendation id", required=True),
            FormField("source_id", "Source", "choice", _source_options, required=True),
            FormField("text", "Recommendation", "textarea", required=True),
            FormField("theme", "Theme"),
            FormField(
                "quality_statement", "CQC quality statement", "choice", quality_statement_options()
            ),  # fmt: skip
            FormField("priority", "Priority", "choice", options("priority")),
        ),
    ),
    "action": (
        "A new action under a recommendation. Its first history entry records who created it.",
        (
            FormField("id", "Action id", required=True),
            FormField(
                "recommendation_id",
                "Recommendation",
                "choice",
                _recommendation_options,
                required=True,
            ),  # fmt: skip
            FormField("title", "Title", required=True),
            FormField("owner", "Owner", required=True, placeholder="a role, e.g. Head of Service"),
            FormField("due", "Due date", "date", required=True),
            FormField("description", "Description", "textarea"),
            FormField("team", "Team"),
            FormField("start_on", "Start date", "date"),
            FormField("status", "Status", "choice", options("status"), "not_started"),
            FormField("progress", "Progress %", "number", default=0),
            FormField("created_on", "Created on", "date", placeholder="today"),
            FormField("success_measure", "Success measure", "textarea"),
            FormField("evidence", "Evidence"),
        ),
    ),
    "complaint": (
        "One stage of a complaint. Record what was learned, never who complained. A blank "
        "response due date is worked out from the procedure's time limits, in working days.",
        (
            FormField("id", "Complaint id", required=True),
            FormField("stage", "Stage", "choice", options("stage"), required=True),
            FormField("received_on", "Received on", "date", required=True),
            FormField("theme", "Theme", placeholder="e.g. Financial assessment"),
            FormField("procedure", "Procedure", "choice", options("procedure"), "statutory"),
            FormField("acknowledged_on", "Acknowledged on", "date"),
            FormField(
                "response_due", "Response due", "date", placeholder="worked out from the procedure"
            ),
            FormField("extended_to", "Extended to", "date"),
            FormField("extension_reason", "Reason for the extension"),
            FormField("responded_on", "Responded on", "date"),
            FormField("outcome", "Outcome", "choice", options("outcome"), "pending"),
            FormField("decided_on", "Decided on", "date"),
            FormField("remedy_due", "Remedy due", "date"),
            FormField("remedy_done_on", "Remedy done on", "date"),
            FormField("escalated_from", "Escalated from", "search", _complaint_options),
            FormField("lgsco_reference", "LGSCO reference", placeholder="e.g. 24 015 889"),
            FormField("lgsco_decision", "LGSCO decision", "choice", options("lgsco_decision")),
            FormField(
                "remedied_before_ombudsman",
                "Remedied before the Ombudsman",
                "choice",
                options("yes_no"),
            ),
            FormField("learning", "Learning", "textarea"),
            FormField("action_ids", "Actions it gave rise to", "many", _action_options),
        ),
    ),
    "compliment": (
        "A compliment received by a team; counted in the quarter it arrived.",
        (
            FormField("id", "Compliment id", required=True),
            FormField("received_on", "Received on", "date", required=True),
            FormField("team", "Team"),
            FormField("summary", "Summary", "textarea"),
        ),
    ),
}

#: The table each form's ids live in, for suggesting the next free one.
_TABLES = {
    "source": "sources",
    "recommendation": "recommendations",
    "action": "actions",
    "complaint": "complaints",
    "compliment": "compliments",
}


class _Input:
    """One field's input on screen: the thing holding `value`, the widget shown, its error."""

    def __init__(self, spec: FormField, kind: str) -> None:
        label = spec.label + (" (required)" if spec.required else "")
        self.spec = spec
        self.error = widgets.HTML()
        self.error.add_class(f"ap-error-{kind}-{spec.name}")
        if spec.kind == "date":
            box = DateBox(spec.name, label, blank_means=spec.placeholder)
            box.text.add_class(f"ap-{kind}-{spec.name}")
            box.error.add_class(f"ap-error-{kind}-{spec.name}")
            self.field: Any = box
            self.error = box.error
            self.widget: widgets.Widget = box.widget
            return
        if spec.kind in ("search", "many"):
            picker = SearchPicker(label) if spec.kind == "search" else ManyPicker(label)
            picker.add_class(f"ap-{kind}-{spec.name}")
            self.field = picker
            self.widget = widgets.VBox([picker.widget, self.error])
            return
        common: dict[str, Any] = {"description": label}
        wide = widgets.Layout(width="100%", max_width="560px")
        if spec.kind == "choice":
            widget: widgets.Widget = widgets.Dropdown(options=[], layout=wide, **common)
        elif spec.kind == "number":
            widget = widgets.BoundedIntText(value=0, min=0, max=100, **common)
        elif spec.kind == "textarea":
            widget = widgets.Textarea(placeholder=spec.placeholder, layout=wide, **common)
        else:
            widget = widgets.Text(placeholder=spec.placeholder, layout=wide, **common)
        widget.add_class(f"ap-{kind}-{spec.name}")
        self.field = widget
        self.widget = widgets.VBox([widget, self.error])
        # A message about a value the officer has since changed is a false alarm.
        widget.observe(lambda _change: setattr(self.error, "value", ""), "value")

    def typed(self) -> Any:
        """What the store is given: dates as typed, several ids joined with `;`."""
        if self.spec.kind == "date":
            return self.field.text.value
        if self.spec.kind == "many":
            return ";".join(self.field.value)
        return self.field.value


class RecordForm:
    """A form for one kind of record, with an error label under every field.

    Attributes a test may drive: `fields` (name -> the widget or picker holding
    `value`), `errors` (name -> HTML), `save_button`, `message`.
    """

    def __init__(self, workbook: Host, kind: str) -> None:
        self.workbook = workbook
        self.kind = kind
        intro, specs = FORMS[kind]
        self.specs = {spec.name: spec for spec in specs}
        self.inputs = {spec.name: _Input(spec, kind) for spec in specs}
        self.fields: dict[str, Any] = {name: got.field for name, got in self.inputs.items()}
        self.errors: dict[str, widgets.HTML] = {
            name: got.error for name, got in self.inputs.items()
        }
        self.save_button = widgets.Button(
            description=f"Add {kind}", button_style="primary", icon="plus"
        )
        self.save_button.add_class(f"ap-{kind}-save")
        self.save_button.on_click(lambda _button: self.save())
        self.message = widgets.HTML()
        self.message.add_class(f"ap-{kind}-message")
        self.widget = widgets.VBox(
            [
                widgets.HTML(f'<p class="ap-muted">{escape(intro)}</p>'),
                *(got.widget for got in self.inputs.values()),
                self.save_button,
                self.message,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class(f"ap-form-{kind}")
        self.widget.add_class("ap-stacked")

    def refresh_choices(self) -> None:
        """Re-read the choices that come from the database, keeping valid selections."""
        for name, spec in self.specs.items():
            if spec.kind not in ("choice", "search", "many") or spec.options is None:
                continue
            choices = spec.options(self.workbook) if callable(spec.options) else spec.options
            field = self.fields[name]
            kept = field.value
            if spec.kind != "choice":
                field.options = choices
                field.value = kept
                continue
            if spec.default is None:
                # No silent first choice: an officer who forgets to pick is told so.
                choices = [("(choose)" if spec.required else "(none)", ""), *choices]
            field.options = choices
            values = [value for _label, value in choices]
            if kept in values:
                field.value = kept
            elif spec.default in values:
                field.value = spec.default
            else:
                field.value = values[0] if values else None
        ids = self.workbook.store.table(_TABLES[self.kind])["id"]
        suggestion = next_id(str(value) for value in ids)
        self.fields["id"].placeholder = f"next free: {suggestion}" if suggestion else "e.g. X-1"

    def record(self) -> dict[str, Any]:
        """What the officer typed, as a record with the SPEC's field names."""
        return {name: got.typed() for name, got in self.inputs.items()}

    def save(self) -> bool:
        """Validate and add the record; True when it was added, with nothing written otherwise."""
        for label in self.errors.values():
            label.value = ""
        self.message.value = ""
        self.workbook.clear_who_error()
        record = self.record()
        try:
            if self.kind == "action":
                added = self.workbook.store.add_action(
                    record, by=self.workbook.who.value, today=self.workbook.today()
                )
            else:
                added = getattr(self.workbook.store, f"add_{self.kind}")(record)
        except ValidationError as problem:
            general = []
            for field, text in problem.by_field().items():
                if field in self.errors:
                    self.errors[field].value = html.error(text)
                elif field == "by":
                    self.workbook.show_who_error(text)
                else:
                    general.append(f"{escape(field)}: {escape(text)}")
            self.message.value = html.message(
                "bad",
                " ".join(["<b>Not added.</b> Please correct the fields marked in red.", *general]),
            )
            return False
        except Exception as problem:  # anything from below is said, never swallowed
            self.message.value = html.message("bad", f"<b>Not added:</b> {html.one_line(problem)}")
            return False
        self.clear()
        self.workbook.refresh()
        self.message.value = html.message(
            "ok", f"<b>Added {escape(self.kind)} {escape(str(added['id']))}.</b>"
        )
        return True

    def clear(self) -> None:
        """Empty the form for the next record (choices go back to their defaults)."""
        for name, spec in self.specs.items():
            field = self.fields[name]
            if spec.kind == "many":
                field.value = ()
            elif spec.kind == "choice":
                values = [value for _label, value in field.options]
                if spec.default in values:
                    field.value = spec.default
                elif values:
                    field.value = values[0]
            elif spec.kind == "date":
                field.value = None
            elif spec.kind == "number":
                field.value = spec.default or 0
            else:
                field.value = ""


class RecordForms:
    """The five forms, one tab each."""

    def __init__(self, workbook: Host) -> None:
        self.forms = {kind: RecordForm(workbook, kind) for kind in FORMS}
        self.widget = widgets.Tab(
            children=[form.widget for form in self.forms.values()],
            titles=[kind.capitalize() for kind in self.forms],
        )
        self.widget.add_class("ap-forms")

    def __getitem__(self, kind: str) -> RecordForm:
        return self.forms[kind]

    def refresh_choices(self) -> None:
        """Bring every form's drop-downs up to date with the database."""
        for form in self.forms.values():
            form.refresh_choices()
