"""The quickstart notebook runs unchanged against the team server (PostgreSQL + S3)."""

from __future__ import annotations

from pathlib import Path

import mlflow
import nbformat
import pytest
from nbclient import NotebookClient
from real_kernels import kernel_env

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def quickstart(team_server, tmp_path_factory):
    path = EXAMPLES / "quickstart.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    home = tmp_path_factory.mktemp("quickstart-team-home")
    # Only the tracking URI: no S3 credentials, artifacts go through the server.
    env = kernel_env(home, JPY_SESSION_NAME=str(path), MLFLOW_TRACKING_URI=team_server.url)
    client.execute(env=env)
    tracking = mlflow.MlflowClient(tracking_uri=team_server.url)
    experiment = tracking.get_experiment_by_name("quickstart")
    (run,) = tracking.search_runs([experiment.experiment_id])
    return notebook, run


def test_quickstart_runs_without_error_against_the_team_server(quickstart):
    notebook, _ = quickstart
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []


def test_quickstart_run_is_finished_with_its_whole_curve_in_postgresql(quickstart, team_server):
    _, run = quickstart
    assert run.info.status == "FINISHED"
    for key in ("train_loss", "valid_loss"):
        ((count, steps),) = team_server.postgres.query(
            "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = %s AND key = %s",
            run.info.run_id,
            key,
        )
        assert (count, steps) == (120, 120)


def test_quickstart_model_and_cell_are_stored_in_s3(quickstart, team_server):
    _, run = quickstart
    keys = team_server.s3_keys_of_run(run.info.experiment_id, run.info.run_id)
    assert any(key.endswith("/artifacts/labtrack/cell.py") for key in keys), keys
    # MLflow 3 stores a logged model under the experiment's models/ folder, by model id.
    model_keys = team_server.s3.keys(f"mlflow-artifacts/{run.info.experiment_id}/models/")
    assert any(key.endswith("/MLmodel") for key in model_keys), model_keys
