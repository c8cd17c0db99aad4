"""CQC assessment scores: a score of 1 to 4 per quality statement, and the rating they give.

The CQC scores each of a local authority's nine quality statements from 1
(significant shortfalls) to 4 (an exceptional standard), adds them up, and
rates the total as a percentage of the most it could be: 25 to 38%
inadequate, 39 to 62% requires improvement, 63 to 87% good, 88% or more
outstanding (`vocab.CQC_RATINGS`). The bands are whole percentages, so the
percentage is rounded to a whole number (half up) before it is placed in a
band: 38.9% (14 of 36) is 39%, requires improvement. docs/complaints.md says
where the bands come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .vocab import CQC_RATINGS, with_article

#: The highest score of one quality statement.
MOST = 4


@dataclass(frozen=True)
class CqcRating:
    """What a set of quality statement scores adds up to.

    Attributes:
        total: the sum of the scores.
        maximum: 4 for every statement scored.
        percent: `total / maximum` as a percentage, one decimal (58.3).
        rating: the band the whole percentage falls in (`requires_improvement`).
        statements: how many statements were scored.
    """

    total: int
    maximum: int
    percent: float
    rating: str
    statements: int


def whole_percent(total: int, maximum: int) -> int:
    """`total / maximum` as a whole percentage, halves rounded up (as the bands are written)."""
    return int((Decimal(100 * total) / Decimal(maximum)).quantize(Decimal(1), ROUND_HALF_UP))


def rating_of(scores: Iterable[int]) -> CqcRating | None:
    """The rating a set of quality statement scores gives (None when there are none).

    Scores 2, 2, 3, 2, 3, 2, 2, 2, 3 total 21 of 36: 58.3%, requires improvement.
    """
    found = [int(score) for score in scores]
    if not found:
        return None
    total, maximum = sum(found), MOST * len(found)
    whole = whole_percent(total, maximum)
    rating = next(name for name, lowest in CQC_RATINGS if whole >= lowest)
    return CqcRating(total, maximum, round(100 * total / maximum, 1), rating, len(found))


def parse_score(value: object) -> int:
    """A quality statement score: a whole number from 1 to 4."""
    text = str(value).strip().removesuffix(".0")
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= MOST:
        raise ValueError(f"{str(value).strip()!r} is not a score from 1 to {MOST}")
    return int(text)


def cqc_source_problem(source_id: str, kind: str | None) -> str | None:
    """Why a source cannot hold CQC scores (missing, or not a CQC assessment), or None."""
    if kind is None:
        return f"there is no source {source_id!r}"
    if kind != "cqc_assessment":
        return (
            f"source {source_id!r} is {with_article(kind)} source; only a cqc_assessment "
            "has quality statement scores"
        )
    return None
