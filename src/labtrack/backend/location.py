"""Where runs live: one resolution shared by the kernel and the server extension.

Order: an explicit setting → ``MLFLOW_TRACKING_URI`` → the embedded default
(one SQLite database and one artifact folder under the per-user labtrack home).
The embedded default is per user, not per working directory, so a kernel started
in one folder and a Jupyter server started in another see the same runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

HOME_ENV = "LABTRACK_HOME"
TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"
REGISTRY_URI_ENV = "MLFLOW_REGISTRY_URI"
DATABASE_FILENAME = "mlflow.db"
ARTIFACTS_DIRNAME = "artifacts"


class BackendKind(StrEnum):
    EMBEDDED = "embedded"
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"
    REST = "rest"
    FILE = "file"
    OTHER = "other"


class LocationSource(StrEnum):
    EXPLICIT = "explicit"
    ENV = "env"
    EMBEDDED = "embedded"


@dataclass(frozen=True)
class BackendLocation:
    """A resolved tracking backend: what MLflow should be pointed at."""

    tracking_uri: str
    registry_uri: str
    kind: BackendKind
    source: LocationSource
    # Set for the embedded backend only: MLflow's SQLite store would otherwise put
    # the artifacts of new experiments under ``./mlruns`` of whichever process
    # created them.
    artifact_root: str | None = None

    @property
    def is_embedded(self) -> bool:
        return self.kind is BackendKind.EMBEDDED

    @property
    def database_path(self) -> Path | None:
        """The SQLite file behind the location, when there is one."""
        if self.kind not in (BackendKind.EMBEDDED, BackendKind.SQLITE):
            return None
        path = self.tracking_uri.removeprefix("sqlite:///")
        if not path or path == ":memory:":
            return None
        return Path(path)

    def display_uri(self) -> str:
        """The tracking URI with any password removed, safe to show or log."""
        return redact_credentials(self.tracking_uri)


def labtrack_home(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user folder holding the embedded store (``LABTRACK_HOME`` overrides it)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(HOME_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(platformdirs.user_data_dir("labtrack", appauthor=False))


def embedded_location(home: Path) -> BackendLocation:
    database = home / DATABASE_FILENAME
    uri = f"sqlite:///{database}"
    return BackendLocation(
        tracking_uri=uri,
        registry_uri=uri,
        kind=BackendKind.EMBEDDED,
        source=LocationSource.EMBEDDED,
        artifact_root=str(home / ARTIFACTS_DIRNAME),
    )


def resolve_backend(
    explicit_uri: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> BackendLocation:
    """Resolve the tracking backend the same way in every labtrack process."""
    environ = os.environ if environ is None else environ
    if explicit_uri and explicit_uri.strip():
        return _from_uri(explicit_uri.strip(), LocationSource.EXPLICIT, environ)
    from_env = environ.get(TRACKING_URI_ENV, "").strip()
    if from_env:
        return _from_uri(from_env, LocationSource.ENV, environ)
    return embedded_location(labtrack_home(environ))


def _from_uri(uri: str, source: LocationSource, environ: Mapping[str, str]) -> BackendLocation:
    if "://" not in uri and not uri.startswith(("databricks", "sqlite:")):
        # MLflow reads a bare path as a file store; say so explicitly.
        uri = Path(uri).expanduser().resolve().as_uri()
    registry = environ.get(REGISTRY_URI_ENV, "").strip() or uri
    return BackendLocation(
        tracking_uri=uri, registry_uri=registry, kind=kind_of(uri), source=source
    )


def kind_of(uri: str) -> BackendKind:
    scheme = urlsplit(uri).scheme.split("+", 1)[0].lower()
    if scheme == "sqlite":
        return BackendKind.SQLITE
    if scheme in ("postgresql", "postgres"):
        return BackendKind.POSTGRESQL
    if scheme == "mysql":
        return BackendKind.MYSQL
    if scheme in ("http", "https"):
        return BackendKind.REST
    if scheme == "file":
        return BackendKind.FILE
    return BackendKind.OTHER


def redact_credentials(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
