"""The server extension resolves the same backend as the kernel and reports on it."""

from __future__ import annotations

import json
import os
import socket
import time

import mlflow
import pytest

from labtrack import __version__


async def test_status_reports_the_embedded_backend(jp_fetch, labtrack_home):
    response = await jp_fetch("labtrack", "api", "status")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    status = json.loads(response.body)
    assert status["labtrack_version"] == __version__
    assert status["mlflow_version"] == mlflow.__version__
    assert status["backend"] == {
        "kind": "embedded",
        "tracking_uri": f"sqlite:///{labtrack_home}/mlflow.db",
        "artifact_root": str(labtrack_home / "artifacts"),
        "source": "embedded",
    }
    assert status["reachable"] is True
    assert status["error"] is None


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_backend(monkeypatch, closed_port, jp_server_config):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{closed_port}")
    return jp_server_config


async def test_an_unreachable_backend_is_reported_quickly(unreachable_backend, jp_fetch):
    started = time.monotonic()
    response = await jp_fetch("labtrack", "api", "status")
    elapsed = time.monotonic() - started
    status = json.loads(response.body)
    assert status["backend"]["kind"] == "rest"
    assert status["backend"]["source"] == "env"
    assert status["reachable"] is False
    uri = status["backend"]["tracking_uri"]
    assert status["error"] == f"ConnectionError: connection refused ({uri})"
    assert elapsed < 10


async def test_the_server_sees_runs_a_kernel_logged_from_another_folder(
    jp_fetch, jp_root_dir, labtrack_home, tmp_path, monkeypatch
):
    from real_kernels import RealKernel, kernel_env

    server_folder = jp_root_dir
    kernel_folder = tmp_path / "elsewhere" / "notebooks"
    kernel_folder.mkdir(parents=True)
    monkeypatch.chdir(server_folder)
    assert os.path.realpath(os.getcwd()) != os.path.realpath(kernel_folder)

    kernel = RealKernel(kernel_folder, kernel_env(labtrack_home))
    try:
        assert kernel.execute("%load_ext labtrack").status == "ok"
        tracked = kernel.execute("%%track --name from-another-folder\nimport mlflow\nx = 1\n")
        assert tracked.status == "ok", tracked.stderr
        kernel_uri = kernel.execute("import mlflow; print(mlflow.get_tracking_uri())")
    finally:
        kernel.shutdown()

    status = json.loads((await jp_fetch("labtrack", "api", "status")).body)
    assert status["backend"]["tracking_uri"] == kernel_uri.stdout.strip()
    client = mlflow.MlflowClient(tracking_uri=status["backend"]["tracking_uri"])
    runs = client.search_runs(["0"], "attributes.run_name = 'from-another-folder'")
    assert [run.info.status for run in runs] == ["FINISHED"]


@pytest.mark.parametrize(
    "path",
    [
        ("experiments",),
        ("runs",),
        ("runs", "0" * 32),
        ("runs", "0" * 32, "metrics", "loss"),
        ("runs", "0" * 32, "artifacts"),
        ("models",),
    ],
)
async def test_routes_answer_503_quickly_when_the_backend_is_unreachable(
    unreachable_backend, jp_fetch, path
):
    from tornado.httpclient import HTTPClientError

    started = time.monotonic()
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("labtrack", "api", *path, params={"experiment_ids": "0"})
    assert refused.value.code == 503
    body = json.loads(refused.value.response.body)
    assert "unreachable" in body["message"]
    assert time.monotonic() - started < 10
