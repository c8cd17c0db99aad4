"""actionplan: improvement action plans with an append-only history.

The public names a notebook or script needs; everything else is reachable from
its module. They are imported on first use, so that `import actionplan.vocab`
(or `actionplan --help`) does not pay for pandas and SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name and the module that holds it.
_PUBLIC: dict[str, str] = {
    "ActionPlanError": "actionplan.errors",
    "StaleVersionError": "actionplan.errors",
    "ValidationError": "actionplan.errors",
    "PlanData": "actionplan.summary",
    "quarter_summary": "actionplan.summary",
    "Quarter": "actionplan.quarters",
    "parse_quarter": "actionplan.quarters",
    "quarter_of": "actionplan.quarters",
    "state_at": "actionplan.history",
    "Store": "actionplan.store",
    "open_store": "actionplan.store",
    "load_plan": "actionplan.store.queries",
    "summarise": "actionplan.store.queries",
}

__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'actionplan' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
