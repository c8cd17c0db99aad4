"""Commands that move a plan in and out: import, export, backup, migrate."""

from __future__ import annotations

import click

from .app import BY_HELP, command, open_plan


@command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    default=None,
    help="sources, recommendations, actions, updates, complaints or compliments "
    "(an .xlsx without --kind takes every sheet named after a kind).",
)
@click.option("--by", default=None, help=BY_HELP)
@click.pass_context
def import_command(ctx: click.Context, file: str, kind: str | None, by: str | None) -> None:
    """Import a CSV or .xlsx file: all of it, or nothing."""
    from ..identity import default_user
    from ..spreadsheets import import_file
    from ..spreadsheets.importer import KindNeededError

    try:
        counts = import_file(open_plan(ctx), file, kind=kind, by=by or default_user())
    except KindNeededError as error:
        raise click.UsageError(str(error)) from None
    click.echo("Imported " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def export_command(ctx: click.Context, file: str) -> None:
    """Export actions to .csv, or the whole plan with its history to .xlsx."""
    from ..spreadsheets import export_file

    click.echo(f"Wrote {export_file(open_plan(ctx), file)}")


@command("migrate")
@click.pass_context
def migrate_command(ctx: click.Context) -> None:
    """Bring a database made by an older actionplan up to this version's schema."""
    from ..store import Store
    from ..store.migrations import migrate

    store = Store(ctx.obj)
    old, new = migrate(store)
    if old == new:
        click.echo(f"{store.display_name} is already at schema {new}; nothing to do")
    else:
        click.echo(f"Migrated {store.display_name} from schema {old} to {new}")


@command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def backup_command(ctx: click.Context, file: str) -> None:
    """Copy a SQLite plan to FILE, consistently, while others may be saving."""
    from ..store import Store
    from ..store.backup import backup

    store = Store(ctx.obj)
    click.echo(f"Backed up {store.display_name} to {backup(store, file)}")
