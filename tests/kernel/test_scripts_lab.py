"""The README's first command, `scripts/lab`, opens JupyterLab on examples/, also as root
(as in most containers, where Jupyter refuses root unless told --allow-root)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_scripts_lab_serves_the_examples(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    env = {
        **os.environ,
        "LABTRACK_HOME": str(tmp_path / "home"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    with log.open("w") as output:
        lab = subprocess.Popen(
            [
                str(REPO / "scripts" / "lab"),
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--IdentityProvider.token={token}",
            ],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        listing = _wait_for_contents(
            f"http://127.0.0.1:{port}/api/contents?token={token}", lab, log
        )
        names = {entry["name"] for entry in listing["content"]}
        assert {"quickstart.ipynb", "your_mlflow_code.ipynb"} <= names
        text = log.read_text()
        assert "labtrack: [2/3] installing" in text  # it says what it is doing
        if os.geteuid() == 0:
            assert "running as root" in text and "--allow-root" in text
    finally:
        os.killpg(lab.pid, 15)
        lab.wait(30)


def _wait_for_contents(url: str, lab: subprocess.Popen, log: Path, timeout: float = 600.0):
    """The server's listing of its root, once it answers (the install comes first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lab.poll() is not None:
            raise AssertionError(f"scripts/lab exited with {lab.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return json.load(answer)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)  # polling for the server to come up, not before an assertion
    raise AssertionError(f"scripts/lab did not answer within {timeout} s:\n{log.read_text()}")
