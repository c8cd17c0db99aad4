"""What a panel of the workbook may ask of the workbook that holds it.

The find panel, the update panel and the forms are built by `app.Workbook`
and call back into it (to save as the person named, to redraw after a save).
They see it only through this protocol, so no panel imports the app and the
app can be replaced in a test by anything with these members.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

import ipywidgets as widgets

from ..store import Store
from .person import Person


class Host(Protocol):
    """The workbook as its panels see it."""

    store: Store
    who: widgets.Text
    person: Person

    def today(self) -> date:
        """The day updates default to and the RAG is judged at."""
        ...

    def refresh(self, reload_open_action: bool = False) -> None:
        """Re-read the plan and redraw everything."""
        ...

    def show_list(self) -> None:
        """Apply the filters and redraw the list (no database read)."""
        ...

    def select(self, action_id: str) -> None:
        """Open an action in the update panel."""
        ...

    def describe_action(self, action: dict[str, Any]) -> str:
        """The update panel's heading for an action (escaped HTML)."""
        ...

    def show_who_error(self, message: str) -> None:
        """Show a problem with the person's name beside it."""
        ...

    def clear_who_error(self) -> None:
        """Remove the problem shown beside the person's name."""
        ...
