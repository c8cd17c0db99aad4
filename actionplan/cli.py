"""The `actionplan` command: a thin layer over the package.

Each command opens the plan, calls one function, and turns an `ActionPlanError`
into one line on stderr with exit code 1. Usage mistakes exit 2 (click's rule).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from .errors import ActionPlanError
from .identity import default_user
from .records import as_plain
from .store import Store, open_store
from .store.queries import action_list, summarise
from .vocab import AUDIENCES

console = Console()

#: How every `--quarter` option describes what it accepts (see `quarters.parse_quarter`).
QUARTER_HELP = "e.g. 2024-25-Q3, 2024/25 Q3, current, previous or latest (any case)."


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except ActionPlanError as error:
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise click.ClickException(f"database: {reason}") from None


def command(group: click.Group, name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """Register a command whose ActionPlanErrors become one-line exits."""

    def decorate(function: Callable[..., Any]) -> click.Command:
        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with _user_errors():
                return function(*args, **kwargs)

        return group.command(name)(run)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="ACTIONPLAN_DB",
    default=None,
    help="SQLite file or SQLAlchemy URL (default data/actionplan.db, or ACTIONPLAN_DB).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Improvement action plans: recommendations, actions, history and quarterly figures."""
    ctx.obj = db


def _store(ctx: click.Context) -> Store:
    return open_store(ctx.obj)


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=None, default=as_plain))


@command(cli, "init")
@click.option("--demo", is_flag=True, help="Load the fictional demo plan from data/demo.")
@click.option("--council", default=None, help="Council name shown on reports.")
@click.option(
    "--first-month",
    type=click.IntRange(1, 12),
    default=None,
    help="Month the financial year starts (default 4, April).",
)
@click.pass_context
def init(ctx: click.Context, demo: bool, council: str | None, first_month: int | None) -> None:
    """Create the database (with the demo plan)."""
    store = Store(ctx.obj)
    if demo:
        from .demo import load_demo

        load_demo(store, council=council, first_month=first_month)
    else:
        store.initialise(council=council, first_month=first_month)
    click.echo(f"Created {store.display_name}" + (" with the demo plan" if demo else ""))


@command(cli, "add-action")
@click.option("--id", "action_id", required=True, help="New action's id.")
@click.option("--recommendation", required=True, help="Id of the recommendation it answers.")
@click.option("--title", required=True)
@click.option("--owner", required=True)
@click.option("--due", required=True, help="Due date, 2025-03-31 or 31/03/2025.")
@click.option("--team", default=None)
@click.option("--status", default=None)
@click.option("--progress", default=None, help="0 to 100.")
@click.option("--created-on", default=None, help="Default today.")
@click.option("--by", default=None, help="Who is recording (default ACTIONPLAN_USER or login).")
@click.pass_context
def add_action(
    ctx: click.Context,
    action_id: str,
    recommendation: str,
    by: str | None,
    created_on: str | None,
    **fields: Any,
) -> None:
    """Add an action under a recommendation."""
    store = _store(ctx)
    record = {
        "id": action_id,
        "recommendation_id": recommendation,
        "created_on": created_on,
        **fields,
    }
    store.add_action(record, by=by or default_user())
    click.echo(f"Added action {action_id}")


@command(cli, "update")
@click.argument("action_id")
@click.option("--progress", default=None, help="0 to 100.")
@click.option("--status", default=None)
@click.option("--due", default=None, help="New due date; needs --reason.")
@click.option("--reason", default=None, help="Why the due date changed.")
@click.option("--note", default=None)
@click.option("--completed-on", default=None, help="When it was completed (default --as-of).")
@click.option("--as-of", default=None, help="The date this update describes (default today).")
@click.option("--by", default=None, help="Who is recording (default ACTIONPLAN_USER or login).")
@click.option(
    "--expect-version",
    type=int,
    default=None,
    help="Refuse the save if the action is no longer at this version.",
)
@click.pass_context
def update_action(
    ctx: click.Context, action_id: str, expect_version: int | None, by: str | None, **fields: Any
) -> None:
    """Record progress, status, a new due date or a note on an action."""
    store = _store(ctx)
    event = store.record_update(
        {"action_id": action_id, "by": by or default_user(), **fields},
        expected_version=expect_version,
    )
    changed = ", ".join(
        f"{field} {change['old']} -> {change['new']}" for field, change in event["changes"].items()
    )
    click.echo(f"Recorded version {event['version']} of {action_id}: {changed or 'note only'}")


