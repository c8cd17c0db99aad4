"""Load the fictional demo plan through the real importer (`actionplan init --demo`).

The demo is the first thing anyone sees, so it goes through exactly the path a
council's own spreadsheets take: the six CSV files under `data/demo/` (written
by `python -m actionplan.demo data/demo`) are read and checked by `importer` and
written in one transaction. If they break a rule, `init --demo` fails with the
importer's message (file, row and column) and leaves no half-made database.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ActionPlanError
from ..spreadsheets.files import read_csv
from ..spreadsheets.importer import DEPENDENCY_ORDER, PLURAL, Part, import_parts
from ..store import Store, schema
from ..store.bulk import paused_garbage_collection

ROOT = Path(__file__).resolve().parents[2]
DEMO_FOLDER = ROOT / "data" / "demo"

#: Who the demo's actions were created by (updates name their own officers).
DEMO_CREATOR = "Improvement Team"


def demo_files(folder: str | Path | None = None) -> list[tuple[str, Path]]:
    """The demo's CSV files as `(kind, path)`, in dependency order.

    Raises:
        ActionPlanError: a file is missing (regenerate them with `python -m actionplan.demo`).
    """
    folder = Path(folder or DEMO_FOLDER)
    files = [(kind, folder / f"{PLURAL[kind]}.csv") for kind in DEPENDENCY_ORDER]
    missing = [path.name for _, path in files if not path.exists()]
    if missing:
        raise ActionPlanError(
            f"the demo plan is missing {', '.join(missing)} in {folder}; "
            f"run `python -m actionplan.demo {folder}`"
        )
    return files


def load_demo(
    store: Store,
    council: str | None = None,
    first_month: int | None = None,
    folder: str | Path | None = None,
) -> dict[str, int]:
    """Create the database and fill it with the demo plan, all or nothing.

    Args:
        store: an empty database (it is initialised here).
        council: the council name reports show (default the store's default).
        first_month: the month the financial year starts (default April).
        folder: where the demo CSV files are (default `data/demo`).

    Returns:
        How many records of each kind were loaded.

    Raises:
        ActionPlanError: the database already holds a plan, a file is missing,
            or the files break a rule (the message names file, row and column).
    """
    parts = [Part(kind, read_csv(path, path.name)) for kind, path in demo_files(folder)]
    store.initialise(council=council, first_month=first_month)
    try:
        with paused_garbage_collection(), store.write() as conn:
            return import_parts(store, conn, parts, by=DEMO_CREATOR)
    except BaseException:
        with store.write() as conn:
            schema.metadata.drop_all(conn)
        raise
