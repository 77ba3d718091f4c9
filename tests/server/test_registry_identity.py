"""Under Jupyter's own token login (a fresh random id per request) the registry acts as
the server's OS user: the name a kernel of the same user acts under, one person one
approval. Set not to, it refuses such requests."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from registry_store import log_model_run
from tornado.httpclient import HTTPClientError

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.registry import AlreadyApproved, ModelRegistry, load_signer, local_user

_names = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("identity-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    return home, client, run_id, load_signer(environ={"LABTRACK_HOME": str(home)})


@pytest.fixture
def labtrack_home(store):
    return store[0]


@pytest.fixture
def anonymous_as_server_user():
    return True


@pytest.fixture
def jp_server_config(jp_server_config, anonymous_as_server_user):
    # Jupyter's default IdentityProvider: token requests get random anonymous ids.
    return {
        **jp_server_config,
        "LabtrackConfig": {"anonymous_as_server_user": anonymous_as_server_user},
    }


@pytest.fixture
def model(store):
    name = f"identity-model-{next(_names)}"
    ModelRegistry(store[1], user="fixture", signer=store[3]).register(store[2], name)
    return name


async def approve(jp_fetch, model: str):
    try:
        response = await jp_fetch(
            "labtrack",
            "api",
            "models",
            model,
            "versions",
            "1",
            "approvals",
            method="POST",
            body="{}",
        )
    except HTTPClientError as error:
        response = error.response
    return response.code, json.loads(response.body)


async def test_the_sidebar_and_the_notebook_are_one_approver(jp_fetch, model, store):
    # When the sidebar approves twice (two requests, two random Jupyter ids)
    first = await approve(jp_fetch, model)
    second = await approve(jp_fetch, model)
    # Then the first counts as the OS user, the second is the same person
    assert first == (200, {**first[1], "approvers": [local_user()]})
    assert second[0] == 409 and f"{local_user()} already approved" in second[1]["message"]
    # And the same person's kernel (same OS user, same key) cannot approve again either
    kernel = ModelRegistry(store[1], user=local_user(), signer=store[3])
    with pytest.raises(AlreadyApproved):
        kernel.approve(model, 1)
    users = {e.user for e in kernel.history(model) if e.action == "approve"}
    assert users == {local_user()}


@pytest.mark.parametrize("anonymous_as_server_user", [False])
async def test_anonymous_ids_are_refused_when_so_configured(jp_fetch, model, store):
    code, answer = await approve(jp_fetch, model)
    assert code == 403 and "named users" in answer["message"]
    version = store[1].get_model_version(model, "1")
    assert not [key for key in version.tags if key.startswith("labtrack.approval.")]
