"""The plans the benchmark runs on: generated CSVs and imported SQLite files, cached.

Generating and importing the L plan (a million updates) takes about a minute,
so both are kept under `bench/.work/` and reused while their inputs are the
same: the CSVs are keyed by scale, seed and the generator's code and data
files (`actionplan/demo/`); the imported database by those and the source of
the whole `actionplan` package (a change to the import or the schema makes a
new one).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from .runner import ROOT

WORK = ROOT / "bench" / ".work"
PACKAGE = ROOT / "actionplan"
SCALES: tuple[str, ...] = ("S", "M", "L")


def _digest(paths: list[Path], *extra: str) -> str:
    sha = hashlib.sha256()
    for item in extra:
        sha.update(item.encode())
    for path in sorted(paths):
        sha.update(path.relative_to(ROOT).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def csv_key(scale: str, seed: int) -> str:
    """What the generated CSVs depend on: the scale, the seed, the generator's code and content."""
    generator = [
        path
        for path in (PACKAGE / "demo").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return _digest(generator, scale, str(seed))


def db_key(scale: str, seed: int) -> str:
    """What an imported database depends on: the CSVs and every module of the package."""
    return _digest(sorted(PACKAGE.rglob("*.py")), csv_key(scale, seed))


def csv_folder(scale: str, seed: int, work: Path = WORK) -> Path:
    """The folder of the plan's six CSV files, generating them if not cached."""
    key = csv_key(scale, seed)
    folder = work / f"csv-{scale}-{seed}"
    stamp = folder / ".key"
    if stamp.exists() and stamp.read_text() == key:
        return folder
    from actionplan.demo import generate

    if folder.exists():
        shutil.rmtree(folder)
    partial = work / f".csv-{scale}-{seed}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    generate(partial, scale=scale, seed=seed)
    (partial / ".key").write_text(key)
    partial.rename(folder)
    return folder


def cached_db(scale: str, seed: int, work: Path = WORK) -> Path | None:
    """The imported database of this plan, if one made by the same code is cached."""
    path = work / f"plan-{scale}-{seed}.db"
    stamp = path.with_suffix(".key")
    if path.exists() and stamp.exists() and stamp.read_text() == db_key(scale, seed):
        return path
    return None


def keep_db(source: Path, scale: str, seed: int, work: Path = WORK) -> Path:
    """Move a freshly imported database into the cache (replacing an older one)."""
    path = work / f"plan-{scale}-{seed}.db"
    stamp = path.with_suffix(".key")
    stamp.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.move(source, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    stamp.write_text(db_key(scale, seed))
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a cached database, for measurements that write to it."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def remove_db(path: Path) -> None:
    """Delete an SQLite file and its WAL companions."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sorted_updates_folder(folder: Path) -> Path:
    """A copy of `folder` whose updates.csv is in (action_id, as_of) order.

    The fallback when the generated file does not import as written: some
    generators list a late-recorded reopening after updates dated later, which
    the import (judging rows in file order, as recorded) rightly refuses. Sorted
    by as_of, the same rows describe the same plan and import.
    """
    import pandas as pd

    target = folder.with_name(folder.name + "-sorted")
    stamp = target / ".key"
    key = (folder / ".key").read_text() if (folder / ".key").exists() else ""
    if stamp.exists() and stamp.read_text() == key:
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in folder.glob("*.csv"):
        if path.name != "updates.csv":
            shutil.copyfile(path, target / path.name)
    updates = pd.read_csv(folder / "updates.csv", dtype=str, keep_default_na=False)
    updates = updates.sort_values(["action_id", "as_of"], kind="stable")
    updates.to_csv(target / "updates.csv", index=False)
    stamp.write_text(key)
    return target
