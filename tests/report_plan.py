"""A small, fictional plan spanning several quarters, for the report tests.

Used until (and alongside) the demo plan: it has every kind of record the
report shows (red, slipped, completed on time and late, complaints at each
stage, remedies, compliments) so each section has something to draw. No
personal data: owners are job titles.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from actionplan.store import Store

TODAY = date(2026, 1, 15)
OWNERS = ("Head of Assessment", "Principal Social Worker", "Complaints Manager")


def build_report_plan(path: Path, xss_title: str | None = None) -> Path:
    """Write the plan to `path` (SQLite) and return it."""
    store = Store(path)
    store.initialise(council="Westbury Council")
    with store.write() as conn:
        store.add_source(
            {"id": "S1", "kind": "peer_review", "title": "LGA Corporate Peer Challenge"}, conn
        )
        store.add_source({"id": "S2", "kind": "cqc_assessment", "title": "CQC assessment"}, conn)
        store.add_source({"id": "S3", "kind": "complaint", "title": "Complaints learning"}, conn)
        for rec_id, source, text, statement in [
            ("R1", "S1", "Reduce waiting times for Care Act assessments", "Assessing needs"),
            ("R2", "S2", "Strengthen safeguarding oversight", "Safeguarding"),
            ("R3", "S3", "Explain charging clearly before care starts", ""),
        ]:
            store.add_recommendation(
                {"id": rec_id, "source_id": source, "text": text, "quality_statement": statement},
                conn,
            )
        actions = [
            ("A1", "R1", "Triage the assessment waiting list", 0, "2024-09-30"),
            ("A2", "R1", "Recruit two more assessors", 1, "2024-12-31"),
            ("A3", "R2", "Monthly safeguarding audit", 1, "2025-06-30"),
            ("A4", "R2", "Multi-agency safeguarding training", 0, "2024-11-30"),
            ("A5", "R3", "Publish a plain-English charging guide", 2, "2025-02-28"),
            ("A6", "R3", "Train staff on financial assessments", 2, "2024-12-15"),
            ("A7", "R1", xss_title or "Weekly waiting-list report to the board", 0, "2025-03-31"),
        ]
        for action_id, rec, title, owner, due in actions:
            store.add_action(
                {
                    "id": action_id,
                    "recommendation_id": rec,
                    "title": title,
                    "owner": OWNERS[owner],
                    "due": due,
                    "created_on": "2024-07-01",
                },
                by="Improvement Officer",
                conn=conn,
                today=TODAY,
            )
    updates = [
        {"action_id": "A1", "status": "on_track", "progress": 40, "as_of": "2024-08-15"},
        {"action_id": "A1", "status": "complete", "as_of": "2024-09-20", "note": "List triaged"},
        {"action_id": "A2", "status": "at_risk", "progress": 30, "as_of": "2024-09-25"},
        {
            "action_id": "A2",
            "due": "2025-03-31",
            "reason": "Recruitment campaign failed",
            "note": "Re-advertised",
            "as_of": "2024-11-10",
        },
        {"action_id": "A3", "status": "on_track", "progress": 20, "as_of": "2024-09-01"},
        {"action_id": "A3", "status": "off_track", "as_of": "2024-12-01", "note": "Audit lead off"},
        {"action_id": "A4", "status": "on_track", "progress": 50, "as_of": "2024-09-10"},
        {"action_id": "A4", "status": "complete", "as_of": "2024-12-10"},
        {"action_id": "A5", "status": "on_track", "progress": 60, "as_of": "2024-10-20"},
        {"action_id": "A6", "status": "at_risk", "as_of": "2024-10-05", "note": "Trainer sought"},
        {"action_id": "A7", "status": "on_track", "progress": 10, "as_of": "2024-09-30"},
    ]
    for update in updates:
        store.record_update({"by": "Improvement Officer", **update}, today=TODAY)
    complaints = [
        (
            "C1",
            "stage1",
            "2024-10-03",
            "Charging",
            "upheld",
            "2024-10-30",
            "2024-11-30",
            "2024-11-20",
        ),
        ("C2", "stage1", "2024-10-12", "Charging", "not_upheld", "2024-11-05", "", ""),
        (
            "C3",
            "stage2",
            "2024-11-08",
            "Care planning",
            "partly_upheld",
            "2024-12-05",
            "2024-12-20",
            "",
        ),
        ("C4", "ombudsman", "2024-12-01", "Financial assessments", "pending", "", "", ""),
        (
            "C5",
            "stage1",
            "2024-08-02",
            "Care planning",
            "upheld",
            "2024-08-30",
            "2024-09-30",
            "2024-10-04",
        ),
    ]
    for cid, stage, received, theme, outcome, decided, due, done in complaints:
        store.add_complaint(
            {
                "id": cid,
                "stage": stage,
                "received_on": received,
                "theme": theme,
                "outcome": outcome,
                "decided_on": decided,
                "remedy_due": due,
                "remedy_done_on": done,
                "learning": "Explain charges in writing before care starts" if cid == "C1" else "",
                "action_ids": "A5;A6" if cid == "C1" else "",
            }
        )
    for number, received in enumerate(["2024-07-20", "2024-10-15", "2024-11-02"], start=1):
        store.add_compliment({"id": f"K{number}", "received_on": received, "team": "Reablement"})
    store.close()
    return path
