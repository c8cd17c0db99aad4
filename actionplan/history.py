"""Replay: the state of every action at a date, from its events alone.

SPEC section 4: the state at D is the creation event and every later event with
`as_of <= D`, applied in (`as_of`, `recorded_at`) order. Each event stores only
the fields it set, so the state is, per field, the last value set: the last
non-blank position per action in the sorted events, found with numpy on whole
columns, with no per-action Python loop. The completion
rules are then applied to the result, so a late-recorded event cannot leave a
complete action below 100% or an open one with a completion date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .rules import COMPLETE_ONLY_FIELDS, COMPLETE_PROGRESS, DATE_FIELDS, STATE_FIELDS

#: How frames hold dates: microseconds reach from year 1 to 9999, so a date typed
#: wrong by an older version (year 205, year 2300) is still counted, not a crash.
DATE_DTYPE = "datetime64[us]"

#: Columns of an events frame (see `store.Store.events`).
EVENT_COLUMNS: tuple[str, ...] = (
    "seq",
    "action_id",
    "recommendation_id",
    "version",
    "kind",
    "by",
    "recorded_at",
    "as_of",
    *STATE_FIELDS,
)

#: Columns of a state frame, in the order tables show them.
STATE_COLUMNS: tuple[str, ...] = (
    "id",
    "recommendation_id",
    *STATE_FIELDS,
    "baseline_due",
    "created_on",
    "version",
    "last_updated",
    "last_updated_by",
)


def to_timestamp(day: date | pd.Timestamp | str) -> pd.Timestamp:
    """A date as the midnight Timestamp the frames compare against."""
    return pd.Timestamp(day).normalize()


def state_at(events: pd.DataFrame, day: date | pd.Timestamp | str) -> pd.DataFrame:
    """Every action that exists at the end of `day`, as it stood then.

    Works on positions and integer codes with numpy rather than sorting and
    grouping the frame itself: at a million events, sorting strings and taking
    every column twice was most of a summary's time.

    Args:
        events: an events frame (one row per event, date columns as datetime64).
            It may hold only some of `STATE_FIELDS` (a summary needs four);
            the state then has only those.
        day: the as-of day; events with a later `as_of` are ignored.

    Returns:
        One row per action (columns `STATE_COLUMNS`), sorted by id. `version`
        counts the events that make up this state.
    """
    cutoff = to_timestamp(day).to_datetime64()
    order = _order(events)
    codes, ids = order.codes, order.ids
    as_of = events["as_of"].to_numpy()
    rows = order.replay[as_of[order.replay] <= cutoff]
    is_create = events["kind"].to_numpy()[rows] == "create"
    creation = np.full(len(ids), -1)
    creation[codes[rows[is_create]]] = rows[is_create]
    rows = rows[creation[codes[rows]] >= 0]
    if not len(rows):
        return empty_state(events)
    row_codes = codes[rows]
    ends = np.flatnonzero(np.r_[row_codes[1:] != row_codes[:-1], True])
    group = row_codes[ends]
    columns: dict[str, object] = {}
    for field in _fields(events):
        column = events[field]
        known = column.notna().to_numpy()[rows]
        last = _last_per_group(rows[known], row_codes[known], group, len(ids))
        columns[field] = _take(column, last)
    first = creation[group]
    columns["recommendation_id"] = events["recommendation_id"].array.take(first)
    columns["baseline_due"] = events["due"].array.take(first)
    columns["created_on"] = events["as_of"].array.take(first)
    columns["version"] = np.diff(np.r_[-1, ends]).astype("int64")
    newest = order.recorded[as_of[order.recorded] <= cutoff]
    newest = newest[creation[codes[newest]] >= 0][ends]
    columns["last_updated"] = events["recorded_at"].array.take(newest)
    columns["last_updated_by"] = events["by"].array.take(newest)
    state = pd.DataFrame(columns, index=pd.Index(ids.take(group), name="id"))
    state = apply_completion_rules(state)
    return state.reset_index()[_state_columns(events)]


@dataclass(frozen=True)
class _Order:
    """How an events frame sorts: worked out once, then filtered per as-of day.

    `replay` is every row in the SPEC's order (action, as_of, recorded_at,
    seq); `recorded` in (action, recorded_at, seq) order, for who saved last.
    Filtering a sorted order by `as_of <= D` leaves it sorted, so a report
    that replays many quarters sorts its million events once.
    """

    keys: tuple[np.ndarray, ...]
    codes: np.ndarray
    ids: pd.Index
    replay: np.ndarray
    recorded: np.ndarray

    def fits(self, keys: tuple[np.ndarray, ...]) -> bool:
        """True when the frame still holds the values this order was worked out from."""
        return all(
            len(old) == len(new) and bool((old == new).all())
            for old, new in zip(self.keys, keys, strict=True)
        )


#: The orders of the last few frames replayed (a report replays one frame many times).
_ORDERS: dict[int, _Order] = {}
_ORDERS_KEPT = 4


def _order(events: pd.DataFrame) -> _Order:
    keys = tuple(
        events[name].to_numpy(copy=True) for name in ("action_id", "as_of", "recorded_at", "seq")
    )
    cached = _ORDERS.get(id(events))
    # Checked by value, not identity: a frame can be changed in place, and an
    # id can be reused by a new frame once the old one is gone.
    if cached is not None and cached.fits(keys):
        return cached
    _, as_of, recorded, seq = keys
    codes, ids = pd.factorize(events["action_id"], sort=True)
    found = _Order(
        keys=keys,
        codes=codes,
        ids=ids,
        replay=np.lexsort((seq, recorded, as_of, codes)),
        recorded=np.lexsort((seq, recorded, codes)),
    )
    _ORDERS.pop(id(events), None)
    while len(_ORDERS) >= _ORDERS_KEPT:
        _ORDERS.pop(next(iter(_ORDERS)))
    _ORDERS[id(events)] = found
    return found


def _last_per_group(
    positions: np.ndarray, codes: np.ndarray, groups: np.ndarray, size: int
) -> np.ndarray:
    """Per group, the position of its last row (-1 if none); rows are sorted by code."""
    last = np.full(size, -1)
    if len(positions):
        ends = np.r_[codes[1:] != codes[:-1], True]
        last[codes[ends]] = positions[ends]
    return last[groups]


def _take(column: pd.Series, positions: np.ndarray) -> object:
    """The values at `positions`, missing where a position is -1 (None in object columns)."""
    if column.dtype == object:
        values = column.to_numpy()[np.maximum(positions, 0)]
        values[positions < 0] = None
        return values
    return column.array.take(positions, allow_fill=True)


def _fields(events: pd.DataFrame) -> list[str]:
    return [field for field in STATE_FIELDS if field in events.columns]


def _state_columns(events: pd.DataFrame) -> list[str]:
    absent = set(STATE_FIELDS) - set(events.columns)
    return [column for column in STATE_COLUMNS if column not in absent]


def apply_completion_rules(state: pd.DataFrame) -> pd.DataFrame:
    """`rules.settle` on whole columns: complete counts 100%, only complete keeps its dates."""
    complete = state["status"] == "complete"
    state["progress"] = np.where(complete, COMPLETE_PROGRESS, state["progress"]).astype("int64")
    for name in COMPLETE_ONLY_FIELDS:
        state[name] = state[name].where(complete, pd.NaT)
    return state


def empty_state(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """A state frame with no actions but the right columns and types.

    Given the events it came from, only the fields those events hold.
    """
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in STATE_COLUMNS})
    for column in (*DATE_FIELDS, "baseline_due", "created_on"):
        frame[column] = pd.Series(dtype=DATE_DTYPE)
    frame["progress"] = pd.Series(dtype="int64")
    frame["version"] = pd.Series(dtype="int64")
    return frame if events is None else frame[_state_columns(events)]


def empty_events() -> pd.DataFrame:
    """An events frame with no rows but the right columns and types."""
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in EVENT_COLUMNS})
    for column in (*DATE_FIELDS, "as_of", "recorded_at"):
        frame[column] = pd.Series(dtype=DATE_DTYPE)
    return frame


def plain_rows(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """Rows of a state frame as plain Python values: dates as `date`, blanks as None.

    `last_updated` stays a `datetime`. Converted column by column, not cell by
    cell: a list of a hundred thousand actions is made in one pass per column.
    """
    converted = {}
    for name in columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            stamps = series.dt.to_pydatetime() if name == "last_updated" else series.dt.date
            values = [None if pd.isna(v) else v for v in stamps]
        else:
            values = [
                None if v is None or (not isinstance(v, str) and pd.isna(v)) else _native(v)
                for v in series.astype(object)
            ]
        converted[name] = values
    return [dict(zip(columns, row, strict=True)) for row in zip(*converted.values(), strict=True)]


def _native(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
