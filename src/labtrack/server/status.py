"""What ``GET status`` reports: versions, the resolved backend and whether it answers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .._version import __version__
from ..backend import BackendLocation, prepare_backend
from ..backend.health import probe
from .contract import BackendInfo, StatusResponse


def read_status(location: BackendLocation) -> StatusResponse:
    error: str | None = None
    try:
        prepare_backend(location)
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"
    reachability = probe(location)
    return StatusResponse(
        labtrack_version=__version__,
        mlflow_version=_installed_version("mlflow", "mlflow-skinny"),
        backend=BackendInfo(
            kind=location.kind,
            tracking_uri=location.display_uri(),
            artifact_root=location.artifact_root,
            source=location.source,
        ),
        reachable=error is None and reachability.reachable,
        error=error or reachability.error,
        unauthorized=error is None and reachability.unauthorized,
    )


def _installed_version(*distributions: str) -> str:
    """The version of the first installed distribution (full MLflow, else the skinny one)."""
    for distribution in distributions:
        try:
            return version(distribution)
        except PackageNotFoundError:
            continue
    return "unknown"
