"""Every labtrack route, through a real jupyter_server, against the team's ``mlflow server``
on PostgreSQL with artifacts proxied to S3 (``LabtrackConfig.tracking_uri`` = its URL).

Each route and method is exercised here at least once; the last test checks that the
requests made cover the whole route table, so a route added later without a test against
the team server fails it. That check runs after the module's other tests whatever their
order (``after_module``); run the module whole.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
import tornado.web
from mlflow import MlflowClient
from offline_store import offline_run
from registry_store import log_model_run
from sample_store import LONG_METRIC_STEPS, PNG, SampleStore, populate
from tornado.httpclient import HTTPClientError

from labtrack.server.routes import API_PREFIX, route_table

PREFIX = f"routes-{uuid.uuid4().hex[:6]}-"
HTTP_METHODS = ("get", "post", "put", "delete", "patch")

# (route pattern, HTTP method) of every request the tests below made.
REQUESTS_MADE: set[tuple[str, str]] = set()


def _methods(handler: type) -> set[str]:
    base = tornado.web.RequestHandler
    return {m for m in HTTP_METHODS if getattr(handler, m) is not getattr(base, m)}


ROUTE_METHODS = {
    (pattern, method) for pattern, handler in route_table() for method in _methods(handler)
}


def _route_of(path: str) -> str:
    matches = [p for p, _ in route_table() if re.fullmatch(p, path)]
    # The most specific pattern wins as in Tornado's table (first match; "runs/columns"
    # comes before "runs/{id}").
    assert matches, f"no labtrack route matches {path}"
    return matches[0]


@pytest.fixture(scope="module")
def sample(team_server) -> SampleStore:
    return populate(team_server.url, prefix=PREFIX)


@pytest.fixture(scope="module")
def model_run(team_server) -> str:
    """A run that logged a real sklearn model, uploaded through the server's proxy."""
    return log_model_run(team_server.url)


@pytest.fixture
def extension_tracking_uri(team_server) -> str:
    return team_server.url


@pytest.fixture
def fetch(jp_fetch):
    """A request to a labtrack route; records which route and method it exercised."""

    async def call(*path, method="GET", body=None, params=None, expect=200):
        kwargs = {"method": method, "params": params or {}}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        try:
            response = await jp_fetch(*API_PREFIX.split("/"), *path, **kwargs)
        except HTTPClientError as error:
            response = error.response
        assert response.code == expect, response.body
        route_path = "/" + "/".join([API_PREFIX, *(str(p) for p in path)])
        REQUESTS_MADE.add((_route_of(route_path), method.lower()))
        return response

    return call


@pytest.fixture
def api(fetch):
    async def call(*path, **kwargs):
        response = await fetch(*path, **kwargs)
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.body)

    return call


async def test_status_reports_the_team_server_reachable(api, team_server):
    status = await api("status")
    assert status["backend"]["kind"] == "rest"
    assert status["backend"]["tracking_uri"] == team_server.url
    assert status["backend"]["source"] == "explicit"
    assert (status["reachable"], status["error"]) == (True, None)


async def test_experiments_are_searched_by_name_and_paged(sample, api):
    found = await api("experiments", params={"name": PREFIX})
    assert sorted(e["name"] for e in found["experiments"]) == [
        f"{PREFIX}api-tests",
        f"{PREFIX}other-experiment",
    ]
    first = await api("experiments", params={"name": PREFIX, "page_size": "1"})
    assert len(first["experiments"]) == 1 and first["next_page_token"]
    second = await api(
        "experiments",
        params={"name": PREFIX, "page_size": "1", "page_token": first["next_page_token"]},
    )
    assert {e["experiment_id"] for e in first["experiments"] + second["experiments"]} == {
        sample.experiment_id,
        sample.other_experiment_id,
    }


async def test_runs_are_paged_over_rest_with_only_the_asked_columns(sample, api):
    seen, token, pages = [], None, 0
    while True:
        params = {"experiment_ids": sample.experiment_id, "page_size": "5", "params": "lr"}
        if token:
            params["page_token"] = token
        page = await api("runs", params=params)
        seen += page["runs"]
        pages += 1
        token = page["next_page_token"]
        if not token:
            break
    assert pages == 4  # 16 runs, 5 a page
    expected = sample.run_ids + [sample.parent_id] + sample.child_ids
    assert sorted(r["run_id"] for r in seen) == sorted(expected)
    row = next(r for r in seen if r["run_name"] == "run-03")
    assert row["params"] == {"lr": "0.025"} and row["metrics"] == {} and row["tags"] == {}


