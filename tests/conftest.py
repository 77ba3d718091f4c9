"""Settings every labtrack test shares: no telemetry, no stray user-level state."""

import os
import sys
from pathlib import Path

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ.pop("MLFLOW_TRACKING_URI", None)
os.environ.pop("MLFLOW_REGISTRY_URI", None)

# Helpers shared by the kernel and server tests (real kernels, notebook runs).
sys.path.insert(0, str(Path(__file__).parent / "support"))
