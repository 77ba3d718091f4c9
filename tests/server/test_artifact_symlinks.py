"""A symlink inside a local run's artifacts that leads out of them is never followed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mlflow
import pytest
from tornado.httpclient import HTTPClientError

from labtrack.backend import prepare_backend, resolve_backend


@pytest.fixture
def run_with_escape(labtrack_home, jp_server_config, tmp_path):
    location = resolve_backend(environ={"LABTRACK_HOME": str(labtrack_home)})
    prepare_backend(location)
    client = mlflow.MlflowClient(tracking_uri=location.tracking_uri)
    run = client.create_run("0")
    client.log_text(run.info.run_id, "inside", "inside.txt")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    os.symlink(secret, Path(client.get_run(run.info.run_id).info.artifact_uri) / "escape.txt")
    return run.info.run_id


async def test_a_symlink_out_of_the_artifacts_is_neither_listed_nor_served(
    run_with_escape, jp_fetch
):
    listing = await jp_fetch("labtrack", "api", "runs", run_with_escape, "artifacts")
    names = {entry["name"] for entry in json.loads(listing.body)["entries"]}
    assert names == {"inside.txt"}
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch(
            "labtrack",
            "api",
            "runs",
            run_with_escape,
            "artifacts",
            "file",
            params={"path": "escape.txt"},
        )
    assert refused.value.code == 400
    assert b"TOP-SECRET" not in (refused.value.response.body or b"")
