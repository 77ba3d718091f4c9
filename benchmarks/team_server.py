"""Metric logging against a team's mlflow server (PostgreSQL + S3), side by side in one run.

Starts the scale tests' harness (a throwaway PostgreSQL cluster, moto's S3 and a real
``mlflow server`` on them; ``tests/support/``), then measures points/s of

(a) one ``%%track`` loop logging with ``mlflow.log_metric`` in its own process;
(b) four such loops in four processes at once (aggregate: all points over the wall time
    from the common start to the last end-of-cell flush);
(c) plain ``mlflow.log_metric`` over REST, untracked (one request per point).

Run: ``.venv/bin/python benchmarks/team_server.py`` (about two minutes). The figures in
benchmarks/README.md come from it. Issue 9's targets: (b) ≥ 3 × (a) and (b) ≥ 50 × (c).

For (a) and (b) it also counts where the CPU went: seconds of CPU per 1,000 points in
the tracked loops' processes (their own ``getrusage``), the mlflow server's process
tree, PostgreSQL's processes and moto's, and how busy the whole machine was
(``/proc/stat``). All of it shares this machine's cores, so the aggregate cannot pass
``cores / CPU seconds per point``: that ceiling is printed beside the measured rates.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu_at_go = usage.ru_utime + usage.ru_stime
started = time.time()
result = shell.run_cell(
    "%%track --experiment bench --no-live\\n"
    "for s in range({points}):\\n"
    "    mlflow.log_metric('loss', s * 0.5, step=s)\\n",
    store_history=False,
)
ended = time.time()
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"ok": result.success, "started": started, "ended": ended,
                  "cpu": usage.ru_utime + usage.ru_stime, "cpu_at_go": cpu_at_go}}), flush=True)
"""


class CpuMeter:
    """CPU seconds spent by the parts of the harness, and the machine's busy share."""

    def __init__(self, server: MlflowServer, s3: S3Endpoint) -> None:
        self._roots = {"mlflow server": server.process.pid, "moto (S3)": s3.process.pid}

    def read(self) -> dict[str, float]:
        import psutil

        reading = {name: _tree_cpu(psutil.Process(pid)) for name, pid in self._roots.items()}
        reading["PostgreSQL"] = sum(
            _cpu(process)
            for process in psutil.process_iter(["name"])
            if process.info["name"] in ("postgres", "postmaster")
        )
        busy, total = _machine_jiffies()
        reading["machine busy"], reading["machine total"] = busy, total
        return reading


def _cpu(process) -> float:
    import psutil

    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system + times.children_user + times.children_system


def _tree_cpu(root) -> float:
    return _cpu(root) + sum(_cpu(child) for child in root.children(recursive=True))


def _machine_jiffies() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class Phase:
    """One measured phase: its rate and CPU seconds per 1,000 points, by part."""

    points_per_second: float
    cpu_per_thousand: dict[str, float]
    busy_cores: float

    @property
    def ceiling(self) -> float:
        """Points/s if every core did nothing but this work at this cost."""
        per_point = sum(self.cpu_per_thousand.values()) / 1000
        return (os.cpu_count() or 1) / per_point


def tracked_loops(count: int, env: dict[str, str], meter: CpuMeter) -> Phase:
    """Aggregate points/s of ``count`` tracked loops started together, and the CPU."""
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
    before = meter.read()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    reports = []
    for worker in workers:
        output, _ = worker.communicate(timeout=900)
        reports.append(json.loads(output.strip().splitlines()[-1]))
    after = meter.read()
    if not all(report["ok"] for report in reports):
        raise RuntimeError(f"a tracked loop failed: {reports}")
    wall = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    thousands = count * POINTS_PER_LOOP / 1000
    cpu = {"tracked loops": sum(r["cpu"] - r["cpu_at_go"] for r in reports) / thousands}
    for part in ("mlflow server", "PostgreSQL", "moto (S3)"):
        cpu[part] = (after[part] - before[part]) / thousands
    busy = (after["machine busy"] - before["machine busy"]) / (
        after["machine total"] - before["machine total"]
    )
    return Phase(count * POINTS_PER_LOOP / wall, cpu, busy * (os.cpu_count() or 1))


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
        meter = CpuMeter(server, s3)
        tracked_loops(1, env, meter)  # warm-up: the experiment exists, caches are warm
        one_loop = tracked_loops(1, env, meter)
        four_loops = tracked_loops(LOOPS, env, meter)
        one, four = one_loop.points_per_second, four_loops.points_per_second
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
    print("CPU seconds per 1,000 points       one loop   4 loops")
    for part in one_loop.cpu_per_thousand:
        print(
            f"  {part:<30} {one_loop.cpu_per_thousand[part]:9.3f} "
            f"{four_loops.cpu_per_thousand[part]:9.3f}"
        )
    print(
        f"  {'all':<30} {sum(one_loop.cpu_per_thousand.values()):9.3f} "
        f"{sum(four_loops.cpu_per_thousand.values()):9.3f}"
    )
    print(
        f"machine busy (cores of {os.cpu_count()})      {one_loop.busy_cores:9.2f} "
        f"{four_loops.busy_cores:9.2f}"
    )
    print(f"CPU-bound ceiling (points/s)       {one_loop.ceiling:9,.0f} {four_loops.ceiling:9,.0f}")
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MLflow {mlflow.__version__}, {WORKERS} server worker(s)"
    )
    print(f"  {LOOPS} loops / one loop (target ≥ 3)      {four / one:8.2f}×")
    print(f"  {LOOPS} loops / plain REST (target ≥ 50)   {four / plain:8.2f}×")


if __name__ == "__main__":
    main()
