"""The report as a director reads it: on a phone, on a desktop, by keyboard, and printed to PDF.

One quarter of the demo plan, with commentary, is rendered once for the
module with `--pdf`; the browser tests open it in Debian's Chromium at 390
and 1,280 px (and 1,024 and 1,440 for screenshots, saved in the test's tmp
folder), and the PDF tests read the PDF with poppler (`pdftotext`,
`pdfinfo`, `pdftoppm`, which turns every page into a PNG to look at).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.quarters import parse_quarter
from actionplan.report.index import write_index
from actionplan.report.render import render_report
from actionplan.store import Store
from actionplan.store.commentary import write_commentary
from actionplan.store.queries import resolve_quarter

from .conftest import CHROMIUM

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="needs Debian's poppler-utils (apt-get install poppler-utils)"
)
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"
)
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path) -> dict:
    """The demo plan's latest quarter with commentary, as HTML and PDF, and the index page."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's /usr/bin/chromium (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("devices")
    db = folder / "demo.db"
    shutil.copy(demo_db_template, db)
    store = Store(db)
    quarter = resolve_quarter(store, "latest").label
    write_commentary(store, quarter, "overview", "A steady quarter.\n\nThree to watch.", "Director")
    write_commentary(store, quarter, "exceptions", "Recovery plans are agreed.", "Director")
    html = render_report(store, quarter, folder / "reports", pdf=True)
    index = write_index(store, folder / "reports")
    store.close()
    summary = CliRunner().invoke(cli, ["--db", str(db), "summary", "--quarter", quarter, "--json"])
    return {
        "db": db,
        "quarter": quarter,
        "html": html,
        "pdf": html.with_suffix(".pdf"),
        "index": index,
        "summary": json.loads(summary.stdout),
    }


def _page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


#: For every table: is it stacked into cards, are its header and body cells in view, and
#: does a table that scrolls show its cue. Returns the problems found.
TABLE_PROBLEMS = """() => {
  const width = window.innerWidth;
  const problems = [];
  const inView = (r) => r.left >= -0.5 && r.right <= width + 0.5;
  for (const table of document.querySelectorAll('main table')) {
    const name = table.caption ? table.caption.textContent : '?';
    const heads = [...table.querySelectorAll('thead th')];
    const stacked = getComputedStyle(table).display === 'block';
    const box = table.closest('.table-scroll');
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (stacked) {
      for (const row of table.querySelectorAll('tbody tr, tfoot tr')) {
        [...row.children].forEach((cell, index) => {
          if (!inView(cell.getBoundingClientRect())) problems.push(`${name}: cell out of view`);
          if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`${name}: cell clipped`);
          if (index > 0 && cell.tagName === 'TD') {
            const label = getComputedStyle(cell, '::before');
            if (label.display === 'none' || cell.dataset.label !== heads[index].textContent)
              problems.push(`${name}: cell ${index} has no visible label`);
          }
        });
      }
    } else {
      const first = heads[0].getBoundingClientRect();
      const last = heads[heads.length - 1].getBoundingClientRect();
      const cue = getComputedStyle(box).backgroundImage.includes('gradient');
      if (!(inView(first) && inView(last)) && !(scrolls && cue))
        problems.push(`${name}: first or last column out of view with no scroll cue`);
    }
  }
  return problems;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_keeps_its_columns_in_view(printed: dict, browser, width: int) -> None:
    page = _page(browser, printed["html"], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(TABLE_PROBLEMS) == []
    stacked = page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".map(t => [t.tHead.rows[0].cells.length, getComputedStyle(t).display === 'block'])"
    )
    if width == 390:
        assert all(is_stacked == (columns >= 4) for columns, is_stacked in stacked)
    else:
        assert not any(is_stacked for _columns, is_stacked in stacked)
        assert (
            page.evaluate(
                "[...document.querySelectorAll('.table-scroll')]"
                ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
            )
            == 0
        )
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_at_least_12px_as_rendered(printed: dict, browser, width: int) -> None:
    page = _page(browser, printed["html"], width)
    charts = page.evaluate(
        "[...document.querySelectorAll('figure.chart img')]"
        ".map(img => [img.currentSrc, img.src, img.getBoundingClientRect().width])"
    )
    assert len(charts) == 4
    for current, wide, shown_width in charts:
        assert (current != wide) == (width == 390), "the phone drawing is chosen on a phone only"
        svg = base64.b64decode(current.split(",", 1)[1]).decode("utf-8")
        view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]
        smallest = min(sizes) * shown_width / view_width
        assert smallest >= 12, f"chart text is {smallest:.1f} px at {width} px"
        assert "…" not in svg
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", (390, 1024, 1280, 1440))
def test_report_is_axe_clean_at_every_width(printed: dict, browser, width: int, tmp_path: Path):
    from axe_playwright_python.sync_playwright import Axe

    page = _page(browser, printed["html"], width)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in violations] == []
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
    page.screenshot(path=str(tmp_path / f"report-{width}-top.png"))
    index = _page(browser, printed["index"], width)
    assert [(v["id"], v["impact"]) for v in Axe().run(index).response["violations"]] == []
    index.screenshot(path=str(tmp_path / f"index-{width}.png"), full_page=True)
    assert (tmp_path / f"report-{width}.png").stat().st_size > 0
    page.close()
    index.close()


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
def test_skip_link_skips_the_contents_and_every_focus_ring_shows(printed: dict, browser) -> None:
    page = _page(browser, printed["html"], 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " const r = e.getBoundingClientRect();"
        " return [e.className, e.getAttribute('href'), s.outlineStyle, s.outlineWidth,"
        " s.outlineColor, r.left >= 0 && r.top >= 0]; })()"
    )
    assert focused[:2] == ["skip-link", "#overview"] and focused[5]
    assert focused[2] == "solid" and float(focused[3].removesuffix("px")) >= 2
    assert _contrast(focused[4], "rgb(255, 255, 255)") >= 3
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#overview"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('nav.contents')") is False
    # Every tab stop, in order: the skip link, the contents, and the CQC scores' links to
    # the appendix; no table's box.
    page.goto(printed["html"].as_uri())
    page.wait_for_load_state("load")
    stops = []
    for _ in range(200):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.tagName, e.className, s.outlineStyle, s.outlineColor]; })()"
        )
        if stop[0] == "BODY" or (stops and stop == stops[0]):
            break
        stops.append(stop)
    assert all(tag == "A" for tag, *_ in stops), stops
    contents = page.locator("nav.contents a").count()
    assert contents == 11  # every section after the title, the Assurance part (SPEC 8) too
    assert len(stops) == 1 + contents + page.locator("#cqc-scores a").count()
    for _tag, _class, style, colour in stops:
        assert style == "solid" and _contrast(colour, "rgb(255, 255, 255)") >= 3
    page.close()


@pytest.mark.browser
def test_index_shows_every_quarter_and_its_figures_on_a_phone(printed: dict, browser) -> None:
    page = _page(browser, printed["index"], 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TABLE_PROBLEMS) == []
    link = page.locator(f'a[href="{printed["quarter"]}/{printed["html"].name}"]')
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert parse_quarter(printed["quarter"]).in_words() in link.inner_text()
    pdf = page.locator(f'a[href="{printed["quarter"]}/{printed["pdf"].name}"]')
    assert pdf.inner_text().startswith("(PDF")
    page.close()


# -- the PDF ---------------------------------------------------------------------------


def _pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pdf_info(pdf: Path) -> dict[str, str]:
    found = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in found.stdout.splitlines() if ":" in line)


def _shown_after(lines: list[str], label: str, value: str) -> bool:
    """True when `value` is printed under `label` in pdftotext's layout (same column)."""
    for number, line in enumerate(lines):
        column = line.find(label)
        if column < 0:
            continue
        for below in lines[number + 1 : number + 4]:
            for found in re.finditer(r"\S+", below):
                if abs(found.start() - column) <= 3 and found.group() == value:
                    return True
    return False


@needs_poppler
def test_pdf_has_title_tags_page_numbers_and_the_headline_figures(printed: dict) -> None:
    pdf = printed["pdf"]
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")
    info = _pdf_info(pdf)
    soup = BeautifulSoup(printed["html"].read_text(encoding="utf-8"), "html.parser")
    assert info["Title"].strip() == soup.title.get_text()
    assert info["Tagged"].strip() == "yes"
    assert "(A4)" in info["Page size"]
    pages = int(info["Pages"])
    text = _pdf_text(pdf, "-layout")
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text
    assert text.count(parse_quarter(printed["quarter"]).in_words()) >= pages
    lines = text.splitlines()
    actions = printed["summary"]["actions"]
    rate = actions["on_time_rate"]
    for label, value in [
        ("Actions in the plan", str(actions["total"])),
        ("Mean progress", f"{actions['mean_progress']:.1f}%"),
        ("Overdue", str(actions["overdue"])),
        ("Slipped past baseline", str(actions["slipped"])),
        ("Completed this quarter", str(actions["completed_in_quarter"])),
        ("Completed on time", "–" if rate is None else f"{rate * 100:.0f}%"),
    ]:
        assert _shown_after(lines, label, value), label
    by_rag = actions["by_rag"]
    assert re.search(
        rf"Red {by_rag['red']}\s+Amber {by_rag['amber']}\s+Green {by_rag['green']}\s+"
        rf"Not started {by_rag['not_started']}\s+Complete {by_rag['complete']}",
        text,
    )
    assert "Contents" in text and "A steady quarter." in text and "Three to watch." in text


@needs_poppler
def test_pdf_prints_each_total_once_and_no_page_ends_on_a_heading(printed: dict) -> None:
    soup = BeautifulSoup(printed["html"].read_text(encoding="utf-8"), "html.parser")
    text = _pdf_text(printed["pdf"], "-layout")
    totals = [line for line in text.splitlines() if re.match(r"^\s*Total\s+\d", line)]
    assert len(totals) == len(soup.find_all("tfoot")) > 0
    headings = {tag.get_text().strip() for tag in soup.find_all(["h2", "h3", "h4"])}
    pages = int(_pdf_info(printed["pdf"])["Pages"])
    for number in range(1, pages):
        page = _pdf_text(printed["pdf"], "-f", str(number), "-l", str(number))
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if f"Page {number} of" not in line]
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"


