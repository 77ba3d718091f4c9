"""What another MLflow client writes never counts: forged approvals, audit entries and
policies are read back unverified, and every path to a protected alias holds the gate."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from mlflow import MlflowClient
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.errors import InvalidQuery
from labtrack.registry import (
    ApprovalMissing,
    ApprovalPolicy,
    ModelRegistry,
    NothingToRollBack,
    SigningKeyError,
    load_signer,
)
from labtrack.registry.gate import DutiesSeparated
from labtrack.registry.policy import approval_key

PROTECTED = ApprovalPolicy(2, frozenset({"champion", "Production"}))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("trust-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    return client, run_id, load_signer(environ={"LABTRACK_HOME": str(home)})


def as_user(store, user: str, **kwargs) -> ModelRegistry:
    return ModelRegistry(store[0], user=user, signer=store[2], **kwargs)


@pytest.fixture
def model(request, store):
    """Versions 1 and 2 registered by "ada"; @champion moved to 1 by labtrack."""
    name = request.node.name.replace("[", "-").replace("]", "")[:60]
    registry = as_user(store, "ada")
    for _ in range(2):
        registry.register(store[1], name)
    registry.set_alias(name, "champion", 1)
    return name


def forge_approval(client, model: str, version: str, user: str) -> None:
    value = json.dumps({"user": user, "timestamp": 1})
    client.set_model_version_tag(model, version, approval_key(user), value)


def test_a_forged_approval_is_shown_unverified_and_not_counted(store, model):
    # Given a policy of 2 approvals and two approvals written by a plain MlflowClient
    registry = as_user(store, "ada")
    registry.set_policy(model, PROTECTED)
    for user in ("alice", "bob"):
        forge_approval(store[0], model, "2", user)
    # Then they count for nothing, and the refusal says they were ignored
    approvals = registry.approvals(registry.version(model, 2))
    assert approvals.users == [] and approvals.unverified == ["alice", "bob"]
    with pytest.raises(ApprovalMissing, match="ignored 2 unverified approval"):
        registry.promote(model, 2, alias="champion")
    assert str(registry.model(model).aliases["champion"]) == "1"


def test_an_approval_copied_onto_another_version_does_not_count(store, model):
    as_user(store, "ada").set_policy(model, PROTECTED)
    as_user(store, "bob").approve(model, 1)
    genuine = store[0].get_model_version(model, "1").tags[approval_key("bob")]
    store[0].set_model_version_tag(model, "2", approval_key("bob"), genuine)
    approvals = as_user(store, "ada").approvals(store[0].get_model_version(model, "2"))
    assert approvals.users == [] and approvals.unverified == ["bob"]


def test_a_forged_audit_entry_is_unverified_and_never_followed(store, model):
    # Given @champion moved to 2 by labtrack, then a forged entry naming a move from 2 to 1
    registry = as_user(store, "ada")
    registry.set_alias(model, "champion", 2)
    forged = {
        "timestamp": 9_999_999_999_999,
        "user": "root",
        "action": "alias",
        "version": "1",
        "alias": "champion",
        "stage": None,
        "before": "2",
        "after": "1",
        "reason": "forged",
    }
    store[0].set_registered_model_tag(
        model, "labtrack.audit.9999999999999-forged", json.dumps(forged)
    )
    # Then history shows it unverified, and rollback follows the verified trail (to 1)
    last = registry.history(model)[-1]
    assert last.reason == "forged" and not last.verified
    assert all(e.verified for e in registry.history(model)[:-1])
    assert str(registry.rollback(model, "champion").version) == "1"


def test_a_forged_policy_is_ignored_and_the_floor_stays(store, model):
    floor = ApprovalPolicy(1, frozenset({"champion"}))
    registry = as_user(store, "ada", default_policy=floor)
    store[0].set_registered_model_tag(model, "labtrack.policy", json.dumps({"required": 0}))
    store[0].set_registered_model_tag(model, "labtrack.approvals.required", "0")
    found = registry.model_policy(registry.model(model))
    assert found.effective == floor
    assert sorted(found.unverified) == ["labtrack.approvals.required", "labtrack.policy"]
    with pytest.raises(ApprovalMissing):
        registry.set_alias(model, "champion", 2)


def test_a_model_policy_raises_the_floor_but_never_lowers_it(store, model):
    floor = ApprovalPolicy(2, frozenset({"champion"}))
    registry = as_user(store, "ada", default_policy=floor)
    registry.set_policy(model, ApprovalPolicy(1, frozenset({"Production"}), separate_duties=True))
    effective = registry.policy(model)
    assert effective.required == 2 and effective.protected == {"champion", "Production"}
    assert effective.separate_duties


def test_register_refuses_labtrack_tags(store, model):
    tags = {"labtrack.approval.alice": "{}", "team": "ml"}
    with pytest.raises(InvalidQuery, match="labtrack's own.*labtrack.approval.alice"):
        as_user(store, "ada").register(store[1], model, tags=tags)
    assert len(store[0].search_model_versions(f"name = '{model}'")) == 2


@pytest.mark.parametrize(
    "alias",
    ["сhampion", "chämpion", "champion\u200b", "cham pion"],
    ids=["cyrillic-es", "umlaut", "zero-width-space", "space"],
)
def test_aliases_are_ascii_only(store, model, alias):
    with pytest.raises(InvalidQuery):
        as_user(store, "ada").set_alias(model, alias, 2)


def test_separate_duties_keep_the_registrar_from_approving(store, model):
    as_user(store, "ada").set_policy(model, ApprovalPolicy(1, frozenset({"champion"}), True))
    with pytest.raises(DutiesSeparated, match="ada registered this version"):
        as_user(store, "ada").approve(model, 2)
    assert as_user(store, "bob").approve(model, 2) == ["bob"]


def test_rollback_never_returns_to_a_version_only_another_client_gave_the_alias(store, model):
    # Given @champion set to 2 by a plain client, then moved to 1 by labtrack
    store[0].set_registered_model_alias(model, "champion", "2")
    registry = as_user(store, "ada")
    registry.set_alias(model, "champion", 1)
    # Then rolling back (which would lead to 2) is refused
    with pytest.raises(NothingToRollBack, match="never held 'champion'.*through a verified"):
        registry.rollback(model, "champion")


def test_rollback_needs_approvals_when_the_policy_says_so(store, model):
    registry = as_user(store, "ada")
    registry.set_alias(model, "champion", 2)
    registry.set_policy(
        model, ApprovalPolicy(1, frozenset({"champion"}), rollback_needs_approvals=True)
    )
    with pytest.raises(ApprovalMissing):
        registry.rollback(model, "champion")
    as_user(store, "bob").approve(model, 1)
    assert str(registry.rollback(model, "champion").version) == "1"


def test_the_signing_key_is_generated_owner_only_and_refused_when_readable(tmp_path):
    home = tmp_path / "home"
    signer = load_signer(environ={"LABTRACK_HOME": str(home)})
    key = home / "signing.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert load_signer(environ={"LABTRACK_HOME": str(home)}).key == signer.key
    other = tmp_path / "shared.key"
    other.write_text("x" * 64)
    os.chmod(other, 0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        load_signer(str(other), environ={"LABTRACK_HOME": str(home)})
    with pytest.raises(SigningKeyError, match="too short"):
        load_signer(environ={"LABTRACK_HOME": str(home), "LABTRACK_SIGNING_KEY": "short"})


def test_entries_signed_with_another_key_do_not_verify(store, model, tmp_path):
    stranger = load_signer(environ={"LABTRACK_SIGNING_KEY": "s" * 40})
    other = ModelRegistry(store[0], user="mallory", signer=stranger)
    other.approve(model, 2)
    assert as_user(store, "ada").approvals(store[0].get_model_version(model, "2")).users == []
    assert not as_user(store, "ada").history(model)[-1].verified
