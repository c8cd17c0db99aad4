"""In-process measurements, each run as `python -m bench.probe WHAT ...` in its own process.

A probe times only the work it is named after (not Python's start-up or
imports; the end-to-end rows time those), then prints one JSON line. Running
each probe as a new process gives every measurement its own peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

#: The plan's CSV files, in the order their references need them.
KINDS: tuple[str, ...] = (
    "sources",
    "recommendations",
    "actions",
    "updates",
    "complaints",
    "compliments",
)


def import_plan(db: Path, folder: Path) -> dict[str, Any]:
    """Create `db` and import the six CSV files of `folder` into it, in dependency order."""
    from actionplan.spreadsheets import import_file
    from actionplan.store import Store

    store = Store(db)
    store.initialise(council="Bench Council")
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for kind in KINDS:
        path = folder / f"{kind}.csv"
        if path.exists():
            counts.update(import_file(store, path, kind=kind, by="bench"))
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": seconds, "rows": sum(counts.values()), "counts": counts}


def summary(db: Path, quarter: str | None) -> dict[str, Any]:
    """One quarter's figures as `actionplan summary` works them out (the columnar copy)."""
    from actionplan.store import cache, open_store
    from actionplan.store.queries import latest_quarter, quarter_summaries

    store = open_store(db)
    started = time.perf_counter()
    chosen = latest_quarter(store) if quarter is None else store_quarter(store, quarter)
    figures = quarter_summaries(store, [chosen])[0]
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "quarter": chosen.label,
        "events": cache.event_copy(store).count,
        "total": figures["actions"]["total"],
    }


def summary_replay(db: Path, quarter: str | None) -> dict[str, Any]:
    """Load the plan and replay it (the path before the columnar copy, held equal to it)."""
    from actionplan.rules import FIGURE_FIELDS
    from actionplan.store import open_store
    from actionplan.store.queries import latest_quarter, load_plan
    from actionplan.summary import quarter_summary

    store = open_store(db)
    started = time.perf_counter()
    data = load_plan(store, fields=FIGURE_FIELDS)
    loaded = time.perf_counter()
    chosen = data.quarter(quarter) if quarter else latest_quarter(store)
    figures = quarter_summary(data, chosen)
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "load_seconds": loaded - started,
        "figures_seconds": done - loaded,
        "quarter": chosen.label,
        "events": len(data.events),
        "total": figures["actions"]["total"],
    }


def store_quarter(store: Any, text: str) -> Any:
    from actionplan.store.queries import resolve_quarter

    return resolve_quarter(store, text)


def summary_all(db: Path) -> dict[str, Any]:
    """The figures of every quarter that has data, from the columnar copy."""
    from actionplan.store import open_store
    from actionplan.store.queries import quarter_summaries

    store = open_store(db)
    started = time.perf_counter()
    quarters = store.data_quarters()
    quarter_summaries(store, quarters)
    return {
        "seconds": time.perf_counter() - started,
        "quarters": len(quarters),
        "first": quarters[0].label if quarters else None,
        "last": quarters[-1].label if quarters else None,
    }


def copy_build(db: Path) -> dict[str, Any]:
    """Build the plan's columnar copy from nothing (the first summary after an import)."""
    from actionplan.store import cache, open_store

    store = open_store(db)
    for place in cache.locations(store):
        place.unlink(missing_ok=True)
    started = time.perf_counter()
    copy = cache.event_copy(store)
    return {"seconds": time.perf_counter() - started, "events": copy.count}


def saves(db: Path, count: int, seed: int) -> dict[str, Any]:
    """Time `count` workbook saves: the officer's form read, then a versioned update.

    Each save is what the workbook's Save button does: read the action's
    current row (its version), then `record_update` with `expected_version`
    (validation, replay of that action, versioned write, history append).
    Open actions get +5% progress and a note; complete or cancelled ones a note.
    """
    from sqlalchemy import select

    from actionplan.store import open_store, schema

    store = open_store(db)
    with store.read() as conn:
        ids = list(
            conn.execute(select(schema.actions.c.id).order_by(schema.actions.c.id)).scalars()
        )
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    timings: list[float] = []
    for number, action_id in enumerate(chosen):
        started = time.perf_counter()
        current = store.get_action(action_id)
        values: dict[str, Any] = {
            "action_id": action_id,
            "by": "Bench Officer",
            "note": f"benchmark save {number}",
        }
        if current["status"] not in ("complete", "cancelled"):
            values["progress"] = min(99, int(current["progress"]) + 5)
        store.record_update(values, expected_version=current["version"])
        timings.append(time.perf_counter() - started)
    return {"timings": timings, "actions": len(ids)}


def main(argv: list[str] | None = None) -> None:
    """Parse the probe's arguments, run it, print its JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("import")
    p.add_argument("db", type=Path)
    p.add_argument("folder", type=Path)
    p = sub.add_parser("summary")
    p.add_argument("db", type=Path)
    p.add_argument("--quarter", default=None)
    p = sub.add_parser("summary-replay")
    p.add_argument("db", type=Path)
    p.add_argument("--quarter", default=None)
    p = sub.add_parser("summary-all")
    p.add_argument("db", type=Path)
    p = sub.add_parser("copy-build")
    p.add_argument("db", type=Path)
    p = sub.add_parser("saves")
    p.add_argument("db", type=Path)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.what == "import":
        result = import_plan(args.db, args.folder)
    elif args.what == "summary":
        result = summary(args.db, args.quarter)
    elif args.what == "summary-replay":
        result = summary_replay(args.db, args.quarter)
    elif args.what == "summary-all":
        result = summary_all(args.db)
    elif args.what == "copy-build":
        result = copy_build(args.db)
    else:
        result = saves(args.db, args.count, args.seed)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
