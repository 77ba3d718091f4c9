"""examples/registry.ipynb runs in a fresh kernel and leaves the registry it describes."""

from __future__ import annotations

import mlflow
import pytest
from test_examples import EXAMPLES, execute_notebook

from labtrack.registry import ModelRegistry, load_signer


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    home = tmp_path_factory.mktemp("registry-example-home")
    notebook = execute_notebook(EXAMPLES / "registry.ipynb", home)
    uri = f"sqlite:///{home}/mlflow.db"
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    # The kernel's key (the home's), so its entries verify here
    registry = ModelRegistry(client, signer=load_signer(environ={"LABTRACK_HOME": str(home)}))
    return notebook, client, registry


def test_the_notebook_ends_with_champion_back_on_version_1_in_production(executed):
    _, client, _ = executed
    model = client.get_registered_model("house-prices")
    assert model.aliases == {"champion": 1}
    stages = {str(v.version): v.current_stage for v in client.search_model_versions()}
    assert stages == {"1": "Production", "2": "Archived"}


def test_the_audit_trail_records_every_step_with_reasons(executed):
    _, _, registry = executed
    entries = registry.history("house-prices")
    steps = [(e.action, e.version, e.before, e.after) for e in entries if e.action != "stage"]
    assert steps == [
        ("register", "1", None, "1"),
        ("alias", "1", None, "1"),
        ("register", "2", None, "2"),
        ("alias", "2", "1", "2"),
        ("rollback", "1", "2", "1"),
        ("challenge", "2", "1", "failed"),
    ]
    rollback = next(e for e in entries if e.action == "rollback")
    assert rollback.reason == "latency regression"
    assert all(e.user and e.verified for e in entries)


def test_the_challenge_is_an_evaluation_run_linked_to_both_versions(executed):
    notebook, client, registry = executed
    challenge = next(e for e in registry.history("house-prices") if e.action == "challenge")
    run = client.get_run(challenge.evidence)
    tags = run.data.tags
    assert (tags["labtrack.challenge.champion"], tags["labtrack.challenge.challenger"]) == (
        "1",
        "2",
    )
    assert tags["labtrack.challenge.outcome"] == "failed"
    for version in ("1", "2"):
        assert "labtrack.challenge" in client.get_model_version("house-prices", version).tags
    text = _outputs(notebook)
    assert "house-prices v2 failed its challenge of v1 (r2_score:+0.01)" in text
    assert "minimum absolute change check failed" in text


def test_models_reported_the_archived_champion_with_its_fix(executed):
    notebook, _, _ = executed
    text = _outputs(notebook)
    assert "@champion points at v1, which is Archived, while v2 is in Production" in text
    assert "fix: %track promote house-prices 1 --stage Production --archive-existing" in text


def _outputs(notebook) -> str:
    return "\n".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
