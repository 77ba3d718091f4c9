"""The run write routes (rename, describe, tags, Trash), checked with a plain MlflowClient:
good input changes exactly what was asked, bad input is refused with nothing changed."""

from __future__ import annotations

import itertools
import json

import pytest
from jupyter_server.auth import Authorizer
from mlflow import MlflowClient
from tornado.httpclient import HTTPClientError

from labtrack.backend import prepare_backend, resolve_backend

_names = itertools.count()
NOTE = "mlflow.note.content"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An embedded store and a client on it; each test makes the runs it changes."""
    home = tmp_path_factory.mktemp("run-writes-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    client = MlflowClient(tracking_uri=location.tracking_uri)
    experiment = client.create_experiment("writes", f"{location.artifact_root}/writes")
    return home, client, experiment


@pytest.fixture
def labtrack_home(store):
    return store[0]


class ReadOnly(Authorizer):
    """Every signed-in user may read; nobody may write."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read"


@pytest.fixture
def authorizer_class():
    return None


@pytest.fixture
def jp_server_config(jp_server_config, authorizer_class):
    if authorizer_class is None:
        return jp_server_config
    server = {**jp_server_config["ServerApp"], "authorizer_class": authorizer_class}
    return {**jp_server_config, "ServerApp": server}


@pytest.fixture
def api(labtrack_request, jp_server_config):
    async def call(*path, **request):
        return json.loads((await labtrack_request("runs", *path, **request)).body)

    return call


@pytest.fixture
def run(store):
    """A fresh finished run with the user tag team=vision."""
    _, client, experiment = store
    created = client.create_run(experiment, run_name=f"run-{next(_names)}", tags={"team": "vision"})
    client.set_terminated(created.info.run_id)
    return created.info.run_id


def read(store, run_id):
    return store[1].get_run(run_id)


async def test_a_run_is_renamed_and_described(api, store, run):
    edited = await api(run, method="PATCH", body={"name": "baseline", "description": "# Why\nok"})
    assert (edited["run_name"], edited["description"]) == ("baseline", "# Why\nok")
    stored = read(store, run)
    assert stored.info.run_name == "baseline"
    assert stored.data.tags["mlflow.runName"] == "baseline"
    assert stored.data.tags[NOTE] == "# Why\nok"
    # An empty description removes MLflow's note; the name alone is kept
    edited = await api(run, method="PATCH", body={"description": ""})
    assert edited["description"] == "" and NOTE not in read(store, run).data.tags
    assert read(store, run).info.run_name == "baseline"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "give a name, a description or both"),
        ({"name": "   "}, "non-empty"),
        ({"name": 5}, "wrong type"),
        ({"name": "x" * 251}, "at most 250"),
        ({"name": "two\nlines"}, "one line"),
        ({"name": "fine", "description": "x" * 8001}, "at most 8000"),
        ({"name": "fine", "colour": "red"}, "unknown field(s): colour"),
    ],
)
async def test_a_bad_edit_is_400_and_changes_nothing(api, store, run, body, message):
    before = read(store, run)
    answer = await api(run, method="PATCH", body=body, expect=400)
    assert message in answer["message"]
    after = read(store, run)
    assert (after.info.run_name, after.data.tags) == (before.info.run_name, before.data.tags)


async def test_edits_of_unknown_malformed_and_trashed_runs_are_refused(api, store, run):
    await api("0" * 32, method="PATCH", body={"name": "x"}, expect=404)
    await api("not%20an%20id", method="PATCH", body={"name": "x"}, expect=400)
    store[1].delete_run(run)
    answer = await api(run, method="PATCH", body={"name": "x"}, expect=409)
    assert "restore it" in answer["message"]
    await api(run, "tags", "team", method="PUT", body={"value": "x"}, expect=409)


async def test_a_tag_is_added_edited_and_removed(api, store, run):
    added = await api(run, "tags", "owner/team", method="PUT", body={"value": "ana"})
    assert added["tags"]["owner/team"] == "ana"
    assert read(store, run).data.tags["owner/team"] == "ana"
    await api(run, "tags", "owner/team", method="PUT", body={"value": "bo"})
    assert read(store, run).data.tags["owner/team"] == "bo"
    removed = await api(run, "tags", "owner/team", method="DELETE")
    assert "owner/team" not in removed["tags"]
    assert "owner/team" not in read(store, run).data.tags
    assert read(store, run).data.tags["team"] == "vision"  # the others are untouched
    answer = await api(run, "tags", "owner/team", method="DELETE", expect=404)
    assert "has no tag 'owner/team'" in answer["message"]


