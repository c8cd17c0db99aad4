"""`actionplan commentary`: the quarter's overview and notes per report section."""

from __future__ import annotations

import sys

import click

from ..vocab import COMMENTARY_SECTIONS
from .app import BY_HELP, QUARTER_HELP, command, open_plan, print_json

SECTION_HELP = "overview, or a report section: " + ", ".join(COMMENTARY_SECTIONS[1:]) + "."


@command("commentary")
@click.option("--quarter", required=True, help=QUARTER_HELP)
@click.option("--section", default=None, help=SECTION_HELP)
@click.option("--text", default=None, help="The commentary to save; - reads it from stdin.")
@click.option("--by", default=None, help=BY_HELP)
@click.option(
    "--expect-version",
    type=int,
    default=None,
    help="Refuse the save if the section's commentary is no longer at this version (0: none yet).",
)
@click.option("--history", is_flag=True, help="Show every version, not only the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def commentary(
    ctx: click.Context,
    quarter: str,
    section: str | None,
    text: str | None,
    by: str | None,
    expect_version: int | None,
    history: bool,
    as_json: bool,
) -> None:
    """Write the quarter's commentary (with --text), or show it and its history.

    Every save is kept: the report and the board paper show the latest
    version, signed with its author and date.
    """
    from ..identity import default_user
    from ..store.commentary import (
        commentary_history,
        latest_commentary,
        section_key,
        write_commentary,
    )
    from ..store.queries import resolve_quarter

    store = open_plan(ctx)
    chosen = resolve_quarter(store, quarter)
    if text is not None:
        if section is None:
            raise click.UsageError("--text needs --section (overview or a report section)")
        body = sys.stdin.read() if text == "-" else text
        note = write_commentary(
            store, chosen, section, body, by or default_user(), expected_version=expect_version
        )
        if as_json:
            print_json(note.as_dict())
        else:
            click.echo(
                f'Saved version {note.version} of the "{note.heading}" commentary for {note.quarter}'
            )
        return
    if history:
        notes = commentary_history(store, chosen, section)
    else:
        latest = latest_commentary(store, chosen)
        notes = [n for n in latest.values() if section is None or n.section == section_key(section)]
    if as_json:
        print_json([note.as_dict() for note in notes])
        return
    if not notes:
        click.echo(f"No commentary for {chosen.label} yet.")
        return
    for note in notes:
        click.echo(
            f"== {note.heading} (version {note.version}, {note.by}, "
            f"{note.recorded_at:%Y-%m-%d %H:%M} UTC)"
        )
        click.echo(note.text + "\n")
