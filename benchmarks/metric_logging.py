"""Metric logging into labtrack's embedded SQLite store, side by side in one process.

(a) points/s: raw SQLite ``executemany`` into MLflow's metric tables, labtrack in a
    ``%%track`` cell (end-of-cell flush included), plain ``mlflow.log_metric``,
    ``log_batch``, MLflow's async logging with and without buffering;
(b) wall time of a 1 ms/step training loop logging 3 metrics per step, tracked by
    labtrack vs not tracked; tracked with system metrics off, on at the default interval
    (5 s: a 1 s loop sees the sampler start and its last sample after the loop), and on
    every 0.5 s (two samples inside each loop: the sampler's cost on the loop).

Run: ``.venv/bin/python benchmarks/metric_logging.py`` (about two minutes). Prints
a table; the figures committed in benchmarks/README.md come from it.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time

HOME = tempfile.mkdtemp(prefix="labtrack-bench-")
os.environ["LABTRACK_HOME"] = HOME
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
    os.environ.pop(name, None)

import mlflow  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from mlflow.entities import Metric  # noqa: E402

RAW_POINTS = 100_000
LABTRACK_POINTS = 100_000
FLUENT_IN_CELL_POINTS = 20_000
PLAIN_POINTS = 300
BATCH_POINTS = 20_000
ASYNC_POINTS = 1_000
STEPS = 1_000  # (b): 1 s of 1 ms steps, in each of PAIRS pairs
REPEATS = 3
PAIRS = 15

shell = InteractiveShell.instance()
shell.run_line_magic("load_ext", "labtrack")
client = mlflow.MlflowClient()
DATABASE = os.path.join(HOME, "mlflow.db")


def best_of(measure, repeats: int = REPEATS) -> float:
    return min(measure() for _ in range(repeats))


def tracked_cell_seconds(body: str) -> float:
    """Wall time of a tracked cell, run start/end included."""
    started = time.perf_counter()
    result = shell.run_cell(f"%%track --no-live\n{body}", store_history=False)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise RuntimeError(f"benchmark cell failed: {result.error_in_exec}")
    return elapsed


def labtrack_points_per_second() -> tuple[float, float]:
    """``labtrack.log_metric`` in a tracked cell, minus an empty tracked cell's cost."""
    body = (
        f"import labtrack\nfor s in range({LABTRACK_POINTS}):\n"
        "    labtrack.log_metric('loss', s * 0.5, step=s)\n"
    )
    empty = best_of(lambda: tracked_cell_seconds("pass\n"))
    full = best_of(lambda: tracked_cell_seconds(body))
    return LABTRACK_POINTS / (full - empty), full - empty


def fluent_in_cell_points_per_second() -> float:
    body = (
        f"import mlflow\nfor s in range({FLUENT_IN_CELL_POINTS}):\n"
        "    mlflow.log_metric('loss', s * 0.5, step=s)\n"
    )
    empty = best_of(lambda: tracked_cell_seconds("pass\n"))
    full = best_of(lambda: tracked_cell_seconds(body), 1)
    return FLUENT_IN_CELL_POINTS / (full - empty)


def raw_executemany_points_per_second() -> tuple[float, float]:
    """What the SQLite file can take: one transaction, MLflow's two metric tables."""

    def once() -> float:
        with mlflow.start_run() as run:
            run_id = run.info.run_id
        rows = [("loss", s * 0.5, 1_700_000_000_000 + s, s, 0, run_id) for s in range(RAW_POINTS)]
        started = time.perf_counter()
        connection = sqlite3.connect(DATABASE, timeout=20)
        with connection:
            connection.executemany(
                "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            connection.execute(
                "INSERT OR REPLACE INTO latest_metrics "
                "(key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)",
                rows[-1],
            )
        connection.close()
        return time.perf_counter() - started

    seconds = best_of(once)
    return RAW_POINTS / seconds, seconds


def in_plain_run(log_points) -> float:
    with mlflow.start_run() as run:
        started = time.perf_counter()
        log_points(run.info.run_id)
        return time.perf_counter() - started


def plain_log_metric_points_per_second() -> float:
    def log(run_id):
        for s in range(PLAIN_POINTS):
            mlflow.log_metric("loss", s * 0.5, step=s)

    return PLAIN_POINTS / best_of(lambda: in_plain_run(log), 1)


def log_batch_points_per_second() -> float:
    def log(run_id):
        timestamp = int(time.time() * 1000)
        for start in range(0, BATCH_POINTS, 1000):
            metrics = [Metric("loss", s * 0.5, timestamp, s) for s in range(start, start + 1000)]
            client.log_batch(run_id, metrics=metrics)

    return BATCH_POINTS / best_of(lambda: in_plain_run(log), 1)


def async_points_per_second(buffering_seconds: str | None) -> float:
    if buffering_seconds:
        os.environ["MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS"] = buffering_seconds
    try:

        def log(run_id):
            for s in range(ASYNC_POINTS):
                mlflow.log_metric("loss", s * 0.5, step=s, synchronous=False)
            mlflow.flush_async_logging()

        return ASYNC_POINTS / best_of(lambda: in_plain_run(log), 1)
    finally:
        os.environ.pop("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", None)


