"""``GET offline`` and ``POST offline/sync`` over a real spool and a real ``mlflow server``
that goes away and comes back."""

from __future__ import annotations

import itertools
import json

import mlflow
import pytest
from jupyter_server.auth import Authorizer
from mlflow.entities import ViewType
from mlflow_server import MlflowServer
from offline_store import journaled_server_run, offline_run
from tornado.httpclient import HTTPClientError

from labtrack.offline.spool import SPOOL_RUN_TAG, SYNCED_RUN_TAG, spool_for

_names = itertools.count()


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory):
    server = MlflowServer(tmp_path_factory.mktemp("offline-routes-server"))
    yield server
    server.stop()


@pytest.fixture
def server(mlflow_server):
    """The module's server, answering at the start of each test (and after it)."""
    if mlflow_server.process.poll() is not None:
        mlflow_server.restart()
    yield mlflow_server
    if mlflow_server.process.poll() is not None:
        mlflow_server.restart()


@pytest.fixture
def server_env(server) -> dict[str, str]:
    return {"MLFLOW_TRACKING_URI": server.url}


@pytest.fixture
def api(labtrack_request):
    async def call(*path, method="GET", expect=200):
        body = b"{}" if method == "POST" else None
        response = await labtrack_request(*path, method=method, raw_body=body, expect=expect)
        return json.loads(response.body)

    return call


def _journaled(home, url: str, experiment: str) -> str:
    experiment_id = mlflow.MlflowClient(tracking_uri=url).create_experiment(experiment)
    return journaled_server_run(home, url, experiment_id, 30)


def _server_copies(url: str, experiment: str) -> list:
    client = mlflow.MlflowClient(tracking_uri=url)
    found = client.get_experiment_by_name(experiment)
    if found is None:
        return []
    return client.search_runs([found.experiment_id], run_view_type=ViewType.ALL)


async def test_the_listing_names_the_spools_runs_and_the_runs_that_owe_a_journal(
    api, server, labtrack_home
):
    # Given a run kept offline in the server's spool and a server run with a journal
    experiment = f"offline-listing-{next(_names)}"
    offline_id = offline_run(labtrack_home, server.url, experiment, "offline-run", 1200)
    journaled_id = _journaled(labtrack_home, server.url, f"{experiment}-j")

    # When the sidebar asks what waits
    backlog = await api("offline")

    # Then both are listed, as they are on disk
    assert backlog["server"] == server.url
    (run,) = backlog["unsynced"]
    assert run["run_id"] == offline_id
    assert run["run_name"] == "offline-run"
    assert run["experiment_name"] == experiment
    assert run["status"] == "FINISHED"
    assert run["points"] == 1200
    assert run["parent_id"] is None
    assert isinstance(run["start_time"], int) and run["end_time"] >= run["start_time"]
    assert backlog["journals"] == [{"run_ids": [journaled_id], "points": 30, "operations": 1}]


async def test_sync_while_the_server_is_down_answers_unreachable_then_sends_each_run_once(
    api, server, labtrack_home
):
    # Given a run kept offline, a journaled server run, and the server gone away
    experiment = f"offline-sync-{next(_names)}"
    offline_id = offline_run(labtrack_home, server.url, experiment, "offline-run", 1200)
    journaled_id = _journaled(labtrack_home, server.url, f"{experiment}-j")
    server.stop()

    # When "Sync now" is asked while it is down
    down = await api("offline", "sync", method="POST")

    # Then the answer says so (200, not an error) and nothing moved
    assert down["reachable"] is False
    assert down["reason"] == "connection refused"
    assert down["synced"] == [] and down["notes"] == []
    assert "nothing was sent" in down["lines"][0]
    still = await api("offline")
    assert [r["run_id"] for r in still["unsynced"]] == [offline_id]
    assert len(still["journals"]) == 1

    # When the server is back and "Sync now" is asked
    server.restart()
    sent = await api("offline", "sync", method="POST")

    # Then the offline run has one server copy under a new id, with every point, and the
    # journal's points and end reached the run that owed them
    assert sent["reachable"] is True and sent["reason"] is None, sent
    assert sent["problems"] == []
    (synced,) = sent["synced"]
    assert synced["offline_run_id"] == offline_id
    assert synced["points"] == 1200 and synced["artifacts"] == 1
    assert synced["status"] == "FINISHED"
    (copy,) = _server_copies(server.url, experiment)
    assert copy.info.run_id == synced["server_run_id"] != offline_id
    assert copy.data.tags[SPOOL_RUN_TAG] == offline_id
    client = mlflow.MlflowClient(tracking_uri=server.url)
    assert len(client.get_metric_history(copy.info.run_id, "loss")) == 1200
    assert any("30 unsaved point(s)" in note for note in sent["notes"]), sent["notes"]
    owed = client.get_run(journaled_id)
    assert owed.info.status == "FINISHED"
    assert len(client.get_metric_history(journaled_id, "acc")) == 30
    local = mlflow.MlflowClient(tracking_uri=spool_for(server.url, labtrack_home).tracking_uri)
    assert local.get_run(offline_id).data.tags[SYNCED_RUN_TAG] == copy.info.run_id
    assert await api("offline") == {"server": server.url, "unsynced": [], "journals": []}

    # When it is asked again, nothing is sent twice
    again = await api("offline", "sync", method="POST")
    assert again["synced"] == [] and again["notes"] == [] and again["problems"] == []
    assert again["lines"] == [f"nothing to send to {server.url}: every run is there"]
    assert len(_server_copies(server.url, experiment)) == 1
    assert len(client.get_metric_history(copy.info.run_id, "loss")) == 1200


class ReadOnly(Authorizer):
    """Every signed-in user may read; nobody may write."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read"


class TestReadOnlyUsers:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        server = {**jp_server_config["ServerApp"], "authorizer_class": ReadOnly}
        return {**jp_server_config, "ServerApp": server}

    async def test_may_list_but_not_sync(self, api, server, labtrack_home):
        experiment = f"offline-readonly-{next(_names)}"
        offline_id = offline_run(labtrack_home, server.url, experiment, "offline-run", 5)

        listed = await api("offline")
        refused = await api("offline", "sync", method="POST", expect=403)

        assert [r["run_id"] for r in listed["unsynced"]] == [offline_id]
        assert refused["error"] == "Forbidden"
        assert _server_copies(server.url, experiment) == []


async def test_anonymous_callers_may_not_list_or_sync(jp_base_url, http_server_client):
    for method, path, body in (("GET", "offline", None), ("POST", "offline/sync", b"{}")):
        with pytest.raises(HTTPClientError) as refused:
            await http_server_client.fetch(
                f"{jp_base_url}labtrack/api/{path}", method=method, body=body
            )
        assert refused.value.code == 403, path


class TestAnEmbeddedBackend:
    @pytest.fixture
    def server_env(self) -> dict[str, str]:
        return {}  # labtrack's own SQLite store: nothing can be away

    async def test_waits_for_nothing_and_refuses_a_sync(self, api):
        assert await api("offline") == {"server": None, "unsynced": [], "journals": []}
        refused = await api("offline", "sync", method="POST", expect=409)
        assert "not a tracking server" in refused["message"]
