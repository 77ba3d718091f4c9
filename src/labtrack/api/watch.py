"""``labtrack.watch`` / ``%track watch``: a live plot of a run another process writes."""

from __future__ import annotations

from ..live.feed import LiveFeed
from ..live.history import open_reader
from ..widgets.live_plot import LivePlot


def watch(run_id: str, steps: int | None = None, tracking_uri: str | None = None) -> LivePlot:
    """A live plot of ``run_id`` that follows it until it ends (display it to see it)."""
    import mlflow

    uri = tracking_uri or _tracking_uri()
    client = mlflow.MlflowClient(uri)
    run = client.get_run(run_id)  # an unknown id fails here, with MLflow's message
    experiment = client.get_experiment(run.info.experiment_id)
    widget = LivePlot(
        run_id=run_id,
        run_name=run.info.run_name or "",
        experiment_name=experiment.name if experiment else "",
        status=run.info.status,
        start_time_ms=run.info.start_time,
        end_time_ms=run.info.end_time,
        steps_total=steps,
        mode="watch",
    )
    feed = LiveFeed(widget, open_reader(uri, run_id), stop_when_ended=True)
    widget.feed = feed  # kept alive with the widget; tests and users can stop it
    feed.start()
    return widget


def _tracking_uri() -> str:
    """The kernel's tracking URI once labtrack (or the user) set one, else labtrack's
    own resolution (MLFLOW_TRACKING_URI, else the embedded store)."""
    import mlflow
    from mlflow.tracking._tracking_service.utils import is_tracking_uri_set

    if is_tracking_uri_set():
        return mlflow.get_tracking_uri()
    from ..backend import prepare_backend, resolve_backend

    location = resolve_backend(None)
    prepare_backend(location)
    return location.tracking_uri
