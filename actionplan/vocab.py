"""The words of an action plan, kept in one place.

Every list a user can type a value from lives here, with the forgiving matching
that spreadsheet users expect (`On Track`, `on-track` and `on_track` are the same
status), and with the words a person reads for each value (`On track`,
`Stage 1`, `CQC assessment`). The RAG values' order, their ranking from best to
worst and their colours are here too, so the CLI, the report, its charts and
the workbook cannot disagree. Nothing else in the package spells these values
out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

#: What a registered person may do (SPEC section 7), from least to most.
ROLES: tuple[str, ...] = ("viewer", "officer", "lead", "manager")
#: Which complaints procedure a record follows (SPEC section 10): the 2009
#: regulations for adult social care (the default), or the council's own
#: corporate procedure under the Ombudsman's Complaint Handling Code.
COMPLAINT_PROCEDURES: tuple[str, ...] = ("statutory", "corporate")

#: What the Ombudsman (LGSCO) decided on a complaint it received.
LGSCO_DECISIONS: tuple[str, ...] = (
    "upheld",
    "not_upheld",
    "closed_after_initial_enquiries",
    "premature",
    "withdrawn",
)

#: A yes-or-no field's values (`remedied_before_ombudsman`).
YES_NO: tuple[str, ...] = ("yes", "no")

#: The CQC's rating of a local authority, best first, with the lowest whole
#: percentage of the maximum score that earns it (its published bands).
CQC_RATINGS: tuple[tuple[str, int], ...] = (
    ("outstanding", 88),
    ("good", 63),
    ("requires_improvement", 39),
    ("inadequate", 25),
)

#: Who a report is for (SPEC section 6): `public` drops owner names and small counts.
AUDIENCES: tuple[str, ...] = ("internal", "public")

#: The quarterly report's sections, in report order; their words (field `section`)
#: are the report's headings.
REPORT_SECTIONS: tuple[str, ...] = (
    "title",
    "at_a_glance",
    "rag_breakdown",
    "movement",
    "trend",
    "exceptions",
    "completed_and_due",
    "assurance",
    "complaints",
    "cqc_scores",
    "appendix",
)

#: What a manager writes commentary on: an overview of the quarter, and each
#: section of the report after its title.
COMMENTARY_SECTIONS: tuple[str, ...] = ("overview", *REPORT_SECTIONS[1:])

#: RAG values in the order SPEC section 5 lists them, then SPEC section 8's
#: `verified` (complete and checked by someone else): the keys of `by_rag` and
#: the columns of every RAG table follow it.
RAG_VALUES: tuple[str, ...] = ("red", "amber", "green", "not_started", "complete", "verified")

#: RAG values from best to worst: an action "got worse" when it moved right,
#: and lists put the worst first. Not started ranks below green (nothing has
#: happened yet) and above amber (nothing has gone wrong yet). Verified (complete and checked)
#: is the best an action can be.
RAG_SEVERITY: tuple[str, ...] = ("verified", "complete", "green", "not_started", "amber", "red")

#: What each stored value reads as, in every table, form, message and chart.
WORDS: dict[str, str] = {
    # source kinds
    "peer_review": "LGA peer challenge",
    "cqc_assessment": "CQC assessment",
    "ombudsman": "Ombudsman (LGSCO)",
    "complaint": "Complaints learning",
    "audit": "Audit",
    "staff_feedback": "Staff feedback",
    "community_feedback": "Community feedback",
    "other": "Other",
    # statuses
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "complete": "Complete",
    "cancelled": "Cancelled",
    # RAG
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "verified": "Verified",
    # priorities
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    # complaint stages and outcomes
    "stage1": "Stage 1",
    "stage2": "Stage 2",
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
    "pending": "Pending",
    # roles
    "viewer": "Viewer",
    "officer": "Officer",
    "lead": "Lead",
    "manager": "Manager",
    # complaint procedures, Ombudsman decisions, yes and no
    "statutory": "Statutory (adult social care)",
    "corporate": "Corporate",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
    "premature": "Premature",
    "yes": "Yes",
    "no": "No",
    # CQC ratings
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    # audiences
    "internal": "Internal",
    "public": "Public",
}

#: Words that differ by field: `ombudsman` is a source kind and a complaint stage.
_FIELD_WORDS: dict[tuple[str, str], str] = {
    ("stage", "ombudsman"): "Ombudsman (LGSCO)",
    ("kind", "complaint"): "Complaints learning",
    ("section", "title"): "Title",
    ("section", "overview"): "Overview",
    ("section", "at_a_glance"): "At a glance",
    ("section", "rag_breakdown"): "RAG by source and by CQC quality statement",
    ("section", "movement"): "Movement since last quarter",
    ("section", "trend"): "Trend",
    ("section", "exceptions"): "Exceptions",
    ("section", "completed_and_due"): "Completed this quarter and due next quarter",
    ("section", "assurance"): "Assurance: evidence, verification and due dates",
    ("section", "complaints"): "Complaints and learning",
    ("section", "cqc_scores"): "CQC assessment scores",
    ("section", "appendix"): "Appendix: every action, and how the figures are worked out",
}


def word(value: object, field: str | None = None) -> str:
    """A stored value as a person reads it: `on_track` -> `On track`, `stage1` -> `Stage 1`.

    A value this module does not know (a free-text theme, a blank) is shown as it is.
    """
    if value is None:
        return ""
    text = str(value)
    if field is not None and (field, text) in _FIELD_WORDS:
        return _FIELD_WORDS[(field, text)]
    return WORDS.get(text, text)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`1 source`, `2 sources`, `0 complaints`: a count with its noun agreeing."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def with_article(noun: str) -> str:
    """`a source`, `an action`, `an update`: the noun with the article English asks for."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


