"""Bulk moves to the Trash and back (all or nothing), the Trash and "All experiments"
listings, child-run counts for the run tree, and the sandboxed HTML artifact preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bulk_runs import insert_runs
from jsonschema import Draft202012Validator
from mlflow import MlflowClient
from mlflow.entities import ViewType

from labtrack.backend import prepare_backend, resolve_backend

CONTRACT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "js/lab/generated/contract.schema.json").read_text()
)


def valid(answer: dict, name: str) -> dict:
    schema = {"$ref": f"#/$defs/{name}", "$defs": CONTRACT_SCHEMA["$defs"]}
    Draft202012Validator(schema).validate(answer)
    return answer


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("run-lists-home")
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    client = MlflowClient(tracking_uri=location.tracking_uri)
    root = location.artifact_root
    first = client.create_experiment("lists-a", f"{root}/a")
    second = client.create_experiment("lists-b", f"{root}/b")
    return home, client, first, second, location.tracking_uri


@pytest.fixture
def labtrack_home(store):
    return store[0]


@pytest.fixture
def api(labtrack_request):
    async def call(*path, raw=False, **request):
        response = await labtrack_request(*path, **request)
        return response if raw else json.loads(response.body)

    return call


def stages(client, run_ids) -> set[str]:
    return {client.get_run(run_id).info.lifecycle_stage for run_id in run_ids}


def deleted_ids(client, experiment) -> set[str]:
    runs = client.search_runs([experiment], run_view_type=ViewType.DELETED_ONLY, max_results=5000)
    return {run.info.run_id for run in runs}


async def test_a_thousand_runs_go_to_the_trash_at_once_or_not_at_all(api, store):
    _, client, _, second, uri = store
    ids = insert_runs(uri, second, 1000, 1_700_000_000_000)
    before = deleted_ids(client, second)

    # When one of 1,001 ids is unknown, or the list is too long, nothing is deleted
    missing = "f" * 32
    answer = valid(
        await api(
            "runs", "delete", method="POST", body={"run_ids": [*ids[:999], missing]}, expect=404
        ),
        "ILifecycleOutcome",
    )
    assert answer["changed"] == []
    assert [(f["run_id"], f["problem"]) for f in answer["failed"]] == [(missing, "not-found")]
    await api("runs", "delete", method="POST", body={"run_ids": [*ids, missing]}, expect=400)
    assert deleted_ids(client, second) == before

    # When all 1,000 exist and are active, all go to the Trash
    answer = valid(
        await api("runs", "delete", method="POST", body={"run_ids": ids}), "ILifecycleOutcome"
    )
    assert answer["changed"] == ids and answer["failed"] == []
    assert answer["lifecycle_stage"] == "deleted"
    assert deleted_ids(client, second) - before == set(ids)

    # And restoring a mix of deleted runs and one active run restores none
    active = client.create_run(second).info.run_id
    answer = await api(
        "runs", "restore", method="POST", body={"run_ids": [*ids[:10], active]}, expect=409
    )
    assert [(f["run_id"], f["problem"]) for f in answer["failed"]] == [(active, "active")]
    assert stages(client, ids[:10]) == {"deleted"}

    # Then restoring the deleted ones brings them all back
    answer = await api("runs", "restore", method="POST", body={"run_ids": ids})
    assert answer["lifecycle_stage"] == "active" and len(answer["changed"]) == 1000
    assert deleted_ids(client, second) == before
    assert stages(client, ids[:3]) == {"active"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"run_ids": []}, "give 1 to 1000 run ids"),
        ({"run_ids": "abc"}, "wrong type"),
        ({"run_ids": [1, 2]}, "wrong type"),
        ({"run_ids": ["../etc"]}, "malformed run id"),
        ({}, "field 'run_ids' is required"),
    ],
)
async def test_bad_bulk_bodies_are_400(api, body, message):
    answer = await api("runs", "delete", method="POST", body=body, expect=400)
    assert message in answer["message"]


async def test_deleting_a_run_twice_in_bulk_is_a_conflict(api, store):
    _, client, first, *_ = store
    run_ids = [client.create_run(first).info.run_id for _ in range(2)]
    client.delete_run(run_ids[0])
    answer = await api("runs", "delete", method="POST", body={"run_ids": run_ids}, expect=409)
    assert answer["failed"][0]["problem"] == "deleted"
    assert "nothing was deleted" in answer["message"]
    assert stages(client, run_ids[1:]) == {"active"}


async def test_the_trash_lists_deleted_runs_of_every_experiment(api, store):
    _, client, first, second, _ = store
    gone = [client.create_run(e, run_name=f"trashed-{e}").info.run_id for e in (first, second)]
    kept = client.create_run(first, run_name="kept").info.run_id
    for run_id in gone:
        client.delete_run(run_id)
    params = {"experiment_ids": "all", "lifecycle": "deleted", "page_size": "1000"}
    page = valid(await api("runs", params=params), "IRunPage")
    listed = {row["run_id"]: row for row in page["runs"]}
    assert set(gone) <= set(listed) and kept not in listed
    assert {listed[r]["lifecycle_stage"] for r in gone} == {"deleted"}
    assert {listed[r]["experiment_id"] for r in gone} == {first, second}
    one = await api("runs", params={"experiment_ids": first, "lifecycle": "deleted"})
    assert gone[0] in {r["run_id"] for r in one["runs"]}
    assert gone[1] not in {r["run_id"] for r in one["runs"]}
    await api("runs", params={"experiment_ids": "all", "lifecycle": "gone"}, expect=400)
    await api("runs", params={"experiment_ids": "999", "lifecycle": "deleted"}, expect=404)


async def test_all_experiments_lists_active_runs_of_each_with_their_columns(api, store):
    _, client, first, second, _ = store
    a = client.create_run(first, run_name="in-a").info.run_id
    b = client.create_run(second, run_name="in-b").info.run_id
    client.log_param(b, "only_in_b", "1")
    params = {"experiment_ids": "all", "filter": "attributes.run_name LIKE 'in-%'"}
    page = valid(await api("runs", params=params), "IRunPage")
    assert {(r["run_id"], r["experiment_id"]) for r in page["runs"]} == {(a, first), (b, second)}
    columns = valid(await api("runs", "columns", params={"experiment_ids": "all"}), "IRunColumns")
    assert "only_in_b" in columns["params"]


async def test_families_count_each_parents_children_by_status(api, store):
    _, client, first, second, _ = store
    parent = client.create_run(first, run_name="sweep").info.run_id
    lonely = client.create_run(first, run_name="alone").info.run_id
    children = []
    for index, experiment in enumerate((first, first, second)):  # one child elsewhere
        child = client.create_run(experiment, tags={"mlflow.parentRunId": parent})
        client.set_terminated(child.info.run_id, "FAILED" if index == 0 else "FINISHED")
        children.append(child.info.run_id)
    gone = client.create_run(first, tags={"mlflow.parentRunId": parent}).info.run_id
    client.delete_run(gone)  # a trashed child does not count
    answer = await api("runs", "families", method="POST", body={"run_ids": [parent, lonely]})
    valid(answer, "IRunFamilies")
    assert answer == {
        "families": [{"run_id": parent, "children": 3, "statuses": {"FAILED": 1, "FINISHED": 2}}],
        "sampled": False,
    }
    too_many = {"run_ids": [f"{i:032x}" for i in range(1001)]}
    await api("runs", "families", method="POST", body=too_many, expect=400)


async def test_an_html_artifact_is_previewed_inline_without_script(api, store, tmp_path):
    _, client, first, *_ = store
    run_id = client.create_run(first).info.run_id
    (tmp_path / "estimator.html").write_text("<style>p{color:red}</style><script>x()</script>")
    (tmp_path / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    client.log_artifacts(run_id, str(tmp_path))
    route = ("runs", run_id, "artifacts", "file")

    # As a download by default
    plain = await api(*route, params={"path": "estimator.html"}, raw=True)
    assert plain.headers["Content-Disposition"].startswith("attachment")
    # Inline for the preview, under a policy that lets it style itself and run nothing
    shown = await api(*route, params={"path": "estimator.html", "preview": "html"}, raw=True)
    assert shown.headers["Content-Disposition"].startswith("inline")
    policy = shown.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "script-src" not in policy and "style-src 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    # Only HTML is previewed this way
    await api(*route, params={"path": "plot.png", "preview": "html"}, expect=400)
    await api(*route, params={"path": "estimator.html", "preview": "js"}, expect=400)
