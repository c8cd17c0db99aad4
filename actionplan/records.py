"""What each kind of record holds, and how a typed value becomes a stored one.

One table of fields per record kind (SPEC section 2) drives every way data gets
in: CSV and spreadsheet import, the CLI and the workbook's forms. So a value is
accepted or refused the same way, with the same message, wherever it is typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import vocab
from .cqc import parse_score
from .dates import parse_date
from .errors import FieldError, ValidationError
from .roles import split_owns
from .vocab import with_article

MAX_ID_LENGTH = 64
_CONTROL = re.compile(r"[\x00-\x1f]")


def is_blank(value: object) -> bool:
    """True for the values a spreadsheet cell holds when a person left it empty."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _identifier(value: object) -> str:
    text = _text(value)
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"is {len(text)} characters long; an id has at most {MAX_ID_LENGTH}")
    if _CONTROL.search(text):
        raise ValueError("contains a control character")
    return text


def _free_text(value: object) -> str:
    # Free text is stored verbatim (after trimming the ends): escaping is the
    # job of whatever shows it.
    text = str(value)
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text.strip()


def parse_progress(value: object) -> int:
    """Progress as a whole percentage; accepts `60`, `60%`, `60.0` and the 0.6 of a % cell."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a percentage from 0 to 100")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        percent = text.endswith("%")
        try:
            number = float(text.removesuffix("%").strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a percentage from 0 to 100") from None
        if percent and not number.is_integer():
            raise ValueError(f"{text!r} is not a whole percentage")
    if not math.isfinite(number) or not number.is_integer() or not 0 <= number <= 100:
        raise ValueError(f"{_text(value)!r} is not a whole percentage from 0 to 100")
    return int(number)


def _choice(field: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        return vocab.normalise(field, str(value))

    return parse


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _login(value: object) -> str:
    # JupyterHub lower-cases user names; so does the plan, so a login matches
    # however it is typed.
    text = _identifier(value).lower()
    if any(char.isspace() for char in text):
        raise ValueError(f"{text!r} has a space; a login is one word, as people sign in with it")
    return text


def _owns(value: object) -> str:
    return "; ".join(split_owns(_free_text(value)))


def _email(value: object) -> str:
    text = _free_text(value)
    if not _EMAIL.match(text):
        raise ValueError(f"{text!r} is not an email address")
    return text


_LGSCO_REFERENCE = re.compile(r"^(\d{2})[\s\-/]*(\d{3})[\s\-/]*(\d{3})$")


def _lgsco_reference(value: object) -> str:
    """The Ombudsman's case reference, written as it does: `24 015 889`."""
    text = _text(value)
    found = _LGSCO_REFERENCE.match(text)
    if not found:
        raise ValueError(f"{text!r} is not an LGSCO reference like 24 015 889")
    return " ".join(found.groups())


def _id_list(value: object) -> list[str]:
    return [_identifier(part) for part in str(value).split(";") if part.strip()]


def _whole_number(value: object) -> int:
    text = str(value).strip().removesuffix(".0")
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError(f"{str(value).strip()!r} is not a whole number")
    return int(text)


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _sha256(value: object) -> str:
    text = _text(value).lower()
    if not _SHA256.match(text):
        raise ValueError(f"{text[:20]!r} is not a SHA-256 (64 hexadecimal characters)")
    return text


