"""Copying the models an offline run logged (MLflow 3's logged models) to the server.

In MLflow 3 ``mlflow.<flavor>.log_model`` creates a *logged model*: an entity of the
experiment with its own id, artifacts, params and tags, whose ``source_run_id`` names
the run and which the run lists among its outputs. None of that is in the run's
artifacts, so a spooled run's models are copied one by one: the server creates each
model (its own id, ``source_run_id`` the run's server copy, the offline id kept in
``labtrack.offline.model_id``), takes its artifacts, gets its status, and the run
lists it as an output at the same step.

Exactly once: a model's copy is looked up by that tag among the models of the run's
server copy before one is created, and an output already recorded is not recorded
again; uploading artifacts and setting the status again write the same content.
"""

from __future__ import annotations

from pathlib import Path

SPOOL_MODEL_TAG = "labtrack.offline.model_id"
_PAGE = 100
_FINAL_STATUSES = ("READY", "FAILED")


def copy_logged_models(local, server, run, server_experiment_id: str, server_run_id: str) -> int:
    """Copy the logged models of the spooled ``run``; returns how many it has."""
    originals = _models_of(local, [run.info.experiment_id], run.info.run_id)
    if not originals:
        return 0
    copies = {
        model.tags.get(SPOOL_MODEL_TAG): model
        for model in _models_of(server, [server_experiment_id], server_run_id)
    }
    steps = {output.model_id: output.step for output in _model_outputs(run)}
    # Recording an output twice is refused: a resumed sync records only the missing.
    recorded = {output.model_id for output in _model_outputs(server.get_run(server_run_id))}
    for original in originals:
        copy = copies.get(original.model_id) or server.create_logged_model(
            server_experiment_id,
            name=original.name,
            source_run_id=server_run_id,
            tags={**original.tags, SPOOL_MODEL_TAG: original.model_id},
            params=original.params or None,
            model_type=original.model_type,
        )
        _copy_model_artifacts(local, server, original, copy.model_id)
        status = _status_name(original.status)
        if status in _FINAL_STATUSES:
            server.finalize_logged_model(copy.model_id, status)
        if original.model_id in steps and copy.model_id not in recorded:
            _record_output(server, server_run_id, copy.model_id, steps[original.model_id])
    return len(originals)


def _models_of(client, experiment_ids: list[str], run_id: str) -> list:
    models, token = [], None
    while True:
        page = client.search_logged_models(
            experiment_ids,
            filter_string=f"source_run_id = '{run_id}'",
            max_results=_PAGE,
            page_token=token,
        )
        models.extend(page)
        token = page.token
        if not token:
            return models


def _model_outputs(run) -> list:
    outputs = getattr(run, "outputs", None)
    return list(getattr(outputs, "model_outputs", None) or [])


def _copy_model_artifacts(local, server, original, copy_id: str) -> None:
    from mlflow.artifacts import download_artifacts

    if not local.list_logged_model_artifacts(original.model_id):
        return
    folder = Path(download_artifacts(artifact_uri=original.artifact_location))
    server.log_model_artifacts(copy_id, str(folder))


def _status_name(status) -> str:
    return getattr(status, "name", None) or str(status)


def _record_output(server, server_run_id: str, model_id: str, step: int) -> None:
    from mlflow.entities import LoggedModelOutput

    server.log_outputs(server_run_id, [LoggedModelOutput(model_id, step)])