@command(cli, "history")
@click.argument("action_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
@click.pass_context
def show_history(ctx: click.Context, action_id: str, as_json: bool) -> None:
    """Every recorded change to an action, oldest first."""
    events = _store(ctx).history(action_id)
    if as_json:
        _print_json(events)
        return
    table = Table(title=f"History of {action_id}")
    for heading in ("version", "recorded (UTC)", "as of", "by", "changes", "reason", "note"):
        table.add_column(heading)
    for event in events:
        changes = "\n".join(
            f"{field}: {change['old']} -> {change['new']}"
            for field, change in event["changes"].items()
        )
        table.add_row(
            str(event["version"]),
            event["recorded_at"][:19].replace("T", " "),
            event["as_of"],
            event["by"],
            changes,
            event["reason"] or "",
            event["note"] or "",
        )
    console.print(table)


@command(cli, "list")
@click.option("--owner", default=None)
@click.option("--team", default=None)
@click.option("--status", default=None)
@click.option("--overdue", is_flag=True, help="Only open actions past their due date.")
@click.option(
    "--quarter", default=None, help="As the plan stood at this quarter's end: " + QUARTER_HELP
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of actions.")
@click.pass_context
def list_actions(ctx: click.Context, as_json: bool, **filters: Any) -> None:
    """List actions (as they stand, or at a quarter's end), most urgent first."""
    rows = action_list(_store(ctx), **filters)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} actions")
    for heading in ("id", "title", "owner", "due", "status", "progress", "RAG"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            row["id"],
            row["title"],
            row["owner"],
            row["due"],
            row["status"],
            f"{row['progress']}%",
            row["rag"],
        )
    console.print(table)


@command(cli, "summary")
@click.option("--quarter", required=True, help=QUARTER_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_context
def summary(ctx: click.Context, quarter: str, as_json: bool) -> None:
    """The figures of one quarter (SPEC section 5)."""
    store = _store(ctx)
    result = summarise(store, quarter)
    if as_json:
        _print_json(result)
        return
    actions, complaints = result["actions"], result["complaints"]
    table = Table(title=f"{result['quarter']} ({result['start']} to {result['end']})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in (
        "total",
        "open",
        "overdue",
        "slipped",
        "completed_in_quarter",
        "completed_on_time_in_quarter",
        "on_time_rate",
        "mean_progress",
        "due_next_quarter",
        "new",
    ):
        value = actions[key]
        shown = f"{value:.0%}" if key == "on_time_rate" and value is not None else _shown(value)
        table.add_row(key.replace("_", " "), shown)
    for key, value in actions["by_rag"].items():
        table.add_row(f"RAG {key.replace('_', ' ')}", str(value))
    for key, value in complaints["received"].items():
        table.add_row(f"complaints received, {key}", str(value))
    for key in (
        "decided",
        "upheld_rate",
        "remedies_due",
        "remedies_on_time",
        "remedies_late",
        "remedies_outstanding",
        "compliments",
    ):
        value = complaints[key]
        shown = f"{value:.0%}" if key == "upheld_rate" and value is not None else _shown(value)
        table.add_row(key.replace("_", " "), shown)
    console.print(table)


@command(cli, "import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    default=None,
    help="sources, recommendations, actions, updates, complaints or compliments "
    "(an .xlsx without --kind takes every sheet named after a kind).",
)
@click.option("--by", default=None, help="Who is recording (default ACTIONPLAN_USER or login).")
@click.pass_context
def import_command(ctx: click.Context, file: str, kind: str | None, by: str | None) -> None:
    """Import a CSV or .xlsx file: all of it, or nothing."""
    from .spreadsheets import import_file
    from .spreadsheets.importer import KindNeededError

    try:
        counts = import_file(_store(ctx), file, kind=kind, by=by or default_user())
    except KindNeededError as error:
        raise click.UsageError(str(error)) from None
    click.echo("Imported " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@command(cli, "export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def export_command(ctx: click.Context, file: str) -> None:
    """Export actions to .csv, or the whole plan with its history to .xlsx."""
    from .spreadsheets import export_file

    click.echo(f"Wrote {export_file(_store(ctx), file)}")


@command(cli, "report")
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
    from .report.parallel import render_all
    from .report.render import render_report

    if every == bool(quarter):
        raise click.UsageError("give either --quarter Q or --all")
    store = _store(ctx)
    if every:
        for path in render_all(store, out_dir=out, audience=audience):
            click.echo(str(path))
    else:
        click.echo(str(render_report(store, quarter, out_dir=out, audience=audience)))


@command(cli, "migrate")
@click.pass_context
def migrate_command(ctx: click.Context) -> None:
    """Bring a database made by an older actionplan up to this version's schema."""
    from .store.migrations import migrate

    store = Store(ctx.obj)
    old, new = migrate(store)
    if old == new:
        click.echo(f"{store.display_name} is already at schema {new}; nothing to do")
    else:
        click.echo(f"Migrated {store.display_name} from schema {old} to {new}")


@command(cli, "backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def backup_command(ctx: click.Context, file: str) -> None:
    """Copy a SQLite plan to FILE, consistently, while others may be saving."""
    from .store.backup import backup

    store = Store(ctx.obj)
    click.echo(f"Backed up {store.display_name} to {backup(store, file)}")


def _shown(value: Any) -> str:
    return "-" if value is None else str(value)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="actionplan")
