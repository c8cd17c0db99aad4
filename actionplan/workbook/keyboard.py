"""Where the keyboard goes: moving the focus to a widget once the browser shows it."""

from __future__ import annotations

import asyncio

import ipywidgets as widgets


def focus_soon(widget: widgets.DOMWidget, delay: float = 0.3) -> None:
    """Move the keyboard to `widget` once the browser has shown it.

    The browser applies the panel's "now visible" state after handling a
    focus request sent at the same moment, and a hidden box cannot take the
    focus; inside a kernel the request is therefore sent a moment later.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no kernel (tests, scripts): nothing is displayed anyway
        widget.focus()
        return
    loop.call_later(delay, widget.focus)
