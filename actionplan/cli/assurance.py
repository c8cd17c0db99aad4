"""Closing with assurance (SPEC section 8): evidence, verify, reject, and due-date requests."""

from __future__ import annotations

from pathlib import Path

import click

from ..vocab import counted
from .app import cli, command, open_plan, print_json, print_table


@cli.group("evidence")
def evidence() -> None:
    """Evidence that an action worked: add, list, withdraw, and get a kept file back."""


@command("add", evidence)
@click.argument("action_id")
@click.option("--description", required=True, help="What the evidence shows.")
@click.option("--link", default=None, help="A URL or a document reference.")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file to keep in the plan (at most 20 MB); its SHA-256 is recorded.",
)
@click.pass_context
def add(
    ctx: click.Context, action_id: str, description: str, link: str | None, file: Path | None
) -> None:
    """Add an evidence item to ACTION_ID."""
    from ..store.evidence import add_evidence

    item = add_evidence(open_plan(ctx), action_id, description, link=link, file=file)
    kept = f", file {item['filename']} sha256 {item['sha256']}" if item["filename"] else ""
    click.echo(f"Added evidence {item['id']} to {action_id}{kept}")


@command("list", evidence)
@click.argument("action_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of items.")
@click.pass_context
def list_command(ctx: click.Context, action_id: str, as_json: bool) -> None:
    """Every evidence item of ACTION_ID, withdrawn ones marked."""
    from ..store.evidence import list_evidence, megabytes

    items = list_evidence(open_plan(ctx), action_id)
    if as_json:
        print_json(items)
        return
    if not items:
        click.echo(f"{action_id} has no evidence yet")
        return
    print_table(
        f"Evidence of {action_id}",
        ("id", "added", "by", "description", "link or file", "withdrawn"),
        [
            (
                item["id"],
                item["added_on"],
                item["added_by"],
                item["description"],
                "; ".join(
                    part
                    for part in (
                        item["link"],
                        item["filename"] and f"{item['filename']} ({megabytes(item['size'])})",
                    )
                    if part
                ),
                f"{item['withdrawn_by']}: {item['withdrawn_reason']}" if item["withdrawn"] else "",
            )
            for item in items
        ],
        whole=("id", "added"),
    )


@command("withdraw", evidence)
@click.argument("evidence_id")
@click.option("--reason", required=True, help="Why it does not count (it is kept, marked).")
@click.pass_context
def withdraw(ctx: click.Context, evidence_id: str, reason: str) -> None:
    """Mark evidence item EVIDENCE_ID withdrawn; it is never deleted."""
    from ..store.evidence import withdraw_evidence

    item = withdraw_evidence(open_plan(ctx), evidence_id, reason)
    click.echo(f"Withdrew evidence {item['id']} of {item['action_id']}")


@command("get", evidence)
@click.argument("evidence_id")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write (or a folder to write it into by its name).",
)
@click.pass_context
def get(ctx: click.Context, evidence_id: str, out: Path) -> None:
    """Write the file of evidence item EVIDENCE_ID, after checking its SHA-256."""
    from ..store.evidence import save_evidence_file

    written = save_evidence_file(open_plan(ctx), evidence_id, out)
    click.echo(f"Wrote {written} (SHA-256 checked)")


@command("verify")
@click.argument("action_id")
@click.option("--note", default=None, help="What was checked.")
@click.option("--as-of", default=None, help="The date of the check (default today).")
@click.pass_context
def verify(ctx: click.Context, action_id: str, note: str | None, as_of: str | None) -> None:
    """Verify a completed action: by a lead or manager who neither completed nor owns it."""
    event = open_plan(ctx).verify(action_id, note=note, as_of=as_of)
    click.echo(f"Verified {action_id} (version {event['version']}, by {event['by']})")


@command("reject")
@click.argument("action_id")
@click.option("--reason", required=True, help="Why the completion does not stand.")
@click.option("--due", required=True, help="The new due date.")
@click.option("--status", default=None, help="The status it reopens with (default on_track).")
@click.option("--note", default=None)
@click.option("--as-of", default=None, help="The date of the decision (default today).")
@click.pass_context
def reject(ctx: click.Context, action_id: str, **values: str | None) -> None:
    """Reject a completion: the action reopens with a new due date."""
    event = open_plan(ctx).reject(action_id, **values)
    status = event["changes"]["status"]["new"]
    click.echo(f"Rejected the completion of {action_id}: reopened {status}, due {values['due']}")


@command("due-requests")
@click.option("--all", "show_all", is_flag=True, help="Answered requests too.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of requests.")
@click.pass_context
def due_requests(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Due-date requests waiting for a lead or manager (approve ID, refuse ID --reason R)."""
    from ..store.due_requests import due_requests as found_requests

    found = found_requests(open_plan(ctx), None if show_all else "pending")
    if as_json:
        print_json(found)
        return
    if not found:
        click.echo("No due-date requests are waiting" if not show_all else "No due-date requests")
        return
    # Waiting requests are all "pending": the state column is for --all only.
    headings = ("id", "action", "asked", "by", "due now", "asked for", "reason")
    print_table(
        counted(len(found), "due-date request"),
        (*headings, "state") if show_all else headings,
        [
            (
                r["id"],
                r["action_id"],
                r["requested_on"],
                r["requested_by"],
                r["current_due"],
                r["due"],
                r["reason"],
                *((r["state"],) if show_all else ()),
            )
            for r in found
        ],  # fmt: skip
        whole=("id", "action", "asked", "by", "due now", "asked for", "state"),
    )


@command("approve")
@click.argument("request_id")
@click.option("--note", default=None)
@click.pass_context
def approve(ctx: click.Context, request_id: str, note: str | None) -> None:
    """Approve due-date request REQUEST_ID: the action's due date changes."""
    event = open_plan(ctx).approve_request(request_id, note=note)
    due = event["changes"].get("due", {}).get("new")
    click.echo(f"Approved request {request_id}: {event['action_id']} is now due {due}")


@command("refuse")
@click.argument("request_id")
@click.option("--reason", required=True, help="Why the due date stays.")
@click.pass_context
def refuse(ctx: click.Context, request_id: str, reason: str) -> None:
    """Refuse due-date request REQUEST_ID, with a reason; the due date stays."""
    event = open_plan(ctx).refuse_request(request_id, reason=reason)
    click.echo(f"Refused request {request_id} for {event['action_id']}")
