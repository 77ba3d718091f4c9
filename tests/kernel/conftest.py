"""Fixtures that start real things: an IPython shell with labtrack loaded, real kernels."""

from __future__ import annotations

import os
from dataclasses import dataclass

import mlflow
import pytest


@pytest.fixture(scope="session")
def labtrack_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("labtrack-home")
    os.environ["LABTRACK_HOME"] = str(home)
    yield home
    os.environ.pop("LABTRACK_HOME", None)


@pytest.fixture(scope="session")
def shell(labtrack_home):
    from IPython.core.interactiveshell import InteractiveShell

    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "_MLFLOW_SERVER_ARTIFACT_ROOT"):
        os.environ.pop(name, None)
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "labtrack")
    return shell


@pytest.fixture
def client(shell):
    return mlflow.MlflowClient()


@dataclass
class CellRun:
    result: object
    out: str
    err: str

    @property
    def run_id(self) -> str:
        """The id in the last summary line: the cell's own run ends last."""
        summaries = [ln for ln in self.out.splitlines() if ln.startswith("labtrack: run ")]
        if not summaries:
            raise AssertionError(f"no labtrack summary in output:\n{self.out}\n{self.err}")
        return summaries[-1].split("(", 1)[1].split(")", 1)[0]


@pytest.fixture
def run_cell(shell, capsys):
    """Run a cell in the real shell and return its result and what it printed."""

    def run(source: str) -> CellRun:
        capsys.readouterr()
        result = shell.run_cell(source, store_history=True)
        captured = capsys.readouterr()
        return CellRun(result, captured.out, captured.err)

    yield run
    # Whatever a test did, no run may stay active for the next one.
    while mlflow.active_run() is not None:
        mlflow.end_run()
    forget_explicit_autolog()


def forget_explicit_autolog() -> None:
    """A cell's own `mlflow.sklearn.autolog(...)` is an explicit choice MLflow keeps for the
    process: a later `mlflow.autolog()` (as `%%track --autolog` calls) leaves that flavor
    as the user set it. Tests share one shell, so each starts as if no cell had chosen."""
    from mlflow.utils.autologging_utils import (
        AUTOLOGGING_CONF_KEY_IS_GLOBALLY_CONFIGURED,
        AUTOLOGGING_INTEGRATIONS,
    )

    mlflow.autolog(disable=True, silent=True)
    for config in AUTOLOGGING_INTEGRATIONS.values():
        config[AUTOLOGGING_CONF_KEY_IS_GLOBALLY_CONFIGURED] = True
