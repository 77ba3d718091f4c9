"""The buffered metric path against a real ``mlflow server``, and points kept when it dies."""

from __future__ import annotations

import json
import re

import mlflow
import pytest
from mlflow_server import MlflowServer
from real_kernels import RealKernel, kernel_env

from labtrack.metrics.journal import PendingPoints
from labtrack.metrics.points import MetricPoint


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    started = MlflowServer(tmp_path_factory.mktemp("shared-server"))
    yield started
    started.stop()


@pytest.fixture
def server(shared_server):
    return shared_server


@pytest.fixture
def own_server(tmp_path):
    """A server this test alone uses (it may stop it)."""
    started = MlflowServer(tmp_path / "server")
    yield started
    started.stop()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def _rest_kernel(folder, home, url):
    env = kernel_env(
        home,
        MLFLOW_TRACKING_URI=url,
        # A refused connection fails at once instead of after MLflow's retries.
        MLFLOW_HTTP_REQUEST_MAX_RETRIES="0",
        MLFLOW_HTTP_REQUEST_TIMEOUT="5",
    )
    kernel = RealKernel(folder, env)
    assert kernel.execute("%load_ext labtrack").status == "ok"
    return kernel


@pytest.fixture
def rest_kernel(tmp_path, home, server):
    kernel = _rest_kernel(tmp_path, home, server.url)
    yield kernel
    kernel.shutdown()


@pytest.fixture
def dying_server_kernel(tmp_path, home, own_server):
    kernel = _rest_kernel(tmp_path, home, own_server.url)
    yield kernel, own_server
    kernel.shutdown()


def test_points_logged_to_an_mlflow_server_land_exactly_once(rest_kernel, server):
    reply = rest_kernel.execute(
        "%%track --name over-rest --no-live\n"
        "import mlflow, labtrack\n"
        "from mlflow.entities import Metric\n"
        "run_id = mlflow.active_run().info.run_id\n"
        "for step in range(300):\n"
        "    mlflow.log_metric('fluent', step * 1.0, step=step)\n"
        "    labtrack.log_metric('labtrack', step * 2.0, step=step)\n"
        "mlflow.MlflowClient().log_batch(\n"
        "    run_id, metrics=[Metric('batch', float(s), 1, s) for s in range(1500)])\n"
        "mlflow.log_metric('nan', float('nan'))\n"
    )
    assert reply.status == "ok", reply.stdout + reply.stderr
    run_id = re.search(r"\(([0-9a-f]{32})\)", reply.stdout).group(1)
    client = mlflow.MlflowClient(tracking_uri=server.url)
    assert client.get_run(run_id).info.status == "FINISHED"
    for key, count in (("fluent", 300), ("labtrack", 300), ("batch", 1500)):
        steps = sorted(m.step for m in client.get_metric_history(run_id, key))
        assert steps == list(range(count)), key
    assert str(client.get_run(run_id).data.metrics["nan"]) == "nan"


def test_points_the_server_refuses_are_kept_aside_and_the_rest_land(rest_kernel, server, home):
    reply = rest_kernel.execute(
        "%%track --name refused-points --no-live\n"
        "import mlflow, labtrack\n"
        "c = mlflow.MlflowClient()\n"
        "with mlflow.start_run(nested=True) as child:\n"
        "    mlflow.log_metric('loss', 1.0, step=0)\n"
        "c.delete_run(child.info.run_id)  # a point logged to it now cannot be stored\n"
        "c.log_metric(child.info.run_id, 'loss', 2.0, step=1)\n"
        "for step in range(100):\n"
        "    labtrack.log_metric('acc', step / 100, step=step)\n"
    )
    assert reply.status == "ok", reply.stdout + reply.stderr
    run_id = re.search(r"\(([0-9a-f]{32})\)", reply.stdout.splitlines()[-1]).group(1)
    client = mlflow.MlflowClient(tracking_uri=server.url)
    assert len(client.get_metric_history(run_id, "acc")) == 100
    kept = home / "pending" / "rejected" / f"{run_id}.jsonl"
    assert "rejected 1 metric point(s)" in reply.stderr and str(kept) in reply.stderr
    (point,) = [json.loads(line) for line in kept.read_text().splitlines()[1:]]
    assert (point["key"], point["value"], point["step"]) == ("loss", 2.0, 1)


