"""Settings every labtrack test shares: no telemetry, no stray user-level state."""

import os
import sys
from pathlib import Path

import pytest

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ.pop("MLFLOW_TRACKING_URI", None)
os.environ.pop("MLFLOW_REGISTRY_URI", None)

# Helpers shared by the kernel and server tests (real kernels, notebook runs).
sys.path.insert(0, str(Path(__file__).parent / "support"))


@pytest.fixture(scope="session", autouse=True)
def no_stray_mlflow_data():
    """MLflow falls back to ./mlruns and ./mlflow.db; no test may write them into the repo."""
    root = Path(__file__).resolve().parents[1]
    names = ("mlruns", "mlflow.db")
    before = {name for name in names if (root / name).exists()}
    yield
    created = {name for name in names if (root / name).exists()} - before
    assert not created, f"tests left MLflow data in the repository: {sorted(created)}"