@needs_poppler
def test_pdf_charts_are_vectors_with_selectable_text(printed: dict, tmp_path: Path) -> None:
    raw = printed["pdf"].read_bytes()
    images = [
        (int(width), int(height))
        for width, height in re.findall(rb"/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)", raw)
    ]
    # Only the RAG swatches beside words (CSS patterns, 14 px) are bitmaps.
    assert all(width <= 32 and height <= 32 for width, height in images), images
    text = _pdf_text(printed["pdf"])
    assert "Number of actions" in text and "Actions at quarter end" in text
    assert re.search(r"Q1\s+25/26", text)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(printed["pdf"]), str(tmp_path / "page")], check=True
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == int(_pdf_info(printed["pdf"])["Pages"])
    assert all(png.stat().st_size > 1000 for png in pngs)


def test_pdf_without_chromium_is_one_line_and_writes_nothing(
    printed: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("ACTIONPLAN_CHROMIUM", raising=False)
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        cli,
        ["--db", str(printed["db"]), "report", "--quarter", "latest", "--out", str(out), "--pdf"],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a PDF needs Chromium, which was not found: install it (Debian or Ubuntu: "
        "apt-get install chromium) or set ACTIONPLAN_CHROMIUM to its path\n"
    )
    assert not out.exists()


@needs_chromium
def test_report_all_pdf_prints_every_quarter(tmp_path: Path) -> None:
    from .report_plan import build_report_plan

    db = build_report_plan(tmp_path / "plan.db")
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "report", "--all", "--out", str(out), "--pdf"]
    )
    assert result.exit_code == 0, result.stderr
    pages = [Path(line) for line in result.stdout.split() if line.endswith(".html")]
    quarters = [page for page in pages if page.name != "index.html"]
    assert len(quarters) >= 2
    for page in quarters:
        assert page.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
