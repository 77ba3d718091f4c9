"""The kernel side of the live plot's channel: what the browser has, and what it lacks.

Every metric curve (one run, one key) is a *trace*. The channel keeps each trace's
whole history in the kernel and remembers how much of it was already sent, so an
update carries only new points. Messages are numbered; the browser asks for a
full resync when it sees a gap (or starts without data, after a page reload), and
the answer is the whole history reduced to ``MAX_POINTS`` per trace.

Wire format (one custom anywidget message)::

    content = {"type": "points" | "reset", "seq": n,
               "traces": [{"run": run_id, "key": key, "n": count}, ...]}
    buffers = [one per trace: float64 little-endian, steps[n] + timestamps_ms[n] + values[n]]

NaN and ±inf travel as IEEE doubles. No IPython or anywidget here: the caller
hands the encoded message to the widget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..backend.reduction import MAX_POINTS, reduce_points

TraceId = tuple[str, str]  # (run_id, metric key)
Point = tuple[float, float, float]  # (step, timestamp_ms, value)


@dataclass
class Message:
    content: dict
    buffers: list[bytes]

    @property
    def size(self) -> int:
        return sum(len(buffer) for buffer in self.buffers)


@dataclass
class _Trace:
    # Growable float64 columns; `count` points are valid.
    columns: np.ndarray = field(default_factory=lambda: np.empty((3, 256), dtype=np.float64))
    count: int = 0
    sent: int = 0
    received: int = 0  # points ever added (count drops when the history is compacted)
    max_step: float = float("-inf")

    def extend(self, points: np.ndarray) -> None:
        needed = self.count + points.shape[1]
        if needed > self.columns.shape[1]:
            grown = np.empty((3, max(needed, 2 * self.columns.shape[1])), dtype=np.float64)
            grown[:, : self.count] = self.columns[:, : self.count]
            self.columns = grown
        self.columns[:, self.count : needed] = points
        self.count = needed
        self.received += points.shape[1]
        self.max_step = max(self.max_step, float(points[0].max()))

    def unsent(self) -> np.ndarray:
        return self.columns[:, self.sent : self.count]

    def history(self) -> np.ndarray:
        return self.columns[:, : self.count]


def _encode(columns: np.ndarray) -> bytes:
    """steps, timestamps and values of a trace, each reduced to MAX_POINTS if longer."""
    if columns.shape[1] > MAX_POINTS:
        columns = np.vstack(reduce_points(columns[0], columns[1], columns[2]))
    return np.ascontiguousarray(columns, dtype="<f8").tobytes()


class LiveChannel:
    """Thread-safe: the poller adds points and takes updates while the kernel's main
    thread may answer a resync request."""

    def __init__(self) -> None:
        self._traces: dict[TraceId, _Trace] = {}
        self._seq = 0
        self._lock = threading.Lock()

    @property
    def seq(self) -> int:
        return self._seq

    def add(self, run_id: str, key: str, points: Iterable[Point]) -> None:
        """Append points (in logging order) to a trace."""
        array = np.asarray(list(points), dtype=np.float64).reshape(-1, 3).T
        if array.shape[1] == 0:
            return
        with self._lock:
            self._traces.setdefault((run_id, key), _Trace()).extend(array)

    def point_count(self, run_id: str, key: str) -> int:
        """Points received for a trace (whether or not the history was compacted since)."""
        trace = self._traces.get((run_id, key))
        return trace.received if trace else 0

    def compact(self) -> None:
        """Keep only the reduced history once no more points will come (the run ended): a
        resync is answered the same, and a finished 100k-step plot stops holding 100k
        points per trace in the kernel for as long as the widget lives."""
        with self._lock:
            for trace in self._traces.values():
                if trace.count > trace.sent:
                    continue  # not sent yet: keep it for the next update
                if trace.count > MAX_POINTS:
                    history = trace.history()
                    reduced = np.vstack(reduce_points(history[0], history[1], history[2]))
                    trace.columns = np.ascontiguousarray(reduced)
                    trace.count = trace.sent = reduced.shape[1]

    def last_point(self, run_id: str, key: str) -> Point | None:
        trace = self._traces.get((run_id, key))
        if not trace or trace.count == 0:
            return None
        return tuple(float(x) for x in trace.columns[:, trace.count - 1])  # type: ignore[return-value]

    def reduced_history(self) -> dict[TraceId, np.ndarray]:
        """Every trace's whole history as a resync sends it (3×n: steps, timestamps,
        values; at most MAX_POINTS each), in the order the traces appeared: what the
        static form of a finished plot is drawn from."""
        with self._lock:
            histories = [(tid, t.history().copy()) for tid, t in self._traces.items()]
        reduced = {}
        for tid, columns in histories:
            if columns.shape[1] > MAX_POINTS:
                columns = np.vstack(reduce_points(columns[0], columns[1], columns[2]))
            reduced[tid] = columns
        return reduced

    def max_step(self, run_id: str) -> float | None:
        """The highest step logged for any key of a run (for progress)."""
        with self._lock:
            steps = [
                trace.max_step
                for (run, _key), trace in self._traces.items()
                if run == run_id and trace.count
            ]
        return max(steps) if steps else None

    def take_update(self) -> Message | None:
        """The points not sent yet, as the next numbered message; None if there are none.

        A trace whose backlog exceeds MAX_POINTS (the first read of a long run) is sent
        reduced, which the browser treats like any other points."""
        with self._lock:
            pending = [(tid, t) for tid, t in self._traces.items() if t.count > t.sent]
            if not pending:
                return None
            message = self._message("points", [(tid, t.unsent()) for tid, t in pending])
            for _tid, trace in pending:
                trace.sent = trace.count
            return message

    def take_reset(self) -> Message:
        """The whole history, reduced; the browser replaces what it has with it."""
        with self._lock:
            message = self._message(
                "reset", [(tid, t.history()) for tid, t in self._traces.items()]
            )
            for trace in self._traces.values():
                trace.sent = trace.count
            return message

    def _message(self, kind: str, traces: list[tuple[TraceId, np.ndarray]]) -> Message:
        self._seq += 1
        buffers = [_encode(columns) for _tid, columns in traces]
        descriptors = [
            {"run": run_id, "key": key, "n": len(buffer) // 24}
            for ((run_id, key), _columns), buffer in zip(traces, buffers, strict=True)
        ]
        return Message({"type": kind, "seq": self._seq, "traces": descriptors}, buffers)


def decode(message: Message) -> dict[TraceId, np.ndarray]:
    """Inverse of the wire format (for tests and benchmarks): trace → 3×n columns."""
    decoded = {}
    for descriptor, buffer in zip(message.content["traces"], message.buffers, strict=True):
        columns = np.frombuffer(buffer, dtype="<f8").reshape(3, descriptor["n"])
        decoded[(descriptor["run"], descriptor["key"])] = columns
    return decoded
