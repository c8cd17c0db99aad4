"""Complaint timeliness, a year's complaint figures and the Ombudsman's letter figures.

SPEC section 10, as pure functions over the complaint records (the frame
`Store.complaints()` gives). `timeliness` is counted for any window (a
quarter's in `figures.complaint_figures`, a year's here); `year_figures` is
what `actionplan complaints --year` prints and the annual complaints report
shows; `letter_figures` are the figures of the LGSCO's annual letter, so a
council can reconcile its own records with it. docs/complaints.md defines
every figure in words.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

import pandas as pd

from .. import figures
from ..figures import rate
from ..history import to_timestamp
from ..quarters import FinancialYear
from ..vocab import COMPLAINT_PROCEDURES, LGSCO_DECISIONS
from ..workdays import add_working_days_to
from .deadlines import RULE_NAMES, DeadlineSettings

#: The stages a council's own procedure answers (the Ombudsman runs its own).
COUNCIL_STAGES: tuple[str, ...] = ("stage1", "stage2")

#: The timeliness figures, in the order JSON and tables give them.
TIMELINESS_KEYS: tuple[str, ...] = (
    "responses_due",
    "responded_on_time",
    "responded_late",
    "response_outstanding",
    "acknowledgements_due",
    "acknowledged_on_time",
    "acknowledged_on_time_rate",
)

#: Upheld and partly upheld: what the 2009 regulations call well-founded.
WELL_FOUNDED: tuple[str, ...] = ("upheld", "partly_upheld")

#: Ombudsman decisions that followed a detailed investigation.
DETAILED: tuple[str, ...] = ("upheld", "not_upheld")


class Window(Protocol):
    """A span of days figures are counted over: a `Quarter` or a `FinancialYear`."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def with_deadlines(complaints: pd.DataFrame, settings: DeadlineSettings) -> pd.DataFrame:
    """The council's own complaints (stages 1 and 2, not withdrawn), with their deadlines.

    Adds `acknowledge_by` (the last day to acknowledge on time, by the plan's
    settings) and `due` (the response due date: `extended_to` where an
    extension was agreed, else `response_due`).
    """
    frame = complaints[
        complaints["stage"].isin(COUNCIL_STAGES) & (complaints["outcome"] != "withdrawn")
    ].copy()
    procedure = frame["procedure"].fillna("statutory")
    frame["acknowledge_by"] = pd.Series(pd.NaT, index=frame.index, dtype=frame["received_on"].dtype)
    for name in RULE_NAMES:
        rule = getattr(settings, name)
        if name == "statutory":
            mask = procedure == "statutory"
        else:
            mask = (procedure == "corporate") & (frame["stage"] == name.removeprefix("corporate_"))
        if mask.any():
            frame.loc[mask, "acknowledge_by"] = add_working_days_to(
                frame.loc[mask, "received_on"], rule.acknowledge_days
            )
    frame["due"] = frame["extended_to"].fillna(frame["response_due"])
    return frame


