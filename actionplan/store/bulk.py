"""Bulk writes for imports: many rows per statement, values converted once.

SQLAlchemy's `conn.execute(insert(table), list_of_dicts)` builds and checks
each row's parameters in Python, which at a million update events costs more
than the database's own work. Here each column's bind processor (the same
conversion SQLAlchemy applies: dates to ISO text on SQLite, nothing on
PostgreSQL) is applied to tuples, and the rows go to the driver's executemany.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, insert

CHUNK = 20_000


@contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """Hold off Python's cycle collector while an import builds millions of small objects.

    Imports make no reference cycles worth collecting, and each full collection
    walks every object alive, so at a million rows it costs a quarter of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """`rows` in slices of at most `size`."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _placeholder(conn: Connection) -> str | None:
    style = conn.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    return None


def _processor(conn: Connection, column: Any) -> Callable[[Any], Any] | None:
    processor = column.type._cached_bind_processor(conn.dialect)
    if processor is None or conn.dialect.name != "sqlite":
        return processor
    # SQLAlchemy stores SQLite dates as ISO text; isoformat gives the same text faster.
    slow = processor
    if isinstance(column.type, DateTime):
        return lambda value: (
            value.isoformat(" ", "microseconds") if value.__class__ is datetime else slow(value)
        )
    if isinstance(column.type, Date):
        return lambda value: value.isoformat() if value.__class__ is date else slow(value)
    return processor


def _converted(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]):
    processors = {
        index: processor
        for index, name in enumerate(columns)
        if (processor := _processor(conn, table.c[name])) is not None
    }
    if not processors:
        return list(rows)
    by_column = list(zip(*rows, strict=True))
    for index, processor in processors.items():
        by_column[index] = [None if v is None else processor(v) for v in by_column[index]]
    return list(zip(*by_column, strict=True))


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Insert tuples (values in `columns` order) in chunks, in the caller's transaction."""
    if not rows:
        return
    mark = _placeholder(conn)
    if mark is None:
        for chunk in chunks(rows):
            conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in chunk])
        return
    quote = conn.dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    for chunk in chunks(rows):
        conn.exec_driver_sql(statement, _converted(conn, table, columns, chunk))


def update_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    keys: Sequence[str],
    rows: Sequence[tuple],
) -> int:
    """`UPDATE table SET columns WHERE keys`, one row per tuple (columns then keys).

    Returns:
        How many rows were changed (fewer than `len(rows)` if a key matched nothing).
    """
    if not rows:
        return 0
    mark = _placeholder(conn)
    quote = conn.dialect.identifier_preparer.quote
    if mark is None:
        raise NotImplementedError(f"paramstyle {conn.dialect.paramstyle}")
    statement = (
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(name)} = {mark}" for name in columns)
        + " WHERE "
        + " AND ".join(f"{quote(name)} = {mark}" for name in keys)
    )
    changed = 0
    for chunk in chunks(rows):
        result = conn.exec_driver_sql(statement, _converted(conn, table, [*columns, *keys], chunk))
        changed += result.rowcount
    return changed
