"""Each hostile request of issue 17 against a running server: now refused, or shown
"unverified", with the registry unchanged. Users are named by a real IdentityProvider."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from jupyter_server.auth import IdentityProvider, User
from mlflow import MlflowClient
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.registry import ApprovalPolicy, ModelRegistry, load_signer
from labtrack.registry.policy import approval_key

_names = itertools.count()
USER_HEADER = "X-Test-User"


class HeaderNamedUsers(IdentityProvider):
    """Token-authenticated requests are the person a test header names (a stand-in for a
    login that names people, as JupyterHub's does)."""

    def generate_anonymous_user(self, handler):
        name = handler.request.headers.get(USER_HEADER, "nobody")
        return User(username=name, name=name.title())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("trust-routes-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    return home, client, run_id, load_signer(environ={"LABTRACK_HOME": str(home)})


@pytest.fixture
def labtrack_home(store):
    return store[0]


@pytest.fixture
def jp_server_config(jp_server_config):
    server = {**jp_server_config["ServerApp"], "identity_provider_class": HeaderNamedUsers}
    return {**jp_server_config, "ServerApp": server}


def as_user(store, user: str) -> ModelRegistry:
    return ModelRegistry(store[1], user=user, signer=store[3])


@pytest.fixture
def api(labtrack_request, jp_server_config):
    async def call(*path, user="alice", **request):
        response = await labtrack_request("models", *path, headers={USER_HEADER: user}, **request)
        return json.loads(response.body)

    return call


@pytest.fixture
def model(store):
    """Versions 1 and 2 by "fixture"; @champion on 1 through labtrack; champion and
    Production need 2 approvals."""
    name = f"trust-model-{next(_names)}"
    registry = as_user(store, "fixture")
    for _ in range(2):
        registry.register(store[2], name)
    registry.set_alias(name, "champion", 1)
    registry.set_policy(name, ApprovalPolicy(2, frozenset({"champion", "Production"})))
    return name


def state(store, name: str) -> tuple:
    """What a hostile request must not change: aliases, versions and their stages."""
    client = store[1]
    versions = client.search_model_versions(f"name = '{name}'")
    return (
        dict(client.get_registered_model(name).aliases),
        sorted((str(v.version), v.current_stage) for v in versions),
    )


async def test_register_with_approval_tags_is_refused_and_moves_nothing(api, store, model):
    before = state(store, model)
    body = {
        "run_id": store[2],
        "alias": "champion",
        "tags": {approval_key("alice"): '{"user":"alice"}', approval_key("bob"): "{}"},
    }
    answer = await api(model, "versions", method="POST", body=body, expect=400)
    assert "labtrack's own" in answer["message"] and "labtrack.approval." in answer["message"]
    assert state(store, model) == before


async def test_one_person_approving_twice_is_one_approval(api, model, store):
    await api(model, "versions", "2", "approvals", method="POST", body={})
    again = await api(model, "versions", "2", "approvals", method="POST", body={}, expect=409)
    assert "alice already approved" in again["message"]
    detail = await api(model)
    version = next(v for v in detail["versions"] if v["version"] == "2")
    assert version["approvers"] == ["alice"]
    refused = await api(
        model, "versions", "2", "stage", method="POST", body={"alias": "champion"}, expect=409
    )
    assert "it has 1 (alice)" in refused["message"]


async def test_distinct_named_people_are_distinct_approvers(api, model, store):
    for user in ("alice", "bob"):
        await api(model, "versions", "2", "approvals", method="POST", body={}, user=user)
    detail = await api(
        model, "versions", "2", "stage", method="POST", body={"alias": "champion"}, user="carol"
    )
    assert detail["aliases"]["champion"] == "2"
    trail = (await api(model, "audit"))["entries"]
    assert [e["user"] for e in trail[-3:]] == ["alice", "bob", "carol"]
    assert all(e["verified"] for e in trail)


async def test_separate_duties_refuse_the_registrar_as_approver(api, store):
    name = f"duties-model-{next(_names)}"
    await api(name, "versions", method="POST", body={"run_id": store[2]}, user="dana", expect=201)
    policy = ApprovalPolicy(1, frozenset({"champion"}), separate_duties=True)
    as_user(store, "fixture").set_policy(name, policy)
    answer = await api(
        name, "versions", "1", "approvals", method="POST", body={}, user="dana", expect=409
    )
    assert "dana registered this version" in answer["message"]
    ok = await api(name, "versions", "1", "approvals", method="POST", body={}, user="erin")
    assert ok["approvers"] == ["erin"]


async def test_forged_audit_and_approval_tags_are_unverified_and_ignored(api, model, store):
    # Given a plain MlflowClient writing approvals for version 2 and a "previous holder"
    client = store[1]
    for user in ("alice", "bob"):
        client.set_model_version_tag(model, "2", approval_key(user), json.dumps({"user": user}))
    forged = {"timestamp": 1, "user": "root", "action": "alias", "alias": "champion",
              "before": "2", "after": "1", "reason": "forged"}  # fmt: skip
    client.set_registered_model_tag(model, "labtrack.audit.9999999999999-ffff", json.dumps(forged))
    before = state(store, model)
    # Then the audit route marks the forged entry, the detail does not count the approvals
    trail = (await api(model, "audit"))["entries"]
    assert [e["verified"] for e in trail if e["reason"] == "forged"] == [False]
    detail = await api(model)
    version = next(v for v in detail["versions"] if v["version"] == "2")
    assert version["approvers"] == [] and version["unverified_approvals"] == ["alice", "bob"]
    # And neither promotion nor rollback follows them
    await api(
        model, "versions", "2", "stage", method="POST", body={"alias": "champion"}, expect=409
    )
    answer = await api(model, "rollback", method="POST", body={"alias": "champion"}, expect=409)
    assert "had no holder before its first move" in answer["message"]
    assert state(store, model) == before


async def test_a_forged_policy_is_ignored_and_reported(api, model, store):
    store[1].set_registered_model_tag(model, "labtrack.policy", json.dumps({"required": 0}))
    detail = await api(model)
    assert detail["approvals"]["required"] == 0  # no valid policy at all now: the floor (0)
    assert detail["approvals"]["unverified_tags"] == ["labtrack.policy"]


async def test_rollback_never_returns_to_a_version_another_client_set(api, model, store):
    # Given @champion moved to 2 by a plain client, then back to 1 by labtrack (approved)
    store[1].set_registered_model_alias(model, "champion", "2")
    for user in ("alice", "bob"):
        await api(model, "versions", "1", "approvals", method="POST", body={}, user=user)
    await api(model, "aliases", "champion", method="PUT", body={"version": "1"})
    before = state(store, model)
    # When rolled back, it would lead to 2: refused, nothing moves
    answer = await api(model, "rollback", method="POST", body={"alias": "champion"}, expect=409)
    assert "never held 'champion'" in answer["message"]
    assert state(store, model) == before


async def test_rollback_needs_approvals_when_the_policy_switch_is_on(api, store):
    name = f"switch-model-{next(_names)}"
    registry = as_user(store, "fixture")
    for _ in range(2):
        registry.register(store[2], name)
    registry.set_alias(name, "champion", 1)
    registry.set_alias(name, "champion", 2)
    policy = ApprovalPolicy(1, frozenset({"champion"}), rollback_needs_approvals=True)
    registry.set_policy(name, policy)
    answer = await api(name, "rollback", method="POST", body={"alias": "champion"}, expect=409)
    assert "needs 1 approvals" in answer["message"]
    await api(name, "versions", "1", "approvals", method="POST", body={}, user="bob")
    assert (await api(name, "rollback", method="POST", body={"alias": "champion"}))["aliases"] == {
        "champion": "1"
    }


async def test_look_alike_aliases_are_refused(api, model, store):
    before = state(store, model)
    answer = await api(
        model, "aliases", "сhampion", method="PUT", body={"version": "2"}, expect=400
    )
    assert "ASCII" in answer["message"]
    assert state(store, model) == before


async def test_an_alias_on_an_archived_version_is_reported_with_its_fixes(api, store):
    # Given the example's end: @champion rolled back to v1, v1 Archived, v2 in Production
    name = f"archived-model-{next(_names)}"
    registry = as_user(store, "fixture")
    for _ in range(2):
        registry.register(store[2], name)
    registry.promote(name, 1, alias="champion", stage="Production")
    registry.promote(name, 2, alias="champion", stage="Production", archive_existing=True)
    registry.rollback(name, "champion")
    # Then the detail says so and offers both fixes
    (warning,) = (await api(name))["warnings"]
    assert (
        warning["message"] == "@champion points at v1, which is Archived, while v2 is in Production"
    )
    fixes = {(f["version"], f["alias"], f["stage"]) for f in warning["fixes"]}
    assert fixes == {("2", "champion", None), ("1", None, "Production")}
    # When the second fix is applied, the warning is gone
    body = {"stage": "Production", "archive_existing": True}
    assert (await api(name, "versions", "1", "stage", method="POST", body=body))["warnings"] == []
