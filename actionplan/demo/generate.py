"""A deterministic demo plan, and larger plans for benchmarks.

`generate` writes the six CSV files the importer reads (SPEC section 2), for a
fictional council, Westbury Council, from April 2023 to September 2025. The
demo plan (scale `demo`) is hand-written: real-sounding recommendations from an
LGA Corporate Peer Challenge, a CQC assessment, Ombudsman decisions, complaints
learning, staff and community feedback and two audits, each turned into actions
whose histories are drawn from a small set of storylines (on time, slipped,
overdue, off track and recovered, stalled, reopened, cancelled). Every quarter
from 2023-24-Q3 to 2025-26-Q1 therefore shows red, amber, green, not-started
and complete actions, slipped due dates and Ombudsman remedies done late, so a
report or a test has something to show in every figure of SPEC section 5.

Scales `S`, `M` and `L` repeat a randomised version of the same plan for 1, 100
and 2,000 councils (ids prefixed with the council's code, e.g. `C001-ACT-001`)
to measure import, replay and reporting at size. The same seed always gives
byte-identical files, so a benchmark or a test run is repeatable.

Every file obeys the importer's history rules: update rows for an action have
distinct `as_of` dates on or after its creation and none after the last day of
the data; a due-date change always carries a reason; `completed_on` is only
given with status `complete`; an update always changes something or carries a
note; complaint escalations name an earlier record. No record holds personal
data: owners are job titles, and free text is about learning, never people.

Run `python -m actionplan.demo OUT_DIR [--scale demo|S|M|L]` to regenerate.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..records import KIND_NAMES, field_names

COUNCIL_NAME = "Westbury Council"

#: First and last day of the generated data (complaints run from the first day;
#: nothing is dated after the last, so the files are never "in the future").
FIRST_DAY = date(2023, 4, 1)
LAST_DAY = date(2025, 9, 30)

#: The quarters the demo promises to make interesting (figures in every group).
CHECKED_FIRST = date(2023, 10, 1)
CHECKED_LAST = date(2025, 6, 30)

#: The CSV files written, with their columns (SPEC section 2 field names).
COLUMNS: dict[str, tuple[str, ...]] = {
    f"{plural}.csv": field_names(kind) for plural, kind in KIND_NAMES.items()
}

#: Scales and their default number of councils (`demo` is the hand-written one).
SCALES: dict[str, int] = {"demo": 1, "S": 1, "M": 100, "L": 2000}

Row = list[str]


# --------------------------------------------------------------------------
# The demo plan's content
# --------------------------------------------------------------------------


class _Source(NamedTuple):
    kind: str
    title: str
    reference: str
    received: str


class _Recommendation(NamedTuple):
    source: int  # 1-based index into _SOURCES
    text: str
    theme: str
    quality_statement: str
    priority: str


class _ActionSpec(NamedTuple):
    rec: int  # 1-based index into _RECOMMENDATIONS
    title: str
    owner: str
    team: str
    created: str
    start: str
    due: str
    story: str  # one of _STORIES
    description: str
    success: str
    late_record: bool = False


_SOURCES: tuple[_Source, ...] = (
    _Source(
        "audit",
        "Internal audit: financial assessment and charging processes",
        "IA-2023-ASC-04",
        "2023-05-18",
    ),
    _Source(
        "peer_review",
        "LGA Corporate Peer Challenge: {council} adult social care",
        "LGA-CPC-2023",
        "2023-09-14",
    ),
    _Source(
        "ombudsman",
        "Local Government and Social Care Ombudsman decisions 2023: learning review",
        "LGSCO-LR-2023",
        "2023-11-20",
    ),
    _Source(
        "staff_feedback",
        "Adult social care staff survey and practice forums",
        "SS-2024",
        "2024-02-15",
    ),
    _Source(
        "complaint",
        "Annual complaints report 2023-24: learning from stage 1 and stage 2 complaints",
        "CR-2023-24",
        "2024-05-22",
    ),
    _Source(
        "cqc_assessment",
        "CQC local authority assessment: {council}",
        "CQC-LAA-2024",
        "2024-09-12",
    ),
    _Source(
        "community_feedback",
        "Carers' forum and voluntary sector listening events",
        "VCS-2025",
        "2025-01-28",
    ),
    _Source(
        "audit",
        "Internal audit: Deprivation of Liberty Safeguards",
        "IA-2025-ASC-02",
        "2025-04-24",
    ),
)

_ASSESSING = "Assessing needs"
_HEALTHIER = "Supporting people to live healthier lives"
_EQUITY = "Equity in experience and outcomes"
_PROVISION = "Care provision, integration and continuity"
_PARTNERSHIPS = "Partnerships and communities"
_SAFE_SYSTEMS = "Safe systems, pathways and transitions"
_SAFEGUARDING = "Safeguarding"
_GOVERNANCE = "Governance, management and sustainability"
_LEARNING = "Learning, improvement and innovation"

_RECOMMENDATIONS: tuple[_Recommendation, ...] = (
    # 1-3: internal audit of financial assessment and charging (2023)
    _Recommendation(
        1,
        "Clear the backlog of financial assessments and set a standard time from referral "
        "to a completed assessment.",
        "Financial assessments",
        _ASSESSING,
        "high",
    ),
    _Recommendation(
        1,
        "Make charging information clear and available before care and support begins.",
        "Charging",
        _HEALTHIER,
        "high",
    ),
    _Recommendation(
        1,
        "Strengthen the reconciliation between the case management and finance systems.",
        "Charging",
        "",
        "medium",
    ),
    # 4-13: LGA Corporate Peer Challenge (2023)
    _Recommendation(
        2,
        "Reduce waiting times for Care Act assessments, make the waiting list visible and "
        "prioritise by risk.",
        "Care planning",
        _ASSESSING,
        "high",
    ),
    _Recommendation(
        2,
        "Embed strengths-based practice consistently across the assessment teams.",
        "Care planning",
        _ASSESSING,
        "medium",
    ),
    _Recommendation(
        2,
        "Improve the timeliness of annual reviews of care and support plans.",
        "Care planning",
        _PROVISION,
        "high",
    ),
    _Recommendation(
        2,
        "Develop a co-produced prevention offer with the voluntary and community sector.",
        "Prevention",
        _HEALTHIER,
        "medium",
    ),
    _Recommendation(
        2,
        "Use performance and quality data routinely at every level of the service.",
        "Performance",
        _GOVERNANCE,
        "high",
    ),
    _Recommendation(
        2,
        "Strengthen the pathway for young people moving from children's to adult services.",
        "Transitions",
        _SAFE_SYSTEMS,
        "high",
    ),
    _Recommendation(
        2,
        "Publish a market position statement and secure enough home care capacity.",
        "Commissioning",
        _PROVISION,
        "medium",
    ),
    _Recommendation(
        2,
        "Agree a workforce strategy for recruiting and keeping social workers and "
        "occupational therapists.",
        "Workforce",
        _GOVERNANCE,
        "medium",
    ),
    _Recommendation(
        2,
        "Make sure learning from complaints, audits and safeguarding reviews changes practice.",
        "Learning",
        _LEARNING,
        "medium",
    ),
    _Recommendation(
        2,
        "Understand and improve access to support for seldom-heard communities.",
        "Equity",
        _EQUITY,
        "low",
    ),
    # 14-16: Ombudsman decisions (2023)
    _Recommendation(
        3,
        "Apply the charging policy consistently, including allowances for disability-related "
        "expenditure.",
        "Charging",
        _EQUITY,
        "high",
    ),
    _Recommendation(
        3,
        "Explain in writing how a contribution was calculated and how to challenge it.",
        "Financial assessments",
        _ASSESSING,
        "medium",
    ),
    _Recommendation(
        3,
        "Meet complaint response timescales and the remedy deadlines agreed with the Ombudsman.",
        "Complaints handling",
        _LEARNING,
        "high",
    ),
    # 17-19: staff feedback (2024)
    _Recommendation(
        4,
        "Reduce duplicate recording by simplifying the assessment forms.",
        "Recording",
        _GOVERNANCE,
        "medium",
    ),
    _Recommendation(
        4,
        "Provide regular reflective supervision and a clear practice framework.",
        "Workforce",
        _LEARNING,
        "medium",
    ),
    _Recommendation(
        4,
        "Improve hand-offs between the front door, reablement and long-term teams.",
        "Care planning",
        _PROVISION,
        "medium",
    ),
    # 20-22: complaints learning (2024)
    _Recommendation(
        5,
        "Keep people informed while they wait for an assessment or a financial decision.",
        "Communication",
        _ASSESSING,
        "high",
    ),
    _Recommendation(
        5,
        "Involve people and their carers fully in care planning and give them a copy of "
        "their plan.",
        "Care planning",
        _PROVISION,
        "medium",
    ),
    _Recommendation(
        5,
        "Improve the quality and timeliness of complaint responses.",
        "Communication",
        _LEARNING,
        "medium",
    ),
    # 23-28: CQC assessment (2024)
    _Recommendation(
        6,
        "Reduce waits for assessment and occupational therapy, and manage the risk to people "
        "while they wait.",
        "Care planning",
        _ASSESSING,
        "high",
    ),
    _Recommendation(
        6,
        "Strengthen the identification, assessment and support of unpaid carers.",
        "Carers",
        _HEALTHIER,
        "high",
    ),
    _Recommendation(
        6,
        "Complete safeguarding enquiries on time and give feedback to the people who raised "
        "concerns.",
        "Safeguarding",
        _SAFEGUARDING,
        "high",
    ),
    _Recommendation(
        6,
        "Improve hospital discharge pathways and continuity of care after discharge.",
        "Care planning",
        _SAFE_SYSTEMS,
        "medium",
    ),
    _Recommendation(
        6,
        "Understand and act on differences in access and outcomes between groups of people.",
        "Equity",
        _EQUITY,
        "medium",
    ),
    _Recommendation(
        6,
        "Strengthen quality assurance of commissioned care and support.",
        "Quality of care",
        _PARTNERSHIPS,
        "medium",
    ),
    # 29-30: community feedback (2025)
    _Recommendation(
        7,
        "Make information and advice easier to find and available in community languages.",
        "Communication",
        _HEALTHIER,
        "medium",
    ),
    _Recommendation(
        7,
        "Co-produce the refresh of the carers' strategy with carers and voluntary groups.",
        "Carers",
        _PARTNERSHIPS,
        "medium",
    ),
    # 31: internal audit of DoLS (2025)
    _Recommendation(
        8,
        "Clear the backlog of Deprivation of Liberty Safeguards applications by risk.",
        "Safeguarding",
        _SAFEGUARDING,
        "high",
    ),
)

_ACM = "Assessment and Care Management"
_FA = "Financial Assessments"
_SG = "Safeguarding"
_COMM = "Commissioning"
_QA = "Quality Assurance"
_WD = "Workforce Development"
_PI = "Performance and Intelligence"
_CR = "Customer Relations"
_TR = "Transitions"
_OT = "Occupational Therapy"

_HEAD_ACM = "Head of Assessment and Care Management"
_FA_MANAGER = "Financial Assessments Manager"
_HEAD_FINANCE = "Head of Finance (Adults)"
_HEAD_BI = "Head of Business Intelligence"
_PSW = "Principal Social Worker"
_QA_MANAGER = "Quality Assurance Manager"
_HEAD_COMM = "Head of Commissioning"
_COMPLAINTS_MANAGER = "Complaints and Customer Relations Manager"
_EQUALITY_LEAD = "Equality and Inclusion Lead"
_CARERS_LEAD = "Carers Lead"
_HEAD_SG = "Head of Safeguarding"

_ACTIONS: tuple[_ActionSpec, ...] = (
    # Internal audit 2023: created June 2023.
    _ActionSpec(
        1,
        "Clear the backlog of financial assessments",
        _FA_MANAGER,
        _FA,
        "2023-06-12",
        "2023-06-19",
        "2023-11-30",
        "late_overdue",
        "Temporary extra assessors and weekly backlog tracking until waiting times are back "
        "within the standard.",
        "No financial assessment waiting more than 28 days from referral.",
    ),
    _ActionSpec(
        1,
        "Set and publish a standard time for completing financial assessments",
        _FA_MANAGER,
        _FA,
        "2023-06-12",
        "2023-07-03",
        "2024-01-31",
        "late_slip",
        "Agree a 28-day standard, publish it and report performance against it monthly.",
        "Standard published; performance reported monthly to the improvement board.",
    ),
    _ActionSpec(
        2,
        "Publish a plain-English charging guide and online calculator",
        _HEAD_FINANCE,
        _FA,
        "2023-06-12",
        "2023-07-10",
        "2023-10-31",
        "ontime",
        "Co-produce a charging guide with people who pay towards their care and add an online "
        "contribution calculator.",
        "Guide and calculator live on the council website and tested with people who use services.",
    ),
    _ActionSpec(
        2,
        "Explain charges at the first assessment visit",
        _HEAD_ACM,
        _ACM,
        "2023-06-12",
        "2023-09-01",
        "2024-01-31",
        "reopen",
        "Add a charging conversation and leaflet to the assessment checklist for every "
        "practitioner.",
        "Case audit shows charges were explained in at least 90% of new assessments.",
    ),
    _ActionSpec(
        3,
        "Reconcile care packages with finance records every month",
        _HEAD_FINANCE,
        _FA,
        "2023-06-12",
        "2023-06-12",
        "2024-02-29",
        "offtrack",
        "Monthly reconciliation between the case management and finance systems, with errors "
        "corrected within ten working days.",
        "Three months in a row with unreconciled items below 1%.",
    ),
    _ActionSpec(
        3,
        "Automate service-start notifications from care management to finance",
        _HEAD_BI,
        _PI,
        "2023-06-12",
        "2023-10-02",
        "2024-06-30",
        "late_slip",
        "Replace the manual notification form with an automated interface between the systems.",
        "Every new service notified to finance automatically within two working days.",
    ),
    # LGA Corporate Peer Challenge: created October 2023.
    _ActionSpec(
        4,
        "Introduce risk-based triage of the assessment waiting list",
        _HEAD_ACM,
        _ACM,
        "2023-10-09",
        "2023-10-16",
        "2024-03-31",
        "ontime",
        "Apply a risk tool to everyone waiting and review the highest-risk cases every week.",
        "Everyone waiting has a recorded risk rating, reviewed at the agreed interval.",
    ),
    _ActionSpec(
        4,
        "Report waiting-list figures to the improvement board every month",
        _HEAD_BI,
        _PI,
        "2023-10-09",
        "2023-11-01",
        "2024-01-31",
        "ontime",
        "A standard monthly report of numbers waiting, time waited and risk rating.",
        "Waiting-list report presented at every board meeting from January 2024.",
    ),
    _ActionSpec(
        4,
        "Halve the number of people waiting over 28 days for a Care Act assessment",
        _HEAD_ACM,
        _ACM,
        "2023-10-09",
        "2023-11-01",
        "2024-09-30",
        "stalled",
        "Extra assessment capacity, a waiting-list blitz and weekly performance review.",
        "People waiting over 28 days down by half from the October 2023 baseline.",
        late_record=True,
    ),
    _ActionSpec(
        5,
        "Train all assessment staff in strengths-based practice",
        _PSW,
        _WD,
        "2023-10-09",
        "2024-01-08",
        "2024-07-31",
        "ontime",
        "A two-day course and follow-up practice sessions for every assessing practitioner.",
        "All assessment staff trained; practice sessions held in every team.",
    ),
    _ActionSpec(
        5,
        "Audit strengths-based conversations in case records",
        _QA_MANAGER,
        _QA,
        "2023-10-09",
        "2024-04-01",
        "2024-12-31",
        "late_slip",
        "Quarterly case-file audit against the strengths-based practice standard.",
        "Four audit cycles completed with at least 80% of records meeting the standard.",
    ),
    _ActionSpec(
        6,
        "Clear overdue annual reviews with a dedicated review team",
        _HEAD_ACM,
        _ACM,
        "2023-10-09",
        "2023-10-23",
        "2024-06-30",
        "offtrack",
        "A time-limited review team working through overdue reviews in order of risk.",
        "No annual review more than three months overdue.",
        late_record=True,
    ),
    _ActionSpec(
        6,
        "Set a schedule so every support plan is reviewed within 12 months",
        _QA_MANAGER,
        _QA,
        "2023-10-09",
        "2024-02-01",
        "2024-10-31",
        "ontime",
        "Review dates set when a plan starts and tracked on the performance dashboard.",
        "95% of people with a plan have had a review in the last 12 months.",
    ),
    _ActionSpec(
        7,
        "Co-design a prevention offer with voluntary sector partners",
        "Prevention and Wellbeing Lead",
        _COMM,
        "2023-10-16",
        "2023-11-06",
        "2024-12-31",
        "ontime",
        "Workshops with voluntary groups and residents to design information, advice and "
        "early help.",
        "Prevention offer agreed by partners and published.",
    ),
    _ActionSpec(
        7,
        "Commission a community connector service",
        _HEAD_COMM,
        _COMM,
        "2023-10-16",
        "2024-06-03",
        "2024-11-30",
        "late_overdue",
        "Procure a service linking people to community groups and activities near them.",
        "Service contract awarded and taking referrals.",
    ),
    _ActionSpec(
        8,
        "Build a monthly adult social care performance dashboard",
        _HEAD_BI,
        _PI,
        "2023-10-16",
        "2023-10-16",
        "2024-02-29",
        "ontime",
        "One dashboard of waiting lists, reviews, safeguarding and complaints for managers.",
        "Dashboard used at every team meeting and the improvement board.",
    ),
    _ActionSpec(
        8,
        "Hold quarterly performance clinics with team managers",
        "Assistant Director, Adult Social Care",
        _PI,
        "2023-10-16",
        "2024-03-01",
        "2024-06-30",
        "cancel",
        "Structured quarterly clinics reviewing each team's figures and actions.",
        "Clinics held every quarter with actions tracked.",
    ),
    _ActionSpec(
        9,
        "Agree a joint transitions protocol with children's services",
        "Transitions Service Manager",
        _TR,
        "2023-10-16",
        "2023-11-01",
        "2024-04-30",
        "late_slip",
        "A protocol setting out who does what from age 14 to 25, signed by both directors.",
        "Protocol signed and in use by both services.",
    ),
    _ActionSpec(
        9,
        "Track young people from age 14 who may need adult support",
        "Transitions Service Manager",
        _TR,
        "2023-10-16",
        "2024-01-15",
        "2024-09-30",
        "ontime",
        "A shared tracker reviewed monthly by children's and adult services.",
        "Every young person known at 14 is on the tracker with a named lead.",
    ),
    _ActionSpec(
        10,
        "Publish a market position statement for adult social care",
        _HEAD_COMM,
        _COMM,
        "2023-10-16",
        "2023-10-30",
        "2024-05-31",
        "late_overdue",
        "Set out current and future demand and what the council wants from providers.",
        "Statement published and presented at the provider forum.",
    ),
    _ActionSpec(
        10,
        "Recommission home care on a zoned model",
        _HEAD_COMM,
        _COMM,
        "2023-10-16",
        "2024-04-01",
        "2025-09-30",
        "ontime",
        "Design, consult on and procure zoned home care contracts.",
        "New contracts in place; unmet home care hours below 2% of the total.",
        late_record=True,
    ),
    _ActionSpec(
        11,
        "Launch a recruitment and retention plan for social workers and occupational therapists",
        "Workforce Development Lead",
        _WD,
        "2023-10-16",
        "2023-12-01",
        "2024-06-30",
        "ontime",
        "Market supplement review, a career pathway and a recruitment campaign.",
        "Vacancy rate for qualified staff below 10%.",
    ),
    _ActionSpec(
        11,
        "Establish a social work degree apprenticeship route",
        "Workforce Development Lead",
        _WD,
        "2023-10-16",
        "2024-09-02",
        "2025-08-31",
        "ontime",
        "Partnership with a university to train existing staff as social workers.",
        "First apprentices enrolled and supported by practice educators.",
    ),
    _ActionSpec(
        12,
        "Run a quarterly learning review of complaints, audits and safeguarding reviews",
        _PSW,
        _QA,
        "2023-10-16",
        "2024-01-08",
        "2024-06-30",
        "ontime",
        "Bring themes together each quarter and agree practice changes with team managers.",
        "Learning review held each quarter with changes tracked to completion.",
    ),
    _ActionSpec(
        13,
        "Analyse access to services by ethnicity, age and disability",
        _EQUALITY_LEAD,
        _PI,
        "2023-10-16",
        "2024-05-01",
        "2024-12-31",
        "late_slip",
        "Compare who contacts the service and who receives support with the population.",
        "Analysis published with actions agreed by the improvement board.",
    ),
    # Ombudsman learning review: created December 2023.
    _ActionSpec(
        14,
        "Revise charging guidance on disability-related expenditure",
        _HEAD_FINANCE,
        _FA,
        "2023-12-04",
        "2023-12-11",
        "2024-03-31",
        "ontime",
        "Update the guidance and examples used by financial assessment officers.",
        "Revised guidance published and applied in every new assessment.",
    ),
    _ActionSpec(
        14,
        "Retrain financial assessment officers on disability-related expenditure",
        _FA_MANAGER,
        _FA,
        "2023-12-04",
        "2024-04-02",
        "2024-08-31",
        "late_overdue",
        "Training and a quality check of a sample of assessments each month.",
        "All officers trained; monthly sample shows the guidance applied correctly.",
    ),
    _ActionSpec(
        15,
        "Redesign the financial assessment outcome letter",
        _FA_MANAGER,
        _FA,
        "2023-12-04",
        "2024-01-08",
        "2024-04-30",
        "ontime",
        "A clearer letter showing the calculation and how to ask for a review.",
        "New letter in use; fewer queries about how contributions were worked out.",
    ),
    _ActionSpec(
        16,
        "Keep a shared log of Ombudsman remedies with escalation before the due date",
        _COMPLAINTS_MANAGER,
        _CR,
        "2023-12-04",
        "2023-12-11",
        "2024-02-29",
        "ontime",
        "A log of every agreed remedy with reminders two weeks before it is due.",
        "Every Ombudsman remedy completed by the date agreed.",
    ),
    _ActionSpec(
        16,
        "Report complaint response times to the management team every month",
        _COMPLAINTS_MANAGER,
        _CR,
        "2023-12-04",
        "2024-01-02",
        "2024-02-29",
        "late_overdue",
        "A monthly report of stage 1 and stage 2 response times by team.",
        "Report presented every month; response times within standard.",
    ),
    # Staff feedback: created March 2024.
    _ActionSpec(
        17,
        "Simplify the assessment form in the case management system",
        _HEAD_ACM,
        _ACM,
        "2024-03-04",
        "2024-05-01",
        "2024-12-31",
        "offtrack",
        "Remove questions that are not needed and pre-fill what the system already knows.",
        "Practitioners report less time spent recording; form length down by a third.",
    ),
    _ActionSpec(
        17,
        "Remove duplicate fields between the assessment and the support plan",
        _HEAD_BI,
        _PI,
        "2024-03-04",
        "2024-09-02",
        "2025-03-31",
        "late_slip",
        "Carry information forward from the assessment into the support plan automatically.",
        "No field recorded twice between assessment and support plan.",
    ),
    _ActionSpec(
        18,
        "Introduce monthly reflective group supervision",
        _PSW,
        _WD,
        "2024-03-04",
        "2024-04-02",
        "2024-09-30",
        "ontime",
        "Facilitated reflective sessions in every team each month.",
        "Sessions held monthly in every team; staff survey shows improvement.",
    ),
    _ActionSpec(
        18,
        "Publish an adult social care practice framework",
        _PSW,
        _QA,
        "2024-03-04",
        "2024-07-01",
        "2025-02-28",
        "late_overdue",
        "A framework setting out the service's practice model, values and standards.",
        "Framework published and used in supervision and audit.",
    ),
    _ActionSpec(
        19,
        "Agree hand-off standards between the front door, reablement and long-term teams",
        _HEAD_ACM,
        _ACM,
        "2024-03-04",
        "2024-04-15",
        "2024-10-31",
        "ontime",
        "Standards for what is passed on, when, and who keeps in touch with the person.",
        "Standards agreed by all three teams; audit shows them followed.",
    ),
    # Complaints learning: created June 2024.
    _ActionSpec(
        20,
        "Contact everyone waiting for an assessment at least every six weeks",
        _HEAD_ACM,
        _ACM,
        "2024-06-10",
        "2024-07-01",
        "2024-10-31",
        "ontime",
        "Letters and calls to people waiting, with a number to call if things change.",
        "Everyone waiting has had contact in the last six weeks.",
    ),
    _ActionSpec(
        20,
        "Give people a named contact while their financial assessment is pending",
        _FA_MANAGER,
        _FA,
        "2024-06-10",
        "2024-10-01",
        "2025-03-31",
        "late_slip",
        "A named officer for each assessment, shown on every letter.",
        "Complaints about not knowing who to contact fall by half.",
    ),
    _ActionSpec(
        21,
        "Send every person a copy of their care and support plan within ten working days",
        _HEAD_ACM,
        _ACM,
        "2024-06-10",
        "2024-07-15",
        "2025-01-31",
        "offtrack",
        "Plans sent in the person's preferred format, with a check that they agree with it.",
        "95% of plans sent within ten working days.",
        late_record=True,
    ),
    _ActionSpec(
        22,
        "Quality-check stage 1 complaint responses before they are sent",
        _COMPLAINTS_MANAGER,
        _CR,
        "2024-06-10",
        "2024-07-01",
        "2024-12-31",
        "ontime",
        "A checklist and a second reader for every stage 1 response.",
        "Fewer complaints escalated to stage 2 because the response was unclear.",
    ),
    _ActionSpec(
        22,
        "Train managers in complaint investigation and response writing",
        _COMPLAINTS_MANAGER,
        _CR,
        "2024-06-10",
        "2024-09-02",
        "2025-02-28",
        "cancel",
        "A half-day course for every manager who investigates complaints.",
        "All investigating managers trained.",
    ),
    # CQC assessment: created October 2024.
    _ActionSpec(
        23,
        "Open an occupational therapy assessment clinic",
        "Principal Occupational Therapist",
        _OT,
        "2024-10-07",
        "2024-11-04",
        "2025-05-31",
        "late_slip",
        "A weekly clinic for straightforward equipment and adaptation assessments.",
        "Wait for an occupational therapy assessment under six weeks.",
    ),
    _ActionSpec(
        23,
        "Risk-check people waiting for assessment every four weeks",
        _HEAD_ACM,
        _ACM,
        "2024-10-07",
        "2024-10-14",
        "2025-01-31",
        "ontime",
        "A call to each person waiting to check whether their needs or risks have changed.",
        "Everyone waiting has had a risk check in the last four weeks.",
    ),
    _ActionSpec(
        24,
        "Refresh the carers' assessment and introduce carers' conversations",
        _CARERS_LEAD,
        _COMM,
        "2024-10-07",
        "2025-01-06",
        "2025-09-30",
        "ontime",
        "A shorter, strengths-based carers' assessment co-designed with carers.",
        "New assessment in use; carers report it is easier to take part.",
    ),
    _ActionSpec(
        24,
        "Increase the number of carers' assessments completed by a quarter",
        _CARERS_LEAD,
        _ACM,
        "2024-10-07",
        "2025-04-01",
        "2026-03-31",
        "ontime",
        "Identify carers at every assessment and review and offer them their own assessment.",
        "Carers' assessments completed up 25% on 2023-24.",
    ),
    _ActionSpec(
        25,
        "Set safeguarding enquiry timescales with weekly management oversight",
        _HEAD_SG,
        _SG,
        "2024-10-07",
        "2024-10-14",
        "2025-03-31",
        "offtrack",
        "Local timescales for each stage of an enquiry and a weekly open-enquiries review.",
        "90% of enquiries completed within the local timescale.",
    ),
    _ActionSpec(
        25,
        "Give referrers feedback on safeguarding concerns within five working days",
        _HEAD_SG,
        _SG,
        "2024-10-07",
        "2024-11-04",
        "2025-05-31",
        "late_overdue",
        "A feedback step in the procedure and a template letter for referrers.",
        "Feedback sent within five working days for 90% of concerns.",
    ),
    _ActionSpec(
        26,
        "Agree a discharge-to-assess pathway with the hospital trust",
        "Hospital Discharge Team Manager",
        _ACM,
        "2024-10-07",
        "2024-11-01",
        "2025-06-30",
        "stalled",
        "A joint pathway so people are assessed at home after discharge rather than on a ward.",
        "Pathway agreed and used for most discharges needing support.",
        late_record=True,
    ),
    _ActionSpec(
        27,
        "Publish an equality action plan for adult social care",
        _EQUALITY_LEAD,
        _PI,
        "2024-10-07",
        "2025-01-06",
        "2025-06-30",
        "ontime",
        "Actions to close the gaps found in the access analysis, with measures.",
        "Plan published and reported on every quarter.",
    ),
    _ActionSpec(
        28,
        "Introduce a quality assurance framework for commissioned providers",
        _QA_MANAGER,
        _QA,
        "2024-10-07",
        "2024-11-01",
        "2025-07-31",
        "ontime",
        "Risk-based monitoring of providers using visits, feedback and incident data.",
        "Every provider rated under the framework at least once a year.",
    ),
    _ActionSpec(
        28,
        "Carry out quality monitoring visits to every home care provider",
        _QA_MANAGER,
        _QA,
        "2024-10-07",
        "2025-04-01",
        "2026-03-31",
        "ontime",
        "An annual visit to each provider, including conversations with people supported.",
        "Every home care provider visited in 2025-26.",
    ),
    # Community feedback: created February 2025.
    _ActionSpec(
        29,
        "Redesign the adult social care web pages with people who use services",
        "Prevention and Wellbeing Lead",
        _COMM,
        "2025-02-10",
        "2025-04-01",
        "2025-09-30",
        "ontime",
        "User testing with residents and carers, then rewrite the most-used pages.",
        "Pages pass accessibility checks and user testing.",
    ),
    _ActionSpec(
        29,
        "Translate key information into the five most-used community languages",
        _EQUALITY_LEAD,
        _COMM,
        "2025-02-10",
        "2025-07-01",
        "2025-12-31",
        "ontime",
        "Translated leaflets and web pages on assessment, charging and carers' support.",
        "Key information available in the five most-used languages.",
    ),
    _ActionSpec(
        30,
        "Co-produce the refreshed carers' strategy",
        _CARERS_LEAD,
        _COMM,
        "2025-02-10",
        "2025-06-02",
        "2026-01-31",
        "ontime",
        "Workshops with carers and voluntary groups to set the strategy's priorities.",
        "Strategy agreed by the carers' partnership board.",
    ),
    # Internal audit of DoLS: created May 2025.
    _ActionSpec(
        31,
        "Risk-rate all outstanding DoLS applications",
        "DoLS Team Manager",
        _SG,
        "2025-05-12",
        "2025-05-19",
        "2025-07-31",
        "ontime",
        "Apply the national prioritisation tool to every application waiting.",
        "Every waiting application has a risk rating.",
    ),
    _ActionSpec(
        31,
        "Commission additional best interests assessor capacity",
        "DoLS Team Manager",
        _SG,
        "2025-05-12",
        "2025-07-01",
        "2025-12-31",
        "ontime",
        "Time-limited assessor capacity to clear the highest-risk applications first.",
        "No high-risk application waiting more than 28 days.",
    ),
)

_STORIES: tuple[str, ...] = (
    "ontime",
    "late_slip",
    "late_overdue",
    "offtrack",
    "stalled",
    "reopen",
    "cancel",
)
#: Relative frequency of each storyline in the randomised (S/M/L) plans.
_STORY_WEIGHTS: tuple[int, ...] = (40, 16, 12, 10, 8, 6, 8)

_OFFICERS: tuple[str, ...] = (
    "Improvement Officer",
    "Improvement Programme Manager",
    "Performance Officer (Adults)",
)

_NOTES: dict[str, tuple[str, ...]] = {
    "planning": (
        "Scoping under way; delivery plan goes to the improvement board before the start date.",
        "Project group being set up; start date confirmed.",
        "Waiting for the start date agreed at the improvement board.",
    ),
    "start": (
        "Work started; delivery plan agreed at the improvement board.",
        "Project group formed and first milestones set.",
        "Started as planned; baseline figures collected.",
    ),
    "progress": (
        "Milestones for the month met.",
        "Progress reviewed at the monthly improvement board.",
        "Pilot running in two teams; early feedback positive.",
        "Draft shared with practitioners for comment.",
        "Baseline figures improving month on month.",
        "Task and finish group met; actions on plan.",
        "Training sessions delivered as scheduled.",
        "Revised procedure tested with front-line staff.",
    ),
    "at_risk": (
        "Staff vacancies are slowing delivery; recruitment under way.",
        "Depends on the case management system release, which may slip.",
        "Winter pressures are taking the same team's time.",
        "Partner sign-off is taking longer than planned.",
    ),
    "at_risk_still": (
        "Still at risk; mitigation agreed at the improvement board.",
        "Risks being managed; reviewed again at the next board.",
    ),
    "off_track": (
        "Key milestone missed; recovery plan requested by the improvement board.",
        "Supplier delay; escalated to the Assistant Director.",
        "Team capacity diverted to urgent casework; milestone missed.",
    ),
    "off_track_still": (
        "Recovery plan being drafted.",
        "Escalated to the departmental management team.",
    ),
    "recovered": (
        "Recovery plan agreed; back on track.",
        "Risk resolved; delivery back on plan.",
        "Additional capacity in place; milestones back on plan.",
    ),
    "revised": (
        "New due date agreed at the improvement board.",
        "Timeline re-planned with the team.",
    ),
    "overdue": (
        "Past the due date; a revised date will go to the improvement board.",
        "Overdue; recovery options being discussed with the Assistant Director.",
        "Overdue; the remaining work is being re-planned.",
    ),
    "overdue_nearly_done": (
        "Past the due date; completion expected next month.",
        "Overdue; final sign-off outstanding.",
        "Overdue while evidence is gathered for sign-off.",
    ),
    "complete": (
        "Completed; evidence filed with the improvement board.",
        "Signed off by the Assistant Director.",
        "Complete; impact to be checked in the next audit cycle.",
        "Delivered and written into procedures.",
    ),
    "reopen": (
        "Reopened: follow-up audit found the change was not embedded in every team.",
        "Reopened at the improvement board's request after a repeat complaint on the same issue.",
    ),
    "cancel": (
        "Cancelled: superseded by a wider action in the improvement plan.",
        "Cancelled: the improvement board agreed it is no longer needed after the service "
        "redesign.",
        "Cancelled: merged into a corporate programme covering the same ground.",
    ),
    "no_change": (
        "No change this month; next milestone on schedule.",
        "Reviewed at the improvement board; no change.",
        "Awaiting figures for the next milestone.",
    ),
}

_REASONS: tuple[str, ...] = (
    "Case management system release moved by the supplier.",
    "Recruitment to key posts took longer than planned.",
    "Scope extended to include learning from the pilot.",
    "Partner organisation asked for more time to consult.",
    "Improvement board agreed to re-phase behind higher-priority safeguarding work.",
    "Consultation extended after feedback from people who use services.",
)

#: Complaint themes and their relative frequency.
_THEMES: tuple[str, ...] = (
    "Financial assessments",
    "Care planning",
    "Charging",
    "Communication",
    "Safeguarding",
    "Quality of care",
)
_THEME_WEIGHTS: tuple[int, ...] = (26, 24, 20, 16, 7, 7)

_LEARNING: dict[str, tuple[str, ...]] = {
    "Financial assessments": (
        "The financial assessment took longer than the 28-day standard; weekly backlog "
        "tracking introduced.",
        "Disability-related expenditure was not considered; guidance reissued to assessment "
        "officers.",
        "The outcome letter did not explain the calculation; the letter has been redesigned.",
        "Income was recorded wrongly; complex assessments now get a second check.",
    ),
    "Care planning": (
        "The care and support plan was not shared; plans are now sent within ten working days.",
        "The carer's views were not recorded in the plan; the practice standard has been updated.",
        "The review was overdue; reviews are now scheduled when each plan starts.",
        "Changes to the plan were not explained; practitioners now confirm changes in writing.",
    ),
    "Charging": (
        "Charges started before the amount was confirmed in writing; letters now go out before "
        "services begin.",
        "An invoice was raised for care that was not delivered; provider records are now "
        "reconciled monthly.",
        "The charging policy was applied inconsistently; refresher training delivered.",
    ),
    "Communication": (
        "Calls were not returned within the standard; duty line cover has been increased.",
        "The delay was not explained; waiting-list contact letters introduced.",
        "Information was not available in an accessible format; the easy-read offer has been "
        "extended.",
    ),
    "Safeguarding": (
        "The referrer was not told the outcome of the enquiry; a feedback step has been added "
        "to the procedure.",
        "The enquiry took longer than the local standard; weekly oversight introduced.",
    ),
    "Quality of care": (
        "The provider missed visits without telling the council; contract monitoring has been "
        "strengthened.",
        "Care workers changed too often; continuity is now a contract measure.",
    ),
}
_NO_FAULT: tuple[str, ...] = (
    "No fault found; the policy was explained again in the response.",
    "Not upheld; the response was used as a good-practice example in team training.",
)
_REMEDIES: tuple[str, ...] = (
    "Remedy: written apology and a symbolic payment.",
    "Remedy: apology and a reassessment within 28 days.",
    "Remedy: refund of charges and a review of the procedure.",
    "Remedy: apology and guidance reissued to staff.",
)

_COMPLIMENTS: tuple[tuple[str, str], ...] = (
    (
        "Assessment and Care Management",
        "Thanked the social worker for listening and involving the family in the support plan.",
    ),
    ("Assessment and Care Management", "Thanked the duty team for a prompt and helpful response."),
    (
        "Financial Assessments",
        "Praised the clear explanation of how the care contribution was worked out.",
    ),
    (
        "Financial Assessments",
        "Thanked the officer for patient help with the financial assessment forms.",
    ),
    ("Occupational Therapy", "Thanked the occupational therapist for arranging equipment quickly."),
    ("Safeguarding", "Praised the safeguarding team's sensitive handling of an enquiry."),
    ("Commissioning", "A voluntary sector partner praised joint working on the prevention offer."),
    (
        "Commissioning",
        "A carer thanked the carers' support service for a short break that "
        "made a real difference.",
    ),
    ("Transitions", "Thanked the transitions team for a well-planned move to adult services."),
    ("Reablement", "Thanked the reablement team for helping rebuild confidence at home."),
    ("Hospital Discharge", "Thanked the discharge team for a smooth return home."),
    ("Customer Relations", "Thanked the complaints team for a clear and honest response."),
)


# --------------------------------------------------------------------------
# Dates as day numbers (ordinals): fast to compare and cheap to format.
# --------------------------------------------------------------------------


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@cache
def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


@cache
def _month(day: int) -> int:
    """Months since year 0 (for stepping month by month)."""
    when = date.fromordinal(day)
    return when.year * 12 + when.month - 1


@cache
def _month_start(month: int) -> int:
    return date(month // 12, month % 12 + 1, 1).toordinal()


@cache
def _quarter(day: int) -> int:
    """Financial quarters since year 0 (April start): equal means same quarter."""
    return (_month(day) - 3) // 3


@cache
def _quarter_end(day: int) -> int:
    quarter = _quarter(day)
    return _month_start(quarter * 3 + 3 + 3) - 1


# --------------------------------------------------------------------------
# Action histories
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """What a history is drawn from: an action's dates and storyline."""

    action_id: str
    owner: str
    created: int
    start: int
    due: int
    story: str
    late_record: bool


