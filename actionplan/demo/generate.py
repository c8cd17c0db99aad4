"""Councils, their tables, and the CSV files: `generate` is the generator's entry point.

One council's records are built from the content (`content/`), histories from
`stories`, complaints and compliments from `complaints`. The demo plan (scale
`demo`) uses the hand-written dates and storylines as they stand; scales `S`,
`M` and `L` shuffle them per council and repeat the plan for 1, 100 and 2,000
councils (ids prefixed with the council's code, e.g. `C001-ACT-001`). One
random generator, seeded once, drives every draw in a fixed order, so the same
seed always gives byte-identical files.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from ..records import KIND_NAMES, field_names
from .complaints import draw_complaints, draw_compliments, draw_cqc_scores
from .content import ActionSpec, read_content
from .days import FIRST_DAY, LAST_DAY, iso
from .stories import Plan, Row, draw_history

COUNCIL_NAME = "Westbury Council"

#: Optional fields the generator never draws: an action's revised baseline and
#: completion date (its history says them), and an update's corrections of text.
_NOT_DRAWN: dict[str, tuple[str, ...]] = {
    "action": ("baseline_due", "completed_on"),
    "update": ("title", "owner", "team", "description", "start_on", "success_measure", "evidence"),
}

#: The CSV files written, with their columns (SPEC section 2 field names).
COLUMNS: dict[str, tuple[str, ...]] = {
    f"{plural}.csv": tuple(
        name for name in field_names(kind) if name not in _NOT_DRAWN.get(kind, ())
    )
    for plural, kind in KIND_NAMES.items()
    if kind != "person"  # the demo's people are written by hand (content/people.csv)
}

#: Scales and their default number of councils (`demo` is the hand-written one).
SCALES: dict[str, int] = {"demo": 1, "S": 1, "M": 100, "L": 2000}


@dataclass
class _Tables:
    """One council's rows for each file."""

    sources: list[Row]
    recommendations: list[Row]
    actions: list[Row]
    updates: list[Row]
    complaints: list[Row]
    compliments: list[Row]
    cqc_scores: list[Row]

    def rows(self) -> dict[str, list[Row]]:
        """The rows by file name, in the order of `COLUMNS`."""
        return {
            "sources.csv": self.sources,
            "recommendations.csv": self.recommendations,
            "actions.csv": self.actions,
            "updates.csv": self.updates,
            "complaints.csv": self.complaints,
            "compliments.csv": self.compliments,
            "cqc_scores.csv": self.cqc_scores,
        }


