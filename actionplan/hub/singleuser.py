"""`python -m actionplan.hub.singleuser ...`: one person's locked-down server, started quickly.

The same program as `jupyterhub-singleuser` (see `quick` for why not that).
"""

from __future__ import annotations

import sys

from .quick import skip_slow_imports

if __name__ == "__main__":
    skip_slow_imports()
    from jupyterhub.singleuser import main

    sys.exit(main())