def _counts(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    due = frame[(frame["due"] >= start) & (frame["due"] <= end)]
    responded = due["responded_on"]
    acknowledge = frame[(frame["acknowledge_by"] >= start) & (frame["acknowledge_by"] <= end)]
    on_time = int((acknowledge["acknowledged_on"] <= acknowledge["acknowledge_by"]).sum())
    return {
        "responses_due": len(due),
        "responded_on_time": int((responded <= due["due"]).sum()),
        "responded_late": int((responded > due["due"]).sum()),
        "response_outstanding": int((responded.isna() | (responded > end)).sum()),
        "acknowledgements_due": len(acknowledge),
        "acknowledged_on_time": on_time,
        "acknowledged_on_time_rate": rate(on_time, len(acknowledge)),
    }


def timeliness(
    complaints: pd.DataFrame, settings: DeadlineSettings, window: Window
) -> dict[str, Any]:
    """SPEC section 10's timeliness figures for a window, as at its last day.

    Responses: records whose response (extended where agreed) was due in the
    window; on time or late as they were answered (known now), outstanding
    when not answered by the window's last day. Acknowledgements: records
    whose acknowledgement was due in the window, and how many were
    acknowledged by then. Both also split by procedure and stage
    (`by_procedure`, every key present).
    """
    start, end = to_timestamp(window.start), to_timestamp(window.end)
    frame = with_deadlines(complaints, settings)
    procedure = frame["procedure"].fillna("statutory")
    result = _counts(frame, start, end)
    result["timeliness_by_procedure"] = {
        name: {
            stage: _counts(frame[(procedure == name) & (frame["stage"] == stage)], start, end)
            for stage in COUNCIL_STAGES
        }
        for name in COMPLAINT_PROCEDURES
    }
    return result


def letter_figures(complaints: pd.DataFrame, window: Window, as_of: date) -> dict[str, Any]:
    """The Ombudsman's annual letter figures for a year (SPEC section 10).

    Args:
        complaints: every complaint record.
        window: the financial year.
        as_of: the day the figures describe (the year's last day, or today
            while the year runs): a remedy counts once its due date is on or
            before it.
    """
    start, end = to_timestamp(window.start), to_timestamp(window.end)
    day = to_timestamp(as_of)
    ombudsman = complaints[complaints["stage"] == "ombudsman"]
    decided = ombudsman[(ombudsman["decided_on"] >= start) & (ombudsman["decided_on"] <= end)]
    decisions = decided["lgsco_decision"].value_counts()
    detailed = decided[decided["lgsco_decision"].isin(DETAILED)]
    upheld = detailed[detailed["lgsco_decision"] == "upheld"]
    remedied_before = int((upheld["remedied_before_ombudsman"] == "yes").sum())
    remedies = ombudsman[
        (ombudsman["remedy_due"] >= start)
        & (ombudsman["remedy_due"] <= end)
        & (ombudsman["remedy_due"] <= day)
    ]
    done = remedies[remedies["remedy_done_on"].notna()]
    late = int((done["remedy_done_on"] > done["remedy_due"]).sum())
    return {
        "decisions": {name: int(decisions.get(name, 0)) for name in LGSCO_DECISIONS},
        "detailed_investigations": len(detailed),
        "upheld": len(upheld),
        "upheld_rate": rate(len(upheld), len(detailed)),
        "remedied_before": remedied_before,
        "remedied_before_rate": rate(remedied_before, len(upheld)),
        "remedies_due": len(remedies),
        "remedies_done": len(done),
        "compliance_rate": rate(len(done), len(remedies)),
        "remedies_done_late": late,
        "late_rate": rate(late, len(done)),
    }


def year_extras(complaints: pd.DataFrame, window: Window) -> dict[str, Any]:
    """What the 2009 regulations' annual report adds to the quarter's complaint figures.

    `well_founded`: decisions in the year that upheld the complaint in whole
    or part; `referred_to_ombudsman`: Ombudsman records received in the year;
    `received_by_procedure`; `with_learning`: records received in the year
    that recorded a lesson; `actions_arising`: the distinct actions those
    records gave rise to.
    """
    start, end = to_timestamp(window.start), to_timestamp(window.end)
    received = complaints[(complaints["received_on"] >= start) & (complaints["received_on"] <= end)]
    decided = complaints[(complaints["decided_on"] >= start) & (complaints["decided_on"] <= end)]
    procedures = received["procedure"].fillna("statutory").value_counts()
    learning = received[received["learning"].fillna("").astype(str).str.strip() != ""]
    actions = {
        action_id
        for ids in received["action_ids"].fillna("")
        for action_id in str(ids).split(";")
        if action_id
    }
    return {
        "received_total": len(received),
        "received_by_procedure": {
            name: int(procedures.get(name, 0)) for name in COMPLAINT_PROCEDURES
        },
        "well_founded": int(decided["outcome"].isin(WELL_FOUNDED).sum()),
        "referred_to_ombudsman": int((received["stage"] == "ombudsman").sum()),
        "with_learning": len(learning),
        "actions_arising": len(actions),
    }


def window_figures(
    complaints: pd.DataFrame,
    compliments: pd.DataFrame,
    window: Window,
    settings: DeadlineSettings,
) -> dict[str, Any]:
    """SPEC section 5's complaint figures for a window, with section 10's timeliness."""
    return {
        **figures.complaint_figures(complaints, compliments, window),
        **timeliness(complaints, settings, window),
    }


def year_figures(
    complaints: pd.DataFrame,
    compliments: pd.DataFrame,
    year: FinancialYear,
    settings: DeadlineSettings,
    today: date | None = None,
) -> dict[str, Any]:
    """One financial year's complaint figures: what `actionplan complaints --year --json` prints.

    The window's figures (as a quarter's, over the whole year, as at its
    last day), the 2009 regulations' extras (`year_extras`) and the
    Ombudsman's letter figures (`ombudsman_letter`, as at the year's last
    day or `today` while the year runs).
    """
    as_of = min(year.end, today or date.today())
    return {
        "year": year.label,
        "start": year.start.isoformat(),
        "end": year.end.isoformat(),
        "as_of": as_of.isoformat(),
        **year_extras(complaints, year),
        **window_figures(complaints, compliments, year, settings),
        "ombudsman_letter": letter_figures(complaints, year, as_of),
    }
