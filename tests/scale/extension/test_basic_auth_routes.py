"""The server extension against ``mlflow server --app-name basic-auth``: with the user's
credentials in the Jupyter server's environment it serves their runs and artifacts;
with wrong ones it says "unauthorized", not "unreachable"."""

from __future__ import annotations

import json
import uuid

import pytest
from mlflow import MlflowClient
from tornado.httpclient import HTTPClientError

TAG = uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def users_run(auth_server):
    """A run the user logged (a metric and an artifact through the proxy)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MLFLOW_TRACKING_USERNAME", auth_server.user[0])
        env.setenv("MLFLOW_TRACKING_PASSWORD", auth_server.user[1])
        client = MlflowClient(tracking_uri=auth_server.url)
        experiment_id = client.create_experiment(f"auth-routes-{TAG}")
        run_id = client.create_run(experiment_id, run_name="as-alice").info.run_id
        for step in range(20):
            client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
        client.log_text(run_id, "hello from alice\n", "notes/hello.txt")
        client.set_terminated(run_id)
    return experiment_id, run_id


@pytest.fixture
def extension_tracking_uri(auth_server) -> str:
    return auth_server.url


@pytest.fixture
def password(auth_server) -> str:
    return auth_server.user[1]


@pytest.fixture
def extension_env(auth_server, password) -> dict[str, str]:
    return {"MLFLOW_TRACKING_USERNAME": auth_server.user[0], "MLFLOW_TRACKING_PASSWORD": password}


@pytest.fixture
def api(jp_fetch):
    async def call(*path, params=None, expect=200):
        try:
            response = await jp_fetch("labtrack", "api", *path, params=params or {})
        except HTTPClientError as error:
            response = error.response
        assert response.code == expect, response.body
        return response

    return call


async def test_with_the_users_credentials_the_extension_serves_their_runs(api, users_run):
    experiment_id, run_id = users_run
    status = json.loads((await api("status")).body)
    assert (status["reachable"], status["unauthorized"], status["error"]) == (True, False, None)
    page = json.loads((await api("runs", params={"experiment_ids": experiment_id})).body)
    assert [(r["run_id"], r["status"]) for r in page["runs"]] == [(run_id, "FINISHED")]
    series = json.loads((await api("runs", run_id, "metrics", "loss")).body)
    assert series["steps"] == list(range(20))
    served = await api("runs", run_id, "artifacts", "file", params={"path": "notes/hello.txt"})
    assert served.body == b"hello from alice\n"


@pytest.mark.parametrize("password", ["not-the-password"])
async def test_with_wrong_credentials_the_extension_says_unauthorized(api, users_run):
    experiment_id, _ = users_run
    status = json.loads((await api("status")).body)
    assert (status["reachable"], status["unauthorized"]) == (False, True)
    assert status["error"].startswith("unauthorized:")
    assert "refused the credentials of MLFLOW_TRACKING_USERNAME=alice" in status["error"]
    refused = await api("runs", params={"experiment_ids": experiment_id}, expect=403)
    answer = json.loads(refused.body)
    assert answer["message"].startswith("unauthorized:") and "Traceback" not in answer["message"]
