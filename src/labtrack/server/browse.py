"""Routes over experiments, artifacts and registered models."""

from __future__ import annotations

import tornado.web

from ..backend.artifacts import valid_artifact_page_size
from ..backend.errors import InvalidQuery
from ..backend.queries import valid_page_size
from ..registry.catalog import list_models, model_detail
from .artifact_headers import artifact_headers
from .handlers import LabtrackHandler

STREAM_CHUNK = 256 * 1024


class ExperimentsHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        name, page_size, token = self._paging()
        facade = self.labtrack.facade
        self.write_json(await self.call(facade.experiments, name, page_size, token))

    def _paging(self) -> tuple[str, int, str | None]:
        try:
            page_size = valid_page_size(self.get_query_argument("page_size", None))
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        name = self.get_query_argument("name", "").strip()
        return name, page_size, self.get_query_argument("page_token", None) or None


class ModelsHandler(ExperimentsHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        name, page_size, token = self._paging()
        facade = self.labtrack.facade
        self.write_json(await self.call(list_models, facade, name, page_size, token))


class ModelHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self, name: str) -> None:
        labtrack = self.labtrack
        reader = labtrack.registry("reader")  # verifies with the key; acts as nobody
        self.write_json(await self.call(model_detail, labtrack.facade, name, reader))


class ArtifactsHandler(LabtrackHandler):
    """One page of one directory level of a run's artifacts."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        path = self.raw_argument("path")
        try:
            page_size = valid_artifact_page_size(self.get_query_argument("page_size", None))
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        token = self.raw_argument("page_token") or None
        facade = self.labtrack.facade
        listing = await self.artifact_call(facade.artifact_listing, run_id, path, page_size, token)
        self.write_json(listing)


class ArtifactFileHandler(LabtrackHandler):
    """One artifact, as a download (raster images inline; HTML inline for a sandboxed
    preview with ``preview=html``), never sniffed. Opened and read on the artifact
    threads, and only if it is a regular file."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        path = self.raw_argument("path")
        preview = self.get_query_argument("preview", "")
        found = await self.artifact_call(self.labtrack.facade.artifact_file, run_id, path)
        try:
            for name, value in artifact_headers(found, preview).items():
                self.set_header(name, value)
            while chunk := await self.artifact_call(found.read, STREAM_CHUNK):
                self.write(chunk)
                await self.flush()
            self.finish()
        finally:
            found.cleanup()
