"""The package's shape: no import cycles, a pure domain core, parts that import only below them.

The README's developer section describes the layout; this test keeps it true.
Imports are read from the source (ast), wherever they stand: at the top of a
module, inside a function, or under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "actionplan"

#: The domain core: pure, imports nothing of ours but itself, and no database.
CORE: frozenset[str] = frozenset(
    {
        "actionplan",
        "actionplan.assurance",
        "actionplan.atomic",
        "actionplan.complaints",
        "actionplan.complaints.checks",
        "actionplan.complaints.deadlines",
        "actionplan.complaints.figures",
        "actionplan.cqc",
        "actionplan.dates",
        "actionplan.errors",
        "actionplan.figures",
        "actionplan.history",
        "actionplan.identity",
        "actionplan.listing",
        "actionplan.passwords",
        "actionplan.quarters",
        "actionplan.records",
        "actionplan.roles",
        "actionplan.rules",
        "actionplan.schedule",
        "actionplan.summary",
        "actionplan.timeline",
        "actionplan.vocab",
        "actionplan.workdays",
    }
)

#: Which parts each part may import (besides itself). The core imports only the core.
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "store": {"core"},
    "spreadsheets": {"core", "store"},
    "report": {"core", "store"},
    "workbook": {"core", "store"},
    "complaints": {"core", "store", "report"},
    "demo": {"core", "store", "spreadsheets"},
    "hub": {"core", "store", "workbook"},
    "requests": {"core", "store", "report"},
    "cli": {
        "core",
        "store",
        "spreadsheets",
        "report",
        "workbook",
        "complaints",
        "demo",
        "hub",
        "requests",
    },
}

#: Libraries the core must never import: the database layer is the store's alone.
DATABASE_LIBRARIES = ("sqlalchemy", "psycopg", "sqlite3")

MAX_LINES = 400


def module_name(path: Path) -> str:
    """`actionplan/store/reading.py` -> `actionplan.store.reading`."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> tuple[set[str], set[str]]:
    """The package's modules and the outside libraries that `name` imports."""
    is_package = path.name == "__init__.py"
    ours: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (ours if alias.name.split(".")[0] == "actionplan" else outside).add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "actionplan":
                outside.add(target)
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                ours.add(submodule if submodule in known else target)
    return {module for module in ours if module in known} - {name}, outside


@cache
def graph() -> dict[str, set[str]]:
    """Each module and the package's modules it imports."""
    found = modules()
    return {name: imports(name, path, set(found))[0] for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles in a graph (each once, as the path that closes it)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def part(module: str) -> str:
    """The part of the package a module belongs to (`core`, `store`, `report`...)."""
    if module in CORE:
        return "core"
    name = module.split(".")[1]
    if name == "__main__":  # the console script's entry point, in front of the CLI
        return "cli"
    assert name in ALLOWED, f"{module} is in no part; add it to CORE or ALLOWED"
    return name


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_imports_are_read_wherever_they_stand() -> None:
    found = graph()
    # Lazily, inside functions: the CLI imports the report only when one is asked for.
    assert "actionplan.report.render" in found["actionplan.cli.reports"]
    # Relative, from a package's __init__, and of a submodule named in `from . import`.
    assert "actionplan.store.assuring" in found["actionplan.store"]
    assert "actionplan.store.schema" in found["actionplan.store.reading"]


def test_the_package_has_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_domain_core_imports_no_database_and_nothing_above_it() -> None:
    found = modules()
    for name in sorted(CORE):
        ours, outside = imports(name, found[name], set(found))
        above = sorted(module for module in ours if module not in CORE)
        assert above == [], f"{name} imports {above}: the core may import only the core"
        database = sorted(lib for lib in outside if lib.split(".")[0] in DATABASE_LIBRARIES)
        assert database == [], f"{name} imports {database}: only the store talks to the database"


@pytest.mark.parametrize("module", sorted(modules()))
def test_each_part_imports_only_the_parts_below_it(module: str) -> None:
    mine = part(module)
    found = graph()[module]
    wrong = sorted(target for target in found if part(target) not in ALLOWED[mine] | {mine})
    assert wrong == [], f"{module} ({mine}) may not import {wrong}"


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules by concern: {long}"
