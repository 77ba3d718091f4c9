"""``labtrack run`` as CI runs it against the team's server (PostgreSQL + S3 artifacts):
only MLFLOW_TRACKING_URI in the environment, runs and the executed notebook on the server."""

from __future__ import annotations

from pathlib import Path

import mlflow
from job_notebooks import RAISING, job_notebook, labtrack_run
from real_kernels import kernel_env

from labtrack.tags import EXECUTED_NOTEBOOK_ARTIFACT


def test_a_job_against_the_team_server_records_both_runs_and_the_executed_notebook(
    team_server, tmp_path
):
    notebook = job_notebook(tmp_path / "train.ipynb")
    env = kernel_env(tmp_path / "home", MLFLOW_TRACKING_URI=team_server.url)
    done = labtrack_run(
        str(notebook), "-p", "lr", "0.5", "--experiment", "team-job", env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    client = mlflow.MlflowClient(tracking_uri=team_server.url)
    experiment = client.get_experiment_by_name("team-job")
    runs = {r.info.run_name: r for r in client.search_runs([experiment.experiment_id])}
    assert set(runs) == {"first", "second"}
    executed = (tmp_path / "train-executed.ipynb").read_text()
    for run in runs.values():
        assert run.info.status == "FINISHED"
        assert run.data.params["lr"] == "0.5"
        assert run.data.tags["mlflow.source.name"] == str(notebook)
        # The artifact went through the server into S3
        keys = team_server.s3_keys_of_run(experiment.experiment_id, run.info.run_id)
        assert any(key.endswith(EXECUTED_NOTEBOOK_ARTIFACT) for key in keys), keys
        local = client.download_artifacts(run.info.run_id, EXECUTED_NOTEBOOK_ARTIFACT, tmp_path)
        assert Path(local).read_text() == executed


def test_a_failing_job_against_the_team_server_exits_non_zero_with_that_run_failed(
    team_server, tmp_path
):
    notebook = job_notebook(tmp_path / "broken.ipynb", second=RAISING)
    env = kernel_env(tmp_path / "home", MLFLOW_TRACKING_URI=team_server.url)
    done = labtrack_run(str(notebook), "--experiment", "team-job-broken", env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    client = mlflow.MlflowClient(tracking_uri=team_server.url)
    experiment = client.get_experiment_by_name("team-job-broken")
    runs = {r.info.run_name: r.info.status for r in client.search_runs([experiment.experiment_id])}
    assert runs == {"first": "FINISHED", "second": "FAILED"}
