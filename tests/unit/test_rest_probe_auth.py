"""The reachability probe sends the tracking server's credentials, as MLflow's client does:
a server behind basic auth or a bearer token is reachable, not "HTTP 401"."""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from labtrack.backend.health import probe
from labtrack.backend.location import resolve_backend

ACCEPTED = {
    "Basic " + base64.b64encode(b"alice:s3cret").decode(),
    "Bearer team-token",
}


class AuthenticatingServer(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 -- http.server's name
        ok = self.headers.get("Authorization") in ACCEPTED
        body = b'{"experiments": []}' if ok else b'{"error_code": "UNAUTHENTICATED"}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), AuthenticatingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_without_credentials_the_server_answers_401_and_is_unreachable(server_url):
    result = probe(resolve_backend(explicit_uri=server_url))
    assert not result.reachable and "401" in result.error


def test_username_and_password_from_the_environment_are_sent(server_url, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "s3cret")
    assert probe(resolve_backend(explicit_uri=server_url)).reachable


def test_a_token_from_the_environment_is_sent(server_url, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "team-token")
    assert probe(resolve_backend(explicit_uri=server_url)).reachable
