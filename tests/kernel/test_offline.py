"""Offline fallback in a real kernel against a real ``mlflow server`` that goes away.

A cell started while the server is down runs in the server's local spool and is sent,
exactly once, by ``%track sync`` or by the automatic retry once the server is back.
(PostgreSQL-backed versions of the faults: ``tests/scale/test_faults.py``.)
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow_server import MlflowServer
from real_kernels import RealKernel, kernel_env

from labtrack.offline.spool import SERVER_TAG, SPOOL_RUN_TAG, SYNCED_RUN_TAG, spool_for

RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '([^']+)' (\w+)")

OFFLINE_CELL = (
    "%%track --experiment offline-exp --name offline-run --no-live\n"
    "import mlflow\n"
    "for step in range(100):\n"
    "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
    "mlflow.log_param('lr', 0.1)\n"
    "mlflow.log_text('hello', 'notes/hello.txt')\n"
    "from sklearn.linear_model import LinearRegression\n"
    "fitted = LinearRegression().fit([[0.0], [1.0]], [0.0, 2.0])\n"
    "mlflow.sklearn.log_model(fitted, name='offline-model')\n"
    "with mlflow.start_run(run_name='child', nested=True):\n"
    "    for step in range(10):\n"
    "        mlflow.log_metric('acc', step / 10, step=step)\n"
)


@pytest.fixture
def server(tmp_path):
    started = MlflowServer(tmp_path / "server")
    yield started
    started.stop()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def _kernel(tmp_path, home, url) -> RealKernel:
    kernel = RealKernel(tmp_path, kernel_env(home, MLFLOW_TRACKING_URI=url))
    assert kernel.execute("%load_ext labtrack").status == "ok"
    return kernel


def _server_runs(url: str) -> list:
    client = mlflow.MlflowClient(tracking_uri=url)
    experiment = client.get_experiment_by_name("offline-exp")
    if experiment is None:
        return []
    return client.search_runs([experiment.experiment_id], run_view_type=ViewType.ALL)


def _both_ended(url: str) -> bool:
    runs = _server_runs(url)
    return len(runs) == 2 and all(run.info.status == "FINISHED" for run in runs)


def _assert_sent_exactly_once(url: str, offline_run_id: str) -> None:
    client = mlflow.MlflowClient(tracking_uri=url)
    runs = {run.info.run_name: run for run in _server_runs(url)}
    assert sorted(runs) == ["child", "offline-run"]
    parent, child = runs["offline-run"], runs["child"]
    assert parent.data.tags[SPOOL_RUN_TAG] == offline_run_id
    assert parent.info.run_id != offline_run_id  # the server chose its id: mapping kept
    assert parent.info.status == "FINISHED" and child.info.status == "FINISHED"
    assert child.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert parent.data.params == {"lr": "0.1"}
    loss = client.get_metric_history(parent.info.run_id, "loss")
    assert sorted(m.step for m in loss) == list(range(100))
    assert len(client.get_metric_history(child.info.run_id, "acc")) == 10
    paths = {a.path for a in client.list_artifacts(parent.info.run_id, "notes")}
    assert paths == {"notes/hello.txt"}
    # The model logged offline is the server's too, once, linked to the run's copy.
    models = client.search_logged_models([parent.info.experiment_id])
    assert [(m.name, m.source_run_id, str(m.status)) for m in models] == [
        ("offline-model", parent.info.run_id, "READY")
    ]
    assert [o.model_id for o in parent.outputs.model_outputs] == [models[0].model_id]
    assert {a.path for a in client.list_logged_model_artifacts(models[0].model_id)} >= {"MLmodel"}
    assert parent.data.tags[SERVER_TAG] == url


def test_a_cell_started_while_the_server_is_down_runs_offline_and_is_synced_once(
    tmp_path, home, server
):
    server.stop()
    kernel = _kernel(tmp_path, home, server.url)
    try:
        reply = kernel.execute(OFFLINE_CELL, timeout=180)
        assert reply.status == "ok", reply.stdout + reply.stderr
        notices = [line for line in reply.stderr.splitlines() if "is unreachable" in line]
        assert len(notices) == 1, reply.stderr
        spool = spool_for(server.url, home)
        assert str(spool.folder) in notices[0] and "%track sync" in notices[0]
        found = RUN_LINE.search(reply.stdout)
        assert found and found.group(4) == "FINISHED", reply.stdout
        assert "kept offline" in reply.stdout
        offline_run_id = found.group(2)

        still_down = kernel.execute("%track sync")
        assert "unreachable" in still_down.stdout and "nothing was sent" in still_down.stdout

        # The spool holds the loop's 100 points and the machine's (system/…) samples
        spooled = mlflow.MlflowClient(tracking_uri=spool.tracking_uri)
        keys = spooled.get_run(offline_run_id).data.metrics
        points = sum(len(spooled.get_metric_history(offline_run_id, key)) for key in keys)
        assert "loss" in keys and any(key.startswith("system/") for key in keys), keys

        server.restart()
        synced = kernel.execute("%track sync", timeout=180)
        assert synced.status == "ok", synced.stdout + synced.stderr
        assert f"sent run offline-run ({offline_run_id})" in synced.stdout
        assert f"{points} metric point(s)" in synced.stdout and "1 model(s)" in synced.stdout
        _assert_sent_exactly_once(server.url, offline_run_id)
        local = mlflow.MlflowClient(tracking_uri=spool.tracking_uri).get_run(offline_run_id)
        (parent,) = [r for r in _server_runs(server.url) if r.info.run_name == "offline-run"]
        assert local.data.tags[SYNCED_RUN_TAG] == parent.info.run_id

        again = kernel.execute("%track sync")
        assert "nothing to send" in again.stdout
        _assert_sent_exactly_once(server.url, offline_run_id)
    finally:
        kernel.shutdown()


def test_offline_runs_are_sent_without_being_asked_once_the_server_is_back(tmp_path, home, server):
    server.stop()
    kernel = _kernel(tmp_path, home, server.url)
    try:
        reply = kernel.execute(OFFLINE_CELL, timeout=180)
        offline_run_id = RUN_LINE.search(reply.stdout).group(2)
        server.restart()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _both_ended(server.url):
            time.sleep(1)
        _assert_sent_exactly_once(server.url, offline_run_id)
        assert "nothing to send" in kernel.execute("%track sync").stdout
    finally:
        kernel.shutdown()


MID_RUN_CELL = """%%track --experiment mid-run-exp --name mid-run --no-live
import pathlib, time
import labtrack, mlflow

