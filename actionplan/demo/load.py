"""Load the fictional demo plan through the real importer (`actionplan init --demo`).

The demo is the first thing anyone sees, so it goes through exactly the path a
council's own spreadsheets take: the six CSV files under `data/demo/` (written
by `python -m actionplan.demo data/demo`) are read and checked by `importer` and
written in one transaction. If they break a rule, `init --demo` fails with the
importer's message (file, row and column) and leaves no half-made database.

The plan is dated to today: every date of the six files moves by the same
number of whole quarters, so the demo's last quarter is the last finished one
(`demo_shift`) and a new user's "as it stands today" views look like a plan in
use. The files stay the single source; a given day always gives the same plan.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import ActionPlanError
from ..quarters import quarter_of, quarters_from, shift_by_quarters
from ..records import RECORDS
from ..spreadsheets.files import Sheet, read_csv
from ..spreadsheets.importer import DEPENDENCY_ORDER, PLURAL, Part, import_parts
from ..store import Store, schema
from ..store.bulk import paused_garbage_collection
from .assurance import tell_assurance_story
from .days import LAST_DAY

ROOT = Path(__file__).resolve().parents[2]
DEMO_FOLDER = ROOT / "data" / "demo"

#: Who the demo's actions were created by (updates name their own officers).
DEMO_CREATOR = "Improvement Team"

#: The demo's fictional team (`init --demo --demo-people`): a manager, a lead,
#: two officers who own some of the demo's actions, and a viewer.
DEMO_PEOPLE = Path(__file__).resolve().parent / "content" / "people.csv"


def demo_files(folder: str | Path | None = None) -> list[tuple[str, Path]]:
    """The demo's CSV files as `(kind, path)`, in dependency order.

    Raises:
        ActionPlanError: a file is missing (regenerate them with `python -m actionplan.demo`).
    """
    folder = Path(folder or DEMO_FOLDER)
    files = [
        (kind, folder / f"{PLURAL[kind]}.csv")
        for kind in DEPENDENCY_ORDER
        if kind not in ("person", "evidence")  # the team and its evidence: --demo-people
    ]
    missing = [path.name for _, path in files if not path.exists()]
    if missing:
        raise ActionPlanError(
            f"the demo plan is missing {', '.join(missing)} in {folder}; "
            f"run `python -m actionplan.demo {folder}`"
        )
    return files


def demo_shift(today: date) -> int:
    """Whole quarters the demo moves so its last quarter is the last finished one before `today`.

    The files run to `days.LAST_DAY`; a new user's plan should look current,
    not years old and all red, and the same day always gives the same plan.
    """
    return quarters_from(quarter_of(LAST_DAY), quarter_of(today).previous())


def shifted(kind: str, sheet: Sheet, quarters: int) -> Sheet:
    """A demo file with every date moved by `quarters` whole quarters (`shift_by_quarters`)."""
    if not quarters:
        return sheet
    dated = {spec.name for spec in RECORDS[kind] if spec.is_date}
    columns = [index for index, name in enumerate(sheet.header) if name in dated]
    rows = []
    for number, cells in sheet.rows:
        cells = list(cells)
        for index in columns:
            try:
                day = date.fromisoformat(cells[index])
            except (IndexError, ValueError):
                continue  # blank, or not a date: the importer says so
            cells[index] = shift_by_quarters(day, quarters).isoformat()
        rows.append((number, cells))
    return Sheet(sheet.name, sheet.header, rows, sheet.percent_cells, sheet.header_row)


def load_demo(
    store: Store,
    council: str | None = None,
    first_month: int | None = None,
    folder: str | Path | None = None,
    today: date | None = None,
    people: bool = False,
) -> dict[str, int]:
    """Create the database and fill it with the demo plan, dated to `today`, all or nothing.

    Args:
        store: an empty database (it is initialised here).
        council: the council name reports show (default the store's default).
        first_month: the month the financial year starts (default April).
        folder: where the demo CSV files are (default `data/demo`).
        today: the day the plan is dated to (default today): every date moves by
            `demo_shift(today)` quarters, so its last quarter is the last finished
            one. The files' own dates are the demo as of `days.LAST_DAY`.
        people: also register the demo's people (`DEMO_PEOPLE`), so roles can
            be tried; from then on every write is checked, and the CLI acts as
            one of them only with `ACTIONPLAN_USER` set to their login. Their
            evidence, verifications and due-date requests come too
            (`assurance.tell_assurance_story`, SPEC section 8).

    Returns:
        How many records of each kind were loaded.

    Raises:
        ActionPlanError: the database already holds a plan, a file is missing,
            or the files break a rule (the message names file, row and column).
    """
    today = today or date.today()
    quarters = demo_shift(today)
    parts = [
        Part(kind, shifted(kind, read_csv(path, path.name), quarters))
        for kind, path in demo_files(folder)
    ]
    if people:
        parts.insert(0, Part("person", read_csv(DEMO_PEOPLE, DEMO_PEOPLE.name)))
    # A file this call makes is removed again if the load fails, so a failed
    # `init --demo` leaves nothing that the next command would call "no plan".
    new_file = store.path is not None and not store.path.exists()
    store.initialise(council=council, first_month=first_month)
    try:
        with paused_garbage_collection(), store.write() as conn:
            counts = import_parts(store, conn, parts, by=DEMO_CREATOR, today=today)
        if people:
            tell_assurance_story(store, quarters, today)
        return counts
    except BaseException:
        with store.write() as conn:
            schema.metadata.drop_all(conn)
        if new_file and store.path is not None:
            store.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                store.path.with_name(store.path.name + suffix).unlink(missing_ok=True)
        raise
