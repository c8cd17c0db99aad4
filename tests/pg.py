"""A throwaway PostgreSQL cluster for the test session.

The tests must not depend on a server someone else runs, so the session starts
its own with `initdb` and `pg_ctl` on a free port under a temporary directory
and stops it at the end. Durability settings are off (`fsync`, full page writes,
synchronous commit): the cluster is thrown away, and the checks that matter
(conditional updates, row locks, rollback on a killed client) do not depend on
them. As root the server runs as the `postgres` user, which PostgreSQL insists on.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

#: Why PostgreSQL tests are skipped on a machine without the server binaries.
MISSING_REASON = (
    "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); "
    "install the Debian package `postgresql` (.ci/run does) to run the PostgreSQL tests"
)


def server_bin() -> Path | None:
    """The newest installed PostgreSQL `bin` directory, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A running throwaway cluster; `new_database()` hands out empty databases."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Not under pytest's tmp dir: that is private to root and the server
        # runs as `postgres`, which must be able to reach its data directory.
        self.root = Path(tempfile.mkdtemp(prefix="actionplan-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        os.chmod(self.root, 0o700)
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run(
            f"{self.bin_dir / 'initdb'} -D {self.data} -U postgres --auth=trust "
            "-E UTF8 --locale=C.UTF-8 --no-sync"
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            "-c max_connections=100"
        )
        self._run(
            f"{self.bin_dir / 'pg_ctl'} -D {self.data} -l {self.root / 'server.log'} "
            f"-o {shlex.quote(options)} -w start"
        )

    def _run(self, command: str) -> None:
        argv = ["su", "postgres", "-c", command] if self._as_postgres else ["sh", "-c", command]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command!r} failed: {done.stderr.strip() or done.stdout.strip()}")

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement on the `postgres` database outside a transaction.

        `CREATE DATABASE` and `DROP DATABASE` refuse to run inside one.
        """
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """Create an empty database (or a copy of `template`) and return its name."""
        name = f"t_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any session a test left connected to it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run(f"{self.bin_dir / 'pg_ctl'} -D {self.data} -m immediate -w stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
