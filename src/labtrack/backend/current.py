"""The façade of the tracking URI MLflow uses in this process, one per URI."""

from __future__ import annotations

import threading

from .facade import TrackingFacade
from .location import resolve_backend

_facades: dict[str, object] = {}
_lock = threading.Lock()


def current_facade():
    """The façade for the tracking URI MLflow uses in this process (one per URI)."""
    import mlflow

    uri = mlflow.get_tracking_uri()
    with _lock:
        facade = _facades.get(uri)
        if facade is None:
            facade = _facades[uri] = TrackingFacade(resolve_backend(uri))
        return facade
