"""Commands on the plan's actions: create the plan, add and update actions, list them, their history."""

from __future__ import annotations

from typing import Any

import click

from .app import (
    BY_HELP,
    QUARTER_HELP,
    command,
    event_lines,
    open_plan,
    plan_store,
    print_blocks,
    print_json,
    print_table,
    terminal_width,
)

#: Below this many columns `list` prints a block per action, and `history` one
#: per event: their tables (eight and seven columns) left titles and changes a
#: few letters wide, broken mid-word.
WIDE_LIST = 110
WIDE_HISTORY = 150


@command("init")
@click.option(
    "--demo",
    is_flag=True,
    help="Load the fictional demo plan from data/demo, dated so its last quarter just ended.",
)
@click.option(
    "--demo-people",
    is_flag=True,
    help="With --demo: also register the demo's fictional team, to try roles (docs/team.md).",
)
@click.option("--council", default=None, help="Council name shown on reports.")
@click.option(
    "--first-month",
    type=click.IntRange(1, 12),
    default=None,
    help="Month the financial year starts (default 4, April).",
)
@click.pass_context
def init(
    ctx: click.Context,
    demo: bool,
    demo_people: bool,
    council: str | None,
    first_month: int | None,
) -> None:
    """Create the database (with the demo plan)."""

    store = plan_store(ctx)
    if demo_people and not demo:
        raise click.UsageError("--demo-people goes with --demo")
    if not demo:
        store.initialise(council=council, first_month=first_month)
        click.echo(f"Created {store.display_name}")
        return
    from ..demo import load_demo
    from ..store.queries import latest_quarter

    load_demo(store, council=council, first_month=first_month, people=demo_people)
    click.echo(
        f"Created {store.display_name} with the demo plan, dated to today: "
        f"its last quarter is {latest_quarter(store).label}"
    )
    if demo_people:
        from ..store.people import list_people

        team = ", ".join(f"{p.login} ({p.role})" for p in list_people(store))
        click.echo(
            f"Registered the demo team: {team}. Every write is now checked: act as one of "
            "them with e.g. ACTIONPLAN_USER=dana.reid (see docs/team.md)"
        )


@command("add-action")
@click.option("--id", "action_id", required=True, help="New action's id.")
@click.option("--recommendation", required=True, help="Id of the recommendation it answers.")
@click.option("--title", required=True)
@click.option("--owner", required=True)
@click.option("--due", required=True, help="Due date, 2025-03-31 or 31/03/2025.")
@click.option("--team", default=None)
@click.option("--description", default=None)
@click.option("--start-on", default=None, help="When work starts.")
@click.option("--status", default=None)
@click.option("--progress", default=None, help="0 to 100.")
@click.option("--created-on", default=None, help="Default today.")
@click.option(
    "--baseline-due",
    default=None,
    help="The due date first agreed, when --due is a revision of it (default --due).",
)
@click.option(
    "--completed-on",
    default=None,
    help="When an action already done was completed (it is recorded complete from then).",
)
@click.option("--by", default=None, help=BY_HELP)
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
    from ..identity import default_user

    store = open_plan(ctx)
    record = {
        "id": action_id,
        "recommendation_id": recommendation,
        "created_on": created_on,
        **fields,
    }
    store.add_action(record, by=by or default_user())
    click.echo(f"Added action {action_id}")


@command("update")
@click.argument("action_id")
@click.option("--progress", default=None, help="0 to 100.")
@click.option("--status", default=None)
@click.option("--due", default=None, help="New due date; needs --reason.")
@click.option("--reason", default=None, help="Why the due date changed.")
@click.option("--note", default=None)
@click.option("--completed-on", default=None, help="When it was completed (default --as-of).")
@click.option("--title", default=None, help="A corrected title.")
@click.option("--owner", default=None, help="A new owner (the action is handed over).")
@click.option("--team", default=None, help="A new team.")
@click.option("--description", default=None, help="A corrected description.")
@click.option("--as-of", default=None, help="The date this update describes (default today).")
@click.option("--by", default=None, help=BY_HELP)
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
    """Record progress, status, a new due date, a correction or a note on an action.

    Every change, a corrected title or a new owner too, is a dated event in the
    action's history.
    """
    from ..identity import default_user

    store = open_plan(ctx)
    event = store.record_update(
        {"action_id": action_id, "by": by or default_user(), **fields},
        expected_version=expect_version,
    )
    if event["kind"] == "request":
        asked = event["changes"]["requested_due"]["new"]
        click.echo(
            f"Asked for {action_id} to be due {asked} (request {event['request_id']}); "
            "a lead or manager approves or refuses it (actionplan due-requests)"
        )
        return
    changed = ", ".join(
        f"{field} {change['old']} -> {change['new']}" for field, change in event["changes"].items()
    )
    click.echo(f"Recorded version {event['version']} of {action_id}: {changed or 'note only'}")


