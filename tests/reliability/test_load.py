"""Load: four processes saving to the same twenty actions, each save naming its version.

What must hold afterwards, on each backend: every save was either accepted or
refused; every accepted save is in history exactly once and no refused one is;
every refusal carried the stale-version message; each action's versions run
1..n without a gap; and each stored current row equals the replay of its events.

Both backends' runs start together (eight processes): the saves are CPU-bound
and SQLite's writes take turns, so running them side by side halves the time
the suite spends here without changing what either run proves.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from actionplan.store import Store, schema

from ..conftest import BACKENDS, ROOT, add_action
from ..pg import server_bin
from ..plan_data import replay_mismatches
from .results import record

WORKERS = 4
SAVES = 250
ACTIONS = 20
STALE = re.compile(
    r"^action L\d\d was changed by Worker \d at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC "
    r"\(version \d+; you started from version \d+\): reload it and apply your change again$"
)


def _plan(url: str) -> Store:
    store = Store(url)
    store.initialise()
    store.add_source({"id": "S1", "kind": "audit", "title": "Internal audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Keep the record whole"})
    for number in range(1, ACTIONS + 1):
        add_action(store, f"L{number:02d}", "2030-03-31", "2024-04-01")
    return store


def _start(url: str, number: int, go: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.workers",
            "load",
            url,
            str(number),
            str(SAVES),
            str(ACTIONS),
            str(go),
            str(out),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def load_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[Store, list[dict]]]]:
    """Run the load on every available backend at once; the stores and each worker's tally."""
    folder = tmp_path_factory.mktemp("load")
    stores = {"sqlite": _plan(f"sqlite:///{folder / 'plan.db'}")}
    cluster, database = None, None
    if server_bin() is not None:
        cluster = request.getfixturevalue("pg_cluster")
    if cluster is not None:
        database = cluster.new_database()
        stores["postgresql"] = _plan(cluster.url(database))
    go = folder / "go"
    outs = {
        backend: [folder / f"{backend}-worker{n}.json" for n in range(WORKERS)]
        for backend in stores
    }
    workers = [
        _start(store.url, number, go, out)
        for backend, store in stores.items()
        for number, out in enumerate(outs[backend])
    ]
    try:
        every = [out for paths in outs.values() for out in paths]
        while not all(Path(f"{out}.ready").exists() for out in every):
            assert all(worker.poll() is None for worker in workers), "a worker died starting"
            time.sleep(0.01)
        go.touch()
        for worker in workers:
            assert worker.wait(600) == 0, worker.stderr.read() if worker.stderr else ""
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    yield {
        backend: (store, [json.loads(out.read_text()) for out in outs[backend]])
        for backend, store in stores.items()
    }
    for store in stores.values():
        store.close()
    if cluster is not None and database is not None:
        cluster.drop_database(database)


@pytest.mark.parametrize("backend", BACKENDS)
def test_four_processes_saving_to_shared_actions_lose_nothing(
    backend: str, load_runs: dict[str, tuple[Store, list[dict]]], request: pytest.FixtureRequest
) -> None:
    if backend not in load_runs:
        request.getfixturevalue("pg_cluster")  # skips with the stated reason
    plan, tallies = load_runs[backend]
    accepted = [token for tally in tallies for token in tally["accepted"]]
    refused = [pair for tally in tallies for pair in tally["refused"]]
    events = plan.events()
    with plan.read() as conn:
        noted = Counter(
            conn.execute(
                select(schema.updates.c.note).where(schema.updates.c.note.like("w%"))
            ).scalars()
        )
    lost = [token for token in accepted if noted[token] == 0]
    doubled = [token for token, count in noted.items() if count > 1]
    refused_but_stored = [token for token, _ in refused if noted[token]]
    wrong_message = [message for _, message in refused if not STALE.match(message)]
    gaps = [
        action_id
        for action_id, versions in events.groupby("action_id")["version"]
        if sorted(versions) != list(range(1, len(versions) + 1))
    ]
    mismatches = replay_mismatches(plan)
    record(
        f"load-{backend}",
        check="load: 4 processes x 250 versioned saves on 20 shared actions",
        backend=backend,
        tried=f"{WORKERS * SAVES} saves: {len(accepted)} accepted, {len(refused)} refused as stale",
        held=(
            f"accepted+refused={len(accepted) + len(refused)}; lost={len(lost)}; "
            f"doubled={len(doubled)}; refused but stored={len(refused_but_stored)}; "
            f"refusals without the stale message={len(wrong_message)}; version gaps={len(gaps)}; "
            f"replay mismatches={len(mismatches)}"
        ),
        attempted=WORKERS * SAVES,
        accepted=len(accepted),
        refused=len(refused),
        lost=len(lost),
        doubled=len(doubled),
        replay_mismatches=len(mismatches),
    )

    assert len(accepted) + len(refused) == WORKERS * SAVES
    assert lost == [] and doubled == [] and refused_but_stored == []
    assert sum(noted.values()) == len(accepted)
    assert wrong_message == []
    assert gaps == []
    assert len(events) == ACTIONS + len(accepted)
    assert mismatches == []
