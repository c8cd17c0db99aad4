"""`actionplan check` and `correct-date`: finding and mending dates a plan should never hold."""

from __future__ import annotations

import click

from .app import command, open_plan


@command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """List stored dates outside the plan's date range, with how to mend each (exit 1 if any)."""
    from ..store.health import date_problems

    store = open_plan(ctx)
    problems = date_problems(store)
    outliers = store.data_span().outliers
    for problem in problems:
        click.echo(str(problem))
    for outlier in outliers:
        click.echo(f"far from the rest of the plan (left out of report --all): {outlier}")
    if problems or outliers:
        raise click.exceptions.Exit(1)
    click.echo(f"{store.display_name}: every date is within the plan's date range")


@command("correct-date")
@click.argument("kind")
@click.argument("record_id", metavar="ID")
@click.argument("field")
@click.argument("value", metavar="DATE")
@click.pass_context
def correct_date_command(ctx: click.Context, kind: str, record_id: str, field: str, value: str):
    """Put right one date of a source, complaint or compliment (e.g. a year typed wrong)."""
    from ..dates import in_words
    from ..store.health import correct_date

    day = correct_date(open_plan(ctx), kind.strip().lower(), record_id, field, value)
    click.echo(f"Corrected {kind} {record_id}: {field} is now {in_words(day)}")
