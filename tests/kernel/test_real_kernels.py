"""Run lifecycle in real kernels: interrupts, kernels killed mid-run, and a fresh kernel."""

from __future__ import annotations

import os
import signal
import time

import mlflow
import pytest
from real_kernels import RealKernel, kernel_env


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def kernels(tmp_path, home):
    started: list[RealKernel] = []

    def start(cwd=None) -> RealKernel:
        folder = cwd or tmp_path
        kernel = RealKernel(folder, kernel_env(home))
        started.append(kernel)
        return kernel

    yield start
    for kernel in started:
        kernel.shutdown()


def _client(home) -> mlflow.MlflowClient:
    return mlflow.MlflowClient(tracking_uri=f"sqlite:///{home}/mlflow.db")


def _runs_named(home, name: str):
    client = _client(home)
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments, f"attributes.run_name = '{name}'")


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


LONG_TRAINING = (
    "%%track --name {name}\n"
    "import time, mlflow\n"
    "for step in range(100000):\n"
    "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
    "    time.sleep(0.05)\n"
)


def test_interrupting_a_tracked_cell_ends_its_run_killed(kernels, home):
    kernel = kernels()
    assert kernel.execute("%load_ext labtrack").status == "ok"
    kernel.start(LONG_TRAINING.format(name="to-interrupt"))
    _wait_for(lambda: _runs_named(home, "to-interrupt"), 60, "the run to start")
    client = _client(home)
    run_id = _runs_named(home, "to-interrupt")[0].info.run_id
    _wait_for(lambda: client.get_metric_history(run_id, "loss"), 30, "a logged point")
    kernel.manager.interrupt_kernel()
    reply = kernel.client.get_shell_msg(timeout=60)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    run = client.get_run(run_id)
    assert run.info.status == "KILLED"
    assert run.info.end_time is not None
    following = kernel.execute("%%track --name after-interrupt\nx = 1\n")
    assert following.status == "ok", following.stderr
    assert "already active" not in following.stdout + following.stderr
    assert _runs_named(home, "after-interrupt")[0].info.status == "FINISHED"


def test_interrupting_a_run_the_cells_code_opened_ends_it_killed_not_failed(kernels, home):
    """MLflow's own ``with`` block would end it FAILED; an interrupt is KILLED."""
    kernel = kernels()
    assert kernel.execute("%load_ext labtrack").status == "ok"
    kernel.start(
        "%%track\nimport time, mlflow\nmlflow.set_experiment('own-runs')\n"
        "with mlflow.start_run(run_name='own-interrupted'):\n"
        "    for step in range(100000):\n"
        "        mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
        "        time.sleep(0.05)\n"
    )
    (run,) = _wait_for(lambda: _runs_named(home, "own-interrupted"), 60, "the run to start")
    client = _client(home)
    _wait_for(lambda: client.get_metric_history(run.info.run_id, "loss"), 30, "a logged point")
    kernel.manager.interrupt_kernel()
    reply = kernel.client.get_shell_msg(timeout=60)
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    ended = client.get_run(run.info.run_id)
    assert ended.info.status == "KILLED"
    assert ended.data.tags["labtrack.error"] == "interrupted"
    assert client.get_experiment(ended.info.experiment_id).name == "own-runs"
    # No wrapper run beside it: the experiment holds just the user's run.
    assert [r.info.run_name for r in _runs_named(home, "own-interrupted")] == ["own-interrupted"]
    assert len(client.search_runs([ended.info.experiment_id])) == 1
    assert kernel.execute("import mlflow\nassert mlflow.active_run() is None").status == "ok"


def test_a_run_of_a_killed_kernel_is_marked_killed_when_labtrack_loads_again(kernels, home):
    doomed = kernels()
    assert doomed.execute("%load_ext labtrack").status == "ok"
    doomed.start(LONG_TRAINING.format(name="orphaned"))
    _wait_for(lambda: _runs_named(home, "orphaned"), 60, "the run to start")
    os.kill(doomed.pid, signal.SIGKILL)
    _wait_for(lambda: not doomed.manager.is_alive(), 30, "the kernel to die")
    (orphan,) = _runs_named(home, "orphaned")
    assert orphan.info.status == "RUNNING"  # MLflow alone would leave it so forever

    survivor = kernels()
    loaded = survivor.execute("%load_ext labtrack")
    assert loaded.status == "ok"
    assert "marked 1 run(s) of stopped kernels KILLED" in loaded.stdout
    run = _client(home).get_run(orphan.info.run_id)
    assert run.info.status == "KILLED"
    assert run.data.tags["labtrack.end_reason"] == "kernel-died"
    assert run.info.end_time >= run.info.start_time


def test_loading_labtrack_leaves_runs_of_living_kernels_alone(kernels, home):
    busy = kernels()
    assert busy.execute("%load_ext labtrack").status == "ok"
    busy.start(LONG_TRAINING.format(name="still-training"))
    _wait_for(lambda: _runs_named(home, "still-training"), 60, "the run to start")
    other = kernels()
    assert other.execute("%load_ext labtrack").status == "ok"
    (run,) = _runs_named(home, "still-training")
    assert run.info.status == "RUNNING"
    busy.manager.interrupt_kernel()


def test_a_raising_cell_in_a_real_kernel_fails_the_cell_and_the_run(kernels, home):
    kernel = kernels()
    assert kernel.execute("%load_ext labtrack").status == "ok"
    reply = kernel.execute("%%track --name raises-in-kernel\nraise ValueError('bad batch')\n")
    assert reply.status == "error"  # "Run All" stops here, as it would without %%track
    assert reply.error_name == "ValueError"
    assert "FAILED" in reply.stdout
    (run,) = _runs_named(home, "raises-in-kernel")
    assert run.info.status == "FAILED"
    assert run.data.tags["labtrack.error"] == "ValueError: bad batch"
