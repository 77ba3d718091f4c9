"""Champion–challenger in the domain: two real classifiers evaluated by MLflow, ROC and PR
curves for the view, the gate, and the latest challenge of each version in the detail."""

from __future__ import annotations

import os
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.facade import TrackingFacade
from labtrack.backend.store import MLFLOW_ARTIFACT_ROOT_ENV
from labtrack.registry import ModelRegistry, load_signer
from labtrack.registry.catalog import model_detail
from labtrack.registry.challenge import ChallengeSpec, run_challenge
from labtrack.registry.challenge_gate import parse_threshold
from labtrack.registry.loading import mlflow_pointed_at

MODEL = "churn"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Versions 1 (a weak classifier: one noisy feature) and 2 (a good one); @champion on 1."""
    from sklearn.linear_model import LogisticRegression

    home = tmp_path_factory.mktemp("challenge-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    # As a kernel does (backend.store.activate): new experiments keep artifacts in the home.
    saved = os.environ.get(MLFLOW_ARTIFACT_ROOT_ENV)
    os.environ[MLFLOW_ARTIFACT_ROOT_ENV] = location.artifact_root
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    registry = ModelRegistry(
        client, user="ada", signer=load_signer(environ={"LABTRACK_HOME": str(home)})
    )
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    label = (features["a"] + 0.5 * features["b"] > 0).astype(int)
    experiment = client.create_experiment("fit", (Path(location.artifact_root) / "fit").as_uri())
    with mlflow_pointed_at(location.tracking_uri, location.registry_uri):
        for columns in (["b"], ["a", "b"]):
            frame = features[columns].copy()
            for missing in {"a", "b"} - set(columns):
                frame[missing] = 0.0
            model = LogisticRegression().fit(frame[["a", "b"]], label)
            with mlflow.start_run(experiment_id=experiment) as run:
                mlflow.sklearn.log_model(model, name="model", input_example=frame[["a", "b"]][:2])
            registry.register(run.info.run_id, MODEL)
    registry.set_alias(MODEL, "champion", 1)
    data = features.assign(churned=label)
    yield location, registry, data
    if saved is None:
        os.environ.pop(MLFLOW_ARTIFACT_ROOT_ENV, None)
    else:
        os.environ[MLFLOW_ARTIFACT_ROOT_ENV] = saved


def test_classifiers_are_compared_with_roc_and_pr_curves(store):
    location, registry, data = store
    spec = ChallengeSpec(MODEL, "@champion", "2", "churned", [parse_threshold("roc_auc:+0.05")])
    result = run_challenge(registry, spec, data, location.tracking_uri, location.registry_uri)
    assert result.model_type == "classifier" and result.passed, result.failures
    rows = {row.name: row for row in result.metrics}
    assert rows["roc_auc"].winner == "challenger"
    assert rows["roc_auc"].challenger > rows["roc_auc"].champion + 0.05
    view = result.view
    assert set(view["roc"]) == set(view["pr"]) == {"champion", "challenger"}
    assert view["roc"]["challenger"]["area"] == pytest.approx(rows["roc_auc"].challenger, abs=1e-6)
    assert view["wins"]["challenger"] > view["wins"]["champion"]


def test_the_detail_shows_each_versions_latest_challenge(store):
    location, registry, data = store
    spec = ChallengeSpec(MODEL, "@champion", "2", "churned", [parse_threshold("roc_auc:+0.9")])
    result = run_challenge(registry, spec, data, location.tracking_uri, location.registry_uri)
    assert not result.passed and "minimum absolute change" in result.failures[0]
    facade = TrackingFacade(location)
    try:
        detail = model_detail(facade, MODEL, registry)
    finally:
        facade.close()
    challenges = {v.version: v.challenge for v in detail.versions}
    assert challenges["2"].run_id == result.run_id and challenges["2"].role == "challenger"
    assert challenges["1"].role == "champion" and challenges["1"].opponent == "2"
    assert not challenges["2"].passed and challenges["2"].verified
    assert challenges["2"].metric == "roc_auc"
