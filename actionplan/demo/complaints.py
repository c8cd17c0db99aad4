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
from datetime import date
from typing import NamedTuple

from ..complaints.deadlines import DeadlineSettings, worked_out_response_due
from ..workdays import add_working_days
from .content import read_content
from .days import CHECKED_FIRST, CHECKED_LAST, month_of, month_start, quarter_end

#: The deadlines the demo is drawn against: SPEC section 10's defaults.
DEADLINES = DeadlineSettings()


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
    procedure: str = "statutory"
    acknowledged: int = 0
    response_due: int = 0  # given only beside an agreed extension; else worked out on import
    responded: int = 0
    extended: int = 0
    extension_reason: str = ""
    lgsco_reference: str = ""
    lgsco_decision: str = ""
    remedied_before: str = ""


#: Fields of `Complaint` after the first eleven (SPEC section 10), with their empty values.
_DEADLINE_FIELDS = dict(Complaint._field_defaults)
#: Share of stage 1 complaints handled under the corporate procedure.
CORPORATE_SHARE = 0.2
#: How an Ombudsman outcome of `not_upheld` splits into its decisions.
_NOT_UPHELD = (("not_upheld", "closed_after_initial_enquiries", "premature"), (50, 35, 15))


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
    extra: list[dict] = []  # SPEC section 10's fields of each record, by position

    def add(received: int, stage: str, theme: str, parent: int) -> list:
        rule = words.stages[stage]
        decided = received + rng.randint(*rule.decision_days)
        outcome = rng.choices(rule.outcomes, rule.outcome_weights)[0]
        procedure = extra[parent]["procedure"] if parent >= 0 else (
            "corporate" if rng.random() < CORPORATE_SHARE else "statutory"
        )  # fmt: skip
        fields = {**_DEADLINE_FIELDS, "procedure": procedure}
        if stage != "ombudsman" and rng.random() < 0.04 and procedure == "statutory":
            decided = received + rng.randint(185, 215)  # past six months: late unless extended
        if decided > last:
            outcome, decided = "pending", 0
        record = [received, len(records), stage, theme, outcome, decided, 0, 0, parent, "", ""]
        record[9] = _learning(rng, theme, outcome)
        if stage == "ombudsman":
            fields.update(_ombudsman_case(rng, received, outcome))
        if stage == "ombudsman" and outcome in ("upheld", "partly_upheld"):
            if fields["remedied_before"] != "yes":
                remedy_due = decided + rng.randint(28, 84)
                if rng.random() < 0.2:
                    done = remedy_due + rng.randint(3, 45)
                else:
                    done = remedy_due - rng.randint(0, min(25, remedy_due - decided - 1))
                record[6], record[7] = remedy_due, done if done <= last else 0
            record[9] = f"LGSCO found fault. {record[9]} {rng.choice(words.remedies)}"
        if stage != "ombudsman":
            fields.update(_handling(rng, received, stage, procedure, decided, last))
        records.append(record)
        extra.append(fields)
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
    drawn = [Complaint(*record, **extra[record[1]]) for record in records]
    return sorted(drawn, key=lambda record: (record.received, record.order))


def _ombudsman_case(rng: random.Random, received: int, outcome: str) -> dict[str, str]:
    """The Ombudsman's reference and decision, and whether fault was put right beforehand."""
    year = date.fromordinal(received).year % 100
    found = {"lgsco_reference": f"{year:02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"}
    if outcome in ("upheld", "partly_upheld"):
        found["lgsco_decision"] = "upheld"
        found["remedied_before"] = "yes" if rng.random() < 0.15 else "no"
    elif outcome == "not_upheld":
        found["lgsco_decision"] = rng.choices(*_NOT_UPHELD)[0]
    elif outcome == "withdrawn":
        found["lgsco_decision"] = "withdrawn"
    return found


def _handling(
    rng: random.Random, received: int, stage: str, procedure: str, decided: int, last: int
) -> dict[str, object]:
    """When a council complaint was acknowledged, answered, and any extension agreed.

    Most are acknowledged within the procedure's limit and answered the day
    the outcome was decided; a few are acknowledged late. Where a response
    would be late, more time is sometimes agreed: within the Code's limit for
    a corporate complaint, a month or two for a statutory one.
    """
    words = read_content()
    rule = DEADLINES.rule(procedure, stage)
    day = date.fromordinal(received)
    late_ack = rng.random() < 0.08
    ack_in = rng.randint(rule.acknowledge_days + 1, rule.acknowledge_days + 4) if late_ack else (
        rng.randint(1, rule.acknowledge_days)
    )  # fmt: skip
    acknowledged = add_working_days(day, ack_in).toordinal()
    found: dict[str, object] = {"acknowledged": acknowledged if acknowledged <= last else 0}
    due = worked_out_response_due(
        {"procedure": procedure, "stage": stage, "received_on": day,
         "acknowledged_on": date.fromordinal(acknowledged)},
        DEADLINES,
    )  # fmt: skip
    if decided:
        found["responded"] = decided
    if due is not None and decided and decided > due.toordinal() and rng.random() < 0.5:
        if procedure == "corporate":
            # A week past the due date: inside the Code's ten working days however
            # the plan's dates are moved (the demo is dated to today when loaded).
            found["response_due"] = due.toordinal()
            found["extended"] = due.toordinal() + rng.randint(6, 8)
        else:
            found["extended"] = due.toordinal() + rng.randint(30, 60)
        found["extension_reason"] = rng.choice(words.extension_reasons)
    return found


def draw_cqc_scores() -> list[tuple[int, str, int]]:
    """The demo's CQC assessment scores: (source number, quality statement, score)."""
    words = read_content()
    return [(words.cqc_source, statement, score) for statement, score in words.cqc_scores.items()]


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
