"""``labtrack.log_metric`` and ``labtrack.log_metrics``: the fastest way to log a point.

Inside a ``%%track`` cell a point goes straight into the cell's metric buffer
(checked like MLflow checks it, stamped like MLflow stamps it), skipping the
client objects ``mlflow.log_metric`` builds on every call. Outside one, these are
``mlflow.log_metric`` / ``mlflow.log_metrics``.

A training loop calls these thousands of times a second, so the few names they
need are looked up once, on the first call, instead of imported on every call.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

_bound: dict[str, object] = {}
# The last active run seen and where its points go: [ActiveRun, run_id, MetricCapture].
_last_target: list = [None, None, None]


def log_metric(key: str, value: float, step: int | None = None) -> None:
    """Log ``value`` for ``key`` at ``step`` (default 0, as in MLflow) to the active run."""
    names = _bound or _bind()
    run = names["active_run"]()
    if run is not None:
        last_run, run_id, capture = _last_target
        if run is not last_run or not capture.capturing:
            run_id = run.info.run_id
            capture = names["capture_for"](run_id)
            _last_target[:] = (run, run_id, capture) if capture is not None else (None,) * 3
        if capture is not None:
            if type(value) is not float:
                value = names["as_float"](value)
            capture.log(run_id, key, value, 0 if step is None else step, int(time.time() * 1000))
            return
    names["mlflow"].log_metric(key, value, step=step)


def log_metrics(metrics: Mapping[str, float], step: int | None = None) -> None:
    """Log several metrics at one step; each is checked on its own, in order."""
    names = _bound or _bind()
    run = names["active_run"]()
    capture = names["capture_for"](run.info.run_id) if run is not None else None
    if capture is None:
        names["mlflow"].log_metrics(dict(metrics), step=step)
        return
    run_id = run.info.run_id
    timestamp = int(time.time() * 1000)
    step = 0 if step is None else step
    as_float = names["as_float"]
    for key, value in metrics.items():
        capture.log(
            run_id, key, value if type(value) is float else as_float(value), step, timestamp
        )


def flush(timeout: float = 30.0) -> bool:
    """Wait until every point the tracked cell logged so far is in the store, or on
    disk if the store is away (then it is sent later). True when done within
    ``timeout``; outside a tracked cell there is nothing to wait for."""
    names = _bound or _bind()
    run = names["active_run"]()
    capture = names["capture_for"](run.info.run_id) if run is not None else None
    return True if capture is None else capture.sink.flush(timeout)


def _bind() -> dict[str, object]:
    import mlflow
    from mlflow.tracking.metric_value_conversion_utils import (
        convert_metric_value_to_float_if_possible,
    )

    from .capture import capture_for

    _bound.update(
        mlflow=mlflow,
        # Looked up on each call: a tracked cell wraps mlflow.active_run while it runs.
        active_run=lambda: mlflow.active_run(),
        capture_for=capture_for,
        # MLflow's own conversion (ints, numpy scalars, one-element tensors); a value it
        # cannot convert comes back unchanged and the check rejects it with MLflow's error.
        as_float=convert_metric_value_to_float_if_possible,
    )
    return _bound
