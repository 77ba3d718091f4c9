"""Incremental reads of a run family's metric history, for live plots.

A reader answers one question, again and again: which points did the root runs and
their descendants (children of a sweep, grandchildren…) log since I last asked? The
roots are one watched run, or every top-level run a tracked cell has opened so far
(a set that grows while the cell runs). It also reports each run's name, status and
parent, so a plot can label traces and know when a watched run has ended.

For SQLite stores (labtrack's embedded default) it reads MLflow's tables directly,
read-only, through its own connection: the cursor is the ``metrics`` table's rowid,
so each read costs what was written since the last one, whatever the history's
length. Family and points are read in one transaction, so a child run created
between the two queries cannot lose points. Other stores fall back to
``MlflowClient`` (slower: whole histories are fetched and the new tail kept).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .. import tags as T

Roots = Callable[[], Sequence[str]]

TERMINAL_STATUSES = frozenset({"FINISHED", "FAILED", "KILLED"})

Point = tuple[float, float, float]  # (step, timestamp_ms, value)


@dataclass(frozen=True)
class RunState:
    run_id: str
    name: str
    status: str
    parent_id: str | None
    end_time_ms: int | None = None

    @property
    def ended(self) -> bool:
        return self.status in TERMINAL_STATUSES


@dataclass
class HistoryDelta:
    runs: dict[str, RunState] = field(default_factory=dict)
    # (run_id, key) → points in the order they were written
    points: dict[tuple[str, str], list[Point]] = field(default_factory=lambda: defaultdict(list))

    @property
    def point_count(self) -> int:
        return sum(len(points) for points in self.points.values())


class HistoryReader(Protocol):
    roots: Roots

    def read_new(self) -> HistoryDelta: ...

    def close(self) -> None: ...


def sqlite_path(tracking_uri: str) -> str | None:
    """The database file of a ``sqlite:///…`` tracking URI; None for other stores."""
    prefix = "sqlite:///"
    if not tracking_uri.startswith(prefix):
        return None
    path = tracking_uri[len(prefix) :].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def roots_of(roots: str | Roots) -> Roots:
    """A watched run's id as a (constant) set of roots."""
    if isinstance(roots, str):
        fixed = (roots,)
        return lambda: fixed
    return roots


def open_reader(
    tracking_uri: str,
    roots: str | Roots,
    sink=None,
    run_states: Callable[[], dict[str, RunState]] | None = None,
) -> HistoryReader:
    """The fastest truthful reader: SQLite's tables directly; else, for a tracked cell
    (its ``sink`` and ``run_states`` given), its own points; else MLflow's client."""
    path = sqlite_path(tracking_uri)
    if path is not None:
        return SqliteHistoryReader(path, roots)
    if sink is not None and run_states is not None:
        return SinkHistoryReader(sink, roots_of(roots), run_states)
    return ClientHistoryReader(tracking_uri, roots)


_FAMILY_SQL = """
WITH RECURSIVE family(id) AS (
    VALUES {roots}
    UNION
    SELECT t.run_uuid FROM tags t JOIN family f ON t.key = ? AND t.value = f.id
)
SELECT r.run_uuid, r.name, r.status, r.end_time,
       (SELECT p.value FROM tags p WHERE p.run_uuid = r.run_uuid AND p.key = ?)
FROM runs r JOIN family f ON r.run_uuid = f.id
"""


class SqliteHistoryReader:
    """Reads an MLflow SQLite store without writing to it (``mode=ro``; WAL lets it read
    while the kernel's writer commits)."""

    def __init__(self, database_path: str, roots: str | Roots) -> None:
        self.roots = roots_of(roots)
        self._path = database_path
        self._connection: sqlite3.Connection | None = None
        self._cursor_rowid: int | None = None  # None: nothing read yet

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            # Autocommit off by default in Python 3.11's sqlite3; transactions are explicit.
            self._connection = sqlite3.connect(
                f"file:{self._path}?mode=ro",
                uri=True,
                timeout=5,
                isolation_level=None,
                check_same_thread=False,
            )
        return self._connection

    def read_new(self) -> HistoryDelta:
        connection = self._connect()
        delta = HistoryDelta()
        roots = list(self.roots())
        if not roots:
            return delta
        family_sql = _FAMILY_SQL.format(roots=",".join("(?)" for _ in roots))
        connection.execute("BEGIN")  # one snapshot for the family and its points
        try:
            for run_id, name, status, end_time, parent in connection.execute(
                family_sql, (*roots, T.PARENT_RUN_ID, T.PARENT_RUN_ID)
            ):
                delta.runs[run_id] = RunState(run_id, name or "", status, parent, end_time)
            if delta.runs:
                self._read_points(connection, list(delta.runs), delta)
        finally:
            connection.execute("COMMIT")
        return delta

    def _read_points(self, connection, run_ids: list[str], delta: HistoryDelta) -> None:
        marks = ",".join("?" * len(run_ids))
        columns = "run_uuid, key, step, timestamp, value, is_nan"
        top = connection.execute("SELECT max(rowid) FROM metrics").fetchone()[0] or 0
        if self._cursor_rowid is None:
            # First read: the family's whole history through the run_uuid index.
            rows = connection.execute(
                f"SELECT {columns} FROM metrics WHERE run_uuid IN ({marks}) ORDER BY rowid",
                run_ids,
            ).fetchall()
        else:
            # Later reads: the rows written since, whoever wrote them, kept if they belong
            # to the family. `+run_uuid` keeps SQLite on the rowid range (rows come in
            # rowid order, i.e. as written) instead of the run_uuid index.
            rows = connection.execute(
                f"SELECT {columns} FROM metrics WHERE rowid > ? AND rowid <= ? "
                f"AND +run_uuid IN ({marks})",
                [self._cursor_rowid, top, *run_ids],
            ).fetchall()
        self._cursor_rowid = max(self._cursor_rowid or 0, top)
        points = delta.points
        for run_id, key, step, timestamp, value, is_nan in rows:
            if is_nan:
                value = _NAN
            elif not -_MAX_DOUBLE < value < _MAX_DOUBLE:
                value = _from_stored(value)
            points[(run_id, key)].append((step, timestamp, value))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


