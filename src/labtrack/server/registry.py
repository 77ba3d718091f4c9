"""Registry write routes (and the audit trail): thin handlers over ``labtrack.registry``.

Every write is authenticated and then asked of Jupyter's authorizer as action "write" on
resource "labtrack"; the registry acts as the Jupyter identity's username.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..backend.errors import InvalidQuery
from ..registry import ModelRegistry
from ..registry.catalog import model_detail
from . import contract
from .handlers import LabtrackHandler

RESOURCE = "labtrack"


def parse_body(raw: bytes, shape: type):
    """The request body as ``shape`` (a contract dataclass); wrong JSON or types → 400."""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise InvalidQuery("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidQuery("the request body must be a JSON object")
    hints = typing.get_type_hints(shape)
    fields = {f.name: f for f in dataclasses.fields(shape)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise InvalidQuery(f"unknown field(s): {', '.join(unknown)}")
    for name, field in fields.items():
        required = field.default is dataclasses.MISSING and (
            field.default_factory is dataclasses.MISSING
        )
        if name not in data:
            if required:
                raise InvalidQuery(f"field {name!r} is required")
            continue
        if not _matches(data[name], hints[name]):
            raise InvalidQuery(f"field {name!r} has the wrong type")
    return shape(**data)


def _matches(value, hint) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if origin is list:
        return isinstance(value, list) and all(_matches(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
    if hint is bool:
        return isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return False


class RegistryHandler(LabtrackHandler):
    auth_resource = RESOURCE

    def registry(self) -> ModelRegistry:
        user = self.current_user
        name = getattr(user, "username", None) or getattr(user, "name", None) or str(user)
        return ModelRegistry(
            self.labtrack.facade.client, user=name, default_policy=self.labtrack.approval_policy
        )

    def body(self, shape: type):
        try:
            return parse_body(self.request.body, shape)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None

    async def detail(self, name: str) -> None:
        labtrack = self.labtrack
        self.write_json(
            await self.call(model_detail, labtrack.facade, name, labtrack.approval_policy)
        )


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
        detail = await self.call(
            model_detail, self.labtrack.facade, version.name, self.labtrack.approval_policy
        )
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
        entries = await self.call(self.registry().history, name)
        self.write_json(contract.AuditTrail(model=name, entries=entries))


__all__ = [
    "AliasHandler",
    "ApprovalsHandler",
    "AuditHandler",
    "RollbackHandler",
    "StageHandler",
    "VersionsHandler",
]
