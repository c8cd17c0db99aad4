"""Action histories: how each action's updates unfold, month by month.

An action follows one storyline (on time, slipped, overdue, off track and
recovered, stalled, reopened, cancelled: the names in `content/updates.toml`).
The storyline fixes its turning points (status and due-date changes); monthly
check-ins between them, some missed, move progress along a plan and carry a
note that fits what happened. Every history obeys the importer's rules: update
rows have distinct dates on or after the action's creation and none after the
last day of the data; a due-date change carries a reason; `completed_on` comes
only with status `complete`; an update changes something or carries a note.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import NamedTuple

from .content import read_content
from .days import iso, month_of, month_start, quarter_of_day

#: One row of a CSV file, cell by cell.
Row = list[str]


@dataclass(slots=True)
class Plan:
    """What a history is drawn from: an action's dates and storyline."""

    action_id: str
    owner: str
    created: int
    start: int
    due: int
    story: str
    late_record: bool


class _Key(NamedTuple):
    """A turning point of a storyline: a status change, perhaps with a new due date."""

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
    """Progress on `day` along its segment, in steps of 5 and short of 100 until complete."""
    current = segments[0]
    for segment in segments:
        if segment[0] <= day:
            current = segment
    start, from_progress, end = current
    if day <= start:
        return from_progress
    value = from_progress + (100 - from_progress) * (day - start) / max(end - start, 1)
    return min(95, int(value // 5) * 5)


def draw_history(
    rng: random.Random, plan: Plan, horizon: int
) -> tuple[str, int, list[tuple[int, int, Row]]]:
    """Draw one action's history, up to `horizon` (the last day of the data).

    Args:
        rng: the generator's only source of randomness; the draws happen in a
            fixed order, so the same seed gives the same history.
        plan: the action's dates (day numbers) and storyline.
        horizon: no update is dated after this day.

    Returns:
        `(initial_status, initial_progress, rows)` where each row is
        `(as_of, recorded, csv_row)`: `recorded` orders the file, and is later
        than `as_of` for a late-recorded update.
    """
    words = read_content()
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
    for month in range(month_of(begin), month_of(last) + 1):
        day = month_start(month) + rng.randint(15, 26)
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
            cells["due"] = iso(new_due)
            cells["reason"] = rng.choice(words.reasons)
        if new_status == "complete" and status != "complete":
            # Sometimes the completion is recorded a few days after it happened.
            following = visits[index + 1][0] if index + 1 < len(visits) else horizon + 1
            lag = rng.randint(1, 3)
            if (
                rng.random() < 0.2
                and day + lag < following
                and day + lag <= horizon
                and quarter_of_day(day + lag) == quarter_of_day(day)
            ):
                as_of = day + lag
                cells["completed_on"] = iso(day)
        note = _note(rng, status, new_status, progress, new_progress, new_due != due, day, due)
        if day < begin:
            note = rng.choice(words.notes["planning"])
        elif not any(cells.values()):
            if rng.random() >= 0.35:
                continue
            note = rng.choice(words.notes["no_change"])
        by = plan.owner if rng.random() < 0.55 else rng.choice(words.officers)
        rows.append(
            (
                as_of,
                as_of,
                [
                    plan.action_id,
                    by,
                    iso(as_of),
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
            if quarter_of_day(rows[index][0]) < quarter_of_day(rows[index + 1][0])
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
    return rng.choice(read_content().notes[kind])
