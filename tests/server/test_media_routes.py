"""A run's images (``runs/{id}/media``, ``media/items``) and metric values at a chosen step
(``compare/at-step``), on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from mlflow import MlflowClient
from mlflow.entities import Metric
from sample_store import populate

from labtrack.backend import prepare_backend, resolve_backend

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "js/lab/generated/contract.schema.json").read_text()
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("media") / "home"
    location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
    prepare_backend(location)
    return home, populate(location.tracking_uri, Path(location.artifact_root))


@pytest.fixture
def labtrack_home(store):
    return store[0]


@pytest.fixture
def sample(store, jp_server_config):
    return store[1]


@pytest.fixture
def fetch(labtrack_request):
    async def call(*path, shape=None, **request):
        response = await labtrack_request(*path, **request)
        if shape is not None:
            answer = json.loads(response.body)
            check = Draft202012Validator({"$ref": f"#/$defs/{shape}", "$defs": SCHEMA["$defs"]})
            assert not [error.message for error in check.iter_errors(answer)]
            return answer
        return response

    return call


async def test_the_index_lists_each_key_with_its_steps_and_the_image_artifacts(sample, fetch):
    index = await fetch("runs", sample.long_run_id, "media", shape="IMediaIndex")
    stepped = {k["key"]: k["steps"] for k in index["keys"] if k["kind"] == "stepped"}
    assert stepped == sample.image_steps
    assert all(len(k["timestamps"]) == k["count"] for k in index["keys"])
    other = await fetch("runs", sample.parent_id, "media", shape="IMediaIndex")
    assert [(k["kind"], k["count"]) for k in other["keys"]] == [("files", 1)]


async def test_a_page_holds_the_full_image_and_its_thumbnail_served_by_the_artifact_route(
    sample, fetch
):
    run = sample.long_run_id
    page = await fetch(
        "runs", run, "media", "items", params={"key": "val/samples", "offset": "1", "limit": "5"},
        shape="IMediaPage",
    )  # fmt: skip
    assert (page["offset"], page["total"]) == (1, 3)
    assert [item["step"] for item in page["items"]] == [5, 12]
    item = page["items"][0]
    assert item["path"].startswith("images/val~samples+step+5+") and item["path"].endswith(".png")
    assert item["thumbnail_path"].endswith("+compressed.webp")
    for path in (item["path"], item["thumbnail_path"]):
        image = await fetch("runs", run, "artifacts", "file", params={"path": path})
        assert image.headers["X-Content-Type-Options"] == "nosniff"
        assert image.headers["Content-Disposition"].startswith("inline")


async def test_the_nearest_logged_step_is_found_and_old_names_are_served_as_named(sample, fetch):
    run = sample.long_run_id
    near = await fetch("runs", run, "media", "items", params={"key": "val/samples", "step": "9"})
    assert json.loads(near.body)["items"][0]["step"] == 12
    legacy = json.loads(
        (await fetch("runs", run, "media", "items", params={"key": "legacy"})).body
    )["items"][0]
    assert legacy["path"] == "images/legacy%step%12%timestamp%1700000000123%g1e2f.png"
    await fetch("runs", run, "artifacts", "file", params={"path": legacy["path"]})


@pytest.mark.parametrize(
    "params",
    [{}, {"key": "val/samples", "kind": "video"}, {"key": "val/samples", "limit": "0"},
     {"key": "val/samples", "offset": "x"}],
)  # fmt: skip
async def test_bad_media_requests_are_400(sample, fetch, params):
    await fetch("runs", sample.long_run_id, "media", "items", params=params, expect=400)


async def test_an_unknown_key_is_404(sample, fetch):
    params = {"key": "no-such-key"}
    await fetch("runs", sample.long_run_id, "media", "items", params=params, expect=404)


async def test_values_at_a_step_are_the_nearest_logged_ones(sample, fetch, labtrack_home):
    client = MlflowClient(f"sqlite:///{labtrack_home}/mlflow.db")
    run = client.create_run(sample.experiment_id, run_name="at-step").info.run_id
    client.log_batch(
        run, metrics=[Metric("loss", 10.0 - s, 1_700_000_000_000 + s, s) for s in (0, 4, 10)]
    )
    client.log_metric(run, "loss", 99.0, timestamp=1_700_000_000_999, step=4)  # logged again
    body = {"run_ids": [run, sample.long_run_id], "step": 6, "keys": ["loss"]}
    answer = await fetch("compare", "at-step", method="POST", body=body, shape="ICompareAtStep")
    assert answer["metrics"] == [{"key": "loss", "values": [99.0, pytest.approx(1 / 7)]}]
    assert answer["steps"] == [{"key": "loss", "values": [4, 6]}]
    every = await fetch("compare", "at-step", method="POST", body={"run_ids": [run], "step": 100})
    assert json.loads(every.body)["steps"] == [{"key": "loss", "values": [10]}]


@pytest.mark.parametrize(
    "body", [{}, {"run_ids": ["a" * 32]}, {"run_ids": ["a" * 32], "step": "3"},
             {"run_ids": [], "step": 1}, {"run_ids": ["a" * 32], "step": 1, "keys": "loss"}],
)  # fmt: skip
async def test_bad_at_step_requests_are_400(sample, fetch, body):
    await fetch("compare", "at-step", method="POST", body=body, expect=400)
