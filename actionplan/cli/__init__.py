"""The `actionplan` command line: a thin layer over the package.

`app` holds the group and what every command shares; the commands live by
what they work on: `plan` (creating and updating actions, listing them and
their history), `records` (sources, recommendations, complaints, compliments,
and `show` for one action), `figures` (summaries), `complaints` (a year's complaint figures, the time
limits, the annual complaints report), `transfer` (import, export,
backup, migrate), `health` (check and correct dates), `reports` (the quarterly
report and the board paper), `commentary` (the quarter's commentary),
`people` (the team and its roles), `assurance` (evidence, verification and
due-date requests), `hub` (the team service), `requests` (asking owners for
updates) and `workbook` (serving the officers' workbook).
"""

from __future__ import annotations

from . import assurance as assurance
from . import commentary as commentary
from . import complaints as complaints
from . import figures as figures
from . import health as health
from . import hub as hub
from . import people as people
from . import plan as plan
from . import records as records
from . import reports as reports
from . import requests as requests
from . import transfer as transfer
from . import workbook as workbook
from .app import cli, main

__all__ = ["cli", "main"]
