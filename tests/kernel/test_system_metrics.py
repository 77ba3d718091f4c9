"""System metrics of tracked cells, read back with a plain MlflowClient."""

from __future__ import annotations

import mlflow
import pytest

CPU = "system/cpu_utilization_percentage"
MEMORY = "system/system_memory_usage_megabytes"


def test_a_twelve_second_cell_records_mlflows_system_metrics_at_the_default_interval(run_cell):
    cell = run_cell(
        "%%track --no-live --name machine-watch\n"
        "import time, mlflow\n"
        "mlflow.log_param('kind', 'sleep')\n"
        "deadline = time.monotonic() + 12\n"
        "while time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
    )
    assert cell.result.success
    client = mlflow.MlflowClient()  # a plain client: the store holds MLflow's own keys
    for key in (CPU, MEMORY, "system/process_memory_usage_megabytes"):
        history = client.get_metric_history(cell.run_id, key)
        assert len(history) >= 2, (key, history)
        assert [m.step for m in history] == list(range(len(history)))
        assert all(m.value >= 0 for m in history)
    memory = client.get_metric_history(cell.run_id, MEMORY)
    assert all(m.value > 1 for m in memory)  # megabytes of a real machine, not a fraction
    stamps = [m.timestamp for m in client.get_metric_history(cell.run_id, CPU)]
    assert stamps[1] - stamps[0] >= 4000  # five seconds apart, give or take a busy machine


def test_no_system_metrics_records_none(run_cell, client):
    cell = run_cell(
        "%%track --no-live --name quiet --no-system-metrics\n"
        "import time, mlflow\n"
        "mlflow.log_metric('loss', 0.5)\n"
        "time.sleep(1.5)\n"
    )
    assert cell.result.success
    assert sorted(client.get_run(cell.run_id).data.metrics) == ["loss"]


def test_top_level_runs_get_system_metrics_and_their_children_do_not(run_cell, client):
    cell = run_cell(
        "%%track --no-live --system-metrics-interval 0.5\n"
        "import time, mlflow\n"
        "ids = []\n"
        "for name in ('first', 'second'):\n"
        "    with mlflow.start_run(run_name=name) as parent:\n"
        "        with mlflow.start_run(run_name=name + '-child', nested=True) as child:\n"
        "            ids.append((parent.info.run_id, child.info.run_id))\n"
        "            time.sleep(1.3)\n"
    )
    assert cell.result.success
    ids = run_cell("ids").result.result
    for parent_id, child_id in ids:
        assert len(client.get_metric_history(parent_id, CPU)) >= 1
        assert not any(k.startswith("system/") for k in client.get_run(child_id).data.metrics)


def test_a_run_mlflow_monitors_itself_gets_only_mlflows_series(run_cell, client):
    cell = run_cell(
        "%%track --no-live --system-metrics-interval 0.5\n"
        "import time, mlflow\n"
        "with mlflow.start_run(run_name='own-monitor', log_system_metrics=True) as run:\n"
        "    time.sleep(1.5)\n"
        "own_monitor_id = run.info.run_id\n"
    )
    assert cell.result.success
    run_id = run_cell("own_monitor_id").result.result
    history = client.get_metric_history(run_id, CPU)
    # MLflow's monitor samples every 10 s and publishes nothing in 1.5 s; labtrack's every
    # 0.5 s would have left three points or more.
    assert len(history) <= 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--system-metrics-interval 0.1", "at least 0.5 seconds"),
        ("--no-system-metrics --system-metrics-interval 2", "contradict"),
    ],
)
def test_bad_system_metrics_options_are_refused_before_any_run(run_cell, options, message):
    cell = run_cell(f"%%track {options}\nx = 1\n")
    assert not cell.result.success
    assert message in str(cell.result.error_in_exec)
