"""Sending offline work as soon as the server answers again, without being asked.

A background thread per process, started when a cell leaves work behind (or when
labtrack loads and finds some): it tries the server after a couple of seconds, then
backs off up to a minute between tries, and stops once nothing is left to send.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .sync import SyncReport

FIRST_DELAY_SECONDS = 2.0
LONGEST_DELAY_SECONDS = 60.0


class AutoSync:
    def __init__(
        self,
        sync: Callable[[], SyncReport],
        has_work: Callable[[], bool],
        tell: Callable[[SyncReport], None],
        *,
        first_delay: float = FIRST_DELAY_SECONDS,
        longest_delay: float = LONGEST_DELAY_SECONDS,
    ) -> None:
        self._sync = sync
        self._has_work = has_work
        self._tell = tell
        self._first_delay = first_delay
        self._longest_delay = longest_delay
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last_report: SyncReport | None = None

    def kick(self) -> None:
        """Try soon (start the thread if it is not running)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._wake.set()
                return
            self._thread = threading.Thread(target=self._run, name="labtrack-sync", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        delay = self._first_delay
        told: set[str] = set()
        while not self._stop.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                if not self._has_work():
                    return
                report = self._sync()
            except Exception as error:  # keep trying; a broken spool must not kill the kernel
                report = SyncReport(server="the tracking server")
                report.problems.append(f"sync failed: {type(error).__name__}: {error}")
            self.last_report = report
            news = report.synced or report.journal_notes
            fresh_problems = (
                [p for p in report.problems if p not in told] if report.reachable else []
            )
            if news or fresh_problems:
                told.update(fresh_problems)
                self._tell(report)
            if report.reachable and not report.problems:
                delay = self._first_delay
            else:
                delay = min(max(delay, self._first_delay) * 2, self._longest_delay)
