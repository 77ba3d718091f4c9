"""GET /labtrack/api/runs pages by labtrack's keyset tokens, takes MLflow's offset
tokens, and answers 400 with the reason to a token it cannot use (never 500)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from run_rows import insert_runs, tied_runs
from tornado.httpclient import HTTPClientError

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.backend.page_tokens import PREFIX, encode_keyset_token, mlflow_offset_token

RUNS = 45


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("token-routes")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home / "home")})
    prepare_backend(location)
    client = MlflowClient(tracking_uri=location.tracking_uri)
    experiment = client.create_experiment("paged", str(Path(location.artifact_root) / "paged"))
    insert_runs(location.tracking_uri, experiment, tied_runs(RUNS))
    return home / "home", experiment


@pytest.fixture
def labtrack_home(store):
    return store[0]


@pytest.fixture
def runs(jp_fetch, store, jp_server_config):
    experiment = store[1]

    async def get(expect=200, **params):
        try:
            response = await jp_fetch(
                "labtrack", "api", "runs", params={"experiment_ids": experiment, **params}
            )
        except HTTPClientError as error:
            response = error.response
        assert response.code == expect, response.body
        return json.loads(response.body)

    return get


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def test_pages_by_labtrack_tokens_list_every_run_once(runs):
    seen, token = [], None
    while True:
        page = await runs(page_size="10", **({"page_token": token} if token else {}))
        seen += [run["run_id"] for run in page["runs"]]
        token = page["next_page_token"]
        if not token:
            break
        assert token.startswith(PREFIX)
    assert len(seen) == len(set(seen)) == RUNS


async def test_an_mlflow_offset_token_still_pages(runs):
    whole = await runs(page_size="1000")
    page = await runs(page_size="10", page_token=mlflow_offset_token(20))
    assert [r["run_id"] for r in page["runs"]] == [r["run_id"] for r in whole["runs"][20:30]]


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (b64('{"offset":1e30}'), "not a whole number"),
        (b64("[1]"), "expected an object with an offset"),
        (b64('{"offset":-3}'), "out of range"),
        ("garbage%%%base64", "not base64-encoded JSON"),
        (PREFIX + "garbage", "not base64-encoded JSON"),
        (encode_keyset_token(10, [1, "a"], "0123456789abcdef"), "another search"),
    ],
)
async def test_a_hostile_page_token_is_400_with_the_reason(runs, token, reason):
    answer = await runs(expect=400, page_token=token)
    assert reason in answer["message"]
    assert "Traceback" not in answer["message"]


async def test_a_keyset_token_with_keys_of_the_wrong_type_is_400(runs):
    # Given a real token of this search, with its key values swapped for other types
    page = await runs(page_size="5")
    body = json.loads(base64.urlsafe_b64decode(page["next_page_token"][len(PREFIX) :] + "=="))
    body["k"] = ["not a time", 12]
    forged = PREFIX + base64.urlsafe_b64encode(json.dumps(body).encode()).decode()

    # Then the server refuses it instead of failing in the database
    answer = await runs(expect=400, page_token=forged)
    assert "does not fit this search" in answer["message"]