@command("history")
@click.argument("action_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
@click.pass_context
def show_history(ctx: click.Context, action_id: str, as_json: bool) -> None:
    """Every recorded change to an action, oldest first."""
    events = open_plan(ctx).history(action_id)
    if as_json:
        print_json(events)
        return
    if terminal_width() < WIDE_HISTORY:
        print_blocks(
            f"History of {action_id}, oldest first",
            [
                (
                    f"v{event['version']}",
                    [
                        *event_lines(event["as_of"], event),
                        *([f"Reason: {event['reason']}"] if event["reason"] else []),
                        *([f"Note: {event['note']}"] if event["note"] else []),
                    ],
                )
                for event in events
            ],
            caption="Each version: the day it describes (as of), when and by whom it was "
            "recorded, then what it changed. A wider terminal shows a table.",
        )
        return
    print_table(
        f"History of {action_id}",
        ("version", "recorded (UTC)", "as of", "by", "changes", "reason", "note"),
        [
            (
                event["version"],
                event["recorded_at"][:19].replace("T", " "),
                event["as_of"],
                event["by"],
                "\n".join(
                    f"{field}: {change['old']} -> {change['new']}"
                    for field, change in event["changes"].items()
                ),
                event["reason"] or "",
                event["note"] or "",
            )
            for event in events
        ],
        whole=("version", "recorded (UTC)", "as of"),
    )


@command("list")
@click.option("--owner", default=None, help="The whole owner, any case (--search finds words).")
@click.option("--team", default=None)
@click.option("--status", default=None)
@click.option("--overdue", is_flag=True, help="Only open actions past their due date.")
@click.option(
    "--stale", is_flag=True, help="Only open actions not updated this quarter (SPEC section 9)."
)
@click.option(
    "--search", default=None, help="Words to find in the id, title, owner or team (any case)."
)
@click.option(
    "--quarter", default=None, help="As the plan stood at this quarter's end: " + QUARTER_HELP
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of actions.")
@click.pass_context
def list_actions(ctx: click.Context, as_json: bool, **filters: Any) -> None:
    """List actions (as they stand, or at a quarter's end), most urgent first."""
    from ..store.queries import action_list
    from ..vocab import counted, word

    rows = action_list(open_plan(ctx), **filters)
    if as_json:
        print_json(rows)
        return
    title = counted(len(rows), "action")
    if terminal_width() < WIDE_LIST:
        print_blocks(
            f"{title}, most urgent first",
            [
                (
                    row["id"],
                    [
                        row["title"],
                        f"{row['owner']} · due {row['due']}",
                        f"{word(row['status'])}, {row['progress']}% done · RAG {word(row['rag'])}",
                        " · ".join(
                            part
                            for part in (
                                row["schedule_rag"]
                                and f"Schedule {word(row['schedule_rag']).lower()}",
                                row["not_updated"] and "not updated this quarter",
                            )
                            if part
                        ),
                    ],
                )
                for row in rows
            ],
            caption="Schedule: what the dates suggest. A wider terminal shows a table.",
        )
        return
    print_table(
        title,
        ("id", "title", "owner", "due", "status", "done", "RAG", "schedule"),
        [
            (
                row["id"],
                row["title"],
                row["owner"],
                row["due"],
                word(row["status"]),
                f"{row['progress']}%",
                word(row["rag"]),
                word(row["schedule_rag"]) + (" *" if row["not_updated"] else ""),
            )
            for row in rows
        ],
        whole=("id", "due", "done", "schedule"),
        right=("done",),
        caption="done: progress; schedule: what the dates suggest; * not updated this quarter",
    )
