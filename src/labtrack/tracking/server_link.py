"""A tracked cell and its tracking server: a spool when the server is away as the cell
starts, a journal when it goes away during the cell.

Away at the start (and ``offline_fallback`` on): the cell's runs go to the server's
local spool store (``labtrack.offline``), so all of MLflow works in the cell, and are
sent when the server answers again. Lost during the cell: the metric sink journals the
points, and the runs' end (params, texts, errors, statuses) joins the journal instead of
MLflow's client retrying each write for minutes.
"""

from __future__ import annotations

from ..offline.redirect import OfflineRedirect, server_unreachable
from ..offline.spool import SERVER_TAG, spool_for
from ..offline.sync import is_server
from .cell_runs import CellRuns
from .journaled_end import journal_cell_end
from .run_end import CellEnd


class ServerLink:
    def __init__(self, tracking_uri: str) -> None:
        self.server_uri = tracking_uri if is_server(tracking_uri) else None
        self._redirect: OfflineRedirect | None = None

    def spool_if_unreachable(self) -> str | None:
        """Redirect the cell to the server's spool when the server does not answer; the
        notice to give the user, or None."""
        if self.server_uri is None:
            return None
        why = server_unreachable(self.server_uri)
        if why is None:
            return None
        spool = spool_for(self.server_uri)
        self._redirect = OfflineRedirect(spool).enter()
        return (
            f"the tracking server {spool.server_display_uri} is unreachable ({why}); "
            f"this cell's runs are kept offline in {spool.folder} and sent when the server "
            "answers again (%track sync sends them now)"
        )

    def tags(self) -> dict[str, str]:
        """Tags of a top-level run kept in the spool: which server it is meant for."""
        if self._redirect is None:
            return {}
        return {SERVER_TAG: self._redirect.spool.server_display_uri}

    def gone_meanwhile(self) -> bool:
        """The server does not answer as the cell ends (not: the cell is spooled). A sink
        still offline may just not have noticed the server is back: it tries again as it
        closes, and ``journal_in_use`` tells afterwards."""
        if self.server_uri is None or self._redirect is not None:
            return False
        return server_unreachable(self.server_uri) is not None

    def journal_in_use(self, report) -> bool:
        """The sink left points in the run's journal: the server did not take them."""
        return (
            self.server_uri is not None
            and self._redirect is None
            and report is not None
            and report.pending_file is not None
        )

    def journal_the_end(self, runs: CellRuns, end: CellEnd) -> str:
        from ..metrics.capture import pending_for

        assert self.server_uri is not None
        written = journal_cell_end(pending_for(self.server_uri), runs, end)
        if len(written) == 1:
            where = f"the run's end is kept in {written[0]}"
        else:
            where = f"the runs' end is kept in {written[0].parent}" if written else "nothing waits"
        return (
            f"the tracking server stopped answering: {where} "
            "and sent when it answers again (%track sync sends it now)"
        )

    def leave(self) -> str | None:
        """Leave the spool (if the cell was in it); what to tell the user."""
        if self._redirect is None:
            return None
        spool = self._redirect.spool
        self._redirect.leave()
        self._redirect = None
        return (
            f"kept offline in {spool.folder}: sent to {spool.server_display_uri} "
            "when it answers (%track sync sends it now)"
        )
