"""labtrack against ``mlflow server --app-name basic-auth`` (PostgreSQL, S3 through the
proxy): credentials from the environment, as MLflow's client reads them, reach the server
from the kernel and from the reachability probe; missing or wrong ones give one clear line.

The bearer-token case is checked against a tiny local server that only looks at the
``Authorization`` header (MLflow's basic-auth app takes no tokens).
"""

from __future__ import annotations

import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from mlflow import MlflowClient
from real_kernels import RealKernel, kernel_env

from labtrack.backend.health import probe
from labtrack.backend.location import resolve_backend

TAG = uuid.uuid4().hex[:6]
STEPS = 200
RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '([^']+)' (\w+)")
CREDENTIALS = ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN")

CELL = (
    "%%track --experiment {experiment} --name auth-loop --no-live\n"
    "import mlflow\n"
    f"for step in range({STEPS}):\n"
    "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
)


@pytest.fixture(autouse=True)
def no_credentials_in_this_process(monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


def _kernel(folder, url: str, **credentials: str) -> RealKernel:
    return RealKernel(folder, kernel_env(folder / "home", MLFLOW_TRACKING_URI=url, **credentials))


def test_the_server_refuses_anonymous_requests(auth_server):
    search = f"{auth_server.url}/api/2.0/mlflow/experiments/search"
    assert requests.get(search, params={"max_results": 1}, timeout=30).status_code == 401
    as_user = requests.get(search, params={"max_results": 1}, auth=auth_server.user, timeout=30)
    assert as_user.status_code == 200


def test_a_kernel_with_credentials_in_its_environment_tracks_every_point(auth_server, tmp_path):
    # Given a kernel whose environment holds the user's MLflow credentials
    username, password = auth_server.user
    kernel = _kernel(
        tmp_path,
        auth_server.url,
        MLFLOW_TRACKING_USERNAME=username,
        MLFLOW_TRACKING_PASSWORD=password,
    )
    try:
        loaded = kernel.execute("%load_ext labtrack")
        reply = kernel.execute(CELL.format(experiment=f"auth-{TAG}"), timeout=300)
    finally:
        kernel.shutdown()
    # Then the cell's run is FINISHED, with every point, and recorded as the user's
    assert loaded.status == "ok" and "could not" not in loaded.stderr, loaded.stderr
    found = RUN_LINE.search(reply.stdout)
    assert reply.status == "ok" and found, reply.stdout + reply.stderr
    assert found.group(4) == "FINISHED"
    admin = MlflowClient(tracking_uri=auth_server.url)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MLFLOW_TRACKING_USERNAME", auth_server.admin[0])
        env.setenv("MLFLOW_TRACKING_PASSWORD", auth_server.admin[1])
        run = admin.get_run(found.group(2))
        history = admin.get_metric_history(run.info.run_id, "loss")
        artifacts = [a.path for a in admin.list_artifacts(run.info.run_id, "labtrack")]
    assert run.info.status == "FINISHED"
    assert sorted(p.step for p in history) == list(range(STEPS))
    assert "labtrack/cell.py" in artifacts  # uploaded through the proxy, as the user


def test_a_kernel_without_credentials_gets_one_line_naming_the_auth_failure(auth_server, tmp_path):
    kernel = _kernel(tmp_path, auth_server.url)
    try:
        loaded = kernel.execute("%load_ext labtrack")
        reply = kernel.execute(CELL.format(experiment=f"anonymous-{TAG}"), timeout=120)
    finally:
        kernel.shutdown()
    assert loaded.status == "ok"
    assert reply.status == "error"
    lines = [line for line in reply.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, reply.stderr
    (line,) = lines
    assert "Traceback" not in reply.stderr and "Response body" not in line
    assert "unauthorized" in line and auth_server.url in line
    assert "MLFLOW_TRACKING_USERNAME" in line and "MLFLOW_TRACKING_PASSWORD" in line


def test_a_kernel_with_a_wrong_password_is_told_its_credentials_were_refused(auth_server, tmp_path):
    kernel = _kernel(
        tmp_path,
        auth_server.url,
        MLFLOW_TRACKING_USERNAME=auth_server.user[0],
        MLFLOW_TRACKING_PASSWORD="not-the-password",
    )
    try:
        kernel.execute("%load_ext labtrack")
        reply = kernel.execute(CELL.format(experiment=f"wrong-{TAG}"), timeout=120)
    finally:
        kernel.shutdown()
    lines = [line for line in reply.stderr.splitlines() if line.strip()]
    assert reply.status == "error" and len(lines) == 1, reply.stderr
    assert f"refused the credentials of MLFLOW_TRACKING_USERNAME={auth_server.user[0]}" in lines[0]


def test_a_shared_experiment_needs_edit_permission_which_the_admin_grants(auth_server, tmp_path):
    # Given an experiment the admin created (every user may read it, default READ)
    name = f"shared-{TAG}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MLFLOW_TRACKING_USERNAME", auth_server.admin[0])
        env.setenv("MLFLOW_TRACKING_PASSWORD", auth_server.admin[1])
        experiment_id = MlflowClient(tracking_uri=auth_server.url).create_experiment(name)
    username, password = auth_server.user
    kernel = _kernel(
        tmp_path,
        auth_server.url,
        MLFLOW_TRACKING_USERNAME=username,
        MLFLOW_TRACKING_PASSWORD=password,
    )
    try:
        kernel.execute("%load_ext labtrack")
        # When the user tracks a cell into it: one line saying permission is denied
        denied = kernel.execute(CELL.format(experiment=name), timeout=120)
        lines = [line for line in denied.stderr.splitlines() if line.strip()]
        assert denied.status == "error" and len(lines) == 1, denied.stderr
        assert "permission denied" in lines[0] and f"user '{username}'" in lines[0]
        # And once the admin grants EDIT through MLflow's auth API, the same cell runs
        with pytest.MonkeyPatch.context() as env:
            env.setenv("MLFLOW_TRACKING_USERNAME", auth_server.admin[0])
            env.setenv("MLFLOW_TRACKING_PASSWORD", auth_server.admin[1])
            from mlflow.server import get_app_client

            auth = get_app_client("basic-auth", tracking_uri=auth_server.url)
            auth.grant_user_permission(username, "experiment", experiment_id, "EDIT")
        granted = kernel.execute(CELL.format(experiment=name), timeout=300)
    finally:
        kernel.shutdown()
    found = RUN_LINE.search(granted.stdout)
    assert granted.status == "ok" and found and found.group(4) == "FINISHED", granted.stderr


def test_the_probe_reports_wrong_credentials_as_unauthorized_not_unreachable(
    auth_server, monkeypatch
):
    location = resolve_backend(explicit_uri=auth_server.url)
    anonymous = probe(location)
    assert (anonymous.reachable, anonymous.unauthorized) == (False, True)
    assert anonymous.error.startswith("unauthorized:") and "unreachable" not in anonymous.error
    assert "MLFLOW_TRACKING_USERNAME" in anonymous.error
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", auth_server.user[0])
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "not-the-password")
    wrong = probe(location)
    assert wrong.unauthorized and "refused the credentials" in wrong.error
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", auth_server.user[1])
    assert probe(location).reachable


class TokenChecker(BaseHTTPRequestHandler):
    """Answers MLflow's experiment search only with ``Bearer team-token``; remembers what
    each request sent."""

    seen: list[str | None] = []

    def do_GET(self):  # noqa: N802 -- http.server's name
        header = self.headers.get("Authorization")
        TokenChecker.seen.append(header)
        ok = header == "Bearer team-token"
        body = b'{"experiments": []}' if ok else b"You are not authenticated."
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def token_server():
    TokenChecker.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), TokenChecker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_probe_passes_a_bearer_token_through(token_server, monkeypatch):
    location = resolve_backend(explicit_uri=token_server)
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "team-token")
    assert probe(location).reachable
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "stale-token")
    refused = probe(location)
    assert refused.unauthorized and "refused the token in MLFLOW_TRACKING_TOKEN" in refused.error
    assert TokenChecker.seen == ["Bearer team-token", "Bearer stale-token"]


def test_a_password_in_the_tracking_uri_never_shows_in_the_probes_message(token_server):
    with_password = token_server.replace("http://", "http://alice:uri-secret@")
    refused = probe(resolve_backend(explicit_uri=with_password))
    assert refused.unauthorized and "uri-secret" not in refused.error
    assert "alice:***@127.0.0.1" in refused.error
