"""A columnar copy of the events: the four figure fields, integer-coded, in replay order.

`summary` of a national plan replays a million events twice. Reading them out
of the database as Python objects, every time, was most of its eight seconds;
the same replay on numpy columns that are already sorted takes a tenth of a
second. An `EventCopy` holds, per event, only what `history.state_at` needs
to work out the fields the figures read (`rules.FIGURE_FIELDS`):

    action int32 (code into `ids`), as_of int32 (days since 1970-01-01),
    recorded_at int64 (microseconds), seq int64, create bool,
    status int16 (code into `statuses`, -1 not set), progress int64 (NO_PROGRESS
    not set), start_on, due and completed_on int32 (days, NO_DAY not set)

sorted by (action, as_of, recorded_at, seq), with action codes in id order, so
a replay at D is one mask and a "last set position per action" pass per field,
and the state comes out sorted by id as `state_at` gives it.

History is append-only, so the copy is brought up to date by adding the
events recorded after the newest it holds (`merged`). Where it is kept, and
when it is not trusted, is `store.cache`. `state_at` here is the same rule as
`history.state_at`; the property tests hold the two equal.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..assurance import EVENT_KINDS, VERIFY
from ..history import DATE_DTYPE, to_timestamp
from ..rules import COMPLETE_PROGRESS

#: Bumped whenever the arrays change meaning; a copy of another layout is rebuilt.
LAYOUT = 3
#: Event kinds as the copy codes them (another kind is -1).
KIND_CODES: dict[str, int] = {kind: code for code, kind in enumerate(EVENT_KINDS)}
#: The kinds of SPEC section 8 whose every event the figures count.
ASSURANCE_KINDS: tuple[str, ...] = tuple(k for k in EVENT_KINDS if k not in ("create", "update"))
#: An unset date field, and an unset progress.
NO_DAY = int(np.iinfo(np.int32).min)
NO_PROGRESS = int(np.iinfo(np.int64).min)
#: The columns of a copy, each one value per event.
COLUMNS: tuple[str, ...] = (
    "action",
    "as_of",
    "recorded_at",
    "seq",
    "create",
    "kind",
    "status",
    "progress",
    "start_on",
    "due",
    "completed_on",
)
#: The columns of a state frame made from a copy (`history.STATE_COLUMNS` for these fields).
STATE_COLUMNS: tuple[str, ...] = (
    "id",
    "start_on",
    "due",
    "status",
    "progress",
    "completed_on",
    "baseline_due",
    "created_on",
    "verified",
)
#: What `encode` reads from the `updates` table, in this order.
SOURCE_COLUMNS: tuple[str, ...] = (
    "seq",
    "action_id",
    "kind",
    "as_of",
    "recorded_at",
    "status",
    "progress",
    "start_on",
    "due",
    "completed_on",
)


@dataclass
class EventCopy:
    """The events of a plan as sorted columns, and how far into its history they reach.

    Attributes:
        ids: action ids in sorted order; the `action` column holds positions in it.
        statuses: status values; the `status` column holds positions in it.
        columns: one array per name of `COLUMNS`, in replay order.
        watermark: the highest `seq` held (0 for none).
        count: how many events are held.
        stamp: what identifies the event `watermark` (`store.cache` checks it).
    """

    ids: list[str]
    statuses: list[str]
    columns: dict[str, np.ndarray]
    watermark: int = 0
    count: int = 0
    stamp: str = ""

    def state_at(self, day: date | pd.Timestamp | str) -> pd.DataFrame:
        """The figure fields of every action that exists at the end of `day`.

        The same rule as `history.state_at` (SPEC section 4): per field, the
        last value set by an event with `as_of <= day`, in (as_of, recorded_at,
        seq) order, for actions created by then; then the completion rule.
        Returns the columns `STATE_COLUMNS`, sorted by id; `status` is
        categorical (the figures compare it many times, and a category
        compares as an integer).
        """
        columns = self.columns
        size = len(self.ids)
        cutoff = day_number(to_timestamp(day).date())
        rows = np.flatnonzero(columns["as_of"] <= cutoff)
        codes = columns["action"][rows]
        created = rows[columns["create"][rows]]
        creation = np.full(size, -1, dtype=np.int64)
        creation[columns["action"][created]] = created
        present = np.flatnonzero(creation >= 0)
        state: dict[str, np.ndarray] = {}
        for name, unset in (
            ("status", -1),
            ("progress", NO_PROGRESS),
            ("start_on", NO_DAY),
            ("due", NO_DAY),
            ("completed_on", NO_DAY),
        ):
            values = columns[name]
            last = _last_set(rows, codes, values[rows] != unset, size)[present]
            state[name] = np.where(last >= 0, values[np.maximum(last, 0)], unset)
        first = creation[present]
        complete = _status_is(self.statuses, state["status"], "complete")
        # Verified (SPEC section 8): complete, and of the events that set a status
        # or verify, the last verifies (`assurance.verified_ids`).
        kinds = columns["kind"]
        verifying = kinds[rows] == KIND_CODES[VERIFY]
        judged = _last_set(rows, codes, verifying | (columns["status"][rows] != -1), size)[present]
        verified = complete & (judged >= 0) & (kinds[np.maximum(judged, 0)] == KIND_CODES[VERIFY])
        progress = np.where(complete, COMPLETE_PROGRESS, state["progress"]).astype(np.int64)
        return pd.DataFrame(
            {
                "id": pd.array(np.array(self.ids, dtype=object)[present], dtype="str"),
                "start_on": _dates(state["start_on"]),
                "due": _dates(state["due"]),
                "status": pd.Categorical.from_codes(state["status"], categories=self.statuses),
                "progress": progress,
                "completed_on": _dates(np.where(complete, state["completed_on"], NO_DAY)),
                "baseline_due": _dates(columns["due"][first]),
                "created_on": _dates(columns["as_of"][first]),
                "verified": verified,
            },
            columns=list(STATE_COLUMNS),
        )

    def counted_events(self, start: date, end: date) -> pd.DataFrame:
        """The events a quarter's figures count, as `action_id`, `kind` and `as_of`.

        `schedule.not_updated` asks which actions have an event other than
        their creation dated `start`..`end`: each such action once, as an
        update dated `start`. `assurance.assurance_figures` counts the events
        of SPEC section 8's kinds dated up to `end`: each of those (few) itself.
        """
        columns = self.columns
        as_of, kinds = columns["as_of"], columns["kind"]
        dated = (as_of >= day_number(start)) & (as_of <= day_number(end))
        updated = np.unique(columns["action"][dated & ~columns["create"]])
        codes = [KIND_CODES[kind] for kind in ASSURANCE_KINDS]
        judged = np.flatnonzero(np.isin(kinds, codes) & (as_of <= day_number(end)))
        names = np.array(EVENT_KINDS, dtype=object)
        ids = np.array(self.ids, dtype=object)
        return pd.DataFrame(
            {
                "action_id": pd.array(
                    np.r_[ids[updated], ids[columns["action"][judged]]], dtype="str"
                ),
                "kind": np.r_[np.full(len(updated), "update", dtype=object), names[kinds[judged]]],
                "as_of": np.r_[
                    _dates(np.full(len(updated), day_number(start), dtype=np.int32)),
                    _dates(as_of[judged]),
                ],
            }
        )

    def to_bytes(self, meta: dict[str, Any]) -> bytes:
        """The copy as one `.npz` file's bytes, with `meta` (the store's checks) inside."""
        described = {
            **meta,
            "layout": LAYOUT,
            "watermark": self.watermark,
            "count": self.count,
            "stamp": self.stamp,
            "statuses": self.statuses,
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            meta=np.frombuffer(json.dumps(described).encode(), dtype=np.uint8),
            ids=_pack(self.ids),
            id_ends=np.cumsum([len(i.encode()) for i in self.ids], dtype=np.int64),
            **self.columns,
        )
        return buffer.getvalue()


def from_file(handle: Any) -> tuple[EventCopy, dict[str, Any]]:
    """A copy written by `EventCopy.to_bytes`, and its meta; raises ValueError if it is damaged."""
    with np.load(handle, allow_pickle=False) as stored:
        meta = json.loads(stored["meta"].tobytes().decode())
        if meta.get("layout") != LAYOUT:
            raise ValueError("another layout")
        blob = stored["ids"].tobytes()
        ends = stored["id_ends"]
        starts = np.r_[0, ends[:-1]]
        ids = [blob[a:b].decode() for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        columns = {name: stored[name] for name in COLUMNS}
    copy = EventCopy(ids, list(meta["statuses"]), columns, meta["watermark"], meta["count"])
    copy.stamp = meta["stamp"]
    _check_shape(copy)
    return copy, meta


def empty() -> EventCopy:
    """A copy of a plan with no events."""
    return EventCopy([], [], {name: _typed(name, np.array([])) for name in COLUMNS})


def encode(rows: Sequence[Sequence[Any]], ids: list[str], statuses: list[str]) -> EventCopy:
    """Events as the database gives them (`SOURCE_COLUMNS`) as a copy, unsorted.

    Action codes and status codes extend `ids` and `statuses` (which are not
    changed); `sort` puts the ids in order and the events in replay order.
    Dates may come as ISO text (SQLite) or as dates (PostgreSQL).
    """
    frame = pd.DataFrame(list(rows), columns=list(SOURCE_COLUMNS), dtype=object)
    known_ids = {action_id: code for code, action_id in enumerate(ids)}
    all_ids = list(ids)
    for action_id in pd.unique(frame["action_id"].to_numpy()):
        if action_id not in known_ids:
            known_ids[action_id] = len(all_ids)
            all_ids.append(action_id)
    known_statuses = {status: code for code, status in enumerate(statuses)}
    all_statuses = list(statuses)
    for status in pd.unique(frame["status"].dropna().to_numpy()):
        if status not in known_statuses:
            known_statuses[status] = len(all_statuses)
            all_statuses.append(status)
    progress = pd.to_numeric(frame["progress"])
    columns = {
        "action": frame["action_id"].map(known_ids).to_numpy(),
        "as_of": _days(frame["as_of"]),
        "recorded_at": _microseconds(frame["recorded_at"]),
        "seq": frame["seq"].to_numpy(),
        "create": (frame["kind"] == "create").to_numpy(),
        "kind": frame["kind"].map(KIND_CODES).fillna(-1).to_numpy(),
        "status": frame["status"].map(known_statuses).fillna(-1).to_numpy(),
        "progress": progress.fillna(NO_PROGRESS).to_numpy(),
        "start_on": _days(frame["start_on"]),
        "due": _days(frame["due"]),
        "completed_on": _days(frame["completed_on"]),
    }
    seq = columns["seq"]
    return EventCopy(
        all_ids,
        all_statuses,
        {name: _typed(name, values) for name, values in columns.items()},
        watermark=int(seq.max()) if len(seq) else 0,
        count=len(seq),
    )


def merged(old: EventCopy, new: EventCopy) -> EventCopy:
    """`old` with the events of `new` (encoded against `old`'s codes) added, sorted."""
    columns = {name: np.concatenate([old.columns[name], new.columns[name]]) for name in COLUMNS}
    together = EventCopy(
        new.ids,
        new.statuses,
        columns,
        max(old.watermark, new.watermark),
        old.count + new.count,
    )
    return sort(together)


def sort(copy: EventCopy) -> EventCopy:
    """The copy with its ids in sorted order and its events in replay order."""
    columns = copy.columns
    order_of_ids = sorted(range(len(copy.ids)), key=copy.ids.__getitem__)
    recode = np.empty(len(copy.ids), dtype=np.int32)
    recode[order_of_ids] = np.arange(len(copy.ids), dtype=np.int32)
    action = recode[columns["action"]]
    order = np.lexsort((columns["seq"], columns["recorded_at"], columns["as_of"], action))
    sorted_columns = {name: columns[name][order] for name in COLUMNS}
    sorted_columns["action"] = action[order]
    ids = [copy.ids[code] for code in order_of_ids]
    return EventCopy(ids, copy.statuses, sorted_columns, copy.watermark, copy.count, copy.stamp)


def day_number(day: date) -> int:
    """Days since 1970-01-01, as the copy holds dates."""
    return int(np.datetime64(day, "D").astype(np.int64))


# -- helpers ----------------------------------------------------------------------

_DTYPES: dict[str, Any] = {
    "action": np.int32,
    "as_of": np.int32,
    "recorded_at": np.int64,
    "seq": np.int64,
    "create": np.bool_,
    "kind": np.int8,
    "status": np.int16,
    "progress": np.int64,
    "start_on": np.int32,
    "due": np.int32,
    "completed_on": np.int32,
}


def _typed(name: str, values: np.ndarray) -> np.ndarray:
    return np.asarray(values).astype(_DTYPES[name])


def _check_shape(copy: EventCopy) -> None:
    """Refuse a copy whose arrays do not fit together (a damaged or foreign file)."""
    size = len(copy.columns["seq"])
    for name in COLUMNS:
        values = copy.columns[name]
        if values.dtype != np.dtype(_DTYPES[name]) or values.shape != (size,):
            raise ValueError(f"column {name} does not fit")
    if size != copy.count:
        raise ValueError("count does not fit")
    for name, low, high in (("action", 0, len(copy.ids)), ("status", -1, len(copy.statuses))):
        codes = copy.columns[name]
        if size and (codes.min() < low or codes.max() >= high):
            raise ValueError(f"{name} codes out of range")


def _last_set(rows: np.ndarray, codes: np.ndarray, known: np.ndarray, size: int) -> np.ndarray:
    """Per action code, the last row (in replay order) that sets the field; -1 if none."""
    positions, groups = rows[known], codes[known]
    last = np.full(size, -1, dtype=np.int64)
    if len(positions):
        ends = np.r_[groups[1:] != groups[:-1], True]
        last[groups[ends]] = positions[ends]
    return last


def _status_is(statuses: list[str], codes: np.ndarray, word: str) -> np.ndarray:
    if word not in statuses:
        return np.zeros(len(codes), dtype=bool)
    return codes == statuses.index(word)


def _dates(days: np.ndarray) -> np.ndarray:
    values = days.astype("datetime64[D]").astype(DATE_DTYPE)
    values[days == NO_DAY] = np.datetime64("NaT")
    return values


def _days(column: pd.Series) -> np.ndarray:
    known = column.notna().to_numpy()
    days = np.full(len(column), NO_DAY, dtype=np.int64)
    if known.any():
        days[known] = _parsed(column[known]).astype("datetime64[D]").astype(np.int64)
    return days


def _microseconds(column: pd.Series) -> np.ndarray:
    if not len(column):
        return np.array([], dtype=np.int64)
    return _parsed(column).astype("datetime64[us]").astype(np.int64)


def _parsed(column: pd.Series) -> np.ndarray:
    """Dates or timestamps as numpy values: ISO text (SQLite) or date objects (PostgreSQL)."""
    if isinstance(column.iloc[0], str):
        return pd.to_datetime(column, format="ISO8601").to_numpy()
    return pd.to_datetime(column).to_numpy()


def _pack(ids: list[str]) -> np.ndarray:
    return np.frombuffer("".join(ids).encode(), dtype=np.uint8)
