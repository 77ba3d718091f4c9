"""examples/registry.ipynb runs in a fresh kernel and leaves the registry it describes."""

from __future__ import annotations

import mlflow
import pytest
from test_examples import EXAMPLES, execute_notebook

from labtrack.registry import ModelRegistry


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    home = tmp_path_factory.mktemp("registry-example-home")
    notebook = execute_notebook(EXAMPLES / "registry.ipynb", home)
    uri = f"sqlite:///{home}/mlflow.db"
    return notebook, mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)


def test_the_notebook_ends_with_champion_back_on_version_1(executed):
    _, client = executed
    model = client.get_registered_model("house-prices")
    assert model.aliases == {"champion": 1}
    stages = {str(v.version): v.current_stage for v in client.search_model_versions()}
    assert stages == {"1": "Archived", "2": "Production"}


def test_the_audit_trail_records_every_step_with_reasons(executed):
    _, client = executed
    entries = ModelRegistry(client).history("house-prices")
    steps = [(e.action, e.version, e.before, e.after) for e in entries if e.action != "stage"]
    assert steps == [
        ("register", "1", None, "1"),
        ("alias", "1", None, "1"),
        ("register", "2", None, "2"),
        ("alias", "2", "1", "2"),
        ("rollback", "1", "2", "1"),
    ]
    assert entries[-1].reason == "latency regression"
    assert {e.user for e in entries} and all(e.user for e in entries)


def test_history_is_printed_in_the_notebook(executed):
    notebook, _ = executed
    text = "\n".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert "rolled back @champion 2 → 1  (latency regression)" in text
    assert "champion predicts" in text
