"""Sending a spool's runs to another store exactly once, even when a sync is cut short.

The "server" here is a second real MLflow SQLite store: the copying logic is the same
for a REST server (that path runs in tests/kernel/test_offline.py and
tests/scale/test_faults.py).
"""

from __future__ import annotations

import math
import os

import mlflow
import pytest
from mlflow.entities import Metric, ViewType

from labtrack.backend import prepare_backend
from labtrack.backend.location import embedded_location
from labtrack.metrics.journal import PendingPoints
from labtrack.offline import model_copies
from labtrack.offline import sync as sync_module
from labtrack.offline.spool import SPOOL_RUN_TAG, SYNCED_RUN_TAG, spool_for
from labtrack.offline.sync import sync_server, unsynced_runs


@pytest.fixture
def server_uri(tmp_path):
    location = embedded_location(tmp_path / "server")
    prepare_backend(location)
    return location.tracking_uri


@pytest.fixture
def spool(tmp_path, server_uri, monkeypatch):
    spool = spool_for(server_uri, tmp_path / "home")
    prepare_backend(spool.location)
    monkeypatch.setenv("_MLFLOW_SERVER_ARTIFACT_ROOT", spool.location.artifact_root)
    return spool


def _offline_runs(spool) -> tuple[str, str]:
    local = mlflow.MlflowClient(spool.tracking_uri)
    experiment = local.create_experiment("away")
    parent = local.create_run(experiment, run_name="parent").info.run_id
    child = local.create_run(
        experiment, run_name="child", tags={"mlflow.parentRunId": parent}
    ).info.run_id
    values = [0.5, math.nan, math.inf, -math.inf] + [float(s) for s in range(4, 1500)]
    metrics = [Metric("loss", value, 1_000 + step, step) for step, value in enumerate(values)]
    for start in range(0, len(metrics), 1000):
        local.log_batch(parent, metrics=metrics[start : start + 1000])
    local.log_batch(child, metrics=[Metric("acc", 0.9, 5, 0)])
    local.log_param(parent, "lr", "0.1")
    local.log_text(parent, "hello", "notes/hello.txt")
    local.set_terminated(child)
    local.set_terminated(parent, status="FAILED")
    return parent, child


def _sync(spool, server_uri):
    return sync_server(
        server_uri,
        spool,
        PendingPoints(spool.folder.parent.parent / "pending", server_uri),
        owner_alive=lambda tags: False,
        probe=lambda: None,
    )


def _history(client, run_id):
    points = client.get_metric_history(run_id, "loss")
    return sorted((m.step, m.timestamp, repr(m.value)) for m in points)


def _server_runs(server_uri):
    server = mlflow.MlflowClient(server_uri)
    experiment = server.get_experiment_by_name("away")
    return {
        run.info.run_name: run
        for run in server.search_runs([experiment.experiment_id], run_view_type=ViewType.ALL)
    }


def test_runs_are_copied_whole_with_children_under_their_parent(spool, server_uri):
    parent, child = _offline_runs(spool)
    report = _sync(spool, server_uri)
    assert report.problems == [] and [r.run_name for r in report.synced] == ["parent", "child"]
    runs = _server_runs(server_uri)
    server = mlflow.MlflowClient(server_uri)
    copy = runs["parent"]
    assert copy.info.status == "FAILED" and copy.data.params == {"lr": "0.1"}
    assert copy.data.tags[SPOOL_RUN_TAG] == parent
    assert runs["child"].data.tags["mlflow.parentRunId"] == copy.info.run_id
    local = mlflow.MlflowClient(spool.tracking_uri)
    # Every point as the spool holds it (MLflow's SQL stores keep ±inf as ±max double).
    assert _history(server, copy.info.run_id) == _history(local, parent)
    assert len(_history(server, copy.info.run_id)) == 1500
    assert _history(server, copy.info.run_id)[1][2] == "nan"
    assert [a.path for a in server.list_artifacts(copy.info.run_id, "notes")] == ["notes/hello.txt"]
    assert local.get_run(parent).data.tags[SYNCED_RUN_TAG] == copy.info.run_id
    assert unsynced_runs(spool) == []
    assert _sync(spool, server_uri).synced == []


