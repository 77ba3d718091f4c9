"""A real jupyter_server with labtrack enabled, reached through pytest-jupyter's jp_fetch."""

from __future__ import annotations

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403 -- pytest-jupyter's fixtures


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
