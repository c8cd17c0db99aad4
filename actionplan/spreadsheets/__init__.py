"""Getting a plan in and out of spreadsheets: the two functions the CLI and notebooks call.

`import_file` takes a CSV file or an Excel workbook, all of it or nothing;
`export_file` writes the plan back out. Inside: `files` reads the cells,
`rows` cleans each row, `loader` and `actions` check records across rows and
against the plan, `importer` runs the passes, `exporter` writes the workbook,
`reimport` sorts out an edited export brought back into its plan. A council's
own tracker comes in through a mapping file: `mapping` reads it, `mapped` turns
the tracker into the parts `importer` checks, `suggest` writes a first one.
See docs/import-export.md for the file layouts.
"""

from __future__ import annotations

from .exporter import export_file
from .importer import import_file

__all__ = ["export_file", "import_file"]
