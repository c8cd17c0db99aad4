"""actionplan: improvement action plans with an append-only history.

The public names a notebook or script needs; everything else is reachable from
its module.
"""

from .errors import ActionPlanError, StaleVersionError, ValidationError
from .history import state_at
from .quarters import Quarter, parse_quarter, quarter_of
from .store import Store, open_store
from .summary import PlanData, quarter_summary, summarise

__all__ = [
    "ActionPlanError",
    "PlanData",
    "Quarter",
    "StaleVersionError",
    "Store",
    "ValidationError",
    "open_store",
    "parse_quarter",
    "quarter_of",
    "quarter_summary",
    "state_at",
    "summarise",
]
__version__ = "0.1.0"
