"""The summary from the columnar copy agrees with replay on SPEC section 8 (assurance) too.

A team is registered, so completions need evidence and are verified by a lead
who neither completed nor owns the action. Random sequences of progress,
completions, verifications, rejections and due-date requests (in random
`as_of` order, many refused as the rules say), on SQLite and PostgreSQL: at
every quarter end, the copy's states (with `verified`) equal
`assurance.with_verified` over `history.state_at`, and every figure of
`quarter_summaries` (`verified`, `awaiting_verification`, the quarter's
verifications, rejections and requests, RAG with `verified`) equals
`summary.quarter_summary` over the plan in memory.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from actionplan import assurance
from actionplan.errors import NotPermittedError, ValidationError
from actionplan.store import Store, cache
from actionplan.store.evidence import add_evidence
from actionplan.store.people import add_person

from .histories import (
    BACKENDS,
    START,
    TODAY,
    assert_copy_agrees_with_replay,
    new_store,
    profile,
)

pytestmark = pytest.mark.usefixtures("kept")

TEAM = [
    {"login": "mona", "name": "Mona Manager", "role": "manager"},
    {"login": "leo", "name": "Leo Lead", "role": "lead"},
    {"login": "ola", "name": "Ola Officer", "role": "officer", "owns": "Carers Lead"},
]

steps_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["A1", "A2", "A3"]),
            "day": st.integers(0, (TODAY - START).days),
            "what": st.sampled_from(
                ["progress", "complete", "complete+verify", "complete+reject", "verify", "request"]
            ),
            "value": st.integers(0, 99),
        }
    ),
    max_size=25,
)


def write_history(store: Store, steps: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_source({"id": "S1", "kind": "audit", "title": "Audit"})
    store.add_recommendation({"id": "R1", "source_id": "S1", "text": "Fix it"})
    for action_id in ("A1", "A2", "A3"):
        store.add_action(
            {
                "id": action_id,
                "recommendation_id": "R1",
                "title": "t",
                "owner": "Carers Lead",
                "due": "2025-01-31",
                "created_on": "2024-04-01",
            },
            by="setup",
            today=TODAY,
        )
    monkeypatch.setenv("ACTIONPLAN_USER", "mona")
    for person in TEAM:
        add_person(store, person)
    cache.event_copy(store)  # saved now; every later event reaches it as a refresh
    for number, step in enumerate(steps):
        if number == len(steps) // 2:
            cache.event_copy(store)
        if step["what"].startswith("complete+"):
            complete_step = {**step, "what": "complete"}
            judge_step = {**step, "what": step["what"].removeprefix("complete+")}
            judge_step["day"] = step["day"] + step["value"] % 60
            for one in (complete_step, judge_step):
                do_step(store, one, monkeypatch)
        else:
            do_step(store, step, monkeypatch)


def do_step(store: Store, step: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """One step as its person would take it; one the rules refuse writes nothing."""
    as_of = START + timedelta(days=step["day"])
    action_id = step["action"]
    with contextlib.suppress(ValidationError, NotPermittedError):
        if step["what"] in ("verify", "reject"):
            monkeypatch.setenv("ACTIONPLAN_USER", "leo")
            if step["what"] == "verify":
                store.verify(action_id, as_of=as_of, today=TODAY)
            else:
                due = as_of + timedelta(days=30 + step["value"])
                store.reject(action_id, reason="not done", due=due, as_of=as_of, today=TODAY)
            return
        monkeypatch.setenv("ACTIONPLAN_USER", "ola")
        values: dict = {"action_id": action_id, "by": "ola", "as_of": as_of}
        if step["what"] == "complete":
            add_evidence(store, action_id, "Audit of waiting times", link="https://intranet/a")
            values["status"] = "complete"
        elif step["what"] == "request":
            values["due"] = date(2025, 1, 31) + timedelta(days=step["value"])
            values["reason"] = "needs longer"
        else:
            values["progress"] = step["value"]
        store.record_update(values, today=TODAY)


@BACKENDS
@profile("copy-assurance", examples=20)
@given(steps=steps_strategy)
def test_assurance_figures_from_the_copy_equal_replay_at_every_quarter(
    backend, request, tmp_path_factory, monkeypatch, steps
) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    with new_store(backend, request, tmp_path_factory) as store:
        write_history(store, steps, monkeypatch)
        events = assert_copy_agrees_with_replay(store)
        kinds = set(events["kind"])
        for kind in kinds & set(assurance.EVENT_KINDS[2:]):
            event(f"history holds a {kind}")
