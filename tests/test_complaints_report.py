"""The annual complaints report (SPEC section 10): its numbers are `complaints --year --json`'s,
it is one accessible file, and the public version hides counts from 1 to 4.

The demo plan's last full financial year is rendered once per module, for
both audiences, through `actionplan complaints-report`; the tests read the
files. Screenshots at 390, 1,024 and 1,440 px are saved in the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import ReportError
from actionplan.store import Store

from .test_report_devices import TABLE_PROBLEMS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "annual_complaints_report.ipynb"
SECTION_IDS = (
    "at-a-glance",
    "received",
    "outcomes",
    "timeliness",
    "ombudsman",
    "learning",
    "trends",
    "definitions",
)
#: Figures the page must show, by their place in the JSON.
REQUIRED = (
    "received_total",
    "received.stage1",
    "received.stage2",
    "received.ombudsman",
    "well_founded",
    "referred_to_ombudsman",
    "upheld_rate",
    "responses_due",
    "responded_on_time",
    "responded_late",
    "response_outstanding",
    "acknowledged_on_time_rate",
    "timeliness_by_procedure.corporate.stage1.responses_due",
    "ombudsman_letter.detailed_investigations",
    "ombudsman_letter.upheld_rate",
    "ombudsman_letter.remedied_before_rate",
    "ombudsman_letter.compliance_rate",
    "ombudsman_letter.late_rate",
    "compliments",
)


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def annual(tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path) -> dict:
    """The demo's previous financial year, rendered for both audiences, and its JSON."""
    folder = tmp_path_factory.mktemp("annual")
    db = folder / "demo.db"
    shutil.copy(demo_db_template, db)
    pages = {}
    for audience in ("internal", "public"):
        result = invoke("--db", str(db), "complaints-report", "--year", "previous",
                        "--out", str(folder / "reports"), "--audience", audience)  # fmt: skip
        assert result.exit_code == 0, result.output
        pages[audience] = Path(result.stdout.strip())
    figures = json.loads(
        invoke("--db", str(db), "complaints", "--year", "previous", "--json").stdout
    )
    return {"db": db, "folder": folder, "pages": pages, "figures": figures}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _at(figures: dict, path: str) -> Any:
    found: Any = figures
    for key in path.split("."):
        found = found[key]
    return found


