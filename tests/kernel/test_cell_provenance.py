"""What a tracked run says about where it came from is true: the execution count the user
sees, the kernel's input history, a saved notebook older than the cell; and what the cell
leaves behind (its experiment choice, no run when nothing asked for one) is what MLflow
would leave."""

from __future__ import annotations

import json

import mlflow
import pytest


def _the_run(client, cell):
    return client.get_run(cell.run_id)


def test_the_execution_count_recorded_is_the_one_shown_on_the_cell(run_cell, client):
    cell = run_cell("%%track --no-live --name counted\nx = 1\n")
    shown = cell.result.execution_count
    assert _the_run(client, cell).data.tags["labtrack.cell.execution_count"] == str(shown)


def test_the_kernels_input_history_up_to_the_cell_is_stored(run_cell, client):
    run_cell("prepared = 41")
    run_cell("prepared += 1")
    cell = run_cell("%%track --no-live --name with-history\nanswer = prepared\n")
    run = _the_run(client, cell)
    history = mlflow.artifacts.load_text(f"{run.info.artifact_uri}/labtrack/history.py")
    first = history.index("prepared = 41")
    second = history.index("prepared += 1")
    last = history.index("answer = prepared")
    assert first < second < last  # in the order the kernel ran them
    assert f"# In[{cell.result.execution_count}]:" in history


def test_a_saved_notebook_older_than_the_cell_is_said_so(shell, run_cell, client, tmp_path):
    notebook = tmp_path / "stale.ipynb"
    saved_cell = "%%track --no-live --name snap\nvalue = 1"
    notebook.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": saved_cell}], "nbformat": 4})
    )
    shell.user_ns["__session__"] = str(notebook)
    try:
        current = run_cell(saved_cell + "\n")
        edited = run_cell("%%track --no-live --name snap\nvalue = 2\n")  # not saved yet
    finally:
        del shell.user_ns["__session__"]
    assert _the_run(client, current).data.tags["labtrack.notebook.older_than_cell"] == "false"
    assert _the_run(client, edited).data.tags["labtrack.notebook.older_than_cell"] == "true"


def test_load_ext_makes_labtrack_available_in_the_notebook(shell):
    import labtrack

    assert shell.user_ns["labtrack"] is labtrack


def test_set_experiment_in_a_cell_outlives_it_as_without_track(run_cell, client):
    try:
        run_cell("%%track --no-live\nimport mlflow\nmlflow.set_experiment('chosen-by-code')\n")
        active = mlflow.tracking.fluent._get_experiment_id()
        assert client.get_experiment(active).name == "chosen-by-code"
    finally:
        mlflow.set_experiment("Default")


def test_experiment_option_holds_for_the_cell_only(run_cell, client):
    before = mlflow.tracking.fluent._get_experiment_id()
    cell = run_cell(
        "%%track --no-live --experiment for-one-cell\nimport mlflow\nmlflow.log_metric('m', 1)\n"
    )
    assert client.get_experiment(_the_run(client, cell).info.experiment_id).name == "for-one-cell"
    assert mlflow.tracking.fluent._get_experiment_id() == before


def test_a_cell_that_opens_no_run_and_asks_for_none_records_nothing(run_cell, client):
    count = len(client.search_runs([e.experiment_id for e in client.search_experiments()]))
    cell = run_cell("%%track --no-live\ny = 2 + 2\n")
    assert cell.result.success
    assert "opened no MLflow run and logged nothing" in cell.out
    assert len(client.search_runs([e.experiment_id for e in client.search_experiments()])) == count


@pytest.mark.parametrize("option", ["--name kept", "--tag team=ml", "--experiment kept-exp"])
def test_a_naming_option_keeps_a_run_for_a_cell_that_opens_none(run_cell, client, option):
    cell = run_cell(f"%%track --no-live {option}\ny = 2 + 2\n")
    assert _the_run(client, cell).info.status == "FINISHED"


def test_name_is_explained_when_the_code_opened_its_own_runs(run_cell):
    cell = run_cell(
        "%%track --no-live --name unused\nimport mlflow\n"
        "with mlflow.start_run(run_name='mine'):\n    mlflow.log_metric('m', 1)\n"
    )
    assert "--name names the cell's own run" in cell.err
    assert "labtrack: run mine (" in cell.out
