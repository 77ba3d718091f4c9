"""Routes over experiments, artifacts and registered models."""

from __future__ import annotations

import tornado.web

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
        self.write_json(
            await self.call(model_detail, labtrack.facade, name, labtrack.approval_policy)
        )


class ArtifactsHandler(LabtrackHandler):
    """One directory level of a run's artifacts."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        path = self.raw_argument("path")
        self.write_json(await self.call(self.labtrack.facade.artifact_listing, run_id, path))


class ArtifactFileHandler(LabtrackHandler):
    """One artifact, as a download (raster images inline; HTML inline for a sandboxed
    preview with ``preview=html``), never sniffed."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        path = self.raw_argument("path")
        preview = self.get_query_argument("preview", "")
        found = await self.call(self.labtrack.facade.artifact_file, run_id, path)
        try:
            for name, value in artifact_headers(found, preview).items():
                self.set_header(name, value)
            with open(found.local_path, "rb") as handle:
                while chunk := handle.read(STREAM_CHUNK):
                    self.write(chunk)
                    await self.flush()
            self.finish()
        finally:
            found.cleanup()
