"""A real jupyter_server with labtrack enabled, reached through pytest-jupyter's jp_fetch."""

from __future__ import annotations

import json

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403 -- pytest-jupyter's fixtures
from tornado.httpclient import HTTPClientError


@pytest.fixture
def labtrack_home(tmp_path):
    return tmp_path / "labtrack-home"


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the Jupyter server; modules override it (e.g. a REST backend)."""
    return {}


@pytest.fixture
def jp_server_config(labtrack_home, server_env, monkeypatch):
    monkeypatch.setenv("LABTRACK_HOME", str(labtrack_home))
    # mlflow.set_tracking_uri and set_registry_uri (run by kernel tests in this process)
    # export these; the server must resolve its backend from a clean environment.
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "_MLFLOW_SERVER_ARTIFACT_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in server_env.items():
        monkeypatch.setenv(name, value)
    return {"ServerApp": {"jpserver_extensions": {"labtrack": True}}}


@pytest.fixture
def labtrack_request(jp_fetch):
    """A request to a labtrack route (``labtrack/api/…``): its response, once its status is
    the one expected. ``body`` is sent as JSON, ``raw_body`` as given (bytes)."""

    async def call(
        *path, method="GET", body=None, raw_body=None, params=None, headers=None, expect=200
    ):
        kwargs = {"method": method, "params": params or {}}
        if headers:
            kwargs["headers"] = headers
        if body is not None or raw_body is not None:
            kwargs["body"] = raw_body if raw_body is not None else json.dumps(body)
        try:
            response = await jp_fetch("labtrack", "api", *path, **kwargs)
        except HTTPClientError as error:
            response = error.response
        assert response.code == expect, response.body
        return response

    return call
