"""Searchable pickers for long lists: one record (escalated from) or several (linked actions).

A drop-down of 263 complaints, or a list of 56 actions where choosing several
needs Ctrl-click, is a test of patience and of dexterity. Here the officer
types part of an id or a title, picks from the suggestions, and (for several)
sees each choice as a button that removes it. Both keep the `value` and
`options` a form reads: the stored id (or a tuple of ids) and `(words, id)` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as widgets

Options = list[tuple[str, str]]


def _combobox(label: str, placeholder: str) -> widgets.Combobox:
    return widgets.Combobox(
        description=label,
        placeholder=placeholder,
        ensure_option=False,
        continuous_update=False,
        layout=widgets.Layout(width="100%", max_width="560px"),
    )


class _Searchable:
    """What both pickers share: the options, and reading what was typed as an id."""

    def __init__(self, label: str, placeholder: str) -> None:
        self.box = _combobox(label, placeholder)
        self._options: Options = []
        self._ids_by_words: dict[str, str] = {}

    @property
    def options(self) -> Options:
        """The `(words, id)` pairs offered."""
        return list(self._options)

    @options.setter
    def options(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._options = [(words, value) for words, value in pairs if value]
        self._ids_by_words = {words: value for words, value in self._options}
        self.box.options = tuple(words for words, _value in self._options)

    def read(self, typed: str) -> str:
        """The id a typed text stands for: a suggestion's words or an id itself; else ""."""
        text = typed.strip()
        if not text:
            return ""
        if text in self._ids_by_words:
            return self._ids_by_words[text]
        by_id = {value.lower(): value for _words, value in self._options}
        return by_id.get(text.lower(), "")


class SearchPicker(_Searchable):
    """Choose at most one record by typing part of its id or words.

    `value` is the chosen id, or "" when the box is empty. Text that matches
    no record is kept as typed, so the store refuses it with the same message
    as an import (`escalated_from: there is no complaint 'C-999'`).
    """

    def __init__(self, label: str, placeholder: str = "type to search") -> None:
        super().__init__(label, placeholder)
        self.widget = self.box

    @property
    def value(self) -> str:
        """The chosen id ("" for none); unknown text is returned as typed."""
        return self.read(self.box.value) or self.box.value.strip()

    @value.setter
    def value(self, record_id: str | None) -> None:
        words = {value: words for words, value in self._options}
        self.box.value = words.get(record_id or "", record_id or "")

    def add_class(self, name: str) -> None:
        """Tag the picker for styling and browser tests."""
        self.box.add_class(name)


class ManyPicker(_Searchable):
    """Choose several records: search, pick a suggestion, and it joins the chosen list.

    Each chosen record is a button ("Remove A-001") that takes it off the
    list again. `value` is the tuple of chosen ids, in the order chosen.
    """

    def __init__(self, label: str, placeholder: str = "type to search, then pick") -> None:
        super().__init__(label, placeholder)
        self._chosen: list[str] = []
        self.chosen_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.chosen_box.add_class("ap-chosen")
        self.note = widgets.HTML('<span class="ap-muted">None chosen yet.</span>')
        self.widget = widgets.VBox([self.box, self.chosen_box, self.note])
        self.box.observe(self._picked, "value")

    @property
    def value(self) -> tuple[str, ...]:
        """The chosen ids."""
        return tuple(self._chosen)

    @value.setter
    def value(self, ids: Sequence[str]) -> None:
        self._chosen = list(dict.fromkeys(record_id for record_id in ids if record_id))
        self._draw()

    def add_class(self, name: str) -> None:
        """Tag the picker's search box for styling and browser tests."""
        self.box.add_class(name)

    def _picked(self, change: dict) -> None:
        record_id = self.read(change["new"] or "")
        if record_id and record_id not in self._chosen:
            self._chosen.append(record_id)
            self._draw()
        if record_id:
            self.box.value = ""

    def _remove(self, record_id: str) -> None:
        self._chosen = [chosen for chosen in self._chosen if chosen != record_id]
        self._draw()

    def _draw(self) -> None:
        old = list(self.chosen_box.children)
        buttons = []
        for record_id in self._chosen:
            button = widgets.Button(
                description=f"Remove {record_id}",
                icon="times",
                tooltip=f"Take {record_id} off the list",
                layout=widgets.Layout(width="auto"),
            )
            button.add_class("ap-chosen-item")
            button.on_click(lambda _button, record_id=record_id: self._remove(record_id))
            buttons.append(button)
        self.chosen_box.children = buttons
        for widget in old:
            widget.close()
        count = len(self._chosen)
        self.note.value = (
            '<span class="ap-muted">None chosen yet.</span>'
            if not count
            else f'<span class="ap-muted">{count} chosen; click one to remove it.</span>'
        )
