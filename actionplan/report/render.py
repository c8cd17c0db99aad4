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

from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from ..errors import ReportError
from ..quarters import Quarter
from ..store import Store
from ..store.queries import reportable_quarter, resolve_quarter
from ..vocab import AUDIENCES
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
    import nbformat

    if audience not in AUDIENCES:
        raise ReportError(f"audience {audience!r} is not {' or '.join(AUDIENCES)}")
    chromium = find_chromium() if pdf else None
    if km is None:
        with started_kernel(store.url) as started:
            return render_report(
                store, quarter, out_dir, audience, km=started, refresh_index=refresh_index, pdf=pdf
            )
    chosen = reportable_quarter(store, resolve_quarter(store, quarter))
    out = Path(out_dir)
    paths = ReportPaths(out / chosen.label, chosen.label, audience)
    make_folder(paths.folder)
    prepare_export()
    parameters = {
        "quarter": chosen.label,
        "db": db_parameter(store, audience),
        "audience": audience,
    }
    with report_lock(paths.lock):
        for leftover in paths.leftovers():
            leftover.unlink(missing_ok=True)
        executed = execute(paths, parameters, km)
        executed.metadata["actionplan"] = {
            "title": f"{store.council}: improvement action plan, {chosen.in_words()}",
            "quarter": chosen.label,
            "audience": audience,
        }
        try:
            page = export_html(executed)
        except Exception as error:
            keep_failed(paths.running(), paths)
            raise ReportError(
                f"report for {chosen.label} could not be written as HTML: {first_line(error)}"
            ) from None
        atomic_write(paths.html, page)
        atomic_write(paths.notebook, nbformat.writes(executed))
        paths.running().unlink(missing_ok=True)
        paths.failed.unlink(missing_ok=True)
        if chromium is not None:
            print_pdf(paths.html, paths.pdf, chromium)
    if refresh_index and (out / index_name(audience)).exists():
        write_index(store, out, audience)
    return paths.html
