"""The `actionplan` command group and what every command shares.

Each command opens the plan, calls one function of the package, and turns an
`ActionPlanError` into one line on stderr with exit code 1; usage mistakes
exit 2 (click's rule). Only click is imported up front: every command
imports what it needs when it runs, so `actionplan --help` is quick.
"""

from __future__ import annotations

import json
import logging
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..errors import ActionPlanError

if TYPE_CHECKING:
    from ..store import Store

#: How every `--quarter` option describes what it accepts (see `quarters.parse_quarter`).
QUARTER_HELP = "e.g. 2024-25-Q3, 2024/25 Q3, current, previous or latest (any case)."
#: How every `--by` option describes itself.
BY_HELP = (
    "Who is recording (default JUPYTERHUB_USER, ACTIONPLAN_USER or login); "
    "once people are registered, only your own name."
)


#: What a person sees when they press Ctrl-C: every write is one transaction, rolled back.
INTERRUPTED = "Interrupted; nothing was changed"
#: What they see if Ctrl-C came after the command's change had been committed.
INTERRUPTED_AFTER_SAVING = "Interrupted, but only after the change had been saved"
#: The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells expect.
INTERRUPTED_STATUS = 130


@dataclass
class Options:
    """The options given before the command: the plan, and whether to show tracebacks."""

    db: str | None = None
    debug: bool = False


@contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """Whatever goes wrong, one line on stderr: never a traceback unless `--debug` asks.

    A problem the user can fix (`ActionPlanError`) exits 1 with its message; a
    database error exits 1 with the database's own first line; Ctrl-C exits
    130 (the transaction in progress is rolled back by its context manager);
    anything else is a bug, reported in one line with a hint to rerun with `--debug`.
    """
    saved = _commits()
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except BaseException as error:
        if isinstance(error, SystemExit):
            raise
        if _interrupted(error):
            interrupted(INTERRUPTED if _commits() == saved else INTERRUPTED_AFTER_SAVING)
        if isinstance(error, ActionPlanError):
            raise click.ClickException(str(error)) from None
        if debug or not isinstance(error, Exception):
            raise
        if type(error).__module__.startswith("sqlalchemy"):
            reason = _first_line(getattr(error, "orig", None) or error)
            raise click.ClickException(f"database: {reason}") from None
        raise click.ClickException(
            f"internal error ({type(error).__name__}: {_first_line(error)}); this is a bug: "
            "rerun with --debug to see the traceback, and report it"
        ) from None


def interrupted(message: str = INTERRUPTED) -> NoReturn:
    """Say that Ctrl-C stopped the command, and exit 130."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(INTERRUPTED_STATUS)


def _commits() -> int:
    """Committed writes so far, without importing the store before a command needs it."""
    engine = sys.modules.get("actionplan.store.engine")
    return engine.commits() if engine is not None else 0


def quiet_database_drivers() -> None:
    """Keep database drivers' own warnings off the terminal (our one line says what happened).

    psycopg logs "error ignored terminating <Pipeline>" when Ctrl-C cancels a
    statement; the rollback it reports is exactly what we promise.
    """
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    logging.getLogger("psycopg").propagate = False


def _interrupted(error: BaseException) -> bool:
    """True for Ctrl-C, or an error raised while unwinding from one (a rolled-back connection)."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        if isinstance(found, KeyboardInterrupt):
            return True
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return False


