"""Browser-test fixtures: a real `jupyter lab` on a free loopback port, driven by Chromium.

These tests run in their own pytest invocation (`pytest tests/browser`): pytest-jupyter's
autouse event loop would break Playwright's sync API, so nothing here loads pytest-jupyter.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

LAB_START_TIMEOUT_S = 90
# Every `jupyter lab` this session started, so fixtures can undo what tests saved in them.
STARTED_SERVERS: list[LabServer] = []
LAB_STOP_TIMEOUT_S = 20

# Plugin settings written to the test's user-settings dir, keyed by plugin id.
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" toast over the page.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


@dataclass(frozen=True)
class LabServer:
    base_url: str
    token: str
    root_dir: Path
    labtrack_home: Path
    settings_dir: Path
    log_path: Path

    def url(self, path: str) -> str:
        """`path` under the server, with the token appended."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    @property
    def tracking_uri(self) -> str:
        return f"sqlite:///{self.labtrack_home}/mlflow.db"


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path or not Path(path).is_file():
        pytest.fail(
            "No Chromium for the browser tests: install Debian's package "
            "(`apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch args plus Debian's Chromium (Playwright cannot download one)."""
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS]
    return {**browser_type_launch_args, "executable_path": _chromium_path(), "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_lab_settings(settings_dir: Path) -> None:
    for plugin_id, values in LAB_SETTINGS.items():
        package, plugin = plugin_id.split(":", 1)
        target = settings_dir / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))


def _log_tail(log_path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_until_ready(proc: subprocess.Popen, server: LabServer) -> None:
    deadline = time.monotonic() + LAB_START_TIMEOUT_S
    status_url = server.url("api/status")
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with code {proc.returncode} before answering; "
                f"log tail:\n{_log_tail(server.log_path)}"
            )
        try:
            with urllib.request.urlopen(status_url, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    raise RuntimeError(
        f"jupyter lab did not answer {status_url} within {LAB_START_TIMEOUT_S} s "
        f"({last_error}); log tail:\n{_log_tail(server.log_path)}"
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()  # SIGTERM: jupyter_server shuts its kernels down and exits
    try:
        proc.wait(timeout=LAB_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=LAB_STOP_TIMEOUT_S)


def _start_lab(
    base: Path,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
    server_config: dict | None = None,
    extra_args: list[str] | None = None,
    base_path: str = "/",
) -> tuple[subprocess.Popen, LabServer]:
    """Start `jupyter lab` on a copy of examples/ under `base`; return once it answers.

    `server_config` is written as the user-level jupyter_server_config.json; `extra_args`
    are added to the command line; `base_path` is the server's base URL (e.g. a JupyterHub
    user prefix, `/user/alice/`).
    """
    root_dir = base / "examples"
    shutil.copytree(
        EXAMPLES, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "mlruns")
    )
    labtrack_home = base / "labtrack-home"
    labtrack_home.mkdir()
    settings_dir = base / "lab-settings"
    _write_lab_settings(settings_dir)
    for name in ("lab-workspaces", "jupyter-config", "jupyter-runtime"):
        (base / name).mkdir()
    if server_config is not None:
        (base / "jupyter-config" / "jupyter_server_config.json").write_text(
            json.dumps(server_config)
        )

    port = _free_port()
    token = secrets.token_hex(24)
    server = LabServer(
        base_url=f"http://127.0.0.1:{port}{base_path}",
        token=token,
        root_dir=root_dir,
        labtrack_home=labtrack_home,
        settings_dir=settings_dir,
        log_path=log_path,
    )

    env = {
        **os.environ,
        "LABTRACK_HOME": str(labtrack_home),
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "lab-workspaces"),
        # User-level config (~/.jupyter) must not change what the tests see; the
        # environment's etc/jupyter (where labtrack's server config lives) still applies.
        "JUPYTER_CONFIG_DIR": str(base / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(base / "jupyter-runtime"),
        # Kernels are started with this environment's Python.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
        env.pop(name, None)
    env.update(extra_env or {})

    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--allow-root",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--ServerApp.base_url={base_path}",
        *(extra_args or []),
    ]
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            command, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(proc, server)
    except BaseException:
        _stop(proc)
        raise
    STARTED_SERVERS.append(server)
    return proc, server


@pytest.fixture(scope="session")
def lab(tmp_path_factory, artifacts_dir) -> Iterator[LabServer]:
    """A real `jupyter lab` serving a temporary copy of examples/, with its own labtrack home."""
    proc, server = _start_lab(tmp_path_factory.mktemp("browser"), artifacts_dir / "jupyter-lab.log")
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def fresh_lab(tmp_path_factory, artifacts_dir) -> Iterator[LabServer]:
    """Like `lab`, but no test logs runs into it: what a newcomer sees on first start."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-fresh"), artifacts_dir / "jupyter-lab-fresh.log"
    )
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def lab_with_app(tmp_path_factory, artifacts_dir) -> Iterator[LabServer]:
    """Like `lab`, but the app is `window.jupyterapp` in the page, so a test can run commands
    (`window.jupyterapp.commands.execute(...)`) and read the shell's state."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-with-app"),
        artifacts_dir / "jupyter-lab-with-app.log",
        extra_args=["--LabApp.expose_app_in_browser=True"],
    )
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def extra_lab(tmp_path_factory, artifacts_dir):
    """`extra_lab(name)` starts one more `jupyter lab` with a store of its own, for tests
    that fill the store and must not see other tests' runs; `extra_env` adds to its
    environment (e.g. MLFLOW_TRACKING_URI), `extra_args` to its command line (e.g.
    `--LabApp.expose_app_in_browser=True`). All stop at the session's end."""
    started: list[subprocess.Popen] = []

    def start(
        name: str, extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None
    ) -> LabServer:
        proc, server = _start_lab(
            tmp_path_factory.mktemp(f"browser-{name}"),
            artifacts_dir / f"jupyter-lab-{name}.log",
            extra_env,
            extra_args=extra_args,
        )
        started.append(proc)
        return server

    yield start
    for proc in started:
        _stop(proc)