async def test_runs_filter_and_order_like_mlflow_on_postgresql(sample, api):
    answer = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "filter": "metrics.accuracy > 0.55 and tags.team = 'vision'",
            "order_by": "metrics.accuracy DESC",
            "metrics": "accuracy,unstable",
        },
    )
    assert [r["run_name"] for r in answer["runs"]] == ["run-11", "run-09", "run-07"]
    assert [r["metrics"]["accuracy"] for r in answer["runs"]] == pytest.approx([0.61, 0.59, 0.57])
    nan_row = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "filter": "attributes.run_name = 'run-03'",
            "metrics": "unstable,loss",
        },
    )
    assert nan_row["runs"][0]["metrics"] == {"unstable": None, "loss": 0.25}


async def test_runs_of_one_notebook(sample, api):
    answer = await api(
        "runs", params={"experiment_ids": sample.experiment_id, "notebook": sample.notebook}
    )
    assert sorted(r["run_name"] for r in answer["runs"]) == ["run-00", "run-01", "run-02", "run-03"]


async def test_bad_searches_are_400_and_unknown_experiments_404(sample, api):
    bad = await api(
        "runs",
        params={"experiment_ids": sample.experiment_id, "filter": "metrics.acc >>> 1"},
        expect=400,
    )
    assert "Traceback" not in bad["message"]
    await api("runs", params={"experiment_ids": "987654"}, expect=404)


async def test_run_columns_list_every_key(sample, api):
    columns = await api("runs", "columns", params={"experiment_ids": sample.experiment_id})
    assert columns["params"] == ["lr", "optimizer", "trial"]
    assert columns["metrics"] == ["accuracy", "loss", "unstable"]
    assert {"team", "index", "mlflow.parentRunId"} <= set(columns["tags"])


async def test_run_detail_has_children_parent_and_registered_versions(sample, api):
    parent = await api("runs", sample.parent_id)
    assert parent["info"]["run_name"] == "sweep" and parent["info"]["status"] == "FINISHED"
    assert parent["info"]["artifact_uri"].startswith("mlflow-artifacts:")
    assert sorted(c["run_name"] for c in parent["children"]) == ["trial-0", "trial-1", "trial-2"]
    child = await api("runs", sample.child_ids[0])
    assert child["parent_run_id"] == sample.parent_id
    first = await api("runs", sample.run_ids[0])
    assert first["registered_versions"] == [
        {"name": sample.model_name, "version": "1", "stage": "None", "aliases": ["champion"]}
    ]
    await api("runs", "0" * 32, expect=404)


async def test_a_long_metric_history_is_downsampled_and_keeps_its_spike(sample, api):
    series = await api("runs", sample.long_run_id, "metrics", "loss", params={"max_points": "200"})
    assert series["total_points"] == LONG_METRIC_STEPS and series["reduced"] is True
    assert len(series["steps"]) <= 200 and 1234 in series["steps"]
    assert series["steps"][0] == 0 and series["last_step"] == LONG_METRIC_STEPS - 1


async def test_a_metric_history_is_read_incrementally(sample, api):
    series = await api("runs", sample.long_run_id, "metrics", "loss", params={"after_step": "4990"})
    assert series["steps"] == list(range(4991, LONG_METRIC_STEPS))
    assert series["values"][0] == pytest.approx(1 / 4992)
    await api("runs", sample.long_run_id, "metrics", "no-such-metric", expect=404)


