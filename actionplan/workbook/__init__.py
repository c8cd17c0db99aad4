"""The officers' workbook: an ipywidgets app over the plan (see `app.Workbook`)."""

from __future__ import annotations

from .app import Workbook

__all__ = ["Workbook"]
