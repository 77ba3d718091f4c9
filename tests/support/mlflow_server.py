"""A real ``mlflow server`` on a free loopback port, for tests of the REST backend."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from processes import stop_process

START_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MlflowServer:
    """``mlflow server`` on SQLite with local artifacts, unless told a backend store URI, an
    artifacts destination (served through the server: ``mlflow-artifacts:``) and the
    environment they need (e.g. S3 credentials). ``app_name`` starts one of MLflow's server
    apps (``basic-auth``); ``auth`` is the (username, password) the readiness probe sends
    to such a server."""

    def __init__(
        self,
        folder: Path,
        backend_store_uri: str | None = None,
        artifacts_destination: str | None = None,
        extra_env: dict[str, str] | None = None,
        workers: int = 1,
        app_name: str | None = None,
        auth: tuple[str, str] | None = None,
        start: bool = True,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / "mlflow-server.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MLFLOW_", "_MLFLOW_"))
        }
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        # MLflow 3 starts a job runner and seven huey consumer processes for its GenAI
        # jobs, which labtrack never submits: on two cores they double the start time.
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        env.update(extra_env or {})
        self._cwd = folder
        self._env = env
        self._command = [
            sys.executable,
            "-m",
            "mlflow",
            "server",
            "--backend-store-uri",
            backend_store_uri or f"sqlite:///{folder}/server.db",
            "--artifacts-destination",
            artifacts_destination or str(folder / "artifacts"),
            "--serve-artifacts",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            *(["--app-name", app_name] if app_name else []),
        ]
        self._auth = auth
        if start:  # False: the URL is known now, ``restart`` starts it
            self._start()

    def _start(self) -> None:
        self._log = open(self.log_path, "ab")  # noqa: SIM115 -- closed in stop()
        self.process = subprocess.Popen(
            self._command,
            cwd=self._cwd,
            env=self._env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group: ``mlflow server`` runs uvicorn and a job runner as
            # children, which must go down (and free the port) with it.
            start_new_session=True,
        )
        self._wait_until_ready(self._auth)

    def restart(self) -> None:
        """Start it again on the same port and store (after ``stop``), or for the first
        time (made with ``start=False``)."""
        self._start()

    def kill(self) -> None:
        """SIGKILL to the server and its workers, as a crash leaves them: no shutdown."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_until_port_is_free()
        self._log.close()

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def _wait_until_port_is_free(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"port {self.port} still answers after the server was stopped")

    def _wait_until_ready(self, auth: tuple[str, str] | None = None) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # /health answers before a worker has opened its store; the first store
                # request then takes seconds (measured 3-6 s on PostgreSQL). Ready means
                # the store answers: with one worker, that worker is then warm.
                if requests.get(f"{self.url}/health", timeout=5).status_code == 200:
                    search = f"{self.url}/api/2.0/mlflow/experiments/search"
                    answer = requests.get(search, params={"max_results": 1}, timeout=60, auth=auth)
                    if answer.status_code == 200:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"mlflow server did not start; log:\n{self.log_path.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self._signal_group(signal.SIGKILL)  # workers a slow shutdown left behind
        stop_process(self.process)
        self._wait_until_port_is_free()
        self._log.close()
