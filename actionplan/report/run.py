"""Running the report notebook with papermill and turning it into the page managers read.

`execute` runs `notebooks/quarterly_report.ipynb` on a kernel (a new one, or
one `render_all` reuses) and, on failure, keeps the failed notebook and
raises one line naming the report section that failed. `export_html` exports
the executed notebook with our own nbconvert template: no code, no prompts,
no scripts, nothing fetched from another host.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from ..errors import ReportError
from ..store import Store
from .headings import SECTION_HEADINGS
from .html import report_css
from .paths import ReportPaths, report_notebook

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "actionplan_report"
#: Cells that never reach the HTML: the notebook's own notes and its parameters.
REMOVED_TAGS = frozenset({"parameters", "injected-parameters", "notebook-only"})


# nbformat imports jsonschema, which imports rfc3987_syntax when it is
# installed (jupyter-events pulls it in) and builds some forty lark parsers at
# import time, for IRI format checks nbformat never makes: 1 s of every report
# on a quiet machine, several on a busy one. Marking it absent makes jsonschema
# skip those two checks. See docs/performance.md.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def db_parameter(store: Store, audience: str = "internal") -> str:
    """The `db` parameter for the notebook ("" when the kernel must find the plan itself).

    The parameters are saved in the executed notebook kept beside the report,
    so a password never goes into them, and neither does anything in a public
    report's notebook: such a plan reaches the kernel through `ACTIONPLAN_DB`
    (`kernel.started_kernel` always sets it).
    """
    if audience != "internal" or (store.path is None and make_url(store.url).password):
        return ""
    if store.path is not None:
        return str(store.path.resolve())
    return store.url


def _failed_section(notebook: Any, headings: Mapping[str, str] = SECTION_HEADINGS) -> str:
    """The report section of the cell that raised, from its `section-*` tag.

    Found by its error output rather than papermill's cell index, which the
    error-marker cells papermill inserts make unreliable.
    """
    if notebook is None:
        return "unknown"
    for index, cell in enumerate(notebook.cells):
        if not any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            continue
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag == "section-setup":
                return "loading the plan"
            if tag.startswith("section-"):
                key = tag.removeprefix("section-")
                return headings.get(key, key)
        return f"cell {index}"
    return "unknown"


def first_line(text: Any) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def execute(
    paths: ReportPaths,
    parameters: dict[str, Any],
    km: Any,
    notebook: Path | None = None,
    headings: Mapping[str, str] = SECTION_HEADINGS,
) -> Any:
    """Run a report notebook with papermill; on failure keep it and raise one line.

    Args:
        paths: where the running and failed notebooks go.
        parameters: the notebook's parameters (`quarter` or `year`, `db`, `audience`).
        km: a started kernel manager (`kernel.started_kernel`), left running.
        notebook: the notebook to run (default the quarterly report's, `report_notebook()`).
        headings: the notebook's section headings by `section-*` tag, to name a failure.

    Raises:
        ReportError: naming the section that failed and the error.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    running = paths.running()
    try:
        executed = papermill.execute_notebook(
            str(notebook or report_notebook()),
            str(running),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(Path.cwd()),
            km=km,
            shutdown_kernel="immediate",
            # By default papermill writes the whole notebook, validated, before and
            # after every cell, while the kernel waits: a quarter of a second per
            # report. It is written once at the end, or when a cell fails.
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as error:
        kept = keep_failed(running, paths)
        failed = nbformat.read(kept, as_version=4) if kept else None
        section = _failed_section(failed, headings)
        raise ReportError(
            f'report section "{section}" failed: {error.ename}: {first_line(error.evalue)} '
            f"(failed notebook kept at {kept or running})"
        ) from None
    except ReportError:
        raise
    except Exception as error:  # the kernel died, would not start, or timed out
        kept = keep_failed(running, paths)
        reason = first_line(error) or type(error).__name__
        raise ReportError(
            f"report for {paths.label} failed while running the notebook: "
            f"{type(error).__name__}: {reason}"
            + (f" (failed notebook kept at {kept})" if kept else "")
        ) from None
    return executed


def keep_failed(running: Path, paths: ReportPaths) -> Path | None:
    if not running.exists():
        return None
    os.replace(running, paths.failed)
    return paths.failed


def prepare_export() -> None:
    """Import nbconvert and load the report's template in the background, starting now.

    Called before the notebook runs: while this process waits for the kernel,
    a thread gets the exporter ready, so that exporting the executed notebook
    afterwards costs only the export itself. A failure here is left for
    `export_html` to meet again and report.
    """
    threading.Thread(target=_prepare_quietly, daemon=True).start()


def _prepare_quietly() -> None:
    with contextlib.suppress(Exception):
        _exporter()


def export_html(notebook: Any) -> str:
    """The executed notebook as the report page (our template, code and tags removed)."""
    footer = notebook.metadata.get("actionplan", {}).get("title", "")
    body, _resources = _exporter().from_notebook_node(
        notebook, resources={"actionplan_css": report_css(footer)}
    )
    return body


_EXPORTERS: list[Any] = []
_EXPORTER_LOCK = threading.Lock()


def _exporter() -> Any:
    """The one HTML exporter of this process, its template loaded (reused by every report)."""
    with _EXPORTER_LOCK:
        if not _EXPORTERS:
            _EXPORTERS.append(_new_exporter())
        return _EXPORTERS[0]


def _new_exporter() -> Any:
    # nbconvert's HTMLExporter adds, after rendering, a BeautifulSoup pass that
    # parses and re-writes the whole page (alt text for images without it,
    # tab stops on code cells); our page has neither, and that pass was most
    # of an export's time. The template is ours alone, so the plain
    # TemplateExporter renders it.
    from nbconvert.exporters import TemplateExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = TemplateExporter(
        template_name=TEMPLATE_NAME,
        template_file="index.html.j2",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS), enabled=True), enabled=True
    )
    exporter.template  # noqa: B018 - loading and compiling the template is the point
    return exporter
