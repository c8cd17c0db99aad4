"""A first mapping for a council's tracker, from the headings it recognises.

`actionplan import tracker.xlsx --suggest-map` finds the header row (the row
holding the most headings it knows), maps each heading by its common names
(`Lead Officer` is the owner, `Target Date` the due date, `RAG` the status),
maps RAG words to statuses, finds the "Last updated" date above the header, and
writes it all as a mapping file to edit (`mapping`). Anything it cannot tell is
written as a line marked `CHECK`, never guessed silently.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import vocab
from ..atomic import atomic_write
from ..dates import parse_date
from ..errors import ActionPlanError, FieldError
from ..records import is_blank
from .mapping import Tracker, find_header, read_trackers, value_key
from .rows import header_key

#: Headings councils use for each field, as `rows.header_key` reads them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("ref", "ref no", "ref number", "reference", "action ref", "action reference",
           "action id", "action no", "action number", "id", "no", "number", "#"),
    "recommendation": ("recommendation", "recommendations", "recommendation text", "finding",
                       "findings", "area for improvement", "areas for improvement", "issue"),
    "title": ("action", "actions", "action title", "action required", "actions required",
              "planned action", "planned actions", "what we will do"),
    "owner": ("lead", "lead officer", "owner", "action owner", "responsible officer",
              "responsible", "responsible person", "accountable officer", "lead / owner", "who"),
    "due": ("target date", "target", "due", "due date", "deadline", "by when",
            "target completion date", "timescale", "completion target"),
    "status": ("rag", "rag status", "rag rating", "status", "brag", "brag status", "rating"),
    "progress": ("% complete", "percent complete", "percentage complete", "% progress",
                 "progress %", "completion %", "% done"),
    "note": ("progress update", "update", "updates", "comments", "comment", "commentary",
             "progress", "latest update", "notes", "progress notes", "progress to date"),
    "team": ("team", "service", "service area", "directorate", "department"),
    "description": ("description", "detail", "details", "action detail"),
    "created_on": ("date added", "date raised", "date agreed", "created", "created on",
                   "date created", "date opened"),
    "start_on": ("start date", "start", "start on"),
    "baseline_due": ("original target date", "original target", "original due date",
                     "baseline due", "baseline date", "original deadline"),
    "completed_on": ("date completed", "completed", "completed on", "completion date",
                     "actual completion date", "date closed", "closed on"),
    "success_measure": ("success measure", "success measures", "measure of success",
                        "success criteria", "outcome measure", "how will we know"),
    "evidence": ("evidence", "evidence of completion"),
}  # fmt: skip
_FIELD_OF = {header_key(name): field for field, names in SYNONYMS.items() for name in names}

#: RAG words and others trackers use for a status.
STATUS_WORDS: dict[str, str] = {
    "green": "on_track",
    "amber": "at_risk",
    "red": "off_track",
    "blue": "complete",
    "done": "complete",
    "closed": "complete",
    "in progress": "on_track",
    "ongoing": "on_track",
    "delayed": "off_track",
    "grey": "not_started",
    "not yet started": "not_started",
    "withdrawn": "cancelled",
}
_DATE_FIELDS = ("due", "created_on", "start_on", "baseline_due", "completed_on")
_UPDATED = re.compile(r"updated|as at|as of|date", re.IGNORECASE)


def suggest_mapping(path: str | Path, sheet: str | None = None) -> tuple[str, dict[str, str]]:
    """A mapping file's text for a tracker, and each heading's field (or "ignore").

    Raises:
        ActionPlanError: the file cannot be read, or no row looks like a header.
    """
    path = Path(path)
    scored = []
    for tracker in read_trackers(path, sheet):
        found = find_header(tracker, set(_FIELD_OF))
        if found is not None:
            known = sum(1 for heading in found[1] if header_key(heading) in _FIELD_OF)
            scored.append((known, tracker, found))
    if not scored:
        raise ActionPlanError(
            f"{path}: no row looks like a header (none holds two headings such as Action, "
            "Lead Officer, Target Date); write the mapping by hand (docs/import-export.md)"
        )
    _, tracker, (header_row, header) = max(scored, key=lambda entry: entry[0])
    fields: dict[str, str] = {}
    for heading in header:
        if heading:
            field = _FIELD_OF.get(header_key(heading), "ignore")
            fields[heading] = "ignore" if field in list(fields.values()) else field
    return _write(path, tracker, header_row, header, fields), fields


def write_suggestion(path: str | Path, out: str | Path | None, sheet: str | None = None) -> Path:
    """Write `suggest_mapping`'s text to `out` (default `<tracker>.map.toml` beside it).

    Raises:
        ActionPlanError: `out` exists already (a mapping being edited is never overwritten).
    """
    path = Path(path)
    target = Path(out) if out else path.with_name(f"{path.stem}.map.toml")
    if target.exists():
        raise ActionPlanError(f"{target}: exists already; give another name with --map")
    text, _ = suggest_mapping(path, sheet)
    atomic_write(target, text)
    return target


def _write(
    path: Path, tracker: Tracker, header_row: int, header: list[str], fields: dict[str, str]
) -> str:
    above = [cells for number, cells in tracker.grid if number < header_row]
    title = next((str(c).strip() for cells in above for c in cells if isinstance(c, str)), "")
    source_id = re.sub(r"[^A-Z0-9]+", "-", path.stem.upper()).strip("-")[:24] or "TRACKER"
    as_of = _last_updated(above)
    lines = [
        f"# Mapping for {path.name}, written by actionplan import --suggest-map.",
        "# Check every line marked CHECK, then: actionplan import "
        f"{json.dumps(path.name)} --map {json.dumps(path.stem + '.map.toml')}",
        '# See docs/import-export.md, "Bringing in your tracker".',
        "",
        f"sheet = {_toml(tracker.title)}",
        f"header_row = {header_row}",
        f'as_of = {as_of.isoformat()}  # the day the tracker describes (its "Last updated")'
        if as_of
        else "# as_of = 2025-03-31  # CHECK: the day the tracker describes (default: import day)",
        "",
        "[source]  # CHECK: where these recommendations came from",
        f"id = {_toml(source_id)}",
        f'kind = "other"  # CHECK: one of {", ".join(vocab.SOURCE_KINDS)}',
        f"title = {_toml(title or tracker.title)}",
        "# received_on = 2024-03-01",
        "",
        "[recommendations]",
    ]
    recommendation = next((h for h, f in fields.items() if f == "recommendation"), None)
    if recommendation:
        lines.append(f"column = {_toml(recommendation)}")
    else:
        lines.append(f"text = {_toml(title or tracker.title)}  # CHECK: no recommendation column")
    lines += [
        f"id_prefix = {_toml(source_id + '-R')}",
        "",
        "[actions]",
        f"# id_prefix = {_toml(source_id + '-')}  # put before each id, if the plan has these ids",
        "",
        "[columns]",
    ]
    for heading, field in fields.items():
        why = "  # CHECK: not recognised (or a second column for a field); map it" if (
            field == "ignore"
        ) else ""  # fmt: skip
        lines.append(f"{_toml(heading)} = {_toml(field)}{why}")
    lines += _value_lines(tracker, header_row, header, fields)
    lines += [
        "",
        "[defaults]  # values for fields with no column, or a blank cell",
        "# created_on = 2024-04-01  # CHECK: when the actions were agreed (default: import day)",
        '# team = "Adult Social Care"',
        "",
    ]
    return "\n".join(lines)


def _value_lines(
    tracker: Tracker, header_row: int, header: list[str], fields: dict[str, str]
) -> list[str]:
    """`[values]` tables: RAG words for the status column, and dates that are not dates."""
    lines: list[str] = []
    for index, heading in enumerate(header):
        field = fields.get(heading)
        if field != "status" and field not in _DATE_FIELDS:
            continue
        seen: dict[str, Any] = {}
        for number, cells in tracker.grid:
            if number > header_row and index < len(cells) and not is_blank(cells[index]):
                seen.setdefault(value_key(cells[index]), cells[index])
        table = []
        for key, value in seen.items():
            if field == "status":
                table += _status_line(key, value)
            elif not _is_date(value):
                table.append(
                    f"# {_toml(str(value).strip())} = 2025-03-31  # CHECK: not a date; give one "
                    "here, or correct the tracker"
                )
        if table:
            lines += ["", f"[values.{_toml(heading)}]", *table]
    return lines


def _status_line(key: str, value: Any) -> list[str]:
    text = str(value).strip()
    if key in STATUS_WORDS:
        return [f"{_toml(text)} = {_toml(STATUS_WORDS[key])}"]
    try:
        vocab.normalise("status", text)
    except ValueError:
        return [f'# {_toml(text)} = ""  # CHECK: which status? {", ".join(vocab.STATUSES)}']
    return []


def _is_date(value: Any) -> bool:
    try:
        return parse_date(value) is not None
    except FieldError:
        return False


def _last_updated(rows: list[list[Any]]) -> date | None:
    """The date on a "Last updated" (or "As at") row above the header, if any."""
    for cells in rows:
        texts = [str(c) for c in cells if isinstance(c, str)]
        if not any(_UPDATED.search(text) for text in texts):
            continue
        for cell in cells:
            if isinstance(cell, datetime | date):
                return cell.date() if isinstance(cell, datetime) else cell
            for word in re.findall(r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}", str(cell or "")):
                if _is_date(word):
                    return parse_date(word)
    return None


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)
