"""Given a fresh LABTRACK_HOME, when the embedded store is prepared, then it is ready to share."""

import os
import sqlite3
import subprocess
import sys

import mlflow
import pytest

from labtrack.backend import activate, prepare_backend, resolve_backend


def test_embedded_store_is_created_in_wal_mode_with_mlflow_schema(tmp_path):
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path / "home")})
    prepare_backend(location)
    connection = sqlite3.connect(location.database_path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {row[0] for row in connection.execute("SELECT name FROM experiments")}
        assert names == {"Default"}
        (artifact_location,) = connection.execute(
            "SELECT artifact_location FROM experiments WHERE name = 'Default'"
        ).fetchone()
    finally:
        connection.close()
    assert artifact_location.endswith(str(tmp_path / "home" / "artifacts" / "0"))


@pytest.fixture
def restore_mlflow_settings(monkeypatch):
    """``activate`` changes process-wide MLflow settings; put them back afterwards."""
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "_MLFLOW_SERVER_ARTIFACT_ROOT"):
        monkeypatch.delenv(name, raising=False)
    yield
    mlflow.set_tracking_uri(None)
    mlflow.set_registry_uri(None)


def test_experiments_created_by_plain_mlflow_keep_artifacts_under_the_home(
    tmp_path, monkeypatch, restore_mlflow_settings
):
    monkeypatch.chdir(tmp_path)
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path / "home")})
    activate(location)
    experiment_id = mlflow.create_experiment("plain-mlflow-experiment")
    experiment = mlflow.get_experiment(experiment_id)
    assert experiment.artifact_location.endswith(f"home/artifacts/{experiment_id}")
    assert not (tmp_path / "mlruns").exists()


FIRST_USE = """
import sys
from labtrack.backend import activate, resolve_backend
from labtrack.backend.facade import TrackingFacade
location = resolve_backend(environ={"LABTRACK_HOME": sys.argv[1]})
if sys.argv[2] == "server":
    print(len(TrackingFacade(location).experiments("", 10, None).experiments))
else:
    import mlflow
    activate(location)
    with mlflow.start_run():
        mlflow.log_metric("x", 1.0)
    print(1)
"""


def test_a_server_and_kernels_opening_a_new_store_at_once_leave_it_whole(tmp_path):
    # Given a home without a store, and two "servers" and two "kernels" starting together
    home = tmp_path / "home"
    roles = ["server", "kernel", "server", "kernel"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_USE, str(home), role],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"},
        )
        for role in roles
    ]

    # When each opens the store through labtrack
    results = [process.communicate(timeout=180) for process in processes]

    # Then every one succeeded (no migration ran twice) and both kernels' runs are there
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err[-2000:]
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    runs = mlflow.MlflowClient(location.tracking_uri, location.registry_uri).search_runs(["0"])
    assert len(runs) == 2