_MAX_DOUBLE = 1.7976931348623157e308
_NAN = float("nan")


def _from_stored(value: float) -> float:
    # MLflow's SQL store writes ±inf as ±max double; give the plot back the infinity.
    if value >= _MAX_DOUBLE:
        return float("inf")
    if value <= -_MAX_DOUBLE:
        return float("-inf")
    return float(value)


class ClientHistoryReader:
    """Any MLflow store (REST server, PostgreSQL through MLflow, file store) via
    ``MlflowClient``. Each read fetches the histories whose latest value changed and
    keeps the points past those already seen."""

    def __init__(self, tracking_uri: str, roots: str | Roots) -> None:
        import mlflow

        self.roots = roots_of(roots)
        self._client = mlflow.MlflowClient(tracking_uri)
        self._seen: dict[tuple[str, str], int] = {}
        self._latest: dict[tuple[str, str], tuple | None] = {}

    def read_new(self) -> HistoryDelta:
        delta = HistoryDelta()
        for run in self._family():
            self._read_run(run, delta)
            delta.runs[run.info.run_id] = _state_of(run)
        return delta

    def _family(self):
        pending = list(self.roots())
        while pending:
            run = self._client.get_run(pending.pop())
            yield run
            children = self._client.search_runs(
                [run.info.experiment_id],
                f"tags.`{T.PARENT_RUN_ID}` = '{run.info.run_id}'",
                max_results=1000,
            )
            pending.extend(child.info.run_id for child in children)

    def _read_run(self, run, delta: HistoryDelta) -> None:
        run_id = run.info.run_id
        # The run's latest point per key says whether a history changed, without
        # fetching it (a history is O(length) to fetch).
        latest = {
            m.key: (m.step, m.timestamp, repr(m.value))
            for m in getattr(run.data, "_metric_objs", ())
        }
        for key in run.data.metrics:
            trace = (run_id, key)
            mark = latest.get(key)
            if mark is not None and self._latest.get(trace) == mark:
                continue
            history = self._client.get_metric_history(run_id, key)
            self._latest[trace] = mark
            ordered = sorted(history, key=lambda m: (m.timestamp, m.step))
            seen = self._seen.get(trace, 0)
            delta.points[trace].extend(
                (float(m.step), float(m.timestamp), _from_stored(m.value)) for m in ordered[seen:]
            )
            self._seen[trace] = len(ordered)

    def close(self) -> None:
        pass


def _state_of(run) -> RunState:
    info = run.info
    parent = run.data.tags.get(T.PARENT_RUN_ID)
    return RunState(info.run_id, info.run_name or "", info.status, parent, info.end_time)


class SinkHistoryReader:
    """A tracked cell's own points as its metric sink takes them (stored, or kept on
    disk while the server is away), for cells tracking to a server.

    Polling a server for whole histories costs a request per metric per poll and stops
    with the server; the sink already holds every point the cell logs, and the cell
    knows every run it opened (names, parents, statuses: ``run_states``), so nothing is
    asked of the server at all.
    """

    def __init__(self, sink, roots: Roots, run_states: Callable[[], dict[str, RunState]]):
        self.roots = roots
        self._sink = sink
        self._run_states = run_states
        self._lock = threading.Lock()
        self._points: dict[tuple[str, str], list[Point]] = defaultdict(list)
        sink.add_listener(self._take)

    def _take(self, chunk) -> None:
        with self._lock:
            for point in chunk:
                self._points[(point.run_id, point.key)].append(
                    (float(point.step), float(point.timestamp), float(point.value))
                )

    def read_new(self) -> HistoryDelta:
        delta = HistoryDelta()
        with self._lock:
            delta.points, self._points = self._points, defaultdict(list)
        delta.runs = dict(self._run_states())
        return delta

    def close(self) -> None:
        pass