def test_a_server_that_dies_mid_run_gets_the_run_kept_on_disk_with_one_notice(
    dying_server_kernel, tmp_path, home
):
    rest_kernel, server = dying_server_kernel
    stopped = tmp_path / "server-stopped"
    rest_kernel.start(
        "%%track --name server-dies --no-live\n"
        "import mlflow, labtrack, os, time\n"
        "print('run', mlflow.active_run().info.run_id, flush=True)\n"
        f"while not os.path.exists({str(stopped)!r}):\n"
        "    time.sleep(0.1)\n"
        "for step in range(300):\n"
        "    labtrack.log_metric('loss', 1.0 / (step + 1), step=step)\n"
    )
    run_id = _wait_for_run_id(rest_kernel)
    server.stop()
    stopped.touch()
    reply = rest_kernel.client.get_shell_msg(timeout=120)
    output = _drain_output(rest_kernel)
    journal = home / "pending" / f"{run_id}.jsonl"
    notices = [line for line in output.splitlines() if "stopped taking metric points" in line]
    assert len(notices) == 1 and str(journal) in notices[0], output
    assert "connection refused" in notices[0]
    (last,) = [line for line in output.splitlines() if line.startswith("labtrack: run ")]
    assert "FINISHED" in last and f"the run's end is kept in {journal}" in last
    assert "Traceback" not in output
    lines = journal.read_text().splitlines()
    assert json.loads(lines[0])["tracking_uri"] == server.url
    entries = [json.loads(line) for line in lines[1:]]
    points = [entry for entry in entries if "op" not in entry]
    # The loop's points, and beside them the machine's samples (system/…), all kept
    assert sorted(p["step"] for p in points if p["key"] == "loss") == list(range(300))
    assert all(p["key"] == "loss" or p["key"].startswith("system/") for p in points)
    assert {p["run_id"] for p in points} == {run_id}
    operations = [entry["op"] for entry in entries if "op" in entry]
    assert operations[-1] == "end" and entries[-1]["status"] == "FINISHED"
    assert reply["content"]["status"] == "ok"


def test_points_saved_by_a_failed_flush_are_written_by_the_next_tracked_cell(
    run_cell, client, labtrack_home
):
    earlier = run_cell("%%track --name had-unsaved-points --no-live\nx = 1\n")
    pending = PendingPoints(labtrack_home / "pending", mlflow.get_tracking_uri())
    saved = [
        MetricPoint(earlier.run_id, "loss", 0.5, 1_000, 0),
        MetricPoint(earlier.run_id, "loss", float("nan"), 1_001, 1),
    ]
    path = pending.save(earlier.run_id, saved)
    following = run_cell("%%track --name next-cell --no-live\nx = 2\n")
    assert following.result.success
    history = client.get_metric_history(earlier.run_id, "loss")
    assert sorted((m.step, str(m.value)) for m in history) == [(0, "0.5"), (1, "nan")]
    assert not path.exists()
    assert f"wrote 2 unsaved point(s) from {path}" in following.err


def _wait_for_run_id(kernel: RealKernel) -> str:
    text = ""
    while True:
        message = kernel.client.get_iopub_msg(timeout=60)
        if message["header"]["msg_type"] == "stream":
            text += message["content"]["text"]
            found = re.search(r"run ([0-9a-f]{32})", text)
            if found:
                return found.group(1)


def _drain_output(kernel: RealKernel) -> str:
    text = ""
    while True:
        try:
            message = kernel.client.get_iopub_msg(timeout=2)
        except Exception:
            return text
        if message["header"]["msg_type"] == "stream":
            text += message["content"]["text"]