async def test_artifacts_stored_in_s3_are_listed_and_served_through_the_proxy(
    sample, api, fetch, team_server
):
    # Given the run's files went through the server into the bucket
    keys = team_server.s3_keys_of_run(sample.experiment_id, sample.parent_id)
    stored = next(key for key in keys if key.endswith("/artifacts/plots/curve.png"))
    assert team_server.s3.read(stored) == PNG
    # When the sidebar lists and previews them
    root = await api("runs", sample.parent_id, "artifacts")
    assert root["entries"][0]["name"] == "plots" and root["entries"][0]["is_dir"]
    plots = await api("runs", sample.parent_id, "artifacts", params={"path": "plots"})
    assert [(e["path"], e["size"]) for e in plots["entries"]] == [("plots/curve.png", len(PNG))]
    image = await fetch(
        "runs", sample.parent_id, "artifacts", "file", params={"path": "plots/curve.png"}
    )
    # Then the bytes are the bucket's, served as an inline, never-sniffed image
    assert image.body == PNG
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    notes = await fetch("runs", sample.parent_id, "artifacts", "file", params={"path": "notes.txt"})
    assert notes.body == b"trained on the march data\n"
    assert notes.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("path", ["../notes.txt", "plots/../../x", "%2e%2e/x", "/etc/passwd"])
async def test_unsafe_artifact_paths_are_refused_before_reaching_the_server(sample, api, path):
    await api("runs", sample.parent_id, "artifacts", params={"path": path}, expect=400)
    await api("runs", sample.parent_id, "artifacts", "file", params={"path": path}, expect=400)


async def test_a_missing_artifact_is_404(sample, api):
    await api("runs", sample.parent_id, "artifacts", "file", params={"path": "no.txt"}, expect=404)


async def test_stepped_images_in_s3_are_indexed_paged_and_served_through_the_proxy(
    sample, api, fetch
):
    index = await api("runs", sample.long_run_id, "media")
    stepped = {k["key"]: k["steps"] for k in index["keys"] if k["kind"] == "stepped"}
    assert stepped == sample.image_steps
    page = await api(
        "runs", sample.long_run_id, "media", "items", params={"key": "val/samples", "step": "6"}
    )
    item = page["items"][0]
    assert item["step"] == 5 and item["thumbnail_path"].endswith("+compressed.webp")
    image = await fetch(
        "runs", sample.long_run_id, "artifacts", "file", params={"path": item["path"]}
    )
    assert (
        image.body.startswith(b"\x89PNG") and image.headers["X-Content-Type-Options"] == "nosniff"
    )


async def test_values_at_a_step_come_from_the_team_server(sample, api):
    body = {"run_ids": [sample.long_run_id], "step": 1234, "keys": ["loss"]}
    answer = await api("compare", "at-step", method="POST", body=body)
    assert answer["steps"] == [{"key": "loss", "values": [1234]}]
    assert answer["metrics"][0]["values"] == pytest.approx([1 / 1235 + 5.0])


async def test_compare_returns_the_matrix(sample, api):
    run_ids = sample.run_ids[:3]
    matrix = await api("compare", method="POST", body={"run_ids": run_ids})
    assert [r["run_id"] for r in matrix["runs"]] == run_ids
    params = {p["key"]: p["values"] for p in matrix["params"]}
    metrics = {m["key"]: m["values"] for m in matrix["metrics"]}
    assert params["optimizer"] == ["sgd", "adam", "adam"]
    assert metrics["accuracy"] == pytest.approx([0.5, 0.51, 0.52])
    await api("compare", method="POST", body={"run_ids": [run_ids[0], "f" * 32]}, expect=404)


async def test_models_are_listed_and_read(sample, api):
    listing = await api("models", params={"name": PREFIX})
    assert [m["name"] for m in listing["models"]] == [sample.model_name]
    detail = await api("models", sample.model_name)
    assert [v["version"] for v in detail["versions"]] == ["2", "1"]
    assert detail["aliases"] == {"champion": "1"} and detail["tags"] == {"team": "vision"}
    await api("models", f"{PREFIX}no-such-model", expect=404)


