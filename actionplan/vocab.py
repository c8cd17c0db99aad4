"""The words of an action plan, kept in one place.

Every list a user can type a value from lives here, with the forgiving matching
that spreadsheet users expect (`On Track`, `on-track` and `on_track` are the same
status). Nothing else in the package spells these values out.
"""

from __future__ import annotations

import re

SOURCE_KINDS: tuple[str, ...] = (
    "peer_review",
    "cqc_assessment",
    "ombudsman",
    "complaint",
    "audit",
    "staff_feedback",
    "community_feedback",
    "other",
)

STATUSES: tuple[str, ...] = (
    "not_started",
    "on_track",
    "at_risk",
    "off_track",
    "complete",
    "cancelled",
)

PRIORITIES: tuple[str, ...] = ("high", "medium", "low")

COMPLAINT_STAGES: tuple[str, ...] = ("stage1", "stage2", "ombudsman")

COMPLAINT_OUTCOMES: tuple[str, ...] = (
    "upheld",
    "partly_upheld",
    "not_upheld",
    "withdrawn",
    "pending",
)

#: RAG values in the order a reader expects them (worst first).
RAG_VALUES: tuple[str, ...] = ("red", "amber", "green", "not_started", "complete")

#: How a RAG value reads in words (RAG is always written, never colour alone).
RAG_WORDS: dict[str, str] = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "not_started": "Not started",
    "complete": "Complete",
    "cancelled": "Cancelled",
}

#: The CQC local authority quality statements, grouped under their four themes.
QUALITY_STATEMENTS_BY_THEME: dict[str, tuple[str, ...]] = {
    "Working with people": (
        "Assessing needs",
        "Supporting people to live healthier lives",
        "Equity in experience and outcomes",
    ),
    "Providing support": (
        "Care provision, integration and continuity",
        "Partnerships and communities",
    ),
    "Ensuring safety within the system": (
        "Safe systems, pathways and transitions",
        "Safeguarding",
    ),
    "Leadership": (
        "Governance, management and sustainability",
        "Learning, improvement and innovation",
    ),
}

QUALITY_STATEMENTS: tuple[str, ...] = tuple(
    statement for group in QUALITY_STATEMENTS_BY_THEME.values() for statement in group
)

_SEPARATORS = re.compile(r"[\s\-_]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower()).strip("_")


def _lookup(choices: tuple[str, ...], extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {_key(choice): choice for choice in choices}
    table.update(extra or {})
    return table


_STATUS_LOOKUP = _lookup(
    STATUSES,
    {"completed": "complete", "not_yet_started": "not_started"},
)
_LOOKUPS: dict[str, dict[str, str]] = {
    "status": _STATUS_LOOKUP,
    "kind": _lookup(SOURCE_KINDS),
    "priority": _lookup(PRIORITIES),
    "stage": _lookup(
        COMPLAINT_STAGES, {"stage_1": "stage1", "stage_2": "stage2", "lgsco": "ombudsman"}
    ),
    "outcome": _lookup(COMPLAINT_OUTCOMES),
    "quality_statement": {statement.strip().lower(): statement for statement in QUALITY_STATEMENTS},
}

_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "kind": SOURCE_KINDS,
    "priority": PRIORITIES,
    "stage": COMPLAINT_STAGES,
    "outcome": COMPLAINT_OUTCOMES,
    "quality_statement": QUALITY_STATEMENTS,
}


def choices(field: str) -> tuple[str, ...]:
    """The canonical values a field accepts (for widgets' drop-downs and messages)."""
    return _CHOICES[field]


def normalise(field: str, value: str) -> str:
    """Map what a person typed to the canonical value of a controlled field.

    Matching ignores case, surrounding spaces, and (except for quality
    statements, which are matched whole) the difference between spaces, hyphens
    and underscores, so `On Track` and `on-track` both give `on_track`.

    Raises:
        ValueError: the value is not one of the field's choices; the message
            lists the choices so a person can correct it.
    """
    table = _LOOKUPS[field]
    text = str(value)
    key = text.strip().lower() if field == "quality_statement" else _key(text)
    found = table.get(key, "")
    if not found:
        allowed = ", ".join(_CHOICES[field])
        raise ValueError(
            f"{text.strip()!r} is not a {field.replace('_', ' ')}; use one of: {allowed}"
        )
    return found