class _Key(NamedTuple):
    day: int
    status: str
    new_due: int  # 0: unchanged
    progress: int  # -1: follow the plan


def _key_events(rng: random.Random, story: str, begin: int, due: int, started: bool) -> list[_Key]:
    """The turning points of a storyline (status and due-date changes), in date order.

    Each storyline is a shape an improvement officer will recognise; the exact
    days are drawn from `rng` so no two actions move in lockstep.
    """
    span = max(due - begin, 45)

    def at(fraction: float) -> int:
        return begin + int(span * fraction)

    keys: list[_Key] = [] if started else [_Key(begin, "on_track", 0, -1)]
    if story in ("ontime", "reopen"):
        if story == "ontime" and rng.random() < 0.35:
            keys.append(_Key(at(0.4 + 0.1 * rng.random()), "at_risk", 0, -1))
            keys.append(_Key(at(0.65), "on_track", 0, -1))
        finish = due - rng.randint(0, min(30, span // 5))
        keys.append(_Key(finish, "complete", 0, -1))
        if story == "reopen":
            reopened = finish + rng.randint(30, 75)
            keys.append(_Key(reopened, "on_track", 0, 5 * rng.randint(16, 18)))
            keys.append(_Key(reopened + rng.randint(30, 60), "complete", 0, -1))
    elif story == "late_slip":
        keys.append(_Key(at(0.55 + 0.1 * rng.random()), "at_risk", 0, -1))
        new_due = due + rng.randint(45, 150)
        keys.append(_Key(due - rng.randint(5, 25), "on_track", new_due, -1))
        if rng.random() < 0.25:
            second_due = new_due + rng.randint(30, 90)
            keys.append(_Key(new_due - rng.randint(5, 20), "at_risk", second_due, -1))
            keys.append(_Key(new_due + rng.randint(10, second_due - new_due), "complete", 0, -1))
        else:
            keys.append(_Key(due + rng.randint(15, new_due - due), "complete", 0, -1))
    elif story == "late_overdue":
        keys.append(_Key(at(0.7 + 0.1 * rng.random()), "at_risk", 0, -1))
        keys.append(_Key(due + rng.randint(40, 80), "complete", 0, -1))
    elif story == "offtrack":
        keys.append(_Key(at(0.3), "at_risk", 0, -1))
        keys.append(_Key(at(0.5), "off_track", 0, -1))
        new_due = due + rng.randint(60, 180)
        keys.append(_Key(at(0.75), "on_track", new_due, -1))
        keys.append(_Key(new_due - rng.randint(0, 20), "complete", 0, -1))
    elif story == "stalled":
        keys.append(_Key(at(0.3), "at_risk", 0, -1))
        keys.append(_Key(at(0.5), "off_track", 0, -1))
        revised = due + rng.randint(30, 120)
        new_due = revised + rng.randint(120, 240)
        keys.append(_Key(revised, "at_risk", new_due, -1))
        keys.append(_Key(revised + rng.randint(40, 80), "on_track", 0, -1))
        keys.append(_Key(new_due - rng.randint(0, 30), "complete", 0, -1))
    elif story == "cancel":
        if rng.random() < 0.5:
            keys.append(_Key(at(0.2), "at_risk", 0, -1))
        keys.append(_Key(at(0.35 + 0.35 * rng.random()), "cancelled", 0, -1))
    else:
        raise ValueError(f"unknown storyline {story!r}")
    # Turning points at least three days apart, in order.
    for index in range(1, len(keys)):
        if keys[index].day < keys[index - 1].day + 3:
            keys[index] = keys[index]._replace(day=keys[index - 1].day + 3)
    return keys


def _segments(keys: list[_Key], begin: int, progress0: int, due: int) -> list[tuple[int, int, int]]:
    """Stretches of steady progress `(from_day, from_progress, to_day)`, reaching 100 at to_day."""
    segments: list[tuple[int, int, int]] = []
    open_from: tuple[int, int] | None = (begin, progress0)
    for key in keys:
        if key.status == "complete" and open_from is not None:
            segments.append((open_from[0], open_from[1], key.day))
            open_from = None
        elif key.status != "complete" and open_from is None:
            open_from = (key.day, max(key.progress, 0))
    if open_from is not None:
        segments.append((open_from[0], open_from[1], max(due, open_from[0] + 60)))
    return segments


def _planned_progress(segments: list[tuple[int, int, int]], day: int) -> int:
    current = segments[0]
    for segment in segments:
        if segment[0] <= day:
            current = segment
    start, from_progress, end = current
    if day <= start:
        return from_progress
    value = from_progress + (100 - from_progress) * (day - start) / max(end - start, 1)
    return min(95, int(value // 5) * 5)


def _history(
    rng: random.Random, plan: _Plan, horizon: int
) -> tuple[str, int, list[tuple[int, int, Row]]]:
    """Draw one action's history.

    Returns:
        `(initial_status, initial_progress, rows)` where each row is
        `(as_of, recorded, csv_row)`: `recorded` orders the file, and is later
        than `as_of` for a late-recorded update.
    """
    created, due = plan.created, plan.due
    if plan.start <= created:
        status, progress, begin = "on_track", 5 * rng.randint(1, 3), created
    else:
        status, progress = "not_started", 0
        begin = max(created + 1, plan.start + rng.randint(0, 6))
    initial = (status, progress)
    keys = _key_events(rng, plan.story, begin, due, status == "on_track")
    segments = _segments(keys, begin, progress, due)
    terminal = keys[-1].status in ("complete", "cancelled")
    last = min(keys[-1].day if terminal else horizon, horizon)

    # Monthly check-ins (the improvement board meets monthly), some missed,
    # none within four days of a turning point.
    key_days = [key.day for key in keys]
    visits: list[tuple[int, _Key | None]] = [(key.day, key) for key in keys if key.day <= horizon]
    for month in range(_month(begin), _month(last) + 1):
        day = _month_start(month) + rng.randint(15, 26)
        if (
            begin < day <= last
            and rng.random() >= 0.12
            and all(abs(day - key_day) > 4 for key_day in key_days)
        ):
            visits.append((day, None))
    if begin - created > 45 and rng.random() < 0.7:
        visits.append((created + (begin - created) // 2 + rng.randint(-5, 5), None))
    visits.sort(key=lambda visit: visit[0])

    rows: list[tuple[int, int, Row]] = []
    for index, (day, key) in enumerate(visits):
        if key is None and status == "complete":
            continue  # nothing to report on a finished action until it is reopened
        new_status = key.status if key else status
        new_due = key.new_due if key and key.new_due else due
        if new_status == "complete":
            new_progress = 100
        elif new_status == "cancelled" or day < begin:
            new_progress = progress
        elif key and key.progress >= 0:
            new_progress = key.progress
        else:
            new_progress = max(_planned_progress(segments, day), progress)
        cells = {"status": "", "progress": "", "due": "", "reason": "", "completed_on": ""}
        as_of = day
        if new_status != status:
            cells["status"] = new_status
        if new_progress != progress and new_status != "complete":
            cells["progress"] = str(new_progress)
        elif new_status == "complete" and status != "complete" and rng.random() < 0.3:
            cells["progress"] = "100"
        if new_due != due:
            cells["due"] = _iso(new_due)
            cells["reason"] = rng.choice(_REASONS)
        if new_status == "complete" and status != "complete":
            # Sometimes the completion is recorded a few days after it happened.
            following = visits[index + 1][0] if index + 1 < len(visits) else horizon + 1
            lag = rng.randint(1, 3)
            if (
                rng.random() < 0.2
                and day + lag < following
                and day + lag <= horizon
                and _quarter(day + lag) == _quarter(day)
            ):
                as_of = day + lag
                cells["completed_on"] = _iso(day)
        note = _note(rng, status, new_status, progress, new_progress, new_due != due, day, due)
        if day < begin:
            note = rng.choice(_NOTES["planning"])
        elif not any(cells.values()):
            if rng.random() >= 0.35:
                continue
            note = rng.choice(_NOTES["no_change"])
        by = plan.owner if rng.random() < 0.55 else rng.choice(_OFFICERS)
        rows.append(
            (
                as_of,
                as_of,
                [
                    plan.action_id,
                    by,
                    _iso(as_of),
                    cells["progress"],
                    cells["status"],
                    cells["due"],
                    cells["reason"],
                    note,
                    cells["completed_on"],
                ],
            )
        )
        status, progress, due = new_status, new_progress, new_due
    if plan.late_record:
        # One update written up only after the next quarter's update: knowledge
        # about the past that arrives late (SPEC section 4).
        candidates = [
            index
            for index in range(len(rows) - 1)
            if _quarter(rows[index][0]) < _quarter(rows[index + 1][0])
        ]
        if candidates:
            index = rng.choice(candidates)
            as_of, _, row = rows[index]
            recorded = rows[index + 1][0] + rng.randint(1, 20)
            # A late status change would leave the next update judged against
            # the old status (a reopened action looking still complete), which
            # the importer rightly refuses; such a row is recorded on time.
            if not row[4]:
                rows[index] = (as_of, recorded, row)
    return initial[0], initial[1], rows


def _note(
    rng: random.Random,
    old: str,
    new: str,
    progress: int,
    new_progress: int,
    revised: bool,
    day: int,
    due: int,
) -> str:
    """A note that fits what the update did (and how far along the action is)."""
    if new != old:
        if new == "complete":
            kind = "complete"
        elif new == "cancelled":
            kind = "cancel"
        elif old == "complete":
            kind = "reopen"
        elif old == "not_started":
            kind = "start"
        elif new in ("at_risk", "off_track") and not revised:
            kind = new
        else:
            kind = "revised" if revised else "recovered"
    elif revised:
        kind = "revised"
    elif day > due:
        kind = "overdue_nearly_done" if new_progress >= 80 else "overdue"
    elif old in ("at_risk", "off_track"):
        kind = f"{old}_still"
    elif new_progress != progress:
        kind = "progress"
    else:
        kind = "no_change"
    return rng.choice(_NOTES[kind])


# --------------------------------------------------------------------------
# Complaints and compliments
# --------------------------------------------------------------------------


class _Complaint(NamedTuple):
    received: int
    order: int
    stage: str
    theme: str
    outcome: str
    decided: int
    remedy_due: int
    remedy_done: int
    parent: int  # order of the record escalated from, -1 for none
    learning: str
    action_ids: str


def _outcome(rng: random.Random, weights: Sequence[int]) -> str:
    return rng.choices(("upheld", "partly_upheld", "not_upheld", "withdrawn"), weights)[0]


def _learning(rng: random.Random, theme: str, outcome: str) -> str:
    if outcome in ("upheld", "partly_upheld"):
        return rng.choice(_LEARNING[theme])
    if outcome == "not_upheld" and rng.random() < 0.3:
        return rng.choice(_NO_FAULT)
    return ""


def _complaints(
    rng: random.Random,
    first: int,
    last: int,
    stage1_per_month: tuple[int, int],
    actions: Sequence[tuple[str, str, int]],
) -> list[_Complaint]:
    """Complaint records, stage by stage, in the order they were received.

    Stage 1 complaints arrive each month; some escalate to stage 2 and some of
    those (and a few stage 1s) to the Ombudsman, whose upheld decisions carry
    a remedy with a due date, usually done on time, sometimes late. Upheld
    complaints sometimes name the actions (`(id, theme, created)`, those
    drawn from complaints and Ombudsman learning) that they gave rise to.
    """
    records: list[list] = []

    def add(received: int, stage: str, theme: str, parent: int) -> list:
        weights = {
            "stage1": (25, 20, 45, 10),
            "stage2": (20, 30, 45, 5),
            "ombudsman": (40, 25, 25, 10),
        }[stage]
        delay = {"stage1": (10, 35), "stage2": (20, 55), "ombudsman": (35, 120)}[stage]
        decided = received + rng.randint(*delay)
        outcome = _outcome(rng, weights)
        if decided > last:
            outcome, decided = "pending", 0
        record = [received, len(records), stage, theme, outcome, decided, 0, 0, parent, "", ""]
        record[9] = _learning(rng, theme, outcome)
        if stage == "ombudsman" and outcome in ("upheld", "partly_upheld"):
            remedy_due = decided + rng.randint(28, 84)
            if rng.random() < 0.2:
                done = remedy_due + rng.randint(3, 45)
            else:
                done = remedy_due - rng.randint(0, min(25, remedy_due - decided - 1))
            record[6], record[7] = remedy_due, done if done <= last else 0
            record[9] = f"LGSCO found fault. {record[9]} {rng.choice(_REMEDIES)}"
        records.append(record)
        return record

    for month in range(_month(first), _month(last) + 1):
        month_first = _month_start(month)
        month_last = _month_start(month + 1) - 1
        for _ in range(rng.randint(*stage1_per_month)):
            theme = rng.choices(_THEMES, _THEME_WEIGHTS)[0]
            stage1 = add(rng.randint(month_first, month_last), "stage1", theme, -1)
            if stage1[4] in ("pending", "withdrawn"):
                continue
            roll = rng.random()
            if roll < 0.14:
                received = stage1[5] + rng.randint(7, 30)
                if received > last:
                    continue
                stage2 = add(received, "stage2", theme, stage1[1])
                if stage2[4] not in ("pending", "withdrawn") and rng.random() < 0.6:
                    received = stage2[5] + rng.randint(14, 60)
                    if received <= last:
                        add(received, "ombudsman", theme, stage2[1])
            elif roll < 0.23:
                received = stage1[5] + rng.randint(20, 90)
                if received <= last:
                    add(received, "ombudsman", theme, stage1[1])

    _ensure_remedy_figures(rng, records, last)
    by_theme: dict[str, list[tuple[str, int]]] = {}
    for action_id, theme, created in actions:
        by_theme.setdefault(theme, []).append((action_id, created))
    for record in records:
        if record[4] in ("upheld", "partly_upheld") and rng.random() < 0.5:
            linked = [
                action_id
                for action_id, created in by_theme.get(record[3], ())
                if record[0] <= created <= record[5] + 270
            ]
            if linked:
                count = 2 if len(linked) > 1 and rng.random() < 0.2 else 1
                record[10] = ";".join(sorted(rng.sample(linked, count)))
    records.sort(key=lambda record: (record[0], record[1]))
    return [_Complaint(*record) for record in records]


def _ensure_remedy_figures(rng: random.Random, records: list[list], last: int) -> None:
    """Make sure there are late and outstanding remedies for the figures to show.

    A reader of the demo report should see both kinds of Ombudsman figure the
    SPEC's reference council reported; with only a dozen remedies a year, a
    random draw could miss them, so the draw is nudged where needed.
    """
    first, final = CHECKED_FIRST.toordinal(), CHECKED_LAST.toordinal()
    remedies = [record for record in records if first <= record[6] <= final]
    if not remedies:
        return
    remedies.sort(key=lambda record: record[6])
    if not any(record[7] > record[6] for record in remedies):
        chosen = remedies[len(remedies) // 2]
        chosen[7] = min(chosen[6] + rng.randint(7, 40), last)
    newest = remedies[-1]
    if not any(record[7] == 0 or record[7] > _quarter_end(record[6]) for record in remedies):
        done = _quarter_end(newest[6]) + rng.randint(5, 30)
        newest[7] = done if done <= last else 0
    # And one remedy still not done when the data ends.
    everything = [record for record in records if record[6]]
    if everything and all(record[7] for record in everything):
        max(everything, key=lambda record: record[6])[7] = 0


def _compliments(rng: random.Random, first: int, last: int) -> list[tuple[int, str, str]]:
    """About two compliments a month, about a team and what it did well."""
    compliments = []
    for month in range(_month(first), _month(last) + 1):
        month_first = _month_start(month)
        month_last = min(_month_start(month + 1) - 1, last)
        for _ in range(rng.randint(1, 3)):
            team, summary = rng.choice(_COMPLIMENTS)
            compliments.append((rng.randint(month_first, month_last), team, summary))
    compliments.sort()
    return compliments


# --------------------------------------------------------------------------
# One council's files
# --------------------------------------------------------------------------


@dataclass
class _Tables:
    """One council's rows for each file."""

    sources: list[Row]
    recommendations: list[Row]
    actions: list[Row]
    updates: list[Row]
    complaints: list[Row]
    compliments: list[Row]

    def rows(self) -> dict[str, list[Row]]:
        return {
            "sources.csv": self.sources,
            "recommendations.csv": self.recommendations,
            "actions.csv": self.actions,
            "updates.csv": self.updates,
            "complaints.csv": self.complaints,
            "compliments.csv": self.compliments,
        }


def _council(rng: random.Random, prefix: str, name: str, randomised: bool) -> _Tables:
    """Every record for one council.

    Args:
        rng: the generator's only source of randomness (for repeatability).
        prefix: prepended to every id (`""` for the demo, `"C001-"` at scale).
        name: the council's name in source titles.
        randomised: False for the hand-written demo plan; True to shuffle
            dates and storylines and sample 50 of the actions (S/M/L).
    """
    first, horizon = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    source_ids = [f"{prefix}SRC-{n:02d}" for n in range(1, len(_SOURCES) + 1)]
    received = [_day(source.received) for source in _SOURCES]
    if randomised:
        received = [min(day + rng.randint(-40, 40), horizon - 150) for day in received]
    sources = [
        [sid, s.kind, s.title.format(council=name), s.reference, _iso(day)]
        for sid, s, day in zip(source_ids, _SOURCES, received, strict=True)
    ]
    rec_ids = [f"{prefix}REC-{n:02d}" for n in range(1, len(_RECOMMENDATIONS) + 1)]
    recommendations = [
        [rid, source_ids[r.source - 1], r.text, r.theme, r.quality_statement, r.priority]
        for rid, r in zip(rec_ids, _RECOMMENDATIONS, strict=True)
    ]

    specs = list(_ACTIONS)
    if randomised:
        specs = sorted(rng.sample(specs, 50), key=_ACTIONS.index)
    plans: list[tuple[_ActionSpec, _Plan]] = []
    for number, spec in enumerate(specs, start=1):
        action_id = f"{prefix}ACT-{number:03d}"
        if randomised:
            source_day = received[_RECOMMENDATIONS[spec.rec - 1].source - 1]
            created = min(source_day + rng.randint(7, 45), horizon - 30 - rng.randint(0, 30))
            roll = rng.random()
            offset = (
                0 if roll < 0.25 else rng.randint(7, 30) if roll < 0.7 else rng.randint(30, 150)
            )
            start = created + offset
            due = start + rng.randint(90, 420)
            story = rng.choices(_STORIES, _STORY_WEIGHTS)[0]
            late = rng.random() < 0.05
        else:
            created, start, due = _day(spec.created), _day(spec.start), _day(spec.due)
            story, late = spec.story, spec.late_record
        plans.append((spec, _Plan(action_id, spec.owner, created, start, due, story, late)))

    actions: list[Row] = []
    updates: list[tuple[int, int, Row]] = []
    links: list[tuple[str, str, int]] = []
    for spec, plan in plans:
        status, progress, rows = _history(rng, plan, horizon)
        actions.append(
            [
                plan.action_id,
                rec_ids[spec.rec - 1],
                spec.title,
                spec.owner,
                _iso(plan.due),
                spec.description,
                spec.team,
                _iso(plan.start),
                status,
                str(progress),
                _iso(plan.created),
                spec.success,
                "",
            ]
        )
        updates.extend(rows)
        recommendation = _RECOMMENDATIONS[spec.rec - 1]
        if _SOURCES[recommendation.source - 1].kind in ("complaint", "ombudsman"):
            links.append((plan.action_id, recommendation.theme, plan.created))
    # The file is the log in the order things were written down (a stable
    # sort, so updates written the same day keep the actions' order).
    updates_sorted = [row for _, _, row in sorted(updates, key=lambda item: item[1])]

    per_month = (6, 8) if not randomised else (3, 5)
    records = _complaints(rng, first, horizon, per_month, links)
    ids = {record.order: f"{prefix}CMP-{n:04d}" for n, record in enumerate(records, start=1)}
    complaints = [
        [
            ids[r.order],
            r.stage,
            _iso(r.received),
            r.theme,
            r.outcome,
            _iso(r.decided) if r.decided else "",
            _iso(r.remedy_due) if r.remedy_due else "",
            _iso(r.remedy_done) if r.remedy_done else "",
            ids[r.parent] if r.parent >= 0 else "",
            r.learning,
            r.action_ids,
        ]
        for r in records
    ]
    compliments = [
        [f"{prefix}CPL-{n:03d}", _iso(day), team, summary]
        for n, (day, team, summary) in enumerate(_compliments(rng, first, horizon), start=1)
    ]
    return _Tables(sources, recommendations, actions, updates_sorted, complaints, compliments)


# --------------------------------------------------------------------------
# Public interface
# --------------------------------------------------------------------------


def generate(
    out_dir: str | Path, scale: str = "demo", seed: int = 2024, councils: int | None = None
) -> dict[str, int]:
    """Write the six CSV files of a plan into `out_dir`.

    Args:
        out_dir: directory to write into (created if missing; files replaced).
        scale: `demo` (the hand-written Westbury Council plan), or `S`, `M`,
            `L` (randomised plans for 1, 100 and 2,000 councils, about 50
            actions, 500 updates and 150 complaints each).
        seed: the same seed always gives byte-identical files.
        councils: number of councils for S/M/L (overrides the scale's default).

    Returns:
        Rows written per file name (header excluded).

    Raises:
        ValueError: an unknown scale, or councils given for the demo.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of: {', '.join(SCALES)}")
    if scale == "demo" and councils not in (None, 1):
        raise ValueError("the demo plan is one council; use scale S, M or L for more")
    count = councils if councils is not None else SCALES[scale]
    if count < 1:
        raise ValueError("councils must be at least 1")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    totals = dict.fromkeys(COLUMNS, 0)
    handles = {name: (folder / name).open("w", encoding="utf-8", newline="") for name in COLUMNS}
    try:
        writers = {
            name: csv.writer(handle, lineterminator="\n") for name, handle in handles.items()
        }
        for name, writer in writers.items():
            writer.writerow(COLUMNS[name])
        width = max(3, len(str(count)))
        for number in range(1, count + 1):
            if scale == "demo":
                tables = _council(rng, "", COUNCIL_NAME, randomised=False)
            else:
                code = f"C{number:0{width}d}"
                tables = _council(rng, f"{code}-", f"Council {code}", randomised=True)
            for name, rows in tables.rows().items():
                writers[name].writerows(rows)
                totals[name] += len(rows)
    finally:
        for handle in handles.values():
            handle.close()
    return totals


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `python -m actionplan.demo OUT_DIR [--scale S] [--seed N] [--councils N]`."""
    parser = argparse.ArgumentParser(
        prog="python -m actionplan.demo",
        description="Write a deterministic demo or benchmark action plan as CSV files.",
    )
    parser.add_argument("out_dir", help="directory to write the six CSV files into")
    parser.add_argument("--scale", choices=tuple(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--councils", type=int, default=None, help="councils for S/M/L")
    args = parser.parse_args(argv)
    try:
        counts = generate(args.out_dir, args.scale, args.seed, args.councils)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")
    return 0
