"""``labtrack.runs()`` vs ``mlflow.search_runs()`` over the same 10k runs (issue 6).

Generates an embedded store of 10k runs × 10 params × 5 metrics × 3 tags (raw SQL into
MLflow's own tables, as ``server_reads.py`` does: generation is not what is measured),
checks both DataFrames hold the same content, then prints their times and the ratio
from one run. Target: ≥ 30× (issue 20; ≥ 10× in issue 6).

Usage: ``.venv/bin/python benchmarks/runs_frame.py [--runs 10000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import tempfile
from pathlib import Path

from server_reads import best_of, generate

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def add_tags(database: Path) -> None:
    connection = sqlite3.connect(database)
    run_ids = [row[0] for row in connection.execute("SELECT run_uuid, name FROM runs")]
    connection.executemany(
        "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)",
        [
            (key, f"{key}-{index % 7}", run_id)
            for index, run_id in enumerate(run_ids)
            for key in ("mlflow.runName", "team", "mlflow.source.name")
        ],
    )
    connection.commit()
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import mlflow
    import pandas as pd

    import labtrack
    from labtrack.backend import prepare_backend, resolve_backend

    home = Path(tempfile.mkdtemp(prefix="labtrack-bench-frame-"))
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    print(f"generating {args.runs} runs in {home} ...")
    generate(location.database_path, args.runs, 1)
    add_tags(location.database_path)
    mlflow.set_tracking_uri(location.tracking_uri)

    def ours():
        return labtrack.runs(["0"])

    def theirs():
        return mlflow.search_runs(["0"])

    a, b = ours(), theirs()  # also warms both (imports, connections)
    assert len(a) == len(b) == args.runs + 1, (len(a), len(b))
    pd.testing.assert_frame_equal(a, b[list(a.columns)])
    print(f"  same content: {len(a)} rows × {len(a.columns)} columns")

    labtrack_s = best_of(args.repeats, ours)
    mlflow_s = best_of(1, theirs)
    print(f"  {'labtrack.runs()':<40} {labtrack_s * 1000:9.1f} ms")
    print(f"  {'mlflow.search_runs()':<40} {mlflow_s * 1000:9.1f} ms")
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MLflow {mlflow.__version__}, pandas {pd.__version__}"
    )
    print(f"  {'search_runs / labtrack.runs (target ≥ 30)':<40} {mlflow_s / labtrack_s:8.2f}×")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