async def test_the_registry_lifecycle_over_rest(api, model_run, team_server):
    name = f"{PREFIX}lifecycle"
    path = ("models", name)
    # Register two versions of the logged model, the first with an alias and tags
    first = await api(
        *path,
        "versions",
        method="POST",
        body={"run_id": model_run, "alias": "candidate", "tags": {"team": "ml"}, "reason": "v1"},
        expect=201,
    )
    assert (first["version"], first["aliases"], first["tags"]["team"]) == ("1", ["candidate"], "ml")
    assert first["source"].startswith("mlflow-artifacts:") or first["source"].startswith("models:")
    second = await api(*path, "versions", method="POST", body={"run_id": model_run}, expect=201)
    assert second["version"] == "2"
    # Promote: stage and alias in one move, archiving the previous Production holder
    body = {"stage": "Production", "alias": "champion", "archive_existing": True}
    await api(*path, "versions", "1", "stage", method="POST", body=body)
    promoted = await api(*path, "versions", "2", "stage", method="POST", body=body)
    assert {v["version"]: v["stage"] for v in promoted["versions"]} == {
        "1": "Archived",
        "2": "Production",
    }
    assert promoted["aliases"] == {"candidate": "1", "champion": "2"}
    # Approve, move and delete an alias, roll back
    approval = await api(*path, "versions", "2", "approvals", method="POST", body={})
    assert approval["approvers"] and approval["version"] == "2"
    moved = await api(*path, "aliases", "staging", method="PUT", body={"version": "2"})
    assert moved["aliases"]["staging"] == "2"
    removed = await api(*path, "aliases", "staging", method="DELETE", params={"reason": "done"})
    assert "staging" not in removed["aliases"]
    rolled = await api(*path, "rollback", method="POST", body={"alias": "champion"})
    assert rolled["aliases"]["champion"] == "1"
    # The audit trail holds every action, oldest first, and MLflow holds the result
    trail = await api(*path, "audit")
    actions = [e["action"] for e in trail["entries"]]
    assert actions[:2] == ["register", "alias"] and actions[-1] == "rollback"
    assert trail["entries"][0]["reason"] == "v1"
    client = MlflowClient(tracking_uri=team_server.url, registry_uri=team_server.url)
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    assert client.get_model_version(name, "1").tags["team"] == "ml"


async def test_registry_writes_refuse_bad_input_over_rest(api, model_run):
    name = f"{PREFIX}refusals"
    await api("models", name, "versions", method="POST", body={"run_id": "0" * 32}, expect=404)
    await api("models", name, "versions", method="POST", body={"run_id": 7}, expect=400)
    await api("models", name, "versions", method="POST", body={"run_id": model_run}, expect=201)
    await api(
        "models", name, "versions", "1", "stage", method="POST", body={"stage": "Ship"}, expect=400
    )
    answer = await api("models", name, "rollback", method="POST", body={"alias": "x"}, expect=409)
    assert "records no move" in answer["message"]


async def test_a_run_kept_offline_is_listed_and_synced_into_postgresql(api, team_server, tmp_path):
    # Given a run a kernel kept in the team server's spool while it was unreachable
    # (the extension's LABTRACK_HOME: see conftest's jp_server_config)
    experiment = f"{PREFIX}offline-{uuid.uuid4().hex[:8]}"
    offline_id = offline_run(tmp_path / "labtrack-home", team_server.url, experiment, "kept", 1500)
    backlog = await api("offline")
    assert backlog["server"] == team_server.url
    assert [(r["run_id"], r["points"]) for r in backlog["unsynced"]] == [(offline_id, 1500)]
    # When the sidebar's "Sync now" is pressed
    sent = await api("offline", "sync", method="POST", body={})
    # Then PostgreSQL holds one copy with exactly every point, and nothing waits
    assert sent["reachable"] is True and sent["problems"] == []
    (synced,) = sent["synced"]
    server_id = synced["server_run_id"]
    ((count, steps),) = team_server.postgres.query(
        "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = %s", server_id
    )
    assert (count, steps) == (1500, 1500)
    assert (await api("offline"))["unsynced"] == []
    again = await api("offline", "sync", method="POST", body={})
    assert again["synced"] == []
    copies = team_server.postgres.query(
        "SELECT count(*) FROM tags WHERE key = 'labtrack.offline.run_id' AND value = %s",
        offline_id,
    )
    assert copies == [(1,)]


