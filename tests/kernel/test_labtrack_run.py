"""``labtrack run``: a notebook executed as a job by papermill, each %%track cell tracked as
in JupyterLab, the -p parameters recorded, the executed notebook attached to its runs."""

from __future__ import annotations

import json

import mlflow
from job_notebooks import RAISING, job_notebook, labtrack_run
from real_kernels import kernel_env

from labtrack.tags import EXECUTED_NOTEBOOK_ARTIFACT


def runs_of(home, experiment: str) -> dict:
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{home}/mlflow.db")
    found = client.search_runs([client.get_experiment_by_name(experiment).experiment_id])
    return client, {run.info.run_name: run for run in found}


def test_a_job_tracks_both_cells_with_its_parameters_and_attaches_the_executed_notebook(
    tmp_path,
):
    # Given a notebook with a parameters cell and two tracked cells
    notebook = job_notebook(tmp_path / "train.ipynb")
    home = tmp_path / "home"
    # When it runs as a job with -p lr 0.5, into an experiment of its own
    done = labtrack_run(
        str(notebook), "-p", "lr", "0.5", "-o", "out/executed.ipynb", "--experiment", "nightly",
        env=kernel_env(home), cwd=tmp_path,
    )  # fmt: skip
    # Then it exits 0, and said what it did cell by cell
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[4/5] %%track --name first" in done.stdout  # after the injected cell
    assert "labtrack: run first (" in done.stdout and "FINISHED" in done.stdout
    # And both runs FINISHED, with lr=0.5 as a param and in the job's tag, knowing the notebook
    client, runs = runs_of(home, "nightly")
    assert set(runs) == {"first", "second"}
    for run in runs.values():
        assert run.info.status == "FINISHED"
        assert run.data.params["lr"] == "0.5"
        assert json.loads(run.data.tags["labtrack.run.parameters"]) == {"lr": 0.5}
        assert run.data.tags["mlflow.source.name"] == str(notebook)
        assert run.data.tags["mlflow.source.type"] == "NOTEBOOK"
    assert len(client.get_metric_history(runs["first"].info.run_id, "loss")) == 3
    assert runs["second"].data.metrics["accuracy"] == 0.95
    # And the executed notebook, with its injected parameters and static plots, is attached
    executed = tmp_path / "out" / "executed.ipynb"
    for run in runs.values():
        text = mlflow.artifacts.load_text(
            artifact_uri=f"{run.info.artifact_uri}/{EXECUTED_NOTEBOOK_ARTIFACT}"
        )
        assert text == executed.read_text()
    saved = json.loads(executed.read_text())
    sources = ["".join(cell["source"]) for cell in saved["cells"]]
    assert "lr = 0.5" in sources[2]  # papermill's injected-parameters cell
    assert "data-labtrack-static='live_plot'" in executed.read_text()


def test_a_job_whose_second_cell_raises_exits_non_zero_and_leaves_that_run_failed(tmp_path):
    notebook = job_notebook(tmp_path / "broken.ipynb", second=RAISING)
    home = tmp_path / "home"
    done = labtrack_run(str(notebook), env=kernel_env(home), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "raised ValueError: the data is not there" in done.stderr
    _, runs = runs_of(home, "Default")
    assert runs["first"].info.status == "FINISHED"
    assert runs["second"].info.status == "FAILED"
    assert (tmp_path / "broken-executed.ipynb").is_file()
    assert "labtrack run: run second (" in done.stdout  # the failed run got the notebook too


def test_labtrack_run_help_documents_the_command(tmp_path):
    shown = labtrack_run("--help", env=kernel_env(tmp_path), cwd=tmp_path)
    assert shown.returncode == 0
    for text in ("-p NAME VALUE", "-o OUTPUT", "--experiment NAME", "labtrack.run.parameters"):
        assert text in shown.stdout
