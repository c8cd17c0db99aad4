"""Update requests (SPEC section 9): one digest per owner, working days, email, the log.

The mail goes to a real SMTP server started here on 127.0.0.1 (aiosmtpd); what
arrives is parsed with the standard `email` package.
"""

from __future__ import annotations

import csv
import email
import socket
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.requests.choose import Recipient, choose_asks, digests
from actionplan.requests.plan import make_digests
from actionplan.requests.send import MailSettings, send_digests
from actionplan.store import Store
from actionplan.store.requests import request_log
from actionplan.workdays import add_working_days

#: A Friday before Christmas: ten working days skip Christmas Day, Boxing Day
#: (observed on Monday 28 Dec 2026) and New Year's Day.
TODAY = date(2026, 12, 18)


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays() -> None:
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)
    # Friday before the Late Summer bank holiday (Monday 31 Aug 2026).
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)
    assert add_working_days(date(2026, 11, 30), 10) == date(2026, 12, 14)


def fill(plan: Store, today: date) -> Store:
    """Three owners, seen at `today`: one with two actions to chase, one with one, one with none."""

    def add(action_id: str, owner: str, due_in: int, created_ago: int = 200) -> None:
        plan.add_action(
            {
                "id": action_id,
                "recommendation_id": "R1",
                "title": f"Action {action_id}",
                "owner": owner,
                "due": (today + timedelta(days=due_in)).isoformat(),
                "created_on": (today - timedelta(days=created_ago)).isoformat(),
                "status": "on_track",
            },
            by="Officer",
            today=today,
        )

    add("A-OVERDUE", "Head of Assessment", -17)
    add("A-SOON", "Head of Assessment", 33)  # within 45 days
    add("A-STALE", "Carers Lead", 286)  # not updated for 200 days
    add("A-FINE", "Quality Manager", 286, created_ago=8)  # nothing to ask
    add("A-LATER", "Carers Lead", 286, created_ago=17)  # nothing to ask
    return plan


@pytest.fixture
def asked(plan: Store) -> Store:
    """The plan on the Friday before Christmas 2026 (fixed: working days are checked)."""
    return fill(plan, TODAY)


@pytest.fixture
def asked_today(plan: Store) -> Store:
    """The same plan seen from today, for the command line (which asks at today's date)."""
    return fill(plan, date.today())


def test_one_digest_per_owner_with_the_right_actions_and_why(asked: Store) -> None:
    found = make_digests(asked, today=TODAY)
    assert [(d.recipient.name, [a.action_id for a in d.asks]) for d in found] == [
        ("Carers Lead", ["A-STALE"]),
        ("Head of Assessment", ["A-OVERDUE", "A-SOON"]),
    ]
    head = found[1]
    assert head.reply_by == date(2027, 1, 6)
    assert head.subject == "Please update 2 actions by 6 Jan 2027"
    overdue, soon = head.asks
    assert overdue.asked.startswith("It was due on 1 Dec 2026")  # 17 days before
    assert "new due date with the reason" in overdue.asked
    assert soon.asked.startswith("It is due on 20 Jan 2027")  # 33 days after
    assert (
        found[0].asks[0].asked
        == "It has not been updated since it was created: say where it stands."
    )


