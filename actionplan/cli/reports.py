"""`actionplan report`: the quarterly HTML report, for one quarter or every one."""

from __future__ import annotations

import click

from ..vocab import AUDIENCES
from .app import QUARTER_HELP, command, open_plan


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
@click.pass_context
def report_command(
    ctx: click.Context, quarter: str | None, every: bool, out: str, audience: str
) -> None:
    """Render the quarterly HTML report (atomically: a failed run leaves the old one)."""
    from ..report.parallel import render_all
    from ..report.render import render_report

    if every == bool(quarter):
        raise click.UsageError("give either --quarter Q or --all")
    store = open_plan(ctx)
    if every:
        for outlier in store.data_span().outliers:
            click.echo(
                f"warning: left out, far from the rest of the plan: {outlier} "
                "(see `actionplan check`)",
                err=True,
            )
        for path in render_all(store, out_dir=out, audience=audience):
            click.echo(str(path))
    else:
        click.echo(str(render_report(store, quarter, out_dir=out, audience=audience)))
