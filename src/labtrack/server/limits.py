"""Threads for blocking calls, with a bound on how long a request waits for them.

A backend call that never returns keeps its thread, and Python cannot take a thread
back. So a request waits for its call at most ``timeout`` seconds: a call that started
and did not finish answers 504; a call that never got a thread (every worker stuck)
answers 503 and is dropped from the queue. Artifact calls, which reach remote stores,
run in a pool of their own, so a store that hangs cannot take the other routes' workers.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from ..backend.errors import BackendUnavailable


class BackendTimeout(BackendUnavailable):
    """A backend call took longer than the route's bound (HTTP 504)."""


class WorkersBusy(BackendUnavailable):
    """Every worker is busy with earlier, slow calls (HTTP 503)."""


class WorkerPool:
    def __init__(self, threads: int, name: str, timeout: float, what: str) -> None:
        self.threads = max(1, int(threads))
        self.timeout = float(timeout)
        self.what = what
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        with self._lock:
            return self._running

    async def run(self, function, *args):
        started = threading.Event()

        def call():
            started.set()
            with self._lock:
                self._running += 1
            try:
                return function(*args)
            finally:
                with self._lock:
                    self._running -= 1

        future = self._executor.submit(call)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            if not started.is_set() and future.cancel():
                raise WorkersBusy(
                    f"every labtrack worker ({self.threads}) is busy with slower "
                    f"{self.what} calls; try again shortly"
                ) from None
            raise BackendTimeout(
                f"the {self.what} did not answer within {self.timeout:g} s"
            ) from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
