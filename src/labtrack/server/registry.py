"""Registry write routes (and the audit trail): thin handlers over ``labtrack.registry``.

Every write is authenticated and then asked of Jupyter's authorizer as action "write" on
resource "labtrack"; the registry acts as the Jupyter identity's username.
"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..backend.errors import InvalidQuery
from ..registry import ModelRegistry
from ..registry.catalog import model_detail
from . import contract
from .bodies import parse_body
from .handlers import LabtrackHandler, status_of
from .identity import NamedIdentityRequired, acting_user

RESOURCE = "labtrack"


class RegistryHandler(LabtrackHandler):
    auth_resource = RESOURCE

    def registry(self) -> ModelRegistry:
        """The registry acting as this request's named user (403 when it has none)."""
        settings = self.labtrack.settings
        anonymous_ok = settings.anonymous_as_server_user if settings is not None else True
        try:
            return self.labtrack.registry(acting_user(self, anonymous_ok))
        except (NamedIdentityRequired, InvalidQuery) as error:
            raise tornado.web.HTTPError(status_of(error), str(error)) from None

    def reader(self) -> ModelRegistry:
        """A registry for reading only (verifying needs the key, not a user)."""
        return self.labtrack.registry("reader")

    def body(self, shape: type):
        try:
            return parse_body(self.request.body, shape)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None

    async def detail(self, name: str) -> None:
        labtrack = self.labtrack
        self.write_json(await self.call(model_detail, labtrack.facade, name, self.reader()))


class VersionsHandler(RegistryHandler):
    """``POST models/{name}/versions``: register a run's model as a new version."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self, name: str) -> None:
        body = self.body(contract.RegisterRequest)
        registry = self.registry()
        version = await self.call(
            registry.register, body.run_id, name, body.path, body.alias, body.tags, body.reason
        )
        detail = await self.call(model_detail, self.labtrack.facade, version.name, self.reader())
        number = str(version.version)
        self.set_status(201)
        self.write_json(next(v for v in detail.versions if v.version == number))


class AliasHandler(RegistryHandler):
    """``PUT``/``DELETE models/{name}/aliases/{alias}``: move or remove an alias."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def put(self, name: str, alias: str) -> None:
        body = self.body(contract.AliasRequest)
        await self.call(self.registry().set_alias, name, alias, body.version, body.reason)
        await self.detail(name)

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def delete(self, name: str, alias: str) -> None:
        reason = self.get_query_argument("reason", "")
        await self.call(self.registry().delete_alias, name, alias, reason)
        await self.detail(name)


class StageHandler(RegistryHandler):
    """``POST models/{name}/versions/{v}/stage``: transition the stage (and, with
    ``alias``, move it too: one promotion, approvals checked for both first)."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self, name: str, version: str) -> None:
        body = self.body(contract.StageRequest)
        await self.call(
            self.registry().promote,
            name,
            version,
            body.alias,
            body.stage,
            body.archive_existing,
            body.reason,
        )
        await self.detail(name)


class RollbackHandler(RegistryHandler):
    """``POST models/{name}/rollback``: the alias back to its previous holder."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self, name: str) -> None:
        body = self.body(contract.RollbackRequest)
        await self.call(self.registry().rollback, name, body.alias, body.reason)
        await self.detail(name)


class ApprovalsHandler(RegistryHandler):
    """``POST models/{name}/versions/{v}/approvals``: approve as the current user."""

    @tornado.web.authenticated
    @authorized("write", resource=RESOURCE)
    async def post(self, name: str, version: str) -> None:
        body = self.body(contract.ApprovalRequest)
        registry = self.registry()
        users = await self.call(registry.approve, name, version, body.reason)
        policy = await self.call(registry.policy, name)
        self.write_json(
            contract.ApprovalState(
                model=name,
                version=version,
                approvers=users,
                required=policy.required,
                protected=sorted(policy.protected),
            )
        )


class AuditHandler(RegistryHandler):
    """``GET models/{name}/audit``: the audit trail, oldest first."""

    @tornado.web.authenticated
    async def get(self, name: str) -> None:
        entries = await self.call(self.reader().history, name)
        self.write_json(contract.AuditTrail(model=name, entries=entries))


__all__ = [
    "AliasHandler",
    "ApprovalsHandler",
    "AuditHandler",
    "RollbackHandler",
    "StageHandler",
    "VersionsHandler",
]
