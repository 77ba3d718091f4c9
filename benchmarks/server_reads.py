"""Read-path benchmark for the server API (issue 4): labtrack's façade vs MLflow vs raw SQL.

Generates an embedded store of 10k runs × 10 params × 5 metrics plus one run with a
100k-step metric (written with raw SQL into MLflow's own tables: generation is not what
is measured), then times, side by side in one process:

- the first page of 100 runs: labtrack vs ``MlflowClient.search_runs(max_results=100)``;
- all 10k runs with 3 param and 2 metric columns: labtrack paging (1000 a page) vs one
  raw SQL query vs ``search_runs`` paging through all of them;
- the 100k-step metric reduced to 1,000 points: labtrack vs a raw SQL min/max bucket
  query vs ``get_metric_history``.

Usage: ``.venv/bin/python benchmarks/server_reads.py [--runs 10000] [--steps 100000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

PARAMS = [f"p{i}" for i in range(10)]
METRICS = [f"m{i}" for i in range(5)]


def generate(database: Path, runs: int, steps: int) -> tuple[list[str], str]:
    random.seed(7)
    connection = sqlite3.connect(database)
    run_ids = [uuid.uuid4().hex for _ in range(runs)]
    start = 1_700_000_000_000
    connection.executemany(
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,"
        " status, start_time, end_time, source_version, lifecycle_stage, artifact_uri,"
        " experiment_id) VALUES (?, ?, 'LOCAL', '', '', 'bench', 'FINISHED', ?, ?, '',"
        " 'active', ?, 0)",
        [
            (rid, f"run-{i}", start + i * 1000, start + i * 1000 + 500, f"/tmp/a/{rid}")
            for i, rid in enumerate(run_ids)
        ],
    )
    connection.executemany(
        "INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)",
        [
            (p, str(random.choice([0.1, 0.01, 0.001, 32, 64])), rid)
            for rid in run_ids
            for p in PARAMS
        ],
    )
    connection.executemany(
        "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
        " VALUES (?, ?, ?, 0, 0, ?)",
        [(m, random.random(), start, rid) for rid in run_ids for m in METRICS],
    )
    long_run = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,"
        " status, start_time, end_time, source_version, lifecycle_stage, artifact_uri,"
        " experiment_id) VALUES (?, 'long', 'LOCAL', '', '', 'bench', 'FINISHED', ?, ?, '',"
        " 'active', '/tmp/a/long', 0)",
        (long_run, start - 10, start),
    )
    connection.executemany(
        "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)"
        " VALUES ('loss', ?, ?, ?, ?, 0)",
        [(1.0 / (s + 1) + random.random() * 0.01, start + s, long_run, s) for s in range(steps)],
    )
    connection.commit()
    connection.close()
    return run_ids, long_run


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import mlflow

    from labtrack.backend import prepare_backend, resolve_backend
    from labtrack.backend.queries import RunQuery
    from labtrack.backend.sql_reader import SqlReader

    home = Path(tempfile.mkdtemp(prefix="labtrack-bench-"))
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    print(f"generating {args.runs} runs and a {args.steps}-step metric in {home} ...")
    run_ids, long_run = generate(location.database_path, args.runs, args.steps)
    client = mlflow.MlflowClient(tracking_uri=location.tracking_uri)
    reader = SqlReader(location.tracking_uri)
    columns = {"params": ("p0", "p1", "p2"), "metrics": ("m0", "m1")}

    def labtrack_first_page():
        return reader.search_runs(RunQuery(experiment_ids=("0",), page_size=100, **columns))

    def mlflow_first_page():
        return client.search_runs(["0"], max_results=100)

    def labtrack_all():
        token, count = None, 0
        while True:
            page = reader.search_runs(
                RunQuery(experiment_ids=("0",), page_size=1000, page_token=token, **columns)
            )
            count += len(page.runs)
            token = page.next_page_token
            if not token:
                return count

    def raw_sql_all():
        connection = sqlite3.connect(f"{location.database_path.as_uri()}?mode=ro", uri=True)
        rows = connection.execute(
            "SELECT r.run_uuid, r.name, r.status, r.start_time, r.end_time,"
            " p0.value, p1.value, p2.value, m0.value, m1.value FROM runs r"
            " LEFT JOIN params p0 ON p0.run_uuid = r.run_uuid AND p0.key = 'p0'"
            " LEFT JOIN params p1 ON p1.run_uuid = r.run_uuid AND p1.key = 'p1'"
            " LEFT JOIN params p2 ON p2.run_uuid = r.run_uuid AND p2.key = 'p2'"
            " LEFT JOIN latest_metrics m0 ON m0.run_uuid = r.run_uuid AND m0.key = 'm0'"
            " LEFT JOIN latest_metrics m1 ON m1.run_uuid = r.run_uuid AND m1.key = 'm1'"
            " WHERE r.experiment_id = 0 AND r.lifecycle_stage = 'active'"
            " ORDER BY r.start_time DESC, r.run_uuid"
        ).fetchall()
        connection.close()
        return len(rows)

    def mlflow_all():
        token, count = None, 0
        while True:
            page = client.search_runs(["0"], max_results=1000, page_token=token)
            count += len(page)
            token = page.token
            if not token:
                return count

    def labtrack_metric():
        return reader.metric_history(long_run, "loss", 1000, None)

    def raw_sql_buckets():
        connection = sqlite3.connect(f"{location.database_path.as_uri()}?mode=ro", uri=True)
        rows = connection.execute(
            "SELECT step * 500 / ? AS bucket, MIN(value), MAX(value), MIN(step), MAX(step)"
            " FROM metrics WHERE run_uuid = ? AND key = 'loss' GROUP BY bucket ORDER BY bucket",
            (args.steps, long_run),
        ).fetchall()
        connection.close()
        return len(rows)

    def mlflow_metric():
        return client.get_metric_history(long_run, "loss")

    assert labtrack_all() == raw_sql_all() == args.runs + 1
    results = []
    for label, action, repeats in [
        ("first page of 100: labtrack", labtrack_first_page, args.repeats),
        ("first page of 100: mlflow search_runs", mlflow_first_page, args.repeats),
        (f"all {args.runs} runs: labtrack paging", labtrack_all, args.repeats),
        (f"all {args.runs} runs: raw SQL", raw_sql_all, args.repeats),
        (f"all {args.runs} runs: mlflow search_runs", mlflow_all, 1),
        (f"{args.steps}-step metric: labtrack (1000 pts)", labtrack_metric, args.repeats),
        (f"{args.steps}-step metric: raw SQL buckets", raw_sql_buckets, args.repeats),
        (f"{args.steps}-step metric: mlflow get_metric_history", mlflow_metric, 1),
    ]:
        results.append((label, best_of(repeats, action)))
        print(f"  {label:<52} {results[-1][1] * 1000:9.1f} ms")

    t = dict(results)
    ratio = [
        (
            "first page: mlflow / labtrack (target ≥ 1)",
            t["first page of 100: mlflow search_runs"] / t["first page of 100: labtrack"],
        ),
        (
            "all runs: labtrack / raw SQL (target ≤ 2)",
            t[f"all {args.runs} runs: labtrack paging"] / t[f"all {args.runs} runs: raw SQL"],
        ),
        (
            "all runs: mlflow / labtrack (target ≥ 20)",
            t[f"all {args.runs} runs: mlflow search_runs"]
            / t[f"all {args.runs} runs: labtrack paging"],
        ),
        (
            "metric: labtrack / raw SQL buckets (target ≤ 2)",
            t[f"{args.steps}-step metric: labtrack (1000 pts)"]
            / t[f"{args.steps}-step metric: raw SQL buckets"],
        ),
        (
            "metric: mlflow / labtrack (target ≥ 10)",
            t[f"{args.steps}-step metric: mlflow get_metric_history"]
            / t[f"{args.steps}-step metric: labtrack (1000 pts)"],
        ),
    ]
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MLflow {mlflow.__version__}"
    )
    for label, value in ratio:
        print(f"  {label:<52} {value:8.2f}×")
    reader.close()
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
