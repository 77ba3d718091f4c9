"""``labtrack run NOTEBOOK [-p NAME VALUE]... [-o OUTPUT] [--experiment NAME]``.

Executes the notebook with a real kernel through papermill (parameters injected as
papermill injects them: a cell tagged ``injected-parameters`` after the cell tagged
``parameters``), in the notebook's folder, as JupyterLab would run it. Every ``%%track``
cell is tracked as in JupyterLab, and also records the notebook's path, the ``-p`` values
(as params and as the tag ``labtrack.run.parameters``) and the job's id. Afterwards the
executed notebook, outputs and static plots included, is attached to each tracked run as
``labtrack/executed.ipynb``. The exit status is 0 when every cell ran, 1 when one failed
(its run ends FAILED) or the notebook could not be run, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

from ..tracking.job import job_environ

DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("``", "'")
EPILOG = """\
examples:
  labtrack run train.ipynb -p lr 0.5 -p epochs 20
  MLFLOW_TRACKING_URI=http://mlflow.internal:5000 labtrack run train.ipynb \\
      -o build/train-executed.ipynb --experiment nightly

The notebook must load labtrack (%load_ext labtrack) as it does in JupyterLab. Runs go
where the kernel's MLFLOW_TRACKING_URI points, else to the embedded store.
"""


def parse_value(text: str) -> object:
    """As papermill's ``-p`` reads a value: True/False/None, an int, a float, else text."""
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def add_parser(commands) -> None:
    run = commands.add_parser(
        "run",
        help="execute a notebook as a job, its %%track cells tracked",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("notebook", metavar="NOTEBOOK", help="the notebook (.ipynb) to execute")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable); VALUE is read as papermill reads it "
        "(True, False, None, a number, else text)",
    )
    run.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="where to write the executed notebook (default: NOTEBOOK-executed.ipynb beside it)",
    )
    run.add_argument(
        "--experiment",
        metavar="NAME",
        help="experiment of the tracked cells that do not choose one (as MLFLOW_EXPERIMENT_NAME)",
    )
    run.add_argument(
        "-k", "--kernel", metavar="NAME", help="kernel to run it with (default: the notebook's)"
    )
    run.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="fail a cell that runs longer than this (default: no limit)",
    )
    run.set_defaults(handler=run_notebook)


def _output_path(notebook: Path, output: str | None) -> Path:
    if output:
        return Path(output).expanduser().resolve()
    return notebook.with_name(f"{notebook.stem}-executed.ipynb")


def run_notebook(arguments: argparse.Namespace) -> int:
    from .attach import attach_executed_notebook
    from .execution import CellFailed, execute

    notebook = Path(arguments.notebook).expanduser().resolve()
    if not notebook.is_file():
        print(f"labtrack run: no notebook at {notebook}", file=sys.stderr)
        return 2
    output = _output_path(notebook, arguments.output)
    parameters = {name: parse_value(value) for name, value in arguments.parameter}
    job_id = uuid.uuid4().hex
    # The kernel (started by papermill with this process's environment) reads these.
    os.environ.update(job_environ(str(notebook), parameters, job_id))
    if arguments.experiment:
        os.environ["MLFLOW_EXPERIMENT_NAME"] = arguments.experiment
        os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
    print(f"labtrack run: {notebook} -> {output}", flush=True)
    status = 0
    try:
        execute(notebook, output, parameters, arguments.kernel, arguments.timeout)
    except CellFailed as failure:
        print(f"labtrack run: {failure}", file=sys.stderr, flush=True)
        status = 1
    except Exception as error:  # the kernel died, the notebook is not one, …
        print(f"labtrack run: cannot run {notebook.name}: {error}", file=sys.stderr, flush=True)
        status = 1
    if output.is_file():
        for line in attach_executed_notebook(output, job_id):
            print(f"labtrack run: {line}", flush=True)
    print(f"labtrack run: {'done' if status == 0 else 'failed'}", flush=True)
    return status
