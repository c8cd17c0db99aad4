"""Closing with assurance (SPEC section 8): the rules, over events, with no database.

Verification, rejection and due-date requests are events in an action's
history like any other update (`rules.event_record`, with their own `kind`),
so replay (SPEC section 4) answers "was it verified at D?" the same way it
answers "was it complete at D?": from the events whose `as_of` is on or
before D, in (`as_of`, `recorded_at`, `seq`) order. An action is verified at
D when it is complete at D and, of its events up to D that set a status or
verify it, the last is a verification: a later completion (after a
rejection, or a reopening) waits for a new one.

A due-date request sets nothing: `due` changes only with the approval (an
update that sets `due` and names the request). One request per action may be
pending at a time, so a plan's pending requests at D are its requests up to D
less its answers (approvals and refusals) up to D.

Who may verify is decided here (`check_verifier`), as `roles` decides every
other write, so the CLI, the workbook and a notebook refuse alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from .errors import FieldError, ValidationError
from .history import to_timestamp
from .quarters import Quarter
from .roles import Acting
from .rules import plan_update

#: Event kinds of SPEC section 8, as stored in `updates.kind` (at most 8
#: characters: the column is VARCHAR(8)). `request` is the SPEC's `due_requested`.
VERIFY = "verify"
REJECT = "reject"
REQUEST = "request"
APPROVE = "approve"
REFUSE = "refuse"
#: Kinds that answer a due-date request.
ANSWERS: tuple[str, ...] = (APPROVE, REFUSE)
#: Every kind of event an action's history holds, as the History sheet names them.
EVENT_KINDS: tuple[str, ...] = ("create", "update", VERIFY, REJECT, REQUEST, APPROVE, REFUSE)

#: The largest evidence file a plan keeps (SPEC section 8: at most 20 MB).
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

#: The status a rejected completion reopens with, unless another is given.
REOPEN_STATUS = "on_track"


def verified_ids(events: pd.DataFrame, day: date | pd.Timestamp) -> set[str]:
    """The actions verified at the end of `day` (complete then, and verified since completing).

    Args:
        events: an events frame (`store.Store.events`) with `kind` and `status`.
        day: the as-of day; events with a later `as_of` are ignored.
    """
    kinds = events["kind"].to_numpy()
    verifying = kinds == VERIFY
    if not verifying.any():
        return set()
    cutoff = to_timestamp(day).to_datetime64()
    status = events["status"]
    relevant = (events["as_of"].to_numpy() <= cutoff) & (verifying | status.notna().to_numpy())
    chosen = events.loc[relevant, ["action_id", "as_of", "recorded_at", "seq", "kind", "status"]]
    chosen = chosen.sort_values(["action_id", "as_of", "recorded_at", "seq"])
    if chosen.empty:
        return set()
    last_any = chosen.groupby("action_id", sort=False).tail(1)
    last_status = chosen[chosen["status"].notna()].groupby("action_id", sort=False).tail(1)
    complete = set(last_status.loc[last_status["status"] == "complete", "action_id"])
    return {
        action_id
        for action_id in last_any.loc[last_any["kind"] == VERIFY, "action_id"]
        if action_id in complete
    }


def is_verified(events: Iterable[tuple[str, str | None]]) -> bool:
    """One action: True when, in replay order, the last status-setting or verifying event
    verifies a complete action.

    Args:
        events: `(kind, status set or None)` of the action's events up to a day, in replay order.
    """
    status: str | None = None
    verified = False
    for kind, set_status in events:
        if kind == VERIFY:
            verified = True
        elif set_status is not None:
            status, verified = set_status, False
    return verified and status == "complete"


def with_verified(
    state: pd.DataFrame, events: pd.DataFrame, day: date | pd.Timestamp
) -> pd.DataFrame:
    """The state with a `verified` column (True for actions verified at `day`), in place."""
    ids = verified_ids(events, day) if "kind" in events.columns else set()
    state["verified"] = state["id"].isin(ids).to_numpy() & (state["status"] == "complete")
    return state


def assurance_figures(
    events: pd.DataFrame, by_rag: dict[str, int], quarter: Quarter
) -> dict[str, Any]:
    """SPEC section 8's figures for one quarter: at its as-of day D and over its window S..D.

    Event counts are of events dated (`as_of`) in the window, whatever has
    happened to the action since; `due_requests_pending` is the requests dated
    up to D not yet approved or refused by D.

    Args:
        events: every event of the plan (`kind` and `as_of` are read).
        by_rag: the quarter's RAG counts (`figures.count_by_rag`).
        quarter: the quarter.
    """
    start, end = to_timestamp(quarter.start), to_timestamp(quarter.end)
    as_of = events["as_of"]
    kinds = events["kind"]
    window = (as_of >= start) & (as_of <= end)
    known = as_of <= end

    def count(mask: pd.Series, kind: str | tuple[str, ...]) -> int:
        wanted = (kind,) if isinstance(kind, str) else kind
        return int((mask & kinds.isin(wanted)).sum())

    return {
        "verified": by_rag.get("verified", 0),
        "awaiting_verification": by_rag.get("complete", 0),
        "verified_in_quarter": count(window, VERIFY),
        "rejected_in_quarter": count(window, REJECT),
        "due_requests_in_quarter": count(window, REQUEST),
        "due_requests_approved": count(window, APPROVE),
        "due_requests_refused": count(window, REFUSE),
        "due_requests_pending": max(count(known, REQUEST) - count(known, ANSWERS), 0),
    }


def check_verifier(
    actor: Acting, action_id: str, owner: object, completed_by: str | None, what: str
) -> None:
    """Refuse a verification or rejection the person acting may not make (SPEC section 8).

    A lead or manager who neither recorded the completion nor owns the action
    may; with no people registered nobody may (nothing is ever verified then).

    Args:
        actor: who is acting.
        action_id: the action.
        owner: its owner.
        completed_by: the `by` of the event that completed it.
        what: `verify` or `reject`, for the message.

    Raises:
        NotPermittedError: one line naming who and why.
    """
    doing = f"{what} action {action_id}"
    if not actor.checked:
        raise actor.refuse(
            doing,
            "verification is by someone other than the person who completed it, so it needs "
            "the plan's people registered (actionplan people add)",
        )
    actor.require("lead", doing)
    assert actor.person is not None
    if completed_by is not None and completed_by.casefold() == actor.person.name.casefold():
        raise actor.refuse(doing, "they recorded its completion; ask another lead or a manager")
    if actor.person.answers_for(owner):
        raise actor.refuse(doing, f"they own it ({owner}); ask a lead or manager who does not")


def pair_requests(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Due-date requests with their answers, from one or more actions' events.

    Args:
        rows: events with `seq`, `action_id`, `kind`, `by`, `as_of`, `reason`,
            and `changes` as `{field: [old, new]}`; any order.

    Returns:
        One dict per request, oldest first (an answer is to its action's oldest
        waiting request: one waits at a time; `changes["request"]` of an answer
        recorded here names it too): `id` (the request event's `seq`),
        `action_id`, `requested_by`, `requested_on`, `due` (asked for),
        `current_due`, `reason`, `state` (`pending`, `approved`, `refused`),
        and for an answered one `answered_by`, `answered_on`, `answer_reason`.
    """
    requests: dict[int, dict[str, Any]] = {}
    waiting: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["seq"]):
        if row["kind"] == REQUEST:
            old, new = row["changes"].get("requested_due", [None, None])
            request = requests[row["seq"]] = {
                "id": row["seq"],
                "action_id": row["action_id"],
                "requested_by": row["by"],
                "requested_on": row["as_of"],
                "due": new,
                "current_due": old,
                "reason": row["reason"],
                "state": "pending",
            }
            waiting.setdefault(row["action_id"], []).append(request)
        elif row["kind"] in ANSWERS and waiting.get(row["action_id"]):
            # One request per action waits at a time, so an answer is to the oldest waiting.
            waiting[row["action_id"]].pop(0).update(
                state="approved" if row["kind"] == APPROVE else "refused",
                answered_by=row["by"],
                answered_on=row["as_of"],
                answer_reason=row["reason"],
            )
    return list(requests.values())


