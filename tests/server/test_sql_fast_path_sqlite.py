"""Keyset paging and the in-database reduction on SQLite (PostgreSQL: tests/scale)."""

from __future__ import annotations

import pytest
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

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.page_tokens import decode_page_token, search_fingerprint
from labtrack.backend.queries import RunQuery
from labtrack.backend.sql_reader import SqlReader


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("keyset-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    return location


@pytest.fixture(scope="module")
def tied(store):
    return tied_experiment(store.tracking_uri, "tied", f"{store.artifact_root}/tied")


@pytest.mark.parametrize("order_by", ORDERS, ids=lambda o: " / ".join(o) or "default")
def test_keyset_pages_list_every_run_once_in_mlflows_order_despite_ties(store, tied, order_by):
    check_pages_follow_mlflow_order(store.tracking_uri, tied, order_by)


def test_keyset_pages_survive_runs_inserted_while_paging(store):
    experiment = tied_experiment(store.tracking_uri, "growing", f"{store.artifact_root}/g", 60)
    check_pages_survive_concurrent_inserts(store.tracking_uri, experiment)


def test_a_keyset_token_carries_its_offset_for_mlflows_client(store, tied):
    # Given a second page asked of the fast path
    reader = SqlReader(store.tracking_uri)
    query = RunQuery(experiment_ids=(tied,), page_size=25)
    first = reader.search_runs(query)
    fingerprint = search_fingerprint(query.experiment_ids, "", ())

    # When its token is decoded
    token = decode_page_token(first.next_page_token, fingerprint)

    # Then it says where the page ended, as MLflow's offset token would
    assert token.offset == 25 and token.keys is not None
    from labtrack.backend.client_reader import ClientReader

    second = RunQuery(**{**query.__dict__, "page_token": first.next_page_token})
    by_client = ClientReader(store.tracking_uri).search_runs(second)
    by_keyset = reader.search_runs(second)
    reader.close()
    assert [r.run_id for r in by_client.runs] == [r.run_id for r in by_keyset.runs]


@pytest.fixture(scope="module")
def histories_run(store):
    client = MlflowClient(tracking_uri=store.tracking_uri)
    experiment = client.create_experiment("histories", f"{store.artifact_root}/h")
    run_id = client.create_run(experiment).info.run_id
    return run_id, write_histories(store.tracking_uri, run_id)


def test_the_sql_reduction_equals_the_python_reduction(store, histories_run):
    run_id, found = histories_run
    check_reduction_equals_python(store.tracking_uri, run_id, found)


def test_evenly_spaced_histories_are_reduced_in_the_database(store, histories_run):
    check_sql_path_serves_evenly_spaced_steps(store.tracking_uri, histories_run[0])


def test_column_keys_are_those_of_the_experiments_active_runs_only(store):
    # Given two experiments, and a deleted run holding keys no active run has
    client = MlflowClient(tracking_uri=store.tracking_uri)
    mine = client.create_experiment("keys-mine", f"{store.artifact_root}/km")
    other = client.create_experiment("keys-other", f"{store.artifact_root}/ko")
    for experiment, suffix in ((mine, "mine"), (other, "other")):
        run = client.create_run(experiment, tags={f"tag_{suffix}": "1"}).info.run_id
        client.log_param(run, f"param_{suffix}", "1")
        client.log_metric(run, f"metric_{suffix}", 1.0)
    gone = client.create_run(mine).info.run_id
    client.log_param(gone, "param_deleted", "1")
    client.delete_run(gone)

    # When the keys of the first experiment are listed
    reader = SqlReader(store.tracking_uri)
    columns = reader.run_columns((mine,))
    reader.close()

    # Then only its active runs' keys are there
    assert columns.params == ["param_mine"]
    assert columns.metrics == ["metric_mine"]
    assert "tag_mine" in columns.tags and "tag_other" not in columns.tags
