"""Metric logging against a team's mlflow server (PostgreSQL + S3), side by side in one run.

Starts the scale tests' harness (a throwaway PostgreSQL cluster, moto's S3 and a real
``mlflow server`` on them; ``tests/support/``), then measures points/s of

(a) one ``%%track`` loop logging with ``mlflow.log_metric`` in its own process;
(b) four such loops in four processes at once (aggregate: all points over the wall time
    from the common start to the last end-of-cell flush);
(c) plain ``mlflow.log_metric`` over REST, untracked (one request per point).

Run: ``.venv/bin/python benchmarks/team_server.py`` (about two minutes). The figures in
benchmarks/README.md come from it. Issue 9's targets: (b) ≥ 3 × (a) and (b) ≥ 50 × (c).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from mlflow_server import MlflowServer  # noqa: E402
from postgres_cluster import PostgresCluster  # noqa: E402
from s3_endpoint import S3Endpoint  # noqa: E402

POINTS_PER_LOOP = 20_000
PLAIN_POINTS = 200
PLAIN_WARM_UP = 40
LOOPS = 4
# Workers of the mlflow server (``--workers``); ``WORKERS=4 python benchmarks/team_server.py``.
WORKERS = int(os.environ.get("WORKERS", "1"))

# One tracked loop in its own process: ready after imports, starts on "go", prints timings.
WORKER = """
import json, sys, time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_line_magic("load_ext", "labtrack")
shell.run_cell("import mlflow", store_history=False)
print("ready", flush=True)
sys.stdin.readline()
started = time.time()
result = shell.run_cell(
    "%%track --experiment bench --no-live\\n"
    "for s in range({points}):\\n"
    "    mlflow.log_metric('loss', s * 0.5, step=s)\\n",
    store_history=False,
)
ended = time.time()
print(json.dumps({{"ok": result.success, "started": started, "ended": ended}}), flush=True)
"""


def tracked_loops(count: int, env: dict[str, str]) -> float:
    """Aggregate points/s of ``count`` tracked loops started together."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(points=POINTS_PER_LOOP)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(count)
    ]
    for worker in workers:
        line = worker.stdout.readline()
        while line and line.strip() != "ready":
            line = worker.stdout.readline()
        if not line:
            raise RuntimeError("a benchmark worker exited before it was ready")
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    reports = []
    for worker in workers:
        output, _ = worker.communicate(timeout=900)
        reports.append(json.loads(output.strip().splitlines()[-1]))
    if not all(report["ok"] for report in reports):
        raise RuntimeError(f"a tracked loop failed: {reports}")
    wall = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    return count * POINTS_PER_LOOP / wall


def plain_points_per_second(url: str) -> float:
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=url)
    experiment = client.create_experiment("bench-plain")
    run_id = client.create_run(experiment).info.run_id
    for step in range(PLAIN_WARM_UP):  # not timed: every server worker has opened its store
        client.log_metric(run_id, "warm-up", 0.0, step=step)
    started = time.perf_counter()
    for step in range(PLAIN_POINTS):
        client.log_metric(run_id, "loss", step * 0.5, step=step)
    elapsed = time.perf_counter() - started
    client.set_terminated(run_id)
    return PLAIN_POINTS / elapsed


def main() -> None:
    import mlflow

    folder = Path(tempfile.mkdtemp(prefix="labtrack-team-bench-"))
    postgres = PostgresCluster()
    s3 = server = None
    try:
        s3 = S3Endpoint(folder / "s3")
        server = MlflowServer(
            folder / "server",
            backend_store_uri=postgres.sqlalchemy_uri,
            artifacts_destination=f"s3://{s3.bucket}/mlflow-artifacts",
            extra_env=s3.client_env(),
            workers=WORKERS,
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MLFLOW_", "LABTRACK_"))
        }
        env.update(
            MLFLOW_TRACKING_URI=server.url,
            MLFLOW_DISABLE_TELEMETRY="true",
            LABTRACK_HOME=str(folder / "home"),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])),
        )
        os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
        tracked_loops(1, env)  # warm-up: the experiment exists, the server's caches are warm
        one = tracked_loops(1, env)
        four = tracked_loops(LOOPS, env)
        plain = plain_points_per_second(server.url)
        (stored,) = postgres.query("SELECT count(*) FROM metrics")[0]
    finally:
        for part in (server, s3):
            if part is not None:
                part.stop()
        postgres.stop()
    expected = (2 + LOOPS) * POINTS_PER_LOOP + PLAIN_POINTS + PLAIN_WARM_UP
    print(f"  one tracked loop                     {one:12,.0f} points/s")
    print(f"  {LOOPS} tracked loops at once (aggregate) {four:12,.0f} points/s")
    print(f"  plain mlflow.log_metric over REST    {plain:12,.0f} points/s")
    print(f"  points in PostgreSQL: {stored:,} (expected {expected:,})")
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MLflow {mlflow.__version__}, {WORKERS} server worker(s)"
    )
    print(f"  {LOOPS} loops / one loop (target ≥ 3)      {four / one:8.2f}×")
    print(f"  {LOOPS} loops / plain REST (target ≥ 50)   {four / plain:8.2f}×")


if __name__ == "__main__":
    main()