def _timestamp(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(_text(value).replace("Z", ""))
    except ValueError:
        raise ValueError(
            f"{_text(value)!r} is not a date and time like 2025-09-30 14:05:00"
        ) from None


@dataclass(frozen=True)
class Field:
    """One field of a record: its name, how to read it, whether it is required."""

    name: str
    parse: Callable[[object], Any]
    required: bool = False
    is_date: bool = False


def _date_field(name: str, required: bool = False) -> Field:
    return Field(name, lambda value: value, required, is_date=True)


RECORDS: dict[str, tuple[Field, ...]] = {
    "source": (
        Field("id", _identifier, True),
        Field("kind", _choice("kind"), True),
        Field("title", _free_text, True),
        Field("reference", _free_text),
        _date_field("received_on"),
    ),
    "recommendation": (
        Field("id", _identifier, True),
        Field("source_id", _identifier, True),
        Field("text", _free_text, True),
        Field("theme", _free_text),
        Field("quality_statement", _choice("quality_statement")),
        Field("priority", _choice("priority")),
    ),
    "action": (
        Field("id", _identifier, True),
        Field("recommendation_id", _identifier, True),
        Field("title", _free_text, True),
        Field("owner", _free_text, True),
        _date_field("due", True),
        Field("description", _free_text),
        Field("team", _free_text),
        _date_field("start_on"),
        Field("status", _choice("status")),
        Field("progress", parse_progress),
        _date_field("created_on"),
        Field("success_measure", _free_text),
        Field("evidence", _free_text),
        _date_field("baseline_due"),
        _date_field("completed_on"),
    ),
    "update": (
        Field("action_id", _identifier, True),
        Field("by", _free_text, True),
        _date_field("as_of"),
        Field("progress", parse_progress),
        Field("status", _choice("status")),
        _date_field("due"),
        Field("reason", _free_text),
        Field("note", _free_text),
        _date_field("completed_on"),
        Field("title", _free_text),
        Field("owner", _free_text),
        Field("team", _free_text),
        Field("description", _free_text),
        _date_field("start_on"),
        Field("success_measure", _free_text),
        Field("evidence", _free_text),
    ),
    "complaint": (
        Field("id", _identifier, True),
        Field("stage", _choice("stage"), True),
        _date_field("received_on", True),
        Field("theme", _free_text),
        Field("outcome", _choice("outcome")),
        _date_field("decided_on"),
        _date_field("remedy_due"),
        _date_field("remedy_done_on"),
        Field("escalated_from", _identifier),
        Field("learning", _free_text),
        Field("action_ids", _id_list),
        # SPEC section 10: the procedure and its deadlines, and the Ombudsman's case.
        Field("procedure", _choice("procedure")),
        _date_field("acknowledged_on"),
        _date_field("response_due"),
        _date_field("responded_on"),
        _date_field("extended_to"),
        Field("extension_reason", _free_text),
        Field("lgsco_reference", _lgsco_reference),
        Field("lgsco_decision", _choice("lgsco_decision")),
        Field("remedied_before_ombudsman", _choice("yes_no")),
    ),
    "cqc_score": (
        Field("source_id", _identifier, True),
        Field("quality_statement", _choice("quality_statement"), True),
        Field("score", parse_score, True),
    ),
    "compliment": (
        Field("id", _identifier, True),
        _date_field("received_on", True),
        Field("team", _free_text),
        Field("summary", _free_text),
    ),
    # SPEC section 8: an evidence item, without its file (the file stays in its plan).
    "evidence": (
        Field("id", _whole_number, True),
        Field("action_id", _identifier, True),
        Field("description", _free_text, True),
        Field("link", _free_text),
        Field("filename", _free_text),
        Field("size", _whole_number),
        Field("sha256", _sha256),
        Field("added_by", _free_text, True),
        _date_field("added_on", True),
        Field("withdrawn_by", _free_text),
        Field("withdrawn_at", _timestamp),
        Field("withdrawn_reason", _free_text),
    ),
    # SPEC section 7: a person of the team, the name they sign in with and their role.
    "person": (
        Field("login", _login, True),
        Field("name", _free_text, True),
        Field("role", _choice("role"), True),
        Field("owns", _owns),
        Field("team", _free_text),
        Field("email", _email),
    ),
}

#: Plural names used by `import --kind` and spreadsheet sheet names.
KIND_NAMES: dict[str, str] = {
    "sources": "source",
    "recommendations": "recommendation",
    "actions": "action",
    "updates": "update",
    "complaints": "complaint",
    "compliments": "compliment",
    "people": "person",
    "cqc_scores": "cqc_score",
    "evidence": "evidence",
}


def field_names(kind: str) -> tuple[str, ...]:
    """The columns of a record kind, in SPEC order."""
    return tuple(spec.name for spec in RECORDS[kind])


def required_fields(kind: str) -> tuple[str, ...]:
    """The columns a record of this kind cannot be without."""
    return tuple(spec.name for spec in RECORDS[kind] if spec.required)


def clean_record(kind: str, raw: Mapping[str, object], row: int | None = None) -> dict[str, Any]:
    """Turn typed values into stored ones, or report every problem at once.

    Blank values become None (the caller applies defaults). Unknown keys are an
    error: a misspelt column must not be silently dropped.

    Raises:
        ValidationError: one FieldError per problem, each naming row and field.
    """
    specs = {spec.name: spec for spec in RECORDS[kind]}
    problems: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for name in raw:
        if name not in specs:
            problems.append(FieldError(str(name), f"is not a field of {with_article(kind)}", row))
    for name, spec in specs.items():
        value = raw.get(name)
        if is_blank(value):
            cleaned[name] = [] if name == "action_ids" else None
            if spec.required:
                problems.append(FieldError(name, "is required", row))
            continue
        try:
            if spec.is_date:
                cleaned[name] = parse_date(value, name, row)
            else:
                cleaned[name] = spec.parse(value)
        except FieldError as error:
            problems.append(error)
        except ValueError as error:
            problems.append(FieldError(name, str(error), row))
    if problems:
        raise ValidationError(problems)
    return cleaned


def as_plain(value: object) -> object:
    """A JSON-friendly form of a stored value (dates as ISO strings)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
