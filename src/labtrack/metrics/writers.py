"""Writing a batch of metric points to the tracking backend.

Two writers, chosen by the store behind the tracking URI:

- ``SqlMetricWriter`` for MLflow's SQL store on SQLite or PostgreSQL: one
  transaction of multi-row inserts into MLflow's ``metrics`` table plus an upsert
  of ``latest_metrics``. It writes exactly the rows ``SqlAlchemyStore._log_metrics``
  writes (NaN as 0 with ``is_nan``, ±inf as ±max double; a point identical to a
  stored one is skipped, as MLflow skips it on its primary-key conflict) and keeps
  ``latest_metrics`` by MLflow's rule: a point replaces the latest one only when its
  ``(step, timestamp, value)`` is strictly greater, so among equals the first wins.
  Because of those two rules, writing the same points twice changes nothing: a
  retry after a commit whose answer was lost cannot duplicate points.
- ``RestMetricWriter`` for a tracking server: MLflow's ``runs/log-batch`` request
  (≤1000 points) sent once, with a bounded timeout and no retries. MLflow's own
  client retries a failing server for minutes; the sink needs to know within
  seconds, so it can keep the points on disk and the live plot going (the sink
  retries on its own schedule). The body is the JSON MLflow's client sends, built
  directly (MLflow's protobuf round trip costs more than the request here).
- ``BatchMetricWriter`` for every other store (MySQL, plug-ins): MLflow's own
  ``log_batch`` in chunks of at most 1000 metrics.

Points linked to a logged model or a dataset also go through ``log_batch``, which
knows MLflow's ``logged_model_metrics`` table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Protocol

from ..limits import MAX_METRICS_PER_BATCH, batched
from .points import LARGEST_DOUBLE as _LARGEST_DOUBLE
from .points import MetricPoint, stored_value

# Rows per INSERT statement. Not ``executemany``: Python's sqlite3 releases the GIL
# around every row it steps, and each time the writer thread wants it back it has to
# interrupt the training loop's thread. A multi-row statement steps once per 150 rows
# (as fast as executemany here). 150 rows of 6 values stay under the 999 bound
# variables of older SQLite builds.
ROWS_PER_INSERT = 150

_COLUMNS = "key, value, timestamp, step, is_nan, run_uuid"
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
FAST_SQL_DIALECTS = ("sqlite", "postgresql")


class PointsRejected(Exception):
    """The backend answered that these points can never be stored (a 4xx answer, a
    constraint violation): writing them again cannot help, unlike a lost connection."""


class MetricWriter(Protocol):
    # How many points one ``write`` may take; ``None``: any number, in one transaction.
    max_points_per_write: int | None

    def write(self, points: Sequence[MetricPoint]) -> None: ...


class BatchMetricWriter:
    """Writes through a store's ``log_batch`` (one request per ≤1000 points)."""

    max_points_per_write: int | None = MAX_METRICS_PER_BATCH

    def __init__(self, log_batch: Callable[..., None]) -> None:
        self._log_batch = log_batch

    def write(self, points: Sequence[MetricPoint]) -> None:
        from mlflow.entities import Metric

        by_run: dict[str, list] = {}
        for point in points:
            by_run.setdefault(point.run_id, []).append(
                Metric(
                    point.key,
                    point.value,
                    point.timestamp,
                    point.step,
                    model_id=point.model_id,
                    dataset_name=point.dataset_name,
                    dataset_digest=point.dataset_digest,
                )
            )
        for run_id, metrics in by_run.items():
            for chunk in batched(metrics, MAX_METRICS_PER_BATCH):
                try:
                    self._log_batch(run_id=run_id, metrics=chunk, params=[], tags=[])
                except Exception as error:
                    if _is_rejection(error):
                        raise PointsRejected(f"{type(error).__name__}: {error}") from error
                    raise


def _is_rejection(error: Exception) -> bool:
    """A client error from MLflow (bad request, deleted run), not an outage or overload."""
    status_of = getattr(error, "get_http_status_code", None)
    if not callable(status_of):
        return False
    status = status_of()
    return 400 <= status < 500 and status != 429


LOG_BATCH_ENDPOINT = "/api/2.0/mlflow/runs/log-batch"
REST_WRITE_TIMEOUT_SECONDS = 30.0
_JSON_NON_FINITE = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


class RestMetricWriter:
    """Writes to an MLflow tracking server's ``log-batch`` endpoint, failing fast."""

    max_points_per_write: int | None = MAX_METRICS_PER_BATCH

    def __init__(self, get_host_creds: Callable[[], object], fallback: BatchMetricWriter) -> None:
        self._get_host_creds = get_host_creds
        self._fallback = fallback

    def write(self, points: Sequence[MetricPoint]) -> None:
        by_run: dict[str, list[dict]] = {}
        linked = []
        for point in points:
            if not point.is_plain:
                linked.append(point)
                continue
            by_run.setdefault(point.run_id, []).append(
                {
                    "key": point.key,
                    "value": _json_number(point.value),
                    "timestamp": point.timestamp,
                    "step": point.step,
                }
            )
        for run_id, metrics in by_run.items():
            for chunk in batched(metrics, MAX_METRICS_PER_BATCH):
                self._post(run_id, chunk)
        if linked:
            self._fallback.write(linked)

    def _post(self, run_id: str, metrics: list[dict]) -> None:
        from mlflow.exceptions import MlflowException
        from mlflow.utils.rest_utils import http_request, verify_rest_response

        creds = self._get_host_creds()
        try:
            response = http_request(
                creds,
                LOG_BATCH_ENDPOINT,
                "POST",
                max_retries=0,
                timeout=REST_WRITE_TIMEOUT_SECONDS,
                raise_on_status=False,
                json={"run_id": run_id, "metrics": metrics},
            )
        except MlflowException as error:  # a paragraph of urllib3 internals: keep the gist
            raise ConnectionError(_connection_failure(str(error), creds.host)) from None
        status = response.status_code
        if 400 <= status < 500 and status != 429:
            raise PointsRejected(f"HTTP {status}: {response.text[:300]}")
        verify_rest_response(response, LOG_BATCH_ENDPOINT)


