"""The `actionplan` command's entry point (also `python -m actionplan`).

Ctrl-C must end every run with one line and exit 130, even in the first
moments, while Python is still importing click and the commands. So the
first thing done is to take SIGINT: until the command runs, nothing can have
changed, so an interrupt just says so and exits. The command then restores
Python's own handler, so that an interrupt unwinds open transactions (rolled
back) and `cli.app.user_errors` reports it.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _interrupted_while_starting(_signum: int, _frame: FrameType | None) -> None:
    sys.stderr.write("Interrupted; nothing was changed\n")
    sys.exit(130)


def main() -> None:
    """Run the `actionplan` command line."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
        from .cli.app import main as run

        signal.signal(signal.SIGINT, signal.default_int_handler)
    else:  # SIGINT ignored (a background job): leave it so
        from .cli.app import main as run
    run()


if __name__ == "__main__":
    main()
