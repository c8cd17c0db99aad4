"""What the CLI, the report and the workbook ask of a plan: its data, a quarter, a list.

Each function reads what it needs from a `Store` and hands the frames to the
pure layer (`summary`, `figures`, `listing`), so the same question gets the
same answer from every front end. `resolve_quarter` is the one place a
quarter word (`latest`, `current`, `previous`, or a label) becomes a quarter.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from .. import figures, listing, schedule
from ..complaints.figures import year_figures
from ..errors import ActionPlanError, FieldError
from ..quarters import FinancialYear, Quarter, parse_quarter, parse_year, quarter_of
from ..records import as_plain
from ..summary import PlanData, summary_of
from . import Store, cache
from .evidence import evidence_frame
from .people import has_people
from .window import counted_between


def load_plan(store: Store, fields: Iterable[str] | None = None) -> PlanData:
    """Read every record the figures and the report use.

    Args:
        store: the plan.
        fields: the action fields to replay (default all); `rules.FIGURE_FIELDS`
            is enough for `quarter_summary` and loads a large plan faster
            (`quarter_summaries` is faster still).
    """
    # The report reads the evidence; a summary (only `RULE_FIELDS`) does not need it.
    extra = {} if fields is not None else {
        "evidence": evidence_frame(store), "has_people": has_people(store),
    }  # fmt: skip
    return PlanData(
        events=store.events(fields=fields),
        complaints=store.complaints(),
        compliments=store.table("compliments"),
        sources=store.table("sources"),
        recommendations=store.table("recommendations"),
        first_month=store.first_month,
        council=store.council,
        database=store.display_name,
        latest=lambda: latest_quarter(store),
        deadlines=store.deadline_settings(),
        cqc_scores=store.table("cqc_scores"),
        **extra,
    )


def latest_quarter(store: Store, today: date | None = None) -> Quarter:
    """The last finished quarter that has data (what `make report` shows).

    A quarter still in progress is only chosen when the plan has no data in any
    finished quarter: a director wants the last complete picture, not a partial one.

    Raises:
        ActionPlanError: the plan holds no dated records yet.
    """
    today = today or date.today()
    quarters = store.data_quarters(today)
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    finished = [quarter for quarter in quarters if quarter.end < today]
    return finished[-1] if finished else quarters[-1]


def resolve_quarter(
    store: Store, text: str | Quarter, today: date | None = None, field: str = "quarter"
) -> Quarter:
    """A quarter as any command accepts it: a label, `current`, `previous` or `latest`."""
    return parse_quarter(
        text,
        today,
        store.first_month,
        field=field,
        latest=lambda: latest_quarter(store, today),
    )


#: A report may look this many quarters past the plan's latest data (a year).
REPORT_AHEAD = 4


def reportable_quarter(store: Store, quarter: Quarter, today: date | None = None) -> Quarter:
    """`quarter` itself, if a report of it makes sense for this plan.

    Raises:
        ActionPlanError: the plan has no data, or the quarter is before its first
            data or more than a year after its latest.
    """
    quarters = store.data_quarters(today)
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    first, last = quarters[0], quarters[-1]
    if quarter < first:
        raise FieldError(
            "quarter", f"{quarter.label} is before the plan's first data ({first.label})"
        )
    limit = last
    for _ in range(REPORT_AHEAD):
        limit = limit.next()
    if quarter > limit:
        raise FieldError(
            "quarter",
            f"{quarter.label} is more than a year after the plan's latest data ({last.label})",
        )
    return quarter


def resolve_year(
    store: Store, text: str | FinancialYear, today: date | None = None
) -> FinancialYear:
    """A financial year as commands accept it (`2024-25`, `current`, `previous`), in the
    plan's own year (its first month)."""
    return parse_year(text, today, store.first_month)


def reportable_year(store: Store, year: FinancialYear, today: date | None = None) -> FinancialYear:
    """`year` itself, if an annual report of it makes sense for this plan.

    Raises:
        ActionPlanError: the plan has no data, or the year ends before its first
            data or starts more than a year after its latest.
    """
    quarters = store.data_quarters(today)
    if not quarters:
        raise ActionPlanError(f"{store.display_name} holds no dated records yet")
    first, last = quarters[0], quarters[-1]
    if year.end < first.start:
        raise FieldError("year", f"{year.label} is before the plan's first data ({first.label})")
    if year.start > last.end.replace(year=last.end.year + 1):
        raise FieldError(
            "year", f"{year.label} is more than a year after the plan's latest data ({last.label})"
        )
    return year


def complaint_year(
    store: Store, year: str | FinancialYear, today: date | None = None
) -> dict[str, Any]:
    """One financial year's complaint figures (`actionplan complaints --year Y --json`)."""
    chosen = resolve_year(store, year, today)
    return year_figures(
        store.complaints(),
        store.table("compliments"),
        chosen,
        store.deadline_settings(),
        today,
    )


