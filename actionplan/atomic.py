"""Writing files so that readers see the old file or the new one, never half of each.

A report, an export or a backup is written to a temporary file beside its
final name and renamed over it only when complete (`os.replace` is atomic on
one file system), so a crash, a full disk or Ctrl-C leaves the previous file
exactly as it was. The report, the exporter and the backup all use this.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ActionPlanError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` that replaces it only if the block succeeds.

    The temporary file exists (empty) when the block starts; on any exception,
    including KeyboardInterrupt, it is removed and `path` is untouched.
    """
    final = Path(path)
    writable_file(final)
    handle, temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(handle)
    # mkstemp makes the file private (0600); what we write is an ordinary file.
    os.chmod(temporary, 0o666 & ~_umask())
    try:
        yield Path(temporary)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def writable_file(path: Path) -> None:
    """Make sure `path` can be written as a file (creating its folder), or say why not.

    Raises:
        ActionPlanError: `path` is a folder, a file stands where one of its
            folders should be, or the folder cannot be created.
    """
    if path.is_dir():
        raise ActionPlanError(f"{path} is a folder; give a file name inside it")
    for folder in path.parents:
        if folder.exists() and not folder.is_dir():
            raise ActionPlanError(f"{folder} is a file, so {path} cannot be written below it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ActionPlanError(f"cannot create the folder {path.parent}: {error.strerror}") from None


def atomic_write(path: str | Path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8) to `path` atomically, flushed to disk first."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_path(path) as temporary, open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
