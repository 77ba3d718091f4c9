"""The shapes the REST API sends, declared once; ``js/lab/tokens.ts`` mirrors them.

Responses are the façade's dataclasses (``labtrack.backend.shapes`` and
``labtrack.backend.queries``) sent with ``dataclasses.asdict``; the status route's
shapes live here. ``CONTRACT`` pairs each with its TypeScript interface, and a test
checks that names and field types agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..backend import shapes
from ..backend.queries import MetricSeries, RunPage, RunRow


@dataclass(frozen=True)
class BackendInfo:
    kind: str
    tracking_uri: str
    artifact_root: str | None
    source: str


@dataclass(frozen=True)
class StatusResponse:
    labtrack_version: str
    mlflow_version: str
    backend: BackendInfo
    reachable: bool
    error: str | None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ErrorResponse:
    error: str
    message: str


CONTRACT: list[tuple[type, str]] = [
    (StatusResponse, "IStatus"),
    (BackendInfo, "IBackendInfo"),
    (ErrorResponse, "IErrorResponse"),
    (RunRow, "IRunRow"),
    (RunPage, "IRunPage"),
    (MetricSeries, "IMetricSeries"),
    *[
        (getattr(shapes, name), f"I{name}")
        for name in (
            "ExperimentView",
            "ExperimentPage",
            "RunColumns",
            "RunInfoView",
            "RunLink",
            "DatasetView",
            "LoggedModelView",
            "RegisteredVersionLink",
            "RunDetail",
            "ArtifactEntry",
            "ArtifactListing",
            "CompareRun",
            "CompareParamColumn",
            "CompareMetricColumn",
            "CompareMatrix",
            "VersionStage",
            "ModelSummary",
            "ModelPage",
            "ModelVersionView",
            "ModelDetail",
        )
    ],
]
