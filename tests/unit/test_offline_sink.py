"""The sink when the backend goes away mid-run: points go to a journal on disk as they
are logged, the plot keeps receiving them, and the journal is replayed exactly once
when the backend answers again.

The backend is a writer switched off and on by the test (a real server's outage is in
``tests/scale/test_faults.py``); the journal is the real file.
"""

from __future__ import annotations

import json
import threading
import time

from labtrack.metrics.journal import PendingPoints
from labtrack.metrics.points import MetricPoint
from labtrack.metrics.sink import MetricSink

RUN = "f" * 32


class SwitchableWriter:
    """Stores points while ``up`` is set; raises ConnectionError while it is not."""

    max_points_per_write = 1000

    def __init__(self) -> None:
        self.up = threading.Event()
        self.up.set()
        self.points: list[MetricPoint] = []
        self.failed_calls = 0

    def write(self, points):
        if not self.up.is_set():
            self.failed_calls += 1
            raise ConnectionError("connection refused by http://127.0.0.1:1")
        self.points.extend(points)


def _point(step: int, run_id: str = RUN) -> MetricPoint:
    return MetricPoint(run_id, "loss", 1.0 / (step + 1), 1_000 + step, step)


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _journal_steps(path) -> list[int]:
    lines = path.read_text().splitlines()[1:]
    return [json.loads(line)["step"] for line in lines if line.strip()]


def test_an_outage_mid_run_loses_nothing_and_duplicates_nothing(tmp_path):
    writer = SwitchableWriter()
    announced: list[str] = []
    plotted: list[MetricPoint] = []
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    sink = MetricSink(
        writer,
        name=RUN,
        pending=pending,
        flush_interval=0.05,
        on_offline=lambda text: announced.append(f"offline: {text}"),
        on_online=lambda text: announced.append(f"online: {text}"),
    ).start()
    sink.add_listener(plotted.extend)
    for step in range(50):
        sink.offer_one(_point(step))
    assert sink.flush(timeout=5)
    writer.up.clear()  # the server is killed at step 50
    for step in range(50, 80):
        sink.offer_one(_point(step))
    assert _wait_for(lambda: sink.offline)
    # Journaled, not just buffered: on disk while the backend is still away.
    assert sink.flush(timeout=5)
    assert _journal_steps(pending.path_of(RUN)) == list(range(50, 80))
    assert [p.step for p in plotted] == list(range(80))  # the live plot went on
    writer.up.set()  # restarted at step 80
    for step in range(80, 100):
        sink.offer_one(_point(step))
    report = sink.close()
    assert [p.step for p in writer.points] == list(range(100))
    assert not pending.path_of(RUN).exists()
    assert report.journaled >= 30 and report.replayed == report.journaled
    assert report.pending_file is None
    assert len(announced) == 2
    assert announced[0].startswith("offline: ") and str(pending.path_of(RUN)) in announced[0]
    assert "connection refused" in announced[0]
    assert announced[1].startswith("online: ")


def test_closing_while_offline_is_quick_and_leaves_the_journal_for_later(tmp_path):
    writer = SwitchableWriter()
    writer.up.clear()
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    sink = MetricSink(writer, name=RUN, pending=pending, flush_interval=0.05).start()
    sink.offer([_point(step) for step in range(40)])
    assert _wait_for(lambda: sink.offline)
    sink.offer([_point(step) for step in range(40, 60)])
    started = time.monotonic()
    report = sink.close()
    assert time.monotonic() - started < 3
    assert report.pending_file == pending.path_of(RUN) and report.pending_count == 60
    (warning,) = report.warnings()
    assert "60 metric point(s)" in warning and "%track sync" in warning
    # Another process (here: another replay) may now take the journal: its owner let go.
    writer.up.set()
    notes = pending.replay(writer)
    assert notes == [f"wrote 60 unsaved point(s) from {report.pending_file} to the store"]
    assert [p.step for p in writer.points] == list(range(60))


def test_a_journal_held_by_a_live_sink_is_never_replayed_by_anyone_else(tmp_path):
    writer = SwitchableWriter()
    writer.up.clear()
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    sink = MetricSink(writer, name=RUN, pending=pending, flush_interval=0.05).start()
    sink.offer([_point(step) for step in range(10)])
    assert _wait_for(lambda: pending.path_of(RUN).exists())
    other = SwitchableWriter()
    assert pending.replay(other) == []  # locked by the sink: its owner replays it
    assert other.points == [] and pending.path_of(RUN).exists()
    writer.up.set()
    sink.close()
    assert [p.step for p in writer.points] == list(range(10))


def test_a_line_cut_short_by_a_crash_is_ignored_and_later_appends_still_count(tmp_path):
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    path = pending.save(RUN, [_point(0), _point(1)])
    with open(path, "a") as handle:
        handle.write('{"run_id": "' + RUN + '", "key": "lo')  # SIGKILL mid-write
    pending.save(RUN, [_point(2)])
    writer = SwitchableWriter()
    pending.replay(writer)
    assert [p.step for p in writer.points] == [0, 1, 2]


def test_operations_are_applied_after_the_points_journaled_before_them(tmp_path):
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    with pending.open(RUN) as journal:
        journal.append_points([_point(0), _point(1)])
        journal.append_operation("params", params={"lr": "0.1"})
        journal.append_operation("end", status="FINISHED", end_time=5_000)
    order: list[str] = []

    class Writer(SwitchableWriter):
        def write(self, points):
            order.append(f"points {len(points)}")
            super().write(points)

    class Operations:
        def apply(self, operation):
            order.append(operation["op"])

    pending.replay(Writer(), Operations())
    assert order == ["points 2", "params", "end"]
    assert pending.files() == []


def test_the_live_plot_of_a_server_run_keeps_going_while_the_server_is_away(tmp_path):
    from labtrack.live.feed import LiveFeed
    from labtrack.live.history import RunState, SinkHistoryReader
    from labtrack.widgets.live_plot import LivePlot

    writer = SwitchableWriter()
    pending = PendingPoints(tmp_path / "pending", "http://127.0.0.1:1")
    sink = MetricSink(writer, name=RUN, pending=pending, flush_interval=0.05).start()
    # The cell knows its runs itself: nothing is asked of the (away) server.
    reader = SinkHistoryReader(
        sink, lambda: [RUN], lambda: {RUN: RunState(RUN, "remote-loop", "RUNNING", None)}
    )
    widget = LivePlot(run_id=RUN)
    feed = LiveFeed(widget, reader, interval_s=0.02).start()
    sink.offer([_point(step) for step in range(30)])
    assert _wait_for(lambda: widget.channel.point_count(RUN, "loss") == 30)
    writer.up.clear()
    sink.offer([_point(step) for step in range(30, 70)])
    assert _wait_for(lambda: sink.offline)
    assert _wait_for(lambda: widget.channel.point_count(RUN, "loss") == 70)
    writer.up.set()
    sink.close()
    feed.finish("FINISHED")
    assert widget.channel.point_count(RUN, "loss") == 70
    assert [p.step for p in writer.points] == list(range(70))
    assert widget.runs[RUN]["name"] == "remote-loop" and widget.status == "FINISHED"
