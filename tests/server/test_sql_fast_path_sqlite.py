"""Keyset paging on SQLite (PostgreSQL: tests/scale)."""

from __future__ import annotations

import pytest
from read_checks import (
    ORDERS,
    check_pages_follow_mlflow_order,
    check_pages_survive_concurrent_inserts,
    tied_experiment,
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
