"""Where a quarter's report lives, and the lock that keeps two runs from writing it at once.

Scheduled runs rely on it: a lock file per quarter and audience, taken with
`O_EXCL`; a lock left by a killed run (its process is gone) is noticed and
taken over, and one from another machine is trusted for an hour.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ReportError

#: Set this to render a council's own copy of the report notebook.
NOTEBOOK_ENV = "ACTIONPLAN_REPORT_NOTEBOOK"
DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "quarterly_report.ipynb"
#: A lock from another machine older than this is taken to be abandoned.
FOREIGN_LOCK_SECONDS = 3600

#: A quarter's folder name.
QUARTER_FOLDER = re.compile(r"^\d{4}-\d{2}-Q[1-4]$")


def audience_suffix(audience: str) -> str:
    """What an audience adds to a file name: nothing for internal, `-public` for public.

    The two versions of a quarter's report never share a file, so a public run
    cannot replace the internal report, nor an internal run publish owner names.
    """
    return "" if audience == "internal" else f"-{audience}"


def index_name(audience: str) -> str:
    """The index page of an audience's reports: `index.html` or `index-public.html`."""
    return f"index{audience_suffix(audience)}.html"


@dataclass(frozen=True)
class ReportPaths:
    """Where one report (a quarter's, or a year's complaints) for one audience lives.

    Attributes:
        folder: the report's folder (`reports/2024-25-Q3`, `reports/2024-25`).
        label: what it covers (`2024-25-Q3`, `2024-25`).
        audience: `internal` or `public`.
        prefix: what the files are called before the label: `actionplan` for
            the quarterly report, `complaints` for the annual complaints report.
    """

    folder: Path
    label: str
    audience: str = "internal"
    prefix: str = "actionplan"

    @property
    def stem(self) -> str:
        """`actionplan-2024-25-Q3`, `actionplan-2024-25-Q3-public`, `complaints-2024-25`."""
        return f"{self.prefix}-{self.label}{audience_suffix(self.audience)}"

    @property
    def html(self) -> Path:
        """The report managers read."""
        return self.folder / f"{self.stem}.html"

    @property
    def pdf(self) -> Path:
        """The report printed to A4 (`report --pdf`)."""
        return self.folder / f"{self.stem}.pdf"

    @property
    def notebook(self) -> Path:
        """The executed notebook, kept for audit."""
        return self.folder / f"{self.stem}.ipynb"

    @property
    def failed(self) -> Path:
        """The notebook of the last failed run, for a person to open."""
        return self.folder / f"{self.stem}.failed.ipynb"

    @property
    def lock(self) -> Path:
        """Held while a run writes this quarter's report."""
        return self.folder / f".{self.stem}.lock"

    def running(self, pid: int | None = None) -> Path:
        """The notebook papermill writes while a run (this one by default) is in progress."""
        return self.folder / f".{self.stem}.running-{pid or os.getpid()}.ipynb"

    def leftovers(self) -> list[Path]:
        """Running notebooks of earlier runs that were killed."""
        return list(self.folder.glob(f".{self.stem}.running-*.ipynb"))


def make_folder(folder: Path) -> None:
    """Create a report folder, or say in one line why it cannot be one.

    Raises:
        ReportError: a file stands where the folder (or one above it) should be,
            or the folder cannot be created.
    """
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise ReportError(
                f"{part} is a file, not a folder; give --out a folder for the reports"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"cannot create the folder {folder}: {error.strerror}") from None


def report_notebook(default: Path = DEFAULT_NOTEBOOK, variable: str = NOTEBOOK_ENV) -> Path:
    """The notebook to render: the one `variable` names (a council's own copy), else `default`."""
    chosen = Path(os.environ.get(variable) or default)
    if not chosen.is_file():
        raise ReportError(f"report notebook {chosen} does not exist; set {variable}")
    return chosen


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_is_stale(path: Path) -> bool:
    try:
        holder = json.loads(path.read_text())
    except (OSError, ValueError):
        return True
    if holder.get("host") != socket.gethostname():
        return time.time() - path.stat().st_mtime > FOREIGN_LOCK_SECONDS
    return not _pid_alive(int(holder.get("pid", 0)))


@contextlib.contextmanager
def report_lock(path: Path) -> Iterator[None]:
    """Hold the lock of one quarter's report; take over one left by a killed run.

    Raises:
        ReportError: another live run holds the lock.
    """
    holder = json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now(UTC).isoformat()}
    )
    for _attempt in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if not _lock_is_stale(path):
                raise ReportError(
                    f"another run is writing this report (lock {path}); "
                    "wait for it to finish, or delete the lock if no run is going"
                ) from None
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(holder)
        break
    else:
        raise ReportError(f"could not take the lock {path}")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
