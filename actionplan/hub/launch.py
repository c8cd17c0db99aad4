"""`python -m actionplan.hub.launch -f CONFIG`: JupyterHub itself, started quickly (see `quick`)."""

from __future__ import annotations

import sys

from .quick import skip_slow_imports

if __name__ == "__main__":
    skip_slow_imports()
    from jupyterhub.app import main

    sys.exit(main())
