"""Feeding a live plot: a background thread polls the store and sends what is new.

The same feed serves a tracked cell (started and finished by ``%%track``) and
``%track watch`` / ``labtrack.watch`` (a run written by another process: the feed
stops by itself once the run has ended and its last points are in). Reading the
store, not the kernel's own logging calls, keeps the plot independent of how the
points were logged and shows child runs (a sweep) as they appear.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from ..backend.current import current_facade
from .history import HistoryDelta, HistoryReader, RunState
from .sweep import SweepPanel

# At most 10 updates a second per widget (jupyter_server caps a kernel's output at
# 1000 messages/s, shared with printed output).
UPDATE_INTERVAL_S = 0.1
# A slow reader (the MlflowClient fallback) must not hammer a remote server, and a run
# that has gone quiet (a watched script that was killed and stays RUNNING) is polled
# once a second.
SLOW_READ_S = 0.05
SLOW_INTERVAL_S = 1.0
QUIET_AFTER_S = 30.0


class LiveFeed:
    def __init__(
        self,
        widget,
        reader: HistoryReader,
        *,
        interval_s: float = UPDATE_INTERVAL_S,
        follow_tqdm_since: float | None = None,
        stop_when_ended: bool = False,
        primary: Callable[[], str | None] | None = None,
        images=None,
    ) -> None:
        self.widget = widget
        self.reader = reader
        self.interval_s = interval_s
        self.errors: list[str] = []
        self._follow_tqdm_since = follow_tqdm_since
        self._stop_when_ended = stop_when_ended
        self._stop = threading.Event()
        self._poll_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._runs: dict[str, RunState] = {}
        self._explicit_steps = widget.steps_total
        self._sweep = SweepPanel(reader.roots, current_facade)
        # The newest image per log_image key (live/newest_images.py), or None.
        self._images = images
        # The run whose steps the progress bar counts (and, when watching, whose end
        # stops the feed): the watched run, or the run that stands for a tracked cell.
        self._primary = primary or (lambda: next(iter(reader.roots()), None))

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> LiveFeed:
        self._thread = threading.Thread(target=self._loop, name="labtrack-live", daemon=True)
        self._thread.start()
        return self

    def finish(self, status: str | None = None, end_time_ms: int | None = None) -> None:
        """Stop polling, send the last points, and show the run's final status."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.poll_once()
        self.widget.channel.compact()
        if end_time_ms is not None:
            self.widget.end_time_ms = end_time_ms
        if status is not None:
            self.widget.status = status
        self.reader.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        seen_end = False
        last_news = time.monotonic()
        while not self._stop.is_set():
            if self.widget.comm is None:  # the widget was closed: nobody to feed
                self.reader.close()
                return
            started = time.monotonic()
            delta = self.poll_once()
            if delta is not None and delta.point_count:
                last_news = started
            root = self._runs.get(self._primary() or "")
            if self._stop_when_ended and root is not None and root.ended:
                if seen_end:  # one more read after the end: the last points are in
                    self._finish_watch(root)
                    return
                seen_end = True
            took = time.monotonic() - started
            slow = took > SLOW_READ_S or started - last_news > QUIET_AFTER_S
            interval = SLOW_INTERVAL_S if slow else self.interval_s
            self._stop.wait(max(0.0, interval - took))

    def _finish_watch(self, root: RunState) -> None:
        self.reader.close()
        self.widget.channel.compact()
        self.widget.end_time_ms = root.end_time_ms
        self.widget.status = root.status
        try:
            # A displayed watch is replaced by its static form, as a tracked cell's plot
            # is at the cell's end, so the saved notebook shows the run as it ended.
            self.widget.show_final()
        except Exception as error:  # the plot itself already shows the end
            self._note(f"{type(error).__name__}: {error}")

    # -- one poll ----------------------------------------------------------------

    def poll_once(self) -> HistoryDelta | None:
        """Read what is new, hand it to the channel, send one update; never raises."""
        with self._poll_lock:
            try:
                delta = self.reader.read_new()
            except Exception as error:  # a busy or vanished store: try again next time
                self._note(f"{type(error).__name__}: {error}")
                return None
            for (run_id, key), points in delta.points.items():
                self.widget.channel.add(run_id, key, points)
            self._show_runs(delta.runs)
            self._show_progress()
            self._show_images()
            try:
                self.widget.publish_update()
            except Exception as error:  # a closed comm must not stop the training loop
                self._note(f"{type(error).__name__}: {error}")
            return delta

    def _show_images(self) -> None:
        newest = self._images.take(force=self._stop.is_set()) if self._images else None
        if newest is not None:
            self.widget.images = newest

    def _note(self, error: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(error)

    def _show_runs(self, runs: dict[str, RunState]) -> None:
        if not runs or runs == self._runs:
            return
        self._runs = dict(runs)
        self.widget.runs = {
            run.run_id: {"name": run.name, "status": run.status, "parent": run.parent_id}
            for run in runs.values()
        }
        try:
            sweep = self._sweep.update(self._runs)
        except Exception as error:  # the panel is extra: the curves go on without it
            self._note(f"sweep panel: {type(error).__name__}: {error}")
            sweep = None
        if sweep is not None:
            self.widget.sweep = sweep

    def _show_progress(self) -> None:
        """--steps N counts the run's highest logged step; without it, a tqdm bar's total
        and count stand in."""
        widget = self.widget
        bar = None
        if self._explicit_steps is None and self._follow_tqdm_since is not None:
            bar = _tqdm_progress(self._follow_tqdm_since)
        if bar is not None:
            done, total = bar
        else:
            primary = self._primary()
            top = widget.channel.max_step(primary) if primary else None
            total = widget.steps_total
            done = int(top) + 1 if top is not None and total is not None else None
        if done is None:
            return
        if widget.steps_total != total:
            widget.steps_total = total
        if widget.steps_done != done:
            widget.steps_done = done


def _tqdm_progress(since: float) -> tuple[int, int] | None:
    """(n, total) of the largest tqdm bar opened since `since` (epoch s), if any.

    Cheap: it looks at tqdm's own registry of live bars only when tqdm is imported.
    """
    module = sys.modules.get("tqdm.std")
    if module is None:
        return None
    try:
        bars = list(module.tqdm._instances)
    except RuntimeError:  # the set changed while being copied; next poll
        return None
    best = None
    for bar in bars:
        total = getattr(bar, "total", None)
        if not total or getattr(bar, "start_t", 0) < since:
            continue
        if best is None or total > best[1]:
            best = (int(bar.n), int(total))
    return best
