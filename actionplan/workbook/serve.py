"""Serve the workbook to officers: Voila on 127.0.0.1, one command, stopped by Ctrl-C.

`serve` starts Voila as a child process with the plan in `ACTIONPLAN_DB`, the
project's Voila template (no requests to the internet), a pre-heated kernel
(the notebook has already imported the package and built the widgets when
the officer opens the page, see `app.Workbook.show`) and idle kernels culled
(Voila starts a kernel for every page load and would otherwise keep them all).
Voila's own log goes to a file, so the terminal shows the address and, if
Voila fails, the end of that log.

On Ctrl-C (SIGINT) or SIGTERM, Voila is asked to stop (it shuts its kernels
down), given `STOP_SECONDS`, and then its whole process group is killed, so
nothing is left running either way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ..errors import ActionPlanError

#: The notebook officers use (SPEC section 6), beside the package in a checkout.
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "update_actions.ipynb"
#: The folder Voila searches for the `actionplan` template (put on `JUPYTER_PATH`).
TEMPLATES = Path(__file__).resolve().parent / "jupyter"
#: How long Voila may take to start serving, and to stop once asked.
START_SECONDS = 120
STOP_SECONDS = 15
#: A kernel whose page was closed is shut down after this many idle seconds.
CULL_IDLE_SECONDS = 600


def voila_command(notebook: Path, port: int) -> list[str]:
    """The Voila command line: local only, the project's template, a pre-heated kernel."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=actionplan",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
    ]


def check_port(port: int) -> None:
    """Refuse a port that is taken, before Voila says so in forty lines."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise ActionPlanError(
                f"port {port} on 127.0.0.1 is in use; choose another with --port"
            ) from None


def serve(
    db: str, port: int = 8866, echo: Callable[[str], None] = print, notebook: Path = NOTEBOOK
) -> int:
    """Serve the workbook until Ctrl-C; returns Voila's exit code (0 after a clean stop).

    Args:
        db: the plan (a file path or SQLAlchemy URL), already checked to open.
        port: the port on 127.0.0.1.
        echo: where the address and messages go.
        notebook: the workbook notebook.

    Raises:
        ActionPlanError: the notebook is missing, the port is taken, or Voila
            did not start (the end of its log is in the message).
    """
    if not notebook.exists():
        raise ActionPlanError(f"the workbook notebook {notebook} is missing")
    check_port(port)
    log_path = Path(tempfile.mkstemp(prefix="actionplan-workbook-", suffix=".log")[1])
    env = {
        **os.environ,
        "ACTIONPLAN_DB": db,
        "JUPYTER_PATH": os.pathsep.join(
            filter(None, [str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")])
        ),
    }
    url = f"http://127.0.0.1:{port}/"
    stop = _StopSignals()
    with log_path.open("w") as log, stop:
        voila = subprocess.Popen(
            voila_command(notebook, port),
            cwd=notebook.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_serving(url, voila, log_path, stop)
            if not stop.asked:
                echo(f"The workbook is at {url} (Voila's log: {log_path}). Ctrl-C stops it.")
            while not stop.asked and voila.poll() is None:
                time.sleep(0.2)
        finally:
            code = _stop(voila)
    if stop.asked:
        echo("Stopped the workbook.")
        return 0
    raise ActionPlanError(f"Voila stopped by itself (exit {code}): {_tail(log_path)}")


class _StopSignals:
    """While active, SIGINT and SIGTERM ask the server to stop instead of killing Python."""

    def __init__(self) -> None:
        self.asked = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _StopSignals:
        for number in (signal.SIGINT, signal.SIGTERM):
            self._previous[number] = signal.signal(number, self._ask)
        return self

    def __exit__(self, *_exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]

    def _ask(self, _number: int, _frame: object) -> None:
        self.asked = True


def _wait_until_serving(
    url: str, voila: subprocess.Popen, log_path: Path, stop: _StopSignals
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and not stop.asked:
        if voila.poll() is not None:
            raise ActionPlanError(
                f"Voila did not start (exit {voila.returncode}): {_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(url + "api", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any answer means it is serving
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    if not stop.asked:
        raise ActionPlanError(f"Voila did not start within {START_SECONDS} s: {_tail(log_path)}")


def _stop(voila: subprocess.Popen) -> int:
    """Ask Voila to stop (it shuts its kernels down), then kill its group if it lingers."""
    if voila.poll() is None:
        voila.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            voila.wait(timeout=STOP_SECONDS)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(voila.pid, signal.SIGKILL)
    code = voila.wait()
    _kill_kernels_of(voila.pid)
    return code


def _kill_kernels_of(parent: int) -> None:
    """Kill kernels Voila started and did not shut down (each runs in a session of its own).

    jupyter_client marks a kernel with its parent's pid (`JPY_PARENT_PID`);
    where `/proc` exists, any still running after Voila has gone are killed.
    """
    marker = f"JPY_PARENT_PID={parent}".encode()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                os.kill(int(environ.parent.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _tail(log_path: Path) -> str:
    lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines()]
    useful = [line for line in lines if line][-3:]
    return " | ".join(useful) or "no output"
