"""What waits to be sent to a backend's tracking server, and sending it, as the Jupyter
server sees it (the sidebar's "not synced" marks and its "Sync now" button).

Only a tracking server (an ``http(s)`` tracking URI) can be away while this machine
works on, so only a server has a spool and journals here; any other backend waits for
nothing. Nothing in this module knows Tornado: the handlers in
``labtrack.server.offline`` call it off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..backend.errors import Conflict
from ..backend.location import BackendLocation, labtrack_home
from .spool import spool_for
from .sync import (
    OfflineRun,
    SyncedRun,
    is_server,
    pending_for_server,
    pending_journals,
    sync_server,
    unsynced_runs,
)


@dataclass(frozen=True)
class JournalView:
    """One journal: what runs that exist on the server still owe it."""

    run_ids: list[str]
    points: int
    operations: int


@dataclass(frozen=True)
class OfflineBacklog:
    """``GET offline``: the server (credentials removed; None when the backend is not a
    tracking server), its runs kept offline and not sent yet (parents first), and the
    journals of runs the server already has."""

    server: str | None
    unsynced: list[OfflineRun]
    journals: list[JournalView]


@dataclass(frozen=True)
class SyncOutcome:
    """``POST offline/sync``: what one sync did. ``reachable`` false means nothing was
    sent and ``reason`` says why; ``synced`` maps each offline run id to the id the
    server gave its copy; ``notes`` are the journals' replay notes; ``lines`` says it all
    in words, as ``%track sync`` prints it."""

    server: str
    reachable: bool
    reason: str | None
    synced: list[SyncedRun]
    notes: list[str]
    still_running: list[str]
    problems: list[str]
    lines: list[str]


def read_backlog(location: BackendLocation, home: Path | None = None) -> OfflineBacklog:
    if not is_server(location.tracking_uri):
        return OfflineBacklog(server=None, unsynced=[], journals=[])
    home = labtrack_home() if home is None else home
    spool = spool_for(location.tracking_uri, home)
    pending = pending_for_server(home, location.tracking_uri)
    journals = []
    for path in pending_journals(pending):
        contents = pending.contents(path)
        if contents is None:  # deleted (replayed) since it was listed
            continue
        journals.append(
            JournalView(
                run_ids=sorted(run_id for run_id in contents.run_ids if run_id),
                points=contents.points,
                operations=contents.operations,
            )
        )
    return OfflineBacklog(
        server=location.display_uri(), unsynced=unsynced_runs(spool), journals=journals
    )


def send_backlog(
    location: BackendLocation,
    home: Path | None = None,
    *,
    probe: Callable[[], str | None] | None = None,
    owner_alive: Callable[[dict[str, str]], bool] | None = None,
) -> SyncOutcome:
    """Probe the server, then send its spooled runs and journals exactly once (see
    ``sync.py``). A run still RUNNING in a live kernel is left for later."""
    if not is_server(location.tracking_uri):
        raise Conflict(
            f"the tracking backend {location.display_uri()} is not a tracking server: "
            "nothing is kept offline for it"
        )
    home = labtrack_home() if home is None else home
    uri = location.tracking_uri
    if probe is None:
        from .redirect import server_unreachable

        def probe() -> str | None:
            return server_unreachable(uri)

    if owner_alive is None:
        owner_alive = _owner_alive_seen_from_here()
    report = sync_server(
        uri,
        spool_for(uri, home),
        pending_for_server(home, uri),
        owner_alive=owner_alive,
        probe=probe,
    )
    return SyncOutcome(
        server=report.server,
        reachable=report.reachable,
        reason=None if report.reachable else (report.problems or ["unreachable"])[0],
        synced=list(report.synced),
        notes=list(report.journal_notes),
        still_running=list(report.still_running),
        problems=list(report.problems),
        lines=report.lines(),
    )


def _owner_alive_seen_from_here() -> Callable[[dict[str, str]], bool]:
    """Whether a RUNNING run's kernel lives, judged from this (non-kernel) process."""
    from ..runtime.liveness import ProcessIdentity, owner_is_dead

    me = ProcessIdentity.current()
    return lambda tags: not owner_is_dead(tags, me)
