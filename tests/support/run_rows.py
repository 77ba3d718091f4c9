"""Runs and metric histories written straight into MLflow's tables, fast.

MLflow's client takes ~10 ms a run; these helpers insert thousands a second with plain
SQL (SQLite or PostgreSQL, through SQLAlchemy), for tests that need many runs, ties in
the sort keys, NULLs MLflow itself would not write, or 100k-point histories.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field

import sqlalchemy
from sqlalchemy import text

_RUN = text(
    "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,"
    " status, start_time, end_time, source_version, lifecycle_stage, artifact_uri,"
    " experiment_id) VALUES (:run_uuid, :name, 'LOCAL', '', '', 'tests', :status, :start,"
    " :end, '', 'active', :artifact_uri, :experiment_id)"
)
_PARAM = text("INSERT INTO params (key, value, run_uuid) VALUES (:key, :value, :run_uuid)")
_TAG = text("INSERT INTO tags (key, value, run_uuid) VALUES (:key, :value, :run_uuid)")
_LATEST = text(
    "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
    " VALUES (:key, :value, 0, 0, :is_nan, :run_uuid)"
)
_POINT = text(
    "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)"
    " VALUES (:key, :value, :timestamp, :run_uuid, :step, :is_nan)"
)


@dataclass
class RunRow:
    run_id: str
    name: str
    start: int | None
    end: int | None = None
    status: str = "FINISHED"
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)  # NaN allowed
    tags: dict[str, str] = field(default_factory=dict)


def tied_runs(count: int, seed: int = 7) -> list[RunRow]:
    """Runs whose every sort key repeats (a handful of start times, values and names),
    with missing params, metrics and tags, NaN metrics and NULL end times (MLflow itself
    refuses to read a run without a start time)."""
    rng = random.Random(seed)
    runs = []
    for index in range(count):
        metrics = {}
        if rng.random() < 0.85:
            metrics["m"] = rng.choice([0.5, 0.25, 1.0, math.nan, -2.0])
        params = {"p": rng.choice(["a", "b", "c"])} if rng.random() < 0.9 else {}
        tags = {"t": rng.choice(["x", "y"])} if rng.random() < 0.8 else {}
        start = 1_700_000_000_000 + rng.randrange(5) * 1000
        end = None if rng.random() < 0.2 else 1_700_000_100_000 + rng.randrange(3)
        runs.append(
            RunRow(
                run_id=uuid.uuid4().hex,
                name=f"run-{index % 9}",
                start=start,
                end=end,
                status=rng.choice(["FINISHED", "FAILED"]),
                params=params,
                metrics=metrics,
                tags=tags,
            )
        )
    return runs


def insert_runs(uri: str, experiment_id: str, runs: list[RunRow]) -> None:
    engine = sqlalchemy.create_engine(uri)
    try:
        with engine.begin() as connection:
            connection.execute(
                _RUN,
                [
                    {
                        "run_uuid": run.run_id,
                        "name": run.name,
                        "status": run.status,
                        "start": run.start,
                        "end": run.end,
                        "artifact_uri": f"/tmp/labtrack-tests/{run.run_id}",
                        "experiment_id": int(experiment_id),
                    }
                    for run in runs
                ],
            )
            for statement, entries in (
                (_PARAM, [(run, k, v) for run in runs for k, v in run.params.items()]),
                (_TAG, [(run, k, v) for run in runs for k, v in run.tags.items()]),
            ):
                if entries:
                    connection.execute(
                        statement,
                        [{"key": k, "value": v, "run_uuid": run.run_id} for run, k, v in entries],
                    )
            latest = [
                {
                    "key": key,
                    "value": 0.0 if math.isnan(value) else value,
                    "is_nan": math.isnan(value),
                    "run_uuid": run.run_id,
                }
                for run in runs
                for key, value in run.metrics.items()
            ]
            if latest:
                connection.execute(_LATEST, latest)
    finally:
        engine.dispose()


def insert_history(uri: str, run_id: str, key: str, points: list[tuple[int, int, float]]) -> None:
    """(step, timestamp, value) points of one metric; NaN stored as MLflow stores it."""
    engine = sqlalchemy.create_engine(uri)
    try:
        with engine.begin() as connection:
            connection.execute(
                _POINT,
                [
                    {
                        "key": key,
                        "value": 0.0 if math.isnan(value) else value,
                        "timestamp": timestamp,
                        "run_uuid": run_id,
                        "step": step,
                        "is_nan": math.isnan(value),
                    }
                    for step, timestamp, value in points
                ],
            )
    finally:
        engine.dispose()
