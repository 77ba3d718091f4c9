"""The SQL fast path on PostgreSQL: keyset paging in MLflow's order, the in-database
reduction equal to the Python one, and labtrack's read index through mlflow db upgrade."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy
from mlflow import MlflowClient
from read_checks import (
    ORDERS,
    check_pages_follow_mlflow_order,
    check_pages_survive_concurrent_inserts,
    check_reduction_equals_python,
    check_sql_path_serves_evenly_spaced_steps,
    tied_experiment,
    write_histories,
)

from labtrack.backend.read_indexes import RUNS_INDEX, create_read_indexes


@pytest.fixture(scope="module")
def store(postgres, tmp_path_factory):
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    postgres.create_database("labtrack_reads")
    uri = postgres.sqlalchemy_uri_of("labtrack_reads")
    artifacts = tmp_path_factory.mktemp("pg-reads-artifacts")
    SqlAlchemyStore(uri, str(artifacts)).engine.dispose()  # MLflow's schema
    return uri, artifacts


@pytest.fixture(scope="module")
def tied(store):
    uri, artifacts = store
    return tied_experiment(uri, "tied", str(artifacts / "tied"))


@pytest.mark.parametrize("order_by", ORDERS, ids=lambda o: " / ".join(o) or "default")
def test_keyset_pages_list_every_run_once_in_mlflows_order_despite_ties(store, tied, order_by):
    check_pages_follow_mlflow_order(store[0], tied, order_by)


def test_keyset_pages_survive_runs_inserted_while_paging(store):
    uri, artifacts = store
    experiment = tied_experiment(uri, "growing", str(artifacts / "growing"), 60)
    check_pages_survive_concurrent_inserts(uri, experiment)


@pytest.fixture(scope="module")
def histories_run(store):
    uri, artifacts = store
    client = MlflowClient(tracking_uri=uri)
    run_id = client.create_run(client.create_experiment("histories", str(artifacts / "h")))
    run_id = run_id.info.run_id
    return run_id, write_histories(uri, run_id)


def test_the_sql_reduction_equals_the_python_reduction(store, histories_run):
    check_reduction_equals_python(store[0], *histories_run)


def test_evenly_spaced_histories_are_reduced_in_the_database(store, histories_run):
    check_sql_path_serves_evenly_spaced_steps(store[0], histories_run[0])


def test_mlflow_db_upgrade_runs_every_migration_with_the_read_index(postgres):
    # Given a database at MLflow's first schema, with labtrack's read index added
    from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

    postgres.create_database("labtrack_upgrade")
    uri = postgres.sqlalchemy_uri_of("labtrack_upgrade")
    engine = sqlalchemy.create_engine(uri)
    InitialBase.metadata.create_all(engine)
    engine.dispose()
    assert create_read_indexes(uri)

    # When `mlflow db upgrade` runs every migration
    done = subprocess.run(
        [sys.executable, "-m", "mlflow", "db", "upgrade", uri],
        capture_output=True,
        text=True,
        timeout=600,
    )

    # Then it succeeds and the index is still there
    assert done.returncode == 0, done.stderr[-3000:]
    engine = sqlalchemy.create_engine(uri)
    try:
        names = {index["name"] for index in sqlalchemy.inspect(engine).get_indexes("runs")}
    finally:
        engine.dispose()
    assert RUNS_INDEX in names
