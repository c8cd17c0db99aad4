"""`actionplan requests`: asking owners, one digest each, to bring their actions up to date."""

from __future__ import annotations

import click

from .app import command, open_plan, print_table


# The defaults are requests.choose's DUE_WITHIN_DAYS, STALE_AFTER_DAYS and
# REPLY_WITHIN_WORKING_DAYS, written out so that `--help` need not import
# pandas; tests/test_requests.py keeps them in step.
@command("requests")
@click.option(
    "--due-within",
    default=45,
    show_default=True,
    type=click.IntRange(0, 3650),
    help="Ask about open actions due within this many days.",
)
@click.option(
    "--stale-after",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Ask about open actions not updated for this many days.",
)
@click.option(
    "--reply-within",
    default=10,
    show_default=True,
    type=click.IntRange(1, 260),
    help="Working days to reply in (England and Wales bank holidays skipped).",
)
@click.option(
    "--out",
    default="requests",
    show_default=True,
    help="Folder for <who>.html, <who>.eml and requests.csv.",
)
@click.option("--send", is_flag=True, help="Also send them over SMTP (ACTIONPLAN_SMTP_*).")
@click.option("--log", "show_log", is_flag=True, help="Show every request sent, and nothing else.")
@click.pass_context
def requests_command(
    ctx: click.Context,
    due_within: int,
    stale_after: int,
    reply_within: int,
    out: str,
    send: bool,
    show_log: bool,
) -> None:
    """Write (and with --send, email) one update request per owner: due soon, overdue or stale."""
    from ..identity import default_user
    from ..requests.choose import unreachable
    from ..requests.digest import write_digests
    from ..requests.plan import make_digests
    from ..vocab import counted

    store = open_plan(ctx)
    if show_log:
        from ..dates import in_words
        from ..store.requests import request_log

        rows = request_log(store)
        print_table(
            counted(len(rows), "request") + " sent",
            ("sent (UTC)", "to", "email", "actions", "reply by", "by"),
            [
                (
                    row["sent_at"].isoformat(sep=" ", timespec="minutes"),
                    row["recipient"],
                    row["email"],
                    row["action_ids"].replace(";", ", "),
                    in_words(row["reply_by"]),
                    row["by"],
                )
                for row in rows
            ],
            whole=("sent (UTC)", "reply by"),
        )
        return
    settings = None
    if send:
        from ..requests.send import MailSettings

        settings = MailSettings.from_environment()
    digests = make_digests(
        store, due_within=due_within, stale_after=stale_after, reply_within=reply_within
    )
    sender = settings.sender_name if settings else "Improvement team"
    address = settings.sender_address if settings else ""
    write_digests(digests, out, store.council, sender, address)
    asked = sum(len(digest.asks) for digest in digests)
    click.echo(f"Wrote {counted(len(digests), 'request')} ({counted(asked, 'action')}) to {out}")
    nowhere = unreachable(digests)
    if nowhere and not send:
        click.echo(
            f"No email address for {', '.join(nowhere)}: their digests are written but "
            "cannot be sent until someone who answers for them is registered with an email "
            "(`actionplan people add LOGIN --name N --owns OWNER --email E`)"
        )
    if settings is not None:
        from ..requests.send import send_digests

        sent = send_digests(store, digests, settings, store.council, default_user())
        click.echo(f"Sent {counted(sent, 'request')} through {settings.host}")
