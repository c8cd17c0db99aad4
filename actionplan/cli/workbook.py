"""`actionplan workbook`: the officers' workbook in Voila, on this machine only."""

from __future__ import annotations

import click

from .app import command, open_plan


@command("workbook")
@click.option("--port", default=8866, show_default=True, type=int, help="Port on 127.0.0.1.")
@click.pass_context
def workbook_command(ctx: click.Context, port: int) -> None:
    """Serve the officers' workbook at http://127.0.0.1:PORT/ until Ctrl-C."""
    from ..workbook.serve import serve

    store = open_plan(ctx)  # a plan that cannot be opened is one line here, not a page later
    plan = str(store.path.resolve()) if store.path is not None else store.url
    store.close()
    serve(plan, port=port, echo=click.echo)