def _first_line(error: object) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def command(
    name: str, group: click.Group | None = None
) -> Callable[[Callable[..., Any]], click.Command]:
    """Register a command of `actionplan` (or of `group`) whose user errors become one-line exits."""

    def decorate(function: Callable[..., Any]) -> click.Command:
        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            context = click.get_current_context(silent=True)
            options = context.find_object(Options) if context is not None else None
            with user_errors(debug=bool(options and options.debug)):
                return function(*args, **kwargs)

        return (group or cli).command(name)(run)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="ACTIONPLAN_DB",
    default=None,
    help="SQLite file or SQLAlchemy URL (default data/actionplan.db, or ACTIONPLAN_DB).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """Improvement action plans: recommendations, actions, history and quarterly figures."""
    ctx.obj = Options(db, debug)


def plan_store(ctx: click.Context) -> Store:
    """The plan named by `--db`, not yet checked (for `init`, `migrate`, `backup`)."""
    from ..store import Store

    return Store(ctx.find_object(Options).db)


def open_plan(ctx: click.Context, check: bool = True) -> Store:
    """The plan named by `--db`, checked to be one this version can read."""
    from ..store import open_store

    return open_store(ctx.find_object(Options).db, check=check)


def print_json(value: Any) -> None:
    """One JSON document on stdout, dates as ISO text."""
    from ..records import as_plain

    click.echo(json.dumps(value, indent=None, default=as_plain))


def print_table(
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    right: Sequence[str] = (),
    whole: Sequence[str] = (),
    caption: str | None = None,
) -> None:
    """A table on stdout, however narrow the terminal and whatever the text holds.

    `right` names the columns aligned right (numbers); `whole` the columns never
    cut or wrapped (ids, dates): the other columns wrap by words instead.
    Control characters in stored text are shown escaped, never sent to the
    terminal, and text is never read as rich markup.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [
        [terminal_text(shown(cell) if cell is None else str(cell)) for cell in row] for row in rows
    ]
    table = Table(title=Text(terminal_text(title)), caption=Text(caption) if caption else None)
    for index, heading in enumerate(headings):
        widest = max((len(row[index]) for row in cells), default=0)
        keep = heading in whole
        table.add_column(
            heading,
            justify="right" if heading in right else "left",
            no_wrap=keep,
            min_width=max(widest, len(heading)) if keep else None,
            overflow="fold",
        )
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    Console().print(table)


def print_blocks(
    title: str, blocks: Iterable[tuple[str, Sequence[str]]], caption: str | None = None
) -> None:
    """Records as one block each: the key on the left, then one line per part, wrapped by words.

    For terminals too narrow for a table of many columns, where every column
    would shrink until words break mid-word. Each part (a title; the owner and
    due date; the RAG...) starts a line of its own (as does each line of a text
    typed on several), wrapped at spaces only (a date or an id is never split
    at its hyphens) with its further lines indented, and a blank line
    separates the records. Text is made safe as in `print_table`.
    """
    import textwrap

    width = terminal_width()
    shown = [(terminal_text(key), [terminal_text(line) for line in lines]) for key, lines in blocks]
    indent = max((len(key) for key, _ in shown), default=0) + 2
    wrap = textwrap.TextWrapper(
        width=max(width - indent, 20), subsequent_indent="  ", break_on_hyphens=False
    )
    out = [terminal_text(title)]
    for key, lines in shown:
        wrapped = [
            piece for line in lines for part in line.splitlines() for piece in wrap.wrap(part)
        ] or [""]
        out.append("")
        out.extend(
            (key.ljust(indent) if number == 0 else " " * indent) + piece
            for number, piece in enumerate(wrapped)
        )
    if caption:
        out.extend(["", *textwrap.wrap(caption, width=max(width, 20))])
    click.echo("\n".join(out))


def event_lines(heading: str, event: Mapping[str, Any]) -> list[str]:
    """A recorded event as `print_blocks` lines: what it is, when and by whom, then a line a change.

    `event` is a history event as `--json` gives it (`recorded_at`, `by`, `changes`).
    """
    recorded = str(event["recorded_at"])[:19].replace("T", " ")
    return [
        f"{heading}, recorded {recorded} UTC by {event['by']}",
        *(
            f"{name}: {change['old']} -> {change['new']}"
            for name, change in event["changes"].items()
        ),
    ]


def terminal_width() -> int:
    """The terminal's width in columns (`COLUMNS`, else 80 when output is not a terminal)."""
    from rich.console import Console

    return Console().width


def terminal_text(text: str) -> str:
    """Text safe to print: control characters (escape sequences, bells) shown as `\\x1b`.

    Line breaks and tabs are kept as a person typed them.
    """
    return "".join(
        char
        if char in "\n\t" or not unicodedata.category(char).startswith("C") or char == "\u200d"
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def shown(value: Any) -> str:
    """A figure in a terminal table: a dash for nothing."""
    return "-" if value is None else str(value)


def main() -> None:
    """Entry point of the console script: every way out is one line and an exit status."""
    quiet_database_drivers()
    try:
        status = cli.main(prog_name="actionplan", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo(INTERRUPTED, err=True)
        sys.exit(INTERRUPTED_STATUS)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    sys.exit(status if isinstance(status, int) else 0)
