"""Starting real IPython kernels (as JupyterLab does) and talking to them."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import KernelManager


@dataclass
class Reply:
    status: str
    stdout: str = ""
    stderr: str = ""
    error_name: str | None = None
    outputs: list[dict] = field(default_factory=list)


class RealKernel:
    """A python3 kernel in its own process, started in ``cwd`` with ``env``."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(cwd), env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def execute(self, code: str, timeout: float = 120) -> Reply:
        reply = Reply(status="")

        def collect(message: dict) -> None:
            kind = message["header"]["msg_type"]
            content = message["content"]
            if kind == "stream":
                if content["name"] == "stdout":
                    reply.stdout += content["text"]
                else:
                    reply.stderr += content["text"]
            elif kind == "error":
                reply.error_name = content["ename"]
            if kind in ("stream", "error", "execute_result", "display_data"):
                reply.outputs.append(message["content"])

        answer = self.client.execute_interactive(code, timeout=timeout, output_hook=collect)
        reply.status = answer["content"]["status"]
        return reply

    def start(self, code: str) -> str:
        """Send code without waiting for it to finish; returns the message id."""
        return self.client.execute(code)

    def shutdown(self) -> None:
        self.client.stop_channels()
        if self.manager.is_alive():
            self.manager.shutdown_kernel(now=True)


def kernel_env(labtrack_home: Path, **extra: str) -> dict[str, str]:
    """A kernel environment as a fresh JupyterLab would give: no MLflow settings inherited
    from this test process (``mlflow.set_tracking_uri`` exports ``MLFLOW_TRACKING_URI``)."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MLFLOW_", "_MLFLOW_", "LABTRACK_", "JPY_"))
    }
    source = str(Path(__file__).resolve().parents[2] / "src")
    pythonpath = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    return {
        **inherited,
        "LABTRACK_HOME": str(labtrack_home),
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "PYTHONPATH": pythonpath,
        "PYTHONUNBUFFERED": "1",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        **extra,
    }
