"""The workbook notebook as papermill runs it and as a notebook reader sees it.

The browser tests (Voila through `actionplan workbook`, and JupyterLab) are in
`test_workbook_browser.py`.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from actionplan.store import Store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "update_actions.ipynb"
HAS_DEMO = (
    importlib.util.find_spec("actionplan.demo") is not None
    and (ROOT / "data" / "demo" / "actions.csv").exists()
)


def officer_plan(path: Path) -> Path:
    """A small fictional plan dated around the real today (Voila runs on the real clock)."""
    today = date.today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    store = Store(path)
    store.initialise(council="Westbury Council")
    store.add_source({"id": "S1", "kind": "peer_review", "title": "LGA Corporate Peer Challenge"})
    store.add_source({"id": "S2", "kind": "cqc_assessment", "title": "CQC assessment"})
    store.add_recommendation(
        {"id": "R1", "source_id": "S1", "text": "Reduce waiting times for Care Act assessments",
         "quality_statement": "Assessing needs", "priority": "high"}
    )  # fmt: skip
    store.add_recommendation(
        {"id": "R2", "source_id": "S2", "text": "Strengthen safeguarding oversight",
         "quality_statement": "Safeguarding", "priority": "medium"}
    )  # fmt: skip
    actions = [
        ("A-001", "R1", "Triage new referrals within 5 working days", "Head of Assessment",
         "Assessment", 20, "on_track", 60),
        ("A-002", "R1", "Recruit two additional social workers", "Principal Social Worker",
         "Workforce", -12, "at_risk", 30),
        ("A-003", "R2", "Quarterly safeguarding audit of closed cases", "Safeguarding Lead",
         "Safeguarding", 90, "on_track", 20),
        ("A-004", "R2", "Publish the safeguarding adults board report", "Safeguarding Lead",
         "Safeguarding", 150, "not_started", 0),
        ("A-005", "R1", "Rewrite financial assessment letters", "Finance Manager", "Finance",
         28, "off_track", 10),
        ("A-006", "R1", "Carers' assessment drop-in sessions", "Carers Lead", "Assessment",
         -40, "complete", None),
        ("A-007", "R2", "Train duty staff on safeguarding thresholds", "Safeguarding Lead",
         "Safeguarding", 60, "at_risk", 45),
    ]  # fmt: skip
    for action_id, recommendation, title, owner, team, due, status, progress in actions:
        store.add_action(
            {"id": action_id, "recommendation_id": recommendation, "title": title,
             "owner": owner, "team": team, "due": day(due), "status": status,
             "progress": progress, "created_on": day(-200)},
            by="Improvement Officer",
        )  # fmt: skip
    store.record_update(
        {"action_id": "A-002", "by": "Improvement Officer", "as_of": day(-100), "progress": 30,
         "note": "Interviews held"}
    )  # fmt: skip
    store.close()
    return path


@pytest.fixture
def workbook_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The demo plan when the demo loader exists, else the small officer plan."""
    if HAS_DEMO:
        return request.getfixturevalue("demo_db")
    return officer_plan(tmp_path / "plan.db")


def test_notebook_runs_top_to_bottom_under_papermill(workbook_db: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / "update_actions.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"db": str(workbook_db), "user": "Papermill Officer"},
        kernel_name="python3",
        progress_bar=False,
        shutdown_kernel="immediate",
        cwd=str(tmp_path),
    )
    cells = json.loads(out.read_text())["cells"]
    outputs = [output for cell in cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output["output_type"] == "error"]
    shown = [output for output in outputs if output["output_type"] == "display_data"]
    assert any("application/vnd.jupyter.widget-view+json" in output["data"] for output in shown)
    assert "Cannot open the plan" not in out.read_text()


def test_notebook_shows_one_cell_of_code_over_the_package() -> None:
    import papermill

    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == {"db", "user"}
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "code"]
    assert cells[1]["metadata"]["tags"] == ["parameters"]
    assert "".join(cells[2]["source"]).count("\n") <= 2
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")
