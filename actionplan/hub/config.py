"""The JupyterHub configuration `actionplan hub` writes, and the folder it lives in.

A fresh state folder per start (so a new hub never adopts the proxy or the
servers of one that was killed):

    <state>/private/   0700, the hub's working folder: jupyterhub_config.py,
                       jupyterhub.sqlite, the cookie secret, the pid files
    <state>/public/    0755: notebooks/ (the workbook, alone, so Voila can
                       open nothing else) and homes/ (one per person)

No secret is written to any file or command line: the configuration reads the
plan's address from the hub's own environment when the hub starts, and hands
it to each person's server in `Spawner.environment`. The single-user lockdown
is given as command-line options, not a `--config` file: jupyter-server
silently ignores a config file it cannot read and would then run unlocked,
whereas a bad option, or an authorizer it cannot import, stops the server.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from ..workbook.serve import NOTEBOOK, TEMPLATES
from .lockdown import ALLOWED_MESSAGE_TYPES

#: The project's checkout, where `make hub-proxy` installs configurable-http-proxy.
ROOT = Path(__file__).resolve().parents[2]
#: configurable-http-proxy as `npm install --prefix .hub configurable-http-proxy` leaves it.
PROJECT_PROXY = ROOT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"

#: Server extensions that may be installed beside Voila and must be off in a person's server.
DISABLED_EXTENSIONS: tuple[str, ...] = (
    "jupyter_server_terminals",
    "jupyterlab",
    "notebook",
    "notebook_shim",
    "nbclassic",
    "jupyter_lsp",
    "jupyter_server_ydoc",
    "jupyter_collaboration",
    "jupyter_server_fileid",
    "jupyterlab_git",
)

#: Variables of the hub's environment never handed on to a person's server.
NOT_FORWARDED: frozenset[str] = frozenset({"ACTIONPLAN_USER"})

#: How the sign-in is done: our own, against the plan's people; or PAM (local accounts).
AUTHENTICATORS: dict[str, str] = {
    "people": "actionplan.hub.auth.PeopleAuthenticator",
    "pam": "pam",
}


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HubSettings:
    """Everything the generated configuration says.

    Attributes:
        state_dir: the run's folder (see the module).
        port: where people open the service, on 127.0.0.1.
        hub_port, proxy_api_port: internal ports; 0 picks free ones.
        proxy_command: configurable-http-proxy.
        authenticator: `people`, `pam`, or a JupyterHub authenticator class.
        extra_config: a council's own JupyterHub settings, loaded last (a
            sign-on such as Entra ID or LDAP: docs/team.md).
        python: the Python that runs JupyterHub and the servers.
        notebook: the workbook notebook copied into the public folder.
        cull_idle_timeout: seconds an unconnected kernel may idle.
        server_idle_timeout: a person's idle server stops itself after this.
    """

    state_dir: Path
    port: int = 8000
    hub_port: int = 0
    proxy_api_port: int = 0
    proxy_command: str = str(PROJECT_PROXY)
    authenticator: str = "people"
    extra_config: Path | None = None
    python: str = sys.executable
    notebook: Path = NOTEBOOK
    cull_idle_timeout: int = 600
    server_idle_timeout: int = 3600
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        self.state_dir = Path(self.state_dir).resolve()
        self.hub_port = self.hub_port or free_port()
        self.proxy_api_port = self.proxy_api_port or free_port()

    @property
    def private_dir(self) -> Path:
        """The hub's own files (0700)."""
        return self.state_dir / "private"

    @property
    def public_dir(self) -> Path:
        """What people's servers read (0755)."""
        return self.state_dir / "public"

    @property
    def notebook_dir(self) -> Path:
        """The only folder Voila serves: the workbook and nothing else."""
        return self.public_dir / "notebooks"

    @property
    def config_path(self) -> Path:
        """The generated `jupyterhub_config.py`."""
        return self.private_dir / "jupyterhub_config.py"

    @property
    def url(self) -> str:
        """Where people open the service."""
        return f"http://127.0.0.1:{self.port}"