def plan_event(
    kind: str, before: dict[str, Any], values: dict[str, Any], today: date, row: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What an event of SPEC section 8 sets, like `rules.plan_update` for an update.

    A verification sets nothing (replay reads its kind); a rejection reopens
    the action with a new due date; a request sets nothing and records the due
    date asked for (`values["due"]`); an approval sets the due date; a refusal
    sets nothing. The import of a History sheet and the store judge alike.

    Returns:
        `(assignments, changes)`.

    Raises:
        ValidationError: the event does not fit the action's state at its date.
    """
    if kind in ("update", APPROVE):
        return plan_update(before, values, today, row)
    as_of = values["as_of"]
    if as_of > today:
        raise ValidationError([FieldError("as_of", f"{as_of.isoformat()} is in the future", row)])
    if kind in (VERIFY, REJECT) and before["status"] != "complete":
        raise ValidationError(
            [
                FieldError(
                    "kind",
                    f"{kind}: the action is not complete on {as_of.isoformat()}; only a "
                    "completion can be verified or rejected",
                    row,
                )
            ]
        )
    if kind == VERIFY:
        return {}, {"verification": ["awaiting", "verified"]}
    if kind == REJECT:
        missing = [name for name in ("reason", "due") if values.get(name) is None]
        if missing:
            raise ValidationError(
                [FieldError(name, "is required to reject a completion", row) for name in missing]
            )
        assignments, changes = plan_update(
            before, {**values, "progress": None, "completed_on": None}, today, row
        )
        return assignments, {**changes, "verification": ["awaiting", "rejected"]}
    if not values.get("reason"):
        words = "asking for a new due date" if kind == REQUEST else "refusing a request"
        raise ValidationError([FieldError("reason", f"is required when {words}", row)])
    if kind == REQUEST:
        if values.get("due") is None or values["due"] == before["due"]:
            raise ValidationError(
                [FieldError("due", "a request asks for a due date other than the current", row)]
            )
        return {}, {"requested_due": [before["due"], values["due"]]}
    return {}, {}
