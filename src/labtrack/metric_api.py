"""``labtrack.log_metric`` and ``labtrack.log_metrics``: the fastest way to log a point.

Inside a ``%%track`` cell a point goes straight into the cell's metric buffer
(checked like MLflow checks it, stamped like MLflow stamps it), skipping the
client objects ``mlflow.log_metric`` builds on every call. Outside one, these are
``mlflow.log_metric`` / ``mlflow.log_metrics``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .metrics import now_millis


def log_metric(key: str, value: float, step: int | None = None) -> None:
    """Log ``value`` for ``key`` at ``step`` (default 0, as in MLflow) to the active run."""
    import mlflow

    capture = _capture_of_active_run(mlflow)
    if capture is None:
        mlflow.log_metric(key, value, step=step)
        return
    run_id, target = capture
    target.log(run_id, key, _as_float(value), 0 if step is None else step, now_millis())


def log_metrics(metrics: Mapping[str, float], step: int | None = None) -> None:
    """Log several metrics at one step; each is checked on its own, in order."""
    import mlflow

    capture = _capture_of_active_run(mlflow)
    if capture is None:
        mlflow.log_metrics(dict(metrics), step=step)
        return
    run_id, target = capture
    timestamp = now_millis()
    step = 0 if step is None else step
    for key, value in metrics.items():
        target.log(run_id, key, _as_float(value), step, timestamp)


def _capture_of_active_run(mlflow):
    from .kernel.metric_capture import capture_for

    run = mlflow.active_run()
    if run is None:
        return None
    run_id = run.info.run_id
    target = capture_for(run_id)
    return None if target is None else (run_id, target)


def _as_float(value: object) -> object:
    if type(value) is float:
        return value
    # MLflow's own conversion (numbers, numpy scalars, one-element tensors); a value
    # it cannot convert is returned unchanged and rejected by the check with MLflow's error.
    from mlflow.tracking.metric_value_conversion_utils import (
        convert_metric_value_to_float_if_possible,
    )

    return convert_metric_value_to_float_if_possible(value)