@pytest.fixture(scope="session")
def unreachable_tracking_uri() -> str:
    """An MLflow REST URI on a loopback port nothing listens on."""
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture(scope="session")
def lab_unreachable_backend(
    tmp_path_factory, artifacts_dir, unreachable_tracking_uri
) -> Iterator[LabServer]:
    """Like `lab`, but MLFLOW_TRACKING_URI points at a server that is not there."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-unreachable"),
        artifacts_dir / "jupyter-lab-unreachable.log",
        {"MLFLOW_TRACKING_URI": unreachable_tracking_uri},
    )
    try:
        yield server
    finally:
        _stop(proc)


class _RefusingServer(BaseHTTPRequestHandler):
    """An MLflow server behind basic auth, as seen without credentials: 401 to anything."""

    def do_GET(self):  # noqa: N802 -- http.server's name
        body = b"You are not authenticated."
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="mlflow"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def refusing_tracking_uri() -> Iterator[str]:
    """An MLflow REST URI on loopback that answers every request 401."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefusingServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def lab_refused_backend(
    tmp_path_factory, artifacts_dir, refusing_tracking_uri
) -> Iterator[LabServer]:
    """Like `lab`, but MLFLOW_TRACKING_URI names a server that refuses labtrack (no
    credentials in the environment)."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-refused"),
        artifacts_dir / "jupyter-lab-refused.log",
        {"MLFLOW_TRACKING_URI": refusing_tracking_uri},
    )
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def lab_without_server_extension(tmp_path_factory, artifacts_dir) -> Iterator[LabServer]:
    """Like `lab`, but labtrack's server extension is disabled: the front end is alone."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-no-server-extension"),
        artifacts_dir / "jupyter-lab-no-server-extension.log",
        server_config={"ServerApp": {"jpserver_extensions": {"labtrack": False}}},
    )
    try:
        yield server
    finally:
        _stop(proc)


APP_READY_TIMEOUT_MS = 60_000


