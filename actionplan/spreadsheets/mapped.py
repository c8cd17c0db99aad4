"""Importing a council's tracker through its mapping: the rows become ordinary parts.

What a tracker says is recorded as what actionplan knows, each dated when it
happened (docs/import-export.md, "Bringing in your tracker"):

- the mapping's source, and one recommendation per distinct value of the
  recommendation column (a blank cell belongs to the one above, as a merged
  or "same as above" cell does), with ids made from a prefix;
- each row an action, created at its `created_on` with the defaults of a new
  action. An action the tracker shows complete is completed at its completion
  date (`rules.creation_events`), so the quarter it was finished in counts it,
  on time or late against its baseline; one with no completion date is
  refused rather than dated by guess;
- the row's status, progress and note as one update at the mapping's `as_of`
  (the day the tracker describes, default today), by the person importing.

Everything then goes through `importer.import_parts`: the same checks, the
same messages (naming the tracker's sheet, row and headings), the same writes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..errors import FieldError, ValidationError
from ..records import field_names, parse_progress
from ..store import Store
from ..store.bulk import paused_garbage_collection
from .files import CellError, Sheet
from .importer import Part, import_parts
from .mapping import (
    Mapping,
    MappingError,
    Tracker,
    choose_tracker,
    mapped_rows,
    read_mapping,
    status_of,
    value_key,
)

#: Columns of the update each row makes (the state the tracker shows at `as_of`).
_UPDATE_COLUMNS: tuple[str, ...] = ("action_id", "by", "as_of", "status", "progress", "note")


def import_mapped(
    store: Store,
    path: str | Path,
    map_path: str | Path,
    sheet: str | None = None,
    by: str | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Import a council's own tracker through a mapping file, all of it or nothing.

    Args:
        store: the plan to add to.
        path: the tracker, `.xlsx` or `.csv`.
        map_path: the mapping file (see `mapping`).
        sheet: the sheet to read, overriding the mapping's `sheet`.
        by: who is importing: the creator of the actions and their updates.
        today: the day nothing may be dated after (tests pass a fixed one).

    Returns:
        How many records of each kind were imported.

    Raises:
        MappingError: the mapping file is wrong.
        ActionPlanError: the tracker cannot be read, or its header not found.
        ValidationError: every problem, named by the tracker's sheet, row and heading.
    """
    mapping = read_mapping(map_path)
    tracker = choose_tracker(path, mapping, sheet)
    parts, problems = mapped_parts(mapping, tracker, str(by or "").strip())
    with paused_garbage_collection():
        store.check()
        with store.write() as conn:
            return import_parts(store, conn, parts, by=by, today=today, problems=problems)


