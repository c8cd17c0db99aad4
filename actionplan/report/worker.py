"""A helper process of `render_all`: renders quarters it is handed, with its own kernel.

`render_all` runs one helper per further core so that the per-quarter work
(the notebook's cells, the HTML export) runs on every core at once. A helper
runs as

    python -m actionplan.report.worker OUT_DIR AUDIENCE [--pdf]

with the plan's URL in `ACTIONPLAN_DB` (never on the command line, where `ps`
would show a password). It starts its kernel, prints `{"ready": true}`, then
reads one quarter label per line on stdin and answers each with one JSON line:
`{"quarter": label, "path": html}`, or `{"quarter": label, "error": one line}`
and exit status 1 at the first failure. It stops when stdin closes (no
quarters left, or the parent was killed), and on SIGTERM or Ctrl-C, shutting
its kernel down and releasing its lock on the way out. A helper killed outright
leaves what a killed `report --quarter` leaves: the previous report untouched,
and a lock that the next run takes over; its kernel exits by itself when it
sees its parent gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from ..errors import ActionPlanError


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signal.SIGTERM)


def _say(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _one_line(error: BaseException) -> str:
    if isinstance(error, ActionPlanError):
        return str(error)
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def main(argv: list[str] | None = None) -> int:
    """Render the quarters read from stdin; return the exit status.

    Args:
        argv: `OUT_DIR AUDIENCE [--pdf]` (defaults to `sys.argv[1:]`).
    """
    out, audience, *flags = sys.argv[1:] if argv is None else argv
    pdf = "--pdf" in flags
    signal.signal(signal.SIGTERM, _stop)

    from .kernel import started_kernel

    store = None
    label = None
    try:
        # The kernel first: it imports the report's modules while this process imports its own.
        with started_kernel(os.environ["ACTIONPLAN_DB"]) as km:
            from ..store import Store
            from .render import render_report
            from .run import prepare_export

            store = Store(os.environ["ACTIONPLAN_DB"])
            prepare_export()
            _say({"ready": True})
            for line in sys.stdin:
                label = line.strip()
                if label:
                    path = render_report(
                        store, label, out, audience, km=km, refresh_index=False, pdf=pdf
                    )
                    _say({"quarter": label, "path": str(path)})
    except Exception as error:
        with contextlib.suppress(OSError):  # the parent may be gone
            _say({"quarter": label, "error": _one_line(error)})
        return 1
    finally:
        # A run stopped part-way leaves its running notebook; the report is untouched.
        for running in Path(out).glob(f"*/.actionplan-*.running-{os.getpid()}.ipynb"):
            running.unlink(missing_ok=True)
        if store is not None:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