@pytest.mark.parametrize(
    ("key", "body", "message"),
    [
        ("mlflow.note.content", {"value": "x"}, "reserved"),
        ("labtrack.kernel.id", {"value": "x"}, "reserved"),
        ("MLflow.runName", {"value": "x"}, "reserved"),
        ("bad key!", {"value": "x"}, "Invalid value"),
        ("k" * 251, {"value": "x"}, "at most 250"),
        ("%20padded", {"value": "x"}, "space"),
        ("fine", {"value": "v" * 8001}, "at most 8000"),
        ("fine", {}, "field 'value' is required"),
        ("fine", {"value": 3}, "wrong type"),
    ],
)
async def test_bad_tags_are_400_and_change_nothing(api, store, run, key, body, message):
    before = dict(read(store, run).data.tags)
    answer = await api(run, "tags", key, method="PUT", body=body, expect=400)
    assert message in answer["message"]
    assert dict(read(store, run).data.tags) == before


async def test_system_tags_cannot_be_removed(api, store, run):
    answer = await api(run, "tags", "mlflow.runName", method="DELETE", expect=400)
    assert "reserved" in answer["message"]
    assert "mlflow.runName" in read(store, run).data.tags


async def test_a_run_goes_to_the_trash_and_comes_back(api, store, run):
    gone = await api(run, method="DELETE")
    assert gone["lifecycle_stage"] == "deleted"
    assert read(store, run).info.lifecycle_stage == "deleted"
    again = await api(run, method="DELETE", expect=409)
    assert "already deleted" in again["message"]
    back = await api(run, "restore", method="POST", body={})
    assert back["lifecycle_stage"] == "active"
    assert read(store, run).info.lifecycle_stage == "active"
    twice = await api(run, "restore", method="POST", body={}, expect=409)
    assert "not in the Trash" in twice["message"]
    await api("0" * 32, method="DELETE", expect=404)
    await api("0" * 32, "restore", method="POST", body={}, expect=404)


WRITES = [
    ("PATCH", (), {"name": "renamed"}),
    ("PUT", ("tags", "owner"), {"value": "x"}),
    ("DELETE", ("tags", "team"), None),
    ("DELETE", (), None),
    ("POST", ("restore",), {}),
    ("POST:delete", (), None),
    ("POST:restore", (), None),
]


@pytest.mark.parametrize("authorizer_class", [ReadOnly])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_writes_the_authorizer_denies_are_403_and_change_nothing(
    api, store, run, authorizer_class, method, path, body
):
    before = read(store, run)
    if method.startswith("POST:"):  # the bulk routes
        await api(method[5:], method="POST", body={"run_ids": [run]}, expect=403)
    else:
        await api(run, *path, method=method, body=body, expect=403)
    after = read(store, run)
    assert after.info.run_name == before.info.run_name
    assert after.info.lifecycle_stage == before.info.lifecycle_stage == "active"
    assert after.data.tags == before.data.tags
    assert (await api(run))["info"]["run_id"] == run  # reading is still allowed


async def test_cookie_writes_need_jupyters_xsrf_token(
    jp_fetch, http_server_client, jp_base_url, store, run
):
    # Given a browser session: the login cookie Jupyter sets for a token-authenticated visit
    visit = await jp_fetch("labtrack", "api", "status")
    login = [c.split(";", 1)[0] for c in visit.headers.get_list("Set-Cookie")]
    assert login, "Jupyter set no login cookie"
    url = f"{jp_base_url}labtrack/api/runs/{run}"
    body = json.dumps({"name": "cookie-rename"})

    # When a write carries the cookie but no XSRF token, it is refused and nothing changes
    with pytest.raises(HTTPClientError) as refused:
        await http_server_client.fetch(
            url, method="PATCH", body=body, headers={"Cookie": "; ".join(login)}
        )
    assert refused.value.code == 403
    assert read(store, run).info.run_name != "cookie-rename"

    # Then with the XSRF cookie and header (what JupyterLab's ServerConnection sends) it works
    xsrf = "0123456789abcdef"
    headers = {"Cookie": "; ".join([*login, f"_xsrf={xsrf}"]), "X-XSRFToken": xsrf}
    answer = await http_server_client.fetch(url, method="PATCH", body=body, headers=headers)
    assert answer.code == 200
    assert read(store, run).info.run_name == "cookie-rename"
