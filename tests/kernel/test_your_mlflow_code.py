"""MLflow code as people write it makes the same runs under ``%%track`` as without it.

``examples/your_mlflow_code.ipynb`` holds the idioms (MLflow's documented snippets:
``set_experiment`` + ``start_run(run_name=…)``, a run without ``with``, a loop of runs,
nested runs, autolog inside a run and without one, a grid search with autolog, an
Optuna study with nested trials, ``MlflowClient`` directly, registered models and
aliases, logging without opening a run, a run that fails). It is executed twice in real
kernels, each against a fresh store: once with its ``%%track`` lines removed (and
without ``%load_ext labtrack``), once as written. The two stores must hold the same
experiments, runs, metric histories, logged models and registered versions, with
nothing extra on the tracked side; and every run the tracked cells opened must carry
labtrack's context.
"""

from __future__ import annotations

import copy
from pathlib import Path

import mlflow
import nbformat
import pytest
from nbclient import NotebookClient
from real_kernels import kernel_env
from store_contents import store_contents

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "your_mlflow_code.ipynb"


def _without_labtrack(notebook):
    plain = copy.deepcopy(notebook)
    for cell in plain.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        if lines and lines[0].startswith("%%track"):
            cell.source = "\n".join(lines[1:])
        elif cell.source.strip() == "%load_ext labtrack":
            cell.source = ""
    return plain


def _execute(notebook, workdir: Path, env: dict[str, str]):
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute(env=env)
    return notebook


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    written = nbformat.read(NOTEBOOK, as_version=4)
    plain_dir = tmp_path_factory.mktemp("plain")
    plain_uri = f"sqlite:///{plain_dir}/mlflow.db"
    plain_env = kernel_env(plain_dir / "unused-home", MLFLOW_TRACKING_URI=plain_uri)
    plain = _execute(_without_labtrack(written), plain_dir, plain_env)

    tracked_dir = tmp_path_factory.mktemp("tracked")
    home = tracked_dir / "home"
    tracked_env = kernel_env(home, JPY_SESSION_NAME=str(NOTEBOOK))
    tracked = _execute(copy.deepcopy(written), tracked_dir, tracked_env)
    return (
        (plain, mlflow.MlflowClient(plain_uri, plain_uri)),
        (
            tracked,
            mlflow.MlflowClient(f"sqlite:///{home}/mlflow.db", f"sqlite:///{home}/mlflow.db"),
        ),
    )


def test_the_corpus_covers_at_least_twelve_idioms_under_track():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tracked = [
        c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("%%track")
    ]
    assert len(tracked) >= 12


def test_tracked_and_plain_runs_are_the_same_runs(both_ways):
    (_, plain), (_, tracked) = both_ways
    expected, found = store_contents(plain), store_contents(tracked)
    assert found["experiments"] == expected["experiments"]
    assert len(found["runs"]) == len(expected["runs"]), "a run too many or too few"
    for mine, theirs in zip(found["runs"], expected["runs"], strict=True):
        assert mine == theirs


def test_tracked_and_plain_models_and_registered_versions_are_the_same(both_ways):
    (_, plain), (_, tracked) = both_ways
    expected, found = store_contents(plain), store_contents(tracked)
    assert found["logged_models"] == expected["logged_models"]
    assert found["registered_versions"] == expected["registered_versions"]
    assert [v["aliases"] for v in found["registered_versions"]] == [[], ["champion"]]


def test_every_run_a_tracked_cell_opened_carries_labtrack_context(both_ways):
    _, (notebook, client) = both_ways
    runs = [
        run
        for experiment in client.search_experiments()
        for run in client.search_runs([experiment.experiment_id])
    ]
    assert runs
    for run in runs:
        tags = run.data.tags
        assert tags["labtrack.notebook.path"] == str(NOTEBOOK), run.info.run_name
        assert tags["labtrack.cell.execution_count"].isdigit()
        if "mlflow.parentRunId" not in tags:  # top level: the cell's source, the history
            paths = {a.path for a in client.list_artifacts(run.info.run_id, "labtrack")}
            assert {"labtrack/cell.py", "labtrack/history.py"} <= paths, run.info.run_name
            assert "labtrack.kernel.pid" in tags


def test_the_failing_idiom_ends_failed_with_its_traceback_and_all_points(both_ways):
    _, (_, client) = both_ways
    (run,) = client.search_runs(
        [client.get_experiment_by_name("churn").experiment_id], "attributes.run_name = 'diverged'"
    )
    assert run.info.status == "FAILED"
    assert run.data.tags["labtrack.error"] == "FloatingPointError: the loss diverged at step 1"
    text = mlflow.artifacts.load_text(f"{run.info.artifact_uri}/labtrack/traceback.txt")
    assert "the loss diverged" in text
    assert [p.step for p in client.get_metric_history(run.info.run_id, "loss")] == [0, 1]


def test_the_experiment_the_code_chose_is_where_its_runs_are(both_ways):
    _, (_, client) = both_ways
    tuning = client.get_experiment_by_name("churn-tuning")
    names = {run.info.run_name for run in client.search_runs([tuning.experiment_id])}
    assert names == {"optuna_search", *(f"trial-{n}" for n in range(5))}
    default = client.get_experiment_by_name("Default")
    assert client.search_runs([default.experiment_id]) == []
