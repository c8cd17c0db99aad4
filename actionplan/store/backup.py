"""Consistent copies of a SQLite plan while officers keep saving (`actionplan backup`).

Copying the file with `cp` while someone saves can catch half a transaction, and
misses whatever still sits in the `-wal` file. SQLite's online backup API copies
the database as one read transaction sees it, so the copy is a state the plan
was really in; in WAL mode that read does not block writers. The copy is
written beside the target and renamed into place, so a crash never leaves a
half-written backup under the final name. PostgreSQL has its own tool for this
(`pg_dump`, see docs/operations.md).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..atomic import atomic_path
from ..errors import ActionPlanError, FieldError
from . import Store

#: How long to wait for a writer's lock before giving up (it is only needed briefly).
_BUSY_TIMEOUT_S = 30.0


def backup(store: Store, path: str | Path, force: bool = False) -> Path:
    """Write a consistent copy of a SQLite plan to `path`.

    Args:
        store: the plan to copy; others may be writing to it meanwhile.
        path: the backup file to write.
        force: replace `path` if it exists (an older backup); without it an
            existing file is never overwritten.

    Returns:
        The backup's path.

    Raises:
        ActionPlanError: the plan is on PostgreSQL (use pg_dump), holds no plan,
            or the target is the database itself or a folder.
    """
    if not store.is_sqlite or store.path is None:
        raise ActionPlanError(
            f"{store.display_name} is a PostgreSQL plan: back it up with pg_dump "
            "(see docs/operations.md, 'Backing up a PostgreSQL plan')"
        )
    if not store.exists():
        raise ActionPlanError(
            f"{store.display_name} holds no action plan; run `actionplan init` first"
        )
    target = Path(path).expanduser()
    if target.is_dir():
        raise FieldError("FILE", f"{target} is a folder; give a file name such as plan-backup.db")
    if target.exists() and target.resolve() == store.path.resolve():
        raise FieldError("FILE", f"{target} is the database itself; give another file name")
    if target.exists() and not force:
        raise FieldError(
            "FILE", f"{target} already exists; give --force to replace it, or another name"
        )
    with atomic_path(target) as partial:
        _copy(store.path, partial)
    return target


def _copy(source: Path, partial: Path) -> None:
    src = sqlite3.connect(source, timeout=_BUSY_TIMEOUT_S)
    try:
        dest = sqlite3.connect(partial)
        try:
            # All pages in one step: one read transaction, so one consistent state.
            src.backup(dest)
            # A single self-contained file (no -wal beside it) that can be moved.
            dest.execute("PRAGMA journal_mode=DELETE")
            verdict = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise ActionPlanError(f"the backup failed its integrity check: {verdict}")
        finally:
            dest.close()
    finally:
        src.close()
