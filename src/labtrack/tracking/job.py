"""What ``labtrack run`` tells the kernel of a notebook it executes, through its environment.

The command (``labtrack.cli``) runs the notebook with papermill; the kernel it starts
inherits these variables, and every ``%%track`` cell then records, as in JupyterLab, the
notebook's path, plus the job's parameters (``-p NAME VALUE``) as params and as the tag
``labtrack.run.parameters``, and the job's id, by which the command finds the runs to
attach the executed notebook to. Values read back here are validated: a malformed
variable is ignored, never trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .. import tags as T

NOTEBOOK_ENV = "LABTRACK_NOTEBOOK_PATH"
PARAMETERS_ENV = "LABTRACK_RUN_PARAMETERS"
JOB_ENV = "LABTRACK_RUN_JOB"
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def job_environ(notebook_path: str, parameters: Mapping[str, object], job_id: str) -> dict:
    """The variables ``labtrack run`` gives the kernel."""
    return {
        NOTEBOOK_ENV: notebook_path,
        PARAMETERS_ENV: json.dumps(dict(parameters)),
        JOB_ENV: job_id,
    }


def job_parameters(environ: Mapping[str, str]) -> dict[str, object]:
    """The job's ``-p`` parameters ({} outside ``labtrack run``)."""
    try:
        value = json.loads(environ.get(PARAMETERS_ENV, "") or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k)[:250]: v for k, v in value.items() if isinstance(k, str) and k}


def job_tags(environ: Mapping[str, str]) -> dict[str, str]:
    """Tags of a run tracked in a ``labtrack run`` job: its parameters and the job id."""
    job_id = environ.get(JOB_ENV, "")
    if not _JOB_ID.match(job_id):
        return {}
    parameters = json.dumps(job_parameters(environ), sort_keys=True, default=str)
    return {T.RUN_JOB: job_id, T.RUN_PARAMETERS: parameters[: T.MAX_TAG_VALUE]}


def job_notebook(environ: Mapping[str, str]) -> str | None:
    path = environ.get(NOTEBOOK_ENV, "").strip()
    return path or None
