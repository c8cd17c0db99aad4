"""`actionplan summary`: the figures of one quarter, as JSON or a table."""

from __future__ import annotations

import click

from .app import QUARTER_HELP, command, open_plan, print_json, print_table, shown

#: The rows of the summary table: which part of the figures, which figure, and
#: whether it is a rate (shown as a percentage).
SUMMARY_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("actions", "total", False),
    ("actions", "open", False),
    ("actions", "overdue", False),
    ("actions", "slipped", False),
    ("actions", "completed_in_quarter", False),
    ("actions", "completed_on_time_in_quarter", False),
    ("actions", "on_time_rate", True),
    ("actions", "mean_progress", False),
    ("actions", "due_next_quarter", False),
    # SPEC section 8: verification and due-date requests
    ("actions", "awaiting_verification", False),
    ("actions", "verified_in_quarter", False),
    ("actions", "rejected_in_quarter", False),
    ("actions", "due_requests_in_quarter", False),
    ("actions", "due_requests_approved", False),
    ("actions", "due_requests_refused", False),
    ("actions", "due_requests_pending", False),
    ("actions", "new", False),
    ("complaints", "decided", False),
    ("complaints", "upheld_rate", True),
    ("complaints", "remedies_due", False),
    ("complaints", "remedies_on_time", False),
    ("complaints", "remedies_late", False),
    ("complaints", "remedies_outstanding", False),
    ("complaints", "compliments", False),
)


@command("summary")
@click.option("--quarter", required=True, help=QUARTER_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_context
def summary(ctx: click.Context, quarter: str, as_json: bool) -> None:
    """The figures of one quarter (SPEC sections 5, 8 and 10)."""
    from ..store.queries import summarise

    result = summarise(open_plan(ctx), quarter)
    if as_json:
        print_json(result)
        return
    rows: list[tuple[str, str]] = []
    for part, key, is_rate in SUMMARY_ROWS:
        value = result[part][key]
        rows.append(
            (
                key.replace("_", " "),
                f"{value:.0%}" if is_rate and value is not None else shown(value),
            )
        )
        if key == "new":
            rows += [
                (f"RAG {rag.replace('_', ' ')}", str(n))
                for rag, n in result["actions"]["by_rag"].items()
            ]
            rows += [
                (f"complaints received, {stage}", str(n))
                for stage, n in result["complaints"]["received"].items()
            ]
    print_table(
        f"{result['quarter']} ({result['start']} to {result['end']})",
        ("figure", "value"),
        rows,
        right=("value",),
    )
