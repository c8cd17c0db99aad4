"""Separate OS processes for the backup, load and fault tests.

Run as `python -m tests.workers COMMAND ...` from the project root, so each
worker is a real process with its own connections (and can be SIGKILLed). They
coordinate through small files, never through timing.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from actionplan.errors import StaleVersionError
from actionplan.store import Store


def _wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.005)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def write(db: str, progress: str, stop: str, after_stop: str = "10") -> None:
    """Save notes round-robin on A01..A12 until `stop` appears, then `after_stop` more.

    After each committed save the count of saves so far is written to `progress`.
    """
    store = Store(db)
    actions = [f"A{n:02d}" for n in range(1, 13)]
    done = 0
    remaining = None
    while remaining is None or remaining > 0:
        store.record_update(
            {"action_id": actions[done % len(actions)], "by": "Writer", "note": f"w-{done}"}
        )
        done += 1
        _write_atomically(Path(progress), str(done))
        if remaining is None and Path(stop).exists():
            remaining = int(after_stop)
        elif remaining is not None:
            remaining -= 1


def load(db: str, worker: str, saves: str, actions: str, go: str, out: str) -> None:
    """Versioned saves on shared actions: read the version, save expecting it, tally.

    Every save carries a unique note token (`w<worker>-<n>`) so the test can find
    each accepted save in history exactly once.
    """
    store = Store(db)
    pick = random.Random(int(worker))
    ids = [f"L{n:02d}" for n in range(1, int(actions) + 1)]
    accepted: list[str] = []
    refused: list[list[str]] = []
    Path(out + ".ready").touch()
    _wait_for(Path(go))
    for number in range(int(saves)):
        action_id = pick.choice(ids)
        token = f"w{worker}-{number}"
        version = store.get_action(action_id)["version"]
        try:
            store.record_update(
                {
                    "action_id": action_id,
                    "by": f"Worker {worker}",
                    "progress": pick.randrange(0, 100),
                    "note": token,
                },
                expected_version=version,
            )
            accepted.append(token)
        except StaleVersionError as error:
            refused.append([token, str(error)])
    store.close()
    _write_atomically(Path(out), json.dumps({"accepted": accepted, "refused": refused}))


def hold(db: str, ready: str) -> None:
    """Write inside one transaction, announce it, and wait to be killed before committing."""
    store = Store(db)
    with store.write() as conn:
        for number in range(1, 6):
            store.record_update(
                {"action_id": f"A{number:02d}", "by": "Killed writer", "note": "never committed"},
                conn=conn,
            )
        store.add_action(
            {
                "id": "KILLED",
                "recommendation_id": "R1",
                "title": "Never committed",
                "owner": "Nobody",
                "due": "2025-03-31",
                "created_on": "2024-04-01",
            },
            by="Killed writer",
            conn=conn,
        )
        Path(ready).write_text("inside the transaction")
        time.sleep(600)


if __name__ == "__main__":
    {"write": write, "load": load, "hold": hold}[sys.argv[1]](*sys.argv[2:])