@dataclass(frozen=True)
class RagColour:
    """How one RAG value is drawn: a fill, the text colour on it, and a pattern.

    The fills are the Okabe-Ito colours (told apart by the common colour
    deficiencies); `ink` keeps WCAG 4.5:1 contrast on the fill; `hatch` is
    matplotlib's pattern for the value, so no value relies on colour or shade
    alone: every RAG value has its own (at most one is plain), drawn the same
    way in the charts and, by `report.html.pattern_css`, in the report's
    swatches. A new RAG value needs only its entry here, with a pattern not
    yet used (`++`, `||`, `oo` and `**` are free).
    """

    fill: str
    ink: str
    hatch: str


#: The one RAG palette: the report's CSS, its charts and the workbook's badges use it.
RAG_PALETTE: dict[str, RagColour] = {
    "red": RagColour("#D55E00", "#000000", "///"),
    "amber": RagColour("#E69F00", "#000000", ".."),
    "green": RagColour("#009E73", "#000000", "--"),
    "not_started": RagColour("#BBBBBB", "#000000", "\\\\"),
    "complete": RagColour("#0072B2", "#FFFFFF", ""),
    # BRAG "blue": a darker navy than complete's blue, and a pattern of its own.
    "verified": RagColour("#002D62", "#FFFFFF", "xx"),
    "cancelled": RagColour("#FFFFFF", "#000000", ""),
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
    "procedure": _lookup(COMPLAINT_PROCEDURES),
    "lgsco_decision": _lookup(LGSCO_DECISIONS, {"closed": "closed_after_initial_enquiries"}),
    "yes_no": _lookup(YES_NO, {"y": "yes", "n": "no", "true": "yes", "false": "no"}),
    "audience": _lookup(AUDIENCES),
    "role": _lookup(ROLES),
    "section": _lookup(COMMENTARY_SECTIONS),
    "quality_statement": {statement.strip().lower(): statement for statement in QUALITY_STATEMENTS},
}

#: How a refusal names what a field holds, where "a <field name>" reads wrong.
_NOUNS: dict[str, str] = {
    "lgsco_decision": "an LGSCO decision",
    "yes_no": "yes or no",
    "outcome": "an outcome",
    "audience": "an audience",
}

_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "kind": SOURCE_KINDS,
    "priority": PRIORITIES,
    "stage": COMPLAINT_STAGES,
    "outcome": COMPLAINT_OUTCOMES,
    "procedure": COMPLAINT_PROCEDURES,
    "lgsco_decision": LGSCO_DECISIONS,
    "yes_no": YES_NO,
    "audience": AUDIENCES,
    "role": ROLES,
    "section": COMMENTARY_SECTIONS,
    "quality_statement": QUALITY_STATEMENTS,
}


def choices(field: str) -> tuple[str, ...]:
    """The canonical values a field accepts (for widgets' drop-downs and messages)."""
    return _CHOICES[field]


def options(field: str) -> list[tuple[str, str]]:
    """A field's choices as `(words, value)` pairs, for drop-downs."""
    return [(word(value, field), value) for value in _CHOICES[field]]


def normalise(field: str, value: str) -> str:
    """Map what a person typed to the canonical value of a controlled field.

    Matching ignores case, surrounding spaces, and (except for quality
    statements, which are matched whole) the difference between spaces, hyphens
    and underscores, so `On Track` and `on-track` both give `on_track`. The
    words shown for a value (`Stage 1`) are accepted too.

    Raises:
        ValueError: the value is not one of the field's choices; the message
            lists the choices so a person can correct it.
    """
    table = _LOOKUPS[field]
    text = str(value)
    key = text.strip().lower() if field == "quality_statement" else _key(text)
    found = table.get(key, "") or _by_words(field).get(key, "")
    if not found:
        allowed = ", ".join(_CHOICES[field])
        noun = _NOUNS.get(field, f"a {field.replace('_', ' ')}")
        raise ValueError(f"{text.strip()!r} is not {noun}; use one of: {allowed}")
    return found


def _by_words(field: str) -> dict[str, str]:
    if field == "quality_statement":
        return {}
    return {_key(word(value, field)): value for value in _CHOICES[field]}
