"""A digest as its recipient reads it: a web page, an email message, a line of a CSV file.

The page is one self-contained, accessible HTML file (the report's style
sheet, so it reads on a phone as the report does); the message is a standard
`multipart/alternative` email with that page and a plain-text version. Files
are written atomically into one folder: `<who>.html`, `<who>.eml` and
`requests.csv` listing every request.
"""

from __future__ import annotations

import csv
import io
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..atomic import atomic_write
from ..dates import in_words
from ..report.html import Table, rag_badge, report_css, text
from ..vocab import word
from .choose import Digest

#: The columns of `requests.csv`, one row per action asked about.
CSV_COLUMNS: tuple[str, ...] = (
    "recipient",
    "email",
    "reply_by",
    "action_id",
    "title",
    "owner",
    "due",
    "rag",
    "schedule_rag",
    "last_update_on",
    "asked",
)


def page(digest: Digest, council: str, sender: str) -> str:
    """The digest as one self-contained HTML page."""
    asks = Table(
        f"Actions to update by {in_words(digest.reply_by)}",
        ["Action", "Title", "Due", "RAG", "Last update", "What we ask"],
        [
            [
                ask.action_id,
                ask.title,
                in_words(ask.due),
                rag_badge(ask.rag),
                in_words(ask.last_update_on) if ask.last_update_on else "none yet",
                ask.asked,
            ]
            for ask in digest.asks
        ],
    )
    name = text(digest.recipient.name)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(digest.subject)}</title>\n<style>\n{report_css()}\n</style>\n</head>\n"
        '<body>\n<main id="report-main">\n<header class="report-title">'
        f'<p class="eyebrow">{text(council)} · Improvement action plan</p>'
        f"<h1>{text(digest.subject)}</h1></header>\n"
        f"<p>Dear {name},</p>\n"
        f"<p>Please bring {_these(digest)} up to date in the plan by "
        f"<strong>{text(in_words(digest.reply_by))}</strong>, so that the quarterly report "
        "says where they stand. Each row says what we ask and why.</p>\n"
        f"{asks.to_html()}\n"
        "<p>Record each update in the officers' workbook (choose the action's ID, change "
        "what has moved, Save), or with <code>actionplan update ID</code>. A new due date "
        "needs its reason.</p>\n"
        f"<p>Thank you,<br>{text(sender)}</p>\n</main>\n</body>\n</html>\n"
    )


def _these(digest: Digest) -> str:
    count = len(digest.asks)
    return "this action" if count == 1 else f"these {count} actions"


def plain_text(digest: Digest, sender: str) -> str:
    """The digest as plain text, for mail programs that show no HTML."""
    lines = [
        f"Dear {digest.recipient.name},",
        "",
        f"Please bring {_these(digest)} up to date in the plan by {in_words(digest.reply_by)}.",
        "",
    ]
    for ask in digest.asks:
        lines += [
            f"{ask.action_id}: {ask.title}",
            f"  Due {in_words(ask.due)}; RAG {word(ask.rag)}; last update "
            + (in_words(ask.last_update_on) if ask.last_update_on else "none yet"),
            f"  {ask.asked}",
            "",
        ]
    lines += [
        "Record each update in the officers' workbook, or with `actionplan update ID`.",
        "",
        "Thank you,",
        sender,
    ]
    return "\n".join(lines) + "\n"


def message(digest: Digest, council: str, sender: str, sender_address: str) -> EmailMessage:
    """The digest as a standard email: a plain-text part and the HTML page."""
    mail = EmailMessage()
    mail["Subject"] = digest.subject
    mail["From"] = f"{sender} <{sender_address}>" if sender_address else sender
    if digest.recipient.email:
        mail["To"] = f"{digest.recipient.name} <{digest.recipient.email}>"
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender_address.partition("@")[2] or None)
    mail.set_content(plain_text(digest, sender))
    mail.add_alternative(page(digest, council, sender), subtype="html")
    return mail


def csv_rows(digests: list[Digest]) -> str:
    """`requests.csv`: one row per action asked about."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for digest in digests:
        for ask in digest.asks:
            writer.writerow(
                [
                    digest.recipient.name,
                    digest.recipient.email or "",
                    digest.reply_by.isoformat() if digest.reply_by else "",
                    ask.action_id,
                    ask.title,
                    ask.owner,
                    ask.due.isoformat(),
                    ask.rag,
                    ask.schedule_rag,
                    ask.last_update_on.isoformat() if ask.last_update_on else "",
                    ask.asked,
                ]
            )
    return buffer.getvalue()


def write_digests(
    digests: list[Digest], folder: str | Path, council: str, sender: str, sender_address: str
) -> list[Path]:
    """Write `<who>.html` and `<who>.eml` for each digest, and `requests.csv`; their paths."""
    out = Path(folder)
    written: list[Path] = []
    for digest in digests:
        key = digest.recipient.key
        atomic_write(out / f"{key}.html", page(digest, council, sender))
        mail = message(digest, council, sender, sender_address)
        atomic_write(out / f"{key}.eml", mail.as_bytes())
        written += [out / f"{key}.html", out / f"{key}.eml"]
    atomic_write(out / "requests.csv", csv_rows(digests).encode("utf-8-sig"))
    written.append(out / "requests.csv")
    return written
