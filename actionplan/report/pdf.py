"""The report as an A4 PDF: the same HTML, printed by headless Chromium.

Boards and scrutiny committees take their papers as PDF. The report page
already carries everything print needs (report.css: A4 pages, totals once,
headings kept with their tables, the contents list, and in the page margins
the council, the quarter and "Page N of M"), so the PDF is the page printed,
not a second layout to keep in step. Chromium keeps the text selectable, the
SVG charts as vectors, tags the headings (a tagged PDF, for screen readers),
takes the document title from the page's `<title>`, and with
`--generate-pdf-document-outline` adds bookmarks for the headings.

Chromium is found as `ACTIONPLAN_CHROMIUM`, else `chromium` (Debian's
package), `chromium-browser` or `google-chrome` on PATH. It is started with a
fresh profile and its network features off, so printing fetches nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..atomic import atomic_path
from ..errors import ReportError

#: Set this to the Chromium (or Chrome) executable to print with.
CHROMIUM_ENV = "ACTIONPLAN_CHROMIUM"
#: Names tried on PATH when `ACTIONPLAN_CHROMIUM` is not set.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Headless, as root in a container, and off the network (TOOLING.md).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
#: Seconds Chromium has to print one report before the run is given up.
PRINT_SECONDS = 180


def find_chromium() -> str:
    """The Chromium executable to print with.

    Raises:
        ReportError: none was found; the message says how to install one.
    """
    chosen = os.environ.get(CHROMIUM_ENV, "").strip()
    if chosen:
        if shutil.which(chosen) is None:
            raise ReportError(f"{CHROMIUM_ENV}={chosen} is not an executable Chromium")
        return chosen
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ReportError(
        "a PDF needs Chromium, which was not found: install it (Debian or Ubuntu: "
        f"apt-get install chromium) or set {CHROMIUM_ENV} to its path"
    )


def print_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print a report page to `pdf`, atomically: a failed print leaves the old PDF.

    Args:
        html: the report page.
        pdf: where the PDF goes.
        chromium: the executable (default `find_chromium()`).

    Raises:
        ReportError: Chromium is missing, failed, or wrote no PDF.
    """
    executable = chromium or find_chromium()
    with (
        tempfile.TemporaryDirectory(prefix="actionplan-chromium-") as profile,
        atomic_path(pdf) as temporary,
    ):
        command = [
            executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={temporary}",
            Path(html).resolve().as_uri(),
        ]
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, timeout=PRINT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"Chromium did not print {html.name} within {PRINT_SECONDS} s"
            ) from None
        with open(temporary, "rb") as written:
            start = written.read(5)
        if finished.returncode != 0 or start != b"%PDF-":
            said = [line for line in finished.stderr.splitlines() if "ERROR" in line]
            reason = said[-1].strip() if said else f"exit status {finished.returncode}"
            raise ReportError(f"Chromium could not print {html.name} to PDF: {reason}")
    return pdf
