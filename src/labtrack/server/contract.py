"""The shapes the REST API sends, declared once; ``js/lab/tokens.ts`` mirrors them."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