def test_report_is_written_beside_the_quarters_with_its_notebook(annual: dict) -> None:
    year = annual["figures"]["year"]
    assert annual["pages"]["internal"] == annual["folder"] / "reports" / year / (
        f"complaints-{year}.html"
    )
    assert annual["pages"]["public"].name == f"complaints-{year}-public.html"
    notebook = nbformat.read(annual["pages"]["internal"].with_suffix(".ipynb"), 4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and year in injected[0].source


def test_every_number_on_the_page_is_the_json_figure(annual: dict) -> None:
    soup = _soup(annual["pages"]["internal"])
    figures = annual["figures"]
    for section_id in SECTION_IDS:
        assert soup.find("section", id=section_id) is not None, section_id
    tagged = soup.find_all(attrs={"data-figure": True, "data-value": True})
    names = {tag["data-figure"] for tag in tagged}
    assert set(REQUIRED) <= names, set(REQUIRED) - names
    for tag in tagged:
        name = tag["data-figure"]
        assert json.loads(tag["data-value"]) == _at(figures, name), name
    # And what a reader sees says the same.
    assert soup.find(attrs={"data-figure": "received_total"}).get_text() == str(
        figures["received_total"]
    )
    rate = figures["ombudsman_letter"]["compliance_rate"]
    shown = soup.find(attrs={"data-figure": "ombudsman_letter.compliance_rate"}).get_text()
    assert shown == f"{rate * 100:.0f}%"


def test_the_demo_year_shows_every_kind_of_figure(annual: dict) -> None:
    figures = annual["figures"]
    letter = figures["ombudsman_letter"]
    assert figures["received_by_procedure"]["corporate"] > 0
    assert figures["responded_late"] > 0 and figures["responded_on_time"] > 0
    assert letter["detailed_investigations"] > 0 and letter["remedies_done"] > 0
    assert figures["actions_arising"] > 0


def test_report_is_one_file_with_no_code_and_no_external_links(annual: dict) -> None:
    path = annual["pages"]["internal"]
    text = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert len(soup.find_all("h1")) == 1
    assert soup.find("script") is None and soup.find("link") is None
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("data:")
    for tag in soup.find_all(href=True):
        assert tag["href"].startswith("#"), tag["href"]
        assert soup.find(id=tag["href"][1:]) is not None, tag["href"]
    assert "report.title(plan)" not in text and 'year = "' not in text
    for table in soup.find_all("table"):
        assert table.find("caption") is not None
    images = soup.find_all("img")
    assert images and all(any(ch.isdigit() for ch in image["alt"]) for image in images)


def test_public_version_shows_counts_from_1_to_4_as_fewer_than_5(annual: dict) -> None:
    internal = _soup(annual["pages"]["internal"])
    text = annual["pages"]["public"].read_text(encoding="utf-8")
    public = BeautifulSoup(text, "html.parser")
    small = [
        tag["data-figure"]
        for tag in internal.find_all(attrs={"data-figure": True, "data-value": True})
        if isinstance(json.loads(tag["data-value"]), int)
        and not isinstance(json.loads(tag["data-value"]), bool)
        and 1 <= json.loads(tag["data-value"]) <= 4
    ]
    assert small, "the demo year should have a count from 1 to 4"
    for name in small:
        for tag in public.find_all(attrs={"data-figure": name}):
            assert tag.get_text() == "<5", name
            assert not tag.has_attr("data-value"), name
    store = Store(annual["db"])
    complaints = store.complaints()
    owners = set(store.current_actions()["owner"])
    store.close()
    assert not any(complaint_id in text for complaint_id in complaints["id"])
    assert not any(ref in text for ref in complaints["lgsco_reference"].dropna())
    assert not any(owner in text for owner in owners)
    assert "You said: what we learned" not in text


@pytest.mark.browser
@pytest.mark.parametrize("width", (390, 1024, 1440))
@pytest.mark.parametrize("audience", ("internal", "public"))
def test_report_is_axe_clean_and_fits_every_width(
    annual: dict, browser, width: int, audience: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(annual["pages"][audience].as_uri())
    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(TABLE_PROBLEMS) == []
    page.screenshot(path=str(tmp_path / f"complaints-{audience}-{width}.png"), full_page=True)
    assert (tmp_path / f"complaints-{audience}-{width}.png").stat().st_size > 0
    page.close()


def test_plain_papermill_command_runs_the_annual_notebook(annual: dict, tmp_path: Path) -> None:
    year = annual["figures"]["year"]
    output = tmp_path / "out.ipynb"
    result = subprocess.run(
        [str(BIN / "papermill"), str(NOTEBOOK), str(output)]
        + ["-p", "year", year, "-p", "db", str(annual["db"])],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    html = [
        out.data["text/html"]
        for cell in nbformat.read(output, 4).cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    assert len(html) == 9
    assert any(f"Annual complaints report {year}" in fragment for fragment in html)


def test_a_failed_section_is_named_and_the_old_report_is_kept(
    annual: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionplan.complaints.render import NOTEBOOK_ENV, render_complaints_report

    out = tmp_path / "reports"
    year = annual["figures"]["year"]
    shutil.copytree(annual["pages"]["internal"].parent, out / year)
    before = (out / year / f"complaints-{year}.html").read_bytes()
    broken = nbformat.read(NOTEBOOK, 4)
    for cell in broken.cells:
        if "section-ombudsman" in cell.metadata.get("tags", []):
            cell.source = "raise ValueError('letter figures unavailable')"
    copy = tmp_path / "broken.ipynb"
    nbformat.write(broken, copy)
    monkeypatch.setenv(NOTEBOOK_ENV, str(copy))
    store = Store(annual["db"])
    try:
        with pytest.raises(ReportError) as caught:
            render_complaints_report(store, year, out)
    finally:
        store.close()
    message = str(caught.value)
    assert message.startswith(
        'report section "The Ombudsman\'s annual letter figures" failed: '
        "ValueError: letter figures unavailable"
    )
    assert (out / year / f"complaints-{year}.html").read_bytes() == before
    assert (out / year / f"complaints-{year}.failed.ipynb").exists()


def test_a_year_far_from_the_plan_is_refused_in_one_line(annual: dict, tmp_path: Path) -> None:
    result = invoke("--db", str(annual["db"]), "complaints-report", "--year", "2010-11",
                    "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "year: 2010-11 is before the plan's first data" in result.stderr
    assert not any(tmp_path.iterdir())


def test_one_small_count_beside_a_shown_total_takes_the_next_smallest_with_it() -> None:
    from actionplan.report.context import AudienceRules

    class Public(AudienceRules):
        audience = "public"

    shown = [str(cell) for cell in Public().breakdown_figures([("a", 80), ("b", 3), ("c", 12)])]
    assert ">80<" in shown[0] and 'data-value="80"' in shown[0]
    assert ">&lt;5<" in shown[1] and "data-value" not in shown[1]
    assert ">withheld<" in shown[2] and "data-value" not in shown[2]
    # Two small counts cannot be told apart from the total: nothing more is withheld.
    shown = [str(cell) for cell in Public().breakdown_figures([("a", 80), ("b", 3), ("c", 2)])]
    assert ">80<" in shown[0]