def summarise(store: Store, quarter: str | Quarter, today: date | None = None) -> dict[str, Any]:
    """One quarter's figures (SPEC section 5), as `actionplan summary --json` prints them."""
    return quarter_summaries(store, [resolve_quarter(store, quarter, today)])[0]


def quarter_summaries(store: Store, quarters: list[Quarter]) -> list[dict[str, Any]]:
    """The figures of each quarter, read without loading the whole plan.

    The actions come from the plan's columnar copy (`store.cache`: the same
    replay as `history.state_at`, on integer columns kept beside the plan),
    with the actions updated in each quarter from the same copy, and the
    complaints from those the quarter's figures can count only, so a national
    plan's summary reads a few thousand rows, not a million. The figures
    themselves are `summary.summary_of`, as for a plan in memory.
    """
    if not quarters:
        return []
    days = {day for quarter in quarters for day in (quarter.end, quarter.previous().end)}
    deadlines = store.deadline_settings()
    with ThreadPoolExecutor(max_workers=1) as reader:
        # One read of the complaints for every quarter, narrowed to each in memory
        # by the same rule; on its own thread, since the database does much of it
        # without Python's lock while this thread replays the quarter ends (a
        # national plan: 300,000 complaints read in about 2 s beside 0.7 s of replay).
        reading = reader.submit(
            store.complaints_between,
            min(q.start for q in quarters),
            max(q.end for q in quarters),
            deadlines,
        )
        copy = cache.event_copy(store)
        states = {day: copy.state_at(day) for day in sorted(days)}
        read = reading.result()
    found = []
    for quarter in quarters:
        complaints, compliments = counted_between(*read, quarter.start, quarter.end, deadlines)
        found.append(
            summary_of(
                quarter,
                states[quarter.end],
                states[quarter.previous().end],
                copy.counted_events(quarter.start, quarter.end),
                complaints,
                compliments,
                deadlines,
            )
        )
    return found


def action_list(
    store: Store,
    owner: str | None = None,
    team: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    quarter: str | None = None,
    today: date | None = None,
    search: str | None = None,
    stale: bool = False,
) -> list[dict[str, Any]]:
    """Actions as plain dicts (the `list --json` objects), most urgent first.

    Without `quarter` this is the stored current state judged at today (and
    "not updated" means in today's quarter so far); with it, the replayed
    state at the quarter's as-of day.
    """
    today = today or date.today()
    if quarter:
        chosen = resolve_quarter(store, quarter, today)
        start, as_of = chosen.start, chosen.end
        state = load_plan(store).state_at(as_of)
    else:
        start, as_of = quarter_of(today, store.first_month).start, today
        store.check()
        state = store.current_actions()
    frame = actions_at(store, state, start, as_of)
    found = listing.filter_actions(frame, owner, team, status, overdue, search, stale)
    return listing.plain_list(found)


def actions_at(store: Store, state: Any, start: date, as_of: date) -> Any:
    """Actions with their RAG, schedule RAG and "not updated" at `as_of`, most urgent first."""
    frame = figures.with_rag(state, as_of)
    frame = schedule.with_schedule(frame, store.latest_updates(as_of), start, as_of)
    return listing.by_urgency(frame, as_of)


def action_detail(
    store: Store, action_id: str, today: date | None = None, updates: int = 5
) -> dict[str, Any]:
    """One action as `show` prints it: as it stands (with its RAG today), the
    recommendation and source it answers, the complaints that gave rise to it,
    and its last `updates` events, newest first.

    Raises:
        NotFoundError: no such action.
    """
    from sqlalchemy import select

    from . import schema

    today = today or date.today()
    store.get_action(action_id)
    current = store.current_actions()
    start = quarter_of(today, store.first_month).start
    one = actions_at(store, current[current["id"] == action_id], start, today)
    state = listing.plain_list(one)[0]
    with store.read() as conn:
        recommendation = (
            conn.execute(
                select(schema.recommendations).where(
                    schema.recommendations.c.id == state["recommendation_id"]
                )
            )
            .one()
            ._mapping
        )
        source = (
            conn.execute(
                select(schema.sources).where(schema.sources.c.id == recommendation["source_id"])
            )
            .one()
            ._mapping
        )
        links = schema.complaint_actions.c
        complaints = list(
            conn.execute(
                select(links.complaint_id)
                .where(links.action_id == action_id)
                .order_by(links.complaint_id)
            ).scalars()
        )
    events = store.history(action_id)
    return {
        "action": state,
        "recommendation": {k: as_plain(v) for k, v in recommendation.items()},
        "source": {k: as_plain(v) for k, v in source.items()},
        "complaints": complaints,
        "updates": events[::-1][:updates],
        "versions": len(events),
    }
