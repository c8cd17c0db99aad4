"""Rendering one quarter's report: papermill, then nbconvert, written atomically.

`render_report` runs the report notebook (`run.execute`), exports it
(`run.export_html`) and renames the HTML and the executed notebook into
`reports/<quarter>/`. Scheduled runs rely on three promises:

- a failed or killed run leaves the previous report exactly as it was (every
  file is written to a temporary name in the same folder, then `os.replace`d);
- two runs never write the same report at once (`paths.report_lock`);
- a failure is one line naming the report section and the error, with the
  failed notebook kept as `actionplan-<quarter>.failed.ipynb` for a person.

With `pdf=True` the page is then printed to `actionplan-<quarter>.pdf` beside
it (`pdf.print_pdf`, also atomic); a missing Chromium is reported before
anything is rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from ..errors import ReportError
from ..quarters import Quarter
from ..store import Store
from ..store.queries import reportable_quarter, resolve_quarter
from ..vocab import AUDIENCES
from .headings import SECTION_HEADINGS
from .index import write_index
from .kernel import started_kernel
from .paths import ReportPaths, index_name, make_folder, report_lock
from .pdf import find_chromium, print_pdf
from .run import db_parameter, execute, export_html, first_line, keep_failed, prepare_export


def render_report(
    store: Store,
    quarter: str | Quarter,
    out_dir: str | Path = "reports",
    audience: str = "internal",
    *,
    km: Any = None,
    refresh_index: bool = True,
    pdf: bool = False,
) -> Path:
    """Render one quarter's report; return the path of its HTML.

    Args:
        store: the plan.
        quarter: `2024-25-Q3`, `current`, `previous` or `latest`.
        out_dir: folder holding one sub-folder per quarter and `index.html`.
        audience: `internal` or `public` (SPEC section 6).
        km: a started kernel to use and leave running (`kernel.started_kernel`,
            as the CLI and `render_all` start it before opening the plan); by
            default one is started here and shut down afterwards.
        refresh_index: rewrite `index.html` afterwards if the folder has one.
        pdf: also print the page to `actionplan-<quarter>.pdf` with Chromium.

    Raises:
        ReportError: the notebook failed (the message names the section),
            another run holds this quarter's lock, or a PDF was asked for and
            Chromium is missing or failed. The previous report is untouched.
    """
    if audience not in AUDIENCES:
        raise ReportError(f"audience {audience!r} is not {' or '.join(AUDIENCES)}")
    chromium = find_chromium() if pdf else None
    chosen = reportable_quarter(store, resolve_quarter(store, quarter))
    out = Path(out_dir)
    html = render_page(
        ReportPaths(out / chosen.label, chosen.label, audience),
        {"quarter": chosen.label, "db": db_parameter(store, audience), "audience": audience},
        store.url,
        {
            "title": f"{store.council}: improvement action plan, {chosen.in_words()}",
            "quarter": chosen.label,
            "audience": audience,
        },
        km=km,
        chromium=chromium,
    )
    if refresh_index and (out / index_name(audience)).exists():
        write_index(store, out, audience)
    return html


def render_page(
    paths: ReportPaths,
    parameters: dict[str, Any],
    plan_url: str,
    metadata: dict[str, Any],
    *,
    notebook: Path | None = None,
    headings: Mapping[str, str] = SECTION_HEADINGS,
    km: Any = None,
    chromium: Path | None = None,
) -> Path:
    """Run a report notebook and write its page and executed notebook, under the report's lock.

    The one pipeline of every report (the quarterly report, the annual
    complaints report): leftovers of killed runs are cleared, the notebook
    runs (`run.execute`), its page is exported with our template, and both
    files are renamed into place; a failure leaves the previous report as it
    was and keeps the failed notebook.

    Args:
        paths: where the report and its companions go.
        parameters: the notebook's parameters.
        plan_url: the plan's URL, for the kernel's `ACTIONPLAN_DB` when the
            `db` parameter is empty (`run.db_parameter`).
        metadata: what the page's title and footer say (`title`) and what it covers.
        notebook: the notebook to run (default the quarterly report's).
        headings: the notebook's section headings, to name a failed section.
        km: a started kernel to use and leave running (`kernel.started_kernel`,
            as the CLI and `render_all` start it before opening the plan); by
            default one is started here and shut down afterwards.
        chromium: print the page to `paths.pdf` with this Chromium as well.
    """
    if km is None:
        with started_kernel(plan_url) as started:
            return render_page(
                paths,
                parameters,
                plan_url,
                metadata,
                notebook=notebook,
                headings=headings,
                km=started,
                chromium=chromium,
            )
    import nbformat

    make_folder(paths.folder)
    prepare_export()
    with report_lock(paths.lock):
        for leftover in paths.leftovers():
            leftover.unlink(missing_ok=True)
        executed = execute(paths, parameters, km, notebook, headings)
        executed.metadata["actionplan"] = metadata
        try:
            page = export_html(executed)
        except Exception as error:
            keep_failed(paths.running(), paths)
            raise ReportError(
                f"report for {paths.label} could not be written as HTML: {first_line(error)}"
            ) from None
        atomic_write(paths.html, page)
        atomic_write(paths.notebook, nbformat.writes(executed))
        paths.running().unlink(missing_ok=True)
        paths.failed.unlink(missing_ok=True)
        if chromium is not None:
            print_pdf(paths.html, paths.pdf, chromium)
    return paths.html
