"""MetricSink: batches, retries, a bounded close, and points kept on disk when all fails.

The backend failures here come from a writer that fails on purpose: a real backend
cannot be made to fail on cue, and the sink only sees its writer.
"""

from __future__ import annotations

import threading
import time

from labtrack.metrics.journal import PendingPoints
from labtrack.metrics.points import MetricPoint
from labtrack.metrics.sink import MetricSink
from labtrack.metrics.writers import PointsRejected


class RecordingWriter:
    """Keeps what it is given; fails the first ``failures`` writes; may hang."""

    max_points_per_write = None

    def __init__(self, failures: int = 0, hang: threading.Event | None = None) -> None:
        self.batches: list[list[MetricPoint]] = []
        self.failures = failures
        self.hang = hang

    def write(self, points):
        if self.hang is not None:
            self.hang.wait()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("backend unreachable")
        self.batches.append(list(points))

    @property
    def points(self) -> list[MetricPoint]:
        return [point for batch in self.batches for point in batch]


def _points(count: int, run_id: str = "r" * 32) -> list[MetricPoint]:
    return [MetricPoint(run_id, "loss", 1.0 / (n + 1), 1_000 + n, n) for n in range(count)]


def test_points_are_written_in_batches_in_the_order_they_were_logged(tmp_path):
    writer = RecordingWriter()
    sink = MetricSink(writer, name="run", flush_interval=0.05).start()
    for point in _points(5000):
        sink.offer_one(point)
    report = sink.close()
    assert writer.points == _points(5000)
    assert len(writer.batches) < 5000
    assert report.written == 5000 and report.warnings() == []


def test_a_point_is_written_within_one_flush_interval_without_closing():
    writer = RecordingWriter()
    sink = MetricSink(writer, name="run", flush_interval=0.2).start()
    sink.offer(_points(3))
    deadline = time.monotonic() + 2
    while not writer.points and time.monotonic() < deadline:
        time.sleep(0.01)
    assert writer.points == _points(3)
    sink.close()


def test_a_failed_write_is_retried_and_each_point_stored_once():
    writer = RecordingWriter(failures=3)
    sink = MetricSink(writer, name="run", flush_interval=0.05).start()
    sink.offer(_points(10))
    assert sink.flush(timeout=10)
    sink.offer(_points(20)[10:])
    report = sink.close()
    assert writer.points == _points(20)
    assert report.pending_file is None


def test_points_the_backend_never_takes_are_saved_to_a_pending_file(tmp_path):
    pending = PendingPoints(tmp_path / "pending", "sqlite:///store.db")
    writer = RecordingWriter(failures=10**9)
    sink = MetricSink(writer, name="a" * 32, pending=pending, close_timeout=0.5).start()
    points = _points(7) + [MetricPoint("b" * 32, "nan", float("nan"), 5, 0)]
    sink.offer(points)
    started = time.monotonic()
    report = sink.close()
    assert time.monotonic() - started < 3
    assert report.pending_file == tmp_path / "pending" / f"{'a' * 32}.jsonl"
    (warning,) = report.warnings()
    assert str(report.pending_file) in warning and "ConnectionError" in warning
    replayed = RecordingWriter()
    assert pending.replay(replayed) == [
        f"wrote 8 unsaved point(s) from {report.pending_file} to the store"
    ]
    assert [p for p in replayed.points if p.key == "loss"] == _points(7)
    assert str(replayed.points[-1].value) == "nan"
    assert not report.pending_file.exists()


def test_close_is_bounded_when_the_backend_hangs(tmp_path):
    pending = PendingPoints(tmp_path / "pending", "http://unreachable:5000")
    never = threading.Event()
    sink = MetricSink(
        RecordingWriter(hang=never), name="run", pending=pending, close_timeout=0.5
    ).start()
    sink.offer(_points(4))
    started = time.monotonic()
    report = sink.close()
    assert time.monotonic() - started < 3
    assert report.pending_count == 4
    never.set()


def test_a_closed_sink_refuses_points_so_the_caller_writes_them_itself():
    sink = MetricSink(RecordingWriter(), name="run").start()
    sink.close()
    assert sink.offer_one(_points(1)[0]) is False
    assert sink.offer(_points(2)) is False


def test_pending_files_of_another_backend_are_left_alone(tmp_path):
    theirs = PendingPoints(tmp_path / "pending", "http://other:5000")
    path = theirs.save("c" * 32, _points(2))
    mine = PendingPoints(tmp_path / "pending", "sqlite:///mine.db")
    writer = RecordingWriter()
    assert mine.replay(writer) == []
    assert writer.points == [] and path.exists()


class RejectingWriter(RecordingWriter):
    """Refuses any batch holding a point of ``refused_run``, as a server answers 400."""

    def __init__(self, refused_run: str) -> None:
        super().__init__()
        self.refused_run = refused_run

    def write(self, points):
        if any(point.run_id == self.refused_run for point in points):
            raise PointsRejected("RestException: INVALID_PARAMETER_VALUE: run is deleted")
        super().write(points)


def test_points_the_backend_refuses_are_kept_aside_and_do_not_hold_back_the_rest(tmp_path):
    pending = PendingPoints(tmp_path / "pending", "http://server:5000")
    writer = RejectingWriter(refused_run="d" * 32)
    sink = MetricSink(writer, name="e" * 32, pending=pending, flush_interval=0.05).start()
    good = _points(50)
    refused = _points(3, run_id="d" * 32)
    sink.offer(good[:20] + refused[:2] + good[20:] + refused[2:])
    report = sink.close()
    assert writer.points == good
    assert report.pending_file is None
    assert report.rejected_file == tmp_path / "pending" / "rejected" / f"{'e' * 32}.jsonl"
    (warning,) = report.warnings()
    assert "rejected 3 metric point(s)" in warning and "run is deleted" in warning
    assert pending.files() == []  # never replayed: the backend would refuse them again
