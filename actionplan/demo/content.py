"""The demo plan's hand-written words and weights, read from `content/`.

The words of the demo (sources, recommendations, actions, notes, complaint
learning, compliments) are written by people who know councils, not Python, so
they live in data files beside this module: CSV for tables, TOML for lists and
dictionaries (see `content/README.md`). The generator's code is left to say how
a plan behaves over time.

Everything is read once per process and checked on the way in: a row that
names a source, recommendation or storyline that does not exist is an error
naming the file and row, rather than a plan that silently comes out wrong.
Order is significant everywhere: the generator draws from these tables by
position, so reordering rows changes every generated file.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import NamedTuple

#: The folder of data files (inside the installed package).
CONTENT = files(__package__) / "content"


class Source(NamedTuple):
    """Where recommendations came from; `title` may contain `{council}`."""

    kind: str
    title: str
    reference: str
    received_on: date


class Recommendation(NamedTuple):
    """What a source recommended; `source` is its 1-based row in sources.csv."""

    source: int
    text: str
    theme: str
    quality_statement: str
    priority: str


class ActionSpec(NamedTuple):
    """A demo action and the storyline its history follows.

    `recommendation` is the 1-based row in recommendations.csv. The dates and
    storyline are used as written in the demo plan; the randomised plans draw
    their own.
    """

    recommendation: int
    title: str
    owner: str
    team: str
    created_on: date
    start_on: date
    due: date
    story: str
    late_record: bool
    description: str
    success_measure: str


class Compliment(NamedTuple):
    """A compliment's team and what it said."""

    team: str
    summary: str


class Stage(NamedTuple):
    """How a complaint stage is decided.

    Attributes:
        decision_days: fewest and most days from receipt to decision.
        outcomes: the outcomes a decision can have.
        outcome_weights: relative frequency of each of `outcomes`.
    """

    decision_days: tuple[int, int]
    outcomes: tuple[str, ...]
    outcome_weights: tuple[int, ...]


@dataclass(frozen=True)
class Content:
    """Every table of the demo's content, in file order."""

    sources: tuple[Source, ...]
    recommendations: tuple[Recommendation, ...]
    actions: tuple[ActionSpec, ...]
    compliments: tuple[Compliment, ...]
    #: Storylines and their relative frequency in the randomised plans.
    stories: tuple[str, ...]
    story_weights: tuple[int, ...]
    officers: tuple[str, ...]
    reasons: tuple[str, ...]
    notes: Mapping[str, tuple[str, ...]]
    #: Complaint themes and their relative frequency.
    themes: tuple[str, ...]
    theme_weights: tuple[int, ...]
    learning: Mapping[str, tuple[str, ...]]
    no_fault: tuple[str, ...]
    remedies: tuple[str, ...]
    stages: Mapping[str, Stage]
    #: Why more time was agreed for a complaint's response.
    extension_reasons: tuple[str, ...]
    #: The CQC assessment's source number, and its score for each quality statement.
    cqc_source: int
    cqc_scores: Mapping[str, int]


@cache
def read_content() -> Content:
    """The demo's content, read and checked once per process.

    Raises:
        ValueError: a file has the wrong columns, or a row refers to a source,
            recommendation or storyline that does not exist.
    """
    updates = _toml("updates.toml")
    complaints = _toml("complaints.toml")
    cqc = _toml("cqc.toml")
    story_weights: dict[str, int] = updates["story_weights"]
    themes: dict[str, dict] = complaints["themes"]
    sources = tuple(
        Source(row["kind"], row["title"], row["reference"], date.fromisoformat(row["received_on"]))
        for row in _numbered(_csv("sources.csv", _SOURCE_COLUMNS), "sources.csv")
    )
    recommendations = tuple(
        Recommendation(
            _reference(row, "source", len(sources), "recommendations.csv"),
            row["text"],
            row["theme"],
            row["quality_statement"],
            row["priority"],
        )
        for row in _numbered(
            _csv("recommendations.csv", _RECOMMENDATION_COLUMNS), "recommendations.csv"
        )
    )
    actions = tuple(
        _action(row, len(recommendations), story_weights)
        for row in _csv("actions.csv", ActionSpec._fields)
    )
    return Content(
        sources=sources,
        recommendations=recommendations,
        actions=actions,
        compliments=tuple(Compliment(**row) for row in _csv("compliments.csv", Compliment._fields)),
        stories=tuple(story_weights),
        story_weights=tuple(story_weights.values()),
        officers=tuple(updates["officers"]),
        reasons=tuple(updates["reasons"]),
        notes={kind: tuple(notes) for kind, notes in updates["notes"].items()},
        themes=tuple(themes),
        theme_weights=tuple(theme["weight"] for theme in themes.values()),
        learning={name: tuple(theme["learning"]) for name, theme in themes.items()},
        no_fault=tuple(complaints["no_fault"]),
        remedies=tuple(complaints["remedies"]),
        stages={
            name: Stage(
                (stage["decision_days"][0], stage["decision_days"][1]),
                tuple(stage["outcome_weights"]),
                tuple(stage["outcome_weights"].values()),
            )
            for name, stage in complaints["stages"].items()
        },
        extension_reasons=tuple(complaints["extension_reasons"]),
        cqc_source=int(cqc["source"]),
        cqc_scores=dict(cqc["scores"]),
    )


_SOURCE_COLUMNS = ("number", *Source._fields)
_RECOMMENDATION_COLUMNS = ("number", *Recommendation._fields)


def _toml(name: str) -> dict:
    return tomllib.loads((CONTENT / name).read_text(encoding="utf-8"))


def _csv(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a content CSV file, after checking its header."""
    with (CONTENT / name).open("r", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{name}: the columns must be {', '.join(columns)}")
        return list(reader)


def _numbered(rows: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    """Check the `number` column counts 1, 2, 3, ... (other files refer to rows by it)."""
    for index, row in enumerate(rows, start=1):
        if row["number"] != str(index):
            raise ValueError(f"{name}, row {index + 1}: number should be {index}")
    return rows


def _reference(row: dict[str, str], column: str, count: int, name: str) -> int:
    """A 1-based row number in another file, checked to exist there."""
    value = row[column]
    if not value.isdigit() or not 1 <= int(value) <= count:
        raise ValueError(f"{name}: {column} {value!r} is not a row number from 1 to {count}")
    return int(value)


def _action(row: dict[str, str], recommendations: int, stories: Mapping[str, int]) -> ActionSpec:
    if row["story"] not in stories:
        raise ValueError(
            f"actions.csv: storyline {row['story']!r} of {row['title']!r} is not one of "
            f"{', '.join(stories)} (updates.toml)"
        )
    if row["late_record"] not in ("", "yes"):
        raise ValueError(f"actions.csv: late_record of {row['title']!r} must be yes or blank")
    return ActionSpec(
        recommendation=_reference(row, "recommendation", recommendations, "actions.csv"),
        title=row["title"],
        owner=row["owner"],
        team=row["team"],
        created_on=date.fromisoformat(row["created_on"]),
        start_on=date.fromisoformat(row["start_on"]),
        due=date.fromisoformat(row["due"]),
        story=row["story"],
        late_record=row["late_record"] == "yes",
        description=row["description"],
        success_measure=row["success_measure"],
    )
