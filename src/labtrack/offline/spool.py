"""Where runs go when their tracking server cannot be reached as they start.

One spool per tracking server: ``LABTRACK_HOME/offline/<host>-<hash>/`` holding an
MLflow SQLite store and its artifacts, exactly like the embedded backend. A tracked
cell that starts while the server is unreachable runs against it, so everything
MLflow's API logs in the cell (metrics, params, tags, artifacts, nested runs) is
kept, and the live plot reads it as it reads the embedded store.

Runs of a spool carry ``labtrack.offline.server`` (the server they belong to, its
password removed); once sent, ``labtrack.offline.synced_run_id`` records the id the
server gave them (a REST server chooses its own run ids), and the server's copy
carries ``labtrack.offline.run_id``, the spool's id: the mapping both ways.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..backend.location import BackendLocation, embedded_location, labtrack_home, redact_credentials

OFFLINE_DIRNAME = "offline"
SERVER_TAG = "labtrack.offline.server"
SYNCED_RUN_TAG = "labtrack.offline.synced_run_id"
SPOOL_RUN_TAG = "labtrack.offline.run_id"


@dataclass(frozen=True)
class OfflineSpool:
    """The local store standing in for one tracking server while it is away."""

    server_uri: str
    folder: Path

    @property
    def location(self) -> BackendLocation:
        return embedded_location(self.folder)

    @property
    def tracking_uri(self) -> str:
        return self.location.tracking_uri

    @property
    def server_display_uri(self) -> str:
        return redact_credentials(self.server_uri)

    @property
    def exists(self) -> bool:
        database = self.location.database_path
        return database is not None and database.exists()

    @property
    def sync_lock(self) -> Path:
        return self.folder / ".sync.lock"


def spool_for(server_uri: str, home: Path | None = None) -> OfflineSpool:
    """The spool of ``server_uri`` (not created until a run needs it)."""
    home = labtrack_home() if home is None else home
    return OfflineSpool(server_uri, home / OFFLINE_DIRNAME / spool_name(server_uri))


def spool_name(server_uri: str) -> str:
    """``host-port-<hash>``: readable, and distinct for two servers on one host."""
    parts = urlsplit(server_uri)
    readable = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.hostname or 'server'}-{parts.port or ''}")
    digest = hashlib.sha256(redact_credentials(server_uri).encode()).hexdigest()[:10]
    return f"{readable.strip('-')}-{digest}"
