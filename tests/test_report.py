"""The quarterly report as a manager receives it: rendered by papermill, read as HTML.

The expensive part (rendering every quarter of the demo plan with a real
kernel) is done once per module; the tests then read the files it wrote. The
escaping tests use the small plan of `tests/report_plan.py` with a hostile
action title.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.errors import ReportError
from actionplan.report.parallel import render_all
from actionplan.report.paths import ReportPaths, report_lock
from actionplan.report.render import render_report
from actionplan.store import Store
from actionplan.vocab import RAG_PALETTE, RAG_VALUES, REPORT_SECTIONS

from .report_plan import build_report_plan

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "quarterly_report.ipynb"
SECTION_IDS = (
    "at-a-glance",
    "rag-breakdown",
    "movement",
    "trend",
    "exceptions",
    "completed-and-due",
    "complaints",
    "appendix",
)
HEADLINES = (
    "total",
    "mean_progress",
    "overdue",
    "slipped",
    "completed_in_quarter",
    "on_time_rate",
    "open",
    "due_next_quarter",
    "new",
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path) -> dict:
    """`report --all` and one public report of the demo plan, rendered once for the module."""
    folder = tmp_path_factory.mktemp("report")
    db = folder / "demo.db"
    shutil.copy(demo_db_template, db)
    store = Store(db)
    quarters = [quarter.label for quarter in store.data_quarters()]
    paths = render_all(store, folder / "reports", progress=False)
    latest = quarters[-1]
    public = render_report(store, latest, folder / "public", audience="public")
    store.close()
    return {
        "db": db,
        "out": folder / "reports",
        "quarters": quarters,
        "paths": paths,
        "public": public,
        "folder": folder,
    }


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _summary_json(db: Path, quarter: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", str(db), "summary", "--quarter", quarter, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _report(rendered: dict, quarter: str) -> Path:
    return rendered["out"] / quarter / f"actionplan-{quarter}.html"


def _two_quarters(rendered: dict) -> list[str]:
    return [rendered["quarters"][-1], rendered["quarters"][-2]]


@pytest.mark.parametrize("which", [0, 1])
def test_every_section_present_and_headlines_equal_summary_json(rendered: dict, which: int):
    quarter = _two_quarters(rendered)[which]
    soup = _soup(_report(rendered, quarter))
    for section_id in SECTION_IDS:
        section = soup.find("section", id=section_id)
        assert section is not None, section_id
        assert section.find("h2") is not None
    expected = _summary_json(rendered["db"], quarter)
    assert soup.find(attrs={"data-figure": "quarter"}).get_text() == quarter
    for name in HEADLINES:
        tag = soup.find(attrs={"data-figure": name})
        assert json.loads(tag["data-value"]) == expected["actions"][name], name
    for rag, count in expected["actions"]["by_rag"].items():
        assert json.loads(soup.find(attrs={"data-figure": f"rag-{rag}"})["data-value"]) == count
    for stage, count in expected["complaints"]["received"].items():
        tag = soup.find(attrs={"data-figure": f"received-{stage}"})
        assert tag.get_text() == str(count)
    tag = soup.find(attrs={"data-figure": "compliments"})
    assert tag.get_text() == str(expected["complaints"]["compliments"])


def test_visible_headline_text_matches_the_figure(rendered: dict):
    quarter = rendered["quarters"][-1]
    soup = _soup(_report(rendered, quarter))
    expected = _summary_json(rendered["db"], quarter)["actions"]
    assert soup.find(attrs={"data-figure": "overdue"}).get_text() == str(expected["overdue"])
    rate = expected["on_time_rate"]
    shown = soup.find(attrs={"data-figure": "on_time_rate"}).get_text()
    assert shown == ("–" if rate is None else f"{rate * 100:.0f}%")


def test_report_is_one_accessible_file_with_no_code_and_no_external_links(rendered: dict):
    path = _report(rendered, rendered["quarters"][-1])
    text = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert path.stat().st_size < 1_500_000
    assert soup.html["lang"] == "en-GB"
    assert len(soup.find_all("h1")) == 1
    assert soup.find("script") is None
    assert soup.find("link") is None
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("data:"), tag["src"][:60]
    for tag in soup.find_all(href=True):
        assert tag["href"].startswith("#"), tag["href"]
    assert "report.title(plan)" not in text and "In&nbsp;[" not in text
    assert "injected-parameters" not in text and 'quarter = "' not in text
    levels = [int(tag.name[1]) for tag in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    for table in soup.find_all("table"):
        assert table.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    images = soup.find_all("img")
    assert len(images) >= 4
    for image in images:
        assert re.search(r"\d", image["alt"]), image["alt"]


def test_executed_notebook_is_kept_beside_the_html(rendered: dict):
    quarter = rendered["quarters"][-1]
    notebook = nbformat.read(rendered["out"] / quarter / f"actionplan-{quarter}.ipynb", 4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and quarter in injected[0].source


def test_report_all_writes_an_index_linking_every_quarter(rendered: dict):
    index = rendered["out"] / "index.html"
    assert index in rendered["paths"]
    links = {a["href"] for a in _soup(index).find_all("a")}
    for quarter in rendered["quarters"]:
        assert f"{quarter}/actionplan-{quarter}.html" in links
        assert _report(rendered, quarter).exists()


def test_public_report_has_no_owner_names_and_hides_small_complaint_counts(rendered: dict):
    store = Store(rendered["db"])
    owners = set(store.current_actions()["owner"])
    quarter = rendered["quarters"][-1]
    figures = _summary_json(rendered["db"], quarter)["complaints"]
    store.close()
    text = rendered["public"].read_text(encoding="utf-8")
    for owner in owners:
        assert owner not in text
    soup = BeautifulSoup(text, "html.parser")
    small = [stage for stage, n in figures["received"].items() if 1 <= n <= 4]
    assert small, "the plan should have a complaint count from 1 to 4 in its last quarter"
    for stage in small:
        tag = soup.find(attrs={"data-figure": f"received-{stage}"})
        assert tag.get_text() == "<5"
        assert not tag.has_attr("data-value")
    assert "What we learned" not in text
    # A list of complaint ids per action would let a reader count what `<5` hides.
    store = Store(rendered["db"])
    complaint_ids = set(store.complaints()["id"])
    store.close()
    assert complaint_ids and not any(complaint_id in text for complaint_id in complaint_ids)


def test_plain_papermill_command_runs_the_notebook(rendered: dict, tmp_path: Path):
    quarter = rendered["quarters"][-1]
    output = tmp_path / "out.ipynb"
    result = subprocess.run(
        [str(BIN / "papermill"), str(NOTEBOOK), str(output)]
        + ["-p", "quarter", quarter, "-p", "db", str(rendered["db"])],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = nbformat.read(output, 4)
    html = [
        output.data["text/html"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    assert any(quarter in fragment for fragment in html)
    assert len(html) == len(REPORT_SECTIONS)  # one output per section, the title too


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "actionplan"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **(env or {})},
        **kwargs,
    )


@pytest.fixture
def one_report(rendered: dict, tmp_path: Path) -> dict:
    """A private copy of one rendered quarter, for tests that render again."""
    quarter = rendered["quarters"][-1]
    out = tmp_path / "reports"
    shutil.copytree(rendered["out"] / quarter, out / quarter)
    html = out / quarter / f"actionplan-{quarter}.html"
    return {"db": rendered["db"], "out": out, "quarter": quarter, "html": html}


def test_killed_run_leaves_the_previous_report_and_the_next_run_succeeds(one_report: dict):
    before = one_report["html"].read_bytes()
    folder = one_report["html"].parent
    run = _cli(
        "--db",
        str(one_report["db"]),
        "report",
        "--quarter",
        one_report["quarter"],
        "--out",
        str(one_report["out"]),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(folder.glob(".*.lock")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(folder.glob(".*.lock")), "the run never started"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert one_report["html"].read_bytes() == before
    assert list(folder.glob(".*.lock")), "the killed run should have left its lock"
    again = _cli(
        "--db",
        str(one_report["db"]),
        "report",
        "--quarter",
        one_report["quarter"],
        "--out",
        str(one_report["out"]),
    )
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert out.strip() == str(one_report["html"])
    assert not list(folder.glob(".*.lock")) and not list(folder.glob(".*.running-*"))


def test_failing_notebook_exits_1_with_one_line_naming_the_section(
    one_report: dict, tmp_path: Path
):
    notebook = nbformat.read(NOTEBOOK, 4)
    for cell in notebook.cells:
        if "section-trend" in cell.metadata.get("tags", []):
            cell.source = "raise RuntimeError('the trend data is broken')"
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, broken)
    before = one_report["html"].read_bytes()
    run = _cli(
        "--db",
        str(one_report["db"]),
        "report",
        "--quarter",
        one_report["quarter"],
        "--out",
        str(one_report["out"]),
        env={"ACTIONPLAN_REPORT_NOTEBOOK": str(broken)},
    )
    _out, err = run.communicate(timeout=180)
    assert run.returncode == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert 'section "Trend" failed: RuntimeError: the trend data is broken' in lines[0]
    assert "Traceback" not in err
    assert one_report["html"].read_bytes() == before
    paths = ReportPaths(one_report["html"].parent, one_report["quarter"])
    assert paths.failed.exists()


def _helpers_writing_to(out: Path) -> list[str]:
    """Command lines of running `report.worker` processes writing into `out`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "actionplan.report.worker" in words and str(out.resolve()) in words:
            found.append(" ".join(words))
    return found