def test_a_sync_cut_short_resumes_into_the_same_copy_without_duplicates(
    spool, server_uri, monkeypatch
):
    parent, _child = _offline_runs(spool)
    real_copy = sync_module._copy_artifacts
    calls = {"n": 0}

    def crash_once(*args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("the server went away mid-sync")
        return real_copy(*args)

    monkeypatch.setattr(sync_module, "_copy_artifacts", crash_once)
    first = _sync(spool, server_uri)
    assert any("went away mid-sync" in problem for problem in first.problems)
    assert [run.run_id for run in unsynced_runs(spool)][0] == parent
    second = _sync(spool, server_uri)
    assert second.problems == []
    runs = _server_runs(server_uri)
    assert sorted(runs) == ["child", "parent"]  # one copy each, not two
    server = mlflow.MlflowClient(server_uri)
    assert len(server.get_metric_history(runs["parent"].info.run_id, "loss")) == 1500
    assert len(server.get_metric_history(runs["child"].info.run_id, "acc")) == 1


def test_a_running_run_of_a_live_kernel_waits_and_one_of_a_dead_kernel_is_sent_killed(
    spool, server_uri
):
    local = mlflow.MlflowClient(spool.tracking_uri)
    experiment = local.create_experiment("away")
    running = local.create_run(experiment, run_name="running").info.run_id
    pending = PendingPoints(spool.folder.parent.parent / "pending", server_uri)
    alive = sync_server(
        server_uri, spool, pending, owner_alive=lambda tags: True, probe=lambda: None
    )
    assert alive.still_running == [running] and alive.synced == []
    dead = sync_server(
        server_uri, spool, pending, owner_alive=lambda tags: False, probe=lambda: None
    )
    assert [(r.run_name, r.status) for r in dead.synced] == [("running", "KILLED")]


def test_an_unreachable_server_is_reported_and_nothing_is_touched(spool, server_uri):
    _offline_runs(spool)
    report = sync_server(
        server_uri,
        spool,
        PendingPoints(spool.folder / "pending", server_uri),
        owner_alive=lambda tags: False,
        probe=lambda: "connection refused",
    )
    assert not report.reachable
    assert report.lines() == [f"{server_uri} is unreachable (connection refused); nothing was sent"]
    assert len(unsynced_runs(spool)) == 2


def _offline_run_with_a_model(spool):
    """A spooled run that logged a scikit-learn model, as a cell started offline does."""
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(spool.tracking_uri)
    try:
        # Not mlflow.set_experiment: it exports MLFLOW_EXPERIMENT_ID to this process's
        # environment, which later tests' subprocesses would inherit.
        experiment = mlflow.MlflowClient(spool.tracking_uri).create_experiment("away")
        with mlflow.start_run(run_name="with-model", experiment_id=experiment) as run:
            mlflow.log_metric("loss", 0.1, step=0)
            logged = mlflow.sklearn.log_model(model, name="regressor", params={"alpha": "0"})
    finally:
        mlflow.set_tracking_uri(previous)
    return run.info.run_id, logged.model_id


def test_models_logged_offline_are_copied_with_their_run_exactly_once(
    spool, server_uri, monkeypatch
):
    offline_run_id, offline_model_id = _offline_run_with_a_model(spool)
    assert "MLFLOW_EXPERIMENT_ID" not in os.environ
    real_copy = sync_module.copy_logged_models
    calls = {"n": 0}

    def crash_after_the_models(*args):
        calls["n"] += 1
        copied = real_copy(*args)
        if calls["n"] == 1:  # the models are on the server, the run is not marked synced
            raise ConnectionError("the server went away mid-sync")
        return copied

    monkeypatch.setattr(sync_module, "copy_logged_models", crash_after_the_models)
    assert _sync(spool, server_uri).problems  # cut short after the copy
    report = _sync(spool, server_uri)
    assert report.problems == [] and [r.models for r in report.synced] == [1]
    assert "1 model(s)" in report.lines()[0]

    server = mlflow.MlflowClient(server_uri)
    copy_run = _server_runs(server_uri)["with-model"]
    models = server.search_logged_models([copy_run.info.experiment_id])
    assert len(models) == 1  # one copy, although the first sync copied it already
    (copied,) = models
    assert copied.model_id != offline_model_id
    assert copied.source_run_id == copy_run.info.run_id
    assert copied.tags[model_copies.SPOOL_MODEL_TAG] == offline_model_id
    assert copied.name == "regressor" and copied.params == {"alpha": "0"}
    assert str(copied.status) == "READY"
    assert [o.model_id for o in copy_run.outputs.model_outputs] == [copied.model_id]
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(server_uri)
    try:
        loaded = mlflow.sklearn.load_model(f"models:/{copied.model_id}")
    finally:
        mlflow.set_tracking_uri(previous)
    assert list(loaded.predict([[3.0]])) == pytest.approx([7.0])
