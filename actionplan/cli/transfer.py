"""Commands that move a plan in and out: import, export, backup, migrate."""

from __future__ import annotations

import click

from .app import BY_HELP, command, open_plan, plan_store


@command("import")
@click.argument("file")
@click.option(
    "--kind",
    default=None,
    help="people, sources, recommendations, actions, updates, complaints or compliments "
    "(an .xlsx without --kind takes every sheet named after a kind).",
)
@click.option("--by", default=None, help=BY_HELP)
@click.option(
    "--map",
    "map_file",
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
    from ..records import KIND_NAMES
    from ..spreadsheets import import_file
    from ..vocab import counted

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
    click.echo(
        "Imported "
        + ", ".join(counted(n, KIND_NAMES[name].replace("_", " ")) for name, n in counts.items())
    )


@command("export")
@click.argument("file")
@click.pass_context
def export_command(ctx: click.Context, file: str) -> None:
    """Export actions to .csv, or the whole plan with its history to .xlsx."""
    from ..spreadsheets import export_file

    written = export_file(
        open_plan(ctx), file, warn=lambda text: click.echo(f"warning: {text}", err=True)
    )
    click.echo(f"Wrote {written}")


@command("migrate")
@click.pass_context
def migrate_command(ctx: click.Context) -> None:
    """Bring a database made by an older actionplan up to this version's schema."""
    from ..store.health import date_problems
    from ..store.migrations import migrate

    store = plan_store(ctx)
    old, new = migrate(store)
    if old == new:
        click.echo(f"{store.display_name} is already at schema {new}; nothing to do")
    else:
        click.echo(f"Migrated {store.display_name} from schema {old} to {new}")
    problems = date_problems(store)
    if problems:
        click.echo(
            f"{len(problems)} stored dates are outside the plan's date range, e.g. "
            f"{problems[0]}; run `actionplan check` for all of them"
        )


@command("backup")
@click.argument("file")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (an older backup).")
@click.pass_context
def backup_command(ctx: click.Context, file: str, force: bool) -> None:
    """Copy a SQLite plan to FILE, consistently, while others may be saving."""
    from ..store.backup import backup

    store = plan_store(ctx)
    click.echo(f"Backed up {store.display_name} to {backup(store, file, force=force)}")