def _connection_failure(message: str, host: str) -> str:
    lowered = message.lower()
    if "refused" in lowered:
        return f"connection refused by {host}"
    if "timed out" in lowered or "timeout" in lowered:
        return f"no answer from {host} within {REST_WRITE_TIMEOUT_SECONDS:g}s"
    return f"cannot reach {host}: {message[:200]}"


def _json_number(value: float):
    """Protobuf's JSON spelling of a non-finite double; plain JSON has none."""
    if value != value:
        return "NaN"
    return _JSON_NON_FINITE.get(value, value)


class SqlMetricWriter:
    """Writes straight into MLflow's metric tables, one transaction per call."""

    max_points_per_write: int | None = None

    def __init__(self, engine, fallback: BatchMetricWriter) -> None:
        self._engine = engine
        self._fallback = fallback
        mark = _PLACEHOLDERS[engine.dialect.paramstyle]
        values = ", ".join([mark] * 6)
        self._row = f"({values})"
        # Row-value comparison is MLflow's ``_compare_metrics`` done by the database,
        # against the row another writer may have stored since we last looked.
        self._upsert_latest = (
            f"INSERT INTO latest_metrics ({_COLUMNS}) VALUES ({values}) "
            "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, "
            "timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan "
            "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
            "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)"
        )
        self._is_sqlite = engine.dialect.name == "sqlite"

    @functools.lru_cache(maxsize=8)  # noqa: B019 -- one writer per store, a few sizes
    def _insert_rows(self, count: int) -> str:
        rows = ", ".join([self._row] * count)
        return f"INSERT INTO metrics ({_COLUMNS}) VALUES {rows} ON CONFLICT DO NOTHING"

    @staticmethod
    def supports(engine) -> bool:
        return (
            engine.dialect.name in FAST_SQL_DIALECTS and engine.dialect.paramstyle in _PLACEHOLDERS
        )

    def write(self, points: Sequence[MetricPoint]) -> None:
        rows = []
        linked = []
        for run_id, key, value, timestamp, step, model_id, dataset, digest in points:
            if model_id is not None or dataset is not None or digest is not None:
                linked.append(
                    MetricPoint(run_id, key, value, timestamp, step, model_id, dataset, digest)
                )
            elif -_LARGEST_DOUBLE <= value <= _LARGEST_DOUBLE:  # the common case: finite
                rows.append((key, value, timestamp, step, False, run_id))
            else:
                value, is_nan = stored_value(value)
                rows.append((key, value, timestamp, step, is_nan, run_id))
        if rows:
            latest = _latest_rows(rows)
            from sqlalchemy.exc import IntegrityError

            try:
                with self._engine.begin() as connection:
                    if self._is_sqlite:
                        # MLflow's own sessions wait this long for SQLite's write lock.
                        connection.exec_driver_sql("PRAGMA busy_timeout = 20000")
                    for start in range(0, len(rows), ROWS_PER_INSERT):
                        part = rows[start : start + ROWS_PER_INSERT]
                        connection.exec_driver_sql(
                            self._insert_rows(len(part)), tuple(chain.from_iterable(part))
                        )
                    connection.exec_driver_sql(self._upsert_latest, latest)
            except IntegrityError as error:  # e.g. a run that is not in the database
                raise PointsRejected(f"IntegrityError: {error.orig}") from error
        if linked:
            self._fallback.write(linked)


def _latest_rows(rows: list[tuple]) -> list[tuple]:
    """Per (run, key), the row MLflow would keep as latest: greatest (step, timestamp,
    value), the first one logged among equals."""
    latest: dict[tuple[str, str], tuple] = {}
    for row in rows:
        slot = (row[5], row[0])
        held = latest.get(slot)
        if held is None or (row[3], row[2], row[1]) > (held[3], held[2], held[1]):
            latest[slot] = row
    return list(latest.values())


def writer_for(store) -> MetricWriter:
    """The fastest correct writer for an MLflow tracking store instance."""
    # The class's own method: an instance attribute may be labtrack's interception.
    fallback = BatchMetricWriter(type(store).log_batch.__get__(store))
    engine = getattr(store, "engine", None)
    if engine is not None and SqlMetricWriter.supports(engine):
        return SqlMetricWriter(engine, fallback)
    from mlflow.store.tracking.rest_store import RestStore

    if type(store) is RestStore:  # not a subclass (Databricks' stores talk differently)
        return RestMetricWriter(store.get_host_creds, fallback)
    return fallback


def write_around_rejections(writer: MetricWriter, points: Sequence[MetricPoint], rejected: list):
    """Write ``points``; if the backend refuses some, halve until they are found and add
    them to ``rejected``, so they never hold back the points around them. Returns the
    backend's last refusal, or None."""
    try:
        writer.write(points)
    except PointsRejected as rejection:
        if len(points) == 1:
            rejected.append(points[0])
            return str(rejection)
        middle = len(points) // 2
        first = write_around_rejections(writer, points[:middle], rejected)
        second = write_around_rejections(writer, points[middle:], rejected)
        return second or first
    return None
