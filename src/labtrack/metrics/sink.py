"""The metric buffer between a training loop and the tracking backend.

The loop only appends to an in-memory deque (a lock held for one append). A
background thread writes what has accumulated at most once per flush interval
(one transaction per flush on SQL stores), so a point is in the store about a
second after it was logged; a run's first points are written at once, so its live
plot starts without waiting out an interval. Points the backend refuses outright (a
4xx answer: say, their run was deleted meanwhile) are found by halving the batch and
set aside in ``pending/rejected/``, so they never hold back the others.

When a write fails for any other reason (the server is down, answers 5xx, the
database is locked for too long) the sink goes offline: that batch and every later
one is appended to the run's journal on disk (``metrics.journal``) once per flush
interval, listeners see them as usual (the live plot keeps going), and the journal
is replayed with backoff until the backend takes it; then the sink writes directly
again. ``on_offline``/``on_online`` are told when that happens, once each way.

``close`` stops taking points and waits for the last write. Offline, it makes one last
attempt and leaves the journal for a later replay (the next tracked cell, the automatic
retry, ``%track sync``). Online, it gives up only when no write made progress for
``close_timeout`` seconds; the points still unsaved go to the journal too, whose file
the report names: a point whose log call returned is never silently lost. No IPython
and no MLflow import here: the sink takes a writer and points.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from ..limits import batched
from .journal import PendingPoints, RunOperations
from .points import MetricPoint
from .report import SinkReport
from .sink_journal import SinkJournal
from .writers import MetricWriter, PointsRejected, write_around_rejections

DEFAULT_FLUSH_INTERVAL = 1.0
DEFAULT_CLOSE_TIMEOUT = 15.0
_FIRST_RETRY_DELAY = 0.25
_LONGEST_RETRY_DELAY = 8.0
_LONGEST_OFFLINE_RETRY_DELAY = 4.0

FlushListener = Callable[[Sequence[MetricPoint]], None]
Announcement = Callable[[str], None]


class MetricSink:
    """Buffers points of one tracked cell and writes them in batches."""

    def __init__(
        self,
        writer: MetricWriter,
        *,
        name: str,
        pending: PendingPoints | None = None,
        operations: RunOperations | None = None,
        flush_interval: float = DEFAULT_FLUSH_INTERVAL,
        close_timeout: float = DEFAULT_CLOSE_TIMEOUT,
        on_offline: Announcement | None = None,
        on_online: Announcement | None = None,
    ) -> None:
        self._writer = writer
        self._kept = SinkJournal(pending, name)
        self._operations = operations
        self._offline = False
        # Set (an event: never dropped) by the training loop's thread when MLflow failed a
        # call the sink journaled instead; the writer thread goes offline on its next turn.
        self._offline_requested = threading.Event()
        self._offline_because = ""
        self._next_replay = 0.0
        self._replay_delay = _FIRST_RETRY_DELAY
        self._on_offline = on_offline
        self._on_online = on_online
        self._interval = flush_interval
        self._close_timeout = close_timeout
        self._buffer: deque[MetricPoint] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._closing = False
        self._wake = threading.Event()
        self._flushed = threading.Condition()
        # Points are stored in the order they were offered, so two counters tell
        # whether everything offered before some moment is stored.
        self._offered = 0
        self._stored = 0
        self._runs_begun: set[str] = set()  # runs whose first points were written at once
        self._in_flight: list[MetricPoint] = []
        self._last_progress = time.monotonic()
        self._rejected: list[MetricPoint] = []
        self._listeners: list[FlushListener] = []
        self._report = SinkReport()
        self._thread = threading.Thread(target=self._run, name=f"labtrack-metrics-{name[:8]}")
        self._thread.daemon = True

    # -- the training loop's side ------------------------------------------------

    def start(self) -> MetricSink:
        self._thread.start()
        return self

    def offer(self, points: Sequence[MetricPoint]) -> bool:
        """Buffer points; False (nothing buffered) once the sink is closed."""
        with self._lock:
            if self._closed:
                return False
            self._buffer.extend(points)
            self._offered += len(points)
        if any(point.run_id not in self._runs_begun for point in points):
            self._first_points({point.run_id for point in points})
        return True

    def offer_one(self, point: MetricPoint) -> bool:
        with self._lock:
            if self._closed:
                return False
            self._buffer.append(point)
            self._offered += 1
        if point.run_id not in self._runs_begun:
            self._first_points({point.run_id})
        return True

    def _first_points(self, run_ids: set[str]) -> None:  # now, not at the interval's end
        self._runs_begun.update(run_ids)
        self._wake.set()

    def add_listener(self, listener: FlushListener) -> None:
        """Call ``listener`` (on the sink's thread) with every batch once it is stored."""
        self._listeners.append(listener)

    def name_journal(self, name: str) -> None:
        """Name the journal (and the file of refused points) after ``name``, the run that
        stands for the cell, unless something was kept in it already."""
        self._kept.rename(name)

    @property
    def offline(self) -> bool:
        """True while points go to the journal because the backend does not take them."""
        return self._offline

    def on_writer_thread(self) -> bool:
        """True on the sink's own thread (where journals are replayed)."""
        return threading.current_thread() is self._thread

    def keep_operation(
        self, operation: dict, *, because: str | None = None, files: str | None = None
    ) -> bool:
        """Put a run operation (``{"op": "params"|"tags"|"artifact", "run_id": …}``) in
        the journal instead of sending it, to be applied in order when the backend
        answers again; ``files`` (an artifact's file or folder) is copied beside the
        journal and the copy becomes the operation's ``local_path``. Done while offline;
        online only when ``because`` says why the backend just failed it, and then the
        sink goes offline too. False when it was not kept (online with no failure, no
        journal, the disk failed): the caller sends it or raises."""
        if not self._offline and because is None:
            return False
        if not self._kept.keep_operation(operation, files):
            return False
        if not self._offline and because is not None:
            self._offline_because = because
            self._offline_requested.set()
            self._wake.set()
        return True

    def flush(self, timeout: float = 5.0) -> bool:
        """Write what is buffered now; True when it is stored within ``timeout``."""
        target = self._offered
        with self._flushed:
            if self._stored >= target:
                return True
            self._wake.set()
            return self._flushed.wait_for(lambda: self._stored >= target, timeout)

    # -- the end -----------------------------------------------------------------

    def close(self) -> SinkReport:
        """Stop taking points, write the rest, save what cannot be written."""
        with self._lock:
            if self._closed:
                return self._report
            self._closed = True
        self._last_progress = time.monotonic()
        self._closing = True
        self._wake.set()
        while self._thread.is_alive():
            self._thread.join(0.05)
            if time.monotonic() - self._last_progress > self._close_timeout:
                break  # the backend hangs or keeps failing: keep the points on disk
        unsaved = list(self._in_flight) + list(self._buffer)
        self._buffer.clear()
        if unsaved:
            self._kept.save_unsaved(unsaved, self._report)
        self._kept.finish(self._report, list(self._rejected))
        return self._report

    # -- the writer thread -------------------------------------------------------

    def _run(self) -> None:
        self._report.notes.extend(self._kept.replay_others(self._writer, self._operations))
        delay = self._interval
        retry_delay = _FIRST_RETRY_DELAY
        while True:
            self._wake.wait(delay)
            self._wake.clear()
            self._offline_when_told()
            closing = self._closing
            stored = self._write_buffered(last_call=closing)
            if closing and (stored or self._offline or not self._closed_in_time()):
                return
            if self._offline:
                # New points reach the disk (and the plot) every interval; the backend
                # is asked again on the backoff schedule.
                delay = max(0.0, min(self._interval, self._next_replay - time.monotonic()))
                continue
            if stored:
                delay, retry_delay = self._interval, _FIRST_RETRY_DELAY
            else:
                delay, retry_delay = retry_delay, min(retry_delay * 2, _LONGEST_RETRY_DELAY)
            if closing:
                delay = min(delay, _FIRST_RETRY_DELAY)

    def _closed_in_time(self) -> bool:
        return time.monotonic() - self._last_progress <= self._close_timeout

    def _write_buffered(self, last_call: bool = False) -> bool:
        if self._offline:
            return self._write_offline(last_call)
        with self._lock:
            if not self._buffer:
                return True
            self._in_flight = list(self._buffer)
            self._buffer.clear()
        batch = self._in_flight
        written = 0
        try:
            for chunk in batched(batch, self._writer.max_points_per_write):
                rejection = write_around_rejections(self._writer, chunk, self._rejected)
                if rejection is not None:
                    self._report.rejection = rejection[:300]
                written += len(chunk)
                self._last_progress = time.monotonic()
                self._report.written += len(chunk)
                with self._flushed:
                    self._stored += len(chunk)
                    self._flushed.notify_all()
                self._tell_listeners(chunk)
        except Exception as error:
            self._report.last_error = f"{type(error).__name__}: {error}"[:300]
            unwritten = batch[written:]
            if self._kept.usable and self._journal_points(unwritten):
                self._in_flight = []
                self._go_offline()
                return False
            with self._lock:
                # Back in front of newer points, so they keep the order they were logged in.
                self._buffer.extendleft(reversed(unwritten))
            self._in_flight = []
            return False
        self._in_flight = []
        return True

    # -- offline -----------------------------------------------------------------

    def _go_offline(self) -> None:
        self._offline = True
        self._replay_delay = _FIRST_RETRY_DELAY
        self._next_replay = time.monotonic() + self._replay_delay
        self._announce(
            self._on_offline,
            f"the tracking backend stopped taking metric points ({self._report.last_error}); "
            f"they are kept in {self._kept.path} and sent when it answers again; "
            "the live plot goes on",
        )

    def _offline_when_told(self) -> None:
        if not self._offline_requested.is_set():
            return
        self._offline_requested.clear()
        if not self._offline and self._kept.usable:
            self._report.last_error = self._offline_because[:300]
            self._go_offline()

    def _write_offline(self, last_call: bool) -> bool:
        """Journal what is buffered; try the backend when the backoff allows (or now,
        on the last call). True once the journal is written and the sink is online."""
        with self._lock:
            batch = list(self._buffer)
            self._buffer.clear()
        if batch and not self._journal_points(batch):
            with self._lock:
                self._buffer.extendleft(reversed(batch))
            return False
        if not last_call and time.monotonic() < self._next_replay:
            return False
        try:
            replayed = self._kept.replay(self._writer, self._operations)
        except PointsRejected as rejection:
            self._report.rejection = str(rejection)[:300]
            self._report.notes.append(
                f"the backend rejected points kept in {self._kept.path} ({rejection}); "
                "they stay there"
            )
            self._kept.abandon()
            self._offline = False
            return True
        except Exception as error:
            self._report.last_error = f"{type(error).__name__}: {error}"[:300]
            self._replay_delay = min(self._replay_delay * 2, _LONGEST_OFFLINE_RETRY_DELAY)
            self._next_replay = time.monotonic() + self._replay_delay
            return False
        self._offline = False
        self._last_progress = time.monotonic()
        self._report.replayed += replayed
        self._report.written += replayed
        self._announce(
            self._on_online,
            f"the tracking backend answers again: wrote the {replayed} metric point(s) "
            "kept meanwhile",
        )
        return True

    def _journal_points(self, points: list[MetricPoint]) -> bool:
        """Append to the journal; once there, points count as stored (durable)."""
        if not points:
            return True
        try:
            self._kept.append_points(points)
        except OSError as error:
            self._report.notes.append(f"could not keep points on disk: {error}")
            return False
        self._last_progress = time.monotonic()
        self._report.journaled += len(points)
        with self._flushed:
            self._stored += len(points)
            self._flushed.notify_all()
        self._tell_listeners(points)
        return True

    @staticmethod
    def _announce(listener: Announcement | None, message: str) -> None:
        if listener is not None:
            with contextlib.suppress(Exception):
                listener(message)

    def _tell_listeners(self, chunk: Sequence[MetricPoint]) -> None:
        for listener in list(self._listeners):
            # A display problem must not stop the points being stored.
            with contextlib.suppress(Exception):
                listener(chunk)
