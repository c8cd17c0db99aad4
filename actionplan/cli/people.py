"""`actionplan people`: register the team, change roles, and see each person's history (SPEC 7)."""

from __future__ import annotations

import sys
from typing import Any

import click

from .app import (
    cli,
    command,
    event_lines,
    open_plan,
    print_blocks,
    print_json,
    print_table,
    terminal_width,
)

ROLE_HELP = "viewer, officer, lead or manager."
OWNS_HELP = 'Owner names they answer for, ";"-separated (e.g. "Carers Lead;Head of Finance").'
#: Below this many columns `people list` and `people history` print a block per
#: person or version: their tables broke owner names and emails mid-word at 80.
WIDE_PEOPLE = 130


@cli.group("people")
def people() -> None:
    """Register the people of a team and their roles; from then on every write is checked."""


@command("add", people)
@click.argument("login")
@click.option("--name", required=True, help="How they appear in history and reports.")
@click.option("--role", required=True, help=ROLE_HELP)
@click.option("--owns", default=None, help=OWNS_HELP)
@click.option("--team", default=None)
@click.option("--email", default=None, help="Where update requests go.")
@click.pass_context
def add(ctx: click.Context, login: str, **fields: Any) -> None:
    """Register a person: LOGIN is the name they sign in with."""
    from ..store.people import add_person

    person = add_person(open_plan(ctx), {"login": login, **fields})
    click.echo(f"Registered {person.login} ({person.name}) as {person.role}")


@command("set", people)
@click.argument("login")
@click.option("--name", default=None)
@click.option("--role", default=None, help=ROLE_HELP)
@click.option("--owns", default=None, help=OWNS_HELP + ' "" clears them.')
@click.option("--team", default=None)
@click.option("--email", default=None)
@click.option(
    "--active/--inactive",
    default=None,
    help="--inactive when they leave: they can no longer sign in or write.",
)
@click.pass_context
def set_command(ctx: click.Context, login: str, **changes: Any) -> None:
    """Change a person's name, role, owner names, team, email, or whether they are active."""
    from ..store.people import change_person

    person = change_person(open_plan(ctx), login, changes)
    state = "" if person.active else ", inactive"
    click.echo(f"Changed {person.login} ({person.name}): {person.role}{state}")


@command("password", people)
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (for scripts).")
@click.pass_context
def password(ctx: click.Context, login: str, password_stdin: bool) -> None:
    """Set the password LOGIN signs in to the team service with (only a hash is kept)."""
    from ..store.people import set_password

    store = open_plan(ctx)
    if password_stdin:
        typed = sys.stdin.readline().rstrip("\n")
    else:
        typed = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    set_password(store, login, typed)
    click.echo(f"Set the password of {login.strip().lower()}")


@command("list", people)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of people.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Everyone registered, with their role and the owner names they answer for."""
    from ..store.people import list_people

    found = list_people(open_plan(ctx))
    if as_json:
        print_json([{**vars(person), "owns": list(person.owns)} for person in found])
        return
    if not found:
        click.echo("Nobody is registered: whoever runs actionplan may do everything.")
        return
    if terminal_width() < WIDE_PEOPLE:
        print_blocks(
            f"{len(found)} people",
            [
                (
                    p.login,
                    [
                        f"{p.name} · {p.role}" + ("" if p.active else " · no longer active"),
                        *([f"Owns: {'; '.join(p.owns)}"] if p.owns else []),
                        *([f"Team: {p.team}"] if p.team else []),
                        *([p.email] if p.email else []),
                    ],
                )
                for p in found
            ],
        )
        return
    print_table(
        f"{len(found)} people",
        ("login", "name", "role", "owns", "team", "email", "active"),
        [
            (
                p.login,
                p.name,
                p.role,
                "; ".join(p.owns),
                p.team or "",
                p.email or "",
                "yes" if p.active else "no",
            )
            for p in found
        ],
        whole=("login", "role"),
    )


@command("history", people)
@click.argument("login")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
@click.pass_context
def history(ctx: click.Context, login: str, as_json: bool) -> None:
    """Every registration and change of one person, oldest first."""
    from ..store.people import person_history

    events = person_history(open_plan(ctx), login)
    if as_json:
        print_json(events)
        return
    if terminal_width() < WIDE_PEOPLE:
        print_blocks(
            f"History of {login.strip().lower()}, oldest first",
            [
                (
                    f"v{event['version']}",
                    event_lines(event["kind"], event),
                )
                for event in events
            ],
        )
        return
    print_table(
        f"History of {login.strip().lower()}",
        ("version", "recorded (UTC)", "what", "by", "changes"),
        [
            (
                event["version"],
                event["recorded_at"][:19].replace("T", " "),
                event["kind"],
                event["by"],
                "\n".join(
                    f"{name}: {change['old']} -> {change['new']}"
                    for name, change in event["changes"].items()
                ),
            )
            for event in events
        ],
        whole=("version", "recorded (UTC)"),
    )


@command("me", people)
@click.pass_context
def me(ctx: click.Context) -> None:
    """Who you are acting as, and your role (from JUPYTERHUB_USER, ACTIONPLAN_USER or login)."""
    from ..store.people import acting

    actor = acting(open_plan(ctx))
    if not actor.checked:
        click.echo(f"{actor.login}: nobody is registered, so you may do everything")
    else:
        click.echo(f"{actor.login}: {actor.name} ({actor.role})")
