"""Import a council's spreadsheet: every record checked, then all written or none.

The import works in passes. Every row of every sheet is read and cleaned with
the same field rules as the CLI (`rows`), then checked across rows and
against the database (`loader` and `actions`: new ids, existing references, and each
update judged as `Store.record_update` would judge it), and every problem is
collected. Only when nothing is wrong is anything written, in bulk, in the one
transaction the caller holds (`store.bulk`).

The layout of an exported workbook, and how its History sheet rebuilds the
plan, is described in docs/import-export.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from ..errors import ActionPlanError, FieldError, ValidationError
from ..records import KIND_NAMES
from ..store import Store
from ..store.bulk import paused_garbage_collection
from ..store.people import acting_in
from .actions import Loader
from .files import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    Sheet,
    check_path,
    open_workbook,
    read_csv,
    read_worksheet,
)
from .reimport import bring_back
from .rows import DERIVED_ACTION_COLUMNS, HISTORY_COLUMNS, header_key, read_rows

#: Record kinds in the order their references need them.
DEPENDENCY_ORDER: tuple[str, ...] = (
    "person",
    "source",
    "recommendation",
    "action",
    "update",
    "evidence",
    "complaint",
    "compliment",
    "cqc_score",
)
PLURAL: dict[str, str] = {kind: plural for plural, kind in KIND_NAMES.items()}

_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"[a-z]+")


class KindNeededError(ActionPlanError):
    """The kind of record a file holds cannot be told: the caller must say (`--kind`)."""


def kind_named(text: str) -> str | None:
    """The record kind a sheet title, file name word or `--kind` value names."""
    key = _HEADER_SEPARATORS.sub("_", str(text).strip().lower())
    if key in ("history", "updates", "update"):
        return "update"
    if key in KIND_NAMES:
        return KIND_NAMES[key]
    return key if key in PLURAL else None


def kind_from_file_name(path: Path) -> str | None:
    """The kind a file's name says it holds (`actions.csv`, `q3-updates.csv`), if exactly one."""
    words = _WORDS.findall(path.stem.lower())
    pairs = ["_".join(pair) for pair in zip(words, words[1:], strict=False)]  # cqc_scores
    found = {kind_named(word) for word in words + pairs} - {None}
    return found.pop() if len(found) == 1 else None


@dataclass
class Part:
    """One sheet to import as one kind of record.

    `is_history` marks an export's History sheet, whose `kind`, `version` and
    `recorded_at` columns are accepted.
    """

    kind: str
    sheet: Sheet
    is_history: bool = False
    #: How messages name each field's column, when the file's headings are not
    #: the field names (a mapped tracker: `mapping`).
    headings: dict[str, str] | None = None
    #: Messages name no row (a record made from a mapping file's settings).
    rowless: bool = False


def read_parts(path: str | Path, kind: str | None = None) -> list[Part]:
    """Read a CSV file or workbook into the parts to import, refusing what cannot be read.

    Raises:
        ActionPlanError: the file cannot be read, or its kind cannot be told.
    """
    path = Path(path)
    check_path(path)
    suffix = path.suffix.lower()
    wanted = None
    if kind is not None:
        wanted = kind_named(kind)
        if wanted is None:
            raise KindNeededError(
                f"--kind {kind!r} is not a record kind; use one of: {', '.join(KIND_NAMES)}"
            )
    if suffix in CSV_SUFFIXES:
        wanted = wanted or kind_from_file_name(path)
        if wanted is None:
            raise KindNeededError(
                f"cannot tell from the name {path.name!r} what it holds; give --kind "
                f"({', '.join(KIND_NAMES)})"
            )
        return [Part(wanted, read_csv(path))]
    if suffix not in XLSX_SUFFIXES:
        raise ActionPlanError(
            f"{path}: cannot import {suffix or 'a file without an extension'}; "
            "save it as .xlsx or CSV UTF-8 (.csv)"
        )
    workbook = open_workbook(path)
    try:
        titled = [(ws.title, kind_named(ws.title), ws) for ws in workbook.worksheets]
        if wanted is not None:
            matching = [entry for entry in titled if entry[1] == wanted]
            if not matching and len(titled) == 1:
                matching = titled
            if len(matching) != 1:
                raise ActionPlanError(
                    f"{path}: has no single sheet named {PLURAL[wanted].title()}; "
                    "rename the sheet to import"
                )
            title, _, worksheet = matching[0]
            sheet = read_worksheet(path, worksheet, f"sheet {title}")
            return [Part(wanted, sheet, title.strip().lower() == "history")]
        chosen = [entry for entry in titled if entry[1] is not None]
        kinds = [entry[1] for entry in chosen]
        if not chosen:
            names = (
                "Sources, Recommendations, Actions, History, Complaints, Compliments, CQC scores"
            )
            raise ActionPlanError(
                f"{path}: no sheet is named after a record kind ({names}); "
                "rename a sheet or give --kind"
            )
        for twice in {k for k in kinds if kinds.count(k) > 1}:
            titles = " and ".join(t for t, k, _ in chosen if k == twice)
            raise ActionPlanError(f"{path}: sheets {titles} both hold {PLURAL[twice]}; keep one")
        parts = [
            Part(k, read_worksheet(path, ws, f"sheet {t}"), t.strip().lower() == "history")
            for t, k, ws in chosen
        ]
    finally:
        workbook.close()
    return sorted(parts, key=lambda part: DEPENDENCY_ORDER.index(part.kind))


