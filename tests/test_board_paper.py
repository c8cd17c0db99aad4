"""The board paper: a .docx a council can take to its improvement board as it is."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.store import Store
from actionplan.store.commentary import write_commentary
from actionplan.store.queries import resolve_quarter

COMMENTS = {
    "overview": "Good progress overall.\n\nThree actions need the board's attention.",
    "exceptions": "The amber actions have recovery plans agreed with their owners.",
    "complaints": "Charging complaints fell after the new leaflet.",
}


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path) -> dict:
    """The demo plan with commentary, and its latest quarter's paper, internal and public."""
    folder = tmp_path_factory.mktemp("paper")
    db = folder / "demo.db"
    db.write_bytes(demo_db_template.read_bytes())
    store = Store(db)
    quarter = resolve_quarter(store, "latest").label
    for section, text in COMMENTS.items():
        write_commentary(store, quarter, section, text, "Director of Adult Social Care")
    owners = set(store.current_actions()["owner"])
    complaint_ids = set(store.complaints()["id"])
    store.close()
    written = {}
    for audience in ("internal", "public"):
        out = folder / f"paper-{audience}.docx"
        result = run(
            "--db", str(db), "board-paper", "--quarter", "latest", "--out", str(out),
            "--audience", audience,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == str(out)
        written[audience] = out
    summary = run("--db", str(db), "summary", "--quarter", quarter, "--json")
    return {
        "db": db,
        "quarter": quarter,
        "summary": json.loads(summary.stdout),
        "owners": owners,
        "complaint_ids": complaint_ids,
        **written,
    }


def _text(document: docx.document.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_headings_use_words_built_in_heading_styles(papers: dict) -> None:
    document = docx.Document(str(papers["internal"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert headings[0] == ("Title", "Westbury Council: improvement action plan")
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert level_one == [
        "1. Purpose of the report",
        "2. Recommendations",
        "3. Overview",
        "4. Summary of progress",
        "5. Red and slipped actions",
        "6. Complaints and learning",
        "7. Background papers",
    ]
    assert ("Heading 2", "Slipped actions") in headings
    assert sum(style == "List Number" for style, _ in headings) == 4
    assert document.core_properties.title.startswith("Westbury Council: improvement action plan")
    assert document.core_properties.language == "en-GB"


def test_figures_equal_summary_json(papers: dict) -> None:
    document = docx.Document(str(papers["internal"]))
    actions = papers["summary"]["actions"]
    figures = document.tables[1]
    assert [cell.text for cell in figures.rows[0].cells][:2] == ["Figure", papers["quarter"]]
    shown = {row.cells[0].text: row.cells[1].text for row in figures.rows[1:]}
    rate = actions["on_time_rate"]
    assert shown == {
        "Actions in the plan": str(actions["total"]),
        "Open": str(actions["open"]),
        "Overdue": str(actions["overdue"]),
        "Slipped past baseline": str(actions["slipped"]),
        "Completed this quarter": str(actions["completed_in_quarter"]),
        "Completed on time": "–" if rate is None else f"{rate * 100:.0f}%",
        "Mean progress": f"{actions['mean_progress']:.1f}%",
        "Due next quarter": str(actions["due_next_quarter"]),
        "Added this quarter": str(actions["new"]),
    }
    rag = {row.cells[0].text: row.cells[1].text for row in document.tables[2].rows[1:]}
    assert rag == {
        "Red": str(actions["by_rag"]["red"]),
        "Amber": str(actions["by_rag"]["amber"]),
        "Green": str(actions["by_rag"]["green"]),
        "Not started": str(actions["by_rag"]["not_started"]),
        "Complete": str(actions["by_rag"]["complete"]),
        "Verified": str(actions["by_rag"]["verified"]),
    }
    complaints = papers["summary"]["complaints"]
    received = {row.cells[0].text: row.cells[1].text for row in document.tables[-2].rows[1:]}
    assert received["Received: Stage 1"] == str(complaints["received"]["stage1"])
    assert received["Compliments"] == str(complaints["compliments"])


def test_commentary_is_in_the_paper_signed(papers: dict) -> None:
    text = _text(docx.Document(str(papers["internal"])))
    for comment in COMMENTS.values():
        for paragraph in comment.split("\n\n"):
            assert paragraph in text
    assert text.count("Director of Adult Social Care, ") == len(COMMENTS)


def test_every_chart_is_an_image_with_alt_text_stating_its_figures(papers: dict) -> None:
    document = docx.Document(str(papers["internal"]))
    shapes = list(document.inline_shapes)
    assert len(shapes) == 3
    alts = [shape._inline.docPr.get("descr") for shape in shapes]
    assert alts[0].startswith("Bar chart of actions by RAG status for each source.")
    assert alts[1].startswith("Stacked bar chart of actions by RAG status at the end of each")
    assert alts[2].startswith("Stacked bar chart of actions completed in each quarter")
    by_rag = papers["summary"]["actions"]["by_rag"]
    latest = f"{by_rag['red']} red, {by_rag['amber']} amber, {by_rag['green']} green"
    assert latest in alts[1]
    for shape in shapes:
        assert shape.width > 0 and shape.height > 0


def test_public_paper_has_no_owner_names_complaint_ids_or_learning(papers: dict) -> None:
    internal = _text(docx.Document(str(papers["internal"])))
    public = _text(docx.Document(str(papers["public"])))
    assert any(owner in internal for owner in papers["owners"])
    for owner in papers["owners"]:
        assert owner not in public
    for complaint_id in papers["complaint_ids"]:
        assert complaint_id not in public
    assert "What we learned" in internal and "What we learned" not in public


def test_out_must_be_a_docx_file(papers: dict, tmp_path: Path) -> None:
    result = run(
        "--db", str(papers["db"]), "board-paper", "--quarter", "latest",
        "--out", str(tmp_path / "paper.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2 and "--out must name a .docx file" in result.stderr
    assert not (tmp_path / "paper.pdf").exists()
