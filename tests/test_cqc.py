"""CQC assessment scores: the rating bands, recording a score, import and export, the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.cqc import rating_of
from actionplan.spreadsheets.exporter import export_file
from actionplan.spreadsheets.importer import import_file
from actionplan.store import Store
from actionplan.vocab import QUALITY_STATEMENTS

from .conftest import table_rows

#: The scores the issue works by hand: 21 of 36.
SCORES = (2, 2, 3, 2, 3, 2, 2, 2, 3)


def run(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", store.url, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_scores_totalling_21_of_36_are_58_3_percent_requires_improvement() -> None:
    rating = rating_of(SCORES)
    assert (rating.total, rating.maximum, rating.percent) == (21, 36, 58.3)
    assert rating.rating == "requires_improvement"
    assert rating.statements == 9


@pytest.mark.parametrize(
    "total,rating",
    [
        (9, "inadequate"),  # 25%
        (13, "inadequate"),  # 36.1%
        (14, "requires_improvement"),  # 38.9% rounds to 39%
        (22, "requires_improvement"),  # 61.1%
        (23, "good"),  # 63.9%
        (31, "good"),  # 86.1%
        (32, "outstanding"),  # 88.9%
        (36, "outstanding"),
    ],
)
def test_the_published_bands_are_read_on_whole_percentages(total: int, rating: str) -> None:
    scores = [1] * 9
    for index in range(total - 9):
        scores[index % 9] += 1
    assert sum(scores) == total
    assert rating_of(scores).rating == rating


def test_no_scores_give_no_rating() -> None:
    assert rating_of([]) is None


@pytest.fixture
def assessed(store: Store) -> Store:
    """A CQC assessment with the issue's scores, a peer review, and tagged work."""
    store.add_source({"id": "CQC", "kind": "cqc_assessment", "title": "CQC assessment",
                      "received_on": "2024-09-12"})  # fmt: skip
    store.add_source({"id": "LGA", "kind": "peer_review", "title": "Peer challenge"})
    store.add_recommendation({"id": "R1", "source_id": "CQC", "text": "Faster assessments",
                              "quality_statement": "Assessing needs"})  # fmt: skip
    store.add_action(
        {"id": "A1", "recommendation_id": "R1", "title": "Clear the backlog", "owner": "Head",
         "due": "2025-03-31", "created_on": "2024-10-01", "status": "on_track"},
        by="Officer",
    )  # fmt: skip
    for statement, score in zip(QUALITY_STATEMENTS, SCORES, strict=True):
        code, out, err = run(store, "add-cqc-score", "--source", "CQC",
                             "--quality-statement", statement.upper(), "--score", str(score))  # fmt: skip
        assert code == 0, err
    return store


def test_scores_are_recorded_from_the_cli(assessed: Store) -> None:
    scores = assessed.table("cqc_scores")
    assert sorted(scores["score"]) == sorted(SCORES)
    assert set(scores["quality_statement"]) == set(QUALITY_STATEMENTS)


@pytest.mark.parametrize(
    "args,message",
    [
        (("--source", "LGA", "--quality-statement", "Safeguarding", "--score", "2"),
         "source_id: source 'LGA' is a peer_review source; only a cqc_assessment"),
        (("--source", "NONE", "--quality-statement", "Safeguarding", "--score", "2"),
         "source_id: there is no source 'NONE'"),
        (("--source", "CQC", "--quality-statement", "Safeguarding", "--score", "3"),
         "quality_statement: CQC already scores 'Safeguarding' (2)"),
        (("--source", "CQC", "--quality-statement", "Safeguarding", "--score", "5"),
         "score: '5' is not a score from 1 to 4"),
        (("--source", "CQC", "--quality-statement", "Leadership", "--score", "2"),
         "quality_statement: 'Leadership' is not a quality statement"),
    ],
)  # fmt: skip
def test_a_wrong_score_is_refused_in_one_line(assessed: Store, args: tuple, message: str) -> None:
    before = table_rows(assessed)
    code, out, err = run(assessed, "add-cqc-score", *args)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert message in err
    assert table_rows(assessed) == before


def test_scores_go_out_in_the_workbook_and_come_back(assessed: Store, tmp_path: Path) -> None:
    exported = export_file(assessed, tmp_path / "plan.xlsx")
    copy = Store(tmp_path / "copy.db")
    copy.initialise()
    counts = import_file(copy, exported, by="Officer")
    assert counts["cqc_scores"] == 9
    assert table_rows(copy)["cqc_scores"] == table_rows(assessed)["cqc_scores"]
    # The same workbook brought back into its own plan changes nothing.
    import_file(assessed, exported, by="Officer")
    assert table_rows(copy)["cqc_scores"] == table_rows(assessed)["cqc_scores"]
    copy.close()


def test_a_csv_of_scores_is_checked_row_by_row(assessed: Store, tmp_path: Path) -> None:
    path = tmp_path / "cqc_scores.csv"
    path.write_text(
        "source_id,quality_statement,score\nCQC,Safeguarding,2\nLGA,Safeguarding,9\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception) as caught:
        import_file(assessed, path, by="Officer")
    text = str(caught.value)
    assert "row 2, column quality_statement: CQC already scores 'Safeguarding' (2)" in text
    assert "row 3, column score: '9' is not a score from 1 to 4" in text


def test_the_report_shows_the_rating_and_links_each_score_to_tagged_work(
    assessed: Store,
) -> None:
    from actionplan.report import sections as report
    from actionplan.report.context import from_store

    ctx = from_store(assessed, "2024-25-Q3")
    html = report.cqc_scores(ctx).html
    assert '<span data-figure="cqc-percent" data-value="58.3">58.3%</span>' in html
    assert "Requires improvement" in html and "This assessment" in html
    assert "2 of 4: some shortfalls" in html
    assert 'href="#rec-r1"' in html and "A1" in html
    assert 'id="rec-r1"' in report.appendix(ctx).html
    # Before the assessment was received, the quarter shows no scores.
    before = report.cqc_scores(from_store(assessed, "2024-25-Q1")).html
    assert "No CQC assessment scores are recorded yet" in before
