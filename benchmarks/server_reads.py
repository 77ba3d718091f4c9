"""Read-path benchmark for the server API (issues 4, 20): labtrack's façade vs MLflow vs
raw SQL, on SQLite and (``--postgres``) PostgreSQL, side by side in one run.

Generates an embedded store of 10k runs × 10 params × 5 metrics plus one run with a
100k-step metric (written with raw SQL into MLflow's own tables: generation is not what
is measured); with ``--postgres`` the same rows are copied into a throwaway PostgreSQL
cluster (the scale tests' launcher, ``pg_store.py``). Then, for each store:

- the first page of 100 runs: labtrack vs ``MlflowClient.search_runs(max_results=100)``;
- all 10k runs with 3 param and 2 metric columns: labtrack paging (1000 a page, keyset
  tokens) vs one raw SQL query vs ``search_runs`` paging through all of them;
- the 100k-step metric reduced to 1,000 points: labtrack vs two raw SQL bucket queries
  (each bucket's min and max values only, as in issue 4; and the same buckets with the
  steps their min and max occur at, which a plot needs) vs ``get_metric_history``.

Raw SQL runs on a connection kept open (sqlite3 read-only; psycopg), as a pool would.

Usage: ``.venv/bin/python benchmarks/server_reads.py [--runs 10000] [--steps 100000]
[--postgres] [--postgres-index]`` (``--postgres-index``: add labtrack's read index to
the PostgreSQL copy, as a team's admin may; the embedded SQLite store always has it).
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


RAW_ALL = (
    "SELECT r.run_uuid, r.name, r.status, r.start_time, r.end_time,"
    " p0.value, p1.value, p2.value, m0.value, m1.value FROM runs r"
    " LEFT JOIN params p0 ON p0.run_uuid = r.run_uuid AND p0.key = 'p0'"
    " LEFT JOIN params p1 ON p1.run_uuid = r.run_uuid AND p1.key = 'p1'"
    " LEFT JOIN params p2 ON p2.run_uuid = r.run_uuid AND p2.key = 'p2'"
    " LEFT JOIN latest_metrics m0 ON m0.run_uuid = r.run_uuid AND m0.key = 'm0'"
    " LEFT JOIN latest_metrics m1 ON m1.run_uuid = r.run_uuid AND m1.key = 'm1'"
    " WHERE r.experiment_id = 0 AND r.lifecycle_stage = 'active'"
    " ORDER BY r.start_time DESC, r.run_uuid"
)
RAW_BUCKETS = (
    "SELECT step * 500 / ? AS bucket, MIN(value), MAX(value), MIN(step), MAX(step)"
    " FROM metrics WHERE run_uuid = ? AND key = 'loss' GROUP BY bucket ORDER BY bucket"
)
RAW_BUCKET_STEPS = (
    "SELECT bucket, step, value FROM (SELECT bucket, step, value,"
    " ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY value, step) AS lo,"
    " ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY value DESC, step) AS hi"
    " FROM (SELECT step * 500 / ? AS bucket, step, value FROM metrics"
    " WHERE run_uuid = ? AND key = 'loss') AS m) AS ranked"
    " WHERE lo = 1 OR hi = 1 ORDER BY bucket, step"
)
COLUMNS = {"params": ("p0", "p1", "p2"), "metrics": ("m0", "m1")}


def measure(name: str, uri: str, raw, args, long_run: str) -> dict[str, float]:
    """Every timing of one store; ``raw(sql, params)`` runs hand-written SQL."""
    import mlflow

    from labtrack.backend.queries import RunQuery
    from labtrack.backend.sql_reader import SqlReader

    client = mlflow.MlflowClient(tracking_uri=uri)
    reader = SqlReader(uri)

    def labtrack_first_page():
        return reader.search_runs(RunQuery(experiment_ids=("0",), page_size=100, **COLUMNS))

    def labtrack_all():
        token, count = None, 0
        while True:
            page = reader.search_runs(
                RunQuery(experiment_ids=("0",), page_size=1000, page_token=token, **COLUMNS)
            )
            count += len(page.runs)
            token = page.next_page_token
            if not token:
                return count

    def mlflow_all():
        token, count = None, 0
        while True:
            page = client.search_runs(["0"], max_results=1000, page_token=token)
            count += len(page)
            token = page.token
            if not token:
                return count

    assert labtrack_all() == len(raw(RAW_ALL, ())) == args.runs + 1
    steps = (args.steps, long_run)
    timings = {}
    for label, action, repeats in [
        ("first page of 100: labtrack", labtrack_first_page, args.repeats),
        (
            "first page of 100: mlflow search_runs",
            lambda: client.search_runs(["0"], max_results=100),
            args.repeats,
        ),
        ("all runs: labtrack paging", labtrack_all, args.repeats),
        ("all runs: raw SQL", lambda: raw(RAW_ALL, ()), args.repeats),
        ("all runs: mlflow search_runs", mlflow_all, 1),
        (
            "metric: labtrack (1000 pts)",
            lambda: reader.metric_history(long_run, "loss", 1000, None),
            args.repeats,
        ),
        ("metric: raw SQL buckets, min/max values", lambda: raw(RAW_BUCKETS, steps), args.repeats),
        (
            "metric: raw SQL buckets + steps of min/max",
            lambda: raw(RAW_BUCKET_STEPS, steps),
            args.repeats,
        ),
        (
            "metric: mlflow get_metric_history",
            lambda: client.get_metric_history(long_run, "loss"),
            1,
        ),
    ]:
        timings[label] = best_of(repeats, action)
        print(f"  {name:<10} {label:<46} {timings[label] * 1000:9.1f} ms", flush=True)
    reader.close()
    return timings


RATIOS = [
    (
        "first page: mlflow / labtrack (target ≥ 1)",
        "first page of 100: mlflow search_runs",
        "first page of 100: labtrack",
    ),
    ("all runs: labtrack / raw SQL (target ≤ 2)", "all runs: labtrack paging", "all runs: raw SQL"),
    (
        "all runs: mlflow / labtrack (target ≥ 20)",
        "all runs: mlflow search_runs",
        "all runs: labtrack paging",
    ),
    (
        "metric: labtrack / raw buckets + steps (target ≤ 2)",
        "metric: labtrack (1000 pts)",
        "metric: raw SQL buckets + steps of min/max",
    ),
    (
        "metric: labtrack / raw min/max values only",
        "metric: labtrack (1000 pts)",
        "metric: raw SQL buckets, min/max values",
    ),
    (
        "metric: mlflow / labtrack (target ≥ 10)",
        "metric: mlflow get_metric_history",
        "metric: labtrack (1000 pts)",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also measure PostgreSQL")
    parser.add_argument("--postgres-index", action="store_true", help="with labtrack's index")
    args = parser.parse_args()

    import mlflow

    from labtrack.backend import prepare_backend, resolve_backend

    home = Path(tempfile.mkdtemp(prefix="labtrack-bench-"))
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    print(f"generating {args.runs} runs and a {args.steps}-step metric in {home} ...")
    _, long_run = generate(location.database_path, args.runs, args.steps)
    sqlite_raw = sqlite3.connect(f"{location.database_path.as_uri()}?mode=ro", uri=True)
    results = {
        "SQLite": measure(
            "SQLite",
            location.tracking_uri,
            lambda sql, params: sqlite_raw.execute(sql, params).fetchall(),
            args,
            long_run,
        )
    }
    cluster = None
    try:
        if args.postgres:
            import psycopg
            from pg_store import copy_store, plain_uri, start_cluster

            cluster = start_cluster()
            uri = copy_store(location.database_path, cluster, str(home / "pg-artifacts"))
            if args.postgres_index:
                from labtrack.backend.read_indexes import create_read_indexes

                create_read_indexes(uri)
            pg_raw = psycopg.connect(plain_uri(uri), autocommit=True)
            results["PostgreSQL"] = measure(
                "PostgreSQL",
                uri,
                lambda sql, params: pg_raw.execute(sql.replace("?", "%s"), params).fetchall(),
                args,
                long_run,
            )
            pg_raw.close()
    finally:
        if cluster is not None:
            cluster.stop()
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MLflow {mlflow.__version__}, load average "
        + " ".join(f"{value:.1f}" for value in os.getloadavg())
    )
    print(f"  {'':<52}" + "".join(f"{name:>12}" for name in results))
    for label, numerator, denominator in RATIOS:
        values = [t[numerator] / t[denominator] for t in results.values()]
        print(f"  {label:<52}" + "".join(f"{value:11.2f}×" for value in values))
    sqlite_raw.close()
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