def test_report_all_on_two_processes_fails_with_one_error_and_stops_its_helper(
    rendered: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    notebook = nbformat.read(NOTEBOOK, 4)
    for cell in notebook.cells:
        if "section-trend" in cell.metadata.get("tags", []):
            cell.source = "raise RuntimeError('the trend data is broken')"
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, broken)
    monkeypatch.setenv("ACTIONPLAN_REPORT_NOTEBOOK", str(broken))
    out = tmp_path / "reports"
    shutil.copytree(rendered["out"], out)
    before = {path: path.read_bytes() for path in out.rglob("*.html")}
    store = Store(rendered["db"])
    with pytest.raises(ReportError) as raised:
        render_all(store, out, progress=False, workers=2)
    store.close()
    message = str(raised.value)
    assert "\n" not in message
    assert 'section "Trend" failed: RuntimeError: the trend data is broken' in message
    failed = re.search(r"kept at (\S+\.failed\.ipynb)", message)
    assert failed and Path(failed.group(1)).exists(), message
    assert Path(failed.group(1)).parent.name in rendered["quarters"]
    assert {path: path.read_bytes() for path in out.rglob("*.html")} == before
    assert not list(out.rglob(".*.lock")) and not list(out.rglob(".*.running-*"))
    assert not _helpers_writing_to(out)


