"""A store with a run that logged a small real model, for the registry tests."""

from __future__ import annotations

from pathlib import Path

import mlflow

from labtrack.registry.loading import mlflow_pointed_at


def log_model_run(tracking_uri: str, artifact_root: Path | None = None, scale: float = 2.0) -> str:
    """Start and end a run that logs an sklearn model named "model"; its run id.

    The model predicts ``scale * x``. MLflow's fluent API is pointed at the store only
    for the moment, so later tests resolve their own backend.
    """
    import numpy as np
    from sklearn.linear_model import LinearRegression

    with mlflow_pointed_at(tracking_uri, tracking_uri):
        client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
        experiment = client.get_experiment_by_name("registry-tests")
        if experiment is None:
            location = (artifact_root / "registry").as_uri() if artifact_root else None
            experiment_id = client.create_experiment("registry-tests", location)
        else:
            experiment_id = experiment.experiment_id
        x = np.arange(10, dtype=float).reshape(-1, 1)
        model = LinearRegression().fit(x, scale * x.ravel())
        with mlflow.start_run(experiment_id=experiment_id) as run:
            mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
        return run.info.run_id
