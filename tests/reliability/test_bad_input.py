"""Bad input: generated malformed CLI values and import files, on each backend.

Every case must end with exit 1 and one line on stderr that names the field
(or the row and column, or the file), never a traceback, and leave the
database exactly as it was: byte for byte for a SQLite file, row for row on
PostgreSQL. Each test runs its generated cases against one plan, since no
case may change it; the plan is compared after every case.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplan.cli import cli
from actionplan.dates import in_range, parse_date
from actionplan.records import parse_progress
from actionplan.store import Store

from ..conftest import table_rows
from ..plan_data import fill_plan
from .results import record

CASES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HUGE = "x" * 100_000
TALLY: dict[str, int] = {}


def _rejects(parse, value: str) -> bool:
    try:
        parse(value)
    except (ValueError, TypeError, Exception):
        return True
    return False


def _bad_date(text: str) -> bool:
    return _rejects(lambda value: parse_date(value, "as_of"), text)


# -- strategies: values wrong by construction ----------------------------------------

bad_progress = st.one_of(
    st.integers().filter(lambda n: not 0 <= n <= 100).map(str),
    st.floats(allow_nan=True, allow_infinity=True)
    .filter(lambda x: x != x or not (0 <= x <= 100 and float(x).is_integer()))
    .map(repr),
    st.sampled_from(["forty", "1e3", "NaN", "-0.5", "½", HUGE, "0x10", "10 %x"]),
    st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and _rejects(parse_progress, t)),
)
bad_dates = st.one_of(
    st.sampled_from(
        [
            "2024-02-30",
            "31/02/2024",
            "2023-13-01",
            "00/00/0000",
            "02/28/2024",
            "9999-99-99",
            "yesterday",
            "2024-02-29T25:00",
            HUGE,
        ]
    ),
    st.text(min_size=1, max_size=30).filter(lambda t: t.strip() != "" and _bad_date(t)),
)
future_dates = st.dates(min_value=date(2100, 1, 1), max_value=date(9999, 12, 31)).map(str)
#: Any day of the whole calendar (year 1 to 9999) outside the plan's date range, as
#: ISO or UK text: a year typed wrong.
absurd_dates = (
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    .filter(lambda day: not in_range(day))
    .flatmap(
        lambda day: st.sampled_from(
            [
                f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
                f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
            ]
        )
    )
)
bad_words = st.one_of(
    st.sampled_from(["weird", "done!", "COMPLETE?", "on track-ish", HUGE, "'; DROP TABLE x; --"]),
    st.text(min_size=1, max_size=30).filter(
        lambda t: (
            t.strip().lower().replace(" ", "_").replace("-", "_")
            not in {"not_started", "on_track", "at_risk", "off_track", "complete", "cancelled"}
            and t.strip() != ""
        )
    ),
)
unknown_ids = st.from_regex(r"\A[A-Z]{1,4}-[0-9]{3,6}\Z").filter(
    lambda t: not t.startswith(("A0", "A1"))
)
bad_quarters = st.one_of(
    st.sampled_from(["2024-25-Q5", "2024-26-Q1", "Q3", "nonsense", "", HUGE, "2024/25 Q0"]),
    st.text(max_size=20).filter(lambda t: "q" not in t.lower()),
)


def cli_case() -> st.SearchStrategy[tuple[list[str], tuple[str, ...]]]:
    """(arguments, field names the one-line message may name)."""
    return st.one_of(
        bad_progress.map(lambda v: (["update", "A01", "--progress", v], ("progress",))),
        bad_dates.map(lambda v: (["update", "A01", "--as-of", v, "--note", "n"], ("as_of",))),
        future_dates.map(lambda v: (["update", "A01", "--as-of", v, "--note", "n"], ("as_of",))),
        bad_words.map(lambda v: (["update", "A01", "--status", v], ("status",))),
        unknown_ids.map(lambda v: (["update", v, "--note", "n"], ("action_id",))),
        bad_dates.map(
            lambda v: (["update", "A01", "--due", v, "--reason", "slipped"], ("due", "reason"))
        ),
        absurd_dates.map(lambda v: (["update", "A01", "--due", v, "--reason", "r"], ("due",))),
        absurd_dates.map(lambda v: (["update", "A01", "--as-of", v, "--note", "n"], ("as_of",))),
        absurd_dates.map(lambda v: (_add("NEW-1", "R1", v), ("due",))),
        st.just((["update", "A01", "--due", "2026-01-31"], ("reason",))),
        st.just((["update", "A01"], ("update",))),
        st.integers(min_value=-5, max_value=1).map(
            lambda v: (
                ["update", "A01", "--note", "n", "--expect-version", str(v)],
                ("action A01",),
            )
        ),
        st.sampled_from(["A01", "A12"]).map(lambda v: (_add(v, "R1", "2026-03-31"), ("id",))),
        unknown_ids.map(lambda v: (_add("NEW-1", v, "2026-03-31"), ("recommendation_id",))),
        bad_dates.map(lambda v: (_add("NEW-1", "R1", v), ("due",))),
        st.sampled_from(["", "   "]).map(
            lambda v: (_add("NEW-1", "R1", "2026-03-31", title=v), ("title",))
        ),
        bad_progress.map(lambda v: (_add("NEW-1", "R1", "2026-03-31", progress=v), ("progress",))),
        bad_quarters.map(lambda v: (["summary", "--quarter", v], ("quarter",))),
        bad_quarters.filter(str.strip).map(lambda v: (["list", "--quarter", v], ("quarter",))),
        bad_words.map(lambda v: (["list", "--status", v], ("status",))),
    )


def _add(action_id: str, recommendation: str, due: str, **extra: str) -> list[str]:
    args = ["add-action", "--id", action_id, "--recommendation", recommendation]
    args += ["--title", extra.get("title", "New action"), "--owner", "Officer", "--due", due]
    if "progress" in extra:
        args += ["--progress", extra["progress"]]
    return args


# -- the plan, and proof it did not change -------------------------------------------


def snapshot(store: Store) -> object:
    """The SQLite file's bytes, or every row of every table on PostgreSQL."""
    if store.is_sqlite:
        assert store.path is not None
        wal = Path(f"{store.path}-wal")
        return (
            hashlib.sha256(store.path.read_bytes()).hexdigest(),
            hashlib.sha256(wal.read_bytes() if wal.exists() else b"").hexdigest(),
        )
    return hashlib.sha256(repr(table_rows(store)).encode()).hexdigest()