def test_a_live_lock_refuses_a_second_run(tmp_path: Path):
    lock = tmp_path / ".lock"
    with report_lock(lock), pytest.raises(ReportError, match="another run"), report_lock(lock):
        pass
    assert not lock.exists()


def test_a_stale_lock_is_taken_over(tmp_path: Path):
    lock = tmp_path / ".lock"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import socket

    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname()}))
    with report_lock(lock):
        assert json.loads(lock.read_text())["pid"] == os.getpid()


# -- in a real browser ---------------------------------------------------------------

XSS = "<img src=x onerror=alert(1)>"


def _open(browser, path: Path, width: int) -> tuple:
    """Open a report from file://, recording console errors, dialogs and requests elsewhere."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))

    def on_dialog(dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def route(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen["requests"].append(url)
            route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.browser
def test_report_in_chromium_is_self_contained_accessible_and_fits_a_phone(
    rendered: dict, browser, tmp_path: Path
):
    from axe_playwright_python.sync_playwright import Axe

    path = _report(rendered, rendered["quarters"][-1])
    page, seen = _open(browser, path, 400)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["impact"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.screenshot(path=str(tmp_path / "report-400.png"), full_page=True)
    assert (tmp_path / "report-400.png").stat().st_size > 0
    assert seen["errors"] == []
    assert seen["requests"] == []
    page.close()


@pytest.mark.browser
def test_index_page_opens_without_errors_or_requests(rendered: dict, browser):
    page, seen = _open(browser, rendered["out"] / "index.html", 400)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert seen["errors"] == [] and seen["requests"] == []
    page.close()


@pytest.fixture(scope="module")
def xss_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    store = Store(build_report_plan(folder / "plan.db", xss_title=XSS))
    path = render_report(store, "2024-25-Q3", folder / "reports")
    store.close()
    return path


def test_user_text_is_escaped(xss_report: Path):
    soup = _soup(xss_report)
    assert not soup.find("img", src="x")
    assert soup.find(string=lambda value: value and XSS in value) is not None


@pytest.mark.browser
def test_user_text_opens_no_dialog_in_chromium(xss_report: Path, browser):
    page, seen = _open(browser, xss_report, 1280)
    page.wait_for_timeout(300)
    assert seen["dialogs"] == []
    assert XSS in page.inner_text("#appendix")
    page.close()


def test_report_css_and_charts_use_the_one_rag_palette(rendered: dict):
    page = _report(rendered, rendered["quarters"][-1]).read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    css = soup.find("style").text
    charts = [
        base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8")
        for img in soup.select("figure.chart img")
    ]
    trend = next(svg for svg in charts if "Not started" in svg and "Q" in svg)
    for rag in RAG_VALUES:
        fill = RAG_PALETTE[rag].fill
        assert f"--{rag.replace('_', '-')}: {fill};" in css, rag
        # matplotlib writes colours in lower case: in styles, or as a hatch pattern's fill.
        assert re.search(f'fill(: |=")({fill.lower()})', trend), rag


def test_exceptions_name_actions_behind_their_dates_and_not_updated(rendered: dict):
    """SPEC section 9 in the report: one row per action `summary --json` counts, with why."""
    shown_both = False
    for quarter in rendered["quarters"][-4:]:
        figures = _summary_json(rendered["db"], quarter)["actions"]
        soup = _soup(_report(rendered, quarter))
        section = soup.find(id="exceptions")
        counts = {}
        for caption, key in (
            ("Actions reported better than their dates suggest", "behind_schedule"),
            ("Open actions not updated between", "not_updated_in_quarter"),
        ):
            table = next(
                (t for t in section.find_all("table") if t.caption.text.startswith(caption)), None
            )
            counts[key] = len(table.tbody.find_all("tr")) if table else 0
            if table:
                why = [row.find_all("td")[-2].text for row in table.tbody.find_all("tr")]
                assert all("expect" in text or "update" in text for text in why), why
        assert counts == {key: figures[key] for key in counts}, quarter
        shown_both |= all(counts.values())
    assert shown_both, "the demo should show both tables in one of its last quarters"
