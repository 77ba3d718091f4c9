"""``labtrack.runs`` gives what ``mlflow.search_runs`` gives, read the fast way."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pandas as pd
import pytest
from sample_store import populate

import labtrack
from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.errors import InvalidQuery, NotFound

FILTERS = [
    "",
    "metrics.accuracy > 0.55",
    "metrics.accuracy >= 0.5 and params.optimizer = 'adam'",
    "tags.team = 'vision'",
    "params.lr LIKE '0.01%'",
    "attributes.status = 'FAILED'",
    "attributes.run_name ILIKE 'RUN-0%'",
    "metrics.unstable = 0",
]
ORDERS = [
    None,
    ["metrics.accuracy DESC"],
    ["params.lr ASC"],
    ["tags.team DESC", "attributes.run_name ASC"],
    ["attributes.start_time ASC"],
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    home = tmp_path_factory.mktemp("frames-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    store = populate(location.tracking_uri, Path(location.artifact_root))
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(location.tracking_uri)
    yield store
    mlflow.set_tracking_uri(previous)


def reference(**kwargs) -> pd.DataFrame:
    return mlflow.search_runs(**kwargs)


def assert_same_frame(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    # MLflow's metric/param/tag columns come in set order; ours are sorted. Same set.
    assert sorted(ours.columns) == sorted(theirs.columns)
    if theirs.empty:
        # MLflow builds an empty frame from empty lists (float64/object columns); ours
        # keeps its datetime columns typed even then. Nothing else to compare.
        assert ours.empty
        return
    pd.testing.assert_frame_equal(ours, theirs[list(ours.columns)], check_dtype=True)


@pytest.mark.parametrize("filter_string", FILTERS)
def test_runs_equal_mlflow_search_runs_for_each_filter(sample, filter_string):
    ids = [sample.experiment_id]
    ours = labtrack.runs(ids, filter_string)
    theirs = reference(experiment_ids=ids, filter_string=filter_string)
    assert len(ours) > 0 or filter_string  # the unfiltered store has runs
    assert_same_frame(ours, theirs)


@pytest.mark.parametrize("order_by", ORDERS)
def test_runs_equal_mlflow_search_runs_for_each_ordering(sample, order_by):
    ids = [sample.experiment_id, sample.other_experiment_id]
    ours = labtrack.runs(ids, order_by=order_by, max_results=9)
    theirs = reference(experiment_ids=ids, order_by=order_by, max_results=9)
    assert len(ours) == 9
    assert_same_frame(ours, theirs)


def test_times_are_utc_datetimes_and_missing_metrics_nan(sample):
    frame = labtrack.runs("api-tests")
    assert str(frame["start_time"].dt.tz) == "UTC"
    assert frame["start_time"].notna().all()
    assert frame["metrics.accuracy"].dtype == "float64"
    assert frame["metrics.unstable"].isna().sum() == len(frame)  # NaN logged once, else absent


def test_experiments_by_name_and_by_id_give_the_same_runs(sample):
    by_name = labtrack.runs(["api-tests"])
    by_id = labtrack.runs([sample.experiment_id])
    pd.testing.assert_frame_equal(by_name, by_id)


def test_experiment_as_the_magic_names_it_is_a_keyword_too(sample):
    pd.testing.assert_frame_equal(labtrack.runs(experiment="api-tests"), labtrack.runs("api-tests"))
    with pytest.raises(TypeError, match="not both"):
        labtrack.runs("api-tests", experiment="api-tests")


def test_arguments_after_the_filter_are_keyword_only(sample):
    from mlflow.entities import ViewType

    # mlflow.search_runs' third positional argument is run_view_type, not order_by: a call
    # copied from it fails loudly instead of meaning something else.
    with pytest.raises(TypeError):
        labtrack.runs(["api-tests"], "", ViewType.ACTIVE_ONLY, 10)


def test_all_experiments_equal_mlflow_searching_every_experiment(sample):
    every = [e.experiment_id for e in mlflow.search_experiments()]
    ours = labtrack.runs("all", order_by="attributes.start_time ASC")
    theirs = reference(experiment_ids=every, order_by=["attributes.start_time ASC"])
    assert set(ours["experiment_id"]) == {sample.experiment_id, sample.other_experiment_id}
    assert_same_frame(ours, theirs)


def test_children_of_gives_exactly_the_child_runs(sample):
    frame = labtrack.runs(children_of=sample.parent_id)
    assert sorted(frame["run_id"]) == sorted(sample.child_ids)
    assert set(frame["tags.mlflow.parentRunId"]) == {sample.parent_id}


def test_notebook_keeps_the_runs_recorded_from_that_notebook(sample, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", sample.notebook)
    frame = labtrack.runs(notebook=True)
    assert sorted(frame["run_id"]) == sorted(sample.run_ids[:4])


def test_bad_filter_is_an_invalid_query(sample):
    with pytest.raises(InvalidQuery):
        labtrack.runs("api-tests", "metrics.accuracy >>> 1")


def test_unknown_experiment_is_not_found(sample):
    with pytest.raises(NotFound, match="no-such-experiment"):
        labtrack.runs("no-such-experiment")


def test_client_path_gives_the_same_frame_as_the_sql_path(sample):
    from labtrack.backend.client_reader import ClientReader
    from labtrack.backend.frames import runs_frame
    from labtrack.backend.queries import RunQuery
    from labtrack.backend.sql_reader import SqlReader

    query = RunQuery(experiment_ids=(sample.experiment_id,), order_by=("metrics.loss ASC",))
    fast = SqlReader(sample.tracking_uri)
    try:
        sql = runs_frame(fast.run_table(query, 100))
    finally:
        fast.close()
    client = runs_frame(ClientReader(sample.tracking_uri).run_table(query, 100))
    assert len(sql) == 16
    pd.testing.assert_frame_equal(sql, client)
