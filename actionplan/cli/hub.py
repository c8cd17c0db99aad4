"""`actionplan hub`: the team service, JupyterHub in front of the workbook (docs/team.md)."""

from __future__ import annotations

import click

from .app import Options, command, open_plan


@command("hub")
@click.option(
    "--db",
    default=None,
    help="The plan (else the global --db or ACTIONPLAN_DB). Prefer ACTIONPLAN_DB for a URL "
    "with a password: a command line can be read by anyone on the machine.",
)
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--state",
    default=".hub/state",
    show_default=True,
    help="The hub's own files, made afresh at every start.",
)
@click.option(
    "--authenticator",
    default="people",
    show_default=True,
    help="people (passwords in the plan), pam (local accounts; the hub runs as root), "
    "or a JupyterHub authenticator class.",
)
@click.option(
    "--config",
    "extra_config",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Your own JupyterHub settings, loaded last (e.g. Microsoft Entra ID sign-on).",
)
@click.option(
    "--proxy", default=None, help="configurable-http-proxy to use (default the project's)."
)
@click.pass_context
def hub(
    ctx: click.Context,
    db: str | None,
    port: int,
    state: str,
    authenticator: str,
    extra_config: str | None,
    proxy: str | None,
) -> None:
    """Start the team service on 127.0.0.1 until Ctrl-C: people sign in and get the workbook."""
    from pathlib import Path

    from ..hub.config import HubSettings
    from ..hub.serve import start
    from ..store import open_store
    from ..store.engine import database_url

    options = ctx.find_object(Options)
    chosen = db or options.db
    root = ctx.find_root()
    typed = db is not None or (
        root.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE
    )
    from sqlalchemy.engine import make_url

    if typed and chosen and make_url(database_url(chosen)).password:
        click.echo(
            "warning: the database password was typed on the command line, where others on "
            "this machine can read it; set ACTIONPLAN_DB instead",
            err=True,
        )
    store = open_store(chosen) if chosen else open_plan(ctx)
    settings = HubSettings(
        state_dir=Path(state),
        port=port,
        authenticator=authenticator,
        extra_config=Path(extra_config).resolve() if extra_config else None,
        proxy_command=proxy or "",
    )
    start(store, settings, echo=click.echo)
