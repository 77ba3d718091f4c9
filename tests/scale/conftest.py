"""A team's tracking server, for real: PostgreSQL, an S3 endpoint and ``mlflow server``.

Session fixtures, all on loopback and in temporary folders, stopped and removed at the
end (also when a later fixture fails to start). PostgreSQL and the MLflow server are
the real ones; S3 is moto's server mode. A machine without PostgreSQL fails these
tests with how to install it: they are never skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from mlflow_server import MlflowServer
from postgres_cluster import PostgresCluster
from s3_endpoint import S3Endpoint

ARTIFACT_PREFIX = "mlflow-artifacts"


@dataclass(frozen=True)
class TeamServer:
    """``mlflow server`` on PostgreSQL with artifacts proxied to S3."""

    url: str
    postgres: PostgresCluster
    s3: S3Endpoint
    mlflow: MlflowServer

    def s3_keys_of_run(self, experiment_id: str, run_id: str) -> list[str]:
        return self.s3.keys(f"{ARTIFACT_PREFIX}/{experiment_id}/{run_id}/")


@pytest.fixture(scope="session")
def postgres():
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    endpoint = S3Endpoint(tmp_path_factory.mktemp("s3"))
    yield endpoint
    endpoint.stop()


@pytest.fixture(scope="session")
def team_server(postgres, s3, tmp_path_factory):
    server = MlflowServer(
        tmp_path_factory.mktemp("team-server"),
        backend_store_uri=postgres.sqlalchemy_uri,
        artifacts_destination=f"s3://{s3.bucket}/{ARTIFACT_PREFIX}",
        extra_env=s3.client_env(),
        # One worker: each worker opens its store on its first request, seconds after
        # /health answers; one worker is warmed by the readiness probe (and answers in
        # milliseconds, TOOLCHAIN.md). Concurrent requests still run in its threads.
        workers=1,
    )
    yield TeamServer(url=server.url, postgres=postgres, s3=s3, mlflow=server)
    server.stop()


@pytest.fixture(autouse=True)
def no_tracking_uri_in_this_process(monkeypatch):
    """Each test names its backend; nothing leaks from one test to the next."""
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "_MLFLOW_SERVER_ARTIFACT_ROOT"):
        monkeypatch.delenv(name, raising=False)
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