async def test_run_writes_the_trash_and_the_run_tree_over_rest(api, fetch, team_server):
    # Given an experiment of the team server with a parent run, two children and an HTML file
    client = MlflowClient(tracking_uri=team_server.url)
    experiment = client.create_experiment(f"{PREFIX}writes")
    parent = client.create_run(experiment, run_name="sweep").info.run_id
    kids = [client.create_run(experiment, tags={"mlflow.parentRunId": parent}) for _ in range(2)]
    kids = [kid.info.run_id for kid in kids]
    client.log_text(parent, "<p>fitted</p>", "estimator.html")
    # Rename, describe, tag: each is what MLflow then holds
    await api("runs", parent, method="PATCH", body={"name": "grid", "description": "**why**"})
    await api("runs", parent, "tags", "owner", method="PUT", body={"value": "ana"})
    await api("runs", parent, "tags", "owner", method="DELETE")
    run = client.get_run(parent)
    assert run.info.run_name == "grid" and run.data.tags["mlflow.note.content"] == "**why**"
    assert "owner" not in run.data.tags
    # The tree's counts, "All experiments", the sandboxed HTML preview
    families = await api("runs", "families", method="POST", body={"run_ids": [parent]})
    assert families["families"] == [{"run_id": parent, "children": 2, "statuses": {"RUNNING": 2}}]
    every = await api(
        "runs", params={"experiment_ids": "all", "filter": "attributes.run_name = 'grid'"}
    )
    assert parent in {r["run_id"] for r in every["runs"]}
    await api("runs", "columns", params={"experiment_ids": "all"})
    html = await fetch(
        "runs", parent, "artifacts", "file", params={"path": "estimator.html", "preview": "html"}
    )
    assert html.headers["Content-Disposition"].startswith("inline")
    # The Trash: one at a time, then in bulk, all or nothing (run by run over REST)
    await api("runs", kids[0], method="DELETE")
    await api("runs", kids[0], "restore", method="POST", body={})
    refused = {"run_ids": [*kids, "f" * 32]}
    await api("runs", "delete", method="POST", body=refused, expect=404)
    assert {client.get_run(k).info.lifecycle_stage for k in kids} == {"active"}
    await api("runs", "delete", method="POST", body={"run_ids": kids})
    trash = await api("runs", params={"experiment_ids": experiment, "lifecycle": "deleted"})
    assert sorted(r["run_id"] for r in trash["runs"]) == sorted(kids)
    await api("runs", "restore", method="POST", body={"run_ids": kids})
    assert {client.get_run(k).info.lifecycle_stage for k in kids} == {"active"}


@pytest.mark.after_module
def test_every_route_and_method_was_requested_against_the_team_server(request):
    # Every route table entry has a test above (listed here so a new route shows up).
    assert {pattern.rsplit(API_PREFIX + "/", 1)[1] for pattern, _ in ROUTE_METHODS} == {
        "status",
        "experiments",
        "runs",
        "runs/columns",
        "runs/families",
        "runs/delete",
        "runs/restore",
        "runs/(?P<run_id>[^/]+)",
        "runs/(?P<run_id>[^/]+)/restore",
        "runs/(?P<run_id>[^/]+)/tags/(?P<key>.+)",
        "runs/(?P<run_id>[^/]+)/metrics/(?P<key>.+)",
        "runs/(?P<run_id>[^/]+)/artifacts",
        "runs/(?P<run_id>[^/]+)/artifacts/file",
        "runs/(?P<run_id>[^/]+)/media",
        "runs/(?P<run_id>[^/]+)/media/items",
        "compare",
        "compare/at-step",
        "models",
        "models/(?P<name>[^/]+)",
        "models/(?P<name>[^/]+)/versions",
        "models/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/stage",
        "models/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/approvals",
        "models/(?P<name>[^/]+)/aliases/(?P<alias>[^/]+)",
        "models/(?P<name>[^/]+)/rollback",
        "models/(?P<name>[^/]+)/audit",
        "offline",
        "offline/sync",
    }
    missing = sorted(ROUTE_METHODS - REQUESTS_MADE)
    module_tests = {i.name for i in request.session.items if i.module is request.module}
    defined = {name for name in globals() if name.startswith("test_")}
    not_run = sorted(defined - module_tests)
    assert not missing, f"routes never requested against the team server: {missing}" + (
        f" (this session left out {not_run}: run the module whole)" if not_run else ""
    )
