"""examples/lineage.ipynb runs in a fresh kernel and flags the CSV it changed."""

from __future__ import annotations

import mlflow
import pytest
from test_examples import EXAMPLES, _outputs_text, execute_notebook


@pytest.fixture(scope="module")
def lineage(tmp_path_factory):
    home = tmp_path_factory.mktemp("lineage-home")
    notebook = execute_notebook(EXAMPLES / "lineage.ipynb", home)
    return notebook, mlflow.MlflowClient(tracking_uri=f"sqlite:///{home}/mlflow.db")


def test_lineage_example_flags_the_changed_csv(lineage):
    notebook, client = lineage
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    text = _outputs_text(notebook)
    assert "CHANGED  dataset customers.csv" in text
    experiment = client.get_experiment_by_name("lineage")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    (dataset_input,) = run.inputs.dataset_inputs
    assert f"md5 {dataset_input.dataset.digest}" in text  # %track show printed the chain
    assert run.data.tags["labtrack.seed"] == "42"
    assert run.data.params == {"C": "1.0"}
    # The notebook as saved on disk is attached to the run.
    snapshot = mlflow.artifacts.load_text(
        artifact_uri=f"{run.info.artifact_uri}/labtrack/notebook.ipynb"
    )
    assert "%track reproduce $run_id" in snapshot
