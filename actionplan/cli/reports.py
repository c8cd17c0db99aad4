"""`actionplan report` (the quarterly HTML report and its PDF) and `actionplan board-paper`."""

from __future__ import annotations

import click

from ..vocab import AUDIENCES
from .app import QUARTER_HELP, Options, command, open_plan


@command("report")
@click.option("--quarter", default=None, help=QUARTER_HELP)
@click.option("--all", "every", is_flag=True, help="Every quarter that has data, plus index.html.")
@click.option("--out", default="reports", show_default=True, help="Folder for the reports.")
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="public drops owner names and small complaint counts.",
)
@click.option(
    "--pdf", is_flag=True, help="Also print each report to an A4 PDF beside it (needs Chromium)."
)
@click.pass_context
def report_command(
    ctx: click.Context, quarter: str | None, every: bool, out: str, audience: str, pdf: bool
) -> None:
    """Render the quarterly HTML report (atomically: a failed run leaves the old one)."""
    from ..report.kernel import started_kernel
    from ..report.pdf import find_chromium

    if every == bool(quarter):
        raise click.UsageError("give either --quarter Q or --all")
    if pdf:
        find_chromium()
    # The kernel first, so that it imports the report's modules while this
    # process imports the store, papermill and nbconvert (docs/performance.md).
    with started_kernel(ctx.find_object(Options).db) as km:
        from ..report.parallel import render_all
        from ..report.render import render_report

        store = open_plan(ctx)
        if every:
            for outlier in store.data_span().outliers:
                click.echo(
                    f"warning: left out, far from the rest of the plan: {outlier} "
                    "(see `actionplan check`)",
                    err=True,
                )
            for path in render_all(store, out_dir=out, audience=audience, pdf=pdf, km=km):
                click.echo(str(path))
        else:
            html = render_report(store, quarter, out_dir=out, audience=audience, pdf=pdf, km=km)
            click.echo(str(html))
            if pdf:
                click.echo(str(html.with_suffix(".pdf")))


@command("board-paper")
@click.option("--quarter", required=True, help=QUARTER_HELP)
@click.option("--out", required=True, help="The Word file to write, e.g. paper.docx.")
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="public drops owner names, complaint ids and small complaint counts.",
)
@click.option("--board", default="Improvement Board", show_default=True, help="Who it is for.")
@click.pass_context
def board_paper_command(
    ctx: click.Context, quarter: str, out: str, audience: str, board: str
) -> None:
    """Write the quarter's board paper (.docx) with the figures, charts and commentary."""
    from ..report.board_paper import write_board_paper

    if not out.lower().endswith(".docx"):
        raise click.UsageError("--out must name a .docx file")
    click.echo(str(write_board_paper(open_plan(ctx), quarter, out, audience, board)))
