"""Thin handlers: parse the request, ask the domain layer, write JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

import tornado.web
from jupyter_server.base.handlers import APIHandler

from .contract import ErrorResponse
from .status import read_status


class LabtrackHandler(APIHandler):
    """Base of every labtrack route: JSON errors, never a traceback."""

    @property
    def labtrack(self):
        return self.settings["labtrack"]

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason or "error"
        message = reason
        exc_info = kwargs.get("exc_info")
        if exc_info is not None and isinstance(exc_info[1], tornado.web.HTTPError):
            message = exc_info[1].log_message or reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(asdict(ErrorResponse(error=reason, message=message))))

    async def run_blocking(self, function, *args):
        """MLflow and SQL calls block; they run on the extension's thread pool."""
        return await self.labtrack.run_blocking(function, *args)


class StatusHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        status = await self.run_blocking(read_status, self.labtrack.location)
        self.finish(json.dumps(status.to_json()))