@pytest.fixture
def target(store: Store) -> Iterator[tuple[Store, object]]:
    fill_plan(store)
    store.close()  # SQLite: checkpoint, so the file alone holds the plan
    yield store, snapshot(store)


def refused_in_one_line(store: Store, before: object, args: list[str]) -> str:
    """Run the CLI in-process and check the refusal; return the message."""
    result = CliRunner().invoke(cli, ["--db", store.url, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args[:4]}: {result.exception!r}") from (
            result.exception
        )
    assert result.exit_code == 1, (args[:6], result.output[:300])
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("Error: ") and message.endswith("\n")
    assert message.count("\n") == 1, message[:300]
    assert "Traceback" not in message
    assert snapshot(store) == before
    return message[len("Error: ") : -1]


# -- CLI values ---------------------------------------------------------------------


@CASES
@given(case=cli_case())
def test_malformed_cli_values_are_refused_in_one_line(
    target: tuple[Store, object], backend: str, case: tuple[list[str], tuple[str, ...]]
) -> None:
    store, before = target
    args, fields = case
    message = refused_in_one_line(store, before, args)
    assert any(
        message.startswith(f"{field}:") or f"column {field}:" in message or field in message
        for field in fields
    ), (fields, message[:200])
    TALLY[f"cli-{backend}"] = TALLY.get(f"cli-{backend}", 0) + 1


# -- import files -------------------------------------------------------------------

ACTION_HEADER = ["id", "recommendation_id", "title", "owner", "due", "created_on", "progress"]


def _valid_row(number: int) -> list[str]:
    return [f"IMP-{number}", "R1", f"Imported {number}", "Officer", "2026-03-31", "2024-04-01", ""]


bad_cells = st.one_of(
    st.tuples(st.just("id"), st.sampled_from(["A01", "A05", "", "  "])),
    st.tuples(st.just("recommendation_id"), unknown_ids),
    st.tuples(st.just("title"), st.sampled_from(["", "   "])),
    st.tuples(st.just("due"), bad_dates.filter(lambda t: "\n" not in t and "\r" not in t)),
    st.tuples(st.just("created_on"), future_dates),
    st.tuples(st.just("due"), absurd_dates),
    st.tuples(st.just("created_on"), absurd_dates),
    st.tuples(st.just("progress"), bad_progress.filter(lambda t: "\n" not in t and "\r" not in t)),
    # A NUL byte makes the whole file unreadable as CSV: a file-level case, tested below.
).filter(lambda pair: "\x00" not in pair[1])


@st.composite
def bad_action_file(draw: st.DrawFn) -> tuple[bytes, int, str]:
    """A CSV of actions with one wrong cell: (bytes, spreadsheet row, column)."""
    count = draw(st.integers(min_value=1, max_value=8))
    rows = [_valid_row(n) for n in range(count)]
    index = draw(st.integers(min_value=0, max_value=count - 1))
    column, value = draw(bad_cells)
    rows[index][ACTION_HEADER.index(column)] = value
    if draw(st.booleans()) and count > 1:  # or a duplicate id within the file
        other = (index + 1) % count
        rows[other][0] = rows[index][0] if column != "id" else rows[other][0]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([ACTION_HEADER, *rows])
    return buffer.getvalue().encode("utf-8"), index + 2, column


