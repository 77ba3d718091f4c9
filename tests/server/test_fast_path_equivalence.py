"""The fast SQL read path answers exactly what MLflow's own client answers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from read_checks import all_pages
from sample_store import populate

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.client_reader import ClientReader
from labtrack.backend.queries import RunQuery
from labtrack.backend.sql_reader import SqlReader

FILTERS = [
    "",
    "metrics.accuracy > 0.55",
    "metrics.accuracy >= 0.5 and params.optimizer = 'adam'",
    "tags.team = 'vision'",
    "tags.team != 'vision'",
    "params.lr LIKE '0.01%'",
    "attributes.status = 'FAILED'",
    "attributes.run_name ILIKE 'RUN-0%'",
    "attributes.end_time > 1700000100005",
    "tags.`mlflow.source.name` = '/work/notebooks/train.ipynb'",
    "metrics.unstable = 0",
    "params.trial = '1'",
]
ORDERS = [
    (),
    ("metrics.accuracy DESC",),
    ("metrics.accuracy ASC",),
    ("params.lr ASC",),
    ("tags.team DESC", "attributes.run_name ASC"),
    ("attributes.start_time ASC",),
    ("metrics.unstable DESC",),
]


@pytest.fixture(scope="module")
def readers(tmp_path_factory):
    home = tmp_path_factory.mktemp("equivalence-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    sample = populate(location.tracking_uri, Path(location.artifact_root))
    fast, reference = SqlReader(location.tracking_uri), ClientReader(location.tracking_uri)
    yield fast, reference, sample
    fast.close()


def _comparable(row):
    metrics = {k: (None if v is None or math.isnan(v) else v) for k, v in row.metrics.items()}
    return (row.run_id, row.run_name, row.status, row.start_time, row.params, metrics, row.tags)


@pytest.mark.parametrize("order_by", ORDERS, ids=lambda o: " / ".join(o) or "default")
@pytest.mark.parametrize("filter_string", FILTERS, ids=lambda f: f or "no filter")
def test_fast_path_equals_mlflow(readers, filter_string, order_by):
    fast, reference, sample = readers
    query = RunQuery(
        experiment_ids=(sample.experiment_id,),
        filter_string=filter_string,
        order_by=order_by,
        page_size=4,
        params=("lr", "optimizer", "trial"),
        metrics=("accuracy", "unstable"),
        tags=("team",),
    )
    expected = [_comparable(row) for row in all_pages(reference, query)]
    actual = [_comparable(row) for row in all_pages(fast, query)]
    assert actual == expected


def test_page_tokens_are_interchangeable(readers):
    fast, reference, sample = readers
    query = RunQuery(experiment_ids=(sample.experiment_id,), page_size=5)
    first = reference.search_runs(query)
    from_fast = fast.search_runs(
        RunQuery(**{**query.__dict__, "page_token": first.next_page_token})
    )
    from_mlflow = reference.search_runs(
        RunQuery(**{**query.__dict__, "page_token": first.next_page_token})
    )
    assert [r.run_id for r in from_fast.runs] == [r.run_id for r in from_mlflow.runs]


def test_reduced_history_equals_mlflow_history_when_short(readers):
    fast, reference, sample = readers
    long_fast = fast.metric_history(sample.long_run_id, "loss", 10_000, None)
    long_reference = reference.metric_history(sample.long_run_id, "loss", 10_000, None)
    assert long_fast == long_reference
    assert long_fast.reduced is False and len(long_fast.steps) == 5000
