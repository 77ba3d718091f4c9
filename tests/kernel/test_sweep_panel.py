"""A tracked cell that opens nested runs (a sweep) grows a sweep panel in its live plot."""

from __future__ import annotations

import pytest

SWEEP = """\
%%track --name sweep-panel
import time
import mlflow
for trial in range(4):
    with mlflow.start_run(run_name=f"trial-{trial}", nested=True):
        mlflow.log_params({"lr": 10.0 ** -trial, "depth": trial % 2 + 1})
        for step in range(5):
            mlflow.log_metric("valid_loss", 1.0 / (trial + 1) + step / 100, step=step)
    time.sleep(0.15)
"""


@pytest.fixture
def magics(shell):
    return shell.magics_manager.registry["TrackMagics"]


def test_finished_trials_appear_in_the_sweep_panel_with_their_values(run_cell, client, magics):
    # When a tracked cell runs four trials as nested runs
    cell = run_cell(SWEEP)
    assert cell.result.success, cell.err
    widget = magics.last_live_plot

    # Then the live plot's sweep panel holds the four finished trials
    sweep = widget.sweep
    names = [run["run_name"] for run in sweep["runs"]]
    assert sorted(names) == [f"trial-{i}" for i in range(4)]
    assert {run["status"] for run in sweep["runs"]} == {"FINISHED"}
    # with their params and the final value of each metric, as the store has them
    lr = next(column for column in sweep["params"] if column["key"] == "lr")
    by_name = dict(zip(names, lr["values"], strict=True))
    assert by_name == {"trial-0": "1.0", "trial-1": "0.1", "trial-2": "0.01", "trial-3": "0.001"}
    loss = next(column for column in sweep["metrics"] if column["key"] == "valid_loss")
    for run, value in zip(sweep["runs"], loss["values"], strict=True):
        assert client.get_run(run["run_id"]).data.metrics["valid_loss"] == value


def test_a_cell_without_nested_runs_has_no_sweep_panel(run_cell, magics):
    cell = run_cell("%%track --name no-sweep\nimport mlflow\nmlflow.log_metric('x', 1.0)")
    assert cell.result.success, cell.err
    assert magics.last_live_plot.sweep == {}