def test_requests_command_writes_pages_messages_and_a_csv(
    asked_today: Store, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "requests"
    result = CliRunner().invoke(
        cli, ["--db", asked_today.url, "requests", "--out", str(tmp_path), "--stale-after", "30"]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 2 requests (3 actions)" in result.stdout
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        "carers-lead.eml",
        "carers-lead.html",
        "head-of-assessment.eml",
        "head-of-assessment.html",
        "requests.csv",
    ]
    mail = email.message_from_bytes(
        (tmp_path / "head-of-assessment.eml").read_bytes(), policy=policy.default
    )
    assert mail.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in mail.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    assert "A-OVERDUE" in mail.get_body(("plain",)).get_content()
    assert "A-SOON" in mail.get_body(("html",)).get_content()
    with (tmp_path / "requests.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["action_id"] for row in rows) == ["A-OVERDUE", "A-SOON", "A-STALE"]


def test_sending_without_addresses_is_refused_and_nothing_is_sent(
    asked_today: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONPLAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACTIONPLAN_SMTP_FROM", "improvement@example.org")
    result = CliRunner().invoke(
        cli, ["--db", asked_today.url, "requests", "--out", str(tmp_path), "--send"]
    )
    assert result.exit_code == 1
    assert "no email address for Carers Lead, Head of Assessment" in result.stderr
    assert result.stderr.count("\n") == 1
    assert request_log(asked_today) == []


def test_send_needs_a_mail_server_named(asked_today: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("ACTIONPLAN_SMTP_HOST", raising=False)
    monkeypatch.delenv("ACTIONPLAN_SMTP_FROM", raising=False)
    result = CliRunner().invoke(
        cli, ["--db", asked_today.url, "requests", "--out", str(tmp_path), "--send"]
    )
    assert result.exit_code == 1
    assert "set ACTIONPLAN_SMTP_HOST and ACTIONPLAN_SMTP_FROM" in result.stderr
    assert not tmp_path.joinpath("requests.csv").exists()


def mail_server(port: int) -> dict[str, str]:
    """The settings that send to the test's own SMTP server, in plain text on 127.0.0.1."""
    return {
        "ACTIONPLAN_SMTP_HOST": "127.0.0.1",
        "ACTIONPLAN_SMTP_PORT": str(port),
        "ACTIONPLAN_SMTP_TLS": "none",
        "ACTIONPLAN_SMTP_FROM": "improvement@example.org",
    }


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that keeps every message it is given."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[email.message.EmailMessage] = []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(email.message_from_bytes(message.as_bytes(), policy=policy.default))

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_requests_are_sent_one_per_person_and_logged(asked: Store, smtp_server) -> None:
    port, received = smtp_server
    asks = choose_asks_from(asked)
    people = [
        Recipient("head", "Jo Head", "jo.head@example.org", ("Head of Assessment",)),
        Recipient("carers", "Sam Carer", "sam.carer@example.org", ("Carers Lead",)),
    ]
    made = digests(asks, people, TODAY, 10)
    settings = MailSettings.from_environment(mail_server(port))
    assert send_digests(asked, made, settings, "Westbury Council", "Scheduler") == 2
    assert sorted(mail["To"].addresses[0].addr_spec for mail in received) == [
        "jo.head@example.org",
        "sam.carer@example.org",
    ]
    to_jo = next(mail for mail in received if "jo.head" in str(mail["To"]))
    assert to_jo["Subject"] == "Please update 2 actions by 6 Jan 2027"
    body = to_jo.get_body(("plain",)).get_content()
    assert "A-OVERDUE" in body and "A-SOON" in body and "A-STALE" not in body
    assert "6 Jan 2027" in to_jo.get_body(("html",)).get_content()
    log = request_log(asked)
    assert [(row["recipient"], row["action_ids"], row["reply_by"]) for row in log] == [
        ("Jo Head", "A-OVERDUE;A-SOON", date(2027, 1, 6)),
        ("Sam Carer", "A-STALE", date(2027, 1, 6)),
    ]
    assert all(row["by"] == "Scheduler" for row in log)
    shown = CliRunner().invoke(
        cli, ["--db", asked.url, "requests", "--log"], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0 and "2 requests sent" in shown.stdout
    assert "jo.head@example.org" in shown.stdout


def choose_asks_from(store: Store):
    from actionplan.quarters import quarter_of
    from actionplan.store.queries import actions_at

    actions = actions_at(store, store.current_actions(), quarter_of(TODAY).start, TODAY)
    return choose_asks(actions, TODAY)


@pytest.mark.browser
def test_a_digest_reads_on_a_phone_and_is_accessible(
    asked_today: Store, tmp_path: Path, browser
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = CliRunner().invoke(cli, ["--db", asked_today.url, "requests", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto((tmp_path / "head-of-assessment.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert "A-OVERDUE" in page.inner_text("main")
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('main *')]"
            ".filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 12
        violations = Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]
        page.screenshot(path=str(tmp_path / "digest-390.png"), full_page=True)
    finally:
        page.close()


def test_registered_people_get_one_message_each_for_every_owner_name_they_answer_for(
    asked_today: Store, smtp_server, tmp_path: Path, monkeypatch
) -> None:
    """With people registered, the CLI asks each person once, at their own address."""
    from actionplan.store.people import add_person

    port, received = smtp_server
    monkeypatch.setenv("ACTIONPLAN_USER", "dana")
    add_person(asked_today, {"login": "dana", "name": "Dana Manager", "role": "manager"})
    add_person(
        asked_today,
        {
            "login": "jo",
            "name": "Jo Head",
            "role": "officer",
            "owns": "head of assessment;Carers Lead",  # two owner names, one person
            "email": "jo.head@example.org",
        },
    )
    environment = {**mail_server(port), "ACTIONPLAN_USER": "dana"}
    result = CliRunner().invoke(
        cli,
        ["--db", asked_today.url, "requests", "--send", "--out", str(tmp_path / "out")],
        env=environment,
    )
    assert result.exit_code == 0, result.output
    assert "Sent 1 request" in result.stdout
    assert [mail["To"].addresses[0].addr_spec for mail in received] == ["jo.head@example.org"]
    (mail,) = received
    assert mail["Subject"].startswith("Please update 3 actions by ")
    body = mail.get_body(("plain",)).get_content()
    assert all(action in body for action in ("A-OVERDUE", "A-SOON", "A-STALE"))
    assert "A-FINE" not in body and "A-LATER" not in body
    (logged,) = request_log(asked_today)
    assert logged["recipient"] == "Jo Head"
    assert sorted(logged["action_ids"].split(";")) == ["A-OVERDUE", "A-SOON", "A-STALE"]


def test_an_owner_nobody_answers_for_is_named_and_nothing_is_sent(
    asked_today: Store, smtp_server, tmp_path: Path, monkeypatch
) -> None:
    from actionplan.store.people import add_person

    port, received = smtp_server
    monkeypatch.setenv("ACTIONPLAN_USER", "dana")
    add_person(asked_today, {"login": "dana", "name": "Dana Manager", "role": "manager"})
    add_person(
        asked_today,
        {
            "login": "jo",
            "name": "Jo Head",
            "role": "officer",
            "owns": "Head of Assessment",
            "email": "jo.head@example.org",
        },
    )
    environment = {"ACTIONPLAN_USER": "dana"}
    written = CliRunner().invoke(
        cli, ["--db", asked_today.url, "requests", "--out", str(tmp_path / "out")], env=environment
    )
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.eml")) == ["carers-lead.eml", "jo.eml"]
    assert "No email address for Carers Lead" in written.stdout
    sent = CliRunner().invoke(
        cli,
        ["--db", asked_today.url, "requests", "--send", "--out", str(tmp_path / "again")],
        env={**environment, **mail_server(port)},
    )
    assert sent.exit_code == 1
    assert "no email address for Carers Lead" in sent.stderr
    assert received == [] and request_log(asked_today) == []


def test_the_command_asks_with_the_libraries_own_defaults() -> None:
    """The CLI writes its defaults out (a fast --help); they must be the library's."""
    from actionplan.requests import choose

    defaults = {param.name: param.default for param in cli.commands["requests"].params}
    assert (defaults["due_within"], defaults["stale_after"], defaults["reply_within"]) == (
        choose.DUE_WITHIN_DAYS,
        choose.STALE_AFTER_DAYS,
        choose.REPLY_WITHIN_WORKING_DAYS,
    )
