"""Every REST route with good and bad input, against a populated embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from mlflow import MlflowClient
from mlflow_server import MlflowServer
from sample_store import HOSTILE_NAME, LONG_METRIC_STEPS, PNG, populate

from labtrack.backend import prepare_backend, resolve_backend

# The committed JSON Schema the TypeScript types are generated from (docs/rest-api.md).
CONTRACT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "js/lab/generated/contract.schema.json").read_text()
)


@pytest.fixture(scope="module", params=["embedded", "rest"])
def backend(request, tmp_path_factory):
    """The same populated store behind the embedded SQLite backend and a real mlflow server.

    Every test in this module only reads it, so it is built once per backend.
    """
    folder = tmp_path_factory.mktemp(f"{request.param}-backend")
    home = folder / "home"
    if request.param == "embedded":
        location = resolve_backend(environ={"LABTRACK_HOME": str(home)})
        prepare_backend(location)
        yield home, {}, populate(location.tracking_uri, Path(location.artifact_root))
        return
    server = MlflowServer(folder / "server")
    try:
        sample = populate(server.url)
        yield home, {"MLFLOW_TRACKING_URI": server.url}, sample
    finally:
        server.stop()


@pytest.fixture
def labtrack_home(backend):
    return backend[0]


@pytest.fixture
def server_env(backend):
    return backend[1]


@pytest.fixture
def sample(backend, jp_server_config):
    return backend[2]


@pytest.fixture
def api(labtrack_request):
    async def call(*path, **request):
        response = await labtrack_request(*path, **request)
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.body)

    return call


async def test_experiments_are_listed_and_searched_by_name(sample, api):
    every = await api("experiments")
    assert {"Default", "api-tests", "other-experiment"} <= {e["name"] for e in every["experiments"]}
    found = await api("experiments", params={"name": "API"})
    assert [e["name"] for e in found["experiments"]] == ["api-tests"]


async def test_experiments_page_by_page(sample, api):
    first = await api("experiments", params={"page_size": "2"})
    assert len(first["experiments"]) == 2 and first["next_page_token"]
    second = await api(
        "experiments", params={"page_size": "2", "page_token": first["next_page_token"]}
    )
    names = [e["name"] for e in first["experiments"] + second["experiments"]]
    assert len(set(names)) == len(names) == 3


async def test_runs_are_paged_with_only_the_asked_columns(sample, api):
    first = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "page_size": "5",
            "params": "lr",
            "metrics": "accuracy",
            "tags": "team",
        },
    )
    assert len(first["runs"]) == 5 and first["next_page_token"]
    by_name = {row["run_name"]: row for row in first["runs"]}
    for name in ("trial-0", "trial-1", "trial-2"):
        assert by_name[name]["params"] == {}  # trials have no lr param
    row = by_name["run-11"]  # newest of the sample runs, so on the first page
    assert set(row["params"]) == {"lr"} and set(row["metrics"]) == {"accuracy"}
    assert row["tags"] == {"team": "vision"}
    seen = [r["run_id"] for r in first["runs"]]
    token = first["next_page_token"]
    while token:
        page = await api(
            "runs",
            params={"experiment_ids": sample.experiment_id, "page_size": "5", "page_token": token},
        )
        seen += [r["run_id"] for r in page["runs"]]
        token = page["next_page_token"]
    assert sorted(seen) == sorted(sample.run_ids + [sample.parent_id] + sample.child_ids)


async def test_runs_filter_and_order_like_mlflow(sample, api):
    answer = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "filter": "metrics.accuracy > 0.55 and tags.team = 'vision'",
            "order_by": "metrics.accuracy DESC",
            "metrics": "accuracy",
        },
    )
    accuracies = [r["metrics"]["accuracy"] for r in answer["runs"]]
    assert accuracies == sorted(accuracies, reverse=True)
    assert [r["run_name"] for r in answer["runs"]] == ["run-11", "run-09", "run-07"]


async def test_run_columns_list_every_key_the_experiments_runs_have(sample, api):
    columns = await api("runs", "columns", params={"experiment_ids": sample.experiment_id})
    assert columns["params"] == ["lr", "optimizer", "trial"]
    assert columns["metrics"] == ["accuracy", "loss", "unstable"]
    assert {"team", "index", "mlflow.parentRunId", "mlflow.runName"} <= set(columns["tags"])
    assert columns["tags"] == sorted(columns["tags"])
    other = await api("runs", "columns", params={"experiment_ids": sample.other_experiment_id})
    assert other["params"] == [] and other["metrics"] == ["loss"]


async def test_run_columns_need_a_known_experiment(sample, api):
    await api("runs", "columns", expect=400)
    await api("runs", "columns", params={"experiment_ids": "987654"}, expect=404)


async def test_runs_of_one_notebook(sample, api):
    answer = await api(
        "runs", params={"experiment_ids": sample.experiment_id, "notebook": sample.notebook}
    )
    assert sorted(r["run_name"] for r in answer["runs"]) == ["run-00", "run-01", "run-02", "run-03"]


async def test_runs_of_one_notebook_narrowed_by_a_filter(sample, api):
    # "This notebook" and a filter typed in the panel (or the panel following a cell) at once.
    answer = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "notebook": sample.notebook,
            "filter": "attributes.run_name != 'run-00' and attributes.start_time >= 0",
        },
    )
    assert sorted(r["run_name"] for r in answer["runs"]) == ["run-01", "run-02", "run-03"]


async def test_runs_of_a_notebook_named_relative_to_the_server_root(sample, api, jp_root_dir):
    # Given a run of a notebook under the server's root, recorded by its absolute path
    client = MlflowClient(tracking_uri=sample.tracking_uri, registry_uri=sample.tracking_uri)
    experiment_id = client.create_experiment(
        f"relative-notebook-{jp_root_dir.name}", str(jp_root_dir.parent / "artifacts")
    )
    notebook = jp_root_dir / "studies" / "train.ipynb"
    run = client.create_run(experiment_id, tags={"mlflow.source.name": str(notebook)})
    client.create_run(experiment_id, tags={"mlflow.source.name": "/elsewhere/train.ipynb"})

    # When the front end asks by the contents path, as JupyterLab knows it
    answer = await api(
        "runs", params={"experiment_ids": experiment_id, "notebook": "studies/train.ipynb"}
    )

    # Then only that notebook's run is listed
    assert [r["run_id"] for r in answer["runs"]] == [run.info.run_id]


async def test_nan_metrics_travel_as_null(sample, api):
    answer = await api(
        "runs",
        params={
            "experiment_ids": sample.experiment_id,
            "filter": "attributes.run_name = 'run-03'",
            "metrics": "unstable,loss",
        },
    )
    (row,) = answer["runs"]
    assert row["metrics"] == {"unstable": None, "loss": 0.25}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "experiment_ids is required"),
        ({"experiment_ids": "abc"}, "malformed experiment id"),
        ({"experiment_ids": "0", "page_size": "-1"}, "page_size must be between 1 and 1000"),
        ({"experiment_ids": "0", "page_size": "1000000"}, "page_size must be between"),
        ({"experiment_ids": "0", "page_size": "ten"}, "page_size must be an integer"),
        ({"experiment_ids": "0", "filter": "metrics.acc >>> 1"}, ""),
        ({"experiment_ids": "0", "filter": "params.lr = "}, ""),
        ({"experiment_ids": "0", "order_by": "nonsense.x DESC"}, ""),
        ({"experiment_ids": "0", "page_token": "not-a-token"}, ""),
    ],
)
async def test_bad_run_searches_are_400(sample, api, params, message):
    answer = await api("runs", params=params, expect=400)
    assert answer["error"] and message in answer["message"]
    assert "Traceback" not in answer["message"]


async def test_an_unknown_experiment_is_404(sample, api):
    answer = await api("runs", params={"experiment_ids": "987654"}, expect=404)
    assert "987654" in answer["message"]


async def test_run_details_carry_everything_the_panel_shows(sample, api):
    detail = await api("runs", sample.parent_id)
    assert detail["info"]["run_name"] == "sweep"
    assert detail["info"]["status"] == "FINISHED"
    assert sorted(c["run_name"] for c in detail["children"]) == ["trial-0", "trial-1", "trial-2"]
    child = await api("runs", sample.child_ids[0])
    assert child["parent_run_id"] == sample.parent_id
    assert child["params"] == {"trial": "0"}
    assert detail["logged_models"] == [] and detail["datasets"] == []


async def test_run_details_end_their_lineage_at_registered_versions_and_aliases(sample, api):
    detail = await api("runs", sample.run_ids[0])
    assert detail["registered_versions"] == [
        {"name": sample.model_name, "version": "1", "stage": "None", "aliases": ["champion"]}
    ]
    parent = await api("runs", sample.parent_id)
    assert parent["registered_versions"] == []


@pytest.mark.parametrize(
    ("run_id", "status"),
    [("0" * 32, 404), ("not a run id", 400), ("%2e%2e", 400), ("-leading-dash", 400)],
)
async def test_malformed_or_unknown_run_ids(sample, api, run_id, status):
    answer = await api("runs", run_id, expect=status)
    assert answer["message"]


async def test_long_metric_history_is_reduced_and_keeps_its_spike(sample, api):
    series = await api("runs", sample.long_run_id, "metrics", "loss", params={"max_points": "200"})
    assert series["total_points"] == LONG_METRIC_STEPS
    assert series["reduced"] is True
    assert len(series["steps"]) <= 200
    assert series["steps"] == sorted(series["steps"])
    assert series["steps"][0] == 0 and series["steps"][-1] == LONG_METRIC_STEPS - 1
    assert 1234 in series["steps"]  # the spike survives the reduction
    assert series["last_step"] == LONG_METRIC_STEPS - 1


async def test_metric_history_is_incremental_after_a_step(sample, api):
    series = await api("runs", sample.long_run_id, "metrics", "loss", params={"after_step": "4990"})
    assert series["steps"] == list(range(4991, LONG_METRIC_STEPS))
    assert series["reduced"] is False
    empty = await api("runs", sample.long_run_id, "metrics", "loss", params={"after_step": "99999"})
    assert empty["steps"] == [] and empty["total_points"] == 0


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        (("0" * 32, "metrics", "loss"), {}, 404),
        (("RUN", "metrics", "no-such-metric"), {}, 404),
        (("RUN", "metrics", "loss"), {"max_points": "3"}, 400),
        (("RUN", "metrics", "loss"), {"max_points": "99999999"}, 400),
        (("RUN", "metrics", "loss"), {"after_step": "x"}, 400),
    ],
)
async def test_bad_metric_history_requests(sample, api, path, params, status):
    path = tuple(sample.long_run_id if part == "RUN" else part for part in path)
    await api("runs", *path, params=params, expect=status)


async def test_artifacts_are_listed_one_level_at_a_time(sample, api):
    root = await api("runs", sample.parent_id, "artifacts")
    names = [(e["name"], e["is_dir"]) for e in root["entries"]]
    assert names[0] == ("plots", True)  # directories first
    assert {HOSTILE_NAME, "notes.txt", "page.html"} <= {name for name, _ in names}
    plots = await api("runs", sample.parent_id, "artifacts", params={"path": "plots"})
    assert [(e["path"], e["size"]) for e in plots["entries"]] == [("plots/curve.png", len(PNG))]


async def test_raster_images_are_inline_everything_else_a_download(sample, jp_fetch):
    image = await jp_fetch(
        "labtrack",
        "api",
        "runs",
        sample.parent_id,
        "artifacts",
        "file",
        params={"path": "plots/curve.png"},
    )
    assert image.body == PNG
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Content-Disposition"].startswith("inline")
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    page = await jp_fetch(
        "labtrack",
        "api",
        "runs",
        sample.parent_id,
        "artifacts",
        "file",
        params={"path": "page.html"},
    )
    assert page.headers["Content-Disposition"].startswith("attachment")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in page.headers["Content-Security-Policy"]
    hostile = await jp_fetch(
        "labtrack",
        "api",
        "runs",
        sample.parent_id,
        "artifacts",
        "file",
        params={"path": HOSTILE_NAME},
    )
    assert hostile.body == b"a hostile file name\n"
    assert "<" not in hostile.headers["Content-Disposition"].split("filename*")[0]


UNSAFE_PATHS = [
    "../notes.txt",
    "plots/../../x",
    "%2e%2e/x",
    "%252e%252e/x",
    "..%2fx",
    "plots\\..\\..\\x",
    "/etc/passwd",
    "file:///etc/passwd",
    "notes.txt\x00.png",
    "notes.txt#frag",
]


@pytest.mark.parametrize("path", UNSAFE_PATHS)
async def test_unsafe_artifact_paths_are_refused(sample, api, path):
    await api("runs", sample.parent_id, "artifacts", params={"path": path}, expect=400)
    await api("runs", sample.parent_id, "artifacts", "file", params={"path": path}, expect=400)


async def test_missing_artifacts_are_404(sample, api):
    await api("runs", sample.parent_id, "artifacts", params={"path": "nope"}, expect=404)
    await api(
        "runs", sample.parent_id, "artifacts", "file", params={"path": "nope.txt"}, expect=404
    )


async def test_compare_returns_one_matrix_ready_for_parallel_coordinates(sample, api):
    run_ids = sample.run_ids[:3]
    matrix = await api("compare", method="POST", body={"run_ids": run_ids})
    assert [r["run_id"] for r in matrix["runs"]] == run_ids
    params = {p["key"]: p["values"] for p in matrix["params"]}
    metrics = {m["key"]: m["values"] for m in matrix["metrics"]}
    assert params["optimizer"] == ["sgd", "adam", "adam"]
    assert metrics["accuracy"] == pytest.approx([0.5, 0.51, 0.52])


@pytest.mark.parametrize(
    "body", [{}, {"run_ids": "abc"}, {"run_ids": []}, {"run_ids": [1, 2]}, {"run_ids": ["bad id"]}]
)
async def test_bad_compare_requests_are_400(sample, api, body):
    await api("compare", method="POST", body=body, expect=400)


async def test_compare_with_an_unknown_run_is_404(sample, api):
    await api("compare", method="POST", body={"run_ids": [sample.run_ids[0], "f" * 32]}, expect=404)


async def test_models_and_their_versions(sample, api):
    listing = await api("models")
    assert [m["name"] for m in listing["models"]] == [sample.model_name]
    detail = await api("models", sample.model_name)
    assert [v["version"] for v in detail["versions"]] == ["2", "1"]
    assert detail["aliases"] == {"champion": "1"}
    assert detail["versions"][1]["aliases"] == ["champion"]
    assert detail["versions"][1]["run_id"] == sample.run_ids[0]
    assert detail["tags"] == {"team": "vision"}


async def test_an_unknown_model_is_404(sample, api):
    await api("models", "no-such-model", expect=404)


@pytest.mark.parametrize(
    ("path", "params", "shape"),
    [
        (("status",), {}, "IStatus"),
        (("experiments",), {}, "IExperimentPage"),
        (("runs",), {"experiment_ids": "EXP", "params": "lr", "metrics": "accuracy"}, "IRunPage"),
        (("runs", "columns"), {"experiment_ids": "EXP"}, "IRunColumns"),
        (("runs", "PARENT"), {}, "IRunDetail"),
        (("runs", "RUN"), {}, "IRunDetail"),
        (("runs", "LONG", "metrics", "loss"), {"max_points": "50"}, "IMetricSeries"),
        (("runs", "PARENT", "artifacts"), {}, "IArtifactListing"),
        (("models",), {}, "IModelPage"),
        (("models", "MODEL"), {}, "IModelDetail"),
        (("models", "MODEL", "audit"), {}, "IAuditTrail"),
        (("offline",), {}, "IOfflineBacklog"),
        (("runs", "0" * 32), {}, "IErrorResponse"),
    ],
)
async def test_answers_are_what_the_generated_contract_declares(sample, api, path, params, shape):
    # Given the values of this store for the route's placeholders
    values = {
        "EXP": sample.experiment_id,
        "PARENT": sample.parent_id,
        "RUN": sample.run_ids[0],
        "LONG": sample.long_run_id,
        "MODEL": sample.model_name,
    }
    path = tuple(values.get(part, part) for part in path)
    params = {key: values.get(value, value) for key, value in params.items()}
    # When the route answers
    answer = await api(*path, params=params, expect=404 if shape == "IErrorResponse" else 200)
    # Then the answer has exactly the fields and types of its shape in the schema
    check = Draft202012Validator({"$ref": f"#/$defs/{shape}", "$defs": CONTRACT_SCHEMA["$defs"]})
    assert not [error.message for error in check.iter_errors(answer)]
