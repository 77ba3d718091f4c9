"""The registry's write routes and audit trail, good and bad input, on an embedded store."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path

import pytest
from jupyter_server.auth import Authorizer, IdentityProvider, User
from mlflow import MlflowClient
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.registry import ApprovalPolicy, ModelRegistry, load_signer

_names = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An embedded store holding one run that logged a model; built once for the module."""
    home = tmp_path_factory.mktemp("registry-routes-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    return home, client, run_id, load_signer(environ={"LABTRACK_HOME": str(home)})


def as_user(store, user: str) -> ModelRegistry:
    """A kernel's registry on the server's store: the same key, so its entries verify."""
    return ModelRegistry(store[1], user=user, signer=store[3])


@pytest.fixture
def labtrack_home(store):
    return store[0]


class NamedUser(IdentityProvider):
    """Token callers are "alice" (Jupyter otherwise names each anonymous request anew)."""

    def generate_anonymous_user(self, handler):
        return User(username="alice", name="Alice")


class ReadOnly(Authorizer):
    """An authorizer that lets every signed-in user read but nobody write."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read"


@pytest.fixture
def authorizer_class():
    return None  # Jupyter's default: every authenticated user may do everything


@pytest.fixture
def jp_server_config(jp_server_config, authorizer_class):
    server = {**jp_server_config["ServerApp"], "identity_provider_class": NamedUser}
    if authorizer_class is not None:
        server["authorizer_class"] = authorizer_class
    return {**jp_server_config, "ServerApp": server}


@pytest.fixture
def api(labtrack_request, jp_server_config):
    async def call(*path, **request):
        return json.loads((await labtrack_request("models", *path, **request)).body)

    return call


@pytest.fixture
def model(store):
    """A fresh model with versions 1 and 2 (registered by the user "fixture")."""
    name = f"route-model-{next(_names)}"
    registry = as_user(store, "fixture")
    for _ in range(2):
        registry.register(store[2], name)
    return name


async def test_register_answers_the_new_version(api, store):
    body = {"run_id": store[2], "alias": "candidate", "tags": {"team": "ml"}, "reason": "first"}
    version = await api("registered", "versions", method="POST", body=body, expect=201)
    assert version["version"] == "1" and version["run_id"] == store[2]
    assert version["aliases"] == ["candidate"] and version["tags"]["team"] == "ml"
    assert version["approvers"] == []


@pytest.mark.parametrize(
    ("body", "expect", "message"),
    [
        ({}, 400, "field 'run_id' is required"),
        ({"run_id": 5}, 400, "wrong type"),
        ({"run_id": "x", "colour": "red"}, 400, "unknown field(s): colour"),
        ({"run_id": "0" * 32}, 404, "not found"),
        ({"run_id": "RUN", "path": "weights"}, 404, "logged no model at 'weights'"),
        ({"run_id": "RUN", "alias": "latest"}, 400, "reserved by MLflow"),
    ],
)
async def test_register_refuses_bad_input(api, store, body, expect, message):
    body = {k: store[2] if v == "RUN" else v for k, v in body.items()}
    answer = await api("bad-register", "versions", method="POST", body=body, expect=expect)
    assert message in answer["message"]


async def test_register_refuses_a_body_that_is_not_json(api):
    answer = await api("x", "versions", method="POST", raw_body=b"{not json", expect=400)
    assert answer["message"] == "the request body is not JSON"


async def test_an_alias_is_moved_and_deleted(api, model):
    detail = await api(model, "aliases", "champion", method="PUT", body={"version": "2"})
    assert detail["aliases"] == {"champion": "2"}
    detail = await api(model, "aliases", "champion", method="DELETE", params={"reason": "x"})
    assert detail["aliases"] == {}


@pytest.mark.parametrize(
    ("path", "body", "expect"),
    [
        (("aliases", "v3"), {"version": "1"}, 400),
        (("aliases", "latest"), {"version": "1"}, 400),
        (("aliases", "champion"), {"version": "9"}, 404),
        (("aliases", "champion"), {"version": "one"}, 400),
        (("aliases", "champion"), {}, 400),
    ],
)
async def test_moving_an_alias_refuses_bad_input(api, model, path, body, expect):
    await api(model, *path, method="PUT", body=body, expect=expect)


async def test_unknown_model_and_alias_are_404(api, model):
    move = {"version": "1"}
    await api("no-such-model", "aliases", "champion", method="PUT", body=move, expect=404)
    await api(model, "aliases", "ghost", method="DELETE", expect=404)
    await api("no-such-model", "audit", expect=404)
    await api("no-such-model", "rollback", method="POST", body={"alias": "a"}, expect=404)


async def test_promotion_moves_stage_and_alias_and_archives_the_previous_holder(api, model):
    body = {"stage": "Production", "alias": "champion", "archive_existing": True}
    await api(model, "versions", "1", "stage", method="POST", body=body)
    detail = await api(model, "versions", "2", "stage", method="POST", body=body)
    stages = {v["version"]: v["stage"] for v in detail["versions"]}
    assert stages == {"1": "Archived", "2": "Production"}
    assert detail["aliases"] == {"champion": "2"}


@pytest.mark.parametrize(
    ("version", "body", "expect"),
    [
        ("1", {"stage": "Shipping"}, 400),
        ("1", {}, 400),
        ("1", {"stage": "Staging", "archive_existing": "yes"}, 400),
        ("7", {"stage": "Staging"}, 404),
    ],
)
async def test_promotion_refuses_bad_input(api, model, version, body, expect):
    await api(model, "versions", version, "stage", method="POST", body=body, expect=expect)


async def test_rollback_returns_the_alias_to_its_previous_holder(api, model):
    for version in ("1", "2"):
        await api(model, "aliases", "champion", method="PUT", body={"version": version})
    detail = await api(model, "rollback", method="POST", body={"alias": "champion"})
    assert detail["aliases"] == {"champion": "1"}
    answer = await api(model, "rollback", method="POST", body={"alias": "other"}, expect=409)
    assert "records no move" in answer["message"]


async def test_protected_promotion_needs_approvals_and_one_per_user(api, model, store):
    as_user(store, "fixture").set_policy(
        model, ApprovalPolicy(2, frozenset({"champion", "Production"}))
    )
    body = {"stage": "Production"}
    answer = await api(model, "versions", "1", "stage", method="POST", body=body, expect=409)
    assert "needs 2 approvals" in answer["message"]
    state = await api(model, "versions", "1", "approvals", method="POST", body={})
    assert state["required"] == 2 and state["protected"] == ["Production", "champion"]
    again = await api(model, "versions", "1", "approvals", method="POST", body={}, expect=409)
    assert "already approved" in again["message"]
    as_user(store, "second-reviewer").approve(model, 1)
    detail = await api(model, "versions", "1", "stage", method="POST", body=body)
    assert detail["versions"][-1]["stage"] == "Production"
    assert detail["versions"][-1]["approvers"][-1] == "second-reviewer"


async def test_model_detail_carries_the_approval_policy(api, model, store):
    # Given no policy, then a model policy of 1 approval for Production
    approvals = (await api(model))["approvals"]
    assert (approvals["required"], approvals["protected"]) == (0, [])
    as_user(store, "fixture").set_policy(model, ApprovalPolicy(1, frozenset({"Production"})))
    # Then the detail (and every write's answer) shows it
    approvals = (await api(model))["approvals"]
    assert (approvals["required"], approvals["protected"]) == (1, ["Production"])
    body = {"version": "1"}
    moved = await api(model, "aliases", "candidate", method="PUT", body=body)
    assert moved["approvals"]["required"] == 1


async def test_the_audit_trail_names_the_jupyter_user(api, model):
    await api(model, "aliases", "champion", method="PUT", body={"version": "1", "reason": "ok"})
    trail = await api(model, "audit")
    assert [e["action"] for e in trail["entries"]] == ["register", "register", "alias"]
    last = trail["entries"][-1]
    assert (last["alias"], last["before"], last["after"], last["reason"]) == (
        "champion",
        None,
        "1",
        "ok",
    )
    assert trail["entries"][0]["user"] == "fixture"
    assert last["user"] == "alice"  # the Jupyter identity's username


async def test_concurrent_promotions_lose_no_audit_entry(api, model):
    moves = [
        api(model, "aliases", f"slot{i}", method="PUT", body={"version": str(1 + i % 2)})
        for i in range(8)
    ]
    await asyncio.gather(*moves)
    trail = await api(model, "audit")
    moved = sorted(e["alias"] for e in trail["entries"] if e["action"] == "alias")
    assert moved == sorted(f"slot{i}" for i in range(8))


@pytest.mark.parametrize("authorizer_class", [ReadOnly])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", ("versions",), {"run_id": "0" * 32}),
        ("PUT", ("aliases", "champion"), {"version": "1"}),
        ("DELETE", ("aliases", "champion"), None),
        ("POST", ("versions", "1", "stage"), {"stage": "Staging"}),
        ("POST", ("rollback",), {"alias": "champion"}),
        ("POST", ("versions", "1", "approvals"), {}),
    ],
)
async def test_writes_the_authorizer_denies_are_403_and_change_nothing(
    api, model, store, authorizer_class, method, path, body
):
    await api(model, *path, method=method, body=body, expect=403)
    assert [e.action for e in as_user(store, "x").history(model)] == ["register"] * 2
    assert (await api(model))["name"] == model  # reading is still allowed
