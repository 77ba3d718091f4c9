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
        # milliseconds: ≈3 ms against ≈45 ms with four). Concurrent requests still run in
        # its threads.
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


@dataclass(frozen=True)
class AuthServer:
    """``mlflow server --app-name basic-auth`` on PostgreSQL (runs and users) with S3
    artifacts, holding one ordinary user besides the admin."""

    url: str
    admin: tuple[str, str]
    user: tuple[str, str]
    config_path: str
    mlflow: MlflowServer


AUTH_ADMIN = ("admin", "admin-password-for-tests")
AUTH_USER = ("alice", "alice-password-for-tests")


@pytest.fixture(scope="session")
def auth_server(postgres, s3, tmp_path_factory):
    """As docs/teams.md sets it up: a basic_auth.ini naming the users' database and the
    admin, MLFLOW_AUTH_CONFIG_PATH pointing at it, a static Flask secret key; then a user
    created through MLflow's auth REST API. Every user may read, and edit what they create
    (default_permission = READ)."""
    import requests

    folder = tmp_path_factory.mktemp("auth-server")
    base = postgres.sqlalchemy_uri.rsplit("/", 1)[0]
    for database in ("mlflow_auth_runs", "mlflow_auth_users"):
        postgres.psql(f"CREATE DATABASE {database}")
    config = folder / "basic_auth.ini"
    config.write_text(
        "[mlflow]\n"
        "default_permission = READ\n"
        f"database_uri = {base}/mlflow_auth_users\n"
        f"admin_username = {AUTH_ADMIN[0]}\n"
        f"admin_password = {AUTH_ADMIN[1]}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
    )
    server = MlflowServer(
        folder / "server",
        backend_store_uri=f"{base}/mlflow_auth_runs",
        artifacts_destination=f"s3://{s3.bucket}/auth-artifacts",
        extra_env={
            **s3.client_env(),
            "MLFLOW_AUTH_CONFIG_PATH": str(config),
            "MLFLOW_FLASK_SERVER_SECRET_KEY": "labtrack-tests-secret",
        },
        app_name="basic-auth",
        auth=AUTH_ADMIN,
    )
    try:
        created = requests.post(
            f"{server.url}/api/2.0/mlflow/users/create",
            json={"username": AUTH_USER[0], "password": AUTH_USER[1]},
            auth=AUTH_ADMIN,
            timeout=60,
        )
        assert created.status_code == 200, created.text
        yield AuthServer(server.url, AUTH_ADMIN, AUTH_USER, str(config), server)
    finally:
        server.stop()
