"""labtrack's read index on MLflow's runs table never gets in the way of MLflow."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy
from mlflow import MlflowClient

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.queries import RunQuery
from labtrack.backend.read_indexes import RUNS_INDEX, create_read_indexes
from labtrack.backend.sql_reader import SqlReader


def runs_indexes(uri: str) -> set[str]:
    engine = sqlalchemy.create_engine(uri)
    try:
        return {index["name"] for index in sqlalchemy.inspect(engine).get_indexes("runs")}
    finally:
        engine.dispose()


def mlflow_db_upgrade(uri: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlflow", "db", "upgrade", uri],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_embedded_store_is_created_with_the_read_index(tmp_path):
    # Given a fresh embedded store
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path)})

    # When labtrack prepares it
    prepare_backend(location)

    # Then the runs table carries labtrack's index next to MLflow's own
    assert RUNS_INDEX in runs_indexes(location.tracking_uri)


def test_mlflow_db_upgrade_runs_every_migration_with_the_index_in_place(tmp_path):
    # Given a store at MLflow's first schema, with labtrack's index added to it
    from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

    uri = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sqlalchemy.create_engine(uri)
    InitialBase.metadata.create_all(engine)
    engine.dispose()
    assert create_read_indexes(uri)

    # When `mlflow db upgrade` runs all of MLflow's migrations (one rebuilds the runs
    # table by copying it, on SQLite)
    done = mlflow_db_upgrade(uri)

    # Then it succeeds, the index is still there, and both MLflow and labtrack read runs
    assert done.returncode == 0, done.stderr[-3000:]
    assert RUNS_INDEX in runs_indexes(uri)
    client = MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("after-upgrade", str(tmp_path / "artifacts"))
    run = client.create_run(experiment)
    assert [r.info.run_id for r in client.search_runs([experiment])] == [run.info.run_id]
    reader = SqlReader(uri)
    try:
        page = reader.search_runs(RunQuery(experiment_ids=(experiment,)))
    finally:
        reader.close()
    assert [row.run_id for row in page.runs] == [run.info.run_id]


def test_mlflow_db_upgrade_of_an_up_to_date_store_with_the_index_is_a_no_op(tmp_path):
    # Given an embedded store labtrack created (index included)
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path)})
    prepare_backend(location)

    # When `mlflow db upgrade` runs on it
    done = mlflow_db_upgrade(location.tracking_uri)

    # Then it succeeds and leaves the index
    assert done.returncode == 0, done.stderr[-3000:]
    assert RUNS_INDEX in runs_indexes(location.tracking_uri)