def lockdown_args(settings: HubSettings) -> list[str]:
    """Options for a person's server: the workbook in Voila, and nothing else.

    Traitlets' command-line syntax: a dict trait takes one `--Cls.trait=key=value`
    per key; a list trait takes a Python literal.
    """
    args = [
        "--ServerApp.authorizer_class=actionplan.hub.lockdown.VoilaOnlyAuthorizer",
        "--ServerApp.terminals_enabled=False",
        f"--ServerApp.root_dir={settings.notebook_dir}",
        "--ContentsManager.allow_hidden=False",
        f"--MappingKernelManager.allowed_message_types={ALLOWED_MESSAGE_TYPES!r}",
        f"--MappingKernelManager.cull_idle_timeout={settings.cull_idle_timeout}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        f"--ServerApp.shutdown_no_activity_timeout={settings.server_idle_timeout}",
        "--VoilaConfiguration.template=actionplan",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=[]",
        "--VoilaConfiguration.progressive_rendering=False",
    ]
    args += [f"--ServerApp.jpserver_extensions={name}=False" for name in DISABLED_EXTENSIONS]
    args.append("--ServerApp.jpserver_extensions=voila.server_extension=True")
    if os.geteuid() == 0:
        args.append("--allow-root")
    return args


def _authenticator_lines(settings: HubSettings) -> str:
    chosen = AUTHENTICATORS.get(settings.authenticator, settings.authenticator)
    lines = [f"c.JupyterHub.authenticator_class = {chosen!r}"]
    if chosen == "pam":
        lines.append("c.PAMAuthenticator.open_sessions = False")
    return "\n".join(lines)


def render_config(settings: HubSettings) -> str:
    """The text of `jupyterhub_config.py` (holds no secret)."""
    private = settings.private_dir
    command = [settings.python, "-m", "actionplan.hub.singleuser"]
    environment = {
        "PATH": f"{Path(settings.python).parent}:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_PATH": str(TEMPLATES),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    extra = (
        f"load_subconfig({str(settings.extra_config)!r})  # the council's own settings\n"
        if settings.extra_config
        else ""
    )
    return f"""\
# Written by `actionplan hub`; rewritten at every start. It holds no secret:
# the plan's address is read from the hub's environment when the hub starts.
import os

c = get_config()  # noqa: F821

# Where the hub listens and keeps its files: 127.0.0.1 only.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {settings.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {settings.hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{settings.proxy_command!r}]
c.ConfigurableHTTPProxy.pid_file = {str(private / "jupyterhub-proxy.pid")!r}
c.JupyterHub.cookie_secret_file = {str(private / "jupyterhub_cookie_secret")!r}
c.JupyterHub.db_url = {"sqlite:///" + str(private / "jupyterhub.sqlite")!r}
c.JupyterHub.pid_file = {str(private / "jupyterhub.pid")!r}
c.JupyterHub.cleanup_servers = True  # stop every server (and its kernels) on exit
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.log_level = {settings.log_level!r}

# Who may sign in (roles are in the plan's people table, looked up by login).
{_authenticator_lines(settings)}

# What a person gets: the workbook in Voila, nothing else; every server runs
# as the service's own account, so a SQLite plan needs no shared permissions.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(settings.public_dir / "homes" / "{username}")!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = {command!r}
c.Spawner.args = {lockdown_args(settings)!r}
c.Spawner.notebook_dir = {str(settings.notebook_dir)!r}
c.Spawner.default_url = "/voila/render/{settings.notebook.name}"
c.Spawner.disable_user_config = True
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
_environment = {environment!r}
for _name, _value in os.environ.items():
    if _name.startswith("ACTIONPLAN_") and _name not in {sorted(NOT_FORWARDED)!r}:
        _environment[_name] = _value
c.Spawner.environment = _environment
{extra}"""


def prepare(settings: HubSettings) -> Path:
    """Make a fresh state folder, write the configuration and copy the workbook in.

    Returns:
        The configuration's path.
    """
    if settings.state_dir.exists():
        shutil.rmtree(settings.state_dir)
    settings.private_dir.mkdir(parents=True)
    settings.notebook_dir.mkdir(parents=True)
    (settings.public_dir / "homes").mkdir()
    os.chmod(settings.private_dir, 0o700)
    for folder in (settings.state_dir, settings.public_dir, settings.notebook_dir):
        os.chmod(folder, 0o755)
    shutil.copy(settings.notebook, settings.notebook_dir / settings.notebook.name)
    settings.config_path.write_text(render_config(settings))
    return settings.config_path


def hub_command(settings: HubSettings) -> list[str]:
    """The command that runs JupyterHub with the generated configuration."""
    return [settings.python, "-m", "actionplan.hub.launch", "-f", str(settings.config_path)]
