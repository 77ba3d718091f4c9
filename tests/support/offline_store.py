"""Offline work as a kernel leaves it: a run kept in a server's spool (the server was
unreachable when its cell started) and a server run whose end was journaled (the server
went away mid-run). Built with MLflow's client and labtrack's own journal."""

from __future__ import annotations

from pathlib import Path

import mlflow
from mlflow.entities import Metric

from labtrack.backend import prepare_backend
from labtrack.metrics.points import MetricPoint
from labtrack.offline.spool import SERVER_TAG, spool_for
from labtrack.offline.sync import pending_for_server

START_MS = 1_700_000_000_000


def offline_run(home: Path, url: str, experiment: str, name: str, points: int) -> str:
    """A FINISHED run in ``url``'s spool under ``home``, with ``points`` loss points, a
    param and a text artifact; returns its (spool) id."""
    spool = spool_for(url, home)
    prepare_backend(spool.location)
    local = mlflow.MlflowClient(tracking_uri=spool.tracking_uri)
    found = local.get_experiment_by_name(experiment)
    experiment_id = (
        found.experiment_id
        if found
        else local.create_experiment(
            experiment, artifact_location=f"{spool.location.artifact_root}/{experiment}"
        )
    )
    run_id = local.create_run(experiment_id, run_name=name, tags={SERVER_TAG: url}).info.run_id
    metrics = [Metric("loss", 1.0 / (step + 1), START_MS + step, step) for step in range(points)]
    for start in range(0, len(metrics), 1000):
        local.log_batch(run_id, metrics=metrics[start : start + 1000])
    local.log_param(run_id, "lr", "0.1")
    local.log_text(run_id, "kept offline", "notes/hello.txt")
    local.set_terminated(run_id, status="FINISHED")
    return run_id


def journaled_server_run(
    home: Path, url: str, experiment_id: str, points: int, name: str = "cut-short"
) -> str:
    """A RUNNING run on the server (which must answer now) whose last ``points`` and
    FINISHED end wait in its journal under ``home``."""
    client = mlflow.MlflowClient(tracking_uri=url)
    run_id = client.create_run(experiment_id, run_name=name).info.run_id
    pending = pending_for_server(home, url)
    with pending.open(run_id) as journal:
        journal.append_points(
            [
                MetricPoint(run_id, "acc", step / points, START_MS + step, step)
                for step in range(points)
            ]
        )
        journal.append_operation("end", status="FINISHED", end_time=START_MS + 100_000)
    return run_id
