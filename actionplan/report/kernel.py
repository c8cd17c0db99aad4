"""The Jupyter kernel a report runs on: started first, and importing while we prepare.

Most of a report's time is the kernel's: Python and ipykernel starting (0.6 s
on a quiet 2-core machine), then the notebook's first cell importing pandas,
SQLAlchemy, matplotlib and the package (1.1 s). Done one after the other, after
this process had imported the store, papermill and nbconvert (1.5 s), they
made a report take longer than the papermill and nbconvert command lines
together. So `started_kernel` is called before anything heavy is imported:
it starts the kernel with ipykernel's start-up code set to import what the
notebook's first cell imports (`WARM_UP`). The two
processes then import at the same time, on two cores, and the notebook's first
cell finds its modules already there. The notebook itself is unchanged: a
plain `papermill` run does the same imports in its first cell.

Only jupyter_client is imported here (about 0.15 s).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ReportError

#: What the report notebook's first cell imports (notebooks/quarterly_report.ipynb).
WARM_UP = "import actionplan.report.sections"


def new_kernel_manager(folder: Path) -> Any:
    """A python3 kernel talking over IPC sockets in `folder`.

    IPC keeps the kernel's traffic off the network and spares scheduled runs
    ipykernel's warning about unencrypted TCP on every run.
    """
    from jupyter_client.manager import KernelManager

    return KernelManager(kernel_name="python3", transport="ipc", ip=str(folder / "kernel"))


@contextlib.contextmanager
def started_kernel(db: str | None = None) -> Iterator[Any]:
    """A kernel for reports, started now and importing the report's modules; shut down after.

    Args:
        db: the plan (`--db` as given, a path or a URL), passed to the kernel as
            `ACTIONPLAN_DB` so the notebook finds it when its `db` parameter is
            empty (a public report, or a URL with a password, keeps it out of
            the notebook saved beside the report). None leaves the environment as it is.
    """
    environment = {**os.environ, **({"ACTIONPLAN_DB": str(db)} if db else {})}
    with tempfile.TemporaryDirectory(prefix="actionplan-kernel-") as folder:
        manager = new_kernel_manager(Path(folder))
        try:
            try:
                manager.start_kernel(
                    cwd=str(Path.cwd()), env=environment, extra_arguments=warm_up_arguments()
                )
            except Exception as error:
                lines = [line.strip() for line in str(error).splitlines() if line.strip()]
                raise ReportError(
                    "the report's Jupyter kernel could not start: "
                    f"{type(error).__name__}: {lines[0] if lines else 'no message'}"
                ) from None
            yield manager
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)


def warm_up_arguments() -> list[str]:
    """ipykernel's own start-up code option, set to `WARM_UP`.

    The kernel runs it after binding its sockets and before answering them, so
    a notebook client's first request simply waits until the imports are done.
    (A second client sending the imports as a request raced the notebook's
    client for the kernel's first replies and sometimes left it waiting a minute.)
    A failing import only prints to the kernel's stderr: the notebook's first
    cell meets the same error and the report names it.
    """
    return [f"--IPKernelApp.exec_lines={[WARM_UP]!r}"]