def _council(rng: random.Random, prefix: str, name: str, randomised: bool) -> _Tables:
    """Every record for one council.

    Args:
        rng: the generator's only source of randomness (for repeatability).
        prefix: prepended to every id (`""` for the demo, `"C001-"` at scale).
        name: the council's name in source titles.
        randomised: False for the hand-written demo plan; True to shuffle
            dates and storylines and sample 50 of the actions (S/M/L).
    """
    words = read_content()
    first, horizon = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    source_ids = [f"{prefix}SRC-{n:02d}" for n in range(1, len(words.sources) + 1)]
    received = [source.received_on.toordinal() for source in words.sources]
    if randomised:
        received = [min(day + rng.randint(-40, 40), horizon - 150) for day in received]
    sources = [
        [sid, s.kind, s.title.format(council=name), s.reference, iso(day)]
        for sid, s, day in zip(source_ids, words.sources, received, strict=True)
    ]
    rec_ids = [f"{prefix}REC-{n:02d}" for n in range(1, len(words.recommendations) + 1)]
    recommendations = [
        [rid, source_ids[r.source - 1], r.text, r.theme, r.quality_statement, r.priority]
        for rid, r in zip(rec_ids, words.recommendations, strict=True)
    ]

    specs = list(words.actions)
    if randomised:
        specs = sorted(rng.sample(specs, 50), key=words.actions.index)
    plans: list[tuple[ActionSpec, Plan]] = []
    for number, spec in enumerate(specs, start=1):
        action_id = f"{prefix}ACT-{number:03d}"
        if randomised:
            source_day = received[words.recommendations[spec.recommendation - 1].source - 1]
            created = min(source_day + rng.randint(7, 45), horizon - 30 - rng.randint(0, 30))
            roll = rng.random()
            offset = (
                0 if roll < 0.25 else rng.randint(7, 30) if roll < 0.7 else rng.randint(30, 150)
            )
            start = created + offset
            due = start + rng.randint(90, 420)
            story = rng.choices(words.stories, words.story_weights)[0]
            late = rng.random() < 0.05
        else:
            created = spec.created_on.toordinal()
            start, due = spec.start_on.toordinal(), spec.due.toordinal()
            story, late = spec.story, spec.late_record
        plans.append((spec, Plan(action_id, spec.owner, created, start, due, story, late)))

    actions: list[Row] = []
    updates: list[tuple[int, int, Row]] = []
    links: list[tuple[str, str, int]] = []
    for spec, plan in plans:
        status, progress, rows = draw_history(rng, plan, horizon)
        actions.append(
            [
                plan.action_id,
                rec_ids[spec.recommendation - 1],
                spec.title,
                spec.owner,
                iso(plan.due),
                spec.description,
                spec.team,
                iso(plan.start),
                status,
                str(progress),
                iso(plan.created),
                spec.success_measure,
                "",
            ]
        )
        updates.extend(rows)
        recommendation = words.recommendations[spec.recommendation - 1]
        if words.sources[recommendation.source - 1].kind in ("complaint", "ombudsman"):
            links.append((plan.action_id, recommendation.theme, plan.created))
    # The file is the log in the order things were written down (a stable
    # sort, so updates written the same day keep the actions' order).
    updates_sorted = [row for _, _, row in sorted(updates, key=lambda item: item[1])]

    per_month = (6, 8) if not randomised else (3, 5)
    records = draw_complaints(rng, first, horizon, per_month, links)
    ids = {record.order: f"{prefix}CMP-{n:04d}" for n, record in enumerate(records, start=1)}
    complaints = [
        [
            ids[r.order],
            r.stage,
            iso(r.received),
            r.theme,
            r.outcome,
            iso(r.decided) if r.decided else "",
            iso(r.remedy_due) if r.remedy_due else "",
            iso(r.remedy_done) if r.remedy_done else "",
            ids[r.parent] if r.parent >= 0 else "",
            r.learning,
            r.action_ids,
            r.procedure,
            *(iso(day) if day else "" for day in (r.acknowledged, r.response_due, r.responded)),
            iso(r.extended) if r.extended else "",
            r.extension_reason,
            r.lgsco_reference,
            r.lgsco_decision,
            r.remedied_before,
        ]
        for r in records
    ]
    scores = [
        [source_ids[number - 1], statement, str(score)]
        for number, statement, score in draw_cqc_scores()
    ]
    compliments = [
        [f"{prefix}CPL-{n:03d}", iso(day), team, summary]
        for n, (day, team, summary) in enumerate(draw_compliments(rng, first, horizon), start=1)
    ]
    return _Tables(
        sources, recommendations, actions, updates_sorted, complaints, compliments, scores
    )


def generate(
    out_dir: str | Path, scale: str = "demo", seed: int = 2024, councils: int | None = None
) -> dict[str, int]:
    """Write the seven CSV files of a plan into `out_dir`.

    Args:
        out_dir: directory to write into (created if missing; files replaced).
        scale: `demo` (the hand-written Westbury Council plan), or `S`, `M`,
            `L` (randomised plans for 1, 100 and 2,000 councils, about 50
            actions, 500 updates and 150 complaints each).
        seed: the same seed always gives byte-identical files.
        councils: number of councils for S/M/L (overrides the scale's default).

    Returns:
        Rows written per file name (header excluded).

    Raises:
        ValueError: an unknown scale, councils given for the demo, or a
            content file that breaks its rules (`content.read_content`).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of: {', '.join(SCALES)}")
    if scale == "demo" and councils not in (None, 1):
        raise ValueError("the demo plan is one council; use scale S, M or L for more")
    count = councils if councils is not None else SCALES[scale]
    if count < 1:
        raise ValueError("councils must be at least 1")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    totals = dict.fromkeys(COLUMNS, 0)
    handles = {name: (folder / name).open("w", encoding="utf-8", newline="") for name in COLUMNS}
    try:
        writers = {
            name: csv.writer(handle, lineterminator="\n") for name, handle in handles.items()
        }
        for name, writer in writers.items():
            writer.writerow(COLUMNS[name])
        width = max(3, len(str(count)))
        for number in range(1, count + 1):
            if scale == "demo":
                tables = _council(rng, "", COUNCIL_NAME, randomised=False)
            else:
                code = f"C{number:0{width}d}"
                tables = _council(rng, f"{code}-", f"Council {code}", randomised=True)
            for name, rows in tables.rows().items():
                writers[name].writerows(rows)
                totals[name] += len(rows)
    finally:
        for handle in handles.values():
            handle.close()
    return totals
