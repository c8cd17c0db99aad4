"""Verifying, rejecting, and answering due-date requests (SPEC section 8), on the one write path.

Each is an event appended by `Writes._append_event`, like any update, so the
action's version moves on (a save based on the old version is refused) and
replay (SPEC section 4) counts it at its `as_of`. Who may is decided in the
domain core (`assurance.check_verifier`, `roles.Acting.require`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ..assurance import (
    APPROVE,
    REFUSE,
    REJECT,
    REOPEN_STATUS,
    VERIFY,
    check_verifier,
    is_verified,
    pair_requests,
    plan_event,
)
from ..dates import as_date
from ..errors import FieldError, ValidationError
from ..identity import default_user
from ..records import clean_record
from ..rules import plan_update
from . import schema
from .due_requests import request_rows
from .people import acting_in
from .writing import Writes


class Assures(Writes):
    """The half of `Store` that closes actions with assurance."""

    def verify(
        self,
        action_id: str,
        note: str | None = None,
        as_of: object = None,
        by: str | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:
        """Record that a completed action was checked and did what it set out to.

        Raises:
            NotPermittedError: not a lead or manager, or they completed or own it.
            ValidationError: the action is not complete and awaiting verification.
        """
        return self._judge(action_id, VERIFY, {"note": note, "as_of": as_of, "by": by}, today)

    def reject(
        self,
        action_id: str,
        reason: str,
        due: object,
        status: str | None = None,
        note: str | None = None,
        as_of: object = None,
        by: str | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:
        """Reject a completion: reopen the action (`on_track` unless given) with a new due date.

        Raises:
            NotPermittedError: not a lead or manager, or they completed or own it.
            ValidationError: no reason or due date, or the action is not awaiting verification.
        """
        values = {"reason": reason, "due": due, "status": status or REOPEN_STATUS,
                  "note": note, "as_of": as_of, "by": by}  # fmt: skip
        return self._judge(action_id, REJECT, values, today)

    def _judge(
        self, action_id: str, kind: str, given: dict[str, Any], today: date | None
    ) -> dict[str, Any]:
        today = today or date.today()
        values = clean_record(
            "update", {"action_id": action_id, **given, "by": default_user(given["by"])}
        )
        values["as_of"] = values["as_of"] or today
        problems = []
        if kind == REJECT:
            for name in ("reason", "due"):
                if values.get(name) is None:
                    problems.append(FieldError(name, "is required to reject a completion"))
            if values["status"] == "complete":
                problems.append(FieldError("status", "a rejected completion is reopened"))
        if problems:
            raise ValidationError(problems)
        with self.write() as tx:
            current = self._current(tx, action_id)
            actor = acting_in(tx)
            completed_by = _completed_by(tx, action_id)
            check_verifier(actor, action_id, current.owner, completed_by, kind)
            by = actor.recorded_by(values["by"])
            timeline = self._timeline(tx, action_id, values["as_of"], None)
            before = timeline.state_at(values["as_of"])
            if before["status"] != "complete" or _verified(tx, action_id, values["as_of"]):
                state = "verified" if before["status"] == "complete" else "not complete"
                raise ValidationError(
                    [
                        FieldError(
                            "action_id",
                            f"action {action_id} is {state} on {values['as_of'].isoformat()}; "
                            "only a completion awaiting verification can be verified or rejected",
                        )
                    ]
                )
            assignments, changes = plan_event(kind, before, values, today)
            return self._append_event(
                tx, timeline, current.version, kind, by, values, assignments, changes, None, today
            )

    def awaiting_verification(self) -> list[dict[str, Any]]:
        """Completed actions not yet verified, as they stand: what a lead's "To verify" list shows.

        Each: `id`, `title`, `owner`, `completed_on`, `completed_by` (who recorded
        the completion: they may not verify it), `evidence` (items not withdrawn).
        """
        current = self.current_actions()
        waiting = current[(current["status"] == "complete") & ~current["verified"]]
        if waiting.empty:
            return []
        table = schema.evidence.c
        with self.read() as conn:
            counts = dict(
                conn.execute(
                    select(table.action_id, func.count())
                    .where(table.withdrawn_at.is_(None))
                    .group_by(table.action_id)
                ).all()
            )
            found = []
            for row in waiting.sort_values("completed_on").itertuples(index=False):
                found.append(
                    {
                        "id": row.id,
                        "title": row.title,
                        "owner": row.owner,
                        "completed_on": as_date(row.completed_on),
                        "completed_by": _completed_by(conn, row.id),
                        "evidence": int(counts.get(row.id, 0)),
                    }
                )
        return found

    def approve_request(
        self, request_id: int | str, note: str | None = None, by: str | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Approve a due-date request: the update that changes `due`, naming the request.

        Raises:
            NotPermittedError: not a lead or manager.
            ValidationError: no such request, or it was already answered.
        """
        return self._answer(request_id, APPROVE, note, by, today)

    def refuse_request(
        self, request_id: int | str, reason: str, by: str | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Refuse a due-date request, with a reason; the due date stays as it is.

        Raises:
            NotPermittedError: not a lead or manager.
            ValidationError: no reason, no such request, or it was already answered.
        """
        if not " ".join(str(reason or "").split()):
            raise ValidationError([FieldError("reason", "is required to refuse a request")])
        return self._answer(request_id, REFUSE, reason, by, today)

    def _answer(
        self, request_id: int | str, kind: str, text: str | None, by: str | None,
        today: date | None,
    ) -> dict[str, Any]:  # fmt: skip
        today = today or date.today()
        number = str(request_id).strip()
        if not number.isdigit():
            raise ValidationError(
                [FieldError("request", f"{request_id!r} is not a request id (a number)")]
            )
        with self.write() as tx:
            request = next(
                (r for r in pair_requests(request_rows(tx)) if r["id"] == int(number)), None
            )
            if request is None:
                raise ValidationError([FieldError("request", f"there is no request {number}")])
            actor = acting_in(tx)
            words = "approve" if kind == APPROVE else "refuse"
            actor.require("lead", f"{words} due-date request {number}")
            if request["state"] != "pending":
                raise ValidationError(
                    [
                        FieldError(
                            "request",
                            f"request {number} was {request['state']} by "
                            f"{request['answered_by']} on {request['answered_on'].isoformat()}",
                        )
                    ]
                )
            action_id = request["action_id"]
            current = self._current(tx, action_id)
            who = actor.recorded_by(default_user(by))
            as_of = max(today, request["requested_on"])
            timeline = self._timeline(tx, action_id, as_of, None)
            link = {"request": [None, int(number)]}
            if kind == APPROVE:
                values = {"as_of": as_of, "due": date.fromisoformat(request["due"]),
                          "reason": f"request {number}: {request['reason']}", "note": text}  # fmt: skip
                assignments, changes = plan_update(
                    timeline.state_at(as_of), {**values, "progress": None}, today
                )
            else:
                values = {"as_of": as_of, "reason": text, "note": None}
                assignments, changes = {}, {}
            return self._append_event(
                tx, timeline, current.version, kind, who, values, assignments,
                {**changes, **link}, None, today,
            )  # fmt: skip


def _completed_by(conn: Connection, action_id: str) -> str | None:
    """Who recorded the action's latest completion (the last event that set it complete)."""
    updates = schema.updates.c
    return conn.execute(
        select(updates.by)
        .where(updates.action_id == action_id, updates.status == "complete")
        .order_by(updates.as_of.desc(), updates.recorded_at.desc(), updates.seq.desc())
        .limit(1)
    ).scalar()


def _verified(conn: Connection, action_id: str, day: date) -> bool:
    """Whether the action is verified at the end of `day` (`assurance.is_verified`)."""
    updates = schema.updates.c
    rows = conn.execute(
        select(updates.kind, updates.status)
        .where(updates.action_id == action_id, updates.as_of <= day)
        .order_by(updates.as_of, updates.recorded_at, updates.seq)
    ).all()
    return is_verified((row.kind, row.status) for row in rows)
