"""Checks of the SQL fast path shared by the SQLite (tests/server) and PostgreSQL
(tests/scale) tests: keyset pages against MLflow's own order, and the in-database
reduction against the Python one."""

from __future__ import annotations

import math
import random

from mlflow import MlflowClient
from run_rows import RunRow, insert_history, insert_runs, tied_runs

from labtrack.backend.client_reader import ClientReader
from labtrack.backend.queries import RunQuery
from labtrack.backend.sql_reader import SqlReader, reduce_points

ORDERS = [
    (),
    ("metrics.m DESC",),
    ("metrics.m ASC",),
    ("params.p ASC",),
    ("tags.t DESC", "attributes.run_name ASC"),
    ("attributes.start_time ASC",),
    ("attributes.end_time DESC",),
    ("attributes.status DESC", "metrics.m ASC"),
]
COLUMNS = {"params": ("p",), "metrics": ("m",), "tags": ("t",)}


def tied_experiment(uri: str, name: str, artifact_root: str, count: int = 240) -> str:
    experiment_id = MlflowClient(tracking_uri=uri).create_experiment(name, artifact_root)
    insert_runs(uri, experiment_id, tied_runs(count))
    return experiment_id


def all_pages(reader, query: RunQuery, between_pages=None) -> list:
    rows, token = [], None
    while True:
        page = reader.search_runs(RunQuery(**{**query.__dict__, "page_token": token}))
        rows.extend(page.runs)
        token = page.next_page_token
        if not token:
            return rows
        if between_pages is not None:
            between_pages(page)


def comparable(row) -> tuple:
    metrics = {k: (None if v is None or math.isnan(v) else v) for k, v in row.metrics.items()}
    return (row.run_id, row.run_name, row.status, row.start_time, row.params, metrics, row.tags)


def check_pages_follow_mlflow_order(uri: str, experiment_id: str, order_by: tuple) -> None:
    """Small keyset pages list every run once, in exactly MLflow's order, ties included."""
    query = RunQuery(experiment_ids=(experiment_id,), order_by=order_by, page_size=7, **COLUMNS)
    reader = SqlReader(uri)
    try:
        paged = all_pages(reader, query)
    finally:
        reader.close()
    whole = ClientReader(uri).search_runs(RunQuery(**{**query.__dict__, "page_size": 1000}))
    assert [comparable(r) for r in paged] == [comparable(r) for r in whole.runs]
    assert len({r.run_id for r in paged}) == len(paged)


def check_pages_survive_concurrent_inserts(uri: str, experiment_id: str) -> None:
    """Runs inserted between pages (newer, older, and tied with the page boundary) never
    make a run that was there from the start appear twice or go missing."""
    reader = SqlReader(uri)
    before = {r.run_id for r in all_pages(reader, RunQuery(experiment_ids=(experiment_id,)))}
    rng = random.Random(3)
    inserted: list[str] = []

    def insert_some(page) -> None:
        boundary = page.runs[-1].start_time
        runs = [
            RunRow(run_id=f"{rng.getrandbits(128):032x}", name="late", start=start)
            for start in (boundary, 1_800_000_000_000, 1_600_000_000_000)
        ]
        insert_runs(uri, experiment_id, runs)
        inserted.extend(run.run_id for run in runs)

    query = RunQuery(experiment_ids=(experiment_id,), page_size=10)
    try:
        seen = [row.run_id for row in all_pages(reader, query, between_pages=insert_some)]
    finally:
        reader.close()
    assert inserted
    assert len(seen) == len(set(seen)), "a run was listed twice"
    assert before <= set(seen), "a run present from the start was skipped"
    assert set(seen) <= before | set(inserted)


# -- reduction ---------------------------------------------------------------------------


def histories(rng: random.Random) -> dict[str, list[tuple[int, int, float]]]:
    """Metric histories (key -> (step, timestamp, value)) covering what the reduction must
    keep: spikes, ties, NaN stretches, an all-NaN bucket, the largest double (MLflow's
    infinity), steps every k, negative steps; and two shapes the SQL path leaves to Python
    (repeated and irregular steps)."""
    n = 20_000
    values = [math.sin(i / 300) + rng.random() * 0.1 for i in range(n)]
    values[7_777] = 50.0
    values[13_000] = -1.7976931348623157e308
    for i in range(2_000, 2_600):
        values[i] = math.nan
    plateau = [round(rng.random() * 3) / 2 for _ in range(n)]  # many equal lows/highs
    return {
        "every-step": [(i, 1_000 + i, v) for i, v in enumerate(values)],
        "every-10th-from-5": [(5 + 10 * i, 1_000 + i, v) for i, v in enumerate(values)],
        "negative-steps": [(i - 9_000, 5, v) for i, v in enumerate(plateau)],
        "repeated-steps": [(i // 2, i, v) for i, v in enumerate(values)],
        "irregular-steps": [(i * i, i, v) for i, v in enumerate(values[:3_000])],
    }


def write_histories(uri: str, run_id: str) -> dict[str, list]:
    found = histories(random.Random(11))
    for key, points in found.items():
        insert_history(uri, run_id, key, points)
    return found


def python_reduction(points: list[tuple[int, int, float]], key: str, max_points: int, after):
    rows = sorted(
        (step, timestamp, 0.0 if math.isnan(value) else value, math.isnan(value))
        for step, timestamp, value in points
        if after is None or step > after
    )
    return reduce_points(key, rows, max_points)


def check_reduction_equals_python(uri: str, run_id: str, found: dict[str, list]) -> None:
    reader = SqlReader(uri)
    try:
        for key, points in found.items():
            for max_points, after in ((1000, None), (5, None), (10_000, None), (999, 4_000)):
                expected = python_reduction(points, key, max_points, after)
                actual = reader.metric_history(run_id, key, max_points, after)
                assert actual == expected, (key, max_points, after)
    finally:
        reader.close()


def check_sql_path_serves_evenly_spaced_steps(uri: str, run_id: str) -> None:
    from labtrack.backend.sql_reduction import reduce_in_database

    reader = SqlReader(uri)
    try:
        with reader._store.ManagedSessionMaker() as session:
            used = {
                key: reduce_in_database(session, run_id, key, 1000, None) is not None
                for key in histories(random.Random(11))
            }
    finally:
        reader.close()
    assert used == {
        "every-step": True,
        "every-10th-from-5": True,
        "negative-steps": True,
        "repeated-steps": False,
        "irregular-steps": False,
    }
