"""The `actionplan` command line: a thin layer over the package.

`app` holds the group and what every command shares; the commands live by
what they work on: `plan` (creating and updating actions, listing them and
their history), `figures` (summaries), `transfer` (import, export, backup,
migrate), `reports` and `workbook` (serving the officers' workbook).
"""

from __future__ import annotations

from . import figures, plan, reports, transfer, workbook
from .app import cli, main

__all__ = ["cli", "figures", "main", "plan", "reports", "transfer", "workbook"]
