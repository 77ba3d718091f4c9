"""labtrack, unchanged, against a team's ``mlflow server`` on PostgreSQL with S3 artifacts.

The kernel is only told ``MLFLOW_TRACKING_URI``: it has no S3 credentials, so every
artifact it stores must go through the server's artifact proxy.
"""

from __future__ import annotations

import re

import mlflow
import pytest
from real_kernels import RealKernel, kernel_env

from labtrack.backend import resolve_backend
from labtrack.backend.facade import TrackingFacade
from labtrack.backend.queries import RunQuery

STEPS = 300
RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '([^']+)' (\w+)")


def _stored(team_server, sql: str, *params) -> list[tuple]:
    return team_server.postgres.query(sql, *params)


@pytest.fixture(scope="module")
def tracked_run(team_server, tmp_path_factory):
    """One ``%%track`` cell run in a real kernel against the team server."""
    folder = tmp_path_factory.mktemp("tracked-kernel")
    kernel = RealKernel(folder, kernel_env(folder / "home", MLFLOW_TRACKING_URI=team_server.url))
    try:
        assert kernel.execute("%load_ext labtrack").status == "ok"
        reply = kernel.execute(
            "%%track --experiment team-e2e --name remote-loop --no-live\n"
            "import mlflow\n"
            f"for step in range({STEPS}):\n"
            "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
            f"mlflow.log_param('steps', {STEPS})\n",
            timeout=300,
        )
    finally:
        kernel.shutdown()
    found = RUN_LINE.search(reply.stdout)
    assert reply.status == "ok" and found, f"{reply.stdout}\n{reply.stderr}"
    run = mlflow.MlflowClient(tracking_uri=team_server.url).get_run(found.group(2))
    return run


def test_the_server_keeps_its_runs_in_postgresql(team_server, tracked_run):
    (status,) = _stored(
        team_server, "SELECT status FROM runs WHERE run_uuid = %s", tracked_run.info.run_id
    )[0]
    assert status == "FINISHED"
    assert tracked_run.info.status == "FINISHED"
    assert tracked_run.data.params == {"steps": str(STEPS)}


def test_a_tracked_cell_stores_every_point_exactly_once(team_server, tracked_run):
    ((count, steps),) = _stored(
        team_server,
        "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = %s AND key = 'loss'",
        tracked_run.info.run_id,
    )
    assert (count, steps) == (STEPS, STEPS)


def test_the_cell_source_is_stored_in_s3_through_the_server(team_server, tracked_run):
    info = tracked_run.info
    assert info.artifact_uri.startswith("mlflow-artifacts:")
    keys = team_server.s3_keys_of_run(info.experiment_id, info.run_id)
    cell = [key for key in keys if key.endswith("/artifacts/labtrack/cell.py")]
    assert cell, f"no cell source among the run's S3 objects: {keys}"
    assert b"mlflow.log_metric('loss'" in team_server.s3.read(cell[0])


def test_the_facade_lists_the_run_over_rest(team_server, tracked_run):
    facade = TrackingFacade(resolve_backend(explicit_uri=team_server.url))
    try:
        page = facade.search_runs(RunQuery(experiment_ids=(tracked_run.info.experiment_id,)))
    finally:
        facade.close()
    assert [row.run_id for row in page.runs] == [tracked_run.info.run_id]
    assert page.runs[0].status == "FINISHED"


def test_the_facade_serves_an_artifact_file_from_s3_through_the_server(team_server, tracked_run):
    facade = TrackingFacade(resolve_backend(explicit_uri=team_server.url))
    run_id = tracked_run.info.run_id
    try:
        listing = facade.artifact_listing(run_id, "labtrack")
        served = facade.artifact_file(run_id, "labtrack/cell.py")
        try:
            text = served.read(served.size + 1).decode()
        finally:
            served.cleanup()
    finally:
        facade.close()
    assert "labtrack/cell.py" in [entry.path for entry in listing.entries]
    assert "mlflow.log_metric('loss'" in text


def test_the_metric_history_is_read_whole_over_rest(team_server, tracked_run):
    facade = TrackingFacade(resolve_backend(explicit_uri=team_server.url))
    try:
        series = facade.metric_history(tracked_run.info.run_id, "loss", 10_000, None)
    finally:
        facade.close()
    assert list(series.steps) == list(range(STEPS))
