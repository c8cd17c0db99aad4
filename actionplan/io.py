"""Getting a plan in and out of spreadsheets: the two functions the CLI and notebooks call.

`import_file` takes a CSV file or an Excel workbook, all of it or nothing;
`export_file` writes the plan back out. The work is done in `importer`,
`exporter` and `sheets`; see docs/import-export.md for the file layouts.
"""

from __future__ import annotations

from .exporter import export_file
from .importer import import_file

__all__ = ["export_file", "import_file"]
