"""A date typed as text, the way officers write it, and shown back in words.

The browser's own date picker follows the operating system's language (a
machine set to US English shows mm/dd/yyyy) and lets a slip of the keyboard
turn 2027 into 32027 with no word said. Here a date is plain text, read by
`actionplan.dates.parse_date` (UK `31/03/2027` or ISO `2027-03-31`, never US,
within the plan's date range), and shown back beside the box as every page
writes it (`31 Mar 2027`), so the officer sees what will be saved before
saving. What cannot be read is said at the box as soon as the officer leaves
it, in the same words a CSV import would use.
"""

from __future__ import annotations

from datetime import date
from html import escape

import ipywidgets as widgets

from ..dates import in_words, parse_date
from ..errors import FieldError
from . import html

#: What an empty box shows, so the expected form is never a guess.
PLACEHOLDER = "dd/mm/yyyy"


class DateBox:
    """A labelled text box for one date, its reading in words, and its error.

    Args:
        field: the record field the date fills (named in errors).
        label: the words beside the box.
        blank_means: what an empty box stands for, said beside it (e.g. "today").

    `widget` holds the three; `value` is the date (None when blank) and raises
    `FieldError` when the text is not a date the plan accepts.
    """

    def __init__(self, field: str, label: str, blank_means: str = "") -> None:
        self.field = field
        self.blank_means = blank_means
        self.text = widgets.Text(
            description=label,
            placeholder=PLACEHOLDER,
            continuous_update=False,
        )
        self.text.add_class("ap-date")
        self.words = widgets.HTML()
        self.words.add_class("ap-date-words")
        self.error = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.text, self.words],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.error,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.text.observe(self._typed, "value")
        self._typed()

    @property
    def value(self) -> date | None:
        """The date typed, None when blank.

        Raises:
            FieldError: the text is not a UK or ISO date in the plan's range.
        """
        return parse_date(self.text.value, self.field)

    @value.setter
    def value(self, day: date | None) -> None:
        self.text.value = day.strftime("%d/%m/%Y") if day else ""

    def peek(self) -> date | None:
        """The date typed, or None when blank or not yet a date (never raises)."""
        try:
            return self.value
        except FieldError:
            return None

    def show_error(self, message: str) -> None:
        """Say at the box what is wrong with it."""
        self.error.value = html.error(message)

    def clear_error(self) -> None:
        """Remove the message at the box."""
        self.error.value = ""

    def _typed(self, _change: object = None) -> None:
        # A stale message is worse than none: every change re-reads the box.
        self.clear_error()
        try:
            day = self.value
        except FieldError as problem:
            self.words.value = ""
            self.show_error(problem.message)
            return
        if day is None:
            hint = f"blank means {self.blank_means}" if self.blank_means else ""
            self.words.value = f'<span class="ap-muted">{escape(hint)}</span>' if hint else ""
        else:
            self.words.value = f'<span class="ap-date-read">{in_words(day)}</span>'
