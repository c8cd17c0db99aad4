"""The plan's database: opening it, reading it and every write to it.

`Store` is one plan (a SQLite file or a PostgreSQL database). The package
holds its engine and transactions (`engine`), its tables (`schema`, and the
frozen first release in `schema_v1`), the reads (`reading`), the writes
(`writing`; verification and due-date requests in `assuring`), fast frames and bulk inserts for large plans (`frames`,
`bulk`), what the CLI, report and workbook ask of a plan (`queries`), schema
upgrades (`migrations`) and copies (`backup`). Only this package talks to
the database.
"""

from __future__ import annotations

from pathlib import Path

from .assuring import Assures
from .engine import DEFAULT_COUNCIL, DEFAULT_DB, database_url, utc_now


class Store(Assures):
    """One action-plan database.

    Args:
        db: a file path (SQLite) or SQLAlchemy URL; None means `ACTIONPLAN_DB`
            or `data/actionplan.db`.
    """


def open_store(db: str | Path | None = None, check: bool = True) -> Store:
    """Open the plan, refusing one whose schema this version cannot read."""
    store = Store(db)
    if check:
        store.check()
    return store


__all__ = ["DEFAULT_COUNCIL", "DEFAULT_DB", "Store", "database_url", "open_store", "utc_now"]
