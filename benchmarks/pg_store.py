"""The same generated store on PostgreSQL, for ``server_reads.py --postgres``.

Starts a throwaway cluster with the scale tests' launcher (``tests/support/
postgres_cluster.py``: Debian's binaries, loopback, fsync off, removed at the end),
creates MLflow's schema in it with MLflow's own store, copies the rows of a generated
SQLite store into it with COPY, and runs ANALYZE, as a team's database would have
statistics.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLES = {
    "runs": "run_uuid, name, source_type, source_name, entry_point_name, user_id, status,"
    " start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id",
    "params": "key, value, run_uuid",
    "latest_metrics": "key, value, timestamp, step, is_nan, run_uuid",
    "metrics": "key, value, timestamp, run_uuid, step, is_nan",
}


def start_cluster():
    sys.path.insert(0, str(REPO / "tests" / "support"))
    from postgres_cluster import PostgresCluster

    return PostgresCluster()


def copy_store(sqlite_path: Path, cluster, artifact_root: str) -> str:
    """MLflow's schema in the cluster's database, filled with the SQLite store's rows of
    experiment 0; returns the SQLAlchemy URI."""
    import psycopg
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    uri = cluster.sqlalchemy_uri
    SqlAlchemyStore(uri, artifact_root).engine.dispose()
    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(plain_uri(uri)) as target:
        for table, columns in TABLES.items():
            names = [name.strip() for name in columns.split(",")]
            flags = [index for index, name in enumerate(names) if name == "is_nan"]
            with (
                target.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in source.execute(f"SELECT {columns} FROM {table}"):
                    if flags:
                        row = tuple(bool(v) if i in flags else v for i, v in enumerate(row))
                    copy.write_row(row)
        target.commit()
        target.execute("ANALYZE")
    source.close()
    return uri


def plain_uri(sqlalchemy_uri: str) -> str:
    """The libpq URI psycopg takes, from SQLAlchemy's ``postgresql+psycopg://``."""
    return sqlalchemy_uri.replace("postgresql+psycopg://", "postgresql://", 1)
