"""Start a Jupyter program without importing `rfc3987_syntax` (seconds saved per start).

jupyter-events pulls in jsonschema, which imports `rfc3987_syntax` when it is
installed and builds some forty parsers at import time, for URI format checks
neither JupyterHub nor its single-user server makes: 2 to 4 s of every start
on a busy machine (docs/performance.md; `report.run` does the same). Marking it
absent makes jsonschema skip those checks. `launch` and `singleuser` are the
two programs the team service runs this way.
"""

from __future__ import annotations

import sys


def skip_slow_imports() -> None:
    """Make `import rfc3987_syntax` find nothing, before anything imports jsonschema."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
