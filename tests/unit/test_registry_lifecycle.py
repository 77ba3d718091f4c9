"""The registry domain against a real embedded SQLite store with a real logged model."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from mlflow import MlflowClient
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.errors import InvalidQuery, NotFound
from labtrack.registry import (
    AlreadyApproved,
    ApprovalMissing,
    ApprovalPolicy,
    ModelRegistry,
    NothingToRollBack,
    load_model,
    load_signer,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("registry-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    return location, client, run_id, load_signer(environ={"LABTRACK_HOME": str(home)})


def as_user(store, user: str, **kwargs) -> ModelRegistry:
    """The registry of ``store`` acting as ``user``, with the store's signing key."""
    return ModelRegistry(store[1], user=user, signer=store[3], **kwargs)


@pytest.fixture
def registry(store):
    return as_user(store, "alice")


@pytest.fixture
def model(request, registry, store):
    """A model named after the test with three versions of the same run."""
    name = request.node.name.replace("[", "-").replace("]", "")[:60]
    for _ in range(3):
        registry.register(store[2], name)
    return name


def test_register_creates_a_version_from_the_runs_logged_model(registry, store):
    version = registry.register(store[2], "registered", alias="candidate", tags={"team": "ml"})
    assert str(version.version) == "1" and version.run_id == store[2]
    assert "/models/m-" in version.source and version.tags["team"] == "ml"
    assert version.aliases == ["candidate"]
    actions = [(e.action, e.user, e.after) for e in registry.history("registered")]
    assert actions == [("register", "alice", "1"), ("alias", "alice", "1")]


def test_register_names_the_models_a_run_logged_when_the_path_is_wrong(registry, store):
    with pytest.raises(NotFound, match="logged no model at 'weights'.*it logged: model"):
        registry.register(store[2], "wrong-path", path="weights")


def test_register_refuses_a_malformed_run_id(registry):
    with pytest.raises(InvalidQuery):
        registry.register("../etc", "bad-run")


def test_promote_moves_alias_and_stage_and_archives_the_previous_holder(registry, model):
    registry.promote(model, 1, alias="champion", stage="production", archive_existing=True)
    promoted = registry.promote(
        model, 2, alias="champion", stage="Production", archive_existing=True, reason="better"
    )
    assert promoted.current_stage == "Production" and promoted.aliases == ["champion"]
    assert registry.version(model, 1).current_stage == "Archived"
    last = registry.history(model)[-3:]
    assert [(e.action, e.version, e.before, e.after) for e in last] == [
        ("stage", "2", "None", "Production"),
        ("stage", "1", "Production", "Archived"),
        ("alias", "2", "1", "2"),
    ]
    assert last[-1].reason == "better"


def test_rollbacks_walk_back_through_the_aliases_holders(registry, model):
    for version in (1, 3, 2):
        registry.set_alias(model, "champion", version)
    assert str(registry.rollback(model, "champion").version) == "3"
    assert str(registry.rollback(model, "champion").version) == "1"
    with pytest.raises(NothingToRollBack, match="no holder before its first move"):
        registry.rollback(model, "champion")


def test_rollback_without_recorded_moves_is_refused(registry, model):
    with pytest.raises(NothingToRollBack, match="records no move"):
        registry.rollback(model, "champion")


@pytest.mark.parametrize("alias", ["latest", "Latest", "v1", "V12"])
def test_reserved_alias_names_are_refused(registry, model, alias):
    with pytest.raises(InvalidQuery, match="reserved by MLflow"):
        registry.set_alias(model, alias, 1)


def test_unknown_model_version_and_alias_are_not_found(registry, model):
    with pytest.raises(NotFound):
        registry.history("no-such-model")
    with pytest.raises(NotFound):
        registry.promote(model, 99, alias="champion")
    with pytest.raises(NotFound, match="no alias 'ghost'"):
        registry.delete_alias(model, "ghost")


def test_a_protected_alias_needs_approvals_from_distinct_users(registry, store, model):
    registry.set_policy(model, ApprovalPolicy(2, frozenset({"champion", "Production"})))
    registry.set_alias(model, "challenger", 1)  # not protected
    with pytest.raises(ApprovalMissing, match="needs 2 approvals"):
        registry.promote(model, 1, alias="champion")
    assert registry.approve(model, 1) == ["alice"]
    with pytest.raises(AlreadyApproved, match="distinct users"):
        registry.approve(model, 1)
    with pytest.raises(ApprovalMissing, match=r"it has 1 \(alice\)"):
        registry.promote(model, 1, stage="production")
    assert as_user(store, "bob").approve(model, 1) == ["alice", "bob"]
    assert "champion" in registry.promote(model, 1, alias="champion").aliases


def test_the_global_policy_applies_to_models_without_their_own(store, model):
    strict = as_user(store, "carol", default_policy=ApprovalPolicy(1, frozenset({"champion"})))
    with pytest.raises(ApprovalMissing):
        strict.set_alias(model, "champion", 2)
    strict.approve(model, 2)
    assert strict.set_alias(model, "champion", 2).aliases == ["champion"]


def test_concurrent_promotions_lose_no_audit_entry(store, model):
    before = len(as_user(store, "reader").history(model))
    errors = []

    def promote(user: str, version: int) -> None:
        try:
            as_user(store, user).set_alias(model, f"slot-{user}", version)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=promote, args=(f"u{i}", 1 + i % 3)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    added = as_user(store, "reader").history(model)[before:]
    assert sorted(e.user for e in added) == sorted(f"u{i}" for i in range(8))


def test_load_model_by_alias_version_and_stage(registry, store, model):
    registry.promote(model, 2, alias="champion", stage="Staging")
    for reference in (f"{model}@champion", f"{model}/2", f"{model}/staging"):
        loaded = load_model(reference, store[0].tracking_uri, store[0].registry_uri)
        assert loaded.predict([[3.0]])[0] == pytest.approx(6)


@pytest.mark.parametrize("reference", ["", "just-a-name", "m@latest", "m/Shipping"])
def test_load_model_refuses_unreadable_references(reference):
    with pytest.raises(InvalidQuery):
        load_model(reference)
