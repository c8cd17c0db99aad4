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
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="A mapping file (TOML) saying how your own tracker's columns and words read.",
)
@click.option("--sheet", default=None, help="The sheet of the tracker to read (with --map).")
@click.option(
    "--suggest-map",
    is_flag=True,
    help="Write a first mapping for FILE (to --map, default FILE.map.toml) instead of importing.",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    file: str,
    kind: str | None,
    by: str | None,
    map_file: str | None,
    sheet: str | None,
    suggest_map: bool,
) -> None:
    """Import a CSV or .xlsx file (or your own tracker, with --map): all of it, or nothing."""
    from ..identity import default_user
    from ..spreadsheets import import_file

    if (map_file or suggest_map or sheet) and kind:
        raise click.UsageError("--kind is for actionplan's own files; a tracker uses --map")
    if sheet and not (map_file or suggest_map):
        raise click.UsageError("--sheet picks the sheet of a tracker read with --map")
    if suggest_map:
        from ..spreadsheets.suggest import write_suggestion

        written = write_suggestion(file, map_file, sheet)
        click.echo(f"Wrote {written}: check the lines marked CHECK, then import with --map")
        return
    if map_file:
        from ..spreadsheets.mapped import import_mapped

        counts = import_mapped(open_plan(ctx), file, map_file, sheet=sheet, by=by or default_user())
    else:
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
