"""Commands for the records around actions: sources, recommendations, complaints,
compliments, and `show` for one action with everything around it.

Each `add-*` command is one `Store.add_*` call, so a value is accepted or
refused exactly as an import or the workbook's forms would (SPEC section 2).
"""

from __future__ import annotations

from typing import Any

import click

from .app import command, open_plan, print_json, print_table


@command("add-source")
@click.option("--id", "source_id", required=True, help="New source's id.")
@click.option("--kind", required=True, help="peer_review, cqc_assessment, ombudsman, ...")
@click.option("--title", required=True)
@click.option("--reference", default=None, help="Its reference, e.g. a report number.")
@click.option("--received-on", default=None, help="When it was received.")
@click.pass_context
def add_source(ctx: click.Context, source_id: str, **fields: Any) -> None:
    """Add a source of recommendations (a peer challenge, a CQC assessment, an audit...)."""
    open_plan(ctx).add_source({"id": source_id, **fields})
    click.echo(f"Added source {source_id}")


@command("add-recommendation")
@click.option("--id", "recommendation_id", required=True, help="New recommendation's id.")
@click.option("--source", "source_id", required=True, help="Id of the source it came from.")
@click.option("--text", required=True, help="What the source recommended.")
@click.option("--theme", default=None)
@click.option("--quality-statement", default=None, help="A CQC quality statement.")
@click.option("--priority", default=None, help="high, medium or low.")
@click.pass_context
def add_recommendation(ctx: click.Context, recommendation_id: str, **fields: Any) -> None:
    """Add a recommendation under a source; actions then answer it."""
    open_plan(ctx).add_recommendation({"id": recommendation_id, **fields})
    click.echo(f"Added recommendation {recommendation_id}")


@command("add-complaint")
@click.option("--id", "complaint_id", required=True, help="New complaint record's id.")
@click.option("--stage", required=True, help="stage1, stage2 or ombudsman.")
@click.option("--received-on", required=True)
@click.option("--theme", default=None)
@click.option("--outcome", default=None, help="upheld, partly_upheld, ... (default pending).")
@click.option("--decided-on", default=None)
@click.option("--remedy-due", default=None)
@click.option("--remedy-done-on", default=None)
@click.option("--escalated-from", default=None, help="Id of the record it escalated from.")
@click.option("--learning", default=None, help="What was learned (never who complained).")
@click.option("--action-ids", default=None, help="Ids of the actions it gave rise to, A1;A2.")
@click.option("--procedure", default=None, help="statutory (default) or corporate.")
@click.option("--acknowledged-on", default=None)
@click.option("--response-due", default=None, help="Default: worked out from the procedure.")
@click.option("--responded-on", default=None)
@click.option("--extended-to", default=None, help="The response date agreed for an extension.")
@click.option("--extension-reason", default=None, help="Why (needed with --extended-to).")
@click.option("--lgsco-reference", default=None, help="The Ombudsman's case, e.g. 24 015 889.")
@click.option("--lgsco-decision", default=None, help="upheld, not_upheld, premature, ...")
@click.option("--remedied-before-ombudsman", default=None, help="yes or no.")
@click.pass_context
def add_complaint(ctx: click.Context, complaint_id: str, **fields: Any) -> None:
    """Add one stage of a complaint (no personal data: what was learned, not who)."""
    from ..dates import in_words

    added = open_plan(ctx).add_complaint({"id": complaint_id, **fields})
    due = added["extended_to"] or added["response_due"]
    click.echo(
        f"Added complaint {complaint_id}"
        + (f" (response due {in_words(due)})" if due is not None else "")
    )


@command("add-cqc-score")
@click.option("--source", "source_id", required=True, help="Id of the CQC assessment source.")
@click.option("--quality-statement", required=True, help="One of the nine quality statements.")
@click.option("--score", required=True, help="1 (significant shortfalls) to 4 (exceptional).")
@click.pass_context
def add_cqc_score(ctx: click.Context, **fields: Any) -> None:
    """Record a CQC assessment's score (1 to 4) for one quality statement."""
    added = open_plan(ctx).add_cqc_score(fields)
    click.echo(
        f"Added score {added['score']} for {added['quality_statement']!r} to {added['source_id']}"
    )


@command("add-compliment")
@click.option("--id", "compliment_id", required=True, help="New compliment's id.")
@click.option("--received-on", required=True)
@click.option("--team", default=None)
@click.option("--summary", default=None)
@click.pass_context
def add_compliment(ctx: click.Context, compliment_id: str, **fields: Any) -> None:
    """Add a compliment (counted in the quarter it was received)."""
    open_plan(ctx).add_compliment({"id": compliment_id, **fields})
    click.echo(f"Added compliment {compliment_id}")


@command("show")
@click.argument("action_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def show_action(ctx: click.Context, action_id: str, as_json: bool) -> None:
    """One action as it stands: its recommendation, source, evidence and last updates."""
    from ..store.queries import action_detail

    detail = action_detail(open_plan(ctx), action_id)
    if as_json:
        print_json(detail)
        return
    action = detail["action"]
    recommendation, source = detail["recommendation"], detail["source"]
    rows = [
        ("title", action["title"]),
        ("owner", action["owner"]),
        ("team", action["team"]),
        ("status", f"{action['status']} ({action['progress']}%), RAG {action['rag']}"),
        ("due", _due(action)),
        ("created on", action["created_on"]),
        ("completed on", action["completed_on"]),
        ("description", action["description"]),
        ("success measure", action["success_measure"]),
        ("evidence", action["evidence"]),
        ("recommendation", f"{recommendation['id']}: {recommendation['text']}"),
        ("source", f"{source['id']} ({source['kind']}): {source['title']}"),
        ("complaints", ", ".join(detail["complaints"])),
        ("version", f"{action['version']}, last recorded by {detail['updates'][0]['by']}"),
    ]
    print_table(f"Action {action_id}", ("field", "value"), [(k, v) for k, v in rows if v])
    print_table(
        f"Last updates of {action_id} (newest first; `history {action_id}` has all "
        f"{detail['versions']})",
        ("version", "as of", "by", "changes", "note"),
        [
            (
                event["version"],
                event["as_of"],
                event["by"],
                "\n".join(
                    f"{field}: {change['old']} -> {change['new']}"
                    for field, change in event["changes"].items()
                ),
                event["note"] or event["reason"] or "",
            )
            for event in detail["updates"]
        ],
    )


def _due(action: dict[str, Any]) -> str:
    due = action["due"]
    baseline = action["baseline_due"]
    return f"{due} (first agreed {baseline})" if baseline and baseline != due else str(due)
