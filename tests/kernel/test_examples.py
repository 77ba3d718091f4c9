"""The notebooks in examples/ run top to bottom in a fresh kernel and leave true records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mlflow
import nbformat
import pytest
from nbclient import NotebookClient
from real_kernels import kernel_env

from labtrack.widgets.static_form import BUDGET_BYTES
from labtrack.widgets.static_form import MIME as STATIC_MIME

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def execute_notebook(path: Path, labtrack_home: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    # jupyter_server tells a notebook's kernel which file it serves this way.
    client.execute(env=kernel_env(labtrack_home, JPY_SESSION_NAME=str(path)))
    return notebook


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    home = tmp_path_factory.mktemp("quickstart-home")
    notebook = execute_notebook(EXAMPLES / "quickstart.ipynb", home)
    return notebook, mlflow.MlflowClient(tracking_uri=f"sqlite:///{home}/mlflow.db")


def _outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_quickstart_leaves_a_finished_run_with_everything_it_logged(quickstart):
    notebook, client = quickstart
    experiment = client.get_experiment_by_name("quickstart")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "churn-gbm"
    assert run.data.params == {"n_estimators": "120", "learning_rate": "0.08", "max_depth": "3"}
    assert run.data.tags["model"] == "gradient-boosting"
    for key in ("train_loss", "valid_loss"):
        history = client.get_metric_history(run.info.run_id, key)
        assert [point.step for point in history] == list(range(120))
    assert 0.5 < run.data.metrics["roc_auc"] <= 1.0
    assert {"accuracy", "f1", "roc_auc"} <= set(run.data.metrics)
    assert f"labtrack: run churn-gbm ({run.info.run_id})" in _outputs_text(notebook)


def test_quickstart_run_knows_its_notebook_and_cell(quickstart):
    _, client = quickstart
    experiment = client.get_experiment_by_name("quickstart")
    (run,) = client.search_runs([experiment.experiment_id])
    notebook_path = str(EXAMPLES / "quickstart.ipynb")
    assert run.data.tags["mlflow.source.name"] == notebook_path
    assert run.data.tags["mlflow.source.type"] == "NOTEBOOK"
    assert run.data.tags["labtrack.notebook.path"] == notebook_path
    source = mlflow.artifacts.load_text(artifact_uri=f"{run.info.artifact_uri}/labtrack/cell.py")
    assert "GradientBoostingClassifier(" in source
    assert int(run.data.tags["labtrack.hardware.cpu_count"]) >= 1
    if (EXAMPLES.parent / ".git").exists():
        assert len(run.data.tags["mlflow.source.git.commit"]) == 40
        assert run.data.tags["labtrack.git.dirty"] in ("true", "false")


def test_quickstart_model_is_logged_by_the_run_and_predicts(quickstart):
    _, client = quickstart
    experiment = client.get_experiment_by_name("quickstart")
    (run,) = client.search_runs([experiment.experiment_id])
    (logged,) = client.search_logged_models(
        experiment_ids=[experiment.experiment_id],
        filter_string=f"source_run_id = '{run.info.run_id}'",
    )
    assert logged.name == "model"
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(client.tracking_uri)
    try:
        model = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    finally:
        mlflow.set_tracking_uri(previous)
    sample = model.input_example
    predictions = model.predict(sample)
    assert len(predictions) == len(sample)
    assert set(predictions) <= {True, False}


def test_quickstart_saves_its_widgets_with_the_loader_not_the_bundle(quickstart):
    # nbclient saves every widget's final state into the notebook; the kernel pushed the
    # widget bundle with its first widget (no server page to load it from) and took it back
    # when the cell ended, so only the few-kB loader is saved.
    notebook, _ = quickstart
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    saved = [m for m in state.values() if "labtrack" in m["state"].get("_anywidget_id", "")]
    assert saved
    for model in saved:
        assert model["state"]["_esm"].startswith("// labtrack's widget loader")
        assert len(model["state"]["_esm"]) < 10_000
        assert all(len(buffer["data"]) < 10_000 for buffer in model.get("buffers", []))
    assert len(nbformat.writes(notebook)) < 1_000_000


# your_mlflow_code.ipynb runs twice in test_your_mlflow_code.py (plain and tracked).
RUN_ELSEWHERE = {"your_mlflow_code.ipynb"}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.ipynb") if p.name not in RUN_ELSEWHERE),
    ids=lambda path: path.name,
)
def test_every_example_runs_without_error(path, tmp_path, quickstart):
    if path.name == "quickstart.ipynb":
        notebook, _ = quickstart  # already executed once for this module
    else:
        notebook = execute_notebook(path, tmp_path / "home")
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
        and "raises-exception" not in cell.get("metadata", {}).get("tags", [])
    ]
    assert errors == []


def test_sweep_leaves_one_finished_parent_with_finished_trials(tmp_path):
    import time

    started = time.monotonic()
    notebook = execute_notebook(EXAMPLES / "sweep.ipynb", tmp_path / "home")
    elapsed = time.monotonic() - started
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'home'}/mlflow.db")
    experiment = client.get_experiment_by_name("optuna-sweep")
    runs = client.search_runs([experiment.experiment_id])
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    (parent,) = parents
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert parent.info.status == "FINISHED"
    assert len(children) == 12 == len(runs) - 1
    assert {child.info.status for child in children} == {"FINISHED"}
    # Every trial logged its validation curve; the parent knows the best value.
    history = client.get_metric_history(children[0].info.run_id, "valid_loss")
    assert [point.step for point in history] == list(range(60))
    best = min(child.data.metrics["final_valid_loss"] for child in children)
    assert parent.data.metrics["best_valid_loss"] == best
    # The comparison showed the twelve trials, and the best row is the best trial.
    text = _outputs_text(notebook)
    assert "labtrack comparison of 12 runs" in text
    assert f"{best}"[:6] in text
    assert elapsed < 60, f"the sweep example took {elapsed:.0f} s"


# -- the saved notebook, read without a kernel (issue 18) ------------------------------


def _tracked_outputs(notebook) -> list[dict]:
    (cell,) = [c for c in notebook.cells if c.source.startswith("%%track")]
    return cell.outputs


def test_the_saved_tracked_cell_holds_a_static_form_of_its_plot_and_final_status(quickstart):
    notebook, client = quickstart
    (run,) = client.search_runs([client.get_experiment_by_name("quickstart").experiment_id])
    static = [o for o in _tracked_outputs(notebook) if STATIC_MIME in o.get("data", {})]
    (output,) = static
    html = output["data"]["text/html"]
    # The run card, final status and a chart per metric, as SVG images (no script anywhere)
    assert "data-labtrack-static='live_plot'" in html
    assert "churn-gbm" in html and run.info.run_id in html and "FINISHED" in html
    for key in ("train_loss", "valid_loss"):
        assert f"alt='{key} chart'" in html
    metrics, _, system = html.partition("<details class='lt-static-system'")
    assert metrics.count('src="data:image/svg+xml,') == 2  # the final scores are values
    # And the machine's figures in a collapsed System section, as in the live plot
    assert "<b>System</b>" in system and 'src="data:image/svg+xml,' in system
    assert ">roc_auc</td>" in html
    assert "<script" not in html.lower()
    assert output["data"]["text/plain"].startswith(f"labtrack run churn-gbm ({run.info.run_id})")
    # Within the README's budget
    size = len(json.dumps(output))
    print(f"quickstart: static output {size} B")
    assert size <= BUDGET_BYTES, size


def test_no_saved_output_of_the_finished_run_says_running(quickstart):
    notebook, _ = quickstart
    texts = [
        output.get("text", "") + "".join(str(v) for v in output.get("data", {}).values())
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    ]
    assert not [text for text in texts if "RUNNING" in text]


def test_nbconvert_html_of_the_saved_notebook_shows_the_charts(quickstart, tmp_path):
    notebook, _ = quickstart
    path = tmp_path / "quickstart.ipynb"
    nbformat.write(notebook, path)
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    page = (tmp_path / "quickstart.html").read_text()
    start = page.index('data-labtrack-static="live_plot"')
    static = page[start : page.index("Final values", start)]
    assert "FINISHED" in static and "churn-gbm" in static
    assert 'alt="valid_loss chart"' in static and "data:image/svg+xml," in static