def import_file(
    store: Store,
    path: str | Path,
    kind: str | None = None,
    by: str | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Import one CSV file or workbook into the plan, all of it or nothing.

    Args:
        store: the plan to add to.
        path: a `.csv` (its kind from `kind` or its name) or `.xlsx` file. A
            workbook without `kind` imports every sheet named after a kind.
        kind: people, sources, recommendations, actions, updates, complaints,
            compliments or cqc_scores.
        by: who is recording; the creator of imported actions.
        today: the date nothing may be dated after (tests pass a fixed one).

    Returns:
        How many records of each kind were imported, e.g. `{"actions": 42}`.

    Raises:
        ActionPlanError: the file cannot be read.
        ValidationError: every problem found, each naming row and column.
    """
    with paused_garbage_collection():
        parts = read_parts(path, kind)
        store.check()
        with store.write() as conn:
            return import_parts(store, conn, parts, by=by, today=today)


def import_parts(
    store: Store,
    conn: Connection,
    parts: list[Part],
    by: str | None = None,
    today: date | None = None,
    problems: list[FieldError] | None = None,
) -> dict[str, int]:
    """Check and write several parts in one transaction (`conn`), in dependency order.

    Nothing is written unless every row of every part passes, and there are no
    `problems` found before (a mapped tracker's). Once people are registered,
    the person importing must be allowed everything the file does (SPEC
    section 7), judged against the people registered when the import began,
    and every row is recorded under their name.

    Raises:
        NotPermittedError: the first thing the person may not do, with its row.
        ValidationError: every problem found, each naming sheet, row and column.
    """
    if not any(part.sheet.rows for part in parts):
        raise ActionPlanError("nothing to import: the file has no rows below its header")
    loader = Loader(store, conn, by, today or date.today())
    loader.acting = acting = acting_in(conn)
    for kind in {part.kind for part in parts}:
        if kind == "person":
            acting.check_people()
        elif kind != "update":
            acting.check_add(kind)
    if acting.checked:
        loader.by = acting.recorded_by(by)
    loader.problems.extend(problems or [])
    parts = sorted(parts, key=lambda part: DEPENDENCY_ORDER.index(part.kind))
    loader.history_mode = any(
        part.is_history and "kind" in {header_key(h) for h in part.sheet.header} for part in parts
    )
    rows: dict[str, list] = {}
    unread: list[tuple] = []
    for part in parts:
        report = loader.reporter(part.sheet.name, part.headings, part.rowless)
        extra: tuple[str, ...] = ()
        if part.kind == "action":
            loader.action_columns = {header_key(h) for h in part.sheet.header}
        if part.kind == "action" and loader.history_mode:
            extra = DERIVED_ACTION_COLUMNS
        elif part.is_history:
            extra = HISTORY_COLUMNS
        failed = loader.failed_actions if part.kind == "action" else None
        broken: list = []
        read = read_rows(part.kind, part.sheet, report, extra, loader.now, failed, broken)
        rows[part.kind] = [(row, report) for row in read or []]
        unread.extend((part.kind, row, report) for row in broken)
        # The cells are cleaned: drop them, and keep each row in one list only,
        # so `check_update` can let go of each update once judged.
        part.sheet.rows = []
        del read
    if loader.history_mode:
        bring_back(loader, rows)
    creates = loader.collect_creations(rows.get("update", []))
    for kind in DEPENDENCY_ORDER:
        if kind == "action" and ("action" in rows or creates):
            loader.check_action(rows.get("action", []), creates)
        elif kind == "update" and kind in rows:
            loader.check_update(rows.pop(kind))
        elif kind == "complaint" and kind in rows:
            loader.check_complaint(rows[kind])
        elif kind == "person" and kind in rows:
            loader.check_people(rows[kind])
        elif kind == "cqc_score" and kind in rows:
            loader.check_cqc_score(rows[kind])
        elif kind == "evidence" and kind in rows:
            loader.check_evidence(rows[kind])
        elif kind in rows:
            loader.check_plain(kind, rows[kind])
    loader.check_references(unread)
    loader.settle()
    if loader.problems:
        raise ValidationError(loader.problems)
    loader.write()
    return {PLURAL[part.kind]: loader.counts.get(part.kind, 0) for part in parts}
