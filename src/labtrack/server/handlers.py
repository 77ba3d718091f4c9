"""Thin handlers: parse the request, ask the domain layer off the event loop, write JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass

import tornado.web
from jupyter_server.base.handlers import APIHandler

from ..backend.errors import AccessDenied, BackendUnavailable, Conflict, InvalidQuery, NotFound
from .contract import ErrorResponse
from .identity import NamedIdentityRequired
from .limits import BackendTimeout
from .status import read_status

# Most specific first. AccessDenied: the tracking server refused labtrack's credentials
# or their permissions; NamedIdentityRequired: the caller has no name to act under.
STATUS_OF = {
    InvalidQuery: 400,
    AccessDenied: 403,
    NamedIdentityRequired: 403,
    NotFound: 404,
    Conflict: 409,
    BackendTimeout: 504,
    BackendUnavailable: 503,
}


class LabtrackHandler(APIHandler):
    """Base of every labtrack route: domain errors become 400/403/404/409/503 JSON, never a
    traceback."""

    @property
    def labtrack(self):
        return self.settings["labtrack"]

    async def call(self, function, *args):
        """Run a blocking domain call on the extension's threads, bounded in time (504,
        or 503 when no thread came free); map its errors."""
        return await self._mapped(self.labtrack.run_blocking(function, *args))

    async def artifact_call(self, function, *args):
        """As ``call``, on the artifact threads and the artifact store's time bound."""
        return await self._mapped(self.labtrack.run_artifact_call(function, *args))

    @staticmethod
    async def _mapped(pending):
        try:
            return await pending
        except tuple(STATUS_OF) as error:
            raise tornado.web.HTTPError(status_of(error), str(error)) from None

    def write_json(self, payload) -> None:
        if is_dataclass(payload):
            payload = asdict(payload)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload, allow_nan=False))

    def list_argument(self, name: str) -> list[str]:
        """A list given as repeated (``?a=1&a=2``) or comma-separated (``?a=1,2``) values."""
        values: list[str] = []
        for raw in self.get_query_arguments(name):
            values.extend(part for part in raw.split(",") if part.strip())
        return [value.strip() for value in values]

    def raw_argument(self, name: str) -> str:
        """A query argument exactly as sent: Tornado's own accessor blanks control
        characters, which would hide a NUL byte from the path validator."""
        values = self.request.query_arguments.get(name)
        if not values:
            return ""
        try:
            return values[-1].decode("utf-8")
        except UnicodeDecodeError:
            raise tornado.web.HTTPError(400, f"{name} is not valid UTF-8") from None

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason or "error"
        message = reason
        exc_info = kwargs.get("exc_info")
        if exc_info is not None and isinstance(exc_info[1], tornado.web.HTTPError):
            message = exc_info[1].log_message or reason
        elif status_code >= 500:
            message = "internal error in labtrack; the server log has the details"
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(asdict(ErrorResponse(error=reason, message=message))))


def status_of(error: Exception) -> int:
    return next(code for kind, code in STATUS_OF.items() if isinstance(error, kind))


class StatusHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        status = await self.call(read_status, self.labtrack.location)
        self.write_json(status.to_json())