@pytest.fixture
def page_alerts(page: Page) -> list[str]:
    """The messages of every alert() the page raises from now on, each dismissed: a run name,
    tag or artifact holding HTML or script that the page let run would raise one."""
    messages: list[str] = []

    def record(dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return messages


@pytest.fixture
def open_lab(page):
    """Open a JupyterLab URL path of `server` (fresh workspace); wait until the app has started."""

    def _open(server: LabServer, path: str = "lab") -> None:
        sep = "&" if "?" in path else "?"
        page.goto(server.url(f"{path}{sep}reset"))
        page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=APP_READY_TIMEOUT_MS)
        page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=APP_READY_TIMEOUT_MS)

    return _open


KERNEL_READY_TIMEOUT_MS = 60_000


def wait_for_idle_kernel(page: Page) -> None:
    """Wait until the open notebook's Python 3 kernel has started and is idle (status bar)."""
    expect(
        page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")
    ).to_be_visible(timeout=KERNEL_READY_TIMEOUT_MS)


@pytest.fixture
def idle_kernel(page):
    """`idle_kernel()` waits for the open notebook's kernel to be started and idle."""
    return lambda: wait_for_idle_kernel(page)


def _rgba(css: str) -> tuple[float, float, float, float]:
    """A computed colour as 0-255 channels and an alpha: ``rgb()``/``rgba()``, or the
    ``color(srgb r g b / a)`` Chromium gives for a ``color-mix()`` (channels 0-1)."""
    parts = [float(x) for x in re.findall(r"[\d.]+", css.replace("color(srgb", ""))]
    alpha = parts[3] if len(parts) > 3 else 1.0
    if css.startswith("color(srgb"):
        return (*(channel * 255 for channel in parts[:3]), alpha)
    return (*parts[:3], alpha)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast_ratio(page: Page, text_selector: str, background_selector: str) -> float:
    """WCAG contrast of the first `text_selector` element's colour over the background of its
    closest `background_selector` ancestor (which must be opaque)."""
    colors = page.evaluate(
        """([textSelector, backgroundSelector]) => {
            const text = document.querySelector(textSelector);
            const background = text.closest(backgroundSelector);
            return [getComputedStyle(text).color, getComputedStyle(background).backgroundColor];
        }""",
        [text_selector, background_selector],
    )
    fg, bg = _rgba(colors[0]), _rgba(colors[1])
    assert bg[3] == 1.0, f"{background_selector} background should be opaque, got {colors[1]}"
    blended = tuple(fg[3] * f + (1 - fg[3]) * b for f, b in zip(fg[:3], bg[:3], strict=True))
    light, dark = sorted((_luminance(blended), _luminance(bg[:3])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _use_theme(page: Page, name: str) -> None:
    """Pick a theme from Settings → Theme and wait until it is applied."""
    page.locator(".lm-MenuBar-item", has_text="Settings").click()
    page.locator(".lm-Menu-item", has_text="Theme").first.hover()
    page.locator(".lm-Menu-item", has_text=name).first.click()
    light = "false" if "Dark" in name else "true"
    expect(page.locator(f"body[data-jp-theme-light='{light}']")).to_have_count(1, timeout=30_000)
    # JupyterLab covers the page with its splash while the theme loads; wait it out
    # so screenshots show the page, not the splash.
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=30_000)


@pytest.fixture
def contrast(page):
    """`contrast(text_selector, background_selector)`: WCAG contrast ratio on the page."""
    return lambda text_selector, background_selector: _contrast_ratio(
        page, text_selector, background_selector
    )


@pytest.fixture
def switch_theme(page):
    """`switch_theme("JupyterLab Dark")`: choose a theme the way a person does.

    The choice is saved in the server's settings dir; it is removed from every started
    server's afterwards, so the next test starts in the default theme.
    """
    yield lambda name: _use_theme(page, name)
    for server in STARTED_SERVERS:
        themes = server.settings_dir / "@jupyterlab" / "apputils-extension"
        (themes / "themes.jupyterlab-settings").unlink(missing_ok=True)
