"""The `actionplan` command group and what every command shares.

Each command opens the plan, calls one function of the package, and turns an
`ActionPlanError` into one line on stderr with exit code 1; usage mistakes
exit 2 (click's rule). Only click is imported up front: every command
imports what it needs when it runs, so `actionplan --help` is quick.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from ..errors import ActionPlanError

if TYPE_CHECKING:
    from ..store import Store

#: How every `--quarter` option describes what it accepts (see `quarters.parse_quarter`).
QUARTER_HELP = "e.g. 2024-25-Q3, 2024/25 Q3, current, previous or latest (any case)."
#: How every `--by` option describes itself.
BY_HELP = "Who is recording (default ACTIONPLAN_USER or login)."


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a problem the user can fix into one line on stderr and exit 1."""
    try:
        yield
    except ActionPlanError as error:
        raise click.ClickException(str(error)) from None
    except Exception as error:
        if not type(error).__module__.startswith("sqlalchemy"):
            raise
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise click.ClickException(f"database: {reason}") from None


def command(name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """Register a command of `actionplan` whose user errors become one-line exits."""

    def decorate(function: Callable[..., Any]) -> click.Command:
        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with user_errors():
                return function(*args, **kwargs)

        return cli.command(name)(run)

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


def open_plan(ctx: click.Context, check: bool = True) -> Store:
    """The plan named by `--db`, checked to be one this version can read."""
    from ..store import open_store

    return open_store(ctx.obj, check=check)


def print_json(value: Any) -> None:
    """One JSON document on stdout, dates as ISO text."""
    from ..records import as_plain

    click.echo(json.dumps(value, indent=None, default=as_plain))


def print_table(
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    right: Sequence[str] = (),
) -> None:
    """A table on stdout; `right` names the columns aligned right (numbers)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for heading in headings:
        table.add_column(heading, justify="right" if heading in right else "left")
    for row in rows:
        table.add_row(*(shown(cell) if cell is None else str(cell) for cell in row))
    Console().print(table)


def shown(value: Any) -> str:
    """A figure in a terminal table: a dash for nothing."""
    return "-" if value is None else str(value)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="actionplan")
