"""A real jupyter_server with labtrack, pointed at a real ``mlflow server`` by its traitlet.

In its own folder because pytest-jupyter's fixtures bring an autouse event loop that the
kernel tests beside it do not need. Each module names the server with
``extension_tracking_uri`` and may give the Jupyter server's environment (credentials)
with ``extension_env``.
"""

from __future__ import annotations

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403 -- pytest-jupyter's fixtures

CREDENTIAL_VARIABLES = (
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
)


def pytest_collection_modifyitems(session, config, items):
    """A test marked ``after_module`` checks what its module's other tests did, so it is
    moved behind them whatever order they were collected or shuffled in."""
    for item in [i for i in items if i.get_closest_marker("after_module")]:
        items.remove(item)
        same_module = [n for n, other in enumerate(items) if other.module is item.module]
        items.insert(same_module[-1] + 1 if same_module else len(items), item)


@pytest.fixture
def extension_tracking_uri() -> str:
    raise NotImplementedError("each module names the tracking server it serves")


@pytest.fixture
def extension_env() -> dict[str, str]:
    return {}


@pytest.fixture
def jp_server_config(extension_tracking_uri, extension_env, monkeypatch, tmp_path):
    monkeypatch.setenv("LABTRACK_HOME", str(tmp_path / "labtrack-home"))
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", *CREDENTIAL_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    # The extension sets these (as defaults) for a REST backend; set here, as the
    # extension would, they are restored after each test.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
    for name, value in extension_env.items():
        monkeypatch.setenv(name, value)
    return {
        "ServerApp": {"jpserver_extensions": {"labtrack": True}},
        "LabtrackConfig": {"tracking_uri": extension_tracking_uri},
    }
