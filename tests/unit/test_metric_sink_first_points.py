"""A run's first points are written at once, so its live plot starts without waiting out
the flush interval; later points keep to the interval's batches."""

from __future__ import annotations

import threading
import time

from labtrack.metrics.points import MetricPoint
from labtrack.metrics.sink import MetricSink

LONG_INTERVAL = 60.0  # far longer than any wait below: a write seen is not the interval's


class SignallingWriter:
    max_points_per_write = None

    def __init__(self) -> None:
        self.batches: list[list[MetricPoint]] = []
        self.wrote = threading.Event()

    def write(self, points) -> None:
        self.batches.append(list(points))
        self.wrote.set()

    def next_batch(self, timeout: float = 10.0) -> list[MetricPoint]:
        assert self.wrote.wait(timeout), "nothing was written"
        self.wrote.clear()
        return self.batches[-1]


def point(run_id: str, step: int) -> MetricPoint:
    return MetricPoint(run_id, "loss", 1.0 / (step + 1), 1_000 + step, step)


def test_the_first_point_of_a_run_is_written_without_waiting_for_the_interval():
    # Given a sink whose flush interval is a minute, already waiting in it
    writer = SignallingWriter()
    sink = MetricSink(writer, name="run", flush_interval=LONG_INTERVAL).start()
    time.sleep(0.05)

    # When the run's first point is logged
    sink.offer_one(point("a" * 32, 0))

    # Then it is written now, alone
    assert writer.next_batch() == [point("a" * 32, 0)]
    sink.close()


def test_the_first_points_of_each_new_run_bring_the_waiting_ones_along():
    # Given a run whose first point is written, then more of its points waiting
    writer = SignallingWriter()
    sink = MetricSink(writer, name="run", flush_interval=LONG_INTERVAL).start()
    sink.offer_one(point("a" * 32, 0))
    writer.next_batch()
    sink.offer([point("a" * 32, 1), point("a" * 32, 2)])

    # When a second run (a sweep's next trial) logs its first point
    sink.offer([point("b" * 32, 0)])

    # Then one write carries it and the first run's waiting points, in logged order
    assert writer.next_batch() == [point("a" * 32, 1), point("a" * 32, 2), point("b" * 32, 0)]
    report = sink.close()
    assert report.written == 4
