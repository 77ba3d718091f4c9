"""(c) Bytes and kernel milliseconds per live-plot update, at 1k vs 100k logged steps.

A run already holds HISTORY steps of 3 metrics in labtrack's embedded SQLite store; the
live plot has sent it (the first read, reduced). Then, UPDATES times: 100 new steps of
each metric are written (1,000 steps/s logged, the plot updating at its 10/s cap) and one
update is measured: reading what is new from the store, handing it to the channel,
encoding the binary message and sending it (the comm itself is a no-op outside a kernel;
the JSON header is counted in the bytes). Run: ``.venv/bin/python benchmarks/widget_channel.py``.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import tempfile
import time
import uuid

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"

import mlflow  # noqa: E402

from labtrack.backend import prepare_backend, resolve_backend  # noqa: E402
from labtrack.live.feed import LiveFeed  # noqa: E402
from labtrack.live.history import open_reader  # noqa: E402
from labtrack.widgets.live_plot import LivePlot  # noqa: E402

HISTORIES = (1_000, 100_000)
METRICS = ("loss", "accuracy", "learning_rate")
NEW_STEPS_PER_UPDATE = 100
UPDATES = 100


def insert_steps(database: str, run_id: str, first: int, last: int) -> None:
    """Write steps [first, last) of every metric the way a batch flush does."""
    now = int(time.time() * 1000)
    rows = [
        (key, 1.0 / (step + 1), now + step, step, run_id, 0)
        for step in range(first, last)
        for key in METRICS
    ]
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO metrics (key, value, timestamp, step, run_uuid, is_nan) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def message_bytes(message) -> int:
    return message.size + len(json.dumps(message.content))


def measure(history: int, database: str, client) -> dict[str, float]:
    run_id = client.create_run("0", run_name=f"bench-{history}-{uuid.uuid4().hex[:6]}").info.run_id
    insert_steps(database, run_id, 0, history)
    widget = LivePlot(run_id=run_id)
    feed = LiveFeed(widget, open_reader(client.tracking_uri, run_id))
    feed.poll_once()  # the first read: the whole history, sent reduced

    started = time.perf_counter()
    reset = widget.publish_reset()
    reset_ms = (time.perf_counter() - started) * 1000

    read_ms, send_ms, sizes = [], [], []
    for update in range(UPDATES):
        first = history + update * NEW_STEPS_PER_UPDATE
        insert_steps(database, run_id, first, first + NEW_STEPS_PER_UPDATE)
        t0 = time.perf_counter()
        delta = feed.reader.read_new()
        t1 = time.perf_counter()
        for (trace_run, key), points in delta.points.items():
            widget.channel.add(trace_run, key, points)
        message = widget.publish_update()
        t2 = time.perf_counter()
        read_ms.append((t1 - t0) * 1000)
        send_ms.append((t2 - t1) * 1000)
        sizes.append(message_bytes(message))
    feed.reader.close()
    total = [r + s for r, s in zip(read_ms, send_ms, strict=True)]
    return {
        "bytes": statistics.mean(sizes),
        "read_ms": statistics.median(read_ms),
        "send_ms": statistics.median(send_ms),
        "total_ms": statistics.median(total),
        "total_p95_ms": sorted(total)[int(0.95 * len(total)) - 1],
        "reset_bytes": message_bytes(reset),
        "reset_ms": reset_ms,
    }


def main() -> None:
    home = tempfile.mkdtemp(prefix="labtrack-widget-bench-")
    location = resolve_backend(environ={"LABTRACK_HOME": home})
    prepare_backend(location)
    client = mlflow.MlflowClient(location.tracking_uri)
    measure(HISTORIES[0], str(location.database_path), client)  # warm-up, not reported
    results = {
        history: measure(history, str(location.database_path), client) for history in HISTORIES
    }
    small, large = (results[h] for h in HISTORIES)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"{len(METRICS)} metrics, {NEW_STEPS_PER_UPDATE} new steps each per update, "
        f"{UPDATES} updates (medians)\n"
    )
    rows = [
        ("payload per update (bytes)", "bytes", "{:,.0f}"),
        ("kernel ms per update: read new rows", "read_ms", "{:.3f}"),
        ("kernel ms per update: channel + encode + send", "send_ms", "{:.3f}"),
        ("kernel ms per update: total", "total_ms", "{:.3f}"),
        ("kernel ms per update: total, p95", "total_p95_ms", "{:.3f}"),
        ("resync answer (bytes)", "reset_bytes", "{:,.0f}"),
        ("resync answer (ms)", "reset_ms", "{:.2f}"),
    ]
    header = f"{'':48} {'1k steps':>12} {'100k steps':>12} {'100k / 1k':>10}"
    print(header)
    print("-" * len(header))
    for label, key, fmt in rows:
        ratio = large[key] / small[key] if small[key] else float("nan")
        print(
            f"{label:48} {fmt.format(small[key]):>12} {fmt.format(large[key]):>12} {ratio:>9.2f}x"
        )
    print()
    payload_ratio = large["bytes"] / small["bytes"]
    print(
        f"target: payload at 100k <= 1.1x payload at 1k: {payload_ratio:.2f}x -> "
        f"{'met' if payload_ratio <= 1.1 else 'MISSED'}"
    )
    worst = max(small["total_ms"], large["total_ms"])
    print(
        f"target: kernel work <= 1 ms per update: {worst:.3f} ms -> "
        f"{'met' if worst <= 1.0 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
