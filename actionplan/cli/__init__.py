"""The `actionplan` command line: a thin layer over the package.

`app` holds the group and what every command shares; the commands live by
what they work on: `plan` (creating and updating actions, listing them and
their history), `records` (sources, recommendations, complaints, compliments,
and `show` for one action), `figures` (summaries), `transfer` (import, export,
backup, migrate), `health` (check and correct dates) and `reports`.
"""

from __future__ import annotations

from . import figures, health, plan, records, reports, transfer
from .app import cli, main

__all__ = ["cli", "figures", "health", "main", "plan", "records", "reports", "transfer"]
