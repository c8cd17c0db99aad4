"""Evidence that an action worked (SPEC section 8): adding, listing, withdrawing, reading files.

An item has a description, a link (a URL or a document reference) and
optionally a file kept in the plan itself, SQLite or PostgreSQL alike, with
its SHA-256 recorded when it is added. Reading a file back checks the hash;
a file that no longer matches is reported in one line and not served. Nothing
is deleted: a wrong item is marked withdrawn with who, when and why, and no
longer counts towards completion.

Who may add or withdraw is `roles.Acting.check_evidence`: an officer on the
actions they own, a lead or manager on any; with no people registered, anyone.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update

from ..assurance import MAX_EVIDENCE_BYTES
from ..atomic import atomic_write
from ..errors import EvidenceIntegrityError, FieldError, NotFoundError, ValidationError
from ..records import as_plain
from . import schema
from .engine import Database, utc_now
from .people import acting_in

#: The columns a listing shows (never the file itself).
LISTED: tuple[str, ...] = (
    "id", "action_id", "description", "link", "filename", "size", "sha256", "added_by",
    "added_on", "withdrawn_by", "withdrawn_at", "withdrawn_reason",
)  # fmt: skip


def megabytes(size: int) -> str:
    """`21.0 MB`, `12 KB`, `900 bytes`: a size as a person reads it (1 MB = 1,048,576 bytes).

    Small files are shown in KB or bytes: "0.0 MB" reads as an empty file.
    """
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def add_evidence(
    store: Database,
    action_id: str,
    description: str,
    link: str | None = None,
    file: str | Path | None = None,
    content: bytes | None = None,
    filename: str | None = None,
    by: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Add one evidence item to an action.

    Args:
        store: the plan.
        action_id: the action it shows progress on.
        description: what it is (required).
        link: a URL or a document reference.
        file: a file to keep in the plan; or give `content` and `filename`
            (an upload).
        by: who adds it (the person signed in is recorded, once people are registered).
        today: the day it is added (tests pass a fixed one).

    Returns:
        The item as `list_evidence` shows it.

    Raises:
        ValidationError: no description, no such action, or a file over 20 MB.
        NotPermittedError: the person acting may not keep evidence for this action.
    """
    description = " ".join(str(description or "").split())
    problems = []
    if not description:
        problems.append(FieldError("description", "is required: say what the evidence shows"))
    if file is not None:
        path = Path(file)
        if not path.is_file():
            problems.append(FieldError("file", f"{path} is not a file"))
        else:
            size = path.stat().st_size
            if size <= MAX_EVIDENCE_BYTES:
                content, filename = path.read_bytes(), filename or path.name
            else:
                content, filename = None, path.name
                problems.append(_too_big(path.name, size))
    elif content is not None and len(content) > MAX_EVIDENCE_BYTES:
        problems.append(_too_big(filename or "the file", len(content)))
    if problems:
        raise ValidationError(problems)
    values: dict[str, Any] = {
        "action_id": action_id,
        "description": description,
        "link": (link or "").strip() or None,
        "added_on": today or date.today(),
        "recorded_at": utc_now(),
    }
    if content is not None:
        values.update(
            filename=filename or "evidence",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
    with store.write() as conn:
        owner = _owner(conn, action_id)
        actor = acting_in(conn)
        actor.check_evidence(action_id, owner, "add evidence to")
        values["added_by"] = actor.recorded_by(by) or actor.login
        new_id = conn.execute(insert(schema.evidence).values(**values)).inserted_primary_key[0]
        return _listed(conn, new_id)


def _too_big(name: str, size: int) -> FieldError:
    return FieldError(
        "file",
        f"{name} is {megabytes(size)}; evidence files may be at most "
        f"{megabytes(MAX_EVIDENCE_BYTES)}: keep it elsewhere and give --link",
    )


def _owner(conn: Connection, action_id: str) -> str:
    owner = conn.execute(
        select(schema.actions.c.owner).where(schema.actions.c.id == action_id)
    ).scalar()
    if owner is None:
        raise ValidationError([FieldError("action_id", f"there is no action {action_id!r}")])
    return str(owner)


def _listed(conn: Connection, evidence_id: int) -> dict[str, Any]:
    table = schema.evidence
    found = conn.execute(
        select(*(table.c[name] for name in LISTED)).where(table.c.id == evidence_id)
    ).first()
    if found is None:
        raise NotFoundError(f"evidence: there is no evidence item {evidence_id}")
    return _view(found._mapping)


def _view(row: Any) -> dict[str, Any]:
    view = {name: as_plain(row[name]) for name in LISTED}
    view["withdrawn"] = row["withdrawn_at"] is not None
    return view


def list_evidence(store: Database, action_id: str | None = None) -> list[dict[str, Any]]:
    """An action's evidence (or every action's), withdrawn items included and marked, oldest first."""
    table = schema.evidence
    statement = select(*(table.c[name] for name in LISTED)).order_by(table.c.id)
    with store.read() as conn:
        if action_id is not None:
            _owner(conn, action_id)
            statement = statement.where(table.c.action_id == action_id)
        return [_view(row._mapping) for row in conn.execute(statement)]


def withdraw_evidence(
    store: Database, evidence_id: int | str, reason: str, by: str | None = None
) -> dict[str, Any]:
    """Mark an item withdrawn, with a reason (it is never deleted).

    Raises:
        ValidationError: no reason, or the item is already withdrawn.
        NotFoundError: no such item.
        NotPermittedError: the person acting may not keep evidence for its action.
    """
    number = _number(evidence_id)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError([FieldError("reason", "is required to withdraw evidence")])
    table = schema.evidence
    with store.write() as conn:
        item = _listed(conn, number)
        if item["withdrawn"]:
            raise ValidationError(
                [
                    FieldError(
                        "evidence",
                        f"item {number} was withdrawn by {item['withdrawn_by']} "
                        f"({item['withdrawn_reason']})",
                    )
                ]
            )
        actor = acting_in(conn)
        actor.check_evidence(
            item["action_id"], _owner(conn, item["action_id"]), "withdraw evidence of"
        )
        who = actor.recorded_by(by) or actor.login
        conn.execute(
            update(table)
            .where(table.c.id == number, table.c.withdrawn_at.is_(None))
            .values(withdrawn_by=who, withdrawn_at=utc_now(), withdrawn_reason=reason)
        )
        return _listed(conn, number)


def _number(evidence_id: int | str) -> int:
    text = str(evidence_id).strip().lstrip("Ee")
    if not text.isdigit():
        raise ValidationError(
            [FieldError("evidence", f"{evidence_id!r} is not an evidence id (a number, like 12)")]
        )
    return int(text)


def evidence_file(store: Database, evidence_id: int | str) -> tuple[str, bytes]:
    """An item's file, checked against its recorded SHA-256.

    Returns:
        `(filename, content)`.

    Raises:
        NotFoundError: no such item, or it has no file.
        EvidenceIntegrityError: the stored file no longer matches its hash.
    """
    number = _number(evidence_id)
    table = schema.evidence
    with store.read() as conn:
        found = conn.execute(
            select(table.c.filename, table.c.sha256, table.c.content).where(table.c.id == number)
        ).first()
    if found is None:
        raise NotFoundError(f"evidence: there is no evidence item {number}")
    if found.content is None and found.filename:
        raise NotFoundError(
            f"evidence: item {number}'s file {found.filename} (SHA-256 {found.sha256[:12]}...) "
            "is not in this plan: it was imported from an export, and the file stays in the "
            "plan it came from"
        )
    if found.content is None:
        raise NotFoundError(f"evidence: item {number} has no file (it may have a link)")
    content = bytes(found.content)
    actual = hashlib.sha256(content).hexdigest()
    if actual != found.sha256:
        raise EvidenceIntegrityError(
            f"evidence {number} ({found.filename}): the stored file does not match the SHA-256 "
            f"recorded when it was added ({found.sha256[:12]}..., now {actual[:12]}...); "
            "it was not served"
        )
    return found.filename, content


def save_evidence_file(store: Database, evidence_id: int | str, out: str | Path) -> Path:
    """Write an item's checked file to `out` (a file, or a folder to put it in by its name).

    Nothing is written when the check fails.
    """
    filename, content = evidence_file(store, evidence_id)
    target = Path(out)
    if target.is_dir():
        target = target / Path(filename).name
    atomic_write(target, content)
    return target


def live_evidence_count(conn: Connection, action_id: str) -> int:
    """How many of an action's evidence items are not withdrawn."""
    table = schema.evidence
    return conn.execute(
        select(func.count())
        .select_from(table)
        .where(table.c.action_id == action_id, table.c.withdrawn_at.is_(None))
    ).scalar_one()


def require_evidence(conn: Connection, action_id: str, row: int | None = None) -> None:
    """Refuse a completion with no evidence (SPEC section 8, once people are registered)."""
    if live_evidence_count(conn, action_id) == 0:
        raise ValidationError(
            [
                FieldError(
                    "status",
                    f"action {action_id} needs evidence before it is complete: add it with "
                    f"actionplan evidence add {action_id} --description ... (or in the workbook)",
                    row,
                )
            ]
        )


def evidence_counts(store: Database) -> dict[str, int]:
    """Per action, how many evidence items are not withdrawn."""
    table = schema.evidence
    with store.read() as conn:
        rows = conn.execute(
            select(table.c.action_id, func.count())
            .where(table.c.withdrawn_at.is_(None))
            .group_by(table.c.action_id)
        ).all()
    return {action_id: int(count) for action_id, count in rows}


def evidence_frame(store: Database) -> pd.DataFrame:
    """Every evidence item without its file, for the report: dates as datetime64."""
    table = schema.evidence
    columns = ("id", "action_id", "description", "added_on", "withdrawn_at")
    with store.read() as conn:
        rows = conn.execute(select(*(table.c[name] for name in columns))).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(columns))
    for name in ("added_on", "withdrawn_at"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    return frame
