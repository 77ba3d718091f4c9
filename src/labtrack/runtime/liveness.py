"""Telling live runs from runs whose kernel died.

A kernel killed with SIGKILL never ends its run, and MLflow would show it RUNNING
forever. Every labtrack run therefore records which process owns it and a
heartbeat; the next time labtrack loads anywhere on the same backend it marks the
runs of dead owners KILLED.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import psutil

from .. import tags as T
from ..limits import MAX_EXPERIMENTS_PER_SEARCH, batched

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
# A run on another machine is presumed dead once its heartbeat is this old.
STALE_AFTER_SECONDS = 10 * HEARTBEAT_SECONDS


@dataclass(frozen=True)
class ProcessIdentity:
    host: str
    pid: int
    started: int  # process creation time, whole seconds: tells a reused pid apart
    kernel_id: str

    @classmethod
    def current(cls, kernel_id: str | None = None) -> ProcessIdentity:
        pid = os.getpid()
        return cls(
            host=socket.gethostname(),
            pid=pid,
            started=_creation_time(pid) or 0,
            kernel_id=kernel_id or f"{socket.gethostname()}:{pid}",
        )

    def tags(self) -> dict[str, str]:
        return {
            T.KERNEL_ID: self.kernel_id,
            T.KERNEL_HOST: self.host,
            T.KERNEL_PID: str(self.pid),
            T.KERNEL_STARTED: str(self.started),
            T.HEARTBEAT: str(now_ms()),
        }


def now_ms() -> int:
    return int(time.time() * 1000)


def _creation_time(pid: int) -> int | None:
    try:
        return int(psutil.Process(pid).create_time())
    except (psutil.Error, OSError):
        return None


def owner_is_dead(run_tags: dict[str, str], me: ProcessIdentity, now: int | None = None) -> bool:
    """Whether the process that owns a RUNNING run is gone."""
    host = run_tags.get(T.KERNEL_HOST)
    if host is None:
        return False  # not a labtrack run: not ours to judge
    try:
        pid = int(run_tags.get(T.KERNEL_PID, ""))
        started = int(run_tags.get(T.KERNEL_STARTED, "0"))
    except ValueError:
        return False
    if host == me.host:
        if pid == me.pid and started == me.started:
            return False
        actual = _creation_time(pid)
        # Creation times are rounded differently across calls; allow a second.
        return actual is None or abs(actual - started) > 1
    try:
        heartbeat = int(run_tags.get(T.HEARTBEAT, "0"))
    except ValueError:
        return False
    now = now_ms() if now is None else now
    return now - heartbeat > STALE_AFTER_SECONDS * 1000


def reap_dead_runs(client, me: ProcessIdentity) -> list[str]:
    """Mark KILLED every RUNNING labtrack run whose kernel is gone; return their ids."""
    reaped: list[str] = []
    for run in _running_runs(client):
        if not owner_is_dead(run.data.tags, me):
            continue
        end_time = _last_sign_of_life(run)
        client.set_tag(run.info.run_id, T.END_REASON, "kernel-died")
        client.set_terminated(run.info.run_id, status="KILLED", end_time=end_time)
        reaped.append(run.info.run_id)
        reaped.extend(
            end_running_descendants(
                client, run.info.run_id, run.info.experiment_id, "KILLED", end_time
            )
        )
    return reaped


def _last_sign_of_life(run) -> int:
    try:
        return max(int(run.data.tags.get(T.HEARTBEAT, "0")), run.info.start_time or 0)
    except ValueError:
        return run.info.start_time or now_ms()


def _running_runs(client) -> Iterable:
    experiment_ids = [e.experiment_id for e in _all_experiments(client)]
    for chunk in batched(experiment_ids, MAX_EXPERIMENTS_PER_SEARCH):
        token = None
        while True:
            page = client.search_runs(
                list(chunk),
                filter_string="attributes.status = 'RUNNING'",
                max_results=1000,
                page_token=token,
            )
            yield from page
            token = page.token
            if not token:
                break


def _all_experiments(client) -> Iterable:
    token = None
    while True:
        page = client.search_experiments(max_results=1000, page_token=token)
        yield from page
        token = page.token
        if not token:
            break


def end_running_descendants(
    client, run_id: str, experiment_id: str, status: str, end_time: int | None = None
) -> list[str]:
    """End the RUNNING descendants of a run (those left open, in any thread); return ids."""
    ended: list[str] = []
    pending = [run_id]
    while pending:
        parent = pending.pop()
        children = client.search_runs(
            [experiment_id],
            filter_string=(
                f"tags.`{T.PARENT_RUN_ID}` = '{parent}' and attributes.status = 'RUNNING'"
            ),
            max_results=1000,
        )
        for child in children:
            client.set_terminated(child.info.run_id, status=status, end_time=end_time)
            ended.append(child.info.run_id)
            pending.append(child.info.run_id)
    return ended


class Heartbeat:
    """A daemon thread refreshing the heartbeat tag of the runs this kernel owns."""

    def __init__(self, client_factory, interval: float = HEARTBEAT_SECONDS) -> None:
        self._client_factory = client_factory
        self._interval = interval
        self._runs: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, run_id: str) -> None:
        with self._lock:
            self._runs.add(run_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._beat, name="labtrack-heartbeat", daemon=True
                )
                self._thread.start()

    def forget(self, run_id: str) -> None:
        with self._lock:
            self._runs.discard(run_id)

    def _beat(self) -> None:
        client = self._client_factory()
        while not self._wake.wait(self._interval):
            with self._lock:
                runs = list(self._runs)
            for run_id in runs:
                try:
                    client.set_tag(run_id, T.HEARTBEAT, str(now_ms()))
                except Exception as error:  # a missed beat must never hurt the user's cell
                    log.debug("labtrack heartbeat for %s failed: %s", run_id, error)
