"""CQC assessment scores: each quality statement's score, the rating bands, and the work tagged with it."""

from __future__ import annotations

import pandas as pd

from ...cqc import MOST, rating_of
from ...history import to_timestamp
from ...vocab import CQC_RATINGS, QUALITY_STATEMENTS_BY_THEME, word
from ..context import ReportContext, Section, figure
from ..html import Markup, Table, day, rag_badge, recommendation_anchor, text

#: What each score means, in the CQC's words.
SCORE_WORDS: dict[int, str] = {
    1: "significant shortfalls",
    2: "some shortfalls",
    3: "a good standard",
    4: "an exceptional standard",
}


def assessments(ctx: ReportContext) -> pd.DataFrame:
    """The CQC assessments known at the quarter's end that hold scores, newest first."""
    sources = ctx.data.sources
    scored = set(ctx.data.cqc_scores["source_id"])
    found = sources[(sources["kind"] == "cqc_assessment") & sources["id"].isin(scored)]
    end = to_timestamp(ctx.quarter.end)
    found = found[found["received_on"].isna() | (found["received_on"] <= end)]
    return found.sort_values(["received_on", "id"], ascending=False, na_position="last")


def bands_table(percent_whole: int) -> Table:
    """The published rating bands, the assessment's own marked in words (not colour alone)."""
    bounds = [lowest for _, lowest in CQC_RATINGS]
    rows = []
    for index, (rating, lowest) in enumerate(CQC_RATINGS):
        highest = 100 if index == 0 else bounds[index - 1] - 1
        within = lowest <= percent_whole <= highest
        rows.append([word(rating), f"{lowest}% to {highest}%", "This assessment" if within else ""])
    return Table(
        "CQC rating bands: the total score as a percentage of the maximum",
        ["Rating", "Percentage", "Where this assessment falls"],
        rows,
    )


def _tagged(ctx: ReportContext, statement: str) -> Markup:
    """The recommendations tagged with a statement, each linked to its place in the appendix
    (where its text and its actions' titles are), with its actions' RAG."""
    recommendations = ctx.data.recommendations
    tagged = recommendations[recommendations["quality_statement"] == statement].sort_values("id")
    if tagged.empty:
        return Markup("None tagged")
    actions = ctx.current
    parts = []
    for recommendation in tagged.itertuples(index=False):
        under = actions[actions["recommendation_id"] == recommendation.id].sort_values("id")
        listed = ", ".join(
            f'<span class="nowrap">{text(row.id)} {rag_badge(row.rag)}</span>'
            for row in under.itertuples(index=False)
        )
        parts.append(
            f'<li><a href="#{recommendation_anchor(recommendation.id)}">{text(recommendation.id)}'
            f"</a>: {listed or 'no actions yet'}</li>"
        )
    return Markup(f'<ul class="tagged">{"".join(parts)}</ul>')


def _assessment(ctx: ReportContext, source: object) -> str:
    scores = ctx.data.cqc_scores
    mine = scores[scores["source_id"] == source.id].set_index("quality_statement")["score"]
    rating = rating_of(int(score) for score in mine)
    if rating is None:
        return ""
    received = f", received {day(source.received_on)}" if pd.notna(source.received_on) else ""
    rows = []
    for theme, statements in QUALITY_STATEMENTS_BY_THEME.items():
        for statement in statements:
            if statement not in mine.index:
                continue
            score = int(mine[statement])
            rows.append(
                [
                    statement,
                    theme,
                    Markup(f"{score} of {MOST}: {text(SCORE_WORDS[score])}"),
                    _tagged(ctx, statement),
                ]
            )
    whole = round(rating.percent)
    summary = (
        f"<p>Total score {figure('cqc-total', rating.total, str(rating.total))} of "
        f"{rating.maximum} ({rating.statements} quality statements scored): "
        f"{figure('cqc-percent', rating.percent, f'{rating.percent:.1f}%')}, rated "
        f"<strong>{figure('cqc-rating', rating.rating, word(rating.rating))}</strong>.</p>"
    )
    scores_table = Table(
        f"Scores by quality statement, and the recommendations and actions tagged with each, "
        f"at {day(ctx.quarter.end)}",
        ["Quality statement", "Theme", "Score", "Recommendations and actions tagged with it"],
        rows,
    )
    return (
        f"<h3>{text(source.id)}: {text(source.title)}{text(received)}</h3>"
        + summary
        + bands_table(whole).to_html()
        + scores_table.to_html()
    )


def cqc_scores(ctx: ReportContext) -> Section:
    """The CQC's scores for each quality statement, the rating they give, and the work on each."""
    found = [_assessment(ctx, source) for source in assessments(ctx).itertuples(index=False)]
    body = "".join(found) or (
        '<p class="none">No CQC assessment scores are recorded yet '
        "(`actionplan add-cqc-score`, or a CQC scores sheet).</p>"
    )
    return ctx.section("cqc_scores", body)
