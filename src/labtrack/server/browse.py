"""Routes over experiments, artifacts and registered models."""

from __future__ import annotations

import re

import tornado.web

from ..backend.artifacts import valid_artifact_page_size
from ..backend.errors import InvalidQuery
from ..backend.queries import valid_page_size
from ..registry.catalog import list_models, model_detail
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
    """One artifact, as a download (raster images inline), never sniffed. Opened and read
    on the artifact threads, and only if it is a regular file."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        path = self.raw_argument("path")
        found = await self.artifact_call(self.labtrack.facade.artifact_file, run_id, path)
        try:
            self.set_header("Content-Type", found.content_type)
            self.set_header("Content-Length", str(found.size))
            self.set_header("X-Content-Type-Options", "nosniff")
            # Even if a browser rendered it, an artifact may run no script.
            self.set_header("Content-Security-Policy", "default-src 'none'; sandbox")
            disposition = "inline" if found.inline else "attachment"
            self.set_header("Content-Disposition", f"{disposition}; {_filename(found.name)}")
            while chunk := await self.artifact_call(found.read, STREAM_CHUNK):
                self.write(chunk)
                await self.flush()
            self.finish()
        finally:
            found.cleanup()


def _filename(name: str) -> str:
    from urllib.parse import quote

    # The plain filename= is for old clients: anything but a safe character becomes "_".
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", name)
    return f"filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