@CASES
@given(case=bad_action_file())
def test_malformed_import_rows_are_refused_naming_row_and_column(
    target: tuple[Store, object], backend: str, tmp_path_factory, case: tuple[bytes, int, str]
) -> None:
    store, before = target
    data, row, column = case
    path = tmp_path_factory.mktemp("bad") / "actions.csv"
    path.write_bytes(data)
    message = refused_in_one_line(store, before, ["import", str(path), "--kind", "actions"])
    assert "row " in message and "column " in message, message[:200]
    TALLY[f"import-rows-{backend}"] = TALLY.get(f"import-rows-{backend}", 0) + 1


@st.composite
def broken_file(draw: st.DrawFn, good_xlsx: bytes) -> tuple[str, bytes]:
    """A file that is not readable as what its name says: (name, bytes)."""
    good_csv = (
        "id,recommendation_id,title,owner,due\nNEW-1,R1,Caf\u00e9 review,Officer,2026-03-31\n"
    )
    kind = draw(st.sampled_from(["nul", "latin-1", "utf-16", "cp1252", "truncated", "garbage"]))
    if kind == "nul":
        at = draw(st.integers(min_value=0, max_value=len(good_csv)))
        return "actions.csv", (good_csv[:at] + "\x00" + good_csv[at:]).encode()
    if kind in ("latin-1", "cp1252"):
        return "actions.csv", good_csv.encode(kind)
    if kind == "utf-16":
        return "actions.csv", good_csv.encode("utf-16")
    if kind == "truncated":
        cut = draw(st.integers(min_value=0, max_value=len(good_xlsx) - 1))
        return "plan.xlsx", good_xlsx[:cut]
    return "plan.xlsx", draw(st.binary(max_size=2000))


@pytest.fixture(scope="module")
def good_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real exported workbook, to truncate."""
    folder = tmp_path_factory.mktemp("xlsx")
    store = Store(folder / "plan.db")
    store.initialise()
    fill_plan(store, actions=4)
    result = CliRunner().invoke(cli, ["--db", store.url, "export", str(folder / "plan.xlsx")])
    assert result.exit_code == 0, result.output
    return (folder / "plan.xlsx").read_bytes()


@CASES
@given(data=st.data())
def test_unreadable_import_files_are_refused_naming_the_file(
    target: tuple[Store, object], backend: str, tmp_path_factory, good_xlsx: bytes, data
) -> None:
    store, before = target
    name, content = data.draw(broken_file(good_xlsx))
    path = tmp_path_factory.mktemp("broken") / name
    path.write_bytes(content)
    args = ["import", str(path)] + (["--kind", "actions"] if name.endswith(".csv") else [])
    message = refused_in_one_line(store, before, args)
    assert name in message or "row " in message, message[:200]
    TALLY[f"import-files-{backend}"] = TALLY.get(f"import-files-{backend}", 0) + 1


def test_outputs_into_files_and_folders_are_refused_in_one_line(
    target: tuple[Store, object], backend: str, tmp_path: Path
) -> None:
    """Reports, exports and backups aimed where they cannot go: a file, a folder, below a file."""
    store, before = target
    a_file = tmp_path / "taken.txt"
    a_file.write_text("someone's notes")
    a_folder = tmp_path / "folder.xlsx"
    a_folder.mkdir()
    cases = [
        ["report", "--quarter", "2024-25-Q1", "--out", str(a_file)],
        ["report", "--quarter", "2024-25-Q1", "--out", str(a_file / "below")],
        ["export", str(a_folder)],
        ["export", str(a_file / "plan.xlsx")],
        ["export", str(tmp_path / "plan.pdf")],
    ]
    if store.is_sqlite:
        cases += [
            ["backup", str(a_file)],
            ["backup", str(a_folder)],
            ["backup", str(a_file / "x.db")],
        ]
    for args in cases:
        refused_in_one_line(store, before, args)
    assert a_file.read_text() == "someone's notes" and list(a_folder.iterdir()) == []
    TALLY[f"outputs-{backend}"] = len(cases)


def test_record_bad_input_tally() -> None:
    """Keep how many generated cases each bad-input test ran (for docs/reliability.md)."""
    for backend in ("sqlite", "postgresql"):
        cases = {
            kind: TALLY.get(f"{kind}-{backend}", 0)
            for kind in ("cli", "import-rows", "import-files", "outputs")
        }
        if not any(cases.values()):
            continue
        record(
            f"bad-input-{backend}",
            check="bad input: generated CLI values, malformed import rows, unreadable files",
            backend=backend,
            tried=(
                f"{cases['cli']} CLI cases (dates of any year 1 to 9999 among them), "
                f"{cases['import-rows']} import files with a bad cell, "
                f"{cases['import-files']} unreadable files (NUL, latin-1, UTF-16, truncated xlsx), "
                f"{cases['outputs']} outputs aimed at a file, a folder or below a file"
            ),
            held="every case: exit 1, one line naming field/row+column/file, no traceback, "
            + ("file byte-for-byte unchanged" if backend == "sqlite" else "rows unchanged"),
        )
