"""An HTTP proxy in front of ``mlflow server`` that lies about metric writes.

It forwards every request to the server and passes the answer back, except for the
first ``fail_first`` ``POST /api/2.0/mlflow/runs/log-batch`` requests that carry
metric points: those are forwarded, the server answers (and has committed them),
and the proxy then tells the client ``500`` instead. That is the fault a load
balancer or a server dying between commit and answer produces, and the one only a
proxy can produce on demand: the client must retry, and the retry must not store
the points twice.

A threaded ``http.server`` on a free loopback port, forwarding with ``requests``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from mlflow_server import free_port

LOG_BATCH_PATH = "/api/2.0/mlflow/runs/log-batch"
# Not forwarded either way: they describe one connection, or a body requests decoded.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "content-encoding",
    "host",
}


class FaultyProxy:
    """Forwards to ``target``; answers 500 to the first ``fail_first`` metric batches
    after the server stored them."""

    def __init__(self, target: str, fail_first: int) -> None:
        self.target = target.rstrip("/")
        self.fail_first = fail_first
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # What went through, for the test's assertions.
        self.metric_batches = 0  # forwarded to the server and answered 200 by it
        self.failed = 0  # of those, answered 500 to the client
        self.points_forwarded = 0
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="faulty-proxy", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._session.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as MLflow's client expects

            def do_GET(self) -> None:
                proxy._forward(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

            def log_message(self, *_args) -> None:
                pass  # quiet

        return Handler

    def _forward(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            answer = self._session.request(
                request.command,
                f"{self.target}{request.path}",
                data=body,
                headers=headers,
                timeout=60,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            self._reply(request, 502, {"Content-Type": "text/plain"}, str(error).encode())
            return
        status, content = answer.status_code, answer.content
        reply_headers = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
        points = _metric_count(request.command, request.path, body)
        if points and status == 200:
            with self._lock:
                self.metric_batches += 1
                self.points_forwarded += points
                sabotage = self.failed < self.fail_first
                if sabotage:
                    self.failed += 1
            if sabotage:
                status = 500
                reply_headers = {"Content-Type": "application/json"}
                content = json.dumps(
                    {
                        "error_code": "INTERNAL_ERROR",
                        "message": "injected by the test proxy after the server committed",
                    }
                ).encode()
        self._reply(request, status, reply_headers, content)

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], content: bytes
    ) -> None:
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(content)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(content)


def _metric_count(method: str, path: str, body: bytes) -> int:
    """How many metric points a request writes through ``log-batch`` (0 for any other)."""
    if method != "POST" or path.split("?", 1)[0] != LOG_BATCH_PATH:
        return 0
    try:
        return len(json.loads(body or b"{}").get("metrics") or [])
    except ValueError:
        return 0
