"""`actionplan complaints` (a year's complaint figures), `complaint-deadlines` (the time
limits) and `complaints-report` (the annual complaints report): SPEC section 10."""

from __future__ import annotations

from typing import Any

import click

from ..vocab import AUDIENCES
from .app import command, open_plan, print_json, print_table, shown

YEAR_HELP = "A financial year: 2024-25, 2024/25, current or previous."

#: The rows of the `complaints` table: a figure's place in the JSON and its words.
YEAR_ROWS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (("received_total",), "received", False),
    (("received", "stage1"), "received, stage 1", False),
    (("received", "stage2"), "received, stage 2", False),
    (("received", "ombudsman"), "received, Ombudsman", False),
    (("received_by_procedure", "statutory"), "received, statutory procedure", False),
    (("received_by_procedure", "corporate"), "received, corporate procedure", False),
    (("decided",), "decided", False),
    (("well_founded",), "well-founded (upheld or partly upheld)", False),
    (("upheld_rate",), "upheld rate", True),
    (("referred_to_ombudsman",), "referred to the Ombudsman", False),
    (("responses_due",), "responses due", False),
    (("responded_on_time",), "responded on time", False),
    (("responded_late",), "responded late", False),
    (("response_outstanding",), "response outstanding at year end", False),
    (("acknowledged_on_time_rate",), "acknowledged on time", True),
    (("remedies_due",), "remedies due", False),
    (("remedies_late",), "remedies done late", False),
    (("compliments",), "compliments", False),
    (("ombudsman_letter", "detailed_investigations"), "LGSCO detailed investigations", False),
    (("ombudsman_letter", "upheld_rate"), "LGSCO upheld rate", True),
    (("ombudsman_letter", "remedied_before_rate"), "LGSCO remedied before the Ombudsman", True),
    (("ombudsman_letter", "compliance_rate"), "LGSCO compliance with remedies", True),
    (("ombudsman_letter", "late_rate"), "LGSCO remedies done late", True),
)


def _value(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        figures = figures[key]
    return figures


@command("complaints")
@click.option("--year", required=True, help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_context
def complaints_command(ctx: click.Context, year: str, as_json: bool) -> None:
    """A financial year's complaint figures, with the Ombudsman's letter figures."""
    from ..store.queries import complaint_year

    result = complaint_year(open_plan(ctx), year)
    if as_json:
        print_json(result)
        return
    rows = [
        (words, f"{value:.0%}" if is_rate and value is not None else shown(value))
        for path, words, is_rate in YEAR_ROWS
        for value in [_value(result, path)]
    ]
    print_table(
        f"Complaints {result['year']} ({result['start']} to {result['end']}, as at "
        f"{result['as_of']})",
        ("figure", "value"),
        rows,
        right=("value",),
    )


@command("complaint-deadlines")
@click.option(
    "--set",
    "changes",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a time limit, e.g. deadline.corporate_stage1.respond_days=15 "
    "(VALUE `default` puts it back; a blank extension_days means as agreed).",
)
@click.pass_context
def complaint_deadlines_command(ctx: click.Context, changes: tuple[str, ...]) -> None:
    """Show (or change) the complaint time limits that work out response due dates."""
    from ..complaints.deadlines import RULE_NAMES, RULE_SOURCES

    store = open_plan(ctx)
    if changes:
        pairs = {}
        for change in changes:
            key, equals, value = change.partition("=")
            if not equals:
                raise click.UsageError(f"--set {change!r}: write it as KEY=VALUE")
            pairs[key.strip()] = value
        settings = store.set_deadline_settings(pairs)
    else:
        settings = store.deadline_settings()
    print_table(
        "Complaint time limits (working days exclude weekends and bank holidays)",
        ("procedure", "rule"),
        [(RULE_SOURCES[name], getattr(settings, name).describe()) for name in RULE_NAMES],
    )
    print_table(
        "Settings",
        ("key", "value"),
        [(key, value or "as agreed") for key, value in settings.as_settings().items()],
        whole=("key",),
    )


@command("complaints-report")
@click.option("--year", required=True, help=YEAR_HELP)
@click.option("--out", default="reports", show_default=True, help="Folder for the reports.")
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="public drops complaint ids and free text and shows counts 1 to 4 as <5.",
)
@click.pass_context
def complaints_report_command(ctx: click.Context, year: str, out: str, audience: str) -> None:
    """Render the annual complaints report the 2009 regulations ask for (HTML, atomically)."""
    from ..complaints.render import render_complaints_report

    click.echo(str(render_complaints_report(open_plan(ctx), year, out_dir=out, audience=audience)))
