"""Is the tracking server there, and pointing this process at its spool while it is not."""

from __future__ import annotations

import os

from ..backend.health import NoAnswer, ask_tracking_server
from ..backend.store import MLFLOW_ARTIFACT_ROOT_ENV, activate
from .spool import OfflineSpool

SERVER_PROBE_SECONDS = 3.0


def server_unreachable(server_uri: str, timeout: float = SERVER_PROBE_SECONDS) -> str | None:
    """Why the server cannot take runs now (no connection, no answer, a 5xx answer), or
    None. A refusal (401, 403) is not an outage: the user must hear it, not be sent
    offline."""
    try:
        status = ask_tracking_server(server_uri, timeout)
    except NoAnswer as error:
        return str(error)
    return f"HTTP {status}" if status >= 500 else None


class OfflineRedirect:
    """MLflow's fluent API and new clients write to the spool until ``leave``."""

    def __init__(self, spool: OfflineSpool) -> None:
        self.spool = spool
        self._previous: tuple[str, str, str | None] | None = None

    def enter(self) -> OfflineRedirect:
        import mlflow

        self._previous = (
            mlflow.get_tracking_uri(),
            mlflow.get_registry_uri(),
            os.environ.get(MLFLOW_ARTIFACT_ROOT_ENV),
        )
        activate(self.spool.location)
        return self

    def leave(self) -> None:
        import mlflow

        if self._previous is None:
            return
        tracking, registry, artifact_root = self._previous
        self._previous = None
        mlflow.set_tracking_uri(tracking)
        mlflow.set_registry_uri(registry)
        if artifact_root is None:
            os.environ.pop(MLFLOW_ARTIFACT_ROOT_ENV, None)
        else:
            os.environ[MLFLOW_ARTIFACT_ROOT_ENV] = artifact_root
