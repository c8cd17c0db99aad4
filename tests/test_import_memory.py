"""An import holds each row once: the cells go once cleaned, each update once judged.

At a million update rows (the L plan) the raw cells and the cleaned rows kept
beside the events took the import's peak past 2 GB (docs/performance.md,
"Import memory"). These tests hold the import to letting them go, and to
storing exactly what judging the same updates one at a time stores.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

from actionplan.spreadsheets import importer
from actionplan.spreadsheets.actions import Loader
from actionplan.spreadsheets.rows import Row
from actionplan.store import Store

TODAY = dt.date(2025, 6, 30)
HEADER = "action_id,by,as_of,progress,status,reason,note"
UPDATES = [
    "A1,Officer Held Once,2024-05-31,20,on_track,,",
    "A1,Officer Held Once,2024-08-31,,complete,,",
    "A1,Officer Held Once,2024-07-31,70,,,recorded late",
    "A2,Manager Held Once,2024-06-15,,at risk,,",
    "A1,Officer Held Once,2024-10-15,80,on track,,Reopened after audit",
]


def _with_actions(store: Store) -> Store:
    for number in (1, 2):
        store.add_action(
            {
                "id": f"A{number}",
                "recommendation_id": "R1",
                "title": f"Action {number}",
                "owner": "Head of Service",
                "due": "2025-03-31",
                "created_on": "2024-04-01",
            },
            by="Improvement Officer",
            today=TODAY,
        )
    return store


def _events(store: Store, action_id: str) -> list[dict]:
    """An action's stored events, but for when each was recorded."""
    return [
        {name: value for name, value in event.items() if name != "recorded_at"}
        for event in store.history(action_id)
    ]


def test_import_lets_go_of_cells_and_update_rows_before_settling(
    plan: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_actions(plan)
    path = tmp_path / "updates.csv"
    path.write_text("\n".join([HEADER, *UPDATES]) + "\n", encoding="utf-8")
    seen: dict[str, object] = {}
    read_parts, settle = importer.read_parts, Loader.settle

    def keep_parts(*args, **kwargs):
        seen["parts"] = parts = read_parts(*args, **kwargs)
        return parts

    def count_rows(loader: Loader) -> None:
        seen["rows alive"] = sum(
            isinstance(found, Row) and "Held Once" in str(found.values.get("by"))
            for found in gc.get_objects()
        )
        settle(loader)

    monkeypatch.setattr(importer, "read_parts", keep_parts)
    monkeypatch.setattr(Loader, "settle", count_rows)

    assert importer.import_file(plan, path, today=TODAY) == {"updates": len(UPDATES)}
    assert seen["rows alive"] == 0
    assert [part.sheet.rows for part in seen["parts"]] == [[]]
    assert [event["version"] for event in plan.history("A1")] == [1, 2, 3, 4, 5]


def test_import_releasing_rows_stores_what_one_by_one_updates_store(
    plan: Store, tmp_path: Path
) -> None:
    other = Store(tmp_path / "one-by-one.db")
    other.initialise()
    other.add_source({"id": "S1", "kind": "peer_review", "title": "Peer challenge"})
    other.add_recommendation({"id": "R1", "source_id": "S1", "text": "Reduce waits"})
    _with_actions(plan)
    _with_actions(other)
    path = tmp_path / "updates.csv"
    path.write_text("\n".join([HEADER, *UPDATES]) + "\n", encoding="utf-8")

    importer.import_file(plan, path, today=TODAY)
    for line in UPDATES:
        other.record_update(dict(zip(HEADER.split(","), line.split(","), strict=True)), today=TODAY)

    def comparable(store: Store):
        frame = store.current_actions().drop(columns=["last_updated"])
        return frame.sort_values("id").reset_index(drop=True)

    assert comparable(plan).equals(comparable(other))
    for action_id in ("A1", "A2"):
        assert _events(plan, action_id) == _events(other, action_id), action_id
    other.close()