# A step spins for 1 ms of wall time, like a training step that waits on its
# computation. The machine this runs on may be shared, so the two loops run in
# alternating pairs and the table reports the median of the pairs' ratios.
TRAINING_LOOP = """
import time{extra_import}
def one_millisecond_step():
    deadline = time.perf_counter() + 0.001
    while time.perf_counter() < deadline:
        pass
started = time.perf_counter()
for step in range({steps}):
    one_millisecond_step(){logging}
loop_seconds = time.perf_counter() - started
"""
LABTRACK_LOGGING = (
    "\n    labtrack.log_metric('loss', 1.0 / (step + 1), step=step)"
    "\n    labtrack.log_metric('accuracy', step / {steps}, step=step)"
    "\n    labtrack.log_metric('lr', 0.01, step=step)"
)


# (b)'s tracked variants: the %%track options of each.
TRACKED_VARIANTS = {
    "tracked, no system metrics": "--no-system-metrics",
    "tracked, system metrics every 5 s (default)": "",
    "tracked, system metrics every 0.5 s": "--system-metrics-interval 0.5",
}


def training_loop_seconds(tracked: str | None) -> float:
    """``tracked``: the %%track options, or None for the untracked loop."""
    code = TRAINING_LOOP.format(
        steps=STEPS,
        extra_import=", labtrack" if tracked is not None else "",
        logging=LABTRACK_LOGGING.format(steps=STEPS) if tracked is not None else "",
    )
    source = f"%%track --no-live {tracked}\n{code}" if tracked is not None else code
    result = shell.run_cell(source, store_history=False)
    assert result.success, result.error_in_exec
    return shell.user_ns["loop_seconds"]


CALL_COST = """
import labtrack, time
calls = 100_000
started = time.perf_counter()
for step in range(calls):
    labtrack.log_metric('loss', 0.5, step=step)
call_seconds = (time.perf_counter() - started) / calls
"""


def labtrack_call_microseconds() -> float:
    """One ``labtrack.log_metric`` call in a tracked cell (the loop's side only)."""
    best = float("inf")
    for _ in range(REPEATS):
        tracked_cell_seconds(CALL_COST)
        best = min(best, shell.user_ns["call_seconds"])
    return best * 1e6


def print_training_loop_table(runs: list[dict[str, float]]) -> None:
    print(
        f"(b) {STEPS} steps of 1 ms, 3 metrics per step, {len(runs)} rounds of "
        f"(untracked, then each tracked variant) run back to back"
    )
    untracked = [round_["untracked"] for round_ in runs]
    print(
        f"{'untracked loop':<46} best {min(untracked):.3f} s, "
        f"median {statistics.median(untracked):.3f} s"
    )
    for label in TRACKED_VARIANTS:
        tracked = [round_[label] for round_ in runs]
        ratios = sorted(round_[label] / round_["untracked"] for round_ in runs)
        print(
            f"{label:<46} best {min(tracked):.3f} s, median {statistics.median(tracked):.3f} s; "
            f"/ untracked, median of pairs {statistics.median(ratios):.3f}x "
            f"(range {ratios[0]:.3f}x to {ratios[-1]:.3f}x)   (target <= 1.05x)"
        )


def main() -> None:
    load_at_start = _load()
    raw_rate, raw_seconds = raw_executemany_points_per_second()
    labtrack_rate, labtrack_seconds = labtrack_points_per_second()
    fluent_cell_rate = fluent_in_cell_points_per_second()
    plain_rate = plain_log_metric_points_per_second()
    batch_rate = log_batch_points_per_second()
    async_rate = async_points_per_second(None)
    async_buffered_rate = async_points_per_second("1")

    # Back to back, so a burst of load from elsewhere hits both loops of a pair alike.
    rounds = []
    for _ in range(PAIRS):
        round_ = {"untracked": training_loop_seconds(None)}
        for label, options in TRACKED_VARIANTS.items():
            round_[label] = training_loop_seconds(options)
        rounds.append(round_)
    call_us = labtrack_call_microseconds()

    print(
        f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, "
        f"load average {load_at_start} at the start, {_load()} at the end"
    )
    versions = f"python {platform.python_version()}, mlflow {mlflow.__version__}"
    print(f"{versions}, sqlite {sqlite3.sqlite_version}")
    print()
    print("(a) points/s into the embedded SQLite store")
    print(f"{'path':<52} {'points':>8} {'points/s':>11} {'vs plain':>9}")
    rows = [
        ("raw sqlite3 executemany (one transaction)", RAW_POINTS, raw_rate),
        ("labtrack.log_metric in %%track (flush included)", LABTRACK_POINTS, labtrack_rate),
        ("mlflow.log_metric in %%track (flush included)", FLUENT_IN_CELL_POINTS, fluent_cell_rate),
        ("MlflowClient.log_batch, 1000 per call", BATCH_POINTS, batch_rate),
        ("mlflow.log_metric(synchronous=False)", ASYNC_POINTS, async_rate),
        ("  ... with MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS=1", ASYNC_POINTS, async_buffered_rate),
        ("plain mlflow.log_metric", PLAIN_POINTS, plain_rate),
    ]
    for label, points, rate in rows:
        print(f"{label:<52} {points:>8} {rate:>11,.0f} {rate / plain_rate:>8.1f}x")
    print()
    speedup = labtrack_rate / plain_rate
    print(f"labtrack / plain mlflow.log_metric: {speedup:.0f}x   (target >= 50x)")
    print(
        f"labtrack time / raw executemany time for {RAW_POINTS:,} points: "
        f"{labtrack_seconds:.3f} s / {raw_seconds:.3f} s = {labtrack_seconds / raw_seconds:.2f}x"
        "   (target <= 3x)"
    )
    print()
    print_training_loop_table(rounds)
    print(
        f"one labtrack.log_metric call: {call_us:.1f} us, so 3 a step cost "
        f"{3 * call_us / 1000:.1%} of a 1 ms step on the loop's thread"
    )


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
