"""Write routes over runs: rename and describe, tags, the Trash; thin handlers over
``labtrack.backend.run_edits`` and ``run_lifecycle``.

Every write is authenticated and then asked of Jupyter's authorizer as action "write" on
resource "labtrack", like the registry's writes; XSRF stays on (cookie callers send
Jupyter's token). Bad input is 400 with the reason, unknown runs 404, a run in the wrong
lifecycle stage 409, and nothing is half-applied.
"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..backend.errors import InvalidQuery
from ..backend.run_edits import RunEditor
from ..backend.run_families import run_families, valid_family_ids
from ..backend.run_lifecycle import ACTIVE, DELETED, change_lifecycle, valid_run_ids
from . import contract
from .bodies import parse_body
from .handlers import LabtrackHandler
from .runs import RunHandler

RESOURCE = "labtrack"


class _RunWrites:
    """What the write handlers share: the body as a contract shape, the run editor."""

    auth_resource = RESOURCE

    def body(self, shape: type):
        try:
            return parse_body(self.request.body, shape)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None

    def editor(self) -> RunEditor:
        return RunEditor(self.labtrack.facade.client)


class EditableRunHandler(_RunWrites, RunHandler):
    """``GET`` (details), ``PATCH`` (name, description) and ``DELETE`` (to the Trash)
    ``runs/{id}``."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def patch(self, run_id: str) -> None:
        body = self.body(contract.RunEditRequest)
        self.write_json(await self.call(self.editor().edit, run_id, body.name, body.description))

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def delete(self, run_id: str) -> None:
        self.write_json(await self.call(self.editor().delete, run_id))


class RestoreRunHandler(_RunWrites, LabtrackHandler):
    """``POST runs/{id}/restore``: back from the Trash."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self, run_id: str) -> None:
        self.write_json(await self.call(self.editor().restore, run_id))


class RunTagHandler(_RunWrites, LabtrackHandler):
    """``PUT``/``DELETE runs/{id}/tags/{key}``: a person's own tags."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def put(self, run_id: str, key: str) -> None:
        body = self.body(contract.TagRequest)
        self.write_json(await self.call(self.editor().set_tag, run_id, key, body.value))

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def delete(self, run_id: str, key: str) -> None:
        self.write_json(await self.call(self.editor().delete_tag, run_id, key))


class _BulkLifecycleHandler(_RunWrites, LabtrackHandler):
    target = DELETED

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self) -> None:
        body = self.body(contract.RunIdsRequest)
        try:
            run_ids = valid_run_ids(body.run_ids)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        client = self.labtrack.facade.client
        outcome = await self.call(change_lifecycle, client, run_ids, self.target)
        if outcome.failed:
            missing = any(f.problem == "not-found" for f in outcome.failed)
            self.set_status(404 if missing else 409)
        self.write_json(outcome)


class DeleteRunsHandler(_BulkLifecycleHandler):
    """``POST runs/delete``: up to 1,000 runs to the Trash, all or nothing."""

    target = DELETED


class RestoreRunsHandler(_BulkLifecycleHandler):
    """``POST runs/restore``: up to 1,000 runs back from the Trash, all or nothing."""

    target = ACTIVE


class RunFamiliesHandler(_RunWrites, LabtrackHandler):
    """``POST runs/families``: child counts and statuses of up to 1,000 runs (a read: the
    ids travel in the body, as for ``compare``)."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.body(contract.RunIdsRequest)
        try:
            run_ids = valid_family_ids(body.run_ids)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        self.write_json(await self.call(run_families, self.labtrack.facade, run_ids))
