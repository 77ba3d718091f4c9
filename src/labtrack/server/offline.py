"""Routes over what waits to be sent to the tracking server: thin handlers over
``labtrack.offline.backlog``.

``GET offline`` lists it; ``POST offline/sync`` sends it, asked of Jupyter's authorizer
as action "write" on resource "labtrack", like the registry's writes.
"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..offline.backlog import read_backlog, send_backlog
from .handlers import LabtrackHandler

RESOURCE = "labtrack"


class OfflineHandler(LabtrackHandler):
    """``GET offline``: the server's runs kept offline and the journals of its runs."""

    @tornado.web.authenticated
    async def get(self) -> None:
        self.write_json(await self.call(read_backlog, self.labtrack.location))


class OfflineSyncHandler(LabtrackHandler):
    """``POST offline/sync``: probe the server, then send everything once. An unreachable
    server is an answer (200, ``reachable: false``), not an error."""

    auth_resource = RESOURCE

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self) -> None:
        self.write_json(await self.call(send_backlog, self.labtrack.location))