def mapped_parts(
    mapping: Mapping, tracker: Tracker, by: str
) -> tuple[list[Part], list[FieldError]]:
    """The source, recommendations, actions and updates a tracker stands for.

    Raises:
        ValidationError: the header does not fit the mapping (every row would
            repeat the problem, so rows are not read).
    """
    rows, headings, header_problems = mapped_rows(mapping, tracker)
    if header_problems:
        raise ValidationError(header_problems)
    problems: list[FieldError] = []
    source_id = str(mapping.source["id"]).strip()
    parts = _source_part(mapping)
    in_map = {name: f"{name} in [defaults] of {mapping.name}" for name in mapping.defaults}
    recommendation_heading = headings.get(
        "recommendation", f"text in [recommendations] of {mapping.name}"
    )
    action_headings = {**in_map, **headings, "recommendation_id": recommendation_heading}
    action_headings.setdefault("id", "id")
    texts = _recommendation_texts(mapping, tracker, rows, recommendation_heading, problems)
    width = max(2, len(str(len(texts))))
    prefix = str(mapping.recommendations.get("id_prefix", f"{source_id}-R"))
    recommendation_ids = {
        key: f"{prefix}{index:0{width}d}" for index, key in enumerate(texts, start=1)
    }
    action_names = field_names("action")
    action_prefix = str(
        mapping.actions.get("id_prefix", "" if "id" in headings else f"{source_id}-A")
    )
    action_rows: list[tuple[int, list[Any]]] = []
    update_rows: list[tuple[int, list[Any]]] = []
    id_width = max(2, len(str(len(rows))))
    for count, (number, raw, typed) in enumerate(rows, start=1):
        key = raw.pop("recommendation_key", None)
        if key is None:
            continue
        record = {name: raw.get(name) for name in action_names}
        record["id"] = action_prefix + (
            _as_text(raw["id"]) if raw.get("id") is not None else f"{count:0{id_width}d}"
        )
        record["recommendation_id"] = recommendation_ids[key]
        status = status_of(raw.get("status"))
        later = {"status": record["status"], "progress": record["progress"]}
        record["status"] = record["progress"] = None
        if status == "complete":
            record["status"], record["progress"] = "complete", later["progress"]
            later = {"status": None, "progress": None}
            if record["completed_on"] is None:
                problems.append(
                    CellError(
                        headings.get("status", "status"),
                        f"{str(typed['status']).strip()!r} means complete, but the row has no "
                        "completion date; "
                        f"map a column to completed_on, or give it in [defaults] of {mapping.name}",
                        number,
                        tracker.label,
                    )
                )
        if status == "not_started":
            later["status"] = None
        if _is_zero(later["progress"]):
            later["progress"] = None
        action_rows.append((number, [record[name] for name in action_names]))
        note = raw.get("note")
        if later["status"] is not None or later["progress"] is not None or note is not None:
            update_rows.append(
                (
                    number,
                    [record["id"], by, mapping.as_of, later["status"], later["progress"], note],
                )
            )
    update_headings = {
        **headings,
        "action_id": action_headings["id"],
        "by": "--by",
        "as_of": f"as_of in {mapping.name}",
    }
    recommendation_rows = [
        (first, [recommendation_ids[key], source_id, text]) for key, (text, first) in texts.items()
    ]
    parts += [
        _part("recommendation", tracker, ("id", "source_id", "text"), recommendation_rows,
              {"id": recommendation_heading, "text": recommendation_heading,
               "source_id": f"id in [source] of {mapping.name}"}),
        _part("action", tracker, action_names, action_rows, action_headings),
        _part("update", tracker, _UPDATE_COLUMNS, update_rows, update_headings),
    ]  # fmt: skip
    return [part for part in parts if part.sheet.rows], problems


def _source_part(mapping: Mapping) -> list[Part]:
    """The mapping's `[source]`, as a part to create; none when it names a stored source."""
    if not set(mapping.source) - {"id"}:
        return []
    names = field_names("source")
    unknown = set(mapping.source) - set(names)
    if unknown:
        raise MappingError(
            f"{mapping.name}: [source] {sorted(unknown)[0]!r} is not a field of a source; "
            f"use: {', '.join(names)}"
        )
    sheet = Sheet(
        f"{mapping.name} [source]", list(names), [(0, [mapping.source.get(n) for n in names])]
    )
    return [Part("source", sheet, rowless=True)]


def _recommendation_texts(
    mapping: Mapping,
    tracker: Tracker,
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]],
    heading: str,
    problems: list[FieldError],
) -> dict[str, tuple[str, int]]:
    """Each distinct recommendation, keyed by `value_key`, with its text and first row.

    Tags each row with its recommendation's key (`recommendation_key`); a blank
    cell belongs to the recommendation above it.
    """
    texts: dict[str, tuple[str, int]] = {}
    current = mapping.recommendations.get("text")
    for number, raw, _ in rows:
        given = raw.pop("recommendation", None)
        text = _as_text(given) if given is not None else current
        if text is None:
            problems.append(
                CellError(
                    heading, "is blank, and no row above names a recommendation", number,
                    tracker.label,
                )
            )  # fmt: skip
            continue
        current = text
        key = value_key(text)
        texts.setdefault(key, (str(text).strip(), number))
        raw["recommendation_key"] = key
    return texts


def _part(
    kind: str,
    tracker: Tracker,
    columns: tuple[str, ...],
    rows: list[tuple[int, list[Any]]],
    headings: dict[str, str],
) -> Part:
    return Part(kind, Sheet(tracker.label, list(columns), rows), headings=headings)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_zero(value: Any) -> bool:
    try:
        return value is not None and parse_progress(value) == 0
    except ValueError:
        return False
