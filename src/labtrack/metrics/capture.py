"""Catching every metric a tracked cell logs, by intercepting the tracking store.

Where to intercept (read in MLflow 3.17): ``mlflow.log_metric``/``log_metrics``,
``MlflowClient().log_metric``/``log_batch`` and autologging (whose queueing client
calls ``MlflowClient.log_batch``) all end in ``TrackingServiceClient``, which calls
``self.store.log_metric``/``log_batch`` or, with ``synchronous=False``,
``log_metric_async``/``log_batch_async``. ``self.store`` is
``TrackingStoreRegistry._get_store_with_resolved_uri``, an ``lru_cache`` keyed by
the resolved URI: one store instance per tracking URI in the process. So four
instance attributes set on that one object see every path, where patching public
functions would need a dozen patches and still miss clients built elsewhere. The
async methods need their own patch: MLflow's async queue holds the class's
``log_batch`` bound at store creation, not the instance attribute.

What is buffered: points of every run created while the capture is installed (the
runs the cell's code opens, their children, the cell's own run), which
``create_run`` reveals; a ``RunWatcher`` (the tracked cell) is told of each run's
creation and status changes, and may add tags to a run before it is created. Points
of any other run go to MLflow untouched. Each
point is checked at the call with MLflow's own validation, so a bad key or value
raises MLflow's exception there and never reaches a batch.

Params, tags and artifact uploads of those runs go to MLflow at the call, as
usual, except while the backend is away: then (or when MLflow's call fails for
want of an answer) they join the points in the run's journal, in order, and reach
the backend with them (``_send_or_keep``). Artifact uploads are hooked on
``TrackingServiceClient`` (``artifact_uploads``), the one place they all pass.

Reads stay truthful: ``get_metric_history`` of a buffered run and ending a
buffered child (``update_run_info``) first flush the buffer. ``uninstall`` restores
the store exactly as it was, and the session calls it whatever the cell did.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from typing import Protocol

from .. import tags as T
from ..backend.location import labtrack_home
from .artifact_uploads import ArtifactUploads
from .journal import PENDING_DIRNAME, PendingPoints
from .operations import ClientRunOperations, no_answer_reason
from .points import KNOWN_VALID_KEYS, MetricPoint, checked_numbers, plain_point, point_from_metric
from .sink import (
    DEFAULT_CLOSE_TIMEOUT,
    DEFAULT_FLUSH_INTERVAL,
    Announcement,
    MetricSink,
    SinkReport,
)
from .store_calls import CREATE_RUN, UPDATE_RUN_INFO, status_name
from .writers import writer_for

_INTERCEPTED = (
    "log_metric",
    "log_batch",
    "log_metric_async",
    "log_batch_async",
    "log_param",
    "set_tag",
    "create_run",
    "update_run_info",
    "get_metric_history",
)
_ABSENT = object()
READ_FLUSH_TIMEOUT = 5.0

# Captures in force, innermost last (a tracked cell can run another one).
_active: list[MetricCapture] = []
_active_lock = threading.Lock()


class RunWatcher(Protocol):
    """Who wants to know of the runs created and ended while a capture is installed."""

    def tags_for(self, tags: list, parent_id: str | None) -> list: ...

    def created(self, run) -> object: ...

    def status_changed(self, run_id: str, status: str | None, end_time_ms: int | None): ...


class MetricCapture:
    """Routes one store's metric writes for the runs created while it is installed into
    a sink."""

    def __init__(self, store, sink: MetricSink, watcher: RunWatcher | None = None) -> None:
        self.store = store
        self.run_ids: set[str] = set()
        self.sink = sink
        self._watcher = watcher
        self._saved: dict[str, object] = {}
        self.capturing = False
        self._originals: dict[str, object] = {}
        self._logged_params: dict[tuple[str, str], str] = {}
        # Told (run_id, name, artifact_path, source) of each artifact upload of a buffered
        # run, on the uploading thread: ``source`` is the local file (still there) or, for
        # MLflow's asynchronous uploads (``mlflow.log_image``), the object being saved.
        self.upload_listeners: list = []

    # -- installing ----------------------------------------------------------------

    def install(self) -> MetricCapture:
        for name in _INTERCEPTED:
            self._saved[name] = self.store.__dict__.get(name, _ABSENT)
            self._originals[name] = getattr(self.store, name)
        for name in _INTERCEPTED:
            setattr(self.store, name, getattr(self, f"_{name}"))
        with _active_lock:
            if not _active:
                ArtifactUploads.patch(capture_for)
            _active.append(self)
        self.capturing = True
        return self

    def uninstall(self) -> None:
        self.capturing = False
        with _active_lock:
            if self in _active:
                _active.remove(self)
                if not _active:
                    ArtifactUploads.restore()
        for name, previous in self._saved.items():
            if previous is _ABSENT:
                self.store.__dict__.pop(name, None)
            else:
                setattr(self.store, name, previous)
        self._saved.clear()

    def stop(self) -> SinkReport:
        """Restore the store, then store every buffered point (or save it to disk)."""
        try:
            self.uninstall()
        finally:
            report = self.sink.close()
        return report

    # -- labtrack.log_metric's direct path -------------------------------------------

    def log(self, run_id: str, key: str, value: float, step: int, timestamp: int) -> None:
        if type(value) is not float or type(step) is not int or key not in KNOWN_VALID_KEYS:
            # MLflow's error, or plain numbers (and the key is known from now on).
            value, timestamp, step = checked_numbers(key, value, timestamp, step)
        point = plain_point(run_id, key, value, timestamp, step)
        if not self.sink.offer_one(point):
            self._originals["log_batch"](run_id, [_as_metric(point)], [], [])

    # -- the store's methods, as seen by MLflow ---------------------------------------

    def _log_metric(self, run_id, metric):
        if run_id not in self.run_ids:
            return self._originals["log_metric"](run_id, metric)
        point = point_from_metric(run_id, metric)
        if not self.sink.offer_one(point):
            return self._originals["log_metric"](run_id, metric)
        return None

    def _log_batch(self, run_id, metrics, params, tags):
        if not self.handles(run_id):
            return self._originals["log_batch"](run_id, metrics, params, tags)
        points = self._accept_batch(run_id, metrics, params, tags)
        if params or tags:
            self._send_or_keep(
                _operations(run_id, params, tags),
                lambda: self._originals["log_batch"](run_id, [], params, tags),
            )
        if points and not self.sink.offer(points):
            self._originals["log_batch"](run_id, metrics, [], [])
        return None

    def _log_param(self, run_id, param):
        if not self.handles(run_id):
            return self._originals["log_param"](run_id, param)
        self._params_and_tags(
            run_id, [param], [], lambda: self._originals["log_param"](run_id, param)
        )
        return None

    def _set_tag(self, run_id, tag):
        if not self.handles(run_id):
            return self._originals["set_tag"](run_id, tag)
        self._params_and_tags(run_id, [], [tag], lambda: self._originals["set_tag"](run_id, tag))
        return None

    def _params_and_tags(self, run_id, params, tags, send) -> None:
        """MLflow's checks at the call, then ``send`` (MLflow's own method), or kept."""
        self._accept_batch(run_id, [], params, tags)
        self._send_or_keep(_operations(run_id, params, tags), send)

    def handles(self, run_id: str) -> bool:
        """Whether this capture handles the run's writes. Not on the sink's own thread:
        a journal replayed there writes through MLflow, and must reach the backend."""
        return run_id in self.run_ids and not self.sink.on_writer_thread()

    def upload_or_keep(self, run_id, local_path, artifact_path, *, contents: bool, upload):
        """An artifact upload of a buffered run (``TrackingServiceClient.log_artifact``,
        or ``log_artifacts`` with ``contents``), kept with its points while the backend
        is away."""
        operation = {
            "op": "artifact",
            "run_id": run_id,
            "artifact_path": artifact_path,
            "contents": contents,
        }
        self._send_or_keep([operation], upload, files=os.fspath(local_path))
        self.uploaded(run_id, os.path.basename(local_path), artifact_path, os.fspath(local_path))

    def uploaded(self, run_id: str, name: str, artifact_path, source) -> None:
        for listener in list(self.upload_listeners):
            try:
                listener(run_id, name, artifact_path, source)
            except Exception:  # a display problem must not fail the user's upload
                continue

    def _send_or_keep(self, operations: list[dict], send, files: str | None = None) -> None:
        """Params, tags and artifacts of a buffered run: sent to MLflow while the backend
        answers, kept in the run's journal (with its points) while it does not. So a
        server that dies mid-cell costs the user neither an exception nor a value."""
        if self.sink.offline and self._keep(operations, files=files):
            return
        try:
            send()
        except Exception as error:
            because = no_answer_reason(error)
            if because is None or not self._keep(operations, because=because, files=files):
                raise
        else:
            self._remember_params(operations)

    def _keep(self, operations: list[dict], because: str | None = None, files=None) -> bool:
        self._remember_params(operations)
        return all(self.sink.keep_operation(op, because=because, files=files) for op in operations)

    def _remember_params(self, operations: list[dict]) -> None:
        """MLflow refuses to change a param's value; a journaled change would be refused
        only at replay, so it is refused at the call, as MLflow would have."""
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        for operation in operations:
            if operation["op"] != "params":
                continue
            run_id = operation["run_id"]
            for key, value in operation["params"].items():
                kept = self._logged_params.setdefault((run_id, key), value)
                if kept == value:
                    continue
                raise MlflowException(
                    f"Changing param values is not allowed. Param with key='{key}' was "
                    f"already logged with value='{kept}' for run ID='{run_id}'. "
                    f"Attempted logging new value '{value}'.",
                    INVALID_PARAMETER_VALUE,
                )

    def _log_metric_async(self, run_id, metric):
        if run_id not in self.run_ids:
            return self._originals["log_metric_async"](run_id, metric)
        self._log_metric(run_id, metric)
        return _done()

    def _log_batch_async(self, run_id, metrics, params, tags):
        if run_id not in self.run_ids or not metrics:
            return self._originals["log_batch_async"](run_id, metrics, params, tags)
        self._log_batch(run_id, metrics, params, tags)
        return _done()

    def _create_run(self, *args, **kwargs):
        if self._watcher is not None:
            bound = CREATE_RUN.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            tags = list(arguments.get("tags") or [])
            parent = next((tag.value for tag in tags if tag.key == T.PARENT_RUN_ID), None)
            arguments["tags"] = self._watcher.tags_for(tags, parent)
            args, kwargs = (), arguments
        run = self._originals["create_run"](*args, **kwargs)
        self.run_ids.add(run.info.run_id)
        if self._watcher is not None:
            self._watcher.created(run)
        return run

    def _update_run_info(self, run_id, *args, **kwargs):
        if run_id not in self.run_ids:
            return self._originals["update_run_info"](run_id, *args, **kwargs)
        self.sink.flush(READ_FLUSH_TIMEOUT)  # a run's points are stored before it ends
        info = self._originals["update_run_info"](run_id, *args, **kwargs)
        if self._watcher is not None:
            arguments = UPDATE_RUN_INFO.bind(run_id, *args, **kwargs).arguments
            self._watcher.status_changed(
                run_id, status_name(arguments.get("run_status")), arguments.get("end_time")
            )
        return info

    def _get_metric_history(self, run_id, *args, **kwargs):
        if run_id in self.run_ids:
            self.sink.flush(READ_FLUSH_TIMEOUT)
        return self._originals["get_metric_history"](run_id, *args, **kwargs)

    def _accept_batch(self, run_id, metrics, params, tags) -> list[MetricPoint]:
        """MLflow's own checks, at the call: what is kept offline must be what the
        server will take."""
        from mlflow.utils.validation import (
            _validate_batch_log_limits,
            _validate_param,
            _validate_param_keys_unique,
            _validate_tag,
        )

        _validate_batch_log_limits(metrics, params, tags)
        _validate_param_keys_unique(params)
        for index, param in enumerate(params):
            _validate_param(param.key, param.value, path=f"params[{index}]")
        for index, tag in enumerate(tags):
            _validate_tag(tag.key, tag.value, path=f"tags[{index}]")
        return [
            point_from_metric(run_id, metric, path=f"metrics[{index}]")
            for index, metric in enumerate(metrics)
        ]


def start_capture(
    name: str,
    *,
    watcher: RunWatcher | None = None,
    flush_interval: float = DEFAULT_FLUSH_INTERVAL,
    close_timeout: float = DEFAULT_CLOSE_TIMEOUT,
    on_offline: Announcement | None = None,
    on_online: Announcement | None = None,
) -> MetricCapture:
    """Buffer the points of the runs created from now on in the active tracking URI's
    store; ``name`` names the journal the sink keeps if the backend goes away."""
    import mlflow
    from mlflow.tracking._tracking_service import utils

    tracking_uri = mlflow.get_tracking_uri()
    store = utils._get_store(tracking_uri)
    sink = MetricSink(
        writer_for(store),
        name=name,
        pending=pending_for(tracking_uri),
        operations=ClientRunOperations(mlflow.MlflowClient(tracking_uri)),
        flush_interval=flush_interval,
        close_timeout=close_timeout,
        on_offline=on_offline,
        on_online=on_online,
    )
    return MetricCapture(store, sink.start(), watcher).install()


def pending_for(tracking_uri: str) -> PendingPoints:
    """Where runs of ``tracking_uri`` keep what the backend has not taken yet."""
    return PendingPoints(labtrack_home() / PENDING_DIRNAME, tracking_uri)


def capture_for(run_id: str) -> MetricCapture | None:
    """The capture buffering ``run_id``'s points, if a tracked cell is running."""
    for capture in reversed(_active):
        if run_id in capture.run_ids:
            return capture
    return None


def _operations(run_id: str, params, tags) -> list[dict]:
    """Journal entries for params and tags (``ClientRunOperations`` applies them)."""
    operations = []
    if params:
        values = {param.key: str(param.value) for param in params}
        operations.append({"op": "params", "run_id": run_id, "params": values})
    if tags:
        values = {tag.key: str(tag.value) for tag in tags}
        operations.append({"op": "tags", "run_id": run_id, "tags": values})
    return operations


def _as_metric(point: MetricPoint):
    from mlflow.entities import Metric

    return Metric(point.key, point.value, point.timestamp, point.step)


def _done():
    """A finished ``RunOperations``: the point is buffered, which is all a caller waits for."""
    from mlflow.utils.async_logging.run_operations import RunOperations

    future: Future = Future()
    future.set_result(None)
    return RunOperations(operation_futures=[future])
