"""The demo's assurance story (SPEC section 8), told through the real write path.

With `init --demo --demo-people`, the demo's team keeps evidence for some
closed actions, a lead and the manager verify completions and reject one, and
an officer asks for new due dates: one approved, one refused, one waiting.
Each step is written by the library as the person named (`identity.acting_as`),
so the roles are checked as for anyone. Dates are the demo files' own (its
last quarter is Jul-Sep 2025) moved by the same whole quarters as the rest.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..identity import acting_as
from ..quarters import shift_by_quarters
from ..store import Store
from ..store.evidence import add_evidence
from ..store.people import get_person
from .days import LAST_DAY

MANAGER, LEAD, OFFICER = "dana.reid", "priya.shah", "sam.patel"

#: (action, who adds it, on, description, link, file name or None)
EVIDENCE: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (
    ("ACT-037", LEAD, "2025-06-27", "Financial assessments procedure, reissued", "Policy library FA-07", None),
    ("ACT-038", LEAD, "2025-07-05", "Programme closure report to the improvement board", "Board paper IB-2025-07", None),
    ("ACT-046", LEAD, "2025-07-21", "Training attendance records", None, "training-attendance.csv"),
    ("ACT-049", LEAD, "2025-07-25", "Audit of 20 cases against the new standard", "Audit report QA-25-14", None),
    ("ACT-045", LEAD, "2025-08-06", "Monthly performance dashboard", "https://intranet.example.org/asc-dashboard", None),
    ("ACT-023", LEAD, "2025-08-24", "Workforce data quality report", "Report WF-25-08", None),
    ("ACT-043", OFFICER, "2025-09-07", "Minutes of the carers' forum that signed the plan off", "Minutes CF-2025-09", None),
)  # fmt: skip

#: (action, who verifies, on, note)
VERIFICATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("ACT-037", LEAD, "2025-07-10", "Procedure in use; sampled five cases."),
    ("ACT-038", LEAD, "2025-07-15", "Closure report accepted by the board."),
    ("ACT-046", LEAD, "2025-08-01", "Attendance 94% of the teams named."),
    ("ACT-049", MANAGER, "2025-08-20", "Audit shows the standard met in 18 of 20 cases."),
)

#: (action, who rejects, on, reason, new due)
REJECTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("ACT-023", MANAGER, "2025-09-15",
     "The report does not yet show the breakdown by team the board asked for", "2025-12-31"),
)  # fmt: skip

#: (action, asked on, new due, reason, answer ("approve"/"refuse"/None), answered on, reason)
DUE_REQUESTS: tuple[tuple[str, str, str, str, str | None, str | None, str | None], ...] = (
    ("ACT-044", "2025-08-12", "2026-06-30", "The carers' strategy consultation was extended",
     "approve", "2025-08-20", None),
    ("ACT-053", "2025-09-01", "2026-04-30", "Waiting for the new carers' assessment form",
     "refuse", "2025-09-10", "The form goes live in December; keep the date"),
    ("ACT-053", "2025-09-20", "2026-03-31", "Form testing found problems; a shorter delay",
     None, None, None),
)  # fmt: skip

#: The attached file's words (a small CSV, so the demo shows a file kept in the plan).
ATTENDANCE_CSV = (
    b"team,invited,attended\nEast locality,18,17\nWest locality,16,15\nHospital team,12,11\n"
)


def tell_assurance_story(store: Store, quarters: int, today: date) -> None:
    """Write the demo's evidence, verifications, rejection and due-date requests.

    Args:
        store: the demo plan, with its people registered.
        quarters: how many whole quarters the demo's dates were moved.
        today: the day the demo is loaded (nothing is dated after it).
    """

    def on(text: str) -> date:
        return min(shift_by_quarters(date.fromisoformat(text), quarters), today)

    for action_id, login, added, description, link, filename in EVIDENCE:
        with acting_as(login):
            add_evidence(
                store, action_id, description, link=link, filename=filename,
                content=ATTENDANCE_CSV if filename else None, today=on(added),
            )  # fmt: skip
    for action_id, login, day, note in VERIFICATIONS:
        with acting_as(login):
            store.verify(action_id, note=note, as_of=on(day), today=today)
    for action_id, login, day, reason, due in REJECTIONS:
        with acting_as(login):
            store.reject(
                action_id, reason=reason, due=shift_by_quarters(date.fromisoformat(due), quarters),
                as_of=on(day), today=today,
            )  # fmt: skip
    review_earlier_closures(store, on(LAST_DAY.replace(day=1, month=7).isoformat()), today)
    for action_id, asked, due, reason, answer, answered, why in DUE_REQUESTS:
        with acting_as(OFFICER):
            event = store.record_update(
                {"action_id": action_id, "by": OFFICER, "as_of": on(asked),
                 "due": shift_by_quarters(date.fromisoformat(due), quarters), "reason": reason},
                today=today,
            )  # fmt: skip
        if answer is None or answered is None:
            continue
        with acting_as(LEAD):
            if answer == "approve":
                store.approve_request(event["request_id"], today=on(answered))
            else:
                store.refuse_request(event["request_id"], reason=why or "", today=on(answered))


def review_earlier_closures(store: Store, before: date, today: date) -> None:
    """Give the closures of earlier quarters the evidence and check a real team would have.

    A council adopting the assurance step reviews what it had already closed,
    so that "awaiting verification" means the recent completions a lead still
    has to look at, not the whole history of the plan. Each action completed
    before `before` (and not part of the story above) gets its closure note to
    the improvement board two weeks after completion, and the lead's
    verification two weeks later; the manager verifies what the lead completed.
    """
    told = {row[0] for row in (*EVIDENCE, *VERIFICATIONS, *REJECTIONS)}
    lead = get_person(store, LEAD).name
    for action in store.awaiting_verification():  # oldest completion first
        completed = action["completed_on"]
        if completed >= before or action["id"] in told:
            continue
        noted = min(completed + timedelta(days=14), today)
        with acting_as(LEAD):
            add_evidence(
                store, action["id"], "Closure note to the improvement board",
                link=f"Board paper IB-{noted:%Y-%m}", today=noted,
            )  # fmt: skip
        verifier = MANAGER if action["completed_by"] == lead else LEAD
        with acting_as(verifier):
            store.verify(
                action["id"], note="Closure note accepted at the improvement board.",
                as_of=min(completed + timedelta(days=28), today), today=today,
            )  # fmt: skip
