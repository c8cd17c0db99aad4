"""Complaints and compliments: a council's casework over the life of the plan.

Stage 1 complaints arrive every month; some escalate to stage 2, and some of
those (and a few stage 1s) to the Ombudsman, whose upheld decisions carry a
remedy with a due date. Upheld complaints record what was learned and sometimes
name the actions they gave rise to, so the complaints report and the action
plan tell one story. Themes, outcomes and wording come from
`content/complaints.toml`; records hold no personal data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import NamedTuple

from .content import read_content
from .days import CHECKED_FIRST, CHECKED_LAST, month_of, month_start, quarter_end


class Complaint(NamedTuple):
    """One complaint record, dates as day numbers (0: none yet)."""

    received: int
    order: int  # position in the order drawn: how escalations refer to records
    stage: str
    theme: str
    outcome: str
    decided: int
    remedy_due: int
    remedy_done: int
    parent: int  # order of the record escalated from, -1 for none
    learning: str
    action_ids: str


def _learning(rng: random.Random, theme: str, outcome: str) -> str:
    """What was learned: always for an upheld complaint, sometimes when no fault was found."""
    words = read_content()
    if outcome in ("upheld", "partly_upheld"):
        return rng.choice(words.learning[theme])
    if outcome == "not_upheld" and rng.random() < 0.3:
        return rng.choice(words.no_fault)
    return ""


def draw_complaints(
    rng: random.Random,
    first: int,
    last: int,
    stage1_per_month: tuple[int, int],
    actions: Sequence[tuple[str, str, int]],
) -> list[Complaint]:
    """Complaint records, stage by stage, in the order they were received.

    Stage 1 complaints arrive each month; some escalate to stage 2 and some of
    those (and a few stage 1s) to the Ombudsman, whose upheld decisions carry
    a remedy with a due date, usually done on time, sometimes late.

    Args:
        rng: the generator's only source of randomness.
        first: the first day of the data (a day number).
        last: the last day; a complaint not decided by then is `pending`.
        stage1_per_month: fewest and most stage 1 complaints a month.
        actions: `(id, theme, created)` of the actions drawn from complaints
            and Ombudsman learning, which upheld complaints on the same theme
            may name as what they gave rise to.
    """
    words = read_content()
    records: list[list] = []

    def add(received: int, stage: str, theme: str, parent: int) -> list:
        rule = words.stages[stage]
        decided = received + rng.randint(*rule.decision_days)
        outcome = rng.choices(rule.outcomes, rule.outcome_weights)[0]
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
            record[9] = f"LGSCO found fault. {record[9]} {rng.choice(words.remedies)}"
        records.append(record)
        return record

    for month in range(month_of(first), month_of(last) + 1):
        month_first = month_start(month)
        month_last = month_start(month + 1) - 1
        for _ in range(rng.randint(*stage1_per_month)):
            theme = rng.choices(words.themes, words.theme_weights)[0]
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
    return [Complaint(*record) for record in records]


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
    if not any(record[7] == 0 or record[7] > quarter_end(record[6]) for record in remedies):
        done = quarter_end(newest[6]) + rng.randint(5, 30)
        newest[7] = done if done <= last else 0
    # And one remedy still not done when the data ends.
    everything = [record for record in records if record[6]]
    if everything and all(record[7] for record in everything):
        max(everything, key=lambda record: record[6])[7] = 0


def draw_compliments(rng: random.Random, first: int, last: int) -> list[tuple[int, str, str]]:
    """About two compliments a month, about a team and what it did well."""
    choices = read_content().compliments
    compliments = []
    for month in range(month_of(first), month_of(last) + 1):
        month_first = month_start(month)
        month_last = min(month_start(month + 1) - 1, last)
        for _ in range(rng.randint(1, 3)):
            team, summary = rng.choice(choices)
            compliments.append((rng.randint(month_first, month_last), team, summary))
    compliments.sort()
    return compliments
