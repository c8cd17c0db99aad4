"""Which complaint records a quarter's figures can count: the rule the summary reads by.

`Reads.complaints_between` asks the database for them; `counted_between`
applies the same rule to records already read for a longer span.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from .. import figures
from ..complaints.deadlines import RULE_NAMES, DeadlineSettings

#: Complaint columns a quarter's figures never read (text and references: most of a row's bytes).
UNCOUNTED = frozenset({"id", "learning", "escalated_from", "extension_reason", "lgsco_reference"})

#: Complaint columns holding a vocabulary's values (column -> `vocab` field), which the
#: figures compare again and again: read as categoricals (`frames.coded`).
CODED: dict[str, str] = {
    "stage": "stage",
    "outcome": "outcome",
    "procedure": "procedure",
    "lgsco_decision": "lgsco_decision",
    "remedied_before_ombudsman": "yes_no",
}


def counted_between(
    complaints: pd.DataFrame,
    compliments: pd.DataFrame,
    start: date,
    end: date,
    deadlines: DeadlineSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Of what `complaints_between` read for a span, what it reads for `start`..`end`.

    The same rule in memory: one read for every quarter of a long summary
    instead of one per quarter.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    dated = np.zeros(len(complaints), dtype=bool)
    for name in figures.COMPLAINT_WINDOW_DATES:
        dated |= complaints[name].between(first, last).to_numpy()
    dated |= (
        complaints["received_on"].between(first - acknowledgement_reach(deadlines), last)
    ).to_numpy()
    received = compliments["received_on"].between(first, last).to_numpy()
    return complaints[dated].reset_index(drop=True), compliments[received].reset_index(drop=True)


def acknowledgement_reach(deadlines: DeadlineSettings) -> timedelta:
    """More calendar days than any acknowledgement deadline lies after receipt.

    n working days span at most n days, two weekend days per five, and the few
    bank holidays that can fall together (Christmas to New Year): 2n + 14 covers them.
    """
    most = max(getattr(deadlines, name).acknowledge_days for name in RULE_NAMES)
    return timedelta(days=2 * most + 14)
