"""After the job: the executed notebook attached to every run its tracked cells recorded.

The runs are found by the job id the kernel tagged them with (``labtrack.run.job``), on
the backend the kernel used (``MLFLOW_TRACKING_URI``, else the embedded store), so a
run of any experiment, including ones the notebook created, is found.
"""

from __future__ import annotations

from pathlib import Path

from .. import tags as T
from ..limits import MAX_EXPERIMENTS_PER_SEARCH, batched

PAGE = 1000


def _experiment_ids(client) -> list[str]:
    ids, token = [], None
    while True:
        page = client.search_experiments(max_results=PAGE, page_token=token)
        ids.extend(experiment.experiment_id for experiment in page)
        token = page.token
        if not token:
            return ids


def job_runs(client, job_id: str) -> list:
    """The top-level runs tagged with ``job_id`` (the runs its tracked cells opened, not
    their children, which carry the tag too), oldest first."""
    runs = []
    for chunk in batched(_experiment_ids(client), MAX_EXPERIMENTS_PER_SEARCH):
        runs.extend(
            client.search_runs(
                list(chunk),
                filter_string=f"tags.`{T.RUN_JOB}` = '{job_id}'",
                max_results=PAGE,
            )
        )
    ids = {run.info.run_id for run in runs}
    top = [run for run in runs if run.data.tags.get(T.PARENT_RUN_ID) not in ids]
    return sorted(top, key=lambda run: run.info.start_time or 0)


def attach_executed_notebook(output: Path, job_id: str) -> list[str]:
    """Attach ``output`` to the job's runs; what happened, as lines for the user."""
    from ..backend import activate, resolve_backend

    try:
        location = resolve_backend(None)
        activate(location)
        import mlflow

        client = mlflow.MlflowClient()
        runs = job_runs(client, job_id)
    except Exception as error:
        return [f"warning: cannot list the job's runs: {type(error).__name__}: {error}"]
    if not runs:
        return ["no %%track cell ran: nothing to attach the executed notebook to"]
    text = output.read_text(encoding="utf-8")
    lines = []
    for run in runs:
        try:
            client.log_text(run.info.run_id, text, T.EXECUTED_NOTEBOOK_ARTIFACT)
        except Exception as error:
            lines.append(
                f"warning: cannot attach the notebook to run {run.info.run_id}: "
                f"{type(error).__name__}: {error}"
            )
            continue
        status = client.get_run(run.info.run_id).info.status
        lines.append(
            f"run {run.info.run_name} ({run.info.run_id}) {status}: "
            f"executed notebook attached as {T.EXECUTED_NOTEBOOK_ARTIFACT}"
        )
    return lines
