"""The fast SQL writer leaves MLflow's tables exactly as MLflow's own log_batch does."""

from __future__ import annotations

import sqlite3

import pytest
from mlflow.entities import Metric
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from labtrack.metrics.points import MetricPoint
from labtrack.metrics.writers import (
    BatchMetricWriter,
    PointsRejected,
    SqlMetricWriter,
    writer_for,
)

POINTS = [
    ("loss", 0.9, 1000, 5),
    ("loss", 0.8, 1001, 2),
    ("loss", 0.7, 999, 5),
    ("loss", 0.95, 1000, 5),
    ("loss", 0.9, 1000, 5),  # an exact duplicate
    ("nan", float("nan"), 1000, 1),
    ("nan", 3.0, 1000, 1),
    ("inf", float("inf"), 1000, 0),
    ("inf", float("-inf"), 1001, 0),
    ("tie", 2.0, 1000, 3),
    ("tie", float("nan"), 1000, 3),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("writer-store")
    return SqlAlchemyStore(f"sqlite:///{folder}/mlflow.db", str(folder / "artifacts"))


def _new_run(store) -> str:
    return store.create_run("0", "test", 0, [], None).info.run_id


def _rows(store, table: str, run_id: str) -> list[tuple]:
    database = store.db_uri.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            f"SELECT key, value, timestamp, step, is_nan FROM {table} WHERE run_uuid = ?",
            (run_id,),
        ).fetchall()
    return sorted(rows)


def test_the_sql_writer_writes_the_rows_mlflow_writes(store):
    by_mlflow, by_labtrack = _new_run(store), _new_run(store)
    for first, second in ((0, 4), (4, 7), (7, 11)):  # MLflow sees them over three calls
        metrics = [Metric(*point) for point in POINTS[first:second]]
        store.log_batch(by_mlflow, metrics, [], [])
    writer = writer_for(store)
    assert isinstance(writer, SqlMetricWriter)
    points = [MetricPoint(by_labtrack, *point) for point in POINTS]
    writer.write(points[:4])
    writer.write(points[4:])
    for table in ("metrics", "latest_metrics"):
        assert _rows(store, table, by_labtrack) == _rows(store, table, by_mlflow), table


def test_writing_the_same_points_twice_changes_nothing(store):
    run_id = _new_run(store)
    writer = writer_for(store)
    points = [MetricPoint(run_id, *point) for point in POINTS]
    writer.write(points)
    once = (_rows(store, "metrics", run_id), _rows(store, "latest_metrics", run_id))
    writer.write(points)
    assert (_rows(store, "metrics", run_id), _rows(store, "latest_metrics", run_id)) == once


def test_a_newer_point_written_by_mlflow_meanwhile_is_kept_as_latest(store):
    run_id = _new_run(store)
    store.log_batch(run_id, [Metric("loss", 0.1, 5000, 9)], [], [])
    writer_for(store).write([MetricPoint(run_id, "loss", 0.5, 4000, 3)])
    assert _rows(store, "latest_metrics", run_id) == [("loss", 0.1, 5000, 9, 0)]


def test_the_batch_writer_sends_at_most_1000_metrics_per_call_per_run():
    calls = []
    writer = BatchMetricWriter(lambda **kwargs: calls.append(kwargs))
    points = [MetricPoint("a" * 32, "m", float(n), 1, n) for n in range(2500)]
    points += [MetricPoint("b" * 32, "m", 1.0, 1, 0)]
    writer.write(points)
    assert [(c["run_id"][0], len(c["metrics"])) for c in calls] == [
        ("a", 1000),
        ("a", 1000),
        ("a", 500),
        ("b", 1),
    ]


def test_points_of_a_run_missing_from_the_database_are_rejected_not_retried(store):
    with pytest.raises(PointsRejected):
        writer_for(store).write([MetricPoint("f" * 32, "loss", 1.0, 1, 0)])
