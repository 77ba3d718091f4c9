"""This kernel's offline work: what is waiting for its tracking server, and sending it."""

from __future__ import annotations

from ..backend.location import labtrack_home
from ..runtime.liveness import ProcessIdentity, owner_is_dead
from .auto_sync import AutoSync
from .redirect import server_unreachable
from .spool import spool_for
from .sync import (
    SyncReport,
    is_server,
    pending_for_server,
    pending_journals,
    sync_server,
    unsynced_runs,
)


class OfflineWork:
    """Spooled runs and journals of one tracking URI, as this kernel sees them."""

    def __init__(self, tracking_uri: str, identity: ProcessIdentity) -> None:
        self.tracking_uri = tracking_uri
        self.identity = identity
        home = labtrack_home()
        self.spool = spool_for(tracking_uri, home)
        self.pending = pending_for_server(home, tracking_uri)

    def has_work(self) -> bool:
        runs = unsynced_runs(self.spool) if is_server(self.tracking_uri) else []
        return bool(runs or pending_journals(self.pending))

    def sync(self) -> SyncReport:
        return sync_server(
            self.tracking_uri,
            self.spool,
            self.pending,
            owner_alive=lambda tags: not owner_is_dead(tags, self.identity),
            probe=self._probe,
        )

    def _probe(self) -> str | None:
        return server_unreachable(self.tracking_uri) if is_server(self.tracking_uri) else None

    def auto_sync(self, tell) -> AutoSync:
        return AutoSync(self.sync, self.has_work, tell)