signals = pathlib.Path({signals!r})

def pause(name):
    (signals / f"at-{{name}}").write_text(mlflow.active_run().info.run_id)
    while not (signals / f"go-{{name}}").exists():
        time.sleep(0.02)

run_id = mlflow.active_run().info.run_id
mlflow.log_param('lr', 0.1)
for step in range(50):
    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)
assert labtrack.flush(60)
pause('down')
for step in range(50, 100):
    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)
# The sink has not tried the server since it went away: MLflow's own call fails first.
mlflow.log_param('late', 'yes')
assert labtrack.flush(60)  # journaled: the sink is offline now
mlflow.set_tag('phase', 'offline')
mlflow.log_params({{'a': 1, 'b': 2}})
mlflow.MlflowClient().set_tag(run_id, 'from_client', 'yes')
mlflow.log_param('lr', 0.1)  # the same value again: allowed, as MLflow allows it
report = signals / 'report.txt'
report.write_text('written offline')
mlflow.log_artifact(str(report), 'reports')
report.unlink()  # gone before the server is back: the journal holds a copy
mlflow.log_text('a temporary file of MLflow', 'notes/text.txt')
folder = signals / 'plots'
folder.mkdir()
(folder / 'a.txt').write_text('a')
(folder / 'b.txt').write_text('b')
mlflow.MlflowClient().log_artifacts(run_id, str(folder), 'plots')
try:
    mlflow.log_param('lr', 0.5)
