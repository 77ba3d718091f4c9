"""Notebooks for `labtrack run` tests, and running the command as CI would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
FIRST = """\
%%track --name first
import mlflow
for step in range(epochs):
    mlflow.log_metric("loss", lr / (step + 1), step=step)
"""
SECOND = """\
%%track --name second
import mlflow
mlflow.log_metric("accuracy", 1 - lr / 10)
"""
RAISING = """\
%%track --name second
raise ValueError("the data is not there")
"""


def job_notebook(path: Path, second: str = SECOND) -> Path:
    """A parameters cell (lr, epochs) and two tracked cells, as a person would write them."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = KERNELSPEC
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext labtrack"),
        nbformat.v4.new_code_cell("lr = 0.1\nepochs = 3", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(FIRST),
        nbformat.v4.new_code_cell(second),
    ]
    nbformat.write(notebook, path)
    return path


def labtrack_run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """``labtrack run ARGS…`` through the installed console script."""
    command = [str(Path(sys.executable).with_name("labtrack")), "run", *args]
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
