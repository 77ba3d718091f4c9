"""Routes over a run's images (``backend/media.py``) and metric values at a chosen step.

The image index and its pages are read from artifact names on the artifact threads, with
the artifact store's time bound; the images themselves are served by the artifact file
route (safe paths, regular files only, ``nosniff``)."""

from __future__ import annotations

import tornado.web

from ..backend.errors import InvalidQuery
from ..backend.media import FILES, STEPPED, valid_page
from ..backend.queries import MAX_COMPARE_RUNS, bounded_int
from .bodies import read_json
from .handlers import LabtrackHandler

MAX_AT_STEP_KEYS = 200


class MediaHandler(LabtrackHandler):
    """``GET runs/{id}/media``: the run's image groups, steps and timestamps."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        self.write_json(await self.artifact_call(self.labtrack.facade.media_index, run_id))


class MediaItemsHandler(LabtrackHandler):
    """``GET runs/{id}/media/items?key=&kind=&offset=&limit=`` (or ``step=``: the page starts
    at the image whose step is nearest)."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        key = self.get_query_argument("key", "")
        kind = self.get_query_argument("kind", STEPPED)
        if not key or kind not in (STEPPED, FILES):
            raise tornado.web.HTTPError(400, f"key is required and kind is {STEPPED} or {FILES}")
        try:
            offset, limit, step = valid_page(
                self.get_query_argument("offset", None),
                self.get_query_argument("limit", None),
                self.get_query_argument("step", None),
            )
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        facade = self.labtrack.facade
        page = await self.artifact_call(facade.media_page, run_id, kind, key, offset, limit, step)
        self.write_json(page)


class CompareAtStepHandler(LabtrackHandler):
    """``POST compare/at-step`` ``{"run_ids": […], "step": S, "keys": […]}``."""

    @tornado.web.authenticated
    async def post(self) -> None:
        try:
            body = read_json(self.request.body)
            if not isinstance(body, dict):
                raise InvalidQuery("the body must be a JSON object")
            run_ids, keys = body.get("run_ids"), body.get("keys", [])
            for name, value in (("run_ids", run_ids), ("keys", keys)):
                if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
                    raise InvalidQuery(f"{name} must be a list of strings")
            step = body.get("step")
            if isinstance(step, bool) or not isinstance(step, int):
                raise InvalidQuery("step must be an integer")
            step = bounded_int(str(step), "step", 0, -(2**63), 2**63 - 1)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        run_ids = list(dict.fromkeys(run_ids))
        if not 1 <= len(run_ids) <= MAX_COMPARE_RUNS or len(keys) > MAX_AT_STEP_KEYS:
            raise tornado.web.HTTPError(
                400, f"1 to {MAX_COMPARE_RUNS} runs and at most {MAX_AT_STEP_KEYS} keys"
            )
        facade = self.labtrack.facade
        self.write_json(await self.call(facade.values_at_step, run_ids, step, list(keys)))