except mlflow.exceptions.MlflowException as error:
    print('refused:', str(error).split('.')[0])
pause('offline-done')
"""


def test_params_and_tags_logged_while_the_server_is_away_mid_run_arrive_once(
    tmp_path, home, server
):
    signals = tmp_path / "signals"
    signals.mkdir()
    # No MLflow retries: its call with the server away fails at once, not in minutes.
    env = kernel_env(home, MLFLOW_TRACKING_URI=server.url, MLFLOW_HTTP_REQUEST_MAX_RETRIES="0")
    kernel = RealKernel(tmp_path, env)
    try:
        assert kernel.execute("%load_ext labtrack").status == "ok"
        cell = CellInBackground(kernel, MID_RUN_CELL.format(signals=str(signals)))
        run_id = _wait_for_marker(signals / "at-down", cell)
        server.kill()
        (signals / "go-down").touch()
        _wait_for_marker(signals / "at-offline-done", cell)
        server.restart()
        (signals / "go-offline-done").touch()
        reply = cell.result()

        assert reply.status == "ok", reply.stdout + reply.stderr
        assert "Traceback" not in reply.stderr, reply.stderr
        assert "refused: Changing param values is not allowed" in reply.stdout
        offline = [line for line in reply.stderr.splitlines() if "stopped taking" in line]
        assert len(offline) == 1, reply.stderr
        found = RUN_LINE.search(reply.stdout)
        assert found and found.group(2) == run_id and found.group(4) == "FINISHED", reply.stdout

        run = mlflow.MlflowClient(tracking_uri=server.url).get_run(run_id)
        assert run.info.status == "FINISHED", reply.stdout + reply.stderr
        params = {k: v for k, v in run.data.params.items() if k in ("lr", "late", "a", "b")}
        assert params == {"lr": "0.1", "late": "yes", "a": "1", "b": "2"}
        assert run.data.tags["phase"] == "offline"
        assert run.data.tags["from_client"] == "yes"
        history = mlflow.MlflowClient(tracking_uri=server.url).get_metric_history(run_id, "loss")
        assert sorted(m.step for m in history) == list(range(100))  # each step exactly once
        client = mlflow.MlflowClient(tracking_uri=server.url)
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        stored = {
            path: Path(client.download_artifacts(run_id, path, str(downloads))).read_text()
            for path in ("reports/report.txt", "notes/text.txt", "plots/a.txt", "plots/b.txt")
        }
        assert stored == {
            "reports/report.txt": "written offline",
            "notes/text.txt": "a temporary file of MLflow",
            "plots/a.txt": "a",
            "plots/b.txt": "b",
        }
        # The journal was replayed, and the copies it named deleted with it.
        assert sorted(p.name for p in (home / "pending").iterdir() if p.name != "rejected") == []
    finally:
        kernel.shutdown()


class CellInBackground:
    """``kernel.execute(code)`` on a thread, so the test can act while the cell runs."""

    def __init__(self, kernel: RealKernel, code: str) -> None:
        self._reply = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(kernel, code), daemon=True)
        self._thread.start()

    def _run(self, kernel: RealKernel, code: str) -> None:
        try:
            self._reply = kernel.execute(code, timeout=300)
        except BaseException as error:
            self._error = error

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self):
        self._thread.join(300)
        assert not self._thread.is_alive(), "the cell did not end within 300 s"
        if self._error is not None:
            raise self._error
        return self._reply


def _wait_for_marker(marker, cell: CellInBackground) -> str:
    deadline = time.monotonic() + 180
    while not marker.exists():
        if cell.done:
            reply = cell.result()
            raise AssertionError(f"the cell ended early:\n{reply.stdout}\n{reply.stderr}")
        assert time.monotonic() < deadline, f"the cell never reached {marker.name}"
        time.sleep(0.05)
    return marker.read_text()
