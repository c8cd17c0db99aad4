"""Query results as frames, fast: the columns the figures need, converted once per column.

At a million events, SQLAlchemy's per-value type processing and building a
frame from Row objects were most of a summary's time; these helpers take the
driver's rows as they come and convert each date column in one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Text, type_coerce

from ..history import DATE_DTYPE
from ..rules import DATE_FIELDS
from ..vocab import choices


def frame(conn: Connection, statement: Any) -> pd.DataFrame:
    result = conn.execute(statement)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def raw_frame(
    conn: Connection, statement: Any, raw_types: tuple[type, ...] = (Date, DateTime)
) -> pd.DataFrame:
    """A query's rows as a frame, without SQLAlchemy's per-value type processing.

    Date and DateTime columns come back as the driver gives them (ISO text on
    SQLite, `date`/`datetime` on PostgreSQL) and `typed` converts each whole
    column at once: processing a million dates one value at a time, then
    building the frame from Row objects, was most of the time of loading the
    events. The frame's other types are inferred as `pd.DataFrame(rows)` would.
    """
    plain = [
        type_coerce(column, Text).label(column.name)
        if isinstance(column.type, raw_types)
        else column
        for column in statement.selected_columns
    ]
    result = conn.execute(statement.with_only_columns(*plain, maintain_column_froms=True))
    names = list(result.keys())
    cursor = getattr(result, "cursor", None)
    rows = cursor.fetchall() if cursor is not None else [tuple(row) for row in result.all()]
    result.close()
    if not rows:
        return pd.DataFrame(columns=names)
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    # Per column: a whole-frame infer_objects() leaves every column object when none converts.
    return pd.DataFrame({name: frame[name].infer_objects() for name in names})


def _to_datetime(column: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(column) and column.dtype != object:
        return pd.to_datetime(column, format="ISO8601")
    return pd.to_datetime(column)


def typed(frame: pd.DataFrame, dates: Any, datetimes: Any) -> pd.DataFrame:
    for column in (*dates, *datetimes):
        frame[column] = _to_datetime(frame[column]).astype(DATE_DTYPE)
    return frame


def coded(frame: pd.DataFrame, fields: Mapping[str, str]) -> pd.DataFrame:
    """`frame` with each column of `fields` (column -> vocabulary field) as a categorical.

    A quarter's complaint figures compare the stage, procedure and outcome of
    every complaint read a few dozen times. On pandas' string columns each
    comparison took about 30 ms at 300,000 rows, which made up most of an
    every-quarter summary of a national plan. On a categorical it compares small
    integer codes and takes well under 1 ms. Every value of the vocabulary is a
    category, even those the rows lack, so that `fillna` with one of them (a
    missing procedure read as statutory) keeps working, and values outside the
    vocabulary stay as they were.
    """
    for column, field in fields.items():
        if column in frame.columns:
            values = frame[column].astype("category")
            missing = [value for value in choices(field) if value not in values.cat.categories]
            frame[column] = values.cat.add_categories(missing) if missing else values
    return frame


def typed_events(frame: pd.DataFrame) -> pd.DataFrame:
    dates = [name for name in (*DATE_FIELDS, "as_of") if name in frame.columns]
    frame = typed(frame, dates, ("recorded_at",))
    if "progress" in frame.columns:
        frame["progress"] = pd.to_numeric(frame["progress"]).astype("Float64")
    return frame
